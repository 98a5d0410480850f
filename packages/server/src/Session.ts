import { type App, deepCopy, type SequencedFrame, type ServerFrame } from "@dais/core";

/** Where a session's frames go; a WebSocket in practice. */
export interface FrameSink {
  /** `text` is the frame as JSON, serialised once for every sink. */
  send(frame: SequencedFrame, text?: string): void;
}

/** A run the session has in flight, as far as the session needs to know. */
export interface SessionRun {
  readonly id: string;
  readonly fn: number;
  cancel(reason: string): void;
}

/** How long and how many of its frames a session keeps for a page that reconnects. */
export const replayWindow = { frames: 2048, ms: 2 * 60 * 1000 };

/**
 * One browser tab's state on the server: a value per state slot, the wire values its
 * components show (so a reload can show them again), its runs in flight, and its recent
 * frames, numbered, so a page that lost its connection gets exactly the ones it missed.
 */
export class Session {
  /** One value per state slot of the app; never sent to the browser. */
  states: unknown[];
  /** Wire values of visible components, by component id, as the tab shows them. */
  values: Record<number, unknown>;
  readonly runs = new Map<string, SessionRun>();
  readonly sinks = new Set<FrameSink>();
  lastSeen = Date.now();
  /** Number of the last frame sent. */
  seq = 0;
  private outbox: { frame: SequencedFrame; at: number }[] = [];

  constructor(
    readonly id: string,
    private readonly app: App,
  ) {
    this.states = app.states.map((s) => s.create());
    this.values = initialValues(app);
  }

  /** Back to a fresh session's values, keeping the id and connections. */
  reset(): void {
    this.disposeStates();
    this.states = this.app.states.map((s) => s.create());
    this.values = initialValues(this.app);
  }

  /** A private copy of the state values for one run, so a failed run cannot corrupt them. */
  snapshotStates(): unknown[] {
    return deepCopy(this.states);
  }

  send(frame: ServerFrame): void {
    let numbered: SequencedFrame = { ...frame, seq: this.seq + 1 };
    let text: string;
    try {
      text = JSON.stringify(numbered);
    } catch (e) {
      // A frame that cannot be serialised must never enter the replay log, or every later
      // reconnect of this session would fail on it; the page hears what went wrong instead.
      console.error("[dais] a frame could not be serialised:", e);
      const id = "id" in frame ? frame.id : undefined;
      numbered = { type: "error", ...(id === undefined ? {} : { id }), code: "internal", message: "The server could not send this result.", seq: this.seq + 1 };
      text = JSON.stringify(numbered);
    }
    this.seq++;
    const now = Date.now();
    this.outbox.push({ frame: numbered, at: now });
    this.trim(now);
    for (const sink of this.sinks) sink.send(numbered, text);
  }

  /**
   * The frames after `lastSeq`, or undefined when some of them are no longer kept (the page
   * then gets a fresh picture of the session instead).
   */
  framesSince(lastSeq: number): SequencedFrame[] | undefined {
    this.trim(Date.now());
    if (lastSeq > this.seq) return undefined;
    if (lastSeq === this.seq) return [];
    const first = this.outbox[0]?.frame.seq;
    if (first === undefined || first > lastSeq + 1) return undefined;
    return this.outbox.filter((f) => (f.frame.seq as number) > lastSeq).map((f) => f.frame);
  }

  /** Drops frames older than the replay window. */
  trim(now: number): void {
    let drop = Math.max(0, this.outbox.length - replayWindow.frames);
    while (drop < this.outbox.length && now - (this.outbox[drop] as { at: number }).at > replayWindow.ms) drop++;
    if (drop > 0) this.outbox.splice(0, drop);
  }

  /** Stops every run of this session (its tab is gone for good, or the server is closing). */
  abortAll(reason: string): void {
    for (const run of [...this.runs.values()]) run.cancel(reason);
  }

  /** The session ends: stop its runs and give each state's delete callback its value. */
  dispose(): void {
    this.abortAll("session ended");
    this.disposeStates();
    this.sinks.clear();
    this.outbox = [];
  }

  private disposeStates(): void {
    this.app.states.forEach((s, i) => {
      try {
        s.props.onDelete?.(this.states[i]);
      } catch (e) {
        console.error("[dais] a state's onDelete failed:", e);
      }
    });
  }
}

function initialValues(app: App): Record<number, unknown> {
  return Object.fromEntries(app.config.components.map((c) => [c.id, deepCopy(c.value)]));
}
