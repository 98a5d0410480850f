import type {} from "./AbortSignal.ts";

/**
 * Sampling settings a program asked for (OpenAI's `temperature`, `top_p`, `max_tokens`, `stop`,
 * `seed`). A chat fn that calls a model passes on what it can; the page never sets them.
 */
export interface GenerationOptions {
  readonly temperature?: number;
  readonly topP?: number;
  readonly maxTokens?: number;
  readonly stop?: readonly string[];
  readonly seed?: number;
}

/** The last argument every predict function receives, after its input values. */
export interface RunContext {
  /** Fires when the user presses Stop, the run times out or the server shuts down. */
  readonly signal: AbortSignal;
  /** The session (one browser tab) this run belongs to. */
  readonly session: string;
  /** Sampling settings from a program's request (the OpenAI-compatible API); absent from the page. */
  readonly generation?: GenerationOptions;
  /**
   * Registers `cleanup` to run once when this session ends (its tab gone past the session's
   * lifetime, evicted, or the server closing): to free what fn keeps per session (a model's KV
   * cache, a temp folder). The same function registered again is kept once, so pass one made
   * once, not a fresh closure per run; it gets the session id.
   * @example ctx.onSessionEnd?.(freeCache) // const freeCache = (session: string) => caches.delete(session)
   */
  readonly onSessionEnd?: (cleanup: SessionCleanup) => void;
}

/** Work to do when a session ends; given the session id. */
export type SessionCleanup = (session: string) => void | Promise<void>;
