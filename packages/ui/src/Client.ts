import type { ClientFrame, ServerFrame } from "@dais/core";
import { signal } from "@preact/signals";

export type ConnectionStatus = "connecting" | "open" | "reconnecting";

/**
 * The tab's WebSocket to the server. It says hello with the session id this tab keeps in
 * sessionStorage, so a reload resumes the same session; it reconnects with backoff when the
 * connection drops, and holds frames sent meanwhile until the server has welcomed it again.
 */
export class Client {
  readonly status = signal<ConnectionStatus>("connecting");
  private socket: WebSocket | undefined;
  private welcomed = false;
  private pending: ClientFrame[] = [];
  private retries = 0;

  constructor(
    private readonly url: string,
    private readonly storageKey: string,
    private readonly onFrame: (frame: ServerFrame) => void,
  ) {}

  connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.welcomed = false;
    socket.onopen = () => {
      const session = sessionStorage.getItem(this.storageKey) ?? undefined;
      socket.send(JSON.stringify({ type: "hello", ...(session ? { session } : {}) } satisfies ClientFrame));
    };
    socket.onmessage = (event) => {
      const frame = JSON.parse(String(event.data)) as ServerFrame;
      if (frame.type === "welcome") {
        sessionStorage.setItem(this.storageKey, frame.session);
        this.welcomed = true;
        this.retries = 0;
        this.status.value = "open";
        this.onFrame(frame);
        for (const f of this.pending.splice(0)) socket.send(JSON.stringify(f));
        return;
      }
      this.onFrame(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.status.value = "reconnecting";
      const delay = Math.min(250 * 2 ** this.retries++, 5000);
      setTimeout(() => this.connect(), delay);
    };
  }

  send(frame: ClientFrame): void {
    if (this.socket && this.welcomed && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
    else this.pending.push(frame);
  }
}
