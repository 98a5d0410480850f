import type {} from "./AbortSignal.ts";

/** The last argument every predict function receives, after its input values. */
export interface RunContext {
  /** Fires when the user presses Stop, the run times out or the server shuts down. */
  readonly signal: AbortSignal;
  /** The session (one browser tab) this run belongs to. */
  readonly session: string;
}
