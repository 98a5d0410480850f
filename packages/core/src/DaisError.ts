/**
 * Every failure Dais reports has one shape: a typed `code` the UI and tests can switch on,
 * and a message written for the person using the demo.
 */
export const errorCodes = [
  "bad_frame", // the bytes were not a frame we understand
  "unknown_fn", // a run named a function the app does not have
  "invalid_input", // a value from the browser does not fit its component
  "invalid_output", // fn returned something its output component cannot show
  "fn_error", // the user's function threw
  "cancelled", // the run was stopped before it finished
  "not_found", // a session or run id that does not exist (any more)
  "queue_full", // the function's queue is at its maxQueueSize
  "rate_limited", // this tab sent frames faster than the server accepts
  "too_large", // a frame over the server's size limit
  "timeout", // the run took longer than its timeLimit
  "shutting_down", // the server is closing and takes no more runs
  "worker_lost", // the worker process running the run stopped (crashed, killed) before it finished
  "internal", // a bug in Dais itself
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export class DaisError extends Error {
  override readonly name = "DaisError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** User-facing messages, kept in one place so they stay consistent and testable. */
export const messages = {
  notJson: "Frame is not valid JSON.",
  notObject: "Frame must be a JSON object.",
  unknownType: (type: unknown) => `Unknown frame type ${JSON.stringify(type)}.`,
  badField: (type: string, field: string, expected: string) =>
    `Frame "${type}" needs "${field}" to be ${expected}.`,
  unknownFn: (fn: number) => `This app has no function number ${fn}.`,
  wrongArity: (expected: number, got: number) =>
    `Expected ${expected} input value${expected === 1 ? "" : "s"}, got ${got}.`,
  fnThrew: "The function raised an error.",
  queueFull: "The queue is full. Please try again in a moment.",
  rateLimited: "Too many messages at once; slow down a little.",
  tooLarge: (limit: number) => `Frame is larger than the server accepts (${limit} bytes).`,
  timeout: (ms: number) => `The run took longer than ${ms / 1000} s and was stopped.`,
  shuttingDown: "The server is shutting down and takes no more runs.",
  sessionLost: "The server lost this session (its store was restarted and emptied), so this starts afresh. Please try again.",
  workerLost: "The worker running this stopped before it finished (it crashed or was restarted). Please try again.",
} as const;

/**
 * An error the app raises on purpose, for the person using the demo: shown as written, as
 * Gradio's `gr.Error`. Anything else fn throws shows testers a generic message (the details go
 * to the server's terminal, and to the page only with `showError`).
 * @example
 * fn: (n: number) => { if (n < 0) throw userError("Give a number of 0 or more."); return Math.sqrt(n); }
 */
export function userError(message: string): DaisError {
  return new DaisError("fn_error", message);
}

/** Turns anything thrown into a DaisError, keeping a DaisError as it is. */
export function toDaisError(thrown: unknown, code: ErrorCode = "fn_error"): DaisError {
  if (thrown instanceof DaisError) return thrown;
  if (thrown instanceof Error) return new DaisError(code, thrown.message || messages.fnThrew, { cause: thrown });
  return new DaisError(code, typeof thrown === "string" && thrown ? thrown : messages.fnThrew, { cause: thrown });
}
