import type { ChatMessage } from "@dais/core";
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { contextWindow, stopTokenIds } from "./contextWindow.ts";
import type { GenerateContext } from "./GenerateContext.ts";
import { type PartialReply, type Reply, startGeneration } from "./Generation.ts";
import { type GenerationOptions, pickGeneration } from "./GenerationOptions.ts";
import { keepNewest } from "./keepNewest.ts";
import { type LoadedModel, loadModel, type ModelOptions } from "./loadModel.ts";

export interface ChatModelOptions extends ModelOptions, GenerationOptions {
  /**
   * The system prompt, sent first in every conversation whose history has no system message of
   * its own. Default: none (the template's own, if it has one).
   */
  system?: string;
  /** A Jinja chat template, for a model whose tokenizer_config.json has none (or to replace it). */
  chatTemplate?: string;
  onReply?: (reply: Reply) => void;
}

/** Role/content messages out: the conversation for the chatbot, and the same as the new history. */
export type ChatModelResult = [chat: ChatMessage[], history: ChatMessage[]];

/** An instruct model over role/content messages. */
export interface ChatModelPredict {
  (message: string, history?: readonly ChatMessage[] | null, ctx?: GenerateContext): Promise<ChatModelResult>;
  /** The same turn, streamed: yields `[chat, history]` as the reply grows; the last yield is the result. */
  stream(message: string, history?: readonly ChatMessage[] | null, ctx?: GenerateContext): AsyncGenerator<ChatModelResult>;
  /** For ChatInterface: the whole reply so far, as it grows. */
  chat(message: string, history: readonly ChatMessage[], ctx?: GenerateContext): AsyncGenerator<string>;
  readonly loaded: LoadedModel;
  dispose(): Promise<void>;
}

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
export async function chatModel(options: ChatModelOptions = {}): Promise<ChatModelPredict> {
  const name = options.model ?? CHAT_MODEL_DEFAULT;
  const loaded = await loadModel("causal", { ...options, model: name, example: CHAT_MODEL_DEFAULT });
  const { model, tokenizer } = loaded;
  if (!options.chatTemplate && !(tokenizer as unknown as { chat_template: unknown }).chat_template) {
    await model.dispose();
    throw new NoChatTemplateError(name);
  }
  const generation: GenerationOptions = { maxNewTokens: 256, ...pickGeneration(options) };
  const window = contextWindow(model, tokenizer);
  if (generation.maxNewTokens! >= window) throw new RangeError(`maxNewTokens (${generation.maxNewTokens}) must be below the model's window of ${window} tokens.`);
  const stopIds = stopTokenIds(model, tokenizer);
  const defaultSystem: ChatMessage[] = options.system ? [{ role: "system", content: options.system }] : [];

  const start = (message: string, history: readonly ChatMessage[], ctx?: GenerateContext) => {
    // A system message in the history (ChatInterface's `system`) wins over the model's default.
    const given = history.filter((m) => m.role === "system");
    const system = given.length > 0 ? given : defaultSystem;
    const turns = [...history.filter((m) => m.role !== "system"), { role: "user" as const, content: message }];
    const { ids } = chatPrompt(tokenizer, system, turns, window - generation.maxNewTokens!, options.chatTemplate);
    return startGeneration({ model, tokenizer, promptIds: ids, stopIds, options: generation, ...(ctx?.signal ? { signal: ctx.signal } : {}) });
  };
  const result = (message: string, history: readonly ChatMessage[], reply: PartialReply): ChatModelResult => {
    const next: ChatMessage[] = [...history, { role: "user", content: message }, { role: "assistant", content: reply.text }];
    return [next, next];
  };

  const predict = async (message: string, history?: readonly ChatMessage[] | null, ctx?: GenerateContext) => {
    const past = history ?? [];
    const reply = await start(message, past, ctx).result;
    options.onReply?.(reply);
    return result(message, past, reply);
  };
  async function* stream(message: string, history?: readonly ChatMessage[] | null, ctx?: GenerateContext) {
    const past = history ?? [];
    const run = start(message, past, ctx);
    for await (const partial of run) yield result(message, past, partial);
    const reply = await run.result;
    options.onReply?.(reply);
    yield result(message, past, reply);
  }
  async function* chat(message: string, history: readonly ChatMessage[], ctx?: GenerateContext) {
    const run = start(message, history, ctx);
    for await (const partial of run) yield partial.text;
    options.onReply?.(await run.result);
  }
  return Object.assign(predict, { stream, chat, loaded, dispose: async () => void (await model.dispose()) });
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
  const render = (n: number) => {
    const text = tokenizer.apply_chat_template([...system, ...turns.slice(-n)], {
      tokenize: false,
      add_generation_prompt: true,
      ...(chatTemplate ? { chat_template: chatTemplate } : {}),
    }) as string;
    // The template writes the special tokens as text; adding them again would double them.
    return { text, ids: tokenizer.encode(text, { add_special_tokens: false }) };
  };
  const kept = keepNewest(turns.length, (n) => render(n).ids.length, budget);
  const { ids, text } = render(kept);
  return { ids: ids.length <= budget ? ids : ids.slice(-budget), text, kept };
}
