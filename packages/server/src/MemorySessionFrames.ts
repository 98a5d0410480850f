import type { SequencedFrame, ServerFrame } from "@dais/core";
import { appendFrame, framesSince } from "./FrameLog.ts";
import type { LiveSession } from "./Runtime.ts";
import type { SessionFrames } from "./SessionFrames.ts";

/**
 * Frames in this process: numbered in the session's record, logged there for replay, and sent
 * at once to the session's sinks. Everything is synchronous, so emitting costs a stringify.
 */
export class MemorySessionFrames implements SessionFrames {
  readonly shared = false;

  append(live: LiveSession, frame: ServerFrame): void {
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
      numbered = { ...unsendable(frame), seq: record.seq + 1 };
      text = JSON.stringify(numbered);
    }
    record.seq++;
    appendFrame(record.log, numbered, Date.now());
    for (const sink of live.sinks) sink.send(numbered, text);
  }

  since(live: LiveSession, lastSeq: number): SequencedFrame[] | undefined {
    return framesSince(live.record.log, live.record.seq, lastSeq, Date.now());
  }

  join(): void {}

  // The runtime keeps the session's sinks, and `append` sends to them.
  joined(): void {}

  leave(): void {}
}

/** What the tab is told in place of a frame that cannot become JSON. */
export function unsendable(frame: ServerFrame): ServerFrame {
  return { type: "error", ...("id" in frame && frame.id !== undefined ? { id: frame.id } : {}), code: "internal", message: "The result could not be sent." };
}
