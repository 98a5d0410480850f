import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatModelPredict, chatModel } from "./chatModel.ts";
import { type DialogptPredict, dialogpt } from "./dialogpt.ts";
import { writeTinyBlenderbot, writeTinyChatModel, writeTinyDialogpt } from "./fixtures/writeTinyModel.ts";
import type { Reply } from "./Generation.ts";

const dir = fileURLToPath(new URL("../.fixtures/speculative/", import.meta.url));
let target: string;
let draft: string;
let alone: DialogptPredict;
let assisted: DialogptPredict;
const replies: Reply[] = [];

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  // A 4-layer target and a 1-layer draft sharing embeddings, first layer and head.
  target = writeTinyDialogpt(join(dir, "target"), { layers: 4, headSeed: 9, eosBias: 2 }).dir;
  draft = writeTinyDialogpt(join(dir, "draft"), { layers: 1, headSeed: 9, eosBias: 2 }).dir;
  alone = await dialogpt({ model: target, maxNewTokens: 24 });
  assisted = await dialogpt({ model: target, maxNewTokens: 24, assistantModel: draft, onReply: (r) => replies.push(r) });
}, 60_000);
afterAll(() => Promise.all([alone.dispose(), assisted.dispose()]));

const messages = ["Hello! How are you?", "I like pizza.", "Where do you live?", "Do you have any pets?", "What is your favorite food?"];

// Model work on a busy machine can take a while; the time limit is only a safety net.
describe("speculative decoding", { timeout: 60_000 }, () => {
  it("replies exactly as the target model alone (greedy), through several turns, with drafts partly accepted", async () => {
    let history: number[] = [];
    let plain: number[] = [];
    for (const message of messages) {
      [, history] = await assisted(message, history, { session: "chat" });
      [, plain] = await alone(message, plain);
      expect(history).toEqual(plain);
    }
    const drafted = replies.reduce((n, r) => n + r.stats.draftTokens!, 0);
    const accepted = replies.reduce((n, r) => n + r.stats.acceptedDraftTokens!, 0);
    expect(drafted).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(drafted); // some drafts were wrong, and were corrected
    expect(replies.at(-1)!.stats.cachedTokens).toBeGreaterThan(0); // the prefix cache still works
  });

  it("keeps the generation rules (repetition penalty, n-gram blocking) identical too", async () => {
    const rules = { maxNewTokens: 24, repetitionPenalty: 1.3, noRepeatNgramSize: 2 };
    const a = await dialogpt({ model: target, ...rules });
    const b = await dialogpt({ model: target, ...rules, assistantModel: draft });
    for (const m of messages) expect(await b(m, null)).toEqual(await a(m, null));
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it("accepts every draft token when the draft is the target itself", async () => {
    const own: Reply[] = [];
    const self = await dialogpt({ model: target, maxNewTokens: 24, assistantModel: target, onReply: (r) => own.push(r) });
    expect(await self("Hello!", null)).toEqual(await alone("Hello!", null));
    expect(own[0]!.stats.acceptedDraftTokens).toBe(own[0]!.stats.draftTokens);
    await self.dispose();
  });

  it("refuses a draft model with another tokenizer, and an encoder-decoder target", async () => {
    const other = writeTinyChatModel(join(dir, "chat")).dir;
    await expect(dialogpt({ model: target, assistantModel: other })).rejects.toThrow(`assistantModel "${other}" does not share the tokenizer of "${target}"`);
    const bb = writeTinyBlenderbot(join(dir, "bb")).dir;
    const { blenderbot } = await import("./blenderbot.ts");
    await expect(blenderbot({ model: bb, assistantModel: bb })).rejects.toThrow(/assistantModel works with decoder-only models/);
  });

  it("works for chat template models too", async () => {
    const big = writeTinyChatModel(join(dir, "chat-big"), { layers: 3, eosBias: 4 }).dir;
    const small = writeTinyChatModel(join(dir, "chat-small"), { layers: 1, eosBias: 4 }).dir;
    const plain: ChatModelPredict = await chatModel({ model: big, maxNewTokens: 16 });
    const fast: ChatModelPredict = await chatModel({ model: big, maxNewTokens: 16, assistantModel: small });
    for (const m of messages.slice(0, 3)) expect(await fast(m, null)).toEqual(await plain(m, null));
    await Promise.all([plain.dispose(), fast.dispose()]);
  });
});
