import type { App, AppFn, GenerationOptions } from "@dais/core";
import type { Queue } from "bullmq";
import { isRunId, isSessionId } from "./redisKeys.ts";

/** A run as a BullMQ job carries it: what the page asked for, and where its frames go. */
export interface RunJob {
  /** The session. */
  s: string;
  /** The run id the page gave. */
  r: string;
  fn: number;
  data: unknown[];
  generation?: GenerationOptions;
  states?: Record<number, unknown>;
  /** It touches the session's state, so it waits its turn in the session's chain. */
  chained: boolean;
}

/**
 * The queue of a function (or of its concurrency group), named after the app's config so two
 * versions of an app sharing a Redis never take each other's runs. BullMQ names take no colons.
 */
export function queueName(appKey: string, spec: AppFn): string {
  const group = spec.concurrencyId === undefined ? `fn${spec.id}` : `c-${spec.concurrencyId.replace(/[^\w-]/g, "_").slice(0, 64)}`;
  return `${appKey}-${group}`;
}

/** The queues of an app, with each one's limit (null: no limit) and the functions it carries. */
export function queuesOf(app: App, appKey: string, defaultLimit: number | null): Map<string, { limit: number | null; fns: number[] }> {
  const queues = new Map<string, { limit: number | null; fns: number[] }>();
  for (const spec of app.fns) {
    if (!spec.fn) continue;
    const name = queueName(appKey, spec);
    const limit = spec.concurrencyLimit === undefined ? defaultLimit : spec.concurrencyLimit;
    const q = queues.get(name);
    if (q) q.fns.push(spec.id);
    else queues.set(name, { limit, fns: [spec.id] });
  }
  return queues;
}

/** A job's data checked as it comes out of Redis (anything with access to Redis could write one). */
export function parseRunJob(data: unknown): RunJob | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (!isSessionId(d.s) || !isRunId(d.r) || !Number.isSafeInteger(d.fn) || !Array.isArray(d.data) || typeof d.chained !== "boolean") return undefined;
  const isObject = (v: unknown) => v === undefined || (typeof v === "object" && v !== null && !Array.isArray(v));
  if (!isObject(d.generation) || !isObject(d.states)) return undefined;
  return d as unknown as RunJob;
}

/** A cancel message as it comes off the pub/sub channel: a session, and one run or all. */
export function parseCancel(text: string): { s: string; r: string | undefined } | undefined {
  if (text.length > 256) return undefined;
  try {
    const m = JSON.parse(text) as Record<string, unknown>;
    if (typeof m !== "object" || m === null || !isSessionId(m.s)) return undefined;
    if (m.r !== undefined && !isRunId(m.r)) return undefined;
    return { s: m.s, r: m.r as string | undefined };
  } catch {
    return undefined;
  }
}

/**
 * Queues a run's job under an id made from its session and run, so queueing it twice (a resend
 * after the process that took it in died, the run before it ending twice) adds it once.
 */
export function addRun(queue: Queue, job: RunJob): Promise<unknown> {
  return queue.add("run", job, { jobId: jobIdOf(job) });
}

/** The BullMQ job id of a session's run. */
export function jobIdOf(job: { s: string; r: string }): string {
  return `${job.s}_${job.r}`;
}
