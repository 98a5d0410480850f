import type { RunContext } from "@dais/core";

/**
 * The last argument of every predict function: Dais passes its RunContext (whose signal fires
 * when the user presses Stop, and whose session names the conversation whose KV cache to reuse);
 * Direct callers may pass their own AbortSignal and conversation id, or nothing. `generation` is
 * what a program asked for (OpenAI's temperature, top_p, max_tokens, seed): it overrides the
 * predict function's own settings for that reply. `onSessionEnd` lets the predict function free
 * the session's KV cache when Dais ends the session.
 */
export type GenerateContext = Partial<Pick<RunContext, "signal" | "session" | "generation" | "onSessionEnd">>;
