import { type AppConfig, applyOps, type EventName, type FeedbackValue, type FnConfig, type OutputOps, type PropsChanges, type ServerFrame, type UpdateProps } from "@dais/core";
import { batch, computed, effect, type ReadonlySignal, type Signal, signal } from "@preact/signals";
import { Client } from "./Client.ts";

/** A run this tab has in flight. `shown` once the server said it waits or works (a quick run never is). */
export interface ActiveRun {
  id: string;
  fn: number;
  shown: boolean;
  queued: { position: number; eta: number | null } | null;
}

/**
 * Everything the page shows, as signals: one per component value and one per component's props
 * changed by runs, the runs in flight, the message waiting to be answered and the last error.
 * Server frames update the signals; renderers read them. Events (a click, a value the person
 * changed) start the functions wired to them, as the app's config says. A stream's frames are
 * applied as they come but shown at most once per animation frame: a fast stream sends far
 * more frames than the screen can show.
 */
export class AppState {
  readonly values = new Map<number, Signal<unknown>>();
  /** Props changed by `update()`, per component. */
  readonly changed = new Map<number, Signal<UpdateProps>>();
  readonly runs = signal<ActiveRun[]>([]);
  /** The message just sent, shown until the server's first update includes it. */
  readonly pending = signal<string | null>(null);
  readonly error = signal<string | null>(null);
  /** The first run waiting in a queue, for the status line. */
  readonly queued: ReadonlySignal<ActiveRun["queued"]> = computed(() => this.runs.value.find((r) => r.queued)?.queued ?? null);
  /** Feedback given in this tab, by `component:index`. */
  readonly feedback = signal<Record<string, FeedbackValue | null>>({});
  readonly client: Client;
  /** Functions held back until uploads into their inputs end, so Submit can say it waits. */
  readonly waiting = signal<ReadonlySet<number>>(new Set());
  /** Uploads in flight, per component they fill (the promise ends once the value is written). */
  private readonly uploads = new Map<number, Set<Promise<unknown>>>();
  /** Components the user edits: inputs of some function. */
  private readonly editable: Set<number>;
  /** Functions to run again once their run ends (`always_last`). */
  private readonly again = new Set<number>();
  /** Set while frames from the server write values, so those writes are not taken for the person's. */
  private fromServer: { fn: number | null; silent?: boolean } | null = null;
  private nextRun = 0;
  private loaded = false;
  /** Per run, what its partial frames changed and the screen does not show yet. */
  private readonly unshown = new Map<string, { run: ActiveRun; values: Map<number, unknown>; props: Map<number, UpdateProps>; done?: { stopped: boolean } }>();
  private frameAsked = false;

  constructor(
    readonly config: AppConfig,
    wsUrl: string,
    storageKey: string,
  ) {
    for (const c of config.components) {
      this.values.set(c.id, signal(c.value));
      this.changed.set(c.id, signal({}));
    }
    this.editable = new Set(config.fns.flatMap((f) => f.inputs));
    this.client = new Client(wsUrl, storageKey, (frame) => this.receive(frame));
    this.watchEdits();
  }

  value(id: number): Signal<unknown> {
    const s = this.values.get(id);
    if (!s) throw new Error(`No component ${id}`);
    return s;
  }

  props(id: number): UpdateProps {
    return this.changed.get(id)?.value ?? {};
  }

  /** The run of function `fn` this tab has going, if any. */
  runOf(fn: number): ActiveRun | undefined {
    return this.runs.value.find((r) => r.fn === fn);
  }

  /** Whether a run that fills component `id` is going. */
  busy(id: number): boolean {
    return this.runs.value.some((r) => this.config.fns[r.fn]?.outputs.includes(id));
  }

  /**
   * Tracks an upload into component `id`: `work` uploads and writes the value. A run whose inputs
   * include it waits for it, so a Submit pressed mid-upload sends the file, not an empty value.
   */
  upload<T>(id: number, work: Promise<T>): Promise<T> {
    let set = this.uploads.get(id);
    if (!set) this.uploads.set(id, (set = new Set()));
    set.add(work);
    const done = () => {
      set.delete(work);
      if (set.size === 0 && this.uploads.get(id) === set) this.uploads.delete(id);
    };
    work.then(done, done);
    return work;
  }

  /** Whether component `id` has uploads in flight. */
  uploading(id: number): boolean {
    return this.uploads.has(id);
  }

  /** Waits for the uploads into these components; the first failure's message, or null. */
  async uploadsDone(ids: readonly number[]): Promise<string | null> {
    const all = ids.flatMap((i) => [...(this.uploads.get(i) ?? [])]);
    const failed = (await Promise.allSettled(all)).find((r) => r.status === "rejected");
    if (failed) return (failed.reason as Error)?.message || "An upload failed.";
    // Uploads started while these were going are waited for too.
    return ids.some((i) => this.uploads.has(i)) ? this.uploadsDone(ids) : null;
  }

