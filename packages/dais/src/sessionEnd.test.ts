import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChatInterface } from "@dais/core";
import { chatModel, type ChatModelPredict } from "@dais/models";
import { writeTinyChatModel } from "@dais/models/fixtures";
import { Runtime } from "@dais/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../../server/src/testClient.ts";

// A real predict function of @dais/models in a real runtime: its KV cache per session is freed
// when Dais ends the session, not kept until the byte budget pushes it out.
let root: string;
let predict: ChatModelPredict;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "dais-session-end-"));
  writeTinyChatModel(join(root, "chat"));
  predict = await chatModel({ model: join(root, "chat"), doSample: false, maxNewTokens: 6 });
}, 120_000);
afterAll(async () => {
  await predict?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe("a session's end", { timeout: 60_000 }, () => {
  it("frees a model predict function's KV cache for that session only", async () => {
    const runtime = new Runtime(new ChatInterface({ fn: predict.chat }).toApp());
    try {
      const a = TestClient.direct(runtime);
      const b = TestClient.direct(runtime);
      const [welcomeA] = await Promise.all([a.hello(), b.hello()]);
      await a.run("a1", ["hello"]);
      await b.run("b1", ["hi there"]);
      await a.run("a2", ["and again"]);
      expect(predict.engine.cache.size).toBe(2);
      a.close();
      await runtime.end(welcomeA.session);
      expect(predict.engine.cache.size).toBe(1);
      b.close();
    } finally {
      await runtime.close(0);
    }
    // Closing the server ends every session: nothing is left.
    expect(predict.engine.cache.size).toBe(0);
  });
});
