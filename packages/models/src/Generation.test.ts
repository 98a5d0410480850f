import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type TinyModel, writeTinyDialogpt } from "./fixtures/writeTinyModel.ts";
import { startGeneration } from "./Generation.ts";
import { keepNewest } from "./keepNewest.ts";
import { type LoadedModel, loadModel } from "./loadModel.ts";

const dir = fileURLToPath(new URL("../.fixtures/generation/", import.meta.url));
let tiny: TinyModel;
let loaded: LoadedModel;

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  tiny = writeTinyDialogpt(dir);
  loaded = await loadModel("causal", { model: dir });
});

const request = (options = {}) => ({ ...loaded, promptIds: [39, 68, 282, tiny.eosTokenId], stopIds: [tiny.eosTokenId], options: { maxNewTokens: 40, ...options } });

describe("Generation", () => {
  it("stops generating when the reader leaves the stream", async () => {
    const run = startGeneration(request());
    for await (const _ of run) break;
    const reply = await run.result;
    expect(reply.finish).toBe("aborted");
    expect(reply.stats.newTokens).toBeLessThanOrEqual(2);
  });

  it("runs to the end when nobody reads the stream, and reports its timings", async () => {
    const reply = await startGeneration(request()).result;
    expect(reply.finish).toBe("length");
    expect(reply.ids).toHaveLength(40);
    expect(reply.stats).toMatchObject({ promptTokens: 4, newTokens: 40 });
    expect(reply.stats.firstTokenMs).toBeGreaterThan(0);
    expect(reply.stats.totalMs).toBeGreaterThanOrEqual(reply.stats.firstTokenMs);
  });

  it("rejects generation options that would silently do nothing", () => {
    expect(() => startGeneration(request({ topP: 1.5 }))).toThrow("Generation option topP must be in (0, 1], got 1.5.");
    expect(() => startGeneration(request({ temperature: 0 }))).toThrow(/temperature must be above 0/);
    expect(() => startGeneration(request({ maxNewTokens: 0 }))).toThrow(/maxNewTokens must be a positive integer/);
  });
});

describe("keepNewest", () => {
  it("keeps the newest turns that fit, and always the newest one", () => {
    const lengths = [5, 9, 14, 20]; // the prompt's length with the newest 1, 2, 3, 4 turns
    expect(keepNewest(4, (n) => lengths[n - 1]!, 12)).toBe(2);
    expect(keepNewest(4, (n) => lengths[n - 1]!, 100)).toBe(4);
    expect(keepNewest(4, (n) => lengths[n - 1]!, 1)).toBe(1);
    expect(keepNewest(0, () => 0, 10)).toBe(0);
  });
});
