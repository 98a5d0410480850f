import type { ChatMessage } from "@dais/core";
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { type ChatPredict, chatPredict, type PredictOptions } from "./chatPredict.ts";
import type { GenerationOptions } from "./GenerationOptions.ts";
import { keepNewest } from "./keepNewest.ts";
import type { ModelOptions } from "./loadModel.ts";

export interface ChatModelOptions extends ModelOptions, GenerationOptions, PredictOptions {
  /**
   * The system prompt, sent first in every conversation whose history has no system message of
   * its own. Default: none (the template's own, if it has one).
   */
  system?: string;
  /** A Jinja chat template, for a model whose tokenizer_config.json has none (or to replace it). */
  chatTemplate?: string;
}

/** Role/content messages out: the conversation for the chatbot, and the same as the new history. */
export type ChatModelResult = [chat: ChatMessage[], history: ChatMessage[]];

/** An instruct model over role/content messages. */
export type ChatModelPredict = ChatPredict<readonly ChatMessage[], ChatModelResult>;

export const CHAT_MODEL_DEFAULT = "onnx-community/Qwen2.5-0.5B-Instruct";

export const noChatTemplate = (model: string) =>
  `Model "${model}" has no chat template (its tokenizer_config.json has no chat_template), so chatModel() cannot turn messages into its prompt. ` +
  `Use an instruct model such as ${CHAT_MODEL_DEFAULT} or HuggingFaceTB/SmolLM2-1.7B-Instruct, or pass chatTemplate.`;

/** A model chatModel() cannot format a conversation for: it has no chat template. */
export class NoChatTemplateError extends Error {
  override readonly name = "NoChatTemplateError";
  constructor(readonly model: string) {
    super(noChatTemplate(model));
  }
}

/**
 * Loads an instruct model (default `onnx-community/Qwen2.5-0.5B-Instruct`; SmolLM2-Instruct and
 * other models with a chat template by id) and resolves to a predict function over role/content
 * messages. The conversation goes through the tokenizer's chat template with the system prompt
 * first; the oldest messages are dropped when it outgrows the model's window.
 * @example
 * const predict = await chatModel({ system: "You are a terse assistant.", dtype: "q4" });
 * new ChatInterface({ fn: predict.chat }).launch();
 */
export function chatModel(options: ChatModelOptions = {}): Promise<ChatModelPredict> {
  const name = options.model ?? CHAT_MODEL_DEFAULT;
  return chatPredict("causal", { ...options, model: name, example: CHAT_MODEL_DEFAULT }, { maxNewTokens: 256 }, ["system", "chatTemplate"], (engine) => {
    const { tokenizer, window } = engine;
    if (!options.chatTemplate && !(tokenizer as unknown as { chat_template: unknown }).chat_template) throw new NoChatTemplateError(name);
    const defaultSystem: ChatMessage[] = options.system ? [{ role: "system", content: options.system }] : [];
    return {
      prompt(message, history, maxNewTokens) {
        // A system message in the history (ChatInterface's `system`) wins over the model's default.
        const given = history.filter((m) => m.role === "system");
        const system = given.length > 0 ? given : defaultSystem;
        const turns = [...history.filter((m) => m.role !== "system"), { role: "user" as const, content: message }];
        return chatPrompt(tokenizer, system, turns, window - maxNewTokens, options.chatTemplate).ids;
      },
      result(message, history, reply) {
        const next: ChatMessage[] = [...history, { role: "user", content: message }, { role: "assistant", content: reply.text }];
        return [next, next];
      },
      fromMessages: (messages) => messages,
      empty: () => [],
    };
  });
}

/**
 * The prompt's token ids: system messages, then the newest turns that fit `budget` tokens,
 * through the chat template with the assistant's turn opened.
 * @example chatPrompt(tokenizer, [{ role: "system", content: "Be brief." }], [{ role: "user", content: "Hi" }], 400).ids
 */
export function chatPrompt(
  tokenizer: PreTrainedTokenizer,
  system: readonly ChatMessage[],
  turns: readonly ChatMessage[],
  budget: number,
  chatTemplate?: string,
): { ids: number[]; text: string; kept: number } {
  // Templates that insist on user/assistant alternation (Gemma, Llama 2, older Mistral) refuse a
  // conversation whose first kept turn is the assistant's: cutting keeps whole exchanges, so the
  // kept turns start where a user turn does.
  const starts = turns.flatMap((m, i) => (m.role === "user" && (i === 0 || turns[i - 1]!.role !== "user") ? [turns.length - i] : []));
  const sizes = starts.length > 0 ? starts.reverse() : [turns.length];
  const render = (k: number) => {
    const n = sizes[k - 1]!;
    const text = tokenizer.apply_chat_template([...system, ...turns.slice(-n)], {
      tokenize: false,
      add_generation_prompt: true,
      ...(chatTemplate ? { chat_template: chatTemplate } : {}),
    }) as string;
    // The template writes the special tokens as text; adding them again would double them.
    return { text, ids: tokenizer.encode(text, { add_special_tokens: false }) };
  };
  const k = keepNewest(sizes.length, (n) => render(n).ids.length, budget);
  const { ids, text } = render(k);
  return { ids: ids.length <= budget ? ids : ids.slice(-budget), text, kept: sizes[k - 1]! };
}
