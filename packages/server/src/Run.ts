import {
  type AnyComponent,
  type GenerationOptions,
  type App,
  checkValueBounds,
  type AppFn,
  type FileHooks,
  hasFileHooks,
  type SessionFiles,
  DaisError,
  deepCopy,
  diff,
  isUpdate,
  messages,
  type OutputOps,
  type PropsChanges,
  type RunContext,
  type SessionCleanup,
  type ServerFrame,
  splitUpdate,
  toDaisError,
} from "@dais/core";
import type { SessionRecord } from "./SessionRecord.ts";

/** What a run needs to know of its function's inputs and outputs, worked out once per function. */
interface FnShape {
  /** Inputs the page sends, in order. */
  visibleInputs: number[];
  /** Outputs the page shows. */
  shownOutputs: number[];
  states: Set<number>;
  touchesState: boolean;
  /** Positions in visibleInputs of inputs whose values are files. */
  fileInputs: number[];
  /** Whether some shown output's values are files (fn's results then take the async path). */
  sendsFiles: boolean;
}
const shapes = new WeakMap<AppFn, FnShape>();
function shapeOf(app: App, spec: AppFn): FnShape {
  let shape = shapes.get(spec);
  if (!shape) {
    const states = new Set([...spec.inputs, ...spec.outputs].filter((id) => app.components.get(id)?.kind === "state"));
    const visibleInputs = spec.inputs.filter((id) => !states.has(id));
    const shownOutputs = spec.outputs.filter((id) => !states.has(id));
    const isFile = (id: number) => {
      const c = app.components.get(id);
      return c !== undefined && hasFileHooks(c);
    };
    shape = {
      visibleInputs,
      shownOutputs,
      states,
      touchesState: states.size > 0,
      fileInputs: visibleInputs.flatMap((id, k) => (isFile(id) ? [k] : [])),
      sendsFiles: shownOutputs.some(isFile),
    };
    shapes.set(spec, shape);
  }
  return shape;
}

/** Runs that started in this turn of the event loop; one setImmediate checks them all. */
const startedCheck = new Set<Run>();
function sayStarted(): void {
  const runs = [...startedCheck];
  startedCheck.clear();
  for (const run of runs) run.sayStartedIfGoing();
}

export interface RunRequest {
  id: string;
  fn: number;
  data: unknown[];
  /** The page sent it before its connection dropped and heard nothing back: run it only if it was never taken in. */
  resend?: boolean;
  /** Sampling settings for `ctx.generation`; set by program adapters, never by the page's frame. */
  generation?: GenerationOptions;
  /**
   * Values the run's states start from instead of the session's, by component id: for adapters
   * whose request carries the state itself (an OpenAI request's earlier messages). Trusted: the
   * adapter has checked them.
   */
  states?: Record<number, unknown>;
}

/** What a run needs from the runtime: the app, and the one way to send its session a frame. */
export interface RunHost {
  readonly app: App;
  readonly showError: boolean;
  /** Keeps a cleanup for when the session ends (fn's `ctx.onSessionEnd`). */
  onSessionEnd(cleanup: SessionCleanup): void;
  /** The session's files, for components whose values are files. */
  readonly files: SessionFiles;
  emit(frame: ServerFrame): void;
  /** The run has sent its last frame. */
  ended(run: Run): void;
}

/**
 * One run of a function for a session, from checked inputs to its last frame. Updates are sent
 * as edits from what the tab shows, per output by component id, so streaming into a long chat
 * costs the same as into a short one. The session's states change only when the run ends well
 * (or is stopped after showing something, which keeps the partial answer).
 */
export class Run {
  readonly id: string;
  readonly fn: number;
  readonly spec: AppFn;
  readonly enqueuedAt = Date.now();
  /** Set once the run has sent its last frame. */
  ended = false;
  /** Called once the run has sent its last frame. */
  onEnd: (() => void) | undefined;
  /** Called when the run is stopped (Stop, time limit, shutdown); the runner decides what that means where the run is. */
  onCancel: (() => void) | undefined;
  /** fn's arguments, filled by `begin()`. */
  args: unknown[] = [];
  private readonly given: unknown[];
  private readonly generation: GenerationOptions | undefined;
  private readonly startStates: Record<number, unknown> | undefined;
  private states: Record<string, unknown> = {};
  private readonly before: Record<number, unknown>;
  private partials = 0;
  private timeout: DaisError | undefined;
  private controller: AbortController | undefined;
  private stopReason: unknown;
  private stopped = false;
  private settledPromise: Promise<void> | undefined;
  private cancelWaiters: Set<() => void> | undefined;
  private readonly shape: FnShape;
  /** fn's results waiting for their files to be stored, in order (only for outputs that are files). */
  private filesChain: Promise<void> | undefined;
  /** Numbers partial results, so one whose files are still being stored when a newer one comes is skipped. */
  private partialSeq = 0;

