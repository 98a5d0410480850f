import type { ChatMessage, ChatPair } from "@dais/core";
import { contextWindow, stopTokenIds } from "./contextWindow.ts";
import type { GenerateContext } from "./GenerateContext.ts";
import { decode, type PartialReply, type Reply, startGeneration } from "./Generation.ts";
import { type GenerationOptions, pickGeneration } from "./GenerationOptions.ts";
import { keepNewest } from "./keepNewest.ts";
import { type LoadedModel, loadModel, type ModelOptions } from "./loadModel.ts";

export interface DialogptOptions extends ModelOptions, GenerationOptions {
  /** Called with each finished reply, its token ids and timings. */
  onReply?: (reply: Reply) => void;
}

/** The tutorial's outputs: the conversation as `[user, bot]` pairs, and the token history. */
export type DialogptResult = [chat: ChatPair[], history: number[]];

/**
 * DialoGPT as Gradio's tutorial runs it: `predict(message, history)` where `history` is the
 * token ids of every turn so far, each followed by the end-of-text token.
 */
export interface DialogptPredict {
  (message: string, history?: readonly number[] | null, ctx?: GenerateContext): Promise<DialogptResult>;
  /** The same turn, streamed: yields `[chat, history]` as the reply grows; the last yield is the result. */
  stream(message: string, history?: readonly number[] | null, ctx?: GenerateContext): AsyncGenerator<DialogptResult>;
  /** For ChatInterface: role/content history in, the whole reply so far out, as it grows. */
  chat(message: string, history: readonly ChatMessage[], ctx?: GenerateContext): AsyncGenerator<string>;
  readonly loaded: LoadedModel;
  /** Frees the model's onnxruntime sessions. */
  dispose(): Promise<void>;
}

export const DIALOGPT_DEFAULT = "Xenova/DialoGPT-small";

/**
 * Loads DialoGPT (default `Xenova/DialoGPT-small`; `Xenova/DialoGPT-medium` and `-large` by id)
 * and resolves to the tutorial's predict function. The history grows by the message's tokens, the
 * end-of-text token, the reply's tokens and the end-of-text token again; the model sees the newest
 * turns that fit its window. Stopping (ctx.signal) keeps the reply so far.
 * @example
 * const predict = await dialogpt({ model: "Xenova/DialoGPT-small", maxNewTokens: 60 });
 * new Interface({ fn: predict, inputs: ["text", "state"], outputs: ["chatbot", "state"] }).launch();
 */
export async function dialogpt(options: DialogptOptions = {}): Promise<DialogptPredict> {
  const loaded = await loadModel("causal", { ...options, model: options.model ?? DIALOGPT_DEFAULT, example: DIALOGPT_DEFAULT });
  const { model, tokenizer } = loaded;
  const generation: GenerationOptions = { maxNewTokens: 100, ...pickGeneration(options) };
  const window = contextWindow(model, tokenizer);
  if (generation.maxNewTokens! >= window) throw new RangeError(`maxNewTokens (${generation.maxNewTokens}) must be below the model's window of ${window} tokens.`);
  const stopIds = stopTokenIds(model, tokenizer);
  const eos = (tokenizer as unknown as { eos_token_id: number }).eos_token_id;
  const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false });

  const start = (message: string, history: readonly number[] | null | undefined, ctx?: GenerateContext) => {
    const past = [...(history ?? [])];
    const userIds = [...encode(message), eos];
    const turns = [...splitTurns(past, eos), userIds];
    const budget = window - generation.maxNewTokens!;
    const kept = keepNewest(turns.length, (n) => turns.slice(-n).reduce((sum, t) => sum + t.length, 0), budget);
    const promptIds = turns.slice(-kept).flat().slice(-budget);
    const run = startGeneration({ model, tokenizer, promptIds, stopIds, options: generation, ...(ctx?.signal ? { signal: ctx.signal } : {}) });
    const before = toPairs(past, eos, (ids) => decode(tokenizer, ids));
    const result = (reply: PartialReply, done: boolean): DialogptResult => [
      [...before, [message, reply.text]],
      [...past, ...userIds, ...reply.ids, ...(done ? [eos] : [])],
    ];
    return { run, result };
  };

  const predict = async (message: string, history?: readonly number[] | null, ctx?: GenerateContext) => {
    const { run, result } = start(message, history, ctx);
    const reply = await run.result;
    options.onReply?.(reply);
    return result(reply, true);
  };
  async function* stream(message: string, history?: readonly number[] | null, ctx?: GenerateContext) {
    const { run, result } = start(message, history, ctx);
    for await (const partial of run) yield result(partial, false);
    const reply = await run.result;
    options.onReply?.(reply);
    yield result(reply, true);
  }
  async function* chat(message: string, history: readonly ChatMessage[], ctx?: GenerateContext) {
    // DialoGPT knows no roles: user and bot turns simply alternate, each closed by end-of-text.
    const ids = history.filter((m) => m.role !== "system").flatMap((m) => [...encode(m.content), eos]);
    let last = "";
    for await (const [pairs] of stream(message, ids, ctx)) {
      const text = pairs.at(-1)![1] ?? "";
      if (text !== last) yield (last = text);
    }
  }
  return Object.assign(predict, { stream, chat, loaded, dispose: async () => void (await model.dispose()) });
}

/** The history's turns, each with its closing end-of-text token. */
export function splitTurns(history: readonly number[], eos: number): number[][] {
  const turns: number[][] = [];
  let current: number[] = [];
  for (const id of history) {
    current.push(id);
    if (id === eos) {
      turns.push(current);
      current = [];
    }
  }
  if (current.length > 0) turns.push(current);
  return turns;
}

/** The tutorial's `[(user, bot), ...]` from the token history, as it splits the decoded text on end-of-text. */
export function toPairs(history: readonly number[], eos: number, decodeTurn: (ids: number[]) => string): ChatPair[] {
  const texts = splitTurns(history, eos).map((t) => decodeTurn(t.filter((id) => id !== eos)));
  const pairs: ChatPair[] = [];
  for (let i = 0; i < texts.length; i += 2) pairs.push([texts[i]!, texts[i + 1] ?? null]);
  return pairs;
}
