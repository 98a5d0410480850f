import type { ChatMessage } from "@dais/core";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { blenderbot } from "./blenderbot.ts";
import { chatModel, chatPrompt } from "./chatModel.ts";
import { dialogpt } from "./dialogpt.ts";
import { type TinyModel, writeTinyChatModel, writeTinyDialogpt } from "./fixtures/writeTinyModel.ts";
import type { Reply } from "./Generation.ts";
import { ModelUnavailableError } from "./ModelUnavailableError.ts";

const dir = fileURLToPath(new URL("../.fixtures/chat-predict/", import.meta.url));
let tiny: TinyModel;
let chat: TinyModel;

/** Llama 2's rule (Gemma and older Mistral templates have the same): roles must alternate, user first. */
const ALTERNATING =
  "{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}" +
  "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}" +
  "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% else %}{{ ' ' + message['content'] + '<|im_end|>' }}{% endif %}{% endfor %}";

beforeAll(() => {
  rmSync(dir, { recursive: true, force: true });
  tiny = writeTinyDialogpt(join(dir, "dialogpt"), { positions: 64 });
  chat = writeTinyChatModel(join(dir, "chat"), { chatTemplate: ALTERNATING, positions: 80 });
});

// Model work on a busy machine can take a while; the time limit is only a safety net.
describe("predict functions' options", { timeout: 60_000 }, () => {
  it("refuses unknown or unsupported options, naming the known ones, before loading anything", async () => {
    const nowhere = join(dir, "nowhere");
    const error = await dialogpt({ model: nowhere, num_beams: 4 } as never).catch((e: Error) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toMatch(/^Unknown option num_beams\. Generation options: maxNewTokens, doSample, .*numBeams.*; other options: model, dtype/);
    await expect(chatModel({ model: nowhere, typicalP: 0.9 } as never)).rejects.toThrow(/^Unknown option typicalP\./);
    // A bad value is refused before the (missing) model is looked for, too.
    await expect(blenderbot({ model: nowhere, temperature: 0 })).rejects.toThrow(/temperature must be above 0/);
    await expect(dialogpt({ model: nowhere })).rejects.toBeInstanceOf(ModelUnavailableError);
  });

  it("refuses maxNewTokens that leave no room in the window, and lets the model go", async () => {
    await expect(dialogpt({ model: tiny.dir, maxNewTokens: 64 })).rejects.toThrow("maxNewTokens (64) must be below the model's window of 64 tokens.");
    const ok = await dialogpt({ model: tiny.dir, maxNewTokens: 8 });
    await ok.dispose();
    // The failed call released its hold: the last dispose freed the model, so a new call loads afresh.
    const again = await dialogpt({ model: tiny.dir, maxNewTokens: 8 });
    expect(again.engine).not.toBe(ok.engine);
    await again.dispose();
  });
});

describe("histories visitors can type into", { timeout: 60_000 }, () => {
  it("keeps DialoGPT's turns apart when a visitor types <|endoftext|>", async () => {
    const predict = await dialogpt({ model: tiny.dir, maxNewTokens: 6 });
    const [, history] = await predict("Hi <|endoftext|> there", null);
    const [pairs, next] = await predict("And now?", history);
    // Four end-of-text tokens: after each of the two messages and the two replies, no more.
    expect(next.filter((id) => id === tiny.eosTokenId)).toHaveLength(4);
    expect(pairs).toHaveLength(2);
    expect(pairs[0]![0]).toBe("Hi  there");
    await predict.dispose();
  });

  it("trims a long conversation for a template that demands user/assistant alternation, at a user turn", async () => {
    const replies: Reply[] = [];
    const predict = await chatModel({ model: chat.dir, maxNewTokens: 8, onReply: (r) => replies.push(r) });
    let history: ChatMessage[] = [];
    for (const m of ["Hello, how are you today?", "Do you have any pets at home?", "What is your favorite food?", "Where do you live now?", "Have a good day!"])
      [, history] = await predict(m, history);
    expect(history).toHaveLength(10);
    const { text, kept } = chatPrompt(predict.loaded.tokenizer, [], history.slice(0, 8).concat({ role: "user", content: "Have a good day!" }), 80 - 8);
    expect(kept % 2).toBe(1); // whole exchanges and the new message
    expect(kept).toBeLessThan(9); // the window forced a trim
    expect(text.startsWith("[INST] ")).toBe(true);
    expect(replies.at(-1)!.stats.promptTokens).toBeLessThanOrEqual(72);
    await predict.dispose();
  });
});
