import { randomUUID } from "node:crypto";
import {
  type App,
  type ChatMessage,
  type ClientFrame,
  DaisError,
  type FeedbackEvent,
  messages,
  type SequencedFrame,
  type ServerFrame,
  type SessionCleanup,
  toDaisError,
} from "@dais/core";
import { DiskFileStore } from "./files/DiskFileStore.ts";
import type { FileStore } from "./files/FileStore.ts";
import { sessionFiles, type SessionFilesOptions } from "./files/sessionFiles.ts";
import { trimFrameLog } from "./FrameLog.ts";
import { InProcessRuns } from "./InProcessRuns.ts";
import { logFeedback } from "./logFeedback.ts";
import { MemorySessionFrames } from "./MemorySessionFrames.ts";
import { MemorySessionStore } from "./MemorySessionStore.ts";
import type { Run, RunHost, RunRequest } from "./Run.ts";
import { Runner, type RunnerOptions } from "./Runner.ts";
import type { RunTransport } from "./RunTransport.ts";
import type { SessionFrames } from "./SessionFrames.ts";
import { newSessionRecord, resetSessionRecord, type SessionRecord, unserialisableStates } from "./SessionRecord.ts";
import type { SessionStore } from "./SessionStore.ts";

/** Cleanups one session may hold (`ctx.onSessionEnd`). */
const maxCleanups = 32;

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
  /** Where sessions' numbered frames go. Default: this process's memory. */
  frames?: SessionFrames;
  /** How runs reach what executes them. Default: this process's Runner. */
  transport?: (runtime: Runtime) => RunTransport;
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
  /** What fns asked to run when this session ends (`ctx.onSessionEnd`), each once; live, per process. */
  readonly cleanups = new Set<SessionCleanup>();
  /**
   * With a shared store: the states whose values cannot leave the process (found when the
   * session was made), so its first run is refused with their names.
   */
  unshareable: string[] | undefined;
  /** The shared store lost this session (Redis restarted empty): the fresh one its pages were moved to. */
  replacedBy: LiveSession | undefined;
  constructor(readonly record: SessionRecord) {}

  /** What this session's runs report to: made once, not per run. */
  host(runtime: Runtime): RunHost {
    this.runHost ??= {
      app: runtime.app,
      showError: runtime.showError,
      onSessionEnd: (cleanup) => {
        // Bounded: a fn that registers a fresh closure every run would otherwise grow it forever.
        if (!this.cleanups.has(cleanup) && this.cleanups.size >= maxCleanups)
          throw new DaisError("internal", `A session keeps at most ${maxCleanups} cleanups; register one function made once, not a new one per run.`);
        this.cleanups.add(cleanup);
      },
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
  readonly frames: SessionFrames;
  readonly transport: RunTransport;
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
    this.frames = options.frames ?? new MemorySessionFrames();
    this.runner = new Runner(options);
    this.files = options.fileStore ?? new DiskFileStore({ maxFileSize: options.maxFileSize, maxFilesPerSession: options.maxFilesPerSession });
    this.fileOptions = options.allowedPaths ? { allowedPaths: options.allowedPaths } : {};
    this.transport = options.transport ? options.transport(this) : new InProcessRuns(this, this.runner);
    this.showError = options.showError ?? false;
    this.configId = options.configId;
    this.ttl = options.ttl ?? 60 * 60 * 1000;
    this.maxSessions = options.maxSessions ?? 50_000;
    // Idle sessions send nothing, so their replay logs are trimmed here rather than on emit.
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const live of this.sessions.values()) {
        trimFrameLog(live.record.log, now);
        // A shared store expires a session ttl after its last use; one with a page open lives on.
        if (live.sinks.size > 0) void this.store.touch?.(live.record.id).catch(() => {});
      }
    }, Math.min(30_000, Math.max(1000, this.ttl / 3)));
    this.sweeper.unref();
  }

  /**
   * Attaches a sink to a session: the one asked for if it still exists, else a new one. A sink
   * that says which frame it saw last gets the ones after it, in order; any other gets a picture
   * of the session as it is now. Returns the session.
   */
  async hello(sink: FrameSink, requested: string | undefined, lastSeq: number | undefined): Promise<LiveSession> {
    // A shared store's record may have been changed by another process since this one saw it.
    let live = requested === undefined ? undefined : this.store.shared ? await this.load(requested) : (this.sessions.get(requested) ?? (await this.load(requested)));
    const resumed = live !== undefined;
    live ??= this.create();
    await this.welcome(live, sink, resumed, lastSeq);
    return live;
  }

  /** Sends a sink its welcome to a session (and the frames it missed), then the session's frames as they come. */
  private async welcome(live: LiveSession, sink: FrameSink, resumed: boolean, lastSeq: number | undefined): Promise<void> {
    this.attach(live);
    const { record } = live;
    // Joined before the log is read, so a frame appended meanwhile is held, not lost.
    await this.frames.join(live, sink);
    const missed = resumed && lastSeq !== undefined ? await this.frames.since(live, lastSeq) : undefined;
    // A shared record is saved at its own number; frames after it bring the picture up to date.
    const after = missed ?? (this.frames.shared ? ((await this.frames.since(live, record.seq)) ?? []) : []);
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
          runs: this.store.runsOf ? await this.store.runsOf(record.id) : [...live.runs.values()].map((r) => ({ id: r.id, fn: r.fn })),
        };
    send(sink, { ...welcome, seq: record.seq });
    for (const frame of after) send(sink, frame);
    const last = after.length > 0 ? (after[after.length - 1]?.seq ?? record.seq) : missed ? (lastSeq ?? record.seq) : record.seq;
    live.sinks.add(sink);
    this.frames.joined(live, sink, last);
  }

  /**
   * The shared store no longer has this session (Redis restarted empty): its record, runs and
   * frames are gone, and its numbers start again. Its pages here are told so (`runId`, the run
   * that found out, ends with the error; runs that were going end as a fresh picture does) and
   * welcomed into a fresh session, as a reload would give them.
   */
  lost(live: LiveSession, runId?: string): void {
    const error = { type: "error", code: "not_found", message: messages.sessionLost } as const;
    if (live.replacedBy) {
      // Its pages were moved already: the run that found out late ends in the fresh session.
      if (runId !== undefined) this.emit(live.replacedBy, { ...error, id: runId });
      return;
    }
    if (live.sinks.size === 0) return this.forget(live);
    console.error(`[dais] session ${live.record.id} is gone from Redis (restarted empty?); its pages start a fresh session.`);
    const fresh = this.create();
    live.replacedBy = fresh;
    const sinks = [...live.sinks];
    for (const sink of sinks) {
      live.sinks.delete(sink);
      this.frames.leave(live, sink);
    }
    this.forget(live);
    for (const sink of sinks) {
      // Unnumbered: the lost session's numbers mean nothing now.
      send(sink, { ...error, ...(runId === undefined ? {} : { id: runId }) });
      this.welcome(fresh, sink, false, undefined).catch((e: unknown) => console.error("[dais] could not welcome a page into a fresh session:", e));
    }
  }

  /** A sink left; once none is left, the session expires after `ttl`. */
  detach(live: LiveSession, sink: FrameSink): void {
    live.sinks.delete(sink);
    this.frames.leave(live, sink);
    live.record.lastSeen = Date.now();
    if (live.sinks.size > 0 || this.sessions.get(live.record.id) !== live) return;
    if (this.store.shared) {
      // The record is in the shared store, which expires it after its ttl: this process need
      // keep nothing of a session it no longer serves.
      void this.store.touch?.(live.record.id).catch(() => {});
      if (live.runs.size === 0) this.forget(live);
      return;
    }
    clearTimeout(live.expiry);
    live.expiry = setTimeout(() => void this.end(live.record.id), this.ttl);
    live.expiry.unref();
  }

  /** Numbers a frame, logs it and sends it to every sink of the session. */
  emit(live: LiveSession, frame: ServerFrame): void {
    this.frames.append(live, frame);
  }

  /** Saves a new record; a shared store gets only what survives JSON (the first run is refused otherwise). */
  private save(live: LiveSession): void {
    if (this.store.shared) {
      const bad = unserialisableStates(live.record, this.app);
      if (bad.length > 0) {
        live.unshareable = bad;
        return;
      }
    }
    void this.store.set(live.record).catch((e: unknown) => console.error("[dais] could not save a session:", e));
  }

  /** Starts a run. Every outcome, a refusal included, reaches the session as a numbered frame. */
  run(live: LiveSession, request: RunRequest): void {
    if (live.unshareable) return this.emit(live, { type: "error", id: request.id, code: "invalid_input", message: unshareableMessage(live.unshareable) });
    this.transport.run(live, request);
  }

  cancel(live: LiveSession, runId: string): void {
    this.transport.cancel(live, runId);
  }

  /** Resets the session: states to their initial values, components to theirs. */
  clear(live: LiveSession): void {
    this.transport.cancelAll(live, "cleared");
    this.disposeStates(live.record);
    resetSessionRecord(live.record, this.app);
    live.unshareable = undefined;
    if (this.store.shared) {
      const bad = unserialisableStates(live.record, this.app);
      if (bad.length > 0) live.unshareable = bad;
    }
    // A copy: the log keeps this frame, and the record changes as later runs show things.
    this.frames.append(live, { type: "cleared", values: { ...live.record.shown } }, { save: true });
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
      this.transport.cancelAll(live, "session ended");
      this.disposeStates(live.record);
      live.sinks.clear();
      const cleanups = [...live.cleanups];
      live.cleanups.clear();
      await Promise.all(cleanups.map(async (cleanup) => {
        try {
          await cleanup(id);
        } catch (e) {
          console.error("[dais] a session's cleanup (ctx.onSessionEnd) failed:", e);
        }
      }));
    }
    await Promise.all([this.store.delete(id), this.files.drop(id)]);
  }

  /** Drops this process's handles on a session kept in a shared store (which keeps the session). */
  forget(live: LiveSession): void {
    if (this.sessions.get(live.record.id) !== live) return;
    this.sessions.delete(live.record.id);
    clearTimeout(live.expiry);
  }

  /** Stops taking runs, lets running ones finish for up to `graceMs`, then ends every session. */
  async close(graceMs: number): Promise<void> {
    clearInterval(this.sweeper);
    await this.transport.close(graceMs);
    // Sessions in a shared store outlive this process: other processes serve them on.
    if (this.store.shared) for (const live of [...this.sessions.values()]) this.forget(live);
    else for (const id of [...this.sessions.keys()]) await this.end(id);
    await this.files.close();
  }

  private create(): LiveSession {
    if (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.values().next();
      if (!oldest.done) {
        if (this.store.shared) this.forget(oldest.value);
        else void this.end(oldest.value.record.id);
      }
    }
    const live = new LiveSession(newSessionRecord(randomUUID(), this.app));
    this.sessions.set(live.record.id, live);
    this.save(live);
    return live;
  }

  /**
   * A session another process (or an earlier life of this one) kept in a shared store. A live
   * session this process has already is brought up to date in place: its runs hold its record.
   */
  async load(id: string): Promise<LiveSession | undefined> {
    const record = await this.store.get(id);
    const known = this.sessions.get(id);
    if (!record) {
      // Gone from the shared store (it expired there): gone here too.
      if (known && this.store.shared) await this.end(id);
      return undefined;
    }
    if (known) {
      if (known.record !== record) Object.assign(known.record, record);
      return known;
    }
    const live = new LiveSession(record);
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

/** Why a session whose states cannot be shared between processes gets no runs, and what to do. */
export function unshareableMessage(states: string[]): string {
  return `This app keeps its sessions in Redis, but ${states.length === 1 ? `the state ${states[0]} holds a value` : `the states ${states.join(", ")} hold values`} that JSON cannot carry (a function, a class instance, a Map, a cycle). Keep plain data (objects, arrays, strings, numbers) in state, or run the app without Redis (unset DAIS_REDIS_URL).`;
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