  /**
   * When components `ids` have uploads in flight, holds function `fnId` back (`waiting` says so)
   * and calls `go` once they are done; returns whether it held. A failed upload is not sent as
   * an empty value: the run stays unsent and the error says why.
   */
  hold(fnId: number, ids: readonly number[], go: () => void): boolean {
    if (!ids.some((i) => this.uploads.has(i))) return false;
    if (this.waiting.peek().has(fnId)) return true;
    this.waiting.value = new Set([...this.waiting.peek(), fnId]);
    void this.uploadsDone(ids).then((failed) => {
      const rest = new Set(this.waiting.peek());
      rest.delete(fnId);
      this.waiting.value = rest;
      if (failed) this.error.value = failed;
      else go();
    });
    return true;
  }

  /** Starts every function wired to this event of this component (`id` null: the page loading). */
  trigger(id: number | null, event: EventName, except?: number | null): void {
    for (const fn of this.config.fns) if (fn.id !== except && fn.triggers.some((t) => t.id === id && t.event === event)) this.start(fn.id);
  }

  /**
   * Runs a function with the current values of its inputs; `pending` shows a sent message.
   * What happens when it is already going is its trigger mode's to say.
   */
  start(fnId: number, pending: string | null = null): void {
    const fn = this.config.fns[fnId];
    if (!fn) return;
    for (const other of fn.cancels) this.stop(other);
    if (!fn.hasFn) return;
    if (this.runOf(fnId) && fn.triggerMode !== "multiple") {
      if (fn.triggerMode === "always_last") this.again.add(fnId);
      return;
    }
    if (this.hold(fnId, fn.inputs, () => this.start(fnId, pending))) return;
    const id = `r${Date.now().toString(36)}${(this.nextRun++).toString(36)}`;
    batch(() => {
      this.runs.value = [...this.runs.value, { id, fn: fnId, shown: false, queued: null }];
      this.pending.value = pending;
      this.error.value = null;
    });
    this.client.send({ type: "run", id, fn: fnId, data: fn.inputs.map((i) => this.value(i).value) });
  }

  /** Stops the runs of one function, or all. */
  stop(fnId?: number): void {
    for (const r of this.runs.value) if (fnId === undefined || r.fn === fnId) this.client.send({ type: "cancel", id: r.id });
  }

  clear(): void {
    this.render();
    this.fromServer = { fn: null, silent: true };
    batch(() => {
      for (const c of this.config.components) {
        this.value(c.id).value = c.value;
        this.changed.get(c.id)!.value = {};
      }
      this.error.value = null;
      this.feedback.value = {};
    });
    this.fromServer = null;
    this.client.send({ type: "clear" });
  }

