import type { Component } from "../../Component.ts";
import { DaisError } from "../../DaisError.ts";
import { deepCopy } from "../../deepCopy.ts";

export interface StateProps<T = unknown> {
  label?: string;
  /** Called with the session's value when the session ends (expired, evicted or closed). */
  onDelete?(value: T): void;
}

/**
 * Server-only: the value lives in the session and never crosses the wire, so `Wire` is
 * `never`. `create()` gives each session its own value (a deep copy, or the factory's result).
 */
export interface StateComponent<T = unknown> extends Component<"state", T, T, never, StateProps<T>> {
  readonly create: () => T;
}

/**
 * A per-session value that fn receives and returns, such as a chat history.
 * @example state<number[]>([])            // every session starts with its own empty list
 * @example state(() => new Map<string, number>())  // a factory, for values that cannot be cloned
 * @example state(() => openScratchFile(), { onDelete: (f) => f.remove() })  // clean up after a session
 */
export function state<T>(initial: T | (() => T), props: StateProps<T> = {}): StateComponent<T> {
  const create = typeof initial === "function" ? (initial as () => T) : () => deepCopy(initial);
  return {
    kind: "state",
    props,
    create,
    initial: undefined as never,
    preprocess() {
      throw new DaisError("invalid_input", "A state's value cannot come from the browser.");
    },
    postprocess() {
      throw new DaisError("internal", "A state's value never crosses the wire.");
    },
  };
}
