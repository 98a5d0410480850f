import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { greedyDecoder } from "./fixtures/onnxGreedy.ts";
import { type TinyModel, writeTinyDialogpt } from "./fixtures/writeTinyModel.ts";
import type { Reply } from "./Generation.ts";
import { type DialogptOptions, dialogpt } from "./dialogpt.ts";
import { keepNucleus } from "./LogitsRules.ts";

// softmax(2, 1, 0, -1) = .644, .237, .087, .032
const logits = () => Float32Array.of(2, 1, 0, -1);

describe("keepNucleus", () => {
  it("keeps the fewest most likely tokens whose probabilities reach top_p, and masks the rest", () => {
    const l = logits();
    expect(keepNucleus(l, 0.8)).toEqual([0, 1]); // .644 < .8, .881 >= .8
    expect(Array.from(l)).toEqual([2, 1, -Infinity, -Infinity]);
    expect(keepNucleus(logits(), 0.9)).toEqual([0, 1, 2]);
    expect(keepNucleus(logits(), 0.5)).toEqual([0]);
    expect(keepNucleus(logits(), 1)).toEqual([0, 1, 2, 3]);
  });

  it("applies top-k first and top-p to what is left, as transformers does", () => {
    // Over the top 2 alone the first token holds .731, which already reaches .7.
    expect(keepNucleus(logits(), 0.7, 2)).toEqual([0]);
    expect(keepNucleus(logits(), 0.7)).toEqual([0, 1]);
    expect(keepNucleus(logits(), 0.99, 2)).toEqual([0, 1]);
  });

  it("keeps at least minTokensToKeep, and finds the nucleus wherever the tokens are", () => {
    expect(keepNucleus(logits(), 0.1, 0, 2)).toEqual([0, 1]);
    expect(keepNucleus(Float32Array.of(-1, 0, 2, 1), 0.8)).toEqual([2, 3]);
  });
});

describe("top_p in generation", () => {
  const root = fileURLToPath(new URL("../.fixtures/top-p/", import.meta.url));
  let tiny: TinyModel;
  let sampling: TinyModel;
  let session: ort.InferenceSession;
  beforeAll(async () => {
    rmSync(root, { recursive: true, force: true });
    tiny = writeTinyDialogpt(join(root, "tiny"));
    // Same weights (same seed), but its generation_config.json asks for nucleus sampling.
    sampling = writeTinyDialogpt(join(root, "sampling"), { generation: { do_sample: true, top_p: 0.5, top_k: 0 } });
    session = await ort.InferenceSession.create(join(tiny.dir, "onnx/model.onnx"));
  });

  /** For each sampled token: was it in the top-p nucleus of the model's distribution at that step? */
  async function inNucleus(prompt: number[], sampled: number[], topP: number): Promise<boolean[]> {
    const out: boolean[] = [];
    for (let i = 0; i < sampled.length; i++) {
      let kept: number[] = [];
      await greedyDecoder(session, [...prompt, ...sampled.slice(0, i)], { layers: 2, heads: 2, headDim: 16, steps: 1, cache: false, logits: (l) => (kept = keepNucleus(l, topP)) });
      out.push(kept.includes(sampled[i]!));
    }
    return out;
  }

  /** Four replies, each sampled with its own seed (1 to 4), and whether each token was in the 0.5 nucleus. */
  async function drawn(options: DialogptOptions): Promise<boolean[]> {
    const checks: boolean[] = [];
    for (let seed = 1; seed <= 4; seed++) {
      const replies: Reply[] = [];
      const predict = await dialogpt({ maxNewTokens: 8, ...options, seed, onReply: (r) => replies.push(r) });
      const prompt = [...predict.loaded.tokenizer.encode("Hello! How are you?", { add_special_tokens: false }), tiny.eosTokenId];
      await predict("Hello! How are you?", null);
      checks.push(...(await inNucleus(prompt, replies.at(-1)!.ids, 0.5)));
      await predict.dispose();
    }
    return checks;
  }

  it("draws every token from the nucleus; without top_p the same seeds draw outside it", async () => {
    const withTopP = await drawn({ model: tiny.dir, doSample: true, topK: 0, topP: 0.5 });
    const without = await drawn({ model: tiny.dir, doSample: true, topK: 0 });
    expect(withTopP.length).toBeGreaterThan(20);
    expect(withTopP.every(Boolean)).toBe(true);
    expect(without.filter((x) => !x).length).toBeGreaterThan(3);
  });

  it("honours a top_p from the model's generation_config.json", async () => {
    const checks = await drawn({ model: sampling.dir });
    expect(checks.length).toBeGreaterThan(20);
    expect(checks.every(Boolean)).toBe(true);
  });

  it("with a tiny top_p, sampling is greedy decoding", async () => {
    const sampled = await dialogpt({ model: tiny.dir, maxNewTokens: 12, doSample: true, topP: 1e-6, temperature: 2, seed: 9 });
    const greedy = await dialogpt({ model: tiny.dir, maxNewTokens: 12 });
    expect(await sampled("I like pizza.", null)).toEqual(await greedy("I like pizza.", null));
    await Promise.all([sampled.dispose(), greedy.dispose()]);
  });
});
