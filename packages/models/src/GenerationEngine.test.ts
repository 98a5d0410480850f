import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialogpt } from "./dialogpt.ts";
import { greedyDecoder } from "./fixtures/onnxGreedy.ts";
import { type TinyModel, writeTinyDialogpt } from "./fixtures/writeTinyModel.ts";
import type { Reply } from "./Generation.ts";
import { GenerationEngine } from "./GenerationEngine.ts";
import { keepNewest } from "./keepNewest.ts";
import { PrefixCache } from "./PrefixCache.ts";

const dir = fileURLToPath(new URL("../.fixtures/generation/", import.meta.url));
let tiny: TinyModel;
let engine: GenerationEngine;
let session: ort.InferenceSession;
const shape = { layers: 2, heads: 2, headDim: 16 };

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  tiny = writeTinyDialogpt(join(dir, "tiny"), { eosBias: 2 });
  engine = await GenerationEngine.open("causal", { model: tiny.dir });
  session = await ort.InferenceSession.create(join(tiny.dir, "onnx/model.onnx"));
}, 60_000);
afterAll(() => engine.release());

const prompt = () => [39, 68, 282, tiny.eosTokenId];
const encode = (text: string) => engine.tokenizer.encode(text, { add_special_tokens: false });

// Model work on a busy machine can take a while; the time limit is only a safety net.
describe("GenerationEngine", { timeout: 60_000 }, () => {
  it("stops generating when the reader leaves the stream", async () => {
    const run = engine.generate({ promptIds: prompt(), options: { maxNewTokens: 40 }, prefixCache: false });
    for await (const _ of run) break;
    const reply = await run.result;
    expect(reply.finish).toBe("aborted");
    expect(reply.stats.newTokens).toBeLessThanOrEqual(2);
  });

  it("runs to the end when nobody reads the stream, and reports its timings", async () => {
    const reply = await engine.generate({ promptIds: [39, 68, 282], options: { maxNewTokens: 40, minLength: 50 }, prefixCache: false }).result;
    expect(reply.finish).toBe("length");
    expect(reply.ids).toHaveLength(40);
    expect(reply.stats).toMatchObject({ promptTokens: 3, cachedTokens: 0, newTokens: 40 });
    expect(reply.stats.firstTokenMs).toBeGreaterThan(0);
    expect(reply.stats.totalMs).toBeGreaterThanOrEqual(reply.stats.firstTokenMs);
  });

  it("rejects generation options that would silently do nothing, and ones it cannot honour", () => {
    const bad = (options: object) => () => engine.generate({ promptIds: prompt(), options });
    expect(bad({ topP: 1.5 })).toThrow("Generation option topP must be in (0, 1], got 1.5.");
    expect(bad({ temperature: 0 })).toThrow(/temperature must be above 0/);
    expect(bad({ maxNewTokens: 0 })).toThrow(/maxNewTokens must be a positive integer/);
    expect(bad({ numReturnSequences: 3 })).toThrow(/needs numBeams of at least 3 \(beam search\) or doSample/);
    expect(bad({ numBeams: 2, numReturnSequences: 3 })).toThrow("numReturnSequences (3) must be at most numBeams (2).");
    expect(bad({ maxNewTokens: 5000 })).toThrow("maxNewTokens (5000) must be below the model's window of 1024 tokens.");
  });

  it("shares one engine (one load) between predict functions naming the same model, and frees it with the last", async () => {
    const a = await dialogpt({ model: tiny.dir, maxNewTokens: 5 });
    const b = await dialogpt({ model: `${tiny.dir}/`, maxNewTokens: 7 });
    expect(a.engine).toBe(b.engine);
    expect(a.engine).toBe(engine);
    expect(a.loaded.model).toBe(b.loaded.model);
    await a.dispose();
    await a.dispose(); // twice is once
    expect((await b("Hello!", null))[1].length).toBeGreaterThan(0);
    await b.dispose();
    expect((await engine.generate({ promptIds: prompt(), options: { maxNewTokens: 3 } }).result).ids.length).toBeGreaterThan(0);
  });

  it("extends a conversation's cached turn: only the new tokens are fed, the reply is the one full recomputation gives", async () => {
    const replies: Reply[] = [];
    const predict = await dialogpt({ model: tiny.dir, maxNewTokens: 12, onReply: (r) => replies.push(r) });
    const uncached = await dialogpt({ model: tiny.dir, maxNewTokens: 12, prefixCache: false });
    let history: number[] = [];
    let plain: number[] = [];
    const messages = ["Hello! How are you?", "I like pizza.", "Where do you live?", "Do you have any pets?"];
    for (const [turn, message] of messages.entries()) {
      const before = history.length;
      [, history] = await predict(message, history, { session: "tab-1" });
      [, plain] = await uncached(message, plain);
      expect(history).toEqual(plain);
      const promptIds = [...history.slice(0, before), ...encode(message), tiny.eosTokenId];
      const expected = await greedyDecoder(session, promptIds, { ...shape, steps: 12, cache: false, stopIds: [tiny.eosTokenId] });
      expect(history.slice(promptIds.length)).toEqual(expected.at(-1) === tiny.eosTokenId ? expected : [...expected, tiny.eosTokenId]);
      const { promptTokens, cachedTokens } = replies.at(-1)!.stats;
      expect(promptTokens).toBe(promptIds.length);
      // The first turn has nothing cached; later ones have everything but the newest message
      // (and the reply's last token, which was chosen but never fed).
      if (turn === 0) expect(cachedTokens).toBe(0);
      else expect(cachedTokens).toBe(before - 1);
    }
    expect(engine.cache.size).toBeGreaterThan(0);
    predict.endSession("tab-1");
    await predict("Hello!", history, { session: "tab-1" });
    expect(replies.at(-1)!.stats.cachedTokens).toBe(0); // the session's cache was freed
    await Promise.all([predict.dispose(), uncached.dispose()]);
  });

  it("keeps caches within the memory budget, evicting the least recently used conversation", async () => {
    const small = await GenerationEngine.open("causal", { model: join(tiny.dir, "."), kvCacheMiB: 1 });
    expect(small).toBe(engine); // shared: the first opener's budget holds
    small.cache.clear();
    const perToken = engine.decoder.bytesPerToken();
    const run = (session: string, ids: number[]) => engine.generate({ promptIds: ids, options: { maxNewTokens: 4 }, session }).result;
    await run("a", prompt());
    await run("b", [...prompt(), 5, 6]);
    expect(engine.cache.size).toBe(2);
    // Each conversation holds its prompt and reply (but the reply's last token): 4 to 7 and 6 to 9 positions.
    expect(engine.cache.bytes / perToken).toBeGreaterThanOrEqual(10);
    expect(engine.cache.bytes / perToken).toBeLessThanOrEqual(16);
    // A budget for two of these conversations: storing a third drops the least recently used.
    const tight = new PrefixCache(12 * perToken);
    tight.store("a", [1, 2, 3, 4, 5], {}, 5 * perToken);
    tight.store("b", [9, 9, 9, 9, 9, 9], {}, 6 * perToken);
    expect(tight.lookup("a", [1, 2, 3, 4, 5, 9])).toBeDefined(); // a is now the most recent
    tight.store("c", [7, 8], {}, 2 * perToken);
    expect([tight.lookup("a", [1, 2, 3, 4, 5, 9]), tight.lookup("b", [9, 9, 9, 9, 9, 9, 7]), tight.lookup("c", [7, 8, 9])].map(Boolean)).toEqual([true, false, true]);
    await small.release();
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
