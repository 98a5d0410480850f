import { randomUUID } from "node:crypto";
import {
  type App,
  type ChatMessage,
  type ClientFrame,
  type FeedbackEvent,
  type SequencedFrame,
  type ServerFrame,
  toDaisError,
} from "@dais/core";
import { DiskFileStore } from "./files/DiskFileStore.ts";
import type { FileStore } from "./files/FileStore.ts";
import { sessionFiles, type SessionFilesOptions } from "./files/sessionFiles.ts";
import { appendFrame, framesSince, trimFrameLog } from "./FrameLog.ts";
import { logFeedback } from "./logFeedback.ts";
import { MemorySessionStore } from "./MemorySessionStore.ts";
import { Run, type RunHost, type RunRequest } from "./Run.ts";
import { Runner, type RunnerOptions } from "./Runner.ts";
import { newSessionRecord, resetSessionRecord, type SessionRecord, unserialisableStates } from "./SessionRecord.ts";
import type { SessionStore } from "./SessionStore.ts";

/** Where a session's frames go: a page's WebSocket, an API stream, a test. `text` is the frame as JSON. */
export interface FrameSink {
  send(frame: SequencedFrame, text: string): void;
}

export interface RuntimeOptions extends RunnerOptions, SessionFilesOptions {
  /** Where uploads and fn's files live. Default: a temp folder on this machine, a folder per session. */
  fileStore?: FileStore;
  /** Largest file a person may upload (and fn's files may be), in bytes. Default 100 MiB. */
  maxFileSize?: number;
  /** Most files one session may hold (uploads and outputs). Default 1,000. */
  maxFilesPerSession?: number;
  /** Where session records live. Default: this process's memory. */
  store?: SessionStore;
  /** How long a session outlives its last connection, in ms. Default one hour. */
  ttl?: number;
  /** Most sessions kept; beyond it the least recently seen is evicted. Default 50,000. */
  maxSessions?: number;
  /** Send stack traces of failed runs to the page (for development). */
  showError?: boolean;
  /** The app's config id, so a page built from another version reloads. */
  configId?: string;
}

/** A session this process serves: its record, and the live handles kept beside it. */
export class LiveSession {
  readonly sinks = new Set<FrameSink>();
  readonly runs = new Map<string, Run>();
  private runHost: RunHost | undefined;
  /** Settles when the session's last state-touching run has ended; the next one starts after it. */
  stateTail: Promise<void> = Promise.resolve();
  expiry: NodeJS.Timeout | undefined;
  constructor(readonly record: SessionRecord) {}

  /** What this session's runs report to: made once, not per run. */
  host(runtime: Runtime): RunHost {
    this.runHost ??= {
      app: runtime.app,
      showError: runtime.showError,
      files: sessionFiles(runtime.files, this.record.id, runtime.fileOptions),
      emit: (frame) => runtime.emit(this, frame),
      ended: (run) => {
        if (this.runs.get(run.id) === run) this.runs.delete(run.id);
      },
    };
    return this.runHost;
  }
}

/**
 * The transport-free core of the server: owns sessions, runs and their numbered frame logs.
 * Adapters (WebSocket, HTTP APIs, tests) open a `Channel` and send it commands; every frame a
 * session gets, rejections included, is numbered, logged and sent from `emit`, so a page that
 * reconnects gets exactly what it missed.
 */
