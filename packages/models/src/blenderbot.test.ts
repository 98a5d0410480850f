import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { type BlenderbotPredict, blenderbot, blenderbotPrompt, type Turn } from "./blenderbot.ts";
import { beamSearchReference, seq2seqLogits } from "./fixtures/onnxBeamSearch.ts";
import { greedySeq2seq, type LogitsRule } from "./fixtures/onnxGreedy.ts";
import { type TinyModel, writeTinyBlenderbot } from "./fixtures/writeTinyModel.ts";
import type { Reply } from "./Generation.ts";

const root = fileURLToPath(new URL("../.fixtures/blenderbot/", import.meta.url));
let tiny: TinyModel;
let predict: BlenderbotPredict;
let encoder: ort.InferenceSession;
let decoder: ort.InferenceSession;
const replies: Reply[] = [];
const MAX_NEW = 30;

beforeAll(async () => {
  rmSync(root, { recursive: true, force: true });
  tiny = writeTinyBlenderbot(join(root, "tiny"));
  // Greedy here (the model's generation_config.json asks for 10 beams; see the beam search test).
  predict = await blenderbot({ model: tiny.dir, maxNewTokens: MAX_NEW, numBeams: 1, onReply: (r) => replies.push(r) });
  const open = (file: string) => ort.InferenceSession.create(join(tiny.dir, "onnx", file));
  [encoder, decoder] = await Promise.all([open("encoder_model.onnx"), open("decoder_model_merged.onnx")]);
}, 60_000);

/** blenderbot-400M-distill's generation_config.json, as transformers.js applies it: no end before 20 tokens, no repeated trigram, end forced at the last position. */
const modelDefaults: LogitsRule = (logits, sequence) => {
  if (sequence.length < 20) logits[2] = -Infinity;
  const [a, b] = sequence.slice(-2);
  for (let i = 0; i + 2 < sequence.length; i++) if (sequence[i] === a && sequence[i + 1] === b) logits[sequence[i + 2]!] = -Infinity;
  if (sequence.length === MAX_NEW) {
    logits.fill(-Infinity);
    logits[2] = 0;
  }
};

/** The reply full recomputation gives (no cache: every step reruns the decoder over the whole sequence). */
async function reference(promptIds: number[]): Promise<number[]> {
  const ids = await greedySeq2seq(encoder, decoder, promptIds, { layers: 2, heads: 2, headDim: 16, steps: MAX_NEW, startId: 1, stopIds: [2], rule: modelDefaults });
  return ids.at(-1) === 2 ? ids.slice(0, -1) : ids;
}

const tokenizer = () => predict.loaded.tokenizer;
const encode = (text: string) => tokenizer().encode(text, { add_special_tokens: false });
const decode = (ids: number[]) => tokenizer().decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false });

