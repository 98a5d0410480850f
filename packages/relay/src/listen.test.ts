import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { listen } from "./listen.ts";

describe("listen", () => {
  it("takes the next free port when the first is busy, as launch does from 7860", async () => {
    const busy = createServer();
    const port = await listen(busy, "127.0.0.1", 0, 1);
    const next = createServer();
    expect(await listen(next, "127.0.0.1", port, 10)).toBeGreaterThan(port);
    const strict = createServer();
    await expect(listen(strict, "127.0.0.1", port, 1)).rejects.toThrow(/No free port/);
    busy.close();
    next.close();
  });
});
