import { WebSocket } from "ws";
import { closeWebSocket } from "./closeWebSocket.ts";
import { type AppFrame, encodeFrame, type RelayFrame, TunnelProtocolError } from "./tunnelProtocol.ts";

/** How often each end pings the other; a ping unanswered by the next one ends the tunnel. */
export const defaultHeartbeatMs = 15_000;

/**
 * One end of the tunnel: frames in, validated by `parse`, and frames out. A frame that breaks
 * the protocol closes the tunnel with 1002 and says why; a peer that stops answering pings is
 * cut off, so a tunnel lost without a goodbye (a laptop's lid shut) is noticed.
 */
export class TunnelSocket<In> {
  private alive = true;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    readonly ws: WebSocket,
    parse: (data: Buffer, isBinary: boolean) => In,
    onFrame: (frame: In) => void,
    heartbeatMs = defaultHeartbeatMs,
  ) {
    ws.on("message", (data: Buffer, isBinary) => {
      this.alive = true;
      let frame: In;
      try {
        frame = parse(data, isBinary);
      } catch (e) {
        if (!(e instanceof TunnelProtocolError)) throw e;
        this.close(1002, e.message);
        return;
      }
      try {
        onFrame(frame);
      } catch (e) {
        // A frame this end could not act on ends this tunnel, not the whole process.
        this.close(1011, `Could not handle a "${(frame as { type?: string }).type}" frame: ${(e as Error).message}`);
      }
    });
    ws.on("pong", () => (this.alive = true));
    this.heartbeat = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (!this.alive) return ws.terminate();
      this.alive = false;
      ws.ping();
    }, heartbeatMs).unref();
    ws.on("close", () => clearInterval(this.heartbeat));
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a frame; `written` runs once it is written out (or can no longer be). */
  send(frame: AppFrame | RelayFrame, written?: () => void): void {
    if (!this.open) {
      written?.();
      return;
    }
    const data = encodeFrame(frame);
    this.ws.send(data, { binary: typeof data !== "string" }, () => written?.());
  }

  /** Closes with a code and a reason (cut to the 123 bytes a close frame holds). */
  close(code: number, reason: string): void {
    clearInterval(this.heartbeat);
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) closeWebSocket(this.ws, code, reason);
  }
}
