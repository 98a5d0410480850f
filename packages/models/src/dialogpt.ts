import type { ChatPair } from "@dais/core";
import { type ChatPredict, chatPredict, type PredictOptions } from "./chatPredict.ts";
import { decode } from "./Generation.ts";
import type { GenerationOptions } from "./GenerationOptions.ts";
import { keepNewest } from "./keepNewest.ts";
import type { ModelOptions } from "./loadModel.ts";

export interface DialogptOptions extends ModelOptions, GenerationOptions, PredictOptions {}

/** The tutorial's outputs: the conversation as `[user, bot]` pairs, and the token history. */
export type DialogptResult = [chat: ChatPair[], history: number[]];

/**
 * DialoGPT as Gradio's tutorial runs it: `predict(message, history)` where `history` is the
 * token ids of every turn so far, each followed by the end-of-text token.
 */
export type DialogptPredict = ChatPredict<readonly number[], DialogptResult>;

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
export function dialogpt(options: DialogptOptions = {}): Promise<DialogptPredict> {
  const model = options.model ?? DIALOGPT_DEFAULT;
  return chatPredict("causal", { ...options, model, example: DIALOGPT_DEFAULT }, { maxNewTokens: 100 }, [], (engine) => {
    const { tokenizer } = engine;
    const eos = (tokenizer as unknown as { eos_token_id: number }).eos_token_id;
    // A visitor who types "<|endoftext|>" gets no end-of-text token from it: that token alone
    // separates turns in the history, so a typed one would split the message into two turns.
    const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).filter((id) => id !== eos);
    return {
      prompt(message, history, maxNewTokens) {
        const turns = [...splitTurns(history, eos), [...encode(message), eos]];
        const budget = engine.window - maxNewTokens;
        const kept = keepNewest(turns.length, (n) => turns.slice(-n).reduce((sum, t) => sum + t.length, 0), budget);
        return turns.slice(-kept).flat().slice(-budget);
      },
      result(message, history, reply, done) {
        const before = toPairs(history, eos, (ids) => decode(tokenizer, ids));
        return [
          [...before, [message, reply.text]],
          [...history, ...encode(message), eos, ...reply.ids, ...(done ? [eos] : [])],
        ];
      },
      // DialoGPT knows no roles: user and bot turns simply alternate, each closed by end-of-text.
      fromMessages: (messages) => messages.filter((m) => m.role !== "system").flatMap((m) => [...encode(m.content), eos]),
      empty: () => [],
    };
  });
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
