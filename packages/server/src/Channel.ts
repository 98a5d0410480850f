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
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly runtime: Runtime,
    send: (frame: SequencedFrame, text: string) => void,
  ) {
    this.sink = { send };
  }

  /** The session this channel is attached to, once welcomed. */
  get session(): LiveSession | undefined {
    return this.live;
  }

  receive(frame: ClientFrame): void {
    this.chain = this.chain
      .then(() => this.handle(frame))
      .catch((e: unknown) => {
        console.error("[dais] a frame could not be handled:", e);
        this.reject(toDaisError(e, "internal"));
      });
  }

  /** Refuses what a client sent: through the session's log when there is one, so replay keeps it. */
  reject(error: DaisError, id?: string): void {
    if (this.closed) return;
    if (this.live) this.runtime.emit(this.live, { type: "error", ...(id === undefined ? {} : { id }), code: error.code, message: error.message });
    else rejectOutside(this.sink, error, id);
  }

  close(): void {
    this.closed = true;
    this.detach();
  }

  private async handle(frame: ClientFrame): Promise<void> {
    if (this.closed) return;
    if (frame.type === "hello") {
      this.detach();
      const live = await this.runtime.hello(this.sink, frame.session, frame.lastSeq);
      if (this.closed) return this.runtime.detach(live, this.sink);
      this.live = live;
      return;
    }
    const live = this.live;
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

  private detach(): void {
    if (!this.live) return;
    this.runtime.detach(this.live, this.sink);
    this.live = undefined;
  }
}
