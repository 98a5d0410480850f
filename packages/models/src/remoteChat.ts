import type { ChatMessage } from "@dais/core";
import type { InferenceClient } from "@huggingface/inference";
import type { Columns } from "./chatPredict.ts";
import type { GenerateContext } from "./GenerateContext.ts";
import type { FinishReason } from "./Generation.ts";
import { checkGenerationOptions } from "./GenerationOptions.ts";
import type { ChatModelResult } from "./chatModel.ts";

/** The generation options a chat completions API takes. */
export interface RemoteGenerationOptions {
  maxNewTokens?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
}

export interface RemoteChatOptions extends RemoteGenerationOptions {
  /** The model's name at the API (`gpt-4o-mini`, `meta-llama/Llama-3.1-8B-Instruct`, ...). */
  model: string;
  /**
   * An OpenAI-compatible API's base URL, up to `/v1` (OpenAI, a vLLM or llama.cpp server, a Dais
   * app's own `/v1`). With `provider`, the endpoint for the Hugging Face client instead.
   * Default https://api.openai.com/v1 (without `provider`).
   */
  baseUrl?: string;
  /** Sent as a bearer token. Default $OPENAI_API_KEY (with `provider`: $HF_TOKEN). */
  apiKey?: string;
  /** A Hugging Face inference provider (`hf-inference`, `together`, `auto`, ...), reached through `@huggingface/inference`. */
  provider?: string;
  /** The system prompt, first in every conversation whose history has none. */
  system?: string;
  /** Called with each finished reply. */
  onReply?: (reply: RemoteReply) => void;
}

export interface RemoteReply {
  text: string;
  finish: FinishReason;
  stats: { firstTokenMs: number; totalMs: number; promptTokens?: number; newTokens?: number };
}

/** A remote model over role/content messages: the same forms as chatModel()'s predict function. */
export interface RemoteChatPredict {
  (message: string, history?: readonly ChatMessage[] | null, ctx?: GenerateContext): Promise<ChatModelResult>;
  stream(message: string, history?: readonly ChatMessage[] | null, ctx?: GenerateContext): AsyncGenerator<ChatModelResult>;
  chat(message: string, history: readonly ChatMessage[], ctx?: GenerateContext): AsyncGenerator<string>;
  batch(turns: readonly (readonly [message: string, history?: readonly ChatMessage[] | null])[], ctx?: GenerateContext): Promise<ChatModelResult[]>;
  batch(messages: readonly string[], histories: readonly (readonly ChatMessage[] | null | undefined)[], ctx?: GenerateContext): Promise<Columns<ChatModelResult>>;
  dispose(): Promise<void>;
}

