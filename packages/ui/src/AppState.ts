import type { AppConfig, ServerFrame } from "@dais/core";
import { batch, type Signal, signal } from "@preact/signals";
import { Client } from "./Client.ts";

/**
 * Everything the page shows, as signals: one per component value, plus the run in flight and
 * the last error. Server frames update the signals; renderers read them.
 */
export class AppState {
  readonly values = new Map<number, Signal<unknown>>();
  readonly running = signal<string | null>(null);
  private runningFn = 0;
  readonly error = signal<string | null>(null);
  readonly client: Client;
  private nextRun = 0;

  constructor(
    readonly config: AppConfig,
    wsUrl: string,
    storageKey: string,
  ) {
    for (const c of config.components) this.values.set(c.id, signal(c.value));
    this.client = new Client(wsUrl, storageKey, (frame) => this.receive(frame));
  }

  value(id: number): Signal<unknown> {
    const s = this.values.get(id);
    if (!s) throw new Error(`No component ${id}`);
    return s;
  }

  submit(fnId = 0): void {
    const fn = this.config.fns[fnId];
    if (!fn || this.running.value) return;
    const id = `r${Date.now().toString(36)}${(this.nextRun++).toString(36)}`;
    this.runningFn = fnId;
    batch(() => {
      this.running.value = id;
      this.error.value = null;
    });
    this.client.send({ type: "run", id, fn: fnId, data: fn.inputs.map((i) => this.value(i).value) });
  }

  stop(): void {
    if (this.running.value) this.client.send({ type: "cancel", id: this.running.value });
  }

  clear(): void {
    batch(() => {
      for (const c of this.config.components) this.value(c.id).value = c.value;
      this.error.value = null;
    });
    this.client.send({ type: "clear" });
  }

  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome":
      case "cleared":
        return this.show(frame.values);
      case "started":
        return;
      case "partial":
      case "done":
        if (frame.id !== this.running.value) return;
        batch(() => {
          this.fill(frame.data);
          if (frame.type === "done") this.running.value = null;
        });
        return;
      case "error":
        batch(() => {
          this.error.value = frame.message;
          if (frame.id !== undefined && frame.id === this.running.value) this.running.value = null;
        });
        return;
    }
  }

  private show(values: Record<number, unknown>): void {
    batch(() => {
      for (const [id, v] of Object.entries(values)) {
        const s = this.values.get(Number(id));
        if (s) s.value = v;
      }
    });
  }

  private fill(data: unknown[]): void {
    this.config.fns[this.runningFn]?.outputs.forEach((id, i) => (this.value(id).value = data[i]));
  }
}
