import type { ChatMessage, ChatPair } from "@dais/core";
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { type ChatPredict, chatPredict, type PredictOptions } from "./chatPredict.ts";
import type { GenerationOptions } from "./GenerationOptions.ts";
import { keepNewest } from "./keepNewest.ts";
import type { ModelOptions } from "./loadModel.ts";

export interface BlenderbotOptions extends ModelOptions, GenerationOptions, PredictOptions {}

/** The tutorial's outputs: `[user, bot]` pairs, and the history as alternating text turns. */
export type BlenderbotResult = [chat: ChatPair[], history: string[]];

/** BlenderBot over text turns: `history` alternates user and bot texts, user first. */
export type BlenderbotPredict = ChatPredict<readonly string[], BlenderbotResult>;

export const BLENDERBOT_DEFAULT = "Xenova/blenderbot-400M-distill";

/**
 * Loads BlenderBot (default `Xenova/blenderbot-400M-distill`; `Xenova/blenderbot_small-90M`
 * works too) and resolves to a predict function over text turns. It generates as the model's
 * generation_config.json says (blenderbot-400M-distill: beam search with 10 beams,
 * length_penalty 0.65, min_length 20, no repeated trigram) unless options say otherwise. The
 * oldest turns are dropped so the encoder's input fits the model's window (128 positions).
 * @example
 * const predict = await blenderbot({ numBeams: 4 });
 * new Interface({ fn: predict, inputs: ["text", "state"], outputs: ["chatbot", "state"] }).launch();
 */
export function blenderbot(options: BlenderbotOptions = {}): Promise<BlenderbotPredict> {
  const model = options.model ?? BLENDERBOT_DEFAULT;
  // The decoder has the same position table: its start token and the reply share the window.
  const defaults = (engine: { window: number }): GenerationOptions => ({ maxNewTokens: Math.min(60, engine.window - 1) });
  return chatPredict("seq2seq", { ...options, model, example: BLENDERBOT_DEFAULT }, defaults, [], (engine) => {
    const { tokenizer, window } = engine;
    return {
      prompt: (message, history) => blenderbotPrompt(tokenizer, toTurns(message, history), window).ids,
      result(message, history, reply) {
        const next = [...history, message, reply.text];
        const pairs: ChatPair[] = [];
        for (let i = 0; i < next.length; i += 2) pairs.push([next[i]!, next[i + 1] ?? null]);
        return [pairs, next];
      },
      fromMessages: (messages: readonly ChatMessage[]) => alternate(messages.filter((m) => m.role !== "system")),
      empty: () => [],
    };
  });
}

/** Text turns from role/content messages, with an empty turn where two of one role follow each other (the format alternates). */
function alternate(messages: readonly ChatMessage[]): string[] {
  const out: string[] = [];
  for (const m of messages) {
    if ((m.role === "user") !== (out.length % 2 === 0)) out.push("");
    out.push(m.content);
  }
  return out;
}

function toTurns(message: string, history: readonly string[]): Turn[] {
  const all = [...history, message];
  // The newest text is the user's; roles alternate backwards from it.
  return all.map((content, i) => ({ user: (all.length - 1 - i) % 2 === 0, content }));
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
