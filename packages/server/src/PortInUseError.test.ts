import { type AddressInfo, createServer } from "node:net";
import { Interface } from "@dais/core";
import { describe, expect, it } from "vitest";
import { PortInUseError } from "./PortInUseError.ts";
import { TestServer } from "./testServer.ts";

describe("a port asked for that is in use", () => {
  it("rejects launch() with PortInUseError: one line naming --port, not a stack of listen's errors", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const app = new Interface({ fn: (s: string) => s, inputs: ["text"], outputs: ["text"] });
      const error = await TestServer.start(app, { port, host: "127.0.0.1" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as PortInUseError).port).toBe(port);
      expect((error as Error).message).toMatch(new RegExp(`^Port ${port} is already in use\\. Choose another with --port <n>`));
      expect((error as Error).message).not.toContain("\n");
    } finally {
      taken.close();
    }
  });
});
