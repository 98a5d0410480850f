import type { RunContext } from "@dais/core";

/**
 * The last argument of every predict function: Dais passes its RunContext (whose signal fires
 * when the user presses Stop); direct callers may pass their own AbortSignal, or nothing.
 */
export type GenerateContext = Partial<Pick<RunContext, "signal">>;
