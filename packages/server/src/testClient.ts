import { applyOps, type ServerFrame } from "@dais/core";
import { WebSocket } from "ws";

/**
 * A real WebSocket client for integration tests: send frames, await the ones that arrive, and
 * keep the values a tab would show by applying edits as the UI does.
 */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  /** What a tab would show, by component id. */
  values: Record<number, unknown> = {};
  /** Run id -> the fn's visible output ids, to apply a run's edits to. */
  private outputs = new Map<string, number[]>();
  private waiters: (() => void)[] = [];
  private constructor(
    readonly socket: WebSocket,
    private readonly fnOutputs: number[][],
  ) {
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      this.view(frame);
      this.frames.push(frame);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** The last numbered frame received. */
  lastSeq = 0;

  /** Takes over what another (dropped) page showed, and a run it was following. */
  adopt(values: Record<number, unknown>, runId: string, fn: number): void {
    this.values = { ...values };
    this.outputs.set(runId, this.fnOutputs[fn] ?? []);
  }

  private view(frame: ServerFrame & { seq?: number }): void {
    if (frame.seq !== undefined) this.lastSeq = frame.seq;
    if (frame.type === "welcome" && frame.replay) return;
    // A reloaded page follows the runs its session still has going, as the UI does.
    if (frame.type === "welcome") for (const run of frame.runs ?? []) this.outputs.set(run.id, this.fnOutputs[run.fn] ?? []);
    if (frame.type === "welcome" || frame.type === "cleared") this.values = { ...(frame.values ?? {}) };
    if ((frame.type === "partial" || frame.type === "done" || frame.type === "error") && frame.id !== undefined && frame.ops) {
      const ids = this.outputs.get(frame.id) ?? [];
      frame.ops.forEach((ops, i) => {
        const id = ids[i] as number;
        this.values[id] = applyOps(this.values[id], ops);
      });
    }
  }

  static async connect(url: string): Promise<TestClient> {
    const config = (await (await fetch(`${url}config`)).json()) as { fns: { outputs: number[] }[] };
    const socket = new WebSocket(url.replace(/^http/, "ws") + "ws");
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    return new TestClient(
      socket,
      config.fns.map((f) => f.outputs),
    );
  }

  send(frame: unknown): void {
    const f = frame as { type?: string; id?: string; fn?: number };
    if (f.type === "run" && f.id !== undefined) this.outputs.set(f.id, this.fnOutputs[f.fn ?? 0] ?? []);
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first frame not yet taken that matches (frames are consumed in order). */
  /** `timeout` only bounds a hang; a busy machine may take seconds for a frame. */
  async take(match: (f: ServerFrame) => boolean, timeout = 30_000): Promise<ServerFrame> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const i = this.frames.findIndex(match);
      if (i >= 0) return this.frames.splice(i, 1)[0] as ServerFrame;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No matching frame within ${timeout} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async next<T extends ServerFrame["type"]>(type: T, timeout?: number): Promise<Extract<ServerFrame, { type: T }>> {
    return (await this.take((f) => f.type === type, timeout)) as Extract<ServerFrame, { type: T }>;
  }

  /** Runs a fn and resolves with its done or error frame; `values` then shows the result. */
  async run(id: string, data: unknown[], fn = 0): Promise<Extract<ServerFrame, { type: "done" | "error" }>> {
    this.send({ type: "run", id, fn, data });
    return (await this.take((f) => (f.type === "done" || f.type === "error") && f.id === id)) as Extract<ServerFrame, { type: "done" | "error" }>;
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.socket.close();
  }
}
