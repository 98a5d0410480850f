import type { ChatMessage } from "@dais/core";
import type { GenerateContext } from "./GenerateContext.ts";
import type { Candidate, Generation, PartialReply, Reply } from "./Generation.ts";
import { type EngineOptions, GenerationEngine } from "./GenerationEngine.ts";
import { type GenerationOptions, pickGeneration } from "./GenerationOptions.ts";
import type { LoadedModel, ModelOptions } from "./loadModel.ts";
import type { ModelKind } from "./ModelSource.ts";

/** What every predict function of @dais/models takes beside the model and generation options. */
export interface PredictOptions {
  /** Called with each finished reply: its token ids, every candidate with its score, timings. */
  onReply?: (reply: Reply) => void;
  /** Picks the reply among the candidates (numBeams / numReturnSequences > 1), best first by score: return the index. */
  rank?: (candidates: readonly Candidate[]) => number | Promise<number>;
  /** Keep each conversation's KV cache between turns so a turn only processes its new tokens. Default true. */
  prefixCache?: boolean;
  /** Memory for those caches, in MiB, for the model (the first predict function to load it decides). Default 512. */
  kvCacheMiB?: number;
  /** Decode concurrent replies together, one batched forward pass per step (decoder-only models). Default true. */
  batching?: boolean;
  /**
   * Speculative decoding: a small model (id or folder, same tokenizer) drafts tokens that this
   * model checks several at a time. Greedy replies are exactly this model's own; decoder-only
   * models, one reply at a time (sampling and beam search decode as usual).
   */
  assistantModel?: string;
}

/**
 * A model family as a pure chat format: how a turn's message and history become the prompt,
 * and how a reply becomes the predict function's outputs. The engine does the rest.
 */
export interface ChatFormat<H, R> {
  /** The prompt's token ids for this turn; the reply will take up to `maxNewTokens` more positions. */
  prompt(message: string, history: H, maxNewTokens: number): number[];
  /** The outputs for the reply so far (`done`: the reply is complete). */
  result(message: string, history: H, reply: PartialReply, done: boolean): R;
  /** The family's history from ChatInterface's role/content messages. */
  fromMessages(messages: readonly ChatMessage[]): H;
  /** The history of a first turn (history null or missing). */
  empty(): H;
}

/** A tuple of outputs turned into a tuple of lists, one item per conversation. */
export type Columns<R> = { -readonly [K in keyof R]: R[K][] };

/** A predict function over one model family: Interface's function, its streamed form, ChatInterface's form, and a batch form. */
export interface ChatPredict<H, R> {
  (message: string, history?: H | null, ctx?: GenerateContext): Promise<R>;
  /** The same turn, streamed: yields the outputs as the reply grows; the last yield is the result. */
  stream(message: string, history?: H | null, ctx?: GenerateContext): AsyncGenerator<R>;
  /** For ChatInterface: role/content history in, the whole reply so far out, as it grows. */
  chat(message: string, history: readonly ChatMessage[], ctx?: GenerateContext): AsyncGenerator<string>;
  /** Several conversations in one call: `[message, history]` each, results in order. Their replies decode together. */
  batch(turns: readonly (readonly [message: string, history?: H | null])[], ctx?: GenerateContext): Promise<R[]>;
  /** The same as Interface's `batch: true` calls it: a list per input in, a list per output out. */
  batch(messages: readonly string[], histories: readonly (H | null | undefined)[], ctx?: GenerateContext): Promise<Columns<R>>;
  readonly loaded: LoadedModel;
  readonly engine: GenerationEngine;
  /** Frees the KV cache kept for a session (a Dais session id, when it ends). */
  endSession(session: string): void;
  /** Gives up this predict function's hold on the model; the last one frees its onnxruntime sessions. */
  dispose(): Promise<void>;
}

const modelKeys = ["model", "dtype", "cacheDir", "offline", "hubUrl", "onProgress", "progressBar"] as const satisfies readonly (keyof ModelOptions)[];
const predictKeys = ["onReply", "rank", "prefixCache", "kvCacheMiB", "batching", "assistantModel"] as const satisfies readonly (keyof PredictOptions)[];

/**
 * Checks the options (unknown ones included) before anything loads, opens the shared engine
 * for the model, and builds the predict function around a chat format. `setup` finishes the
 * family's work once the model is loaded (its format, checks); if it throws, the model is released.
 * @example const predict = await chatPredict("causal", options, { maxNewTokens: 100 }, ["system"], (engine) => myFormat(engine));
 */