export class Runtime {
  /** Sessions served by this process, least recently seen first. */
  readonly sessions = new Map<string, LiveSession>();
  readonly runner: Runner;
  readonly store: SessionStore;
  /** Every session's files: uploads, fn's outputs; a session's are deleted when it ends. */
  readonly files: FileStore;
  readonly fileOptions: SessionFilesOptions;
  readonly showError: boolean;
  readonly configId: string | undefined;
  private readonly ttl: number;
  private readonly maxSessions: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    readonly app: App,
    options: RuntimeOptions = {},
  ) {
    this.store = options.store ?? new MemorySessionStore();
    this.runner = new Runner(options);
    this.files = options.fileStore ?? new DiskFileStore({ maxFileSize: options.maxFileSize, maxFilesPerSession: options.maxFilesPerSession });
    this.fileOptions = options.allowedPaths ? { allowedPaths: options.allowedPaths } : {};
    this.showError = options.showError ?? false;
    this.configId = options.configId;
    this.ttl = options.ttl ?? 60 * 60 * 1000;
    this.maxSessions = options.maxSessions ?? 50_000;
    // Idle sessions send nothing, so their replay logs are trimmed here rather than on emit.
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const live of this.sessions.values()) trimFrameLog(live.record.log, now);
    }, 30_000);
    this.sweeper.unref();
  }

  /**
   * Attaches a sink to a session: the one asked for if it still exists, else a new one. A sink
   * that says which frame it saw last gets the ones after it, in order; any other gets a picture
   * of the session as it is now. Returns the session.
   */
  async hello(sink: FrameSink, requested: string | undefined, lastSeq: number | undefined): Promise<LiveSession> {
    let live = requested === undefined ? undefined : (this.sessions.get(requested) ?? (await this.load(requested)));
    const resumed = live !== undefined;
    live ??= this.create();
    this.attach(live);
    const { record } = live;
    const missed = resumed && lastSeq !== undefined ? framesSince(record.log, record.seq, lastSeq, Date.now()) : undefined;
    const configId = this.configId === undefined ? {} : { configId: this.configId };
    const welcome: ServerFrame = missed
      ? { type: "welcome", session: record.id, resumed: true, replay: true, ...configId }
      : {
          type: "welcome",
          session: record.id,
          resumed,
          replay: false,
          ...configId,
          values: record.shown,
          props: record.props,
          runs: [...live.runs.values()].map((r) => ({ id: r.id, fn: r.fn })),
        };
    send(sink, { ...welcome, seq: record.seq });
    for (const frame of missed ?? []) send(sink, frame);
    live.sinks.add(sink);
    return live;
  }

  /** A sink left; once none is left, the session expires after `ttl`. */
  detach(live: LiveSession, sink: FrameSink): void {
    live.sinks.delete(sink);
    live.record.lastSeen = Date.now();
    if (live.sinks.size > 0 || this.sessions.get(live.record.id) !== live) return;
    clearTimeout(live.expiry);
    live.expiry = setTimeout(() => void this.end(live.record.id), this.ttl);
    live.expiry.unref();
  }

  /** Numbers a frame, logs it and sends it to every sink of the session. */
  emit(live: LiveSession, frame: ServerFrame): void {
    const { record } = live;
    // Every caller builds its frame afresh for this call: it is numbered in place, not copied.
    let numbered = frame as SequencedFrame;
    numbered.seq = record.seq + 1;
    let text: string;
    try {
      text = JSON.stringify(numbered);
    } catch (e) {
      // A value that cannot become JSON (too deep, a BigInt) must neither enter the log nor
      // throw out of whatever emitted it; the tab is told instead.
      console.error("[dais] a frame could not be serialised:", e);
      numbered = { type: "error", ...("id" in frame && frame.id !== undefined ? { id: frame.id } : {}), code: "internal", message: "The result could not be sent.", seq: record.seq + 1 };
      text = JSON.stringify(numbered);
    }
    record.seq++;
    appendFrame(record.log, numbered, Date.now());
    for (const sink of live.sinks) sink.send(numbered, text);
    // The in-memory store holds this very record: there is nothing to write back.
    if (this.store.shared) this.save(live);
  }

  /** Writes the record to the store; a shared store gets only what survives JSON. */
  private save(live: LiveSession): void {
    if (this.store.shared) {
      const bad = unserialisableStates(live.record, this.app);
      if (bad.length > 0) {
        console.error(`[dais] session ${live.record.id} cannot be saved to a shared store: ${bad.join(", ")} ${bad.length === 1 ? "holds a value" : "hold values"} that JSON cannot carry (functions, class instances, Maps, cycles). Keep plain data in state, or use the in-memory store.`);
        return;
      }
    }
    void this.store.set(live.record).catch((e: unknown) => console.error("[dais] could not save a session:", e));
  }

  /** Starts a run. Every outcome, a refusal included, reaches the session as a numbered frame. */
  run(live: LiveSession, request: RunRequest): void {
    if (live.runs.has(request.id)) return this.emit(live, { type: "error", id: request.id, code: "bad_frame", message: `Run "${request.id}" is already going.` });
    let run: Run;
    try {
      run = new Run(live.host(this), live.record, request);
    } catch (e) {
      const error = toDaisError(e, "internal");
      return this.emit(live, { type: "error", id: request.id, code: error.code, message: error.message });
    }
    live.runs.set(run.id, run);
    // Stopped while its files are looked up or while it waits for the session's earlier runs: it ends at once.
    run.onCancel = () => run.fail(undefined);
    // Files are looked up (and read, where fn wants bytes) before the run takes a queue slot.
    const ready = run.receivesFiles ? run.receiveFiles() : undefined;
    const submit = () => {
      if (!run.ended) this.runner.submit(run);
    };
    if (!run.touchesState) {
      if (!ready) return this.runner.submit(run);
      return void ready.then(submit, (e: unknown) => run.fail(e));
    }
    // Runs that read or write the session's states apply one after another, in the order they
    // came, or pipelined turns would each start from the same history and overwrite each other.
    // A run joins its queue only once the one before it has ended, so no slot waits on another.
    const previous = live.stateTail;
    live.stateTail = previous.then(async () => {
      try {
        await ready;
      } catch (e) {
        run.fail(e);
      }
      submit();
      return run.settled;
    });
  }

  cancel(live: LiveSession, runId: string): void {
    live.runs.get(runId)?.cancel("cancelled by the user");
  }

  /** Resets the session: states to their initial values, components to theirs. */
  clear(live: LiveSession): void {
    for (const run of [...live.runs.values()]) run.cancel("cleared");
    this.disposeStates(live.record);
    resetSessionRecord(live.record, this.app);
    // A copy: the log keeps this frame, and the record changes as later runs show things.
    this.emit(live, { type: "cleared", values: { ...live.record.shown } });
  }

  /** A like, dislike or flag on a bot message, to `onFeedback` or the JSONL log. */
  async feedback(live: LiveSession, frame: Extract<ClientFrame, { type: "feedback" }>): Promise<void> {
    const chatbot = this.app.components.get(frame.component);
    const history = live.record.shown[frame.component] as ChatMessage[] | undefined;
    const message = Array.isArray(history) ? history[frame.index] : undefined;
    if (chatbot?.kind !== "chatbot" || !message || message.role !== "assistant")
      return this.emit(live, { type: "error", code: "bad_frame", message: "Feedback must name a bot message in a chatbot." });
    const event: FeedbackEvent = {
      time: new Date().toISOString(),
      session: live.record.id,
      chatbot: String(chatbot.props.label ?? "Chatbot"),
      index: frame.index,
      value: frame.value,
      message,
      history: (history as ChatMessage[]).slice(0, frame.index + 1),
      ...(frame.comment === undefined ? {} : { comment: frame.comment }),
    };
    try {
      await (this.app.onFeedback ? this.app.onFeedback(event) : logFeedback(this.app.flaggingDir, event));
    } catch (e) {
      console.error("[dais] feedback handler failed:", e);
      this.emit(live, { type: "error", code: "internal", message: "Your feedback could not be saved." });
    }
  }

  /** Ends a session: stops its runs and gives each state's delete callback its value. */
  async end(id: string): Promise<void> {
    const live = this.sessions.get(id);
    if (live) {
      this.sessions.delete(id);
      clearTimeout(live.expiry);
      for (const run of [...live.runs.values()]) run.cancel("session ended");
      this.disposeStates(live.record);
      live.sinks.clear();
    }
    await Promise.all([this.store.delete(id), this.files.drop(id)]);
  }

  /** Stops taking runs, lets running ones finish for up to `graceMs`, then ends every session. */
  async close(graceMs: number): Promise<void> {
    clearInterval(this.sweeper);
    await this.runner.close(graceMs);
    for (const id of [...this.sessions.keys()]) await this.end(id);
    await this.files.close();
  }

  private create(): LiveSession {
    if (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (!oldest.done) void this.end(oldest.value);
    }
    const live = new LiveSession(newSessionRecord(randomUUID(), this.app));
    this.sessions.set(live.record.id, live);
    this.save(live);
    return live;
  }

  /** A session another process (or an earlier life of this one) kept in a shared store. */
  private async load(id: string): Promise<LiveSession | undefined> {
    const record = await this.store.get(id);
    if (!record) return undefined;
    const live = this.sessions.get(id) ?? new LiveSession(record);
    this.sessions.set(id, live);
    return live;
  }

  private attach(live: LiveSession): void {
    clearTimeout(live.expiry);
    live.expiry = undefined;
    live.record.lastSeen = Date.now();
    // Map order is insertion order: re-inserting keeps the least recently seen first.
    this.sessions.delete(live.record.id);
    this.sessions.set(live.record.id, live);
  }

  private disposeStates(record: SessionRecord): void {
    for (const [id, c] of this.app.components) {
      if (c.kind !== "state") continue;
      try {
        (c.props as { onDelete?: (v: unknown) => void }).onDelete?.(record.states[id]);
      } catch (e) {
        console.error("[dais] a state's onDelete failed:", e);
      }
    }
  }
}

function send(sink: FrameSink, frame: SequencedFrame): void {
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch (e) {
    console.error("[dais] a frame could not be serialised:", e);
    return;
  }
  sink.send(frame, text);
}

/** Frames for a command that cannot be placed in a session (none yet): told to the sink alone. */
export function rejectOutside(sink: FrameSink, error: unknown, id?: string): void {
  const e = toDaisError(error, "bad_frame");
  send(sink, { type: "error", ...(id === undefined ? {} : { id }), code: e.code, message: e.message });
}