// Model work on a busy machine can take a while; the time limit is only a safety net.
describe("blenderbot", { timeout: 60_000 }, () => {
  it("generates as its generation_config.json says: beam search (10 beams, length_penalty 0.65, min_length 20, no repeated trigram), as transformers' beam search does", async () => {
    const beamReplies: Reply[] = [];
    const beams = await blenderbot({ model: tiny.dir, maxNewTokens: MAX_NEW, onReply: (r) => beamReplies.push(r) });
    const next = seq2seqLogits(encoder, decoder, { layers: 2, heads: 2, headDim: 16 });
    for (const message of ["Hello! How are you today?", "I like to read books."]) {
      const prompt = [...encode(` ${message}`), 2];
      const [best] = await beamSearchReference(next(prompt), [1], {
        numBeams: 10,
        maxNewTokens: MAX_NEW,
        lengthPenalty: 0.65,
        earlyStopping: false,
        stopIds: [2],
        rule: modelDefaults,
      });
      const [chat] = await beams(message, null);
      expect(beamReplies.at(-1)!.ids).toEqual(best!.ids);
      expect(beamReplies.at(-1)!.candidates[0]!.score).toBeCloseTo(best!.score, 4);
      expect(chat).toEqual([[message, decode(best!.ids)]]);
      const greedy = (await predict(message, null))[1][1];
      expect(decode(best!.ids)).not.toBe(greedy); // beam search found another reply than greedy decoding
    }
    await beams.dispose();
  });

  it("replies with the tokens full recomputation gives, through the cached branch of the merged decoder", async () => {
    const [chat, history] = await predict("Hello! How are you today?", null);
    const expected = await reference([...encode(" Hello! How are you today?"), 2]);
    expect(expected.length).toBe(MAX_NEW - 1); // min_length kept it going; the end was forced at the last position
    expect(replies.at(-1)).toMatchObject({ ids: expected, finish: "stop" });
    expect(history).toEqual(["Hello! How are you today?", decode(expected)]);
    expect(chat).toEqual([["Hello! How are you today?", decode(expected)]]);
  });

  it("renders the conversation as BlenderBot's tokenizer does: user turns with a leading space, two spaces between turns, </s> last", async () => {
    const [, history] = await predict("Hello!", null);
    await predict("What do you like?", history);
    const text = ` Hello!  ${history[1]}   What do you like?`;
    expect(replies.at(-1)!.stats.promptTokens).toBe(encode(text).length + 1);
    expect(replies.at(-1)!.ids).toEqual(await reference([...encode(text), 2]));
  });

  it("drops the oldest turns so the input fits the 128-position window, keeping the newest", async () => {
    const turns: Turn[] = Array.from({ length: 14 }, (_, i) => ({ user: i % 2 === 1, content: `Turn ${i}: I like to read books and play music with my dog.` }));
    const { ids, kept } = blenderbotPrompt(tokenizer(), turns, 128);
    const render = (n: number) => [...encode(turns.slice(-n).map((t) => (t.user ? ` ${t.content}` : t.content)).join("  ")), 2];
    expect(kept).toBeGreaterThan(1);
    expect(kept).toBeLessThan(14);
    expect(ids).toEqual(render(kept));
    expect(ids.length).toBeLessThanOrEqual(128);
    expect(render(kept + 1).length).toBeGreaterThan(128);
    expect(decode(ids)).toContain("Turn 13:");

    // predict feeds the same trimmed input: its reply is the one for the kept turns alone.
    const history = turns.slice(0, -1).map((t) => t.content);
    const [, full] = await predict(turns.at(-1)!.content, history);
    const [, cut] = await predict(turns.at(-1)!.content, history.slice(-(kept - 1)));
    expect(replies.at(-2)!.stats.promptTokens).toBe(ids.length);
    expect(full.at(-1)).toBe(cut.at(-1));
    expect(full).toHaveLength(15); // the history itself keeps every turn
  });

  it("cuts a single message longer than the window to its last tokens", () => {
    const long: Turn[] = [{ user: true, content: "I live in a small town near the sea. ".repeat(20) }];
    const { ids } = blenderbotPrompt(tokenizer(), long, 128);
    expect(ids).toHaveLength(128);
    expect(ids.slice(0, -1)).toEqual(encode(` ${long[0]!.content}`).slice(-127));
    expect(ids.at(-1)).toBe(2);
  });

  it("streams growing text for Interface and for ChatInterface, ending at predict's reply", async () => {
    const [, history] = await predict("Hello!", null);
    const texts: string[] = [];
    for await (const [chat] of predict.stream("Do you have any pets?", history)) texts.push(chat.at(-1)![1]!);
    const chatTexts: string[] = [];
    const messages = [
      { role: "user" as const, content: history[0]! },
      { role: "assistant" as const, content: history[1]! },
    ];
    for await (const text of predict.chat("Do you have any pets?", messages)) chatTexts.push(text);
    const [chat] = await predict("Do you have any pets?", history);
    expect(texts.length).toBeGreaterThan(5);
    expect(texts.every((t, i) => i === 0 || t.startsWith(texts[i - 1]!))).toBe(true);
    expect(texts.at(-1)).toBe(chat.at(-1)![1]);
    expect(chatTexts.at(-1)).toBe(chat.at(-1)![1]);
  });

  it("loads blenderbot_small's model type from the same files", async () => {
    const small = writeTinyBlenderbot(join(root, "small"), { modelType: "blenderbot-small" });
    const predictSmall = await blenderbot({ model: small.dir, maxNewTokens: MAX_NEW, numBeams: 1 });
    expect(predictSmall.loaded.model.constructor.name).toBe("BlenderbotSmallForConditionalGeneration");
    // Same weights as the blenderbot fixture: the same reply.
    expect(await predictSmall("Hello! How are you today?", null)).toEqual(await predict("Hello! How are you today?", null));
    await predictSmall.dispose();
  });

  it("stops within one token of the AbortSignal", async () => {
    const controller = new AbortController();
    for await (const _ of predict.stream("Hello!", null, { signal: controller.signal })) controller.abort();
    expect(replies.at(-1)!.finish).toBe("aborted");
    expect(replies.at(-1)!.stats.newTokens).toBeLessThanOrEqual(2);
  });
});
