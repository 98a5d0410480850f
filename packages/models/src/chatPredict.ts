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
  /** Decode concurrent replies together, one batched forward pass per step (decoder-only models; the first predict function to load the model decides). Default true. */
  batching?: boolean;
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

/** A predict function over one model family: Interface's function, its streamed form, ChatInterface's form, and a batch form. */
export interface ChatPredict<H, R> {
  (message: string, history?: H | null, ctx?: GenerateContext): Promise<R>;
  /** The same turn, streamed: yields the outputs as the reply grows; the last yield is the result. */
  stream(message: string, history?: H | null, ctx?: GenerateContext): AsyncGenerator<R>;
  /** For ChatInterface: role/content history in, the whole reply so far out, as it grows. */
  chat(message: string, history: readonly ChatMessage[], ctx?: GenerateContext): AsyncGenerator<string>;
  /** Several conversations in one call (Interface's `batch: true`): `[message, history]` each, results in order. */
  batch(turns: readonly (readonly [message: string, history?: H | null])[], ctx?: GenerateContext): Promise<R[]>;
  readonly loaded: LoadedModel;
  readonly engine: GenerationEngine;
  /** Frees the KV cache kept for a session (a Dais session id, when it ends). */
  endSession(session: string): void;
  /** Gives up this predict function's hold on the model; the last one frees its onnxruntime sessions. */
  dispose(): Promise<void>;
}

const modelKeys = ["model", "dtype", "cacheDir", "offline", "hubUrl", "onProgress", "progressBar"] as const satisfies readonly (keyof ModelOptions)[];
const predictKeys = ["onReply", "rank", "prefixCache", "kvCacheMiB", "batching"] as const satisfies readonly (keyof PredictOptions)[];

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
  if (options.batching !== undefined) engineOptions.batching = options.batching;
  const engine = await GenerationEngine.open(kind, engineOptions);
  let format: ChatFormat<H, R>;
  let merged: GenerationOptions;
  let maxNewTokens: number;
  try {
    format = setup(engine);
    merged = { ...(typeof defaults === "function" ? defaults(engine) : defaults), ...generation };
    maxNewTokens = engine.check(merged).maxNewTokens ?? 20;
  } catch (e) {
    await engine.release();
    throw e;
  }

  const start = (message: string, history: H, ctx?: GenerateContext): Generation =>
    engine.generate({
      promptIds: format.prompt(message, history, maxNewTokens),
      options: merged,
      ...(ctx?.signal ? { signal: ctx.signal } : {}),
      ...(ctx?.session ? { session: ctx.session } : {}),
      ...(options.prefixCache === false ? { prefixCache: false } : {}),
      ...(options.rank ? { rank: options.rank } : {}),
    });

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
  const batch = (turns: readonly (readonly [string, (H | null)?])[], ctx?: GenerateContext): Promise<R[]> =>
    // Each conversation is its own request (and none is the session's: they would share its
    // cache); the engine interleaves their forward passes.
    Promise.all(turns.map(([message, history]) => predict(message, history, ctx?.signal ? { signal: ctx.signal } : {})));
  let disposed = false;
  return Object.assign(predict, {
    stream,
    chat,
    batch,
    loaded: engine.loaded,
    engine,
    endSession: (session: string) => engine.endSession(session),
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await engine.release();
    },
  });
}

function pickModel(o: ModelOptions): ModelOptions {
  const out: Record<string, unknown> = {};
  for (const k of modelKeys) if (o[k] !== undefined) out[k] = o[k];
  return out as ModelOptions;
}
