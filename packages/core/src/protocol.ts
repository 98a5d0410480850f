import { DaisError, type ErrorCode, messages } from "./DaisError.ts";
import type { Op } from "./diff.ts";
import { type FeedbackValue, feedbackValues } from "./FeedbackEvent.ts";
import type { UpdateProps } from "./update.ts";

/**
 * The WebSocket protocol between a browser tab and the server: one discriminated union per
 * direction, so a `switch (frame.type)` is exhaustive. Frames from the browser are checked by
 * `parseClientFrame` where they arrive; nothing trusts `JSON.parse` alone.
 */

/** Browser -> server. */
export type ClientFrame =
  /**
   * First frame on a connection. `session` resumes a tab's session after a reload or a dropped
   * connection; `lastSeq`, the last frame this page received, asks for the ones after it.
   */
  | { type: "hello"; session?: string; lastSeq?: number }
  /**
   * Call function `fn` with the values of its visible inputs; `id` names the run. `resend`: the
   * page sent this run before its connection dropped and heard nothing of it; the server runs it
   * only if it never took it in (a run id it knows is left alone), so it runs once either way.
   */
  | { type: "run"; id: string; fn: number; data: unknown[]; resend?: true }
  /** Stop a run. */
  | { type: "cancel"; id: string }
  /** Reset the session: state slots to their initial values, outputs to theirs. */
  | { type: "clear" }
  /** A like, dislike (null takes it back) or flag on message `index` of chatbot `component`. */
  | { type: "feedback"; component: number; index: number; value: FeedbackValue | null; comment?: string };

/** Edits per component id (see diff.ts): only the outputs that changed are listed. */
export type OutputOps = Record<string, Op[]>;
/** Props changed by `update()`, per component id. */
export type PropsChanges = Record<string, UpdateProps>;

/** Server -> browser. */
export type ServerFrame =
  /**
   * The session this connection belongs to. With `replay`, the frames the page missed follow
   * in order; otherwise `values`, `props` and `runs` are what the page should show now.
   */
  | { type: "welcome"; session: string; resumed: boolean; replay: boolean; configId?: string; values?: Record<string, unknown>; props?: PropsChanges; runs?: { id: string; fn: number }[] }
  /** A run waiting for a free slot: 1 is next. `eta` is the estimated wait in seconds, when known. */
  | { type: "queued"; id: string; position: number; queueSize: number; eta: number | null }
  | { type: "started"; id: string }
  /**
   * An update of a streaming run: per output that changed, by component id, the edits from
   * what the tab shows now (see diff.ts), and props changed by `update()`. Only what changed
   * crosses the wire.
   */
  | { type: "partial"; id: string; ops: OutputOps; props?: PropsChanges }
  /** The run's result, as edits like `partial`; `stopped` when Stop kept a partial answer. */
  | { type: "done"; id: string; ops: OutputOps; props?: PropsChanges; stopped?: true }
  /** The session was reset: every component shows its first value and props again. */
  | { type: "cleared"; values: Record<string, unknown> }
  /**
   * A failed run (with `id`) or a rejected frame (without). `ops` undo what the run's partial
   * updates had shown, so the tab is back to what it showed before the run.
   */
  | { type: "error"; id?: string; code: ErrorCode; message: string; stack?: string; ops?: OutputOps; props?: PropsChanges };

/** Frames of a session carry a sequence number, so a page can tell what it missed. */
export type SequencedFrame = ServerFrame & { seq?: number };

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
    case "hello": {
      if (f.session !== undefined && !(typeof f.session === "string" && idPattern.test(f.session)))
        throw bad(type, "session", "a session id");
      if (f.lastSeq !== undefined && !(typeof f.lastSeq === "number" && Number.isInteger(f.lastSeq) && f.lastSeq >= 0))
        throw bad(type, "lastSeq", "a frame number");
      const hello: ClientFrame = { type };
      if (f.session !== undefined) hello.session = f.session as string;
      if (f.lastSeq !== undefined) hello.lastSeq = f.lastSeq as number;
      return hello;
    }
    case "run":
      if (typeof f.id !== "string" || !idPattern.test(f.id)) throw bad(type, "id", "a run id (letters, digits, - or _)");
      if (typeof f.fn !== "number" || !Number.isInteger(f.fn) || f.fn < 0) throw bad(type, "fn", "a function number");
      if (!Array.isArray(f.data)) throw bad(type, "data", "a list of input values");
      return f.resend === true ? { type, id: f.id, fn: f.fn, data: f.data, resend: true } : { type, id: f.id, fn: f.fn, data: f.data };
    case "cancel":
      if (typeof f.id !== "string" || !idPattern.test(f.id)) throw bad(type, "id", "a run id");
      return { type, id: f.id };
    case "clear":
      return { type };
    case "feedback": {
      if (typeof f.component !== "number" || !Number.isInteger(f.component) || f.component < 0) throw bad(type, "component", "a component id");
      if (typeof f.index !== "number" || !Number.isInteger(f.index) || f.index < 0) throw bad(type, "index", "a message index");
      if (f.value !== null && !(feedbackValues as readonly unknown[]).includes(f.value)) throw bad(type, "value", `one of ${feedbackValues.join(", ")} or null`);
      if (f.comment !== undefined && (typeof f.comment !== "string" || f.comment.length > 2000)) throw bad(type, "comment", "text of at most 2000 characters");
      const frame: ClientFrame = { type, component: f.component, index: f.index, value: f.value as FeedbackValue | null };
      return f.comment === undefined ? frame : { ...frame, comment: f.comment };
    }
    default:
      throw new DaisError("bad_frame", messages.unknownType(f.type satisfies unknown));
  }
}

function bad(type: string, field: string, expected: string): DaisError {
  return new DaisError("bad_frame", messages.badField(type, field, expected));
}
