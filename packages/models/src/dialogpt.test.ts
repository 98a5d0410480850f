import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { type DialogptPredict, dialogpt } from "./dialogpt.ts";
import type { Reply } from "./Generation.ts";
import { greedyDecoder } from "./fixtures/onnxGreedy.ts";
import { type TinyModel, writeTinyDialogpt } from "./fixtures/writeTinyModel.ts";
import { ModelUnavailableError } from "./ModelUnavailableError.ts";

const root = fileURLToPath(new URL("../.fixtures/dialogpt/", import.meta.url));
const shape = { layers: 2, heads: 2, headDim: 16 };
let tiny: TinyModel;
let short: TinyModel;
let predict: DialogptPredict;
let session: ort.InferenceSession;
const replies: Reply[] = [];

beforeAll(async () => {
  rmSync(root, { recursive: true, force: true });
  // eosBias 2: this random model ends some replies by itself and runs others to the token budget.
  tiny = writeTinyDialogpt(join(root, "tiny"), { dtypes: ["fp32", "q4"], eosBias: 2 });
  short = writeTinyDialogpt(join(root, "short"), { positions: 48, seed: 5 });
  predict = await dialogpt({ model: tiny.dir, maxNewTokens: 30, onReply: (r) => replies.push(r) });
  session = await ort.InferenceSession.create(join(tiny.dir, "onnx/model.onnx"));
}, 60_000);

const encode = (text: string) => predict.loaded.tokenizer.encode(text, { add_special_tokens: false });
const decode = (ids: number[]) => predict.loaded.tokenizer.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false });
/** What the model says after `prompt`, recomputing the whole sequence at each step (no cache). */
async function reference(prompt: number[], steps = 30, s = session): Promise<number[]> {
  const ids = await greedyDecoder(s, prompt, { ...shape, steps, cache: false, stopIds: [tiny.eosTokenId] });
  return ids.at(-1) === tiny.eosTokenId ? ids.slice(0, -1) : ids;
}