export async function chatPredict<H, R>(
  kind: ModelKind,
  options: ModelOptions & PredictOptions & { model: string; example?: string },
  defaults: GenerationOptions | ((engine: GenerationEngine) => GenerationOptions),
  familyKeys: readonly string[],
  setup: (engine: GenerationEngine) => ChatFormat<H, R>,
): Promise<ChatPredict<H, R>> {
  const { example, ...given } = options;
  const generation = pickGeneration(given, [...modelKeys, ...predictKeys, ...familyKeys]);
  const engineOptions: EngineOptions = { ...pickModel(options), model: options.model, ...(example ? { example } : {}) };
  if (options.kvCacheMiB !== undefined) {
    if (!(options.kvCacheMiB >= 0)) throw new RangeError(`kvCacheMiB must be 0 or more, got ${String(options.kvCacheMiB)}.`);
    engineOptions.kvCacheMiB = options.kvCacheMiB;
  }
  const engine = await GenerationEngine.open(kind, engineOptions);
  let assistant: GenerationEngine | undefined;
  let format: ChatFormat<H, R>;
  let merged: GenerationOptions;
  let maxNewTokens: number;
  try {
    format = setup(engine);
    merged = { ...(typeof defaults === "function" ? defaults(engine) : defaults), ...generation };
    maxNewTokens = engine.check(merged).maxNewTokens ?? 20;
    if (options.assistantModel !== undefined) {
      if (kind !== "causal") throw new RangeError("assistantModel works with decoder-only models (DialoGPT, chat models), not encoder-decoder ones.");
      assistant = await GenerationEngine.open(kind, { ...pickModel(options), model: options.assistantModel });
      sameTokenizer(engine, assistant, options.model, options.assistantModel);
    }
  } catch (e) {
    await Promise.all([engine.release(), assistant?.release()]);
    throw e;
  }

  // One function for every session, so the runtime keeps it once per session however many turns.
  const endSession = (session: string) => engine.endSession(session);
  const start = (message: string, history: H, ctx?: GenerateContext): Generation => {
    // The engine keeps this conversation's KV cache; Dais frees it when the session ends.
    if (ctx?.session) ctx.onSessionEnd?.(endSession);
    return engine.generate({
      promptIds: format.prompt(message, history, maxNewTokens),
      options: requested(merged, ctx?.generation, maxNewTokens),
      ...(ctx?.signal ? { signal: ctx.signal } : {}),
      ...(ctx?.session ? { session: ctx.session } : {}),
      ...(options.prefixCache === false ? { prefixCache: false } : {}),
      ...(options.batching === false ? { batching: false } : {}),
      ...(options.rank ? { rank: options.rank } : {}),
      ...(assistant ? { assistant } : {}),
    });
  };

  const predict = async (message: string, history?: H | null, ctx?: GenerateContext): Promise<R> => {
    const past = history ?? format.empty();
    const reply = await start(message, past, ctx).result;
    options.onReply?.(reply);
    return format.result(message, past, reply, true);
  };
  async function* stream(message: string, history?: H | null, ctx?: GenerateContext): AsyncGenerator<R> {
    const past = history ?? format.empty();
    const run = start(message, past, ctx);
    for await (const partial of run) yield format.result(message, past, partial, false);
    const reply = await run.result;
    options.onReply?.(reply);
    yield format.result(message, past, reply, true);
  }
  async function* chat(message: string, history: readonly ChatMessage[], ctx?: GenerateContext): AsyncGenerator<string> {
    const run = start(message, format.fromMessages(history), ctx);
    let last = "";
    for await (const partial of run) if (partial.text !== last) yield (last = partial.text);
    options.onReply?.(await run.result);
  }
  async function batch(first: readonly unknown[], second?: unknown, third?: GenerateContext): Promise<never> {
    const columns = typeof first[0] === "string" || (first.length === 0 && Array.isArray(second));
    const turns = columns ? first.map((m, i) => [m as string, (second as (H | null)[] | undefined)?.[i]] as const) : (first as (readonly [string, H?])[]);
    const ctx = columns ? third : (second as GenerateContext | undefined);
    // Each conversation is its own request (none is the session's: they would share its cache);
    // the engine decodes their replies together.
    const results = await Promise.all(turns.map(([message, history]) => predict(message, history, ctx?.signal ? { signal: ctx.signal } : {})));
    if (!columns) return results as never;
    const width = (results[0] as unknown[] | undefined)?.length ?? 2;
    return Array.from({ length: width }, (_, j) => results.map((r) => (r as unknown[])[j])) as never;
  }
  let disposed = false;
  return Object.assign(predict, {
    stream,
    chat,
    batch,
    loaded: engine.loaded,
    engine,
    endSession,
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await Promise.all([engine.release(), assistant?.release()]);
    },
  });
}

function pickModel(o: ModelOptions): ModelOptions {
  const out: Record<string, unknown> = {};
  for (const k of modelKeys) if (o[k] !== undefined) out[k] = o[k];
  return out as ModelOptions;
}

/** A draft model must speak the same tokens: same vocabulary, same ids for the same text. */
function sameTokenizer(main: GenerationEngine, draft: GenerationEngine, mainName: string, draftName: string): void {
  const probe = "Hello! How are you today? <|endoftext|> 1234 naïve café";
  const a = main.tokenizer.encode(probe);
  const b = draft.tokenizer.encode(probe);
  const size = (e: GenerationEngine) => (e.loaded.model.config as unknown as { vocab_size?: number }).vocab_size;
  if (a.join() !== b.join() || size(main) !== size(draft))
    throw new RangeError(`assistantModel "${draftName}" does not share the tokenizer of "${mainName}": speculative decoding needs a draft model of the same family (same vocabulary).`);
}

/**
 * The settings for one reply: the predict function's own, with what a program asked for on top
 * (temperature 0 is greedy, as in OpenAI's API). A reply never gets more new tokens than the
 * prompt was trimmed to leave room for; beam search keeps its own decoding.
 */
function requested(merged: GenerationOptions, asked: GenerateContext["generation"], maxNewTokens: number): GenerationOptions {
  if (!asked) return merged;
  const out: GenerationOptions = { ...merged };
  if (asked.maxTokens !== undefined && Number.isInteger(asked.maxTokens) && asked.maxTokens > 0) out.maxNewTokens = Math.min(asked.maxTokens, maxNewTokens);
  if ((merged.numBeams ?? 1) <= 1) {
    if (asked.temperature !== undefined && Number.isFinite(asked.temperature) && asked.temperature >= 0) {
      out.doSample = asked.temperature > 0;
      if (asked.temperature > 0) out.temperature = asked.temperature;
    }
    if (asked.topP !== undefined && Number.isFinite(asked.topP) && asked.topP > 0 && asked.topP <= 1) out.topP = asked.topP;
    if (asked.seed !== undefined && Number.isInteger(asked.seed)) out.seed = asked.seed;
  }
  return out;
}
