import type { SequencedFrame } from "@dais/core";
import { describe, expect, it } from "vitest";
import { appendFrame, framesSince, newFrameLog, replayWindow } from "./FrameLog.ts";

const frame = (seq: number): SequencedFrame => ({ type: "started", id: `r${seq}`, seq });

describe("a session's frame log", () => {
  it("gives exactly the frames after the last one seen, or nothing to replay when some are gone", () => {
    const log = newFrameLog();
    for (let seq = 1; seq <= 10; seq++) appendFrame(log, frame(seq), 0);
    expect(framesSince(log, 10, 7, 0)?.map((f) => f.seq)).toEqual([8, 9, 10]);
    expect(framesSince(log, 10, 10, 0)).toEqual([]);
    expect(framesSince(log, 10, 11, 0)).toBeUndefined();
  });

  it("keeps the last frames of the window, compacting its storage as it goes", () => {
    const log = newFrameLog();
    const n = replayWindow.frames * 3 + 5;
    for (let seq = 1; seq <= n; seq++) appendFrame(log, frame(seq), 0);
    expect(log.entries.length - log.head).toBe(replayWindow.frames);
    // Storage stays within twice the window: dead frames are dropped in batches, not one by one.
    expect(log.entries.length).toBeLessThanOrEqual(replayWindow.frames * 2);
    expect(framesSince(log, n, n - replayWindow.frames - 1, 0)).toBeUndefined();
    expect(framesSince(log, n, n - replayWindow.frames, 0)).toHaveLength(replayWindow.frames);
  });

  it("drops frames older than the window's age", () => {
    const log = newFrameLog();
    appendFrame(log, frame(1), 0);
    appendFrame(log, frame(2), replayWindow.ms - 1);
    expect(framesSince(log, 2, 0, replayWindow.ms + 1)).toBeUndefined();
    expect(framesSince(log, 2, 1, replayWindow.ms + 1)?.map((f) => f.seq)).toEqual([2]);
  });
});
