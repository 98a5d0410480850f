import {
  type App,
  type ChatMessage,
  type ClientFrame,
  DaisError,
  type FeedbackEvent,
  messages,
  parseClientFrame,
  type SequencedFrame,
  type ServerFrame,
  toDaisError,
} from "@dais/core";
import type { WebSocket } from "ws";
import { logFeedback } from "./logFeedback.ts";
import { RateLimiter } from "./RateLimiter.ts";
import { Run } from "./Run.ts";
import type { Runner } from "./Runner.ts";
import type { Session } from "./Session.ts";
import type { SessionStore } from "./SessionStore.ts";

export interface ConnectionOptions {
  /** Send stack traces of failed runs to the browser (for development). */
  showError: boolean;
  /** Largest frame, in bytes. */
  maxFrameBytes: number;
  /** Frames per second a connection may send, and how many at once. */
  rateLimit: { perSecond: number; burst: number };
  /** Bytes per second a connection may send, and how many at once. */
  byteLimit: { perSecond: number; burst: number };
  /** The app's config id, so a page built from another version reloads. */
  configId: string;
}

/**
 * One WebSocket: checks each frame where it arrives (size, rate, shape), answers bad ones with
 * a typed error frame (the connection stays open), resumes sessions with the frames they
 * missed, and hands runs to the runner.
 */
export class Connection {
  private session: Session | undefined;
  private readonly sink = { send: (frame: SequencedFrame, text?: string) => this.send(frame, text) };
  private readonly limiter: RateLimiter;
  private readonly bytes: RateLimiter;

  constructor(
    private readonly socket: WebSocket,
    private readonly app: App,
    private readonly sessions: SessionStore,
    private readonly runner: Runner,
    private readonly options: ConnectionOptions,
  ) {
    this.limiter = new RateLimiter(options.rateLimit.perSecond, options.rateLimit.burst);
    this.bytes = new RateLimiter(options.byteLimit.perSecond, options.byteLimit.burst);
    // Nothing a client sends may throw out of a handler: in a ws listener that would end the
    // process, and with it every other visitor's session.
    socket.on("message", (data, isBinary) => guard(() => this.receive(toBuffer(data), isBinary)));
    socket.on("close", () => guard(() => this.detach()));
    socket.on("error", () => guard(() => this.detach()));
  }

  private send(frame: SequencedFrame, text?: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    try {
      this.socket.send(text ?? JSON.stringify(frame));
    } catch (e) {
      console.error("[dais] a frame could not be sent:", e);
    }
  }

  private reject(error: DaisError, id?: string): void {
    this.send({ type: "error", ...(id === undefined ? {} : { id }), code: error.code, message: error.message });
  }

  private receive(data: Buffer, isBinary: boolean): void {
    // Bytes as well as frames: 20 frames of a megabyte a second would keep the CPU parsing, and
    // every other session waiting.
    if (!this.limiter.take() || !this.bytes.take(data.length)) return this.reject(new DaisError("rate_limited", messages.rateLimited));
    let frame: ClientFrame;
    try {
      if (data.length > this.options.maxFrameBytes) throw new DaisError("too_large", messages.tooLarge(this.options.maxFrameBytes));
      if (isBinary) throw new DaisError("bad_frame", "Frames must be text (JSON), not binary.");
      frame = parseClientFrame(data.toString("utf8"));
    } catch (e) {
      return this.reject(toDaisError(e, "bad_frame"));
    }
    try {
      this.handle(frame);
    } catch (e) {
      // A bug, not the client's fault; the client still hears that its frame failed.
      console.error("[dais] a frame could not be handled:", e);
      this.reject(toDaisError(e, "internal"), frame.type === "run" ? frame.id : undefined);
    }
  }

  private handle(frame: ClientFrame): void {
    if (frame.type === "hello") return this.hello(frame.session, frame.lastSeq);
    const session = this.session;
    if (!session) return this.reject(new DaisError("bad_frame", 'Send "hello" first.'));
    switch (frame.type) {
      case "run": {
        let run: Run;
        try {
          run = new Run(this.app, session, frame, this.options.showError);
        } catch (e) {
          // Through the session's numbered log, so a page that reconnects learns the run failed.
          const error = toDaisError(e, "internal");
          return session.send({ type: "error", id: frame.id, code: error.code, message: error.message });
        }
        return this.runner.submit(run);
      }
      case "cancel":
        session.runs.get(frame.id)?.cancel("cancelled by the user");
        return;
      case "clear":
        session.abortAll("cleared");
        session.reset();
        return session.send({ type: "cleared", values: session.values });
      case "feedback":
        return void this.feedback(session, frame);
    }
  }

  /**
   * Attaches the connection to its session. A page that says which frame it saw last gets the
   * ones after it, in order; any other page gets a picture of the session as it is now.
   */
  private hello(requested: string | undefined, lastSeq: number | undefined): void {
    this.detach();
    const found = this.sessions.get(requested);
    const session = found ?? this.sessions.create();
    const missed = found && lastSeq !== undefined ? session.framesSince(lastSeq) : undefined;
    this.sessions.attach(session);
    this.session = session;
    const configId = this.options.configId;
    const welcome: ServerFrame = missed
      ? { type: "welcome", session: session.id, resumed: true, replay: true, configId }
      : { type: "welcome", session: session.id, resumed: found !== undefined, replay: false, configId, values: session.values, runs: [...session.runs.values()].map((r) => ({ id: r.id, fn: r.fn })) };
    this.send({ ...welcome, seq: session.seq });
    for (const frame of missed ?? []) this.send(frame);
    session.sinks.add(this.sink);
  }

  private async feedback(session: Session, frame: Extract<ClientFrame, { type: "feedback" }>): Promise<void> {
    const chatbot = this.app.components[frame.component];
    const history = session.values[frame.component] as ChatMessage[] | undefined;
    const message = history?.[frame.index];
    if (chatbot?.kind !== "chatbot" || !message || message.role !== "assistant") return this.reject(new DaisError("bad_frame", "Feedback must name a bot message in a chatbot."));
    const event: FeedbackEvent = {
      time: new Date().toISOString(),
      session: session.id,
      chatbot: String(chatbot.props.label ?? "Chatbot"),
      index: frame.index,
      value: frame.value,
      message,
      history: history.slice(0, frame.index + 1),
      ...(frame.comment === undefined ? {} : { comment: frame.comment }),
    };
    try {
      await (this.app.onFeedback ? this.app.onFeedback(event) : logFeedback(this.app.flaggingDir, event));
    } catch (e) {
      console.error("[dais] feedback handler failed:", e);
      this.reject(new DaisError("internal", "Your feedback could not be saved."));
    }
  }

  private detach(): void {
    if (!this.session) return;
    this.session.sinks.delete(this.sink);
    this.sessions.detach(this.session);
    this.session = undefined;
  }
}

function guard(handler: () => void): void {
  try {
    handler();
  } catch (e) {
    console.error("[dais] a socket handler failed:", e);
  }
}

/** ws hands over a Buffer, an ArrayBuffer or fragments, depending on its binaryType. */
function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  return Buffer.from(data as ArrayBuffer);
}