describe("dialogpt", () => {
  it("replies with exactly the tokens full recomputation gives, though it generates with the KV cache", async () => {
    const message = "Hello! How are you?";
    const [chat, history] = await predict(message, null);
    const userIds = [...encode(message), tiny.eosTokenId];
    const expected = await reference(userIds);
    expect(expected.length).toBeGreaterThan(3);
    expect(expected.length).toBeLessThan(30); // this reply ends with end-of-text before the budget
    expect(history).toEqual([...userIds, ...expected, tiny.eosTokenId]);
    expect(chat).toEqual([[message, decode(expected)]]);
    expect(replies.at(-1)).toMatchObject({ finish: "stop", ids: expected, stats: { promptTokens: userIds.length, newTokens: expected.length + 1 } });
  });

  it("grows the history exactly as the tutorial does: each turn's tokens, each followed by end-of-text", async () => {
    const eos = tiny.eosTokenId;
    let history: number[] | null = null;
    let expectedHistory: number[] = [];
    const messages = ["Hello! How are you?", "I like pizza.", "Where do you live?"];
    for (const message of messages) {
      const botInput = [...expectedHistory, ...encode(message), eos]; // torch.cat([history, new_user_input_ids])
      expectedHistory = [...botInput, ...(await reference(botInput)), eos];
      let chat;
      [chat, history] = await predict(message, history);
      expect(history).toEqual(expectedHistory);
      // The tutorial's pairs: decode the history, split on end-of-text, pair the pieces up.
      const pieces = predict.loaded.tokenizer.decode(history, { clean_up_tokenization_spaces: false }).split("<|endoftext|>");
      const pairs = [];
      for (let i = 0; i < pieces.length - 1; i += 2) pairs.push([pieces[i], pieces[i + 1]]);
      expect(chat).toEqual(pairs);
    }
    expect(replies.slice(-3).map((r) => r.finish)).toEqual(["stop", "stop", "stop"]);
  });

  it("closes a reply cut by the token budget with end-of-text too, so the next turn reads right", async () => {
    const userIds = [...encode("I like pizza."), tiny.eosTokenId];
    const [, history] = await predict("I like pizza.", null);
    expect(replies.at(-1)).toMatchObject({ finish: "length", ids: await reference(userIds) });
    expect(history).toHaveLength(userIds.length + 30 + 1);
    expect(history.at(-1)).toBe(tiny.eosTokenId);
  });

  it("feeds the model only the newest turns that fit its window, while the history keeps them all", async () => {
    const stats: Reply[] = [];
    const small = await dialogpt({ model: short.dir, maxNewTokens: 8, onReply: (r) => stats.push(r) });
    let history: number[] = [];
    for (const message of ["Hello there, how are you today?", "Do you have any pets?", "What is your favorite food?", "I live near the sea."])
      [, history] = await small(message, history);
    const message = "Have a good day!";
    const [chat, next] = await small(message, history);
    const eos = short.eosTokenId;
    const turns: number[][] = [];
    for (const t of [...history, ...encode(message), eos].reduce<number[][]>((acc, id) => (acc.at(-1)!.push(id), id === eos && acc.push([]), acc), [[]])) if (t.length) turns.push(t);
    let kept = 1;
    while (kept < turns.length && turns.slice(-(kept + 1)).flat().length <= 48 - 8) kept++;
    expect(kept).toBeLessThan(turns.length); // some turns had to go
    const prompt = turns.slice(-kept).flat();
    expect(stats.at(-1)!.stats.promptTokens).toBe(prompt.length);
    const s = await ort.InferenceSession.create(join(short.dir, "onnx/model.onnx"));
    const expected = await greedyDecoder(s, prompt, { ...shape, steps: 8, cache: false, stopIds: [eos] });
    expect(next).toEqual([...history, ...encode(message), eos, ...expected.filter((id) => id !== eos), eos]);
    expect(chat).toHaveLength(5);
    await small.dispose();
  });

  it("streams the reply as it grows; the last yield is what predict returns", async () => {
    const history = (await predict("Hello! How are you?", null))[1];
    const texts: string[] = [];
    let last;
    for await (const result of predict.stream("I like pizza.", history)) {
      texts.push(result[0].at(-1)![1]!);
      last = result;
    }
    expect(texts.length).toBeGreaterThan(5);
    for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true);
    expect(last).toEqual(await predict("I like pizza.", history));
  });

  it("offers ChatInterface's form: role/content history in, the whole reply so far out", async () => {
    const history = [
      { role: "user" as const, content: "Hello! How are you?" },
      { role: "assistant" as const, content: "Fine." },
    ];
    const yielded: string[] = [];
    for await (const text of predict.chat("I like pizza.", history)) yielded.push(text);
    const ids = history.flatMap((m) => [...encode(m.content), tiny.eosTokenId]);
    const [chat] = await predict("I like pizza.", ids);
    expect(yielded.length).toBeGreaterThan(5);
    expect(yielded.at(-1)).toBe(chat.at(-1)![1]);
    expect(yielded.every((t, i) => i === 0 || t.startsWith(yielded[i - 1]!))).toBe(true);
  });

  it("stops within one token of the AbortSignal, keeping the reply so far", async () => {
    const controller = new AbortController();
    let partials = 0;
    let final;
    for await (const result of predict.stream("I like pizza.", null, { signal: controller.signal })) {
      partials++;
      controller.abort();
      final = result;
    }
    const reply = replies.at(-1)!;
    expect(reply.finish).toBe("aborted");
    expect(reply.stats.newTokens).toBeLessThanOrEqual(2); // of a 30-token reply (see the history test)
    expect(partials).toBeLessThanOrEqual(3);
    expect(final![1].at(-1)).toBe(tiny.eosTokenId);

    const before = replies.length;
    const [chat] = await predict("Hello! How are you?", null, { signal: AbortSignal.abort() });
    expect(chat).toEqual([["Hello! How are you?", ""]]);
    expect(replies[before]!.stats.newTokens).toBe(0);
  });

  it("stops when the consumer of the stream walks away", async () => {
    const before = replies.length;
    for await (const _ of predict.stream("I like pizza.", null)) break;
    // The stream's consumer left: generation ended and no reply was reported.
    expect(replies.length).toBe(before);
    const [, history] = await predict("I like pizza.", null);
    expect(history.length).toBeGreaterThan(30); // the model is free again and answers in full
  });

  it("loads the weights the dtype names: q4 runs onnx/model_q4.onnx, a missing q8 file is reported", async () => {
    const q4 = await dialogpt({ model: tiny.dir, dtype: "q4", maxNewTokens: 10 });
    const userIds = [...encode("Hello! How are you?"), tiny.eosTokenId];
    const [, history] = await q4("Hello! How are you?", null);
    const q4Session = await ort.InferenceSession.create(join(tiny.dir, "onnx/model_q4.onnx"));
    const expected = await greedyDecoder(q4Session, userIds, { ...shape, steps: 10, cache: false, stopIds: [tiny.eosTokenId] });
    expect(history).toEqual([...userIds, ...expected.filter((id) => id !== tiny.eosTokenId), tiny.eosTokenId]);
    await q4.dispose();

    const error = await dialogpt({ model: tiny.dir, dtype: "q8" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect((error as Error).message).toBe(
      `Model "${tiny.dir}" is not available: the folder ${tiny.dir} lacks onnx/model_quantized.onnx. Put the model's files there (onnx/model_quantized.onnx), ` +
        `for example those of https://huggingface.co/Xenova/DialoGPT-small, or name a Hugging Face model id instead.`,
    );
  });

  it("samples reproducibly with a seed, and topK 1 is greedy decoding", async () => {
    const sampled = await dialogpt({ model: tiny.dir, maxNewTokens: 12, doSample: true, temperature: 1.5, seed: 42 });
    const a = await sampled("I like pizza.", null);
    const b = await sampled("I like pizza.", null);
    expect(a).toEqual(b);
    const greedy = await dialogpt({ model: tiny.dir, maxNewTokens: 12 });
    expect(a).not.toEqual(await greedy("I like pizza.", null));
    const topK1 = await dialogpt({ model: tiny.dir, maxNewTokens: 12, doSample: true, topK: 1, seed: 1 });
    expect(await topK1("I like pizza.", null)).toEqual(await greedy("I like pizza.", null));
    await Promise.all([sampled.dispose(), greedy.dispose(), topK1.dispose()]);
  });

  it("takes a program's settings from the run context (OpenAI's max_tokens, temperature, seed) for that reply", async () => {
    const seen: Reply[] = [];
    const greedy = await dialogpt({ model: tiny.dir, maxNewTokens: 12, onReply: (r) => seen.push(r) });
    const plain = await greedy("I like pizza.", null);
    await greedy("I like pizza.", null, { generation: { maxTokens: 3 } });
    expect(seen.at(-1)!.stats.newTokens).toBeLessThanOrEqual(3);
    const hot = { generation: { temperature: 1.5, seed: 42 } };
    const a = await greedy("I like pizza.", null, hot);
    expect(await greedy("I like pizza.", null, hot)).toEqual(a);
    expect(a).not.toEqual(plain);
    const sampling = await dialogpt({ model: tiny.dir, maxNewTokens: 12, doSample: true, temperature: 1.5, seed: 7 });
    expect(await sampling("I like pizza.", null, { generation: { temperature: 0 } })).toEqual(plain);
    await Promise.all([greedy.dispose(), sampling.dispose()]);
  });
});
