import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { FeedbackEvent } from "@dais/core";

// Writes to one folder are chained, so lines land in the order the feedback arrived.
const queues = new Map<string, Promise<void>>();

/**
 * The default feedback sink: one JSON line per like, dislike or flag in
 * `<flaggingDir>/feedback.jsonl`, so feedback works with no database set up.
 */
export function logFeedback(dir: string, event: FeedbackEvent): Promise<void> {
  const write = async () => {
    await mkdir(dir, { recursive: true });
    await appendFile(join(dir, "feedback.jsonl"), `${JSON.stringify(event)}\n`, "utf8");
  };
  const next = (queues.get(dir) ?? Promise.resolve()).then(write, write);
  const settled = next.catch(() => undefined);
  queues.set(dir, settled);
  void settled.then(() => {
    if (queues.get(dir) === settled) queues.delete(dir);
  });
  return next;
}
