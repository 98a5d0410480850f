import type { SequencedFrame, ServerFrame } from "@dais/core";
import type { FrameSink, LiveSession } from "./Runtime.ts";

/**
 * Where a session's numbered frames go: the seam between the runtime and its frame log. In
 * memory (the default) a frame is numbered, logged in the session's record and sent to the
 * session's sinks in this process. On Redis it is numbered by Redis, kept in a stream any
 * process can replay, and reaches the sinks of every process serving the session.
 */
export interface SessionFrames {
  /** True when frames leave the process (several processes serve one session). */
  readonly shared: boolean;
  /** Numbers a frame, logs it and delivers it to every sink of the session. */
  append(live: LiveSession, frame: ServerFrame, how?: AppendOptions): void;
  /**
   * The frames after `lastSeq`, in order, or undefined when some of them are no longer kept (or
   * `lastSeq` is from the future): the page then gets a fresh picture of the session instead.
   */
  since(live: LiveSession, lastSeq: number): SequencedFrame[] | undefined | Promise<SequencedFrame[] | undefined>;
  /**
   * A sink is about to be welcomed: frames appended from now on are held for it, so none falls
   * between the replay read by `since` and the live ones.
   */
  join(live: LiveSession, sink: FrameSink): void | Promise<void>;
  /** The sink has been sent every frame up to `seq`: it gets the later ones as they come. */
  joined(live: LiveSession, sink: FrameSink, seq: number): void;
  /** The sink left. */
  leave(live: LiveSession, sink: FrameSink): void;
}

/** What else a shared log does with a frame (the in-memory one needs neither). */
export interface AppendOptions {
  /** Save the session's record with the frame, in one step (the run that changed it is ending). */
  save?: boolean;
  /**
   * The frame ends run `frame.id`: it is kept only if the run has not ended already, so a run
   * that two processes think they are ending (a worker given up for dead, then back) ends once.
   */
  endsRun?: boolean;
  /**
   * Shared frames only: the frame is kept only while `member` is in the Redis list `list` (a
   * run's job still waiting in its queue), checked in the same step as the append, so a
   * position never follows the worker's `started`.
   */
  whileIn?: { list: string; member: string };
}
