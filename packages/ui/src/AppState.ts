import { type AppConfig, applyOps, type FeedbackValue, type Op, type ServerFrame } from "@dais/core";
import { batch, type Signal, signal } from "@preact/signals";
import { Client } from "./Client.ts";

/**
 * Everything the page shows, as signals: one per component value, plus the run in flight, the
 * message waiting to be answered and the last error. Server frames update the signals;
 * renderers read them. A run's frames are applied as they come but shown at most once per
 * animation frame: a fast stream sends far more frames than the screen can show.
 */
export class AppState {
  readonly values = new Map<number, Signal<unknown>>();
  readonly running = signal<string | null>(null);
  /** The message just sent, shown until the server's first update includes it. */
  readonly pending = signal<string | null>(null);
  readonly error = signal<string | null>(null);
  /** Where the run waits in the queue, while it waits. */
  readonly queued = signal<{ position: number; eta: number | null } | null>(null);
  /** Feedback given in this tab, by `component:index`. */
  readonly feedback = signal<Record<string, FeedbackValue | null>>({});
  readonly client: Client;
  /** Components the user edits: inputs of some function. */
  private readonly editable: Set<number>;
  private runningFn = 0;
  private nextRun = 0;
  /** Output values changed by the run's frames and not yet written to their signals. */
  private readonly unshown = new Map<number, unknown>();
  /** The run has sent a partial or done frame not yet shown; `ended`: its done frame. */
  private streamed = false;
  private ended = false;
  private frameAsked = false;

  constructor(
    readonly config: AppConfig,
    wsUrl: string,
    storageKey: string,
  ) {
    for (const c of config.components) this.values.set(c.id, signal(c.value));
    this.editable = new Set(config.fns.flatMap((f) => f.inputs));
    this.client = new Client(wsUrl, storageKey, (frame) => this.receive(frame));
  }

  value(id: number): Signal<unknown> {
    const s = this.values.get(id);
    if (!s) throw new Error(`No component ${id}`);
    return s;
  }

  /** Runs a function with the current values of its inputs; `pending` shows a sent message. */
  submit(fnId = 0, pending: string | null = null): void {
    const fn = this.config.fns[fnId];
    if (!fn || this.running.value) return;
    const id = `r${Date.now().toString(36)}${(this.nextRun++).toString(36)}`;
    this.runningFn = fnId;
    batch(() => {
      this.running.value = id;
      this.pending.value = pending;
      this.error.value = null;
      this.queued.value = null;
    });
    this.client.send({ type: "run", id, fn: fnId, data: fn.inputs.map((i) => this.value(i).value) });
  }

  stop(): void {
    if (this.running.value) this.client.send({ type: "cancel", id: this.running.value });
  }

  clear(): void {
    this.render();
    batch(() => {
      for (const c of this.config.components) this.value(c.id).value = c.value;
      this.error.value = null;
      this.feedback.value = {};
    });
    this.client.send({ type: "clear" });
  }

  giveFeedback(component: number, index: number, value: FeedbackValue | null): void {
    this.feedback.value = { ...this.feedback.value, [`${component}:${index}`]: value };
    this.client.send({ type: "feedback", component, index, value });
  }

  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome":
        // The server now runs another version of the app (restarted with changes): start afresh.
        if (frame.configId && this.config.id && frame.configId !== this.config.id) return location.reload();
        // With replay, the frames this page missed follow. Otherwise this is the session as it
        // is now (after a reload): show it, and follow a run still going. Boxes the user types
        // in are left alone: they may already hold what the user typed since.
        if (frame.replay) return;
        batch(() => {
          this.show(frame.values ?? {}, this.editable);
          const run = frame.runs?.[0];
          const mine = this.running.value;
          if (run) {
            this.running.value = run.id;
            this.runningFn = run.fn;
          } else if (mine === null || !this.client.isPending(mine)) {
            // A run this page sent before the welcome goes out right after it: keep following it.
            this.running.value = null;
            this.pending.value = null;
            this.queued.value = null;
          }
        });
        return;
      case "queued":
        if (frame.id === this.running.value) this.queued.value = { position: frame.position, eta: frame.eta };
        return;
      case "cleared":
        return this.show(frame.values, new Set());
      case "started":
        if (frame.id === this.running.value) this.queued.value = null;
        return;
      case "partial":
      case "done":
        if (frame.id !== this.running.value) return;
        this.patch(frame.ops);
        this.streamed = true;
        if (frame.type === "done") this.ended = true;
        // A hidden tab gets no animation frames: it shows the end at once, the rest when seen.
        if (frame.type === "done" && document.hidden) return this.render();
        if (!this.frameAsked) {
          this.frameAsked = true;
          requestAnimationFrame(() => {
            this.frameAsked = false;
            this.render();
          });
        }
        return;
      case "error":
        batch(() => {
          if (frame.id !== undefined && frame.id === this.running.value) {
            if (frame.ops) this.patch(frame.ops);
            this.render();
            this.running.value = null;
            this.pending.value = null;
            this.queued.value = null;
          }
          // Stopping a run is what the user asked for, not an error to show them.
          if (frame.code !== "cancelled") this.error.value = frame.message;
        });
        return;
    }
  }

  private show(values: Record<number, unknown>, skip: Set<number>): void {
    this.render();
    batch(() => {
      for (const [id, v] of Object.entries(values)) {
        if (skip.has(Number(id))) continue;
        const s = this.values.get(Number(id));
        if (s) s.value = v;
      }
    });
  }

  /**
   * Applies a run's edits to the values, to be shown by render(); untouched parts keep their
   * identity, so they do not re-render.
   */
  private patch(ops: Op[][]): void {
    this.config.fns[this.runningFn]?.outputs.forEach((id, i) => {
      const edits = ops[i];
      if (edits && edits.length > 0) this.unshown.set(id, applyOps(this.unshown.has(id) ? this.unshown.get(id) : this.value(id).peek(), edits));
    });
  }

  /**
   * Shows what the run's frames changed since the last render: the renderers that read it run.
   * Called once per animation frame while frames come, and at once before any other change.
   */
  private render(): void {
    if (this.unshown.size === 0 && !this.streamed) return;
    batch(() => {
      for (const [id, v] of this.unshown) this.value(id).value = v;
      // The run has answered: the sent message is in the chat now, and the run out of the queue.
      if (this.streamed) {
        this.pending.value = null;
        this.queued.value = null;
      }
      if (this.ended) this.running.value = null;
    });
    this.unshown.clear();
    this.streamed = false;
    this.ended = false;
  }
}
