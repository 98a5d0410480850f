import type { ChatMessage, ChatPair } from "@dais/core";
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { contextWindow, stopTokenIds } from "./contextWindow.ts";
import type { GenerateContext } from "./GenerateContext.ts";
import { type PartialReply, type Reply, startGeneration } from "./Generation.ts";
import { type GenerationOptions, pickGeneration } from "./GenerationOptions.ts";
import { keepNewest } from "./keepNewest.ts";
import { type LoadedModel, loadModel, type ModelOptions } from "./loadModel.ts";

export interface BlenderbotOptions extends ModelOptions, GenerationOptions {
  onReply?: (reply: Reply) => void;
}

/** The tutorial's outputs: `[user, bot]` pairs, and the history as alternating text turns. */
export type BlenderbotResult = [chat: ChatPair[], history: string[]];

/** BlenderBot over text turns: `history` alternates user and bot texts, user first. */
export interface BlenderbotPredict {
  (message: string, history?: readonly string[] | null, ctx?: GenerateContext): Promise<BlenderbotResult>;
  /** The same turn, streamed: yields `[chat, history]` as the reply grows; the last yield is the result. */
  stream(message: string, history?: readonly string[] | null, ctx?: GenerateContext): AsyncGenerator<BlenderbotResult>;
  /** For ChatInterface: role/content history in, the whole reply so far out, as it grows. */
  chat(message: string, history: readonly ChatMessage[], ctx?: GenerateContext): AsyncGenerator<string>;
  readonly loaded: LoadedModel;
  dispose(): Promise<void>;
}

export const BLENDERBOT_DEFAULT = "Xenova/blenderbot-400M-distill";

/**
 * Loads BlenderBot (default `Xenova/blenderbot-400M-distill`; `Xenova/blenderbot_small-90M`
 * works too) and resolves to a predict function over text turns. The oldest turns are dropped so
 * the encoder's input fits the model's window (128 positions for blenderbot-400M-distill).
 * @example
 * const predict = await blenderbot();
 * new Interface({ fn: predict, inputs: ["text", "state"], outputs: ["chatbot", "state"] }).launch();
 */
export async function blenderbot(options: BlenderbotOptions = {}): Promise<BlenderbotPredict> {
  const loaded = await loadModel("seq2seq", { ...options, model: options.model ?? BLENDERBOT_DEFAULT, example: BLENDERBOT_DEFAULT });
  const { model, tokenizer } = loaded;
  const window = contextWindow(model, tokenizer);
  // The decoder has the same position table: its start token and the reply share the window.
  const generation: GenerationOptions = { maxNewTokens: Math.min(60, window - 1), ...pickGeneration(options) };
  if (generation.maxNewTokens! >= window) throw new RangeError(`maxNewTokens (${generation.maxNewTokens}) must be below the model's window of ${window} tokens.`);
  const stopIds = stopTokenIds(model, tokenizer);

  const start = (turns: readonly Turn[], ctx?: GenerateContext) => {
    const { ids } = blenderbotPrompt(tokenizer, turns, window);
    return startGeneration({ model, tokenizer, promptIds: ids, stopIds, options: generation, ...(ctx?.signal ? { signal: ctx.signal } : {}) });
  };
  const toTurns = (message: string, history: readonly string[]): Turn[] => {
    const all = [...history, message];
    // The newest text is the user's; roles alternate backwards from it.
    return all.map((content, i) => ({ user: (all.length - 1 - i) % 2 === 0, content }));
  };
  const result = (message: string, history: readonly string[], reply: PartialReply): BlenderbotResult => {
    const next = [...history, message, reply.text];
    const pairs: ChatPair[] = [];
    for (let i = 0; i < next.length; i += 2) pairs.push([next[i]!, next[i + 1] ?? null]);
    return [pairs, next];
  };

  const predict = async (message: string, history?: readonly string[] | null, ctx?: GenerateContext) => {
    const past = history ?? [];
    const reply = await start(toTurns(message, past), ctx).result;
    options.onReply?.(reply);
    return result(message, past, reply);
  };
  async function* stream(message: string, history?: readonly string[] | null, ctx?: GenerateContext) {
    const past = history ?? [];
    const run = start(toTurns(message, past), ctx);
    for await (const partial of run) yield result(message, past, partial);
    const reply = await run.result;
    options.onReply?.(reply);
    yield result(message, past, reply);
  }
  async function* chat(message: string, history: readonly ChatMessage[], ctx?: GenerateContext) {
    const turns: Turn[] = history.filter((m) => m.role !== "system").map((m) => ({ user: m.role === "user", content: m.content }));
    const run = start([...turns, { user: true, content: message }], ctx);
    for await (const partial of run) yield partial.text;
    const reply = await run.result;
    options.onReply?.(reply);
  }
  return Object.assign(predict, { stream, chat, loaded, dispose: async () => void (await model.dispose()) });
}

export interface Turn {
  user: boolean;
  content: string;
}

/**
 * The encoder's input as BlenderBot's tokenizer renders a conversation: user turns get a leading
 * space, turns are joined by two spaces, and `</s>` ends it. Keeps the newest turns that fit
 * `window` tokens (the newest alone is cut to its last tokens, as transformers truncates).
 * @example blenderbotPrompt(tokenizer, [{ user: true, content: "Hello!" }], 128).ids
 */
export function blenderbotPrompt(tokenizer: PreTrainedTokenizer, turns: readonly Turn[], window: number): { ids: number[]; kept: number } {
  const eos = (tokenizer as unknown as { eos_token_id: number }).eos_token_id;
  const render = (n: number) => {
    const text = turns
      .slice(-n)
      .map((t) => (t.user ? ` ${t.content}` : t.content))
      .join("  ");
    return [...tokenizer.encode(text, { add_special_tokens: false }), eos];
  };
  const kept = keepNewest(turns.length, (n) => render(n).length, window);
  const ids = render(kept);
  return { ids: ids.length <= window ? ids : [...ids.slice(-window, -1), eos], kept };
}
