import { DaisError } from "./DaisError.ts";
import type { SessionFiles } from "./FileData.ts";

/** Props every component takes. */
export interface BaseProps {
  /** Shown above the component, and its accessible name. */
  label?: string;
  /** A hint shown under the label. */
  info?: string;
  /** `false` hides it (a run can show it again with `update({ visible: true })`). */
  visible?: boolean;
  /** Whether the person can edit it. Default: editable when it is an input of some function. */
  interactive?: boolean;
}

/**
 * A component: a named kind of input or output, with what fn receives (`In`), what fn may
 * return (`Out`) and the JSON value that crosses the wire (`Wire`). The same object is used by
 * the server (to check and convert values) and, as plain config, by the UI (to render them).
 */
export interface Component<K extends string = string, In = unknown, Out = unknown, Wire = unknown, P extends BaseProps = BaseProps> {
  readonly kind: K;
  readonly props: Readonly<P>;
  /** The wire value shown before any run and after Clear. */
  readonly initial: Wire;
  /** Checks a value from the browser and turns it into what fn receives. Throws `invalid_input`. */
  preprocess(raw: unknown): In;
  /** Turns what fn returned into the wire value. Throws `invalid_output`. */
  postprocess(value: Out): Wire;
}

/**
 * What a component whose values are files adds: the steps that need the session's files (look
 * one up, read its bytes, store fn's output), which only the server can take. `preprocess` and
 * `postprocess` still check the wire value (a FileData) on their own, with no server.
 */
export interface FileHooks<In, Out, Wire> {
  /** fn's value from the checked wire value (what `preprocess` returned). */
  receive(wire: Wire, files: SessionFiles): Promise<In>;
  /** The wire value for fn's result, its files stored in the session's folder; `postprocess` checks it after. */
  send(value: Out, files: SessionFiles): Promise<Wire>;
}

/** A component whose values are files: `Wire` on the wire, `In` and `Out` for fn (see FileHooks). */
export type FileComponent<K extends string, In, Out, Wire, P extends BaseProps> = Component<K, Wire, Wire, Wire, P> & FileHooks<In, Out, Wire>;

/** Whether a component takes the server's file steps. */
export function hasFileHooks(c: Component): c is Component & FileHooks<unknown, unknown, unknown> {
  return typeof (c as Partial<FileHooks<unknown, unknown, unknown>>).receive === "function";
}

/** Extracts the argument type fn receives for a component. */
export type InOf<C> = C extends { receive(wire: never, files: SessionFiles): Promise<infer In> } ? In : C extends { preprocess(raw: unknown): infer In } ? In : never;
/** Extracts the return type fn may give for a component. */
export type OutOf<C> = C extends { send(value: infer Out, files: SessionFiles): unknown } ? Out : C extends { postprocess(value: infer Out): unknown } ? Out : never;

/** Where a value came from, for error messages: "Message" or "textbox". */
export function nameOf(kind: string, props: BaseProps): string {
  return props.label ? `"${props.label}"` : kind;
}

export function invalidInput(kind: string, props: BaseProps, expected: string, got: unknown): DaisError {
  return new DaisError("invalid_input", `${nameOf(kind, props)} expects ${expected}, got ${describe(got)}.`);
}

export function invalidOutput(kind: string, props: BaseProps, expected: string, got: unknown): DaisError {
  return new DaisError("invalid_output", `The function returned ${describe(got)} for ${nameOf(kind, props)}, which expects ${expected}.`);
}

/** A short, safe description of a value for error messages (never the whole value). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "string") return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === "object") return "an object";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return `a ${typeof value}`;
}
