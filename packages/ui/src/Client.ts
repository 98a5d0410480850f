import type { ClientFrame, SequencedFrame } from "@dais/core";
import { signal } from "@preact/signals";

export type ConnectionStatus = "connecting" | "open" | "reconnecting";

/**
 * The tab's WebSocket to the server. It says hello with the session id this tab keeps in
 * sessionStorage (so a reload resumes the same session) and the number of the last frame it
 * got (so after a dropped connection the server sends exactly the frames it missed, once).
 * It reconnects with backoff and holds frames sent meanwhile until it is welcomed again; runs it
 * sent that it heard nothing of (their frame may have died with the process that took it) are
 * resent, marked `resend`, which the server runs only if it never took them in.
 */
export class Client {
  readonly status = signal<ConnectionStatus>("connecting");
  /** Why the app is gone, when `dais run --reload` says it failed to start (its error text). */
  readonly startupError = signal<string | undefined>(undefined);
  private socket: WebSocket | undefined;
  private welcomed = false;
  private pending: ClientFrame[] = [];
  /** Run frames sent that no frame has named yet, by run id (the latest few). */
  private unheard = new Map<string, Extract<ClientFrame, { type: "run" }>>();
  private retries = 0;
  /** The last numbered frame handled; frames at or below it are duplicates. */
  private lastSeq: number | undefined;

  constructor(
    private readonly url: string,
    private readonly storageKey: string,
    private readonly onFrame: (frame: SequencedFrame) => void,
  ) {}

  /** The session this tab is in (uploads name it, so its files are its own). */
  get session(): string | undefined {
    return sessionStorage.getItem(this.storageKey) ?? undefined;
  }

  connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.welcomed = false;
    socket.onopen = () => {
      const session = sessionStorage.getItem(this.storageKey) ?? undefined;
      const hello: ClientFrame = { type: "hello" };
      if (session) hello.session = session;
      if (session && this.lastSeq !== undefined) hello.lastSeq = this.lastSeq;
      socket.send(JSON.stringify(hello));
    };
    socket.onmessage = (event) => {
      const frame = JSON.parse(String(event.data)) as SequencedFrame;
      if (frame.type === "welcome") {
        sessionStorage.setItem(this.storageKey, frame.session);
        this.welcomed = true;
        this.retries = 0;
        this.status.value = "open";
        this.startupError.value = undefined;
        // A fresh picture counts as everything up to its number; with replay, the frames after
        // our last one follow and are counted as they come.
        if (!frame.replay) this.lastSeq = frame.seq;
        this.onFrame(frame);
        const pending = this.pending.splice(0);
        for (const [id, run] of this.unheard) {
          if (pending.includes(run)) continue;
          // After a replay (the frames that follow name the runs the server took in) a run heard
          // of nowhere is resent; a fresh picture lists the runs going, and the page follows those.
          if (frame.replay) socket.send(JSON.stringify({ ...run, resend: true }));
          else this.unheard.delete(id);
        }
        for (const f of pending) socket.send(JSON.stringify(f));
        return;
      }
      if ("id" in frame && frame.id !== undefined) this.unheard.delete(frame.id);
      if (frame.seq !== undefined) {
        if (this.lastSeq !== undefined && frame.seq <= this.lastSeq) return;
        this.lastSeq = frame.seq;
      }
      this.onFrame(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.status.value = "reconnecting";
      const delay = Math.min(250 * 2 ** this.retries++, 5000) * (0.75 + Math.random() / 2);
      setTimeout(() => this.connect(), delay);
      void this.askWhyGone();
    };
  }

  /** While the app is away, `dais run --reload` may stand in on its port and tell why. */
  private async askWhyGone(): Promise<void> {
    try {
      const res = await fetch(new URL("startup-error", this.url.replace(/^ws/, "http")), { cache: "no-store" });
      if (res.ok && res.headers.get("x-dais-startup-error") === "1" && this.status.value !== "open") this.startupError.value = await res.text();
    } catch {
      // Nothing listens there yet: the plain "reconnecting" is the truth.
    }
  }

  /** Whether a run frame is still waiting to be sent (the page has not been welcomed yet). */
  isPending(runId: string): boolean {
    return this.pending.some((f) => f.type === "run" && f.id === runId);
  }

  send(frame: ClientFrame): void {
    if (frame.type === "run") {
      this.unheard.set(frame.id, frame);
      // Kept small: only runs sent just before a connection drops can need resending.
      if (this.unheard.size > 32) this.unheard.delete(this.unheard.keys().next().value as string);
    }
    if (this.socket && this.welcomed && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
    else this.pending.push(frame);
  }
}
