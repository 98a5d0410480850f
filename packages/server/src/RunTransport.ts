import type { RunRequest } from "./Run.ts";
import type { LiveSession } from "./Runtime.ts";

/**
 * How a session's runs reach the code that executes them: the seam between the runtime and its
 * runner. In process (the default) a run is queued and executed here; scaled out, it goes to a
 * BullMQ queue and any worker process of the app executes it, its frames flowing back through
 * the shared frame log.
 */
export interface RunTransport {
  /** Starts a run. Every outcome, a refusal included, reaches the session as a numbered frame. */
  run(live: LiveSession, request: RunRequest): void;
  /** Stops a run of the session, wherever it runs. */
  cancel(live: LiveSession, runId: string): void;
  /** Stops every run of the session (Clear, the session ending), wherever they run. */
  cancelAll(live: LiveSession, reason: string): void;
  /** Stops taking runs; lets running ones finish for up to `graceMs`, then stops them. */
  close(graceMs: number): Promise<void>;
}
