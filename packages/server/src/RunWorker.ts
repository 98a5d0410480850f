import { applyOps, DaisError, diff, messages, type OutputOps, type ServerFrame, toDaisError } from "@dais/core";
import type * as BullMQ from "bullmq";
import type { Job, Queue, QueueEvents, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { Run, type RunHost } from "./Run.ts";
import type { RedisSessionStore } from "./RedisSessionStore.ts";
import { sessionKeys } from "./redisKeys.ts";
import { addRun, parseCancel, parseRunJob, queueName, type RunJob } from "./runJob.ts";
import { LiveSession, type Runtime } from "./Runtime.ts";
import type { SessionFrames } from "./SessionFrames.ts";

/**
 * Ends the run at the head of a session's chain and returns the next one waiting (its job JSON),
 * or nil. Only the run at the head can advance the chain.
 * KEYS: chain. ARGV: run id, ttl ms.
 */
const advanceScript = `
local head = redis.call('LINDEX', KEYS[1], 0)
if not head then return false end
local ok, job = pcall(cjson.decode, head)
if ok and type(job) == 'table' and job.r ~= ARGV[1] then return false end
redis.call('LPOP', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('LINDEX', KEYS[1], 0)
`;

type ChainRedis = Redis & { daisAdvance(keys: string[], args: string[]): Promise<string | null> };

export interface RunWorkerOptions {
  redis: Redis;
  /** The subscriber connection (cancel messages arrive on it). */
  sub: Redis;
  bull: typeof BullMQ;
  /** Connection options for BullMQ's own connections. */
  connection: Redis;
  prefix: string;
  queuePrefix: string;
  ttl: number;
  appKey: string;
  cancelChannel: string;
  queues: Map<string, { queue: Queue; limit: number | null }>;
  store: RedisSessionStore;
  frames: SessionFrames;
  /** Take jobs (a worker process); false: only notice runs whose worker died (a web process). */
  work: boolean;
  /** How long a worker's hold on a job lasts without renewal; a dead worker's runs end after about this. */
  lockDuration: number;
}

/**
 * Executes runs that BullMQ queues hand to this process, with the app's own functions, and
 * ends runs whose worker died: BullMQ notices the stalled job (its lock not renewed within
 * lockDuration) and fails it, and the run ends for its user with a clear error instead of
 * hanging. A session's state-touching runs wait in a chain in Redis; the end of one enqueues the
 * next, so they apply in order whichever processes take them.
 */
export class RunWorker {
  private readonly redis: ChainRedis;
  private readonly workers: Worker[] = [];
  private readonly events: QueueEvents[] = [];
  private closed = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly options: RunWorkerOptions,
  ) {
    options.redis.defineCommand("daisAdvance", { lua: advanceScript, numberOfKeys: 1 });
    this.redis = options.redis as ChainRedis;
  }

  /** Starts taking jobs (or only watching for lost ones); resolves when the queues are ready. Returns their names. */
  async start(): Promise<string[]> {
    const { bull, queues, connection, queuePrefix, lockDuration } = this.options;
    const names = [...queues.keys()];
    for (const [name, { queue, limit }] of queues) {
      // The limit is global: BullMQ keeps it in Redis, so two workers of concurrency 1 never run two at once.
      if (this.options.work) {
        if (limit === null) await queue.removeGlobalConcurrency();
        else await queue.setGlobalConcurrency(limit);
      }
      const worker = new bull.Worker(name, this.options.work ? (job: Job) => this.process(job) : null, {
        connection,
        prefix: queuePrefix,
        autorun: false,
        concurrency: limit ?? 64,
        lockDuration,
        stalledInterval: Math.max(500, Math.round(lockDuration / 2)),
        // A stalled run is not tried again: its user saw part of an answer already.
        maxStalledCount: 0,
      });
      worker.on("error", (e) => console.error(`[dais] queue ${name}:`, e.message));
      this.workers.push(worker);
      const events = new bull.QueueEvents(name, { connection, prefix: queuePrefix });
      // A stalled job (its worker stopped renewing its lock) is not run again: BullMQ marks it to
      // fail when next fetched (maxStalledCount 0). Its run ends now, for the user waiting.
      events.on("stalled", ({ jobId }) => void this.lost(queue, jobId, "its worker stopped"));
      events.on("failed", ({ jobId, failedReason }) => void this.lost(queue, jobId, failedReason));
      events.on("error", (e) => console.error(`[dais] queue events ${name}:`, e.message));
      this.events.push(events);
      await events.waitUntilReady();
      if (this.options.work) void worker.run();
      else await worker.startStalledCheckTimer();
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    if (this.options.work) {
      this.options.sub.on("message", (channel: string, text: string) => {
        if (channel === this.options.cancelChannel) this.heardCancel(text);
      });
      await this.options.sub.subscribe(this.options.cancelChannel);
    }
    return names;
  }

  /** Lets runs going finish for up to `graceMs`, then stops them and closes the queues. */
  async close(graceMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closing = Promise.all(this.workers.map((w) => w.close()));
    const timer = new Promise((r) => setTimeout(r, graceMs).unref());
    if ((await Promise.race([closing.then(() => "closed"), timer])) !== "closed") {
      for (const live of this.runtime.sessions.values()) for (const run of live.runs.values()) run.cancel(new DaisError("shutting_down", messages.shuttingDown));
      await Promise.race([closing, new Promise((r) => setTimeout(r, 1000).unref())]);
    }
    await Promise.all(this.events.map((e) => e.close().catch(() => {})));
  }

  private heardCancel(text: string): void {
    const message = parseCancel(text);
    const live = message && this.runtime.sessions.get(message.s);
    if (!message || !live) return;
    if (message.r === undefined) for (const run of [...live.runs.values()]) run.cancel("cleared");
    else live.runs.get(message.r)?.cancel("cancelled by the user");
  }

  private async process(job: Job): Promise<void> {
    const d = parseRunJob(job.data);
    if (!d) {
      console.error(`[dais] job ${job.id} is not a run; dropped.`);
      return;
    }
    try {
      await this.execute(d);
    } catch (e) {
      console.error(`[dais] run ${d.r} could not be executed:`, e);
      const record = await this.options.store.get(d.s);
      if (record) this.options.frames.append(new LiveSession(record), { type: "error", id: d.r, code: "internal", message: "The run could not be executed." }, { endsRun: true });
    } finally {
      if (d.chained) await this.advance(d);
    }
  }

  private async execute(d: RunJob): Promise<void> {
    const { runtime } = this;
    const k = sessionKeys(this.options.prefix, d.s);
    const [going, stopped] = await Promise.all([this.redis.hexists(k.runs, d.r), this.redis.hexists(k.stopped, d.r)]);
    // Ended already (its worker given up for dead, the session gone): nothing to do.
    if (!going) return;
    const live = await this.session(d.s);
    if (!live) {
      await this.redis.hdel(k.runs, d.r);
      return;
    }
    const frames = this.options.frames;
    const own = live.host(runtime);
    const host: RunHost = {
      app: runtime.app,
      showError: runtime.showError,
      // Files live in this process's FileStore: a worker sees the files its own runs write, not a
      // web process's uploads (a shared FileStore is the seam for that).
      files: own.files,
      onSessionEnd: own.onSessionEnd,
      // The run's last frame saves the record with it, in one step, and only if the run has not been ended elsewhere.
      emit: (frame) => frames.append(live, frame, endsRun(frame, d.r) ? { save: true, endsRun: true } : undefined),
      ended: (run) => {
        if (live.runs.get(run.id) === run) live.runs.delete(run.id);
      },
    };
    let run: Run;
    try {
      run = new Run(host, live.record, { id: d.r, fn: d.fn, data: d.data, ...(d.generation ? { generation: d.generation } : {}), ...(d.states ? { states: d.states } : {}) });
    } catch (e) {
      const error = toDaisError(e, "internal");
      host.emit({ type: "error", id: d.r, code: error.code, message: error.message });
      return;
    }
    live.runs.set(run.id, run);
    if (stopped) {
      run.cancel("cancelled by the user");
      run.fail(undefined);
    } else {
      try {
        if (run.receivesFiles) await run.receiveFiles();
      } catch (e) {
        run.fail(e);
      }
      if (!run.ended) await runtime.runner.start(run);
    }
    await run.settled;
    if (live.runs.size === 0 && live.sinks.size === 0) runtime.forget(live);
  }

  /**
   * The session as Redis has it now (the runs before this one have saved their changes). A
   * session with runs going here keeps what they show and takes only the states.
   */
  private async session(id: string): Promise<LiveSession | undefined> {
    const known = this.runtime.sessions.get(id);
    if (!known || known.runs.size === 0) return this.runtime.load(id);
    const record = await this.options.store.get(id);
    if (!record) return undefined;
    known.record.states = record.states;
    return known;
  }

  /** The run has ended: the next state-touching run of its session may go. */
  private async advance(d: RunJob): Promise<void> {
    const next = await this.redis.daisAdvance([sessionKeys(this.options.prefix, d.s).chain], [d.r, String(this.options.ttl)]);
    if (typeof next !== "string") return;
    let job: RunJob | undefined;
    try {
      job = parseRunJob(JSON.parse(next));
    } catch {
      job = undefined;
    }
    const spec = job && this.runtime.app.fns[job.fn];
    const queue = spec && this.options.queues.get(queueName(this.options.appKey, spec))?.queue;
    if (job && queue) await addRun(queue, job);
    // A job no queue takes would hold the chain for good: skip past it.
    else if (job) await this.advance(job);
  }

  /**
   * A job stalled or failed outside the processor (its worker stopped renewing its lock:
   * killed, crashed, frozen): its run ends with `worker_lost`, putting back what the page showed before it, and
   * the session's next run may go. Every process hears this; the run ends once.
   */
  private async lost(queue: Queue, jobId: string, reason: string): Promise<void> {
    if (this.closed) return;
    try {
      const job = await this.options.bull.Job.fromId(queue, jobId);
      const d = job && parseRunJob(job.data);
      if (!d) return;
      const record = await this.options.store.get(d.s);
      if (record) {
        const live = new LiveSession(record);
        const ops = await this.revert(live, d.r);
        // Heard twice (stalled, then failed when next fetched): said once.
        if (!reason.includes("allowable limit")) console.error(`[dais] run ${d.r} lost its worker (${reason}).`);
        this.options.frames.append(live, { type: "error", id: d.r, code: "worker_lost", message: messages.workerLost, ops }, { endsRun: true });
      }
      if (d.chained) await this.advance(d);
    } catch (e) {
      console.error("[dais] could not end a run whose worker died:", e);
    }
  }

  /** Edits that take what the page shows (the record and the run's streamed frames) back to the record. */
  private async revert(live: LiveSession, runId: string): Promise<OutputOps> {
    const frames = (await this.options.frames.since(live, live.record.seq)) ?? [];
    const shown: Record<string, unknown> = {};
    for (const frame of frames) {
      if (frame.type !== "partial" || frame.id !== runId) continue;
      for (const [id, edits] of Object.entries(frame.ops)) shown[id] = applyOps(id in shown ? shown[id] : live.record.shown[id], edits);
    }
    const ops: OutputOps = {};
    for (const [id, value] of Object.entries(shown)) {
      const edits = diff(value, live.record.shown[id]);
      if (edits.length > 0) ops[Number(id)] = edits;
    }
    return ops;
  }
}

function endsRun(frame: ServerFrame, id: string): boolean {
  return (frame.type === "done" || frame.type === "error") && frame.id === id;
}
