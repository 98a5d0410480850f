import type { Request, Response } from "express";

/**
 * One open `text/event-stream` response. It sends a heartbeat now and then so proxies keep it
 * open, and says when the other side has gone, so whoever holds it can let it go.
 */
export class SseStream {
  closed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly onClose = new Set<() => void>();

  constructor(
    req: Request,
    private readonly res: Response,
    heartbeat: () => string,
    heartbeatMs = 15_000,
  ) {
    res.status(200).set({ "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive", "X-Accel-Buffering": "no" });
    res.flushHeaders();
    this.timer = setInterval(() => this.write(heartbeat()), heartbeatMs);
    this.timer.unref();
    const gone = () => this.close();
    req.on("close", gone);
    res.on("close", gone);
  }

  /** Writes one raw event (its lines, without the blank line that ends it). */
  write(event: string): void {
    if (this.closed) return;
    try {
      this.res.write(`${event}\n\n`);
      // compression() buffers; each event must reach the client now.
      (this.res as Response & { flush?: () => void }).flush?.();
    } catch {
      this.close();
    }
  }

  /** A `data:` event carrying JSON. */
  data(value: unknown): void {
    this.write(`data: ${JSON.stringify(value)}`);
  }

  whenClosed(listener: () => void): void {
    if (this.closed) listener();
    else this.onClose.add(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      this.res.end();
    } catch {
      // already gone
    }
    for (const l of [...this.onClose]) l();
    this.onClose.clear();
  }
}
