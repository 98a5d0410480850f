import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialogpt } from "./dialogpt.ts";
import { beamSearchReference, causalLogits } from "./fixtures/onnxBeamSearch.ts";
import { type TinyModel, writeTinyDialogpt } from "./fixtures/writeTinyModel.ts";
import type { Candidate, Reply } from "./Generation.ts";
import { GenerationEngine } from "./GenerationEngine.ts";

const dir = fileURLToPath(new URL("../.fixtures/beams/", import.meta.url));
const shape = { layers: 2, heads: 2, headDim: 16 };
let tiny: TinyModel;
let engine: GenerationEngine;
let session: ort.InferenceSession;

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  // eosBias 3: some beams end early, so finished hypotheses compete with running ones.
  tiny = writeTinyDialogpt(join(dir, "tiny"), { eosBias: 3 });
  engine = await GenerationEngine.open("causal", { model: tiny.dir });
  session = await ort.InferenceSession.create(join(tiny.dir, "onnx/model.onnx"));
}, 60_000);
afterAll(() => engine.release());

const encode = (text: string) => [...engine.tokenizer.encode(text, { add_special_tokens: false }), tiny.eosTokenId];
const next = (sequence: readonly number[]) => causalLogits(session, sequence, shape);

// Model work on a busy machine can take a while; the time limit is only a safety net.
describe("beam search", { timeout: 60_000 }, () => {
  const cases = [
    { numBeams: 4, lengthPenalty: 1, earlyStopping: false },
    { numBeams: 3, lengthPenalty: 2, earlyStopping: true },
    { numBeams: 5, lengthPenalty: -0.5, earlyStopping: false },
  ];
  for (const c of cases)
    it(`matches transformers' beam search token for token and score for score (${JSON.stringify(c)})`, async () => {
      for (const message of ["Hello! How are you?", "Do you have any pets?"]) {
        const prompt = encode(message);
        const expected = await beamSearchReference(next, prompt, { ...c, maxNewTokens: 16, stopIds: [tiny.eosTokenId], numReturnSequences: c.numBeams });
        const reply = await engine.generate({ promptIds: prompt, options: { ...c, maxNewTokens: 16, numReturnSequences: c.numBeams }, prefixCache: false }).result;
        expect(reply.candidates.map((x) => x.ids)).toEqual(expected.map((x) => x.ids));
        reply.candidates.forEach((x, i) => expect(x.score).toBeCloseTo(expected[i]!.score, 4));
        expect(reply.ids).toEqual(expected[0]!.ids);
      }
    });

  it("blocks repeated n-grams per beam, against the reference with the same rule", async () => {
    const prompt = encode("I like pizza.");
    const noRepeat = (logprobs: Float32Array, sequence: readonly number[]) => {
      const [a, b] = sequence.slice(-2);
      for (let i = 0; i + 2 < sequence.length; i++) if (sequence[i] === a && sequence[i + 1] === b) logprobs[sequence[i + 2]!] = -Infinity;
    };
    const [best] = await beamSearchReference(next, prompt, { numBeams: 4, lengthPenalty: 1, earlyStopping: false, maxNewTokens: 20, stopIds: [tiny.eosTokenId], rule: noRepeat });
    const reply = await engine.generate({ promptIds: prompt, options: { numBeams: 4, maxNewTokens: 20, noRepeatNgramSize: 3 } }).result;
    expect(reply.ids).toEqual(best!.ids);
  });

  it("gives onReply every candidate with its score, and a rank function picks the reply", async () => {
    const replies: Reply[] = [];
    let offered: readonly Candidate[] = [];
    const predict = await dialogpt({
      model: tiny.dir,
      maxNewTokens: 12,
      numBeams: 4,
      numReturnSequences: 3,
      onReply: (r) => replies.push(r),
      // The longest candidate, whatever its score.
      rank: (candidates) => {
        offered = candidates;
        return candidates.reduce((best, c, i) => (c.ids.length > candidates[best]!.ids.length ? i : best), 0);
      },
    });
    const [chat] = await predict("Hello! How are you?", null);
    const reply = replies.at(-1)!;
    expect(reply.candidates).toHaveLength(3);
    expect(offered).toEqual(reply.candidates);
    for (let i = 1; i < 3; i++) expect(reply.candidates[i - 1]!.score).toBeGreaterThanOrEqual(reply.candidates[i]!.score);
    const longest = Math.max(...reply.candidates.map((c) => c.ids.length));
    expect(reply.ids).toHaveLength(longest);
    expect(reply.candidates[reply.chosen]!.ids).toEqual(reply.ids);
    expect(chat.at(-1)![1]).toBe(reply.text);
    await predict.dispose();
  });
});

describe("best-of-n sampling", { timeout: 60_000 }, () => {
  it("draws n replies with the request's own seed, scores them, and answers with the best", async () => {
    const options = { doSample: true, numReturnSequences: 4, maxNewTokens: 10, seed: 7, temperature: 1.3 };
    const a = await engine.generate({ promptIds: encode("Hello!"), options }).result;
    const b = await engine.generate({ promptIds: encode("Hello!"), options }).result;
    expect(a.candidates).toEqual(b.candidates); // the seed is the request's: reproducible
    expect(new Set(a.candidates.map((c) => c.ids.join())).size).toBeGreaterThan(1);
    for (let i = 1; i < 4; i++) expect(a.candidates[i - 1]!.score).toBeGreaterThanOrEqual(a.candidates[i]!.score);
    expect(a.ids).toEqual(a.candidates[0]!.ids);
    const rejected = await engine.generate({ promptIds: encode("Hello!"), options, rank: () => 9 }).result.catch((e: Error) => e.message);
    expect(rejected).toBe("rank() must return a candidate's index (0 to 3), got 9.");
  });

  it("gives each request its own random generator: concurrent samples equal the same samples drawn alone", async () => {
    const options = (seed: number) => ({ doSample: true, maxNewTokens: 10, seed });
    const alone = [];
    for (const seed of [1, 2, 3]) alone.push((await engine.generate({ promptIds: encode("Hi"), options: options(seed) }).result).ids);
    const together = await Promise.all([1, 2, 3].map(async (seed) => (await engine.generate({ promptIds: encode("Hi"), options: options(seed) }).result).ids));
    expect(together).toEqual(alone);
  });
});
