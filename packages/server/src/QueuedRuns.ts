import { DaisError, messages, toDaisError } from "@dais/core";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { QueuePositions } from "./QueuePositions.ts";
import type { RunRequest } from "./Run.ts";
import { sessionKeys } from "./redisKeys.ts";
import type { RunJob } from "./runJob.ts";
import { addRun, jobIdOf, parseRunJob, queueName } from "./runJob.ts";
import type { LiveSession, Runtime } from "./Runtime.ts";
import type { RunTransport } from "./RunTransport.ts";

/** Run ids a session remembers for resends: a page resends only its last few, and a crafted one cannot grow it. */
export const seenRuns = 256;

/**
 * Takes a run in for its session: refuses a run id that is already going, and puts a run that
 * touches state at the end of the session's chain. Returns the run's place in the chain (1: its
 * turn now), or one of the `taken` codes.
 * A resend (the page heard nothing of a run it sent before its connection dropped) of a run id
 * taken in lately is not taken again; if that run is still going and its turn has come, its job
 * may never have reached its queue (the process that took it in died first), so it is queued
 * again (under the same job id, which BullMQ adds once).
 * KEYS: runs, chain, seen, record. ARGV: run id, fn, job JSON, ttl ms, chained "1" or "",
 * resend "1" or "", now ms, seen kept.
 */
const submitScript = `
if redis.call('EXISTS', KEYS[4]) == 0 then return -2 end
if ARGV[6] == '1' and redis.call('ZSCORE', KEYS[3], ARGV[1]) then
  if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -3 end
  if ARGV[5] ~= '1' then return -4 end
  local head = redis.call('LINDEX', KEYS[2], 0)
  if head then
    local ok, job = pcall(cjson.decode, head)
    if ok and type(job) == 'table' and job.r == ARGV[1] then return -4 end
  end
  return -3
end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[7], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -1 - tonumber(ARGV[8]))
redis.call('PEXPIRE', KEYS[3], ARGV[4])
if ARGV[5] ~= '1' then return -1 end
local n = redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return n
`;

/** What the submit script says besides a place in the chain. */
const taken = { going: 0, unchained: -1, sessionLost: -2, resendIgnored: -3, resendQueued: -4 } as const;

/** Marks runs stopped (for workers that have not picked them up yet) and tells every process. */
const cancelScript = `
local ids = ARGV[2] == '' and redis.call('HKEYS', KEYS[1]) or { ARGV[2] }
for _, id in ipairs(ids) do redis.call('HSET', KEYS[2], id, '1') end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[1])
return #ids
`;

type QueueingRedis = Redis & {
  daisSubmit(keys: string[], args: string[]): Promise<number>;
  daisCancel(keys: string[], args: string[]): Promise<number>;
};

export interface QueuedRunsOptions {
  redis: Redis;
  prefix: string;
  ttl: number;
  /** Names the app's queues (its config id). */
  appKey: string;
  /** The channel cancel messages go out on. */
  cancelChannel: string;
  /** The app's queues by name. */
  queues: Map<string, Queue>;
  /** How often waiting runs' positions are read, in ms. */
  positionInterval?: number;
}

/**
 * Runs through BullMQ queues in Redis: one per function or concurrency group, limits global
 * across every worker process. This process only enqueues; whichever worker takes the job runs
 * it, and its frames come back through the shared frame log. Stop is published to all workers.
 */
