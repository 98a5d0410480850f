import { type App, deepCopy, type ServerFrame } from "@dais/core";

/** Where a session's frames go; a WebSocket in practice. */
export interface FrameSink {
  send(frame: ServerFrame): void;
}

/**
 * One browser tab's state on the server: a value per state slot, the wire values its visible
 * components last showed (so a reload can show them again), and its runs in flight.
 */
export class Session {
  /** One value per state slot of the app; never sent to the browser. */
  states: unknown[];
  /** Wire values of visible components, by component id, as the tab last showed them. */
  values: Record<number, unknown>;
  readonly runs = new Map<string, AbortController>();
  readonly sinks = new Set<FrameSink>();
  lastSeen = Date.now();

  constructor(
    readonly id: string,
    private readonly app: App,
  ) {
    this.states = app.states.map((s) => s.create());
    this.values = initialValues(app);
  }

  /** Back to a fresh session's values, keeping the id and connections. */
  reset(): void {
    this.states = this.app.states.map((s) => s.create());
    this.values = initialValues(this.app);
  }

  /** A private copy of the state values for one run, so a failed run cannot corrupt them. */
  snapshotStates(): unknown[] {
    return deepCopy(this.states);
  }

  send(frame: ServerFrame): void {
    for (const sink of this.sinks) sink.send(frame);
  }

  /** Stops every run of this session (its tab is gone for good, or the server is closing). */
  abortAll(reason: string): void {
    for (const run of this.runs.values()) run.abort(reason);
  }
}

function initialValues(app: App): Record<number, unknown> {
  return Object.fromEntries(app.config.components.map((c) => [c.id, deepCopy(c.value)]));
}
