import type { ServerFrame } from "@dais/core";
import { WebSocket } from "ws";

/** A real WebSocket client for integration tests: send frames, await the ones that arrive. */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  private waiters: (() => void)[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.frames.push(JSON.parse(data.toString()) as ServerFrame);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(url: string): Promise<TestClient> {
    const socket = new WebSocket(url.replace(/^http/, "ws") + "ws");
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    return new TestClient(socket);
  }

  /** Connects and says hello; resolves with the welcome frame. */
  static async session(url: string, session?: string): Promise<{ client: TestClient; welcome: Extract<ServerFrame, { type: "welcome" }> }> {
    const client = await TestClient.connect(url);
    client.send({ type: "hello", ...(session ? { session } : {}) });
    const welcome = await client.next("welcome");
    return { client, welcome };
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first frame not yet taken that matches (frames are consumed in order). */
  async take(match: (f: ServerFrame) => boolean, timeout = 5000): Promise<ServerFrame> {
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

  /** Runs fn 0 and resolves with its done or error frame. */
  async run(id: string, data: unknown[]): Promise<Extract<ServerFrame, { type: "done" | "error" }>> {
    this.send({ type: "run", id, fn: 0, data });
    return (await this.take((f) => (f.type === "done" || f.type === "error") && f.id === id)) as Extract<ServerFrame, { type: "done" | "error" }>;
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.socket.close();
  }
}