/** A failure the remote API reported (its status and message), or the network's. */
export class RemoteChatError extends Error {
  override readonly name = "RemoteChatError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const known = ["model", "baseUrl", "apiKey", "provider", "system", "onReply", "maxNewTokens", "temperature", "topP", "seed"];

/**
 * A chat model served elsewhere: an OpenAI-compatible chat completions API (streamed over
 * server-sent events), or a Hugging Face inference provider. Same forms as chatModel(), with
 * streaming, and Stop (ctx.signal) closing the request.
 * @example
 * const predict = remoteChat({ model: "gpt-4o-mini" }); // $OPENAI_API_KEY
 * const hf = remoteChat({ model: "meta-llama/Llama-3.1-8B-Instruct", provider: "auto" }); // $HF_TOKEN
 * new ChatInterface({ fn: predict.chat }).launch();
 */
export function remoteChat(options: RemoteChatOptions): RemoteChatPredict {
  for (const k of Object.keys(options)) if (!known.includes(k)) throw new RangeError(`Unknown option ${k} for remoteChat. Options: ${known.join(", ")}.`);
  if (typeof options.model !== "string" || !options.model) throw new RangeError("remoteChat needs `model`, the model's name at the API.");
  checkGenerationOptions(options);
  const provider = options.provider;
  const apiKey = options.apiKey ?? (provider ? process.env.HF_TOKEN : process.env.OPENAI_API_KEY);
  const baseUrl = (options.baseUrl ?? "https://api.openai.com/v1").replace(/\/+$/, "");
  // Loaded on first use: importing @dais/models should not pay for the Hugging Face client.
  let client: Promise<InferenceClient> | undefined;
  const inferenceClient = () =>
    (client ??= import("@huggingface/inference").then(({ InferenceClient }) => new InferenceClient(apiKey, options.baseUrl ? { endpointUrl: options.baseUrl } : {})));

  const body = (messages: ChatMessage[]) => ({
    model: options.model,
    messages,
    ...(options.maxNewTokens !== undefined ? { max_tokens: options.maxNewTokens } : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    ...(options.topP !== undefined ? { top_p: options.topP } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const conversation = (message: string, history: readonly ChatMessage[]): ChatMessage[] => {
    const system = history.some((m) => m.role === "system") || !options.system ? [] : [{ role: "system" as const, content: options.system }];
    return [...system, ...history.map((m) => ({ role: m.role, content: m.content })), { role: "user", content: message }];
  };

  /** Yields each piece of the reply as it arrives; returns how it ended. */
  async function* pieces(messages: ChatMessage[], signal?: AbortSignal): AsyncGenerator<string, { finish: FinishReason; usage?: { prompt_tokens?: number; completion_tokens?: number } }> {
    let finish: FinishReason = "stop";
    let usage: { prompt_tokens?: number; completion_tokens?: number } | undefined;
    if (provider) {
      try {
        const hf = await inferenceClient();
        // An endpoint URL is the provider (the client refuses both).
        const args = { ...body(messages), ...(options.baseUrl ? { endpointUrl: options.baseUrl } : { provider }) };
        const stream = hf.chatCompletionStream(args as Parameters<InferenceClient["chatCompletionStream"]>[0], signal ? { signal } : {});
        for await (const chunk of stream) {
          const choice = chunk.choices?.[0];
          if (choice?.delta?.content) yield choice.delta.content;
          if (choice?.finish_reason === "length") finish = "length";
          if (chunk.usage) usage = chunk.usage as typeof usage;
        }
      } catch (e) {
        if (signal?.aborted) return { finish: "aborted" };
        throw new RemoteChatError(`The model "${options.model}" (provider ${provider}) failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      return { finish, ...(usage ? { usage } : {}) };
    }
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify({ ...body(messages), stream: true, stream_options: { include_usage: true } }),
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      if (signal?.aborted) return { finish: "aborted" };
      throw new RemoteChatError(`Could not reach ${baseUrl} for the model "${options.model}" (${networkCode(e)}).`);
    }
    if (!response.ok || !response.body) {
      const text = await response.text().catch(() => "");
      let detail = text.slice(0, 300);
      try {
        const parsed = JSON.parse(text) as { error?: { message?: string } | string };
        detail = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? detail);
      } catch {}
      throw new RemoteChatError(`${baseUrl} answered HTTP ${response.status} for the model "${options.model}": ${detail}`, response.status);
    }
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(bytes, { stream: true });
        // Server-sent events: blank-line separated, `data:` lines; `[DONE]` ends the stream.
        let end: number;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
          const data = event
            .split(/\r?\n/)
            .filter((l) => l.startsWith("data:"))
            .map((l) => l.slice(5).trimStart())
            .join("\n");
          if (!data) continue;
          if (data === "[DONE]") return { finish, ...(usage ? { usage } : {}) };
          let chunk: { choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[]; usage?: typeof usage; error?: { message?: string } };
          try {
            chunk = JSON.parse(data);
          } catch {
            throw new RemoteChatError(`${baseUrl} sent a stream event that is not JSON: ${data.slice(0, 100)}`);
          }
          if (chunk.error) throw new RemoteChatError(`${baseUrl} reported an error mid-reply: ${chunk.error.message ?? "unknown"}`);
          const choice = chunk.choices?.[0];
          if (choice?.delta?.content) yield choice.delta.content;
          if (choice?.finish_reason === "length") finish = "length";
          if (chunk.usage) usage = chunk.usage;
        }
      }
    } catch (e) {
      if (signal?.aborted) return { finish: "aborted" };
      if (e instanceof RemoteChatError) throw e;
      throw new RemoteChatError(`The reply from ${baseUrl} broke off: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { finish, ...(usage ? { usage } : {}) };
  }

  /** The reply so far after each piece; the reply when done (reported to onReply). */
  async function* run(message: string, history: readonly ChatMessage[], ctx?: GenerateContext): AsyncGenerator<string, RemoteReply> {
    const started = performance.now();
    let first = 0;
    let text = "";
    const it = pieces(conversation(message, history), ctx?.signal);
    for (;;) {
      const step = await it.next();
      if (step.done) {
        const { finish, usage } = step.value;
        const now = performance.now();
        const reply: RemoteReply = {
          text,
          finish,
          stats: {
            firstTokenMs: (first || now) - started,
            totalMs: now - started,
            ...(usage?.prompt_tokens !== undefined ? { promptTokens: usage.prompt_tokens } : {}),
            ...(usage?.completion_tokens !== undefined ? { newTokens: usage.completion_tokens } : {}),
          },
        };
        options.onReply?.(reply);
        return reply;
      }
      if (!first) first = performance.now();
      text += step.value;
      yield text;
    }
  }
  const result = (message: string, history: readonly ChatMessage[], text: string): ChatModelResult => {
    const next: ChatMessage[] = [...history, { role: "user", content: message }, { role: "assistant", content: text }];
    return [next, next];
  };

  const predict = async (message: string, history?: readonly ChatMessage[] | null, ctx?: GenerateContext) => {
    const it = run(message, history ?? [], ctx);
    let step = await it.next();
    while (!step.done) step = await it.next();
    return result(message, history ?? [], step.value.text);
  };
  async function* stream(message: string, history?: readonly ChatMessage[] | null, ctx?: GenerateContext) {
    const it = run(message, history ?? [], ctx);
    for (;;) {
      const step = await it.next();
      yield result(message, history ?? [], step.done ? step.value.text : step.value);
      if (step.done) return;
    }
  }
  async function* chat(message: string, history: readonly ChatMessage[], ctx?: GenerateContext) {
    yield* run(message, history, ctx);
  }
  async function batch(first: readonly unknown[], second?: unknown, third?: GenerateContext): Promise<never> {
    const columns = typeof first[0] === "string" || (first.length === 0 && Array.isArray(second));
    const turns = columns ? first.map((m, i) => [m as string, (second as (ChatMessage[] | null)[] | undefined)?.[i]] as const) : (first as (readonly [string, ChatMessage[]?])[]);
    const ctx = columns ? third : (second as GenerateContext | undefined);
    const results = await Promise.all(turns.map(([m, h]) => predict(m, h, ctx?.signal ? { signal: ctx.signal } : {})));
    return (columns ? [results.map((r) => r[0]), results.map((r) => r[1])] : results) as never;
  }
  return Object.assign(predict, { stream, chat, batch, dispose: async () => {} });
}

/** The system's error code behind a failed fetch (ECONNREFUSED, ENOTFOUND, ...), else its message. */
function networkCode(e: unknown): string {
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
    const code = (c as { code?: unknown; errors?: { code?: unknown }[] }).code ?? (c as { errors?: { code?: unknown }[] }).errors?.[0]?.code;
    if (typeof code === "string") return code;
  }
  return e instanceof Error ? e.message : String(e);
}
