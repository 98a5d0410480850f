import { type App, type AppFn, checkValueBounds, DaisError, diff, messages, type Op, type RunContext, toDaisError } from "@dais/core";
import type { Session, SessionRun } from "./Session.ts";

export interface RunRequest {
  id: string;
  fn: number;
  data: unknown[];
}

/**
 * One run of a function for a session, from checked inputs to its last frame. Every update is
 * sent as edits from what the tab shows, so streaming into a long chat costs the same as into
 * a short one. The session's state changes only when the run ends well (or is stopped after
 * showing something, which keeps the partial answer).
 */
export class Run implements SessionRun {
  readonly id: string;
  readonly fn: number;
  readonly spec: AppFn;
  /** fn's arguments, inputs converted, states included (without the context); set by `begin()`. */
  args: unknown[] = [];
  /** It reads or writes the session's state, so it must wait for the session's earlier such runs. */
  readonly touchesState: boolean;
  /** Resolves once the run has sent its last frame (its state, if any, is committed by then). */
  readonly whenEnded: Promise<void>;
  private markEnded!: () => void;
  readonly controller = new AbortController();
  readonly enqueuedAt = Date.now();
  /** Set once the run has sent its last frame. */
  ended = false;
  private states: unknown[] = [];
  /** The visible inputs, converted. */
  private readonly inputs: unknown[];
  private readonly shownIds: number[];
  private readonly before: unknown[];
  private partials = 0;
  private timeout: DaisError | undefined;

  /** Checks the request and converts its inputs; throws a DaisError for bad ones. */
  constructor(
    private readonly app: App,
    readonly session: Session,
    request: RunRequest,
    private readonly showError: boolean,
  ) {
    const spec = app.fns[request.fn];
    if (!spec) throw new DaisError("unknown_fn", messages.unknownFn(request.fn));
    this.id = request.id;
    this.fn = request.fn;
    this.spec = spec;
    this.whenEnded = new Promise((resolve) => (this.markEnded = resolve));
    if (session.runs.has(this.id)) throw new DaisError("bad_frame", `Run "${this.id}" is already going.`);
    const visible = spec.inputs.filter((b) => "component" in b).length;
    if (request.data.length !== visible) throw new DaisError("invalid_input", messages.wrongArity(visible, request.data.length));
    let k = 0;
    this.inputs = spec.inputs.flatMap((b) => {
      if (!("component" in b)) return [];
      const component = app.components[b.component]!;
      const raw = request.data[k++];
      // Before anything else touches it: a value too deep or too large for the server to send
      // back (JSON.stringify recurses) must never become what the session shows.
      checkValueBounds(raw, component.kind, component.props);
      return [component.preprocess(raw)];
    });
    this.touchesState = spec.inputs.some((b) => "state" in b) || spec.outputs.some((b) => "state" in b);
    // The tab's input values are what it shows now; edits to those components start from them.
    k = 0;
    for (const b of spec.inputs) if ("component" in b) session.values[b.component] = request.data[k++];
    this.shownIds = spec.outputs.flatMap((b) => ("component" in b ? [b.component] : []));
    this.before = this.shownIds.map((id) => session.values[id]);
    session.runs.set(this.id, this);
  }

  /**
   * Takes the session's state as it is now (after the session's earlier runs committed theirs)
   * and builds fn's arguments. Called when the run starts, not when it is queued, so pipelined
   * turns of one session each see the one before.
   */
  begin(): void {
    this.states = this.session.snapshotStates();
    let k = 0;
    this.args = this.spec.inputs.map((b) => ("component" in b ? this.inputs[k++] : this.states[b.state]));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get context(): RunContext {
    return { signal: this.signal, session: this.session.id };
  }

  /** Stops the run; with a DaisError as the reason, that is what the tab is told. */
  cancel(reason: string | DaisError): void {
    this.controller.abort(reason);
  }

  /** Stops the run as a failure after `ms` (its timeLimit), partial answer or not. */
  expire(ms: number): void {
    this.timeout = new DaisError("timeout", messages.timeout(ms));
    this.controller.abort(this.timeout);
  }

  started(): void {
    this.session.send({ type: "started", id: this.id });
  }

  /** A streamed update: fn's partial result. */
  partial(result: unknown): void {
    if (this.ended) return;
    const { wire, states } = this.split(result);
    for (const [slot, value] of states) this.states[slot] = value;
    this.partials++;
    this.session.send({ type: "partial", id: this.id, ops: this.show(wire) });
  }

  /** fn's final result; commits the state. After Stop, the last partial result is final. */
  finish(result: unknown, fromPartial = false): void {
    if (this.ended) return;
    if (this.timeout || (this.signal.aborted && this.partials === 0)) return this.fail(undefined);
    try {
      const { wire, states } = fromPartial ? { wire: this.shownIds.map((id) => this.session.values[id]), states: [] } : this.split(result);
      for (const [slot, value] of states) this.states[slot] = value;
      const ops = this.show(wire);
      this.session.states = this.states;
      this.end();
      this.session.send({ type: "done", id: this.id, ops, ...(this.signal.aborted ? { stopped: true as const } : {}) });
    } catch (e) {
      this.fail(e);
    }
  }

  /** The run failed: its error, and edits that put back what the tab showed before it. */
  fail(thrown: unknown): void {
    if (this.ended) return;
    this.end();
    // A run stopped before it showed anything ends as its stop reason says (the user's Stop, a
    // time limit, the server closing), whatever fn threw on its way out.
    const reason: unknown = this.signal.reason;
    let error: DaisError;
    if (this.timeout) error = this.timeout;
    else if (this.signal.aborted && this.partials === 0) error = reason instanceof DaisError ? reason : new DaisError("cancelled", "Stopped.");
    else error = toDaisError(thrown, "fn_error");
    if (error.code === "fn_error" || error.code === "internal") console.error(`[dais] run ${this.id} failed:`, error.cause ?? error);
    const stack = this.showError ? ((error.cause instanceof Error ? error.cause.stack : undefined) ?? error.stack) : undefined;
    this.session.send({ type: "error", id: this.id, code: error.code, message: error.message, ...(stack ? { stack } : {}), ops: this.show(this.before) });
  }

  private end(): void {
    this.ended = true;
    this.markEnded();
    if (this.session.runs.get(this.id) === this) this.session.runs.delete(this.id);
  }

  /** Sends edits from what the tab shows to `wire`, and remembers `wire` as shown. */
  private show(wire: unknown[]): Op[][] {
    return this.shownIds.map((id, i) => {
      const ops = diff(this.session.values[id], wire[i]);
      this.session.values[id] = wire[i];
      return ops;
    });
  }

  /** Splits fn's result into wire values for visible outputs and new values for state slots. */
  private split(result: unknown): { wire: unknown[]; states: [number, unknown][] } {
    const n = this.spec.outputs.length;
    let values: unknown[];
    if (n === 1) values = [result];
    else if (n === 0) values = [];
    else if (Array.isArray(result) && result.length === n) values = result;
    else throw new DaisError("invalid_output", `The function must return ${n} values (one per output), got ${Array.isArray(result) ? result.length : "one"}.`);
    const wire: unknown[] = [];
    const states: [number, unknown][] = [];
    this.spec.outputs.forEach((b, i) => {
      if ("component" in b) wire.push(this.app.components[b.component]!.postprocess(values[i]));
      else states.push([b.state, values[i]]);
    });
    return { wire, states };
  }
}
