import { applyOps, type ServerFrame } from "@dais/core";
import { WebSocket } from "ws";

type Frame = ServerFrame & { seq?: number };
type Welcome = Extract<ServerFrame, { type: "welcome" }>;

/**
 * One chat session over the page's WebSocket, through the balancer, that behaves as the page's
 * Client does when its connection drops: it reconnects (to whichever process the balancer
 * picks) and says hello with its session and the last frame it got, and resends (marked
 * `resend`) the runs it sent that it has heard nothing of, which the server runs only if it
 * never took them in. A welcome into another session ends the turns still waiting. It
 * keeps what the tab would show, and counts numbered frames that came again (`repeats`: the
 * server promises the frames after the last one, none twice). Numbers may skip: a stream's
 * frames merged while a socket was backed up carry the last one's number.
 */
export class ChatSession {
  session: string | undefined;
  lastSeq: number | undefined;
  /** What the tab shows, by component id. */
  values: Record<string, unknown> = {};
  /** Numbered frames that came again. */
  repeats = 0;
  reconnects = 0;
  /** Runs resent after a reconnect (each marked `resend`). */
  resends = 0;
  /** Welcomes that did not resume the session (its record was gone). */
  freshStarts = 0;
  private socket: WebSocket | undefined;
  private ended = new Map<string, Frame>();
  private waiters = new Set<() => void>();
  private closed = false;
  /** Frames to send once welcomed (the page's Client holds them so too). */
  private pending: string[] = [];
  /** Runs sent that no frame has named yet, by id: resent after a reconnect. */
  private unheard = new Map<string, string>();
  /** Runs sent whose end has not come. */
  private open = new Set<string>();

  constructor(
    private readonly url: string,
    /** The chatbot's component id, whose value is the history. */
    readonly chatbotId: number,
  ) {}

  /** The conversation as the tab shows it. */
  get history(): { role: string; content: string }[] {
    return (this.values[String(this.chatbotId)] as { role: string; content: string }[] | undefined) ?? [];
  }

  /** Connects (again) and resolves with the welcome; retries while the balancer has no process to give. */
  async connect(deadline = Date.now() + 60_000): Promise<Welcome> {
    for (;;) {
      try {
        return await this.once();
      } catch (error) {
        if (Date.now() > deadline || this.closed) throw error;
        // The page waits 250 ms and more between tries; a test client need not wait as long, but must not spin.
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  private once(): Promise<Welcome> {
    const socket = new WebSocket(`${this.url.replace(/^http/, "ws")}ws`);
    this.socket = socket;
    return new Promise<Welcome>((resolve, reject) => {
      let welcomed = false;
      // A process that takes the socket but never welcomes (its Redis gone) is given up on.
      const timer = setTimeout(() => {
        if (welcomed) return;
        reject(new Error("no welcome within 15 s"));
        socket.terminate();
      }, 15_000);
      socket.once("error", (e) => !welcomed && reject(e));
      socket.once("close", () => {
        if (!welcomed) reject(new Error("closed before the welcome"));
        this.wake();
      });
      socket.once("open", () => socket.send(JSON.stringify({ type: "hello", ...(this.session ? { session: this.session } : {}), ...(this.session && this.lastSeq !== undefined ? { lastSeq: this.lastSeq } : {}) })));
      socket.on("message", (data) => {
        const frame = JSON.parse(data.toString()) as Frame;
        if (frame.type === "welcome") {
          welcomed = true;
          clearTimeout(timer);
          const fresh = this.session !== undefined && (!frame.resumed || frame.session !== this.session);
          if (fresh) {
            this.freshStarts++;
            // The page drops the runs of a session it is no longer in: they end, as far as it knows.
            for (const id of this.open) this.ended.set(id, { type: "error", id, code: "not_found", message: "session lost" });
            this.open.clear();
            this.unheard.clear();
          }
          this.session = frame.session;
          if (!frame.replay) {
            this.values = { ...(frame.values ?? {}) };
            this.lastSeq = frame.seq;
          }
          resolve(frame);
          const pending = this.pending.splice(0);
          // Runs sent on a connection that dropped may never have been read: resent, marked so.
          if (frame.replay)
            for (const [id, text] of this.unheard) {
              if (pending.includes(text)) continue;
              this.resends++;
              socket.send(JSON.stringify({ ...(JSON.parse(text) as object), resend: true, id }));
            }
          for (const text of pending) socket.send(text);
          this.wake();
          return;
        }
        this.receive(frame);
      });
    });
  }

  private receive(frame: Frame): void {
    if ("id" in frame && frame.id !== undefined) this.unheard.delete(frame.id);
    if (frame.seq !== undefined) {
      if (this.lastSeq !== undefined && frame.seq <= this.lastSeq) {
        this.repeats++;
        return;
      }
      this.lastSeq = frame.seq;
    }
    if (frame.type === "cleared") this.values = { ...frame.values };
    if (frame.type === "partial" || frame.type === "done" || frame.type === "error")
      for (const [id, ops] of Object.entries(frame.ops ?? {})) this.values[id] = applyOps(this.values[id], ops);
    if ((frame.type === "done" || frame.type === "error") && frame.id !== undefined) {
      this.ended.set(frame.id, frame);
      this.open.delete(frame.id);
    }
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /**
   * Sends one turn and resolves with its done or error frame, reconnecting when the connection
   * drops meanwhile. Rejects if it has not ended `timeout` ms after the last (re)connection:
   * that turn is lost.
   */
  async turn(id: string, message: string, timeout = 60_000): Promise<Frame> {
    const run = JSON.stringify({ type: "run", id, fn: 0, data: [message] });
    this.unheard.set(id, run);
    this.open.add(id);
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(run);
    else this.pending.push(run);
    let deadline = Date.now() + timeout;
    for (;;) {
      const end = this.ended.get(id);
      if (end) return end;
      if (this.socket?.readyState !== WebSocket.OPEN && this.socket?.readyState !== WebSocket.CONNECTING) {
        this.reconnects++;
        await this.connect();
        deadline = Date.now() + timeout;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`turn ${id} of session ${this.session} never ended (lost)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        const waiters = this.waiters;
        waiters.add(done);
      });
    }
  }

  /** Sends a turn without waiting for it. */
  send(id: string, message: string): void {
    const run = JSON.stringify({ type: "run", id, fn: 0, data: [message] });
    this.unheard.set(id, run);
    this.open.add(id);
    this.socket?.send(run);
  }

  /** Drops the connection and connects again, as a page does after a network blip or a reload. */
  async reconnect(): Promise<Welcome> {
    const old = this.socket;
    if (old && old.readyState !== WebSocket.CLOSED) {
      const closed = new Promise((resolve) => old.once("close", resolve));
      old.terminate();
      await closed;
    }
    this.reconnects++;
    return this.connect();
  }

  close(): void {
    this.closed = true;
    this.socket?.terminate();
  }
}