  /** Checks the request and converts its inputs; throws a DaisError for bad ones. */
  constructor(
    private readonly host: RunHost,
    private readonly record: SessionRecord,
    request: RunRequest,
  ) {
    const spec = host.app.fns[request.fn];
    if (!spec) throw new DaisError("unknown_fn", messages.unknownFn(request.fn));
    if (!spec.fn) throw new DaisError("unknown_fn", `Function ${request.fn} only stops others; it has nothing to run.`);
    this.id = request.id;
    this.fn = request.fn;
    this.spec = spec;
    this.generation = request.generation;
    this.startStates = request.states;
    this.shape = shapeOf(host.app, spec);
    const visible = this.shape.visibleInputs;
    if (request.data.length !== visible.length) throw new DaisError("invalid_input", messages.wrongArity(visible.length, request.data.length));
    this.given = visible.map((id, k) => {
      const component = this.component(id);
      // Before anything else touches it: a value too deep or too large for the server to send
      // back (JSON.stringify recurses) must never become what the session shows.
      checkValueBounds(request.data[k], component.kind, component.props);
      return component.preprocess(request.data[k]);
    });
    // The tab's input values are what it shows now; edits to those components start from them.
    visible.forEach((id, k) => (record.shown[id] = request.data[k]));
    this.before = {};
    for (const id of this.shape.shownOutputs) this.before[id] = record.shown[id];
  }

  /** Whether some input is a file, to be looked up (`receiveFiles`) before the run is queued. */
  get receivesFiles(): boolean {
    return this.shape.fileInputs.length > 0;
  }

  /** Turns the files the inputs name into what fn asked for (the session's files only). */
  async receiveFiles(): Promise<void> {
    const visible = this.shape.visibleInputs;
    await Promise.all(
      this.shape.fileInputs.map(async (k) => {
        const c = this.component(visible[k] as number) as AnyComponent & FileHooks<unknown, unknown, unknown>;
        this.given[k] = await c.receive(this.given[k], this.host.files);
      }),
    );
  }

