import { type ClientFrame, DaisError, type SequencedFrame, toDaisError } from "@dais/core";
import { type FrameSink, type LiveSession, rejectOutside, type Runtime } from "./Runtime.ts";

/**
 * One client's line into the runtime, whatever carries it (a WebSocket, a test): it says hello
 * to a session and then sends that session's commands. Commands are handled one after another,
 * in the order they came, and nothing they do can throw out of `receive`.
 */
export class Channel {
  private live: LiveSession | undefined;
  private readonly sink: FrameSink;
  /** Commands that came while an earlier one (a hello) was still being handled. */
  private readonly backlog: ClientFrame[] = [];
  private busy = false;
  private closed = false;

  constructor(
    private readonly runtime: Runtime,
    send: (frame: SequencedFrame, text: string) => void,
  ) {
    this.sink = { send };
  }

  /** The session this channel is attached to, once welcomed. */
  get session(): LiveSession | undefined {
    return this.current();
  }

  /** The session, or the fresh one this channel was moved to when the shared store lost it. */
  private current(): LiveSession | undefined {
    while (this.live?.replacedBy) this.live = this.live.replacedBy;
    return this.live;
  }

  receive(frame: ClientFrame): void {
    this.backlog.push(frame);
    if (!this.busy) this.drain();
  }

  /** Handles waiting commands in order; most are synchronous, so no promise is made for them. */
  private drain(): void {
    while (this.backlog.length > 0) {
      const frame = this.backlog.shift() as ClientFrame;
      let pending: Promise<void> | void;
      try {
        pending = this.handle(frame);
      } catch (e) {
        this.failed(e);
        continue;
      }
      if (pending) {
        this.busy = true;
        pending.catch((e: unknown) => this.failed(e)).finally(() => {
          this.busy = false;
          this.drain();
        });
        return;
      }
    }
  }

  private failed(e: unknown): void {
    console.error("[dais] a frame could not be handled:", e);
    this.reject(toDaisError(e, "internal"));
  }

  /** Refuses what a client sent: through the session's log when there is one, so replay keeps it. */
  reject(error: DaisError, id?: string): void {
    if (this.closed) return;
    const live = this.current();
    if (live) this.runtime.emit(live, { type: "error", ...(id === undefined ? {} : { id }), code: error.code, message: error.message });
    else rejectOutside(this.sink, error, id);
  }

  close(): void {
    this.closed = true;
    this.detach();
  }

  private handle(frame: ClientFrame): Promise<void> | void {
    if (this.closed) return;
    if (frame.type === "hello") return this.hello(frame);
    const live = this.current();
    if (!live) return this.reject(new DaisError("bad_frame", 'Send "hello" first.'));
    switch (frame.type) {
      case "run":
        return this.runtime.run(live, frame);
      case "cancel":
        return this.runtime.cancel(live, frame.id);
      case "clear":
        return this.runtime.clear(live);
      case "feedback":
        return this.runtime.feedback(live, frame);
    }
  }

  private async hello(frame: Extract<ClientFrame, { type: "hello" }>): Promise<void> {
    this.detach();
    const live = await this.runtime.hello(this.sink, frame.session, frame.lastSeq);
    if (this.closed) return this.runtime.detach(live, this.sink);
    this.live = live;
  }

  private detach(): void {
    const live = this.current();
    if (!live) return;
    this.runtime.detach(live, this.sink);
    this.live = undefined;
  }
}
