import { DaisError, type ErrorCode, messages } from "./DaisError.ts";

/**
 * The WebSocket protocol between a browser tab and the server: one discriminated union per
 * direction, so a `switch (frame.type)` is exhaustive. Frames from the browser are checked by
 * `parseClientFrame` where they arrive; nothing trusts `JSON.parse` alone.
 */

/** Browser -> server. */
export type ClientFrame =
  /** First frame on a connection; `session` resumes a tab's session after a reload. */
  | { type: "hello"; session?: string }
  /** Call function `fn` with the values of its visible inputs; `id` names the run. */
  | { type: "run"; id: string; fn: number; data: unknown[] }
  /** Stop a run. */
  | { type: "cancel"; id: string }
  /** Reset the session: state slots to their initial values, outputs to theirs. */
  | { type: "clear" };

/** Server -> browser. */
export type ServerFrame =
  /** The session this connection belongs to, and the values the tab should show. */
  | { type: "welcome"; session: string; resumed: boolean; values: Record<number, unknown> }
  | { type: "started"; id: string }
  /** An intermediate result of a streaming run: one wire value per visible output. */
  | { type: "partial"; id: string; data: unknown[] }
  | { type: "done"; id: string; data: unknown[] }
  | { type: "cleared"; values: Record<number, unknown> }
  /** A failed run (with `id`) or a rejected frame (without). */
  | { type: "error"; id?: string; code: ErrorCode; message: string; stack?: string };

export type ClientFrameType = ClientFrame["type"];
export type ServerFrameType = ServerFrame["type"];

const idPattern = /^[\w-]{1,64}$/;

/** Parses one frame from the browser. Throws a `bad_frame` DaisError saying what is wrong. */
export function parseClientFrame(text: string): ClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DaisError("bad_frame", messages.notJson);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new DaisError("bad_frame", messages.notObject);
  const f = value as Record<string, unknown>;
  const type = f.type as ClientFrameType;
  switch (type) {
    case "hello":
      if (f.session !== undefined && !(typeof f.session === "string" && idPattern.test(f.session)))
        throw bad(type, "session", "a session id");
      return f.session === undefined ? { type } : { type, session: f.session };
    case "run":
      if (typeof f.id !== "string" || !idPattern.test(f.id)) throw bad(type, "id", "a run id (letters, digits, - or _)");
      if (typeof f.fn !== "number" || !Number.isInteger(f.fn) || f.fn < 0) throw bad(type, "fn", "a function number");
      if (!Array.isArray(f.data)) throw bad(type, "data", "a list of input values");
      return { type, id: f.id, fn: f.fn, data: f.data };
    case "cancel":
      if (typeof f.id !== "string" || !idPattern.test(f.id)) throw bad(type, "id", "a run id");
      return { type, id: f.id };
    case "clear":
      return { type };
    default:
      throw new DaisError("bad_frame", messages.unknownType(f.type satisfies unknown));
  }
}

function bad(type: string, field: string, expected: string): DaisError {
  return new DaisError("bad_frame", messages.badField(type, field, expected));
}
