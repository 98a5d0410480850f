import { type AppConfig, applyOps, parseClientFrame, type ServerFrame, toDaisError, type UpdateProps } from "@dais/core";
import { WebSocket } from "ws";
import { Channel } from "./Channel.ts";
import type { Runtime } from "./Runtime.ts";

/**
 * A client for tests: over a real WebSocket (`connect`) or straight into a runtime, with no
 * socket (`direct`). It sends frames, awaits the ones that arrive, and keeps the values and
 * props a tab would show by applying edits as the UI does.
 */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  /** What a tab would show, by component id. */
  values: Record<number, unknown> = {};
  /** Props changed by runs, by component id. */
  props: Record<number, UpdateProps> = {};
  /** The last numbered frame received. */
  lastSeq = 0;
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly transport: { send(text: string): void; close(): void; readonly open: boolean },
    private readonly config: AppConfig,
    /** The WebSocket, for clients over one. */
    readonly socket: WebSocket = undefined as unknown as WebSocket,
  ) {}

  /** What the tab shows for function `fn`'s `i`-th visible output. */
  output(i = 0, fn = 0): unknown {
    return this.values[this.outputId(i, fn)];
  }

  /** The component id of function `fn`'s `i`-th visible output. */
  outputId(i = 0, fn = 0): number {
    const id = this.config.fns[fn]?.outputs[i];
    if (id === undefined) throw new Error(`fn ${fn} has no output ${i}`);
    return id;
  }

  private receive(frame: ServerFrame & { seq?: number }): void {
    this.view(frame);
    this.frames.push(frame);
    for (const w of this.waiters.splice(0)) w();
  }

  /** Takes over what another (dropped) page showed. */
  adopt(values: Record<number, unknown>): void {
    this.values = { ...values };
  }

  private view(frame: ServerFrame & { seq?: number }): void {
    if (frame.seq !== undefined) this.lastSeq = frame.seq;
    if (frame.type === "welcome" && frame.replay) return;
    if (frame.type === "welcome" || frame.type === "cleared") {
      this.values = { ...(frame.values ?? {}) };
      this.props = frame.type === "welcome" ? { ...(frame.props ?? {}) } : {};
    }
    if (frame.type === "partial" || frame.type === "done" || frame.type === "error") {
      for (const [id, ops] of Object.entries(frame.ops ?? {})) this.values[Number(id)] = applyOps(this.values[Number(id)], ops);
      for (const [id, changed] of Object.entries(frame.props ?? {})) this.props[Number(id)] = { ...this.props[Number(id)], ...changed };
    }
  }

  static async connect(url: string): Promise<TestClient> {
    const config = (await (await fetch(`${url}config?format=dais`)).json()) as AppConfig;
    const socket = new WebSocket(url.replace(/^http/, "ws") + "ws");
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    const client = new TestClient(
      {
        send: (text) => socket.send(text),
        close: () => socket.close(),
        get open() {
          return socket.readyState === WebSocket.OPEN;
        },
      },
      config,
      socket,
    );
    socket.on("message", (data) => client.receive(JSON.parse(data.toString()) as ServerFrame));
    return client;
  }

  /** A client wired straight into a runtime: the same commands and frames, no socket. */
  static direct(runtime: Runtime): TestClient {
    let open = true;
    const sink = { to: undefined as TestClient | undefined };
    const channel = new Channel(runtime, (_frame, text) => sink.to?.receive(JSON.parse(text) as ServerFrame));
    const client = new TestClient({
      send: (text) => {
        try {
          channel.receive(parseClientFrame(text));
        } catch (e) {
          channel.reject(toDaisError(e, "bad_frame"));
        }
      },
      close: () => {
        open = false;
        channel.close();
      },
      get open() {
        return open;
      },
    }, runtime.app.config);
    sink.to = client;
    return client;
  }

  send(frame: unknown): void {
    this.transport.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Says hello (to `session`, to resume one) and resolves with the welcome. */
  async hello(session?: string, lastSeq?: number): Promise<Extract<ServerFrame, { type: "welcome" }>> {
    this.send({ type: "hello", ...(session ? { session } : {}), ...(lastSeq === undefined ? {} : { lastSeq }) });
    return this.next("welcome");
  }

  /** The first frame not yet taken that matches (frames are consumed in order). */
  /** `timeout` only bounds a hang; a busy machine may take seconds for a frame. */
  async take(match: (f: ServerFrame) => boolean, timeout = 30_000): Promise<ServerFrame> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const i = this.frames.findIndex(match);
      if (i >= 0) return this.frames.splice(i, 1)[0] as ServerFrame;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No matching frame within ${timeout} ms; got ${JSON.stringify(this.frames).slice(0, 2000)}`);
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
    return this.transport.open;
  }

  close(): void {
    this.transport.close();
  }
}
