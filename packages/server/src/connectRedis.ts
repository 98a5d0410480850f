import type { App } from "@dais/core";
import type * as BullMQ from "bullmq";
import type { Queue } from "bullmq";
import type * as IORedis from "ioredis";
import type { Redis } from "ioredis";
import { QueuedRuns } from "./QueuedRuns.ts";
import { RedisSessionFrames } from "./RedisSessionFrames.ts";
import { RedisSessionStore } from "./RedisSessionStore.ts";
import { sessionKeys } from "./redisKeys.ts";
import { queuesOf } from "./runJob.ts";
import { RunWorker } from "./RunWorker.ts";
import type { Runtime, RuntimeOptions } from "./Runtime.ts";

/** What a process of a scaled-out app does: serve pages and APIs, run functions, or both. */
export type ProcessRole = "web" | "worker" | "both";

export interface RedisOptions {
  /** `redis://host:port` (or `rediss://`), as ioredis takes it. */
  url: string;
  /** What this process does. Default "both". */
  role?: ProcessRole;
  /** Names the app's keys and queues in Redis, so several apps can share one. Default "dais". */
  prefix?: string;
  /** How long a session outlives its last use, in ms (its keys' TTL). */
  ttl: number;
  /** Limit for functions that set none (as in process). Default 1. */
  defaultConcurrencyLimit?: number | null;
  /** A worker's hold on a run; a run whose worker died ends about this long after. Default 10 s. */
  lockDuration?: number;
}

/** A process's line to Redis: the runtime's store, frames and transport, and the queues' workers. */
export interface RedisBackend {
  options: Pick<RuntimeOptions, "store" | "frames" | "transport">;
  /** Starts the workers (or, in a web process, the watch for runs whose worker died); returns the queue names. */
  start(runtime: Runtime): Promise<string[]>;
  /** Lets runs going here finish for up to `graceMs`, then closes every connection. */
  close(graceMs: number): Promise<void>;
}

/**
 * Connects an app to Redis: sessions, frame logs, queues and limits there, so any number of
 * processes serve it. ioredis and BullMQ are loaded here, only when Redis is asked for: apps
 * that run in one process never load them (they are optional peers of @dais/server).
 * @example
 * const backend = await connectRedis(app, configId, { url: "redis://127.0.0.1:6379", ttl: 3_600_000 });
 */
export async function connectRedis(app: App, appKey: string, options: RedisOptions): Promise<RedisBackend> {
  const [{ Redis: RedisClient }, bull] = await Promise.all([importPeer<typeof IORedis>("ioredis"), importPeer<typeof BullMQ>("bullmq")]);
  const prefix = options.prefix ?? "dais";
  if (!/^[\w-]{1,32}$/.test(prefix)) throw new Error(`The Redis prefix must be letters, digits, - or _ (got ${JSON.stringify(prefix)}).`);
  const role = options.role ?? "both";
  const ttl = options.ttl;
  const lockDuration = options.lockDuration ?? 10_000;
  const connect = (name: string) => {
    // BullMQ's blocking connections need maxRetriesPerRequest null; ours retry for as long as Redis is away.
    const c = new RedisClient(options.url, { maxRetriesPerRequest: null, connectionName: `dais-${name}`, lazyConnect: true });
    c.on("error", (e: Error) => reportOnce(name, e));
    return c;
  };
  const redis = connect("commands");
  const sub = connect("subscriber");
  const bullConnection = connect("queues");
  await Promise.all([redis.connect(), sub.connect(), bullConnection.connect()]);
  const queuePrefix = `${prefix}-queues`;
  const queues = new Map<string, { queue: Queue; limit: number | null }>();
  for (const [name, { limit }] of queuesOf(app, appKey, options.defaultConcurrencyLimit === undefined ? 1 : options.defaultConcurrencyLimit)) {
    const queue = new bull.Queue(name, {
      connection: bullConnection,
      prefix: queuePrefix,
      // Kept a while after failing so the watch for lost runs can read whose run it was.
      defaultJobOptions: { removeOnComplete: true, removeOnFail: { age: 600, count: 1000 } },
    });
    queue.on("error", (e) => reportOnce(`queue ${name}`, e));
    queues.set(name, { queue, limit });
  }
  const store = new RedisSessionStore(redis, prefix, ttl);
  const frames = new RedisSessionFrames(redis, sub, app, prefix, ttl);
  const cancelChannel = `${prefix}:cancel:${appKey}`;
  let worker: RunWorker | undefined;
  return {
    options: {
      store,
      frames,
      transport: (runtime) => new QueuedRuns(runtime, { redis, prefix, ttl, appKey, cancelChannel, queues: new Map([...queues].map(([n, q]) => [n, q.queue])) }),
    },
    async start(runtime) {
      // Redis back after being away: a session this process has pages on whose record is gone
      // (Redis restarted empty) would leave them waiting for frames that never come. They are told.
      redis.on("ready", () => void findLost(runtime, redis, prefix));
      worker = new RunWorker(runtime, { redis, sub, bull, connection: bullConnection, prefix, queuePrefix, ttl, appKey, cancelChannel, queues, store, frames, work: role !== "web", lockDuration });
      return worker.start();
    },
    async close(graceMs) {
      await worker?.close(graceMs);
      await Promise.all([...queues.values()].map(({ queue }) => queue.close().catch(() => {})));
      for (const c of [redis, sub, bullConnection] as Redis[]) c.disconnect();
    },
  };
}

/** Sessions with pages here whose record Redis no longer has: each page is told and given a fresh session. */
async function findLost(runtime: Runtime, redis: Redis, prefix: string): Promise<void> {
  const followed = [...runtime.sessions.values()].filter((live) => live.sinks.size > 0 && !live.unshareable && !live.replacedBy);
  if (followed.length === 0) return;
  try {
    const pipeline = redis.pipeline();
    for (const live of followed) pipeline.exists(sessionKeys(prefix, live.record.id).record);
    const found = (await pipeline.exec()) ?? [];
    followed.forEach((live, i) => {
      const [error, n] = found[i] ?? [];
      if (!error && n === 0) runtime.lost(live);
    });
  } catch (e) {
    console.error("[dais] could not check sessions after Redis came back:", e);
  }
}

const reported = new Set<string>();
/** Redis being away shows once per connection, not once per retry. */
function reportOnce(name: string, e: Error): void {
  const key = `${name}:${e.message}`;
  if (reported.has(key)) return;
  reported.add(key);
  console.error(`[dais] Redis (${name}): ${e.message}`);
}

async function importPeer<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_MODULE_NOT_FOUND")
      throw new Error(`Redis is configured (DAIS_REDIS_URL or launch({ redis })), but the package "${name}" is not installed. Install both: npm install ioredis bullmq`);
    throw e;
  }
}
