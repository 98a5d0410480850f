import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatModelPredict, chatModel } from "./chatModel.ts";
import { type DialogptPredict, dialogpt } from "./dialogpt.ts";
import { writeTinyChatModel, writeTinyDialogpt } from "./fixtures/writeTinyModel.ts";
import type { Reply } from "./Generation.ts";

const dir = fileURLToPath(new URL("../.fixtures/decode-batch/", import.meta.url));
let predict: DialogptPredict;
let alone: DialogptPredict;
const replies: Reply[] = [];

const messages = ["Hello!", "How are you today? I am fine, thank you.", "Do you have any pets?", "I live in a small town near the sea.", "Pizza", "What do you like to do?", "Have a good day!", "Yes, I have a dog and a cat. That is great."];

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  // eosBias 2: some replies end early (rows leave the batch), others run to the budget.
  const tiny = writeTinyDialogpt(join(dir, "dialogpt"), { eosBias: 2 });
  predict = await dialogpt({ model: tiny.dir, maxNewTokens: 20, onReply: (r) => replies.push(r) });
  // The same model, decoding every reply on its own.
  alone = await dialogpt({ model: tiny.dir, maxNewTokens: 20, prefixCache: false, batching: false });
}, 60_000);
afterAll(() => Promise.all([predict.dispose(), alone.dispose()]));

// Model work on a busy machine can take a while; the time limit is only a safety net.
describe("continuous batching", { timeout: 60_000 }, () => {
  it("decodes concurrent conversations together, each reply what it is alone (greedy), rows of different lengths joining and leaving", async () => {
    const expected = [];
    for (const m of messages) expected.push(await alone(m, null));
    const before = predict.engine.batch.maxRows;
    const together = await Promise.all(messages.map((m, i) => predict(m, null, { session: `tab-${i}` })));
    expect(together).toEqual(expected);
    expect(predict.engine.batch.maxRows).toBeGreaterThan(Math.max(before, 1));
    const lengths = new Set(replies.slice(-8).map((r) => r.ids.length));
    expect(lengths.size).toBeGreaterThan(1); // rows left at different steps
  });

  it("keeps second turns right too: concurrent chats each extend their own cached turn", async () => {
    const firsts = await Promise.all(messages.slice(0, 4).map((m, i) => predict(m, null, { session: `s${i}` })));
    const seconds = await Promise.all(firsts.map(([, h], i) => predict("I like pizza.", h, { session: `s${i}` })));
    expect(replies.slice(-4).every((r) => r.stats.cachedTokens > 0)).toBe(true);
    for (const [i, [, h]] of firsts.entries()) expect(seconds[i]).toEqual(await alone("I like pizza.", h));
  });

  it("answers a batch of conversations in one call (Interface's batch: true), each as alone", async () => {
    const turns = messages.slice(0, 5).map((m) => [m, null] as const);
    const results = await predict.batch(turns);
    for (const [i, [m]] of turns.entries()) expect(results[i]).toEqual(await alone(m, null));
    // Interface's batch: true form: a list per input, a list per output.
    const [chats, histories] = await predict.batch(
      turns.map(([m]) => m),
      turns.map(() => null),
    );
    expect(chats).toEqual(results.map((r) => r[0]));
    expect(histories).toEqual(results.map((r) => r[1]));
  });

  it("stops one conversation without disturbing the others in the batch", async () => {
    const controller = new AbortController();
    const stopped = (async () => {
      let n = 0;
      for await (const _ of predict.stream("Hello!", null, { signal: controller.signal })) if (++n === 2) controller.abort();
    })();
    const others = Promise.all(messages.slice(1, 4).map((m) => predict(m, null)));
    await stopped;
    expect(await others).toEqual(await Promise.all(messages.slice(1, 4).map((m) => alone(m, null))));
  });
});

describe("batched chat template models", { timeout: 60_000 }, () => {
  let chat: ChatModelPredict;
  beforeAll(async () => {
    const tiny = writeTinyChatModel(join(dir, "chat"), { eosBias: 4 });
    chat = await chatModel({ model: tiny.dir, maxNewTokens: 12 });
  });
  afterAll(() => chat.dispose());

  it("gives each of several concurrent ChatInterface conversations the reply it gets alone", async () => {
    const run = async (m: string) => {
      let last = "";
      for await (const t of chat.chat(m, [])) last = t;
      return last;
    };
    const expected = [];
    for (const m of messages.slice(0, 4)) expected.push(await run(m));
    expect(await Promise.all(messages.slice(0, 4).map(run))).toEqual(expected);
  });
});
