import { randomUUID } from "node:crypto";
import { type App, DaisError, type SequencedFrame } from "@dais/core";
import { Channel } from "../../Channel.ts";
import type { Runtime } from "../../Runtime.ts";
import type { ApiEndpoint } from "./apiEndpoints.ts";
import { gradioDiff } from "./gradioDiff.ts";
import { fromGradio, toGradio } from "./gradioValues.ts";
import type { SseStream } from "./SseStream.ts";

/** Bounds on what one session_hash may hold. */
export interface SessionLimits {
  /** Events waiting, running or finished but unread, at once. */
  maxPending: number;
  /** Messages kept for a `queue/data` stream that is not connected yet. */
  maxBuffered: number;
  /** `queue/data` streams open at once. */
  maxStreams: number;
}

/** A message on `queue/data` (Gradio's `msg` union). */
type Message = { msg: string } & Record<string, unknown>;

/** How long an idle session's stream stays open for the client's next join. */
const closeStreamDelayMs = 1000;

/** One event of the simple REST API's stream: `event: <name>` and a JSON `data:` line. */
interface CallMessage {
  event: "generating" | "complete" | "error";
  data: unknown;
}

/** A run started by a program: `queue` ones report on the session's stream, `call` ones on their own. */
class GradioEvent {
  /** The outputs as last sent, in Gradio's shape, to diff the next update against. */
  sent: unknown[] | undefined;
  finished = false;
  readonly started = Date.now();
  readonly log: CallMessage[] = [];
  readonly readers = new Set<SseStream>();
  constructor(
    readonly id: string,
    readonly endpoint: ApiEndpoint,
    readonly via: "queue" | "call",
  ) {}
}

/**
 * What a Gradio `session_hash` is here: a Dais session reached through a `Channel`, like a
 * browser tab. Its states stay in the runtime, so a program sends `null` in state slots and its
 * second call sees the first one's history. It turns the session's frames into Gradio's
 * messages: `estimation`, `process_starts`, `process_generating` (full values first, then
 * Gradio's diffs) and `process_completed`.
 */
