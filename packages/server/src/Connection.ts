import { type App, type ClientFrame, DaisError, parseClientFrame, type ServerFrame, toDaisError } from "@dais/core";
import type { WebSocket } from "ws";
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
      await runFn(this.app, session, frame, controller.signal);
    } catch (e) {
      const error = toDaisError(e, "internal");
      if (error.code === "fn_error" || error.code === "internal") console.error(`[dais] run ${frame.id} failed:`, error.cause ?? error);
      session.send(errorFrame(error, frame.id, this.options.showError));
    } finally {
      session.runs.delete(frame.id);
    }
  }

  private detach(): void {
    if (!this.session) return;
    this.session.sinks.delete(this.sink);
    this.sessions.detach(this.session);
    this.session = undefined;
  }
}

function errorFrame(error: DaisError, id?: string, withStack = false): ServerFrame {
  const stack = withStack ? ((error.cause instanceof Error ? error.cause.stack : undefined) ?? error.stack) : undefined;
  return { type: "error", ...(id === undefined ? {} : { id }), code: error.code, message: error.message, ...(stack ? { stack } : {}) };
}
