import type { ChatMessage } from "@dais/core";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { type ChatModelPredict, chatModel, chatPrompt, NoChatTemplateError, noChatTemplate } from "./chatModel.ts";
import { greedyDecoder } from "./fixtures/onnxGreedy.ts";
import { CHATML_TEMPLATE, type TinyModel, writeTinyChatModel } from "./fixtures/writeTinyModel.ts";
import type { Reply } from "./Generation.ts";

const root = fileURLToPath(new URL("../.fixtures/chat-model/", import.meta.url));
let tiny: TinyModel;
let bare: TinyModel;
let predict: ChatModelPredict;
let session: ort.InferenceSession;
const replies: Reply[] = [];

beforeAll(async () => {
  rmSync(root, { recursive: true, force: true });
  // eosBias 4 makes this random model end some of its turns with <|im_end|> (the one after
  // "Hi. How are you?" below) and run others to the token budget.
  tiny = writeTinyChatModel(join(root, "tiny"), { eosBias: 4 });
  bare = writeTinyChatModel(join(root, "no-template"), { chatTemplate: null, positions: 96 });
  predict = await chatModel({ model: tiny.dir, system: "Be brief.", maxNewTokens: 30, onReply: (r) => replies.push(r) });
  session = await ort.InferenceSession.create(join(tiny.dir, "onnx/model.onnx"));
}, 60_000);

const encode = (text: string) => predict.loaded.tokenizer.encode(text, { add_special_tokens: false });
const decode = (ids: number[]) => predict.loaded.tokenizer.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false });
const endOfText = () => predict.loaded.tokenizer.encode("<|endoftext|>", { add_special_tokens: false })[0]!;
async function reference(prompt: string): Promise<number[]> {
  const ids = await greedyDecoder(session, encode(prompt), { layers: 2, heads: 2, headDim: 16, steps: 30, cache: false, stopIds: [tiny.eosTokenId, endOfText()] });
  return [tiny.eosTokenId, endOfText()].includes(ids.at(-1)!) ? ids.slice(0, -1) : ids;
}

describe("chatModel", () => {
  it("formats the conversation with the chat template and the system prompt, and answers as full recomputation does", async () => {
    const [chat, history] = await predict("What do you like?", null);
    const prompt = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat do you like?<|im_end|>\n<|im_start|>assistant\n";
    const expected = await reference(prompt);
    expect(replies.at(-1)).toMatchObject({ ids: expected, finish: "length", stats: { promptTokens: encode(prompt).length } });
    expect(expected).toHaveLength(30);
    expect(chat).toEqual([
      { role: "user", content: "What do you like?" },
      { role: "assistant", content: decode(expected) },
    ]);
    expect(history).toEqual(chat);
  });

  it("takes role/content history in and gives it back with the new turn", async () => {
    const history: ChatMessage[] = [
      { role: "user", content: "Hello!" },
      { role: "assistant", content: "Hi. How are you?" },
    ];
    const [chat] = await predict("I like pizza.", history);
    const prompt =
      "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\nHi. How are you?<|im_end|>\n" +
      "<|im_start|>user\nI like pizza.<|im_end|>\n<|im_start|>assistant\n";
    const expected = await reference(prompt);
    expect(replies.at(-1)).toMatchObject({ ids: expected, finish: "stop" }); // <|im_end|> ended it, and is not in the text
    expect(expected.length).toBeGreaterThan(3);
    expect(chat).toEqual([...history, { role: "user", content: "I like pizza." }, { role: "assistant", content: decode(expected) }]);
  });

  it("uses a system message from the history (ChatInterface's system) instead of its own", async () => {
    const history: ChatMessage[] = [{ role: "system", content: "You are a pirate." }];
    await predict("What do you like?", history);
    const prompt = "<|im_start|>system\nYou are a pirate.<|im_end|>\n<|im_start|>user\nWhat do you like?<|im_end|>\n<|im_start|>assistant\n";
    expect(replies.at(-1)!.stats.promptTokens).toBe(encode(prompt).length);
    expect(replies.at(-1)!.ids).toEqual(await reference(prompt));
  });

  it("streams the growing reply, as Interface's stream and as ChatInterface's fn", async () => {
    const texts: string[] = [];
    for await (const [chat] of predict.stream("What do you like?", null)) texts.push(chat.at(-1)!.content);
    const chatTexts: string[] = [];
    for await (const text of predict.chat("What do you like?", [])) chatTexts.push(text);
    const [chat] = await predict("What do you like?", null);
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.every((t, i) => i === 0 || t.startsWith(texts[i - 1]!))).toBe(true);
    expect(texts.at(-1)).toBe(chat.at(-1)!.content);
    expect(chatTexts.at(-1)).toBe(chat.at(-1)!.content);
  });

  it("says clearly when a model has no chat template, and takes one as an option", async () => {
    await expect(chatModel({ model: bare.dir })).rejects.toThrow(new NoChatTemplateError(bare.dir));
    expect(noChatTemplate(bare.dir)).toContain("has no chat template");
    const withTemplate = await chatModel({ model: bare.dir, chatTemplate: CHATML_TEMPLATE, maxNewTokens: 4 });
    const [chat] = await withTemplate("Hello!", null);
    expect(chat).toHaveLength(2);
    await withTemplate.dispose();
  });

  it("drops the oldest messages to fit the window, but never the system prompt", async () => {
    const small = await chatModel({ model: bare.dir, chatTemplate: CHATML_TEMPLATE, system: "Be brief.", maxNewTokens: 8 });
    const turns: ChatMessage[] = Array.from({ length: 8 }, (_, i) => ({ role: i % 2 === 0 ? "user" : "assistant", content: `Message ${i}: where do you live?` }));
    const tokenizer = small.loaded.tokenizer;
    const { text, ids, kept } = chatPrompt(tokenizer, [{ role: "system", content: "Be brief." }], turns, 96 - 8, CHATML_TEMPLATE);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(8);
    expect(ids.length).toBeLessThanOrEqual(88);
    expect(text.startsWith("<|im_start|>system\nBe brief.<|im_end|>\n")).toBe(true);
    expect(text).toContain("Message 7:");
    expect(text).not.toContain("Message 0:");
    await small.dispose();
  });
});