export class QueuedRuns implements RunTransport {
  private readonly redis: QueueingRedis;
  private readonly positions: QueuePositions;
  private closing = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly options: QueuedRunsOptions,
  ) {
    options.redis.defineCommand("daisSubmit", { lua: submitScript, numberOfKeys: 4 });
    options.redis.defineCommand("daisCancel", { lua: cancelScript, numberOfKeys: 2 });
    this.redis = options.redis as QueueingRedis;
    this.positions = new QueuePositions(options.redis, options.queues, runtime.frames, options.positionInterval);
  }

  run(live: LiveSession, request: RunRequest): void {
    this.submit(live, request).catch((e: unknown) => {
      const error = toDaisError(e, "internal");
      if (error.code === "internal") console.error("[dais] could not queue a run:", e);
      this.runtime.emit(live, { type: "error", id: request.id, code: error.code, message: error.message });
    });
  }

  private async submit(live: LiveSession, request: RunRequest): Promise<void> {
    if (this.closing) throw new DaisError("shutting_down", messages.shuttingDown);
    const { app } = this.runtime;
    const spec = app.fns[request.fn];
    if (!spec) throw new DaisError("unknown_fn", messages.unknownFn(request.fn));
    if (!spec.fn) throw new DaisError("unknown_fn", `Function ${request.fn} only stops others; it has nothing to run.`);
    const queue = this.options.queues.get(queueName(this.options.appKey, spec));
    if (!queue) throw new DaisError("unknown_fn", messages.unknownFn(request.fn));
    // Checked here too (workers check again): a refusal costs no trip through a queue.
    if (spec.maxQueueSize !== undefined && (await queue.getWaitingCount()) >= spec.maxQueueSize) throw new DaisError("queue_full", messages.queueFull);
    const chained = [...spec.inputs, ...spec.outputs].some((id) => app.components.get(id)?.kind === "state");
    const job: RunJob = {
      s: live.record.id,
      r: request.id,
      fn: request.fn,
      data: request.data,
      ...(request.generation ? { generation: request.generation } : {}),
      ...(request.states ? { states: request.states } : {}),
      chained,
    };
    const k = sessionKeys(this.options.prefix, live.record.id);
    const place = await this.redis.daisSubmit(
      [k.runs, k.chain, k.seen, k.record],
      [request.id, String(request.fn), JSON.stringify(job), String(this.options.ttl), chained ? "1" : "", request.resend ? "1" : "", String(Date.now()), String(seenRuns)],
    );
    if (place === taken.going) throw new DaisError("bad_frame", `Run "${request.id}" is already going.`);
    // Redis lost the session (restarted empty): the page is told, and given a fresh one.
    if (place === taken.sessionLost) return this.runtime.lost(live, request.id);
    if (place === taken.resendIgnored) return;
    // A run that touches state waits until the session's runs before it have ended; the worker
    // that ends the one before it enqueues it.
    if (place === taken.unchained || place === taken.resendQueued || place === 1) {
      await addRun(queue, job);
      this.positions.watch(queue.name, jobIdOf(job), live, request.id);
    }
  }

  cancel(live: LiveSession, runId: string): void {
    this.publishCancel(live.record.id, runId);
    void this.removeWaiting(live, runId);
  }

  /**
   * A run still waiting in its queue is taken out of it and ends now, rather than when a worker
   * gets to it (after every run before it). A run a worker holds cannot be removed (BullMQ
   * refuses a locked job): it stops there, as the published Stop says. A state-touching run is
   * left to its worker too: it heads its session's chain, which only its end advances.
   */
  private async removeWaiting(live: LiveSession, runId: string): Promise<void> {
    try {
      const k = sessionKeys(this.options.prefix, live.record.id);
      const fn = await this.redis.hget(k.runs, runId);
      const spec = fn === null ? undefined : this.runtime.app.fns[Number(fn)];
      const queue = spec && this.options.queues.get(queueName(this.options.appKey, spec));
      if (!queue) return;
      const jobId = jobIdOf({ s: live.record.id, r: runId });
      const job = await queue.getJob(jobId);
      const d = job && parseRunJob(job.data);
      if (!job || !d || d.chained || !(await job.isWaiting())) return;
      await job.remove();
      this.positions.unwatch(queue.name, jobId);
      // Ends the run once: a worker that took it meanwhile finds it ended (not in the runs hash).
      this.runtime.frames.append(live, { type: "error", id: runId, code: "cancelled", message: "Stopped.", ops: {} }, { endsRun: true });
    } catch {
      // A worker took it first: it stops there.
    }
  }

  cancelAll(live: LiveSession): void {
    this.publishCancel(live.record.id, undefined);
  }

  private publishCancel(session: string, run: string | undefined): void {
    const k = sessionKeys(this.options.prefix, session);
    const message = JSON.stringify({ s: session, ...(run === undefined ? {} : { r: run }) });
    this.redis
      .daisCancel([k.runs, k.stopped], [message, run ?? "", String(this.options.ttl), this.options.cancelChannel])
      .catch((e: unknown) => console.error("[dais] could not send Stop:", e));
  }

  async close(): Promise<void> {
    this.closing = true;
    this.positions.close();
  }
}