  giveFeedback(component: number, index: number, value: FeedbackValue | null): void {
    this.feedback.value = { ...this.feedback.value, [`${component}:${index}`]: value };
    this.client.send({ type: "feedback", component, index, value });
  }

  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome": {
        // The server now runs another version of the app (restarted with changes): start afresh.
        if (frame.configId && this.config.id && frame.configId !== this.config.id) return location.reload();
        // With replay, the frames this page missed follow. Otherwise this is the session as it
        // is now (after a reload): show it, and follow the runs still going. Boxes the user types
        // in are left alone: they may already hold what the user typed since.
        if (frame.replay) return;
        this.render();
        this.write(null, true, () => {
          this.show(frame.values ?? {}, this.editable);
          for (const [id, p] of Object.entries(frame.props ?? {})) {
            const s = this.changed.get(Number(id));
            if (s) s.value = p;
          }
          const theirs = (frame.runs ?? []).map((r): ActiveRun => ({ id: r.id, fn: r.fn, shown: true, queued: null }));
          // A run this page sent before the welcome goes out right after it: keep following it.
          const mine = this.runs.value.filter((r) => this.client.isPending(r.id) && !theirs.some((t) => t.id === r.id));
          this.runs.value = [...theirs, ...mine];
          if (mine.length === 0) this.pending.value = null;
        });
        if (!this.loaded) {
          this.loaded = true;
          this.trigger(null, "load");
        }
        return;
      }
      case "queued":
        return this.update(frame.id, (r) => ({ ...r, shown: true, queued: { position: frame.position, eta: frame.eta } }));
      case "started":
        return this.update(frame.id, (r) => ({ ...r, shown: true, queued: null }));
      case "cleared":
        this.render();
        return this.write(null, true, () => {
          this.show(frame.values, new Set());
          for (const s of this.changed.values()) s.value = {};
        });
      case "partial":
      case "done": {
        const run = this.runs.value.find((r) => r.id === frame.id);
        if (!run) return;
        // The end, too, is shown with the next animation frame (then the run ends and what is
        // chained with `.then` starts, reading these values).
        this.buffer(run, frame.ops, frame.props, frame.type === "done" ? { stopped: frame.stopped === true } : undefined);
        if (!this.frameAsked) {
          this.frameAsked = true;
          // A hidden tab gets no animation frames: there the frames are shown as they come.
          if (document.hidden) queueMicrotask(() => this.render());
          else requestAnimationFrame(() => this.render());
        }
        return;
      }
      case "error": {
        this.render();
        const run = frame.id === undefined ? undefined : this.runs.value.find((r) => r.id === frame.id);
        this.write(run?.fn ?? null, false, () => {
          if (run) {
            this.patch(frame.ops ?? {}, frame.props);
            this.runs.value = this.runs.value.filter((r) => r !== run);
            this.pending.value = null;
          }
          // Stopping a run is what the user asked for, not an error to show them.
          if (frame.code !== "cancelled") this.error.value = frame.message;
        });
        if (run) this.ended(run, false);
        return;
      }
    }
  }

  /** A run ended: chain `.then` functions after a success, and rerun one that fired meanwhile. */
  private ended(run: ActiveRun, succeeded: boolean): void {
    const fn = this.config.fns[run.fn] as FnConfig;
    if (succeeded) for (const next of fn.then) this.start(next);
    if (this.again.delete(run.fn)) this.start(run.fn);
  }

  private update(runId: string, change: (r: ActiveRun) => ActiveRun): void {
    if (this.runs.value.some((r) => r.id === runId)) this.runs.value = this.runs.value.map((r) => (r.id === runId ? change(r) : r));
  }

  /**
   * Writes from the server: value changes a run makes fire `change`, not `input`; a picture of
   * the session (welcome, cleared) fires nothing.
   */
  private write(fn: number | null, silent: boolean, work: () => void): void {
    this.fromServer = { fn, silent };
    try {
      batch(work);
    } finally {
      this.fromServer = null;
    }
  }

  private show(values: Record<string, unknown>, skip: Set<number>): void {
    for (const [id, v] of Object.entries(values)) {
      if (skip.has(Number(id))) continue;
      const s = this.values.get(Number(id));
      if (s) s.value = v;
    }
  }

  /** Applies a run's edits to what it will show at the next render(). */
  private buffer(run: ActiveRun, ops: OutputOps, props: PropsChanges | undefined, done?: { stopped: boolean }): void {
    let u = this.unshown.get(run.id);
    if (!u) this.unshown.set(run.id, (u = { run, values: new Map(), props: new Map() }));
    if (done) u.done = done;
    for (const [key, edits] of Object.entries(ops)) {
      const id = Number(key);
      const s = this.values.get(id);
      if (s && edits.length > 0) u.values.set(id, applyOps(u.values.has(id) ? u.values.get(id) : s.peek(), edits));
    }
    for (const [key, p] of Object.entries(props ?? {})) u.props.set(Number(key), { ...u.props.get(Number(key)), ...p });
  }

  /**
   * Shows what runs' frames changed since the last render: the renderers that read it run.
   * Called once per animation frame while a stream comes, and at once before any other change.
   */
  private render(): void {
    this.frameAsked = false;
    if (this.unshown.size === 0) return;
    const pending = [...this.unshown.entries()];
    this.unshown.clear();
    for (const [runId, u] of pending) {
      this.write(u.run.fn, false, () => {
        for (const [id, v] of u.values) this.value(id).value = v;
        for (const [id, p] of u.props) {
          const s = this.changed.get(id);
          if (s) s.value = { ...s.value, ...p };
        }
        // The run has answered: the sent message is in the chat now, and the run out of the queue.
        this.pending.value = null;
        const run = this.runs.peek().find((r) => r.id === runId);
        if (u.done) this.runs.value = this.runs.value.filter((r) => r.id !== runId);
        else if (run && (!run.shown || run.queued)) this.update(runId, (r) => ({ ...r, shown: true, queued: null }));
      });
      if (u.done) this.ended(u.run, !u.done.stopped);
    }
  }

  /** Applies a run's edits at once; untouched parts keep their identity, so they do not re-render. */
  private patch(ops: OutputOps, props: PropsChanges | undefined): void {
    for (const [id, edits] of Object.entries(ops)) {
      const s = this.values.get(Number(id));
      if (s && edits.length > 0) s.value = applyOps(s.value, edits);
    }
    for (const [id, p] of Object.entries(props ?? {})) {
      const s = this.changed.get(Number(id));
      if (s) s.value = { ...s.value, ...p };
    }
  }

  /**
   * The person's edits fire `input` and `change` (and `select` where picking is the edit); a
   * run's result fires `change` for other functions listening (not the one that wrote it, which
   * would loop).
   */
  private watchEdits(): void {
    const listened = new Set(this.config.fns.flatMap((f) => f.triggers.filter((t) => t.id !== null && ["change", "input", "select"].includes(t.event)).map((t) => t.id as number)));
    for (const id of listened) {
      const kind = this.config.components.find((c) => c.id === id)?.kind;
      let first = true;
      effect(() => {
        void this.value(id).value;
        if (first) {
          first = false;
          return;
        }
        const from = this.fromServer;
        // Effects run after the batch that wrote; read the origin without subscribing.
        queueMicrotask(() => {
          if (from?.silent) return;
          if (from) return this.trigger(id, "change", from.fn);
          this.trigger(id, "input");
          if (kind === "dropdown" || kind === "checkbox") this.trigger(id, "select");
          this.trigger(id, "change");
        });
      });
    }
  }
}
