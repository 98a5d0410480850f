import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { random, Tensor } from "@huggingface/transformers";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { dialogpt } from "./dialogpt.ts";
import { greedyDecoder } from "./fixtures/onnxGreedy.ts";
import { type TinyModel, writeTinyDialogpt } from "./fixtures/writeTinyModel.ts";
import type { Reply } from "./Generation.ts";
import { keepNucleus, TopPWarper } from "./TopPWarper.ts";

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

  it("filters each row of a batch, as generate() hands the logits over", () => {
    const batch = new Tensor("float32", Float32Array.of(2, 1, 0, -1, -1, 0, 1, 2), [2, 4]);
    new TopPWarper(0.8)([[1n], [1n]], batch);
    expect(Array.from(batch.data as Float32Array)).toEqual([2, 1, -Infinity, -Infinity, -Infinity, -Infinity, 1, 2]);
    expect(() => new TopPWarper(0)).toThrow(RangeError);
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

  it("draws every token from the nucleus; without top_p the same random stream draws outside it", async () => {
    const replies: Reply[] = [];
    const onReply = (r: Reply) => replies.push(r);
    const nucleus = await dialogpt({ model: tiny.dir, maxNewTokens: 8, doSample: true, topK: 0, topP: 0.5, onReply });
    const free = await dialogpt({ model: tiny.dir, maxNewTokens: 8, doSample: true, topK: 0, onReply });
    const prompt = [...nucleus.loaded.tokenizer.encode("Hello! How are you?", { add_special_tokens: false }), tiny.eosTokenId];
    const drawn = async (predict: typeof nucleus) => {
      // Seeded once: successive replies take successive draws, the same for both settings.
      random.seed(2024);
      const checks: boolean[] = [];
      for (let i = 0; i < 4; i++) {
        await predict("Hello! How are you?", null);
        checks.push(...(await inNucleus(prompt, replies.at(-1)!.ids, 0.5)));
      }
      return checks;
    };
    const withTopP = await drawn(nucleus);
    const without = await drawn(free);
    expect(withTopP.length).toBeGreaterThan(20);
    expect(withTopP.every(Boolean)).toBe(true);
    expect(without.filter((x) => !x).length).toBeGreaterThan(3);
    await Promise.all([nucleus.dispose(), free.dispose()]);
  });

  it("honours a top_p from the model's generation_config.json, which transformers.js would ignore", async () => {
    const replies: Reply[] = [];
    const predict = await dialogpt({ model: sampling.dir, maxNewTokens: 8, onReply: (r) => replies.push(r) });
    const prompt = [...predict.loaded.tokenizer.encode("Hello! How are you?", { add_special_tokens: false }), tiny.eosTokenId];
    random.seed(2024);
    const checks: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      await predict("Hello! How are you?", null);
      checks.push(...(await inNucleus(prompt, replies.at(-1)!.ids, 0.5)));
    }
    expect(checks.length).toBeGreaterThan(20);
    expect(checks.every(Boolean)).toBe(true);
    await predict.dispose();
  });

  it("with a tiny top_p, sampling is greedy decoding", async () => {
    const sampled = await dialogpt({ model: tiny.dir, maxNewTokens: 12, doSample: true, topP: 1e-6, temperature: 2, seed: 9 });
    const greedy = await dialogpt({ model: tiny.dir, maxNewTokens: 12 });
    expect(await sampled("I like pizza.", null)).toEqual(await greedy("I like pizza.", null));
    await Promise.all([sampled.dispose(), greedy.dispose()]);
  });
});
