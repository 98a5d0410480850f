import { type App, type ChatMessage, type ClientFrame, DaisError, type FeedbackEvent, parseClientFrame, type ServerFrame, toDaisError } from "@dais/core";
import type { WebSocket } from "ws";
import { logFeedback } from "./logFeedback.ts";
import { runFn } from "./runFn.ts";
import type { Session } from "./Session.ts";
import type { SessionStore } from "./SessionStore.ts";

export interface ConnectionOptions {
  /** Send stack traces of failed runs to the browser (for development). */
  showError: boolean;
}

/**
 * One WebSocket: parses each frame where it arrives, answers bad ones with a typed error
 * frame (the connection stays open), and hands runs to the runner.
 */
export class Connection {
  private session: Session | undefined;
  private readonly sink = { send: (frame: ServerFrame) => this.send(frame) };

  constructor(
    private readonly socket: WebSocket,
    private readonly app: App,
    private readonly sessions: SessionStore,
    private readonly options: ConnectionOptions,
  ) {
    socket.on("message", (data, isBinary) => this.receive(isBinary ? null : data.toString()));
    socket.on("close", () => this.detach());
    socket.on("error", () => this.detach());
  }

  private send(frame: ServerFrame): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private receive(text: string | null): void {
    let frame: ClientFrame;
    try {
      if (text === null) throw new DaisError("bad_frame", "Frames must be text (JSON), not binary.");
      frame = parseClientFrame(text);
    } catch (e) {
      return this.send(errorFrame(toDaisError(e, "bad_frame")));
    }
    this.handle(frame);
  }

  private handle(frame: ClientFrame): void {
    if (frame.type === "hello") return this.hello(frame.session);
    const session = this.session;
    if (!session) return this.send(errorFrame(new DaisError("bad_frame", 'Send "hello" first.')));
    switch (frame.type) {
      case "run":
        return void this.run(session, frame);
      case "cancel":
        session.runs.get(frame.id)?.abort("cancelled by the user");
        return;
      case "clear":
        session.abortAll("cleared");
        session.reset();
        return session.send({ type: "cleared", values: session.values });
      case "feedback":
        return void this.feedback(session, frame);
    }
  }

  private hello(requested: string | undefined): void {
    this.detach();
    const found = this.sessions.get(requested);
    const session = found ?? this.sessions.create();
    session.sinks.add(this.sink);
    this.sessions.attach(session);
    this.session = session;
    this.send({ type: "welcome", session: session.id, resumed: found !== undefined, values: session.values });
  }

  private async run(session: Session, frame: Extract<ClientFrame, { type: "run" }>): Promise<void> {
    if (session.runs.has(frame.id)) return this.send(errorFrame(new DaisError("bad_frame", `Run "${frame.id}" is already going.`), frame.id));
    const controller = new AbortController();
    session.runs.set(frame.id, controller);
    try {
      await runFn(this.app, session, frame, controller.signal, this.options);
    } finally {
      session.runs.delete(frame.id);
    }
  }

  private async feedback(session: Session, frame: Extract<ClientFrame, { type: "feedback" }>): Promise<void> {
    const chatbot = this.app.components[frame.component];
    const history = session.values[frame.component] as ChatMessage[] | undefined;
    const message = history?.[frame.index];
    if (chatbot?.kind !== "chatbot" || !message || message.role !== "assistant")
      return this.send(errorFrame(new DaisError("bad_frame", "Feedback must name a bot message in a chatbot.")));
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
      this.send(errorFrame(new DaisError("internal", "Your feedback could not be saved.")));
    }
  }

  private detach(): void {
    if (!this.session) return;
    this.session.sinks.delete(this.sink);
    this.sessions.detach(this.session);
    this.session = undefined;
  }
}

function errorFrame(error: DaisError, id?: string): ServerFrame {
  return { type: "error", ...(id === undefined ? {} : { id }), code: error.code, message: error.message };
}
