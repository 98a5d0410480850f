import type { SequencedFrame } from "@dais/core";

/** How long and how many of its frames a session keeps for a page that reconnects. */
export const replayWindow = { frames: 2048, ms: 2 * 60 * 1000 };

/**
 * A session's numbered frames, as plain data (it lives in the session record). Frames leave at
 * the front by moving `head`, and the array is compacted only once half of it is dead, so
 * trimming costs O(1) per frame however long the log.
 */
export interface FrameLog {
  entries: { frame: SequencedFrame; at: number }[];
  head: number;
}

export function newFrameLog(): FrameLog {
  return { entries: [], head: 0 };
}

export function appendFrame(log: FrameLog, frame: SequencedFrame, now: number): void {
  log.entries.push({ frame, at: now });
  trimFrameLog(log, now);
}

/** Drops frames past the replay window (count or age). */
export function trimFrameLog(log: FrameLog, now: number): void {
  const { entries } = log;
  while (log.head < entries.length && (entries.length - log.head > replayWindow.frames || now - entries[log.head]!.at > replayWindow.ms)) log.head++;
  if (log.head > 64 && log.head * 2 > entries.length) {
    log.entries = entries.slice(log.head);
    log.head = 0;
  }
}

/**
 * The frames after `lastSeq` (the last one `seq` numbered), or undefined when some of them are
 * no longer kept: the page then gets a fresh picture of the session instead.
 */
export function framesSince(log: FrameLog, seq: number, lastSeq: number, now: number): SequencedFrame[] | undefined {
  trimFrameLog(log, now);
  if (lastSeq > seq) return undefined;
  if (lastSeq === seq) return [];
  const first = log.entries[log.head]?.frame.seq;
  if (first === undefined || first > lastSeq + 1) return undefined;
  // Numbers are consecutive, so the first frame wanted is found by arithmetic, not by search.
  return log.entries.slice(log.head + (lastSeq + 1 - first)).map((e) => e.frame);
}