  /** Resolves when the run has sent its last frame (made on demand: most runs never need it). */
  get settled(): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.settledPromise ??= new Promise((resolve) => {
      const previous = this.onEnd;
      this.onEnd = () => {
        previous?.();
        resolve();
      };
    });
    return this.settledPromise;
  }

  /** Whether the run reads or writes a state: such runs of one session apply in order. */
  get touchesState(): boolean {
    return this.shape.touchesState;
  }

  /**
   * Takes the session's states as they are now (after the runs before it) and builds fn's
   * arguments. A private copy, so a failed run cannot corrupt them.
   */
  begin(): void {
    for (const id of [...this.spec.inputs, ...this.spec.outputs]) {
      if (!this.isState(id)) continue;
      const given = this.startStates !== undefined && Object.hasOwn(this.startStates, id);
      this.states[id] = deepCopy(given ? this.startStates![id] : this.record.states[id]);
    }
    let k = 0;
    this.args = this.spec.inputs.map((id) => (this.isState(id) ? this.states[id] : this.given[k++]));
  }

  /** The signal fn sees; made only when fn asks for it, as most quick runs never do. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.stopped) this.controller.abort(this.stopReason);
    }
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.stopped;
  }

  get context(): RunContext {
    return new LazyContext(this, this.record.id, this.generation);
  }

  /** fn's `ctx.onSessionEnd`: the session's host keeps it. */
  sessionEnds(cleanup: SessionCleanup): void {
    if (typeof cleanup !== "function") throw new DaisError("internal", "ctx.onSessionEnd takes a function.");
    this.host.onSessionEnd(cleanup);
  }

  /** Resolves when the run is stopped. */
  whenCancelled(): Promise<void> {
    return new Promise((resolve) => this.onStop(resolve));
  }

  /** Calls `listener` once when the run is stopped (at once if it is); returns how to take it back. */
  onStop(listener: () => void): () => void {
    if (this.stopped) {
      listener();
      return () => {};
    }
    const waiters = (this.cancelWaiters ??= new Set());
    waiters.add(listener);
    return () => waiters.delete(listener);
  }

  /** Stops the run; with a DaisError as the reason, that is what the tab is told. */
  cancel(reason: string | DaisError): void {
    if (this.stopped || this.ended) return;
    this.stopped = true;
    this.stopReason = reason;
    this.controller?.abort(reason);
    const waiters = [...(this.cancelWaiters ?? [])];
    this.cancelWaiters = undefined;
    for (const w of waiters) w();
    this.onCancel?.();
  }

  /** Stops the run as a failure after `ms` (its timeLimit), partial answer or not. */
  expire(ms: number): void {
    this.timeout = new DaisError("timeout", messages.timeout(ms));
    this.cancel(this.timeout);
  }

  queued(position: number, queueSize: number, eta: number | null): void {
    if (!this.ended) this.host.emit({ type: "queued", id: this.id, position, queueSize, eta });
  }

  /**
   * fn started. A quick run says nothing until its result (one frame, not two): `started` goes
   * out only if the run is still going after this turn of the event loop.
   */
  started(): void {
    startedCheck.add(this);
    if (startedCheck.size === 1) setImmediate(sayStarted);
  }

  /** After the turn it started in: still going and silent, so the tab hears it started. */
  sayStartedIfGoing(): void {
    if (!this.ended && this.partials === 0) this.host.emit({ type: "started", id: this.id });
  }

  /** A streamed update: fn's partial result. */
  partial(result: unknown): void {
    if (this.ended) return;
    if (this.shape.sendsFiles) {
      const mine = ++this.partialSeq;
      return this.afterFiles(async () => {
        // A newer partial result came while this one waited: only the newest is worth storing.
        if (mine === this.partialSeq) this.showPartial(await this.storeFiles(this.values(result)));
      });
    }
    this.showPartial(this.values(result));
  }

  private showPartial(values: unknown[]): void {
    if (this.ended) return;
    const { ops, props } = this.show(values);
    this.partials++;
    this.host.emit({ type: "partial", id: this.id, ops, ...(props ? { props } : {}) });
  }

  /** fn's final result; commits the states. After Stop, the last partial result is final. */
  finish(result: unknown, fromPartial = false): void {
    if (this.ended) return;
    if (this.shape.sendsFiles) {
      if (!fromPartial) this.partialSeq++;
      return this.afterFiles(async () => this.complete(fromPartial ? undefined : await this.storeFiles(this.values(result))));
    }
    let values: unknown[] | undefined;
    try {
      values = fromPartial ? undefined : this.values(result);
    } catch (e) {
      return this.fail(e);
    }
    this.complete(values);
  }

  /** Ends the run well with its outputs' values (undefined: what the last partial result showed). */
  private complete(values: unknown[] | undefined): void {
    if (this.ended) return;
    if (this.timeout || (this.stopped && this.partials === 0)) return this.fail(undefined);
    try {
      const { ops, props } = values === undefined ? { ops: {}, props: undefined } : this.show(values);
      for (const id of this.spec.outputs) if (this.isState(id)) this.record.states[id] = this.states[id];
      this.end();
      const done: ServerFrame = { type: "done", id: this.id, ops };
      if (props) done.props = props;
      if (this.stopped) done.stopped = true;
      this.host.emit(done);
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
    const reason = this.stopReason;
    let error: DaisError;
    if (this.timeout) error = this.timeout;
    else if (this.stopped && this.partials === 0) error = reason instanceof DaisError ? reason : new DaisError("cancelled", "Stopped.");
    else if (thrown instanceof DaisError || this.host.showError) error = toDaisError(thrown, "fn_error");
    // An exception the app did not mean for testers: its text may hold paths, keys or data, so
    // they see a generic message, as in Gradio; the developer sees it all in the terminal.
    else error = new DaisError("fn_error", messages.fnThrew, { cause: thrown });
    if (error.code === "invalid_output") console.error(`[dais] ${this.fnLabel} returned an output its component cannot show: ${error.message}`);
    else if (error.code === "fn_error" || error.code === "internal") console.error(`[dais] run ${this.id} of ${this.fnLabel} failed:`, error.cause ?? error);
    const stack = this.host.showError ? ((error.cause instanceof Error ? error.cause.stack : undefined) ?? error.stack) : undefined;
    const ops: OutputOps = {};
    for (const id of this.shownOutputs) {
      const edits = diff(this.record.shown[id], this.before[id]);
      this.record.shown[id] = this.before[id];
      if (edits.length > 0) ops[id] = edits;
    }
    this.host.emit({ type: "error", id: this.id, code: error.code, message: error.message, ...(stack ? { stack } : {}), ops });
  }

  /** The fn as the developer knows it: its endpoint name, else its own name, else its number. */
  private get fnLabel(): string {
    const name = this.spec.apiName ?? this.spec.fn?.name;
    return name ? `fn "${name}"` : `fn ${this.fn}`;
  }

  /** Runs `step` after the results before it have stored their files; a failure fails the run. */
  private afterFiles(step: () => Promise<void>): void {
    this.filesChain = (this.filesChain ?? Promise.resolve()).then(() => (this.ended ? undefined : step())).catch((e: unknown) => this.fail(e));
  }

  /** fn's values for outputs that are files, stored in the session's folder and made wire data. */
  private async storeFiles(values: unknown[]): Promise<unknown[]> {
    return Promise.all(
      values.map(async (v, i) => {
        const id = this.spec.outputs[i] as number;
        if (this.isState(id)) return v;
        const c = this.component(id);
        if (!hasFileHooks(c)) return v;
        if (!isUpdate(v)) return c.send(v, this.host.files);
        return "value" in v ? { ...v, value: await c.send(v.value, this.host.files) } : v;
      }),
    );
  }

  private end(): void {
    this.ended = true;
    this.host.ended(this);
    this.onEnd?.();
  }

  private get shownOutputs(): number[] {
    return this.shape.shownOutputs;
  }

  private isState(id: number): boolean {
    return this.shape.states.has(id);
  }

  /** The component as this session has it: its props changed by earlier `update()`s. */
  private component(id: number): AnyComponent {
    const c = this.host.app.components.get(id) as AnyComponent;
    const changed = this.record.props[id];
    return changed ? { ...c, props: { ...c.props, ...changed } } : c;
  }

  /** fn's result as one value per output. */
  private values(result: unknown): unknown[] {
    const n = this.spec.outputs.length;
    if (n === 1) return [result];
    if (n === 0) return [];
    if (Array.isArray(result) && result.length === n) return result;
    throw new DaisError("invalid_output", `The function must return ${n} values (one per output), got ${Array.isArray(result) ? result.length : "one"}.`);
  }

  /**
   * Converts every output first (so a bad one changes nothing), then records what the tab will
   * show and returns the edits and prop changes that get it there.
   */
  private show(values: unknown[]): { ops: OutputOps; props: PropsChanges | undefined } {
    const wire: [number, unknown][] = [];
    const states: [number, unknown][] = [];
    let props: PropsChanges | undefined;
    this.spec.outputs.forEach((id, i) => {
      let v = values[i];
      if (isUpdate(v)) {
        const u = splitUpdate(v);
        if (!this.isState(id) && Object.keys(u.props).length > 0) (props ??= {})[id] = u.props;
        if (!u.hasValue) return;
        v = u.value;
      }
      if (this.isState(id)) states.push([id, v]);
      else wire.push([id, this.component(id).postprocess(v)]);
    });
    for (const [id, v] of states) this.states[id] = v;
    for (const [id, changed] of Object.entries(props ?? {})) this.record.props[id] = { ...this.record.props[id], ...changed };
    const ops: OutputOps = {};
    for (const [id, v] of wire) {
      const edits = diff(this.record.shown[id], v);
      this.record.shown[id] = v;
      if (edits.length > 0) ops[id] = edits;
    }
    return { ops, props };
  }
}

/** fn's context: its `signal` getter makes the run's AbortController only if fn reads it. */
class LazyContext implements RunContext {
  constructor(
    private readonly run: Run,
    readonly session: string,
    readonly generation: GenerationOptions | undefined,
  ) {}

  get signal(): AbortSignal {
    return this.run.signal;
  }

  onSessionEnd(cleanup: SessionCleanup): void {
    this.run.sessionEnds(cleanup);
  }
}