export class GradioSession {
  lastSeen = Date.now();
  /** The app's URL as this session's client reached it, for absolute file URLs. */
  base: string | undefined;
  private channel: Channel;
  private readonly events = new Map<string, GradioEvent>();
  private readonly buffer: Message[] = [];
  private readonly streams = new Set<SseStream>();
  private closeTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly hash: string,
    private readonly runtime: Runtime,
    private readonly limits: SessionLimits,
  ) {
    this.channel = this.open();
  }

  private get app(): App {
    return this.runtime.app;
  }

  /** Events not yet read to their end. */
  get pending(): number {
    return this.events.size;
  }

  get streaming(): boolean {
    return this.streams.size > 0;
  }

  private open(): Channel {
    const channel = new Channel(this.runtime, (frame) => this.frame(frame));
    channel.receive({ type: "hello" });
    return channel;
  }

  /**
   * Starts a run of `fn` with the values a program sent: one per input, `null` in state slots
   * (or the visible inputs only). Throws a DaisError (`invalid_input`, `queue_full`) for one it
   * refuses at once; any later failure arrives as the event's last message.
   */
  run(endpoint: ApiEndpoint, data: unknown[], via: "queue" | "call"): string {
    const { fn } = endpoint;
    this.lastSeen = Date.now();
    if (this.events.size >= this.limits.maxPending) throw new DaisError("rate_limited", `This session already has ${this.limits.maxPending} events going; wait for them to finish.`);
    const visible = fn.inputs.filter((id) => this.app.components.get(id)?.kind !== "state");
    let values: unknown[];
    if (data.length === fn.inputs.length) values = fn.inputs.flatMap((id, i) => (this.app.components.get(id)?.kind === "state" ? [] : [data[i]]));
    else if (data.length === visible.length) values = data;
    else throw new DaisError("invalid_input", `Expected ${fn.inputs.length} values (null for each state) or ${visible.length}, got ${data.length}.`);
    values = values.map((v, k) => fromGradio(this.app.components.get(visible[k] as number), v));
    if (this.runtime.runner.isFull(fn)) throw new DaisError("queue_full", "This application is currently busy. Please try again.");
    // The runtime may have ended the session (its own bound on sessions): start a fresh one.
    const live = this.channel.session;
    if (live && this.runtime.sessions.get(live.record.id) !== live) {
      this.channel.close();
      this.channel = this.open();
    }
    const id = randomUUID().replaceAll("-", "");
    this.events.set(id, new GradioEvent(id, endpoint, via));
    if (via === "queue") {
      clearTimeout(this.closeTimer);
      this.closeTimer = undefined;
    }
    this.channel.receive({ type: "run", id, fn: fn.id, data: values });
    return id;
  }

  cancel(eventId: string): boolean {
    this.lastSeen = Date.now();
    const event = this.events.get(eventId);
    if (!event || event.finished) return false;
    this.channel.receive({ type: "cancel", id: eventId });
    return true;
  }

  /** A `queue/data` stream: gets what was kept for it, then the session's messages as they come. */
  attach(stream: SseStream): boolean {
    this.lastSeen = Date.now();
    if (this.streams.size >= this.limits.maxStreams) return false;
    this.streams.add(stream);
    stream.whenClosed(() => this.streams.delete(stream));
    for (const m of this.buffer.splice(0)) stream.data(m);
    this.closeStreamsIfIdle();
    return true;
  }

  /** A `call/<name>/<event_id>` stream: the event's messages so far, then the rest; false if unknown. */
  read(eventId: string, stream: SseStream): boolean {
    this.lastSeen = Date.now();
    const event = this.events.get(eventId);
    if (!event || event.via !== "call" || event.readers.size >= this.limits.maxStreams) return false;
    for (const m of event.log) stream.write(callEvent(m));
    if (event.finished) {
      this.events.delete(eventId);
      stream.close();
      return true;
    }
    event.readers.add(stream);
    stream.whenClosed(() => event.readers.delete(stream));
    return true;
  }

  /** Ends everything: streams, runs, and the Dais session itself. */
  dispose(): void {
    clearTimeout(this.closeTimer);
    for (const s of [...this.streams]) s.close();
    for (const e of this.events.values()) for (const s of [...e.readers]) s.close();
    this.events.clear();
    const live = this.channel.session;
    this.channel.close();
    if (live) void this.runtime.end(live.record.id).catch(() => {});
  }

  private frame(frame: SequencedFrame): void {
    if (frame.type === "welcome" || frame.type === "cleared" || frame.id === undefined) return;
    const event = this.events.get(frame.id);
    if (!event) return;
    const event_id = event.id;
    switch (frame.type) {
      case "queued":
        return this.send(event, { msg: "estimation", event_id, rank: frame.position - 1, queue_size: frame.queueSize, rank_eta: frame.eta });
      case "started":
        return this.send(event, { msg: "process_starts", event_id, eta: null });
      case "partial": {
        const data = this.outputs(event);
        const sent = event.sent;
        // A chat's first update shows only the person's message: there is no reply to send yet.
        if (!sent && event.endpoint.chatbot !== undefined && data[0] === "") return;
        // The first update carries whole values; later ones Gradio's edits from the one before.
        const output = sent ? data.map((v, i) => gradioDiff(sent[i], v)) : data;
        if (sent && output.every((ops) => (ops as unknown[]).length === 0)) return;
        event.sent = data;
        if (event.via === "call") return this.say(event, { event: "generating", data });
        return this.send(event, { msg: "process_generating", event_id, output: { data: output, is_generating: true }, success: true });
      }
      case "done": {
        const data = this.outputs(event);
        const duration = (Date.now() - event.started) / 1000;
        event.finished = true;
        if (event.via === "call") return this.say(event, { event: "complete", data });
        return this.send(event, { msg: "process_completed", event_id, output: { data, is_generating: false, duration, average_duration: duration }, success: true });
      }
      case "error":
        event.finished = true;
        if (event.via === "call") return this.say(event, { event: "error", data: frame.message });
        return this.send(event, { msg: "process_completed", event_id, output: { error: frame.message }, success: false });
    }
  }

  /** Every output as Gradio shows it: the session's current value, `null` for states; a chat's reply. */
  private outputs(event: GradioEvent): unknown[] {
    const shown = this.channel.session?.record.shown ?? {};
    const { chatbot } = event.endpoint;
    if (chatbot !== undefined) return [lastReply(shown[chatbot])];
    return event.endpoint.fn.outputs.map((id) => {
      const c = this.app.components.get(id);
      return c?.kind === "state" ? null : toGradio(c, shown[id], this.base);
    });
  }

  private send(event: GradioEvent, message: Message): void {
    if (this.streams.size > 0) for (const s of this.streams) s.data(message);
    else {
      // A client that never reads its stream cannot make the server keep everything.
      if (this.buffer.length >= this.limits.maxBuffered) this.buffer.shift();
      this.buffer.push(message);
    }
    if (event.finished) {
      this.events.delete(event.id);
      this.closeStreamsIfIdle();
    }
  }

  /**
   * sse_v3: once no event of the session is pending, its stream is told to close; not at once,
   * though. A client that joins again right after an event ends (its next predict) checks that
   * its stream is open before it has read a close_stream sent at once, and would then wait on a
   * closed stream for good. A join within the delay keeps the stream open.
   */
  private closeStreamsIfIdle(): void {
    if (this.queueEventPending()) return;
    clearTimeout(this.closeTimer);
    this.closeTimer = setTimeout(() => {
      this.closeTimer = undefined;
      if (this.queueEventPending()) return;
      for (const s of [...this.streams]) {
        s.data({ msg: "close_stream" });
        s.close();
      }
    }, closeStreamDelayMs);
    this.closeTimer.unref();
  }

  private queueEventPending(): boolean {
    for (const e of this.events.values()) if (e.via === "queue") return true;
    return false;
  }

  private say(event: GradioEvent, message: CallMessage): void {
    event.log.push(message);
    // A partial result replaces the one before: only the newest is worth keeping for a late reader.
    if (message.event === "generating" && event.log.length > 1 && event.log[event.log.length - 2]?.event === "generating") event.log.splice(event.log.length - 2, 1);
    for (const r of event.readers) r.write(callEvent(message));
    if (event.finished && event.readers.size > 0) {
      for (const r of [...event.readers]) r.close();
      this.events.delete(event.id);
    }
  }
}

/** The text of the last message of a conversation when it is the bot's, else "". */
function lastReply(history: unknown): string {
  const last: unknown = Array.isArray(history) ? history.at(-1) : undefined;
  if (typeof last !== "object" || last === null) return "";
  const { role, content } = last as { role?: unknown; content?: unknown };
  return role === "assistant" && typeof content === "string" ? content : "";
}

function callEvent(m: CallMessage): string {
  return `event: ${m.event}\ndata: ${JSON.stringify(m.data)}`;
}
