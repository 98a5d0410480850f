import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { worthTelling } from "./Queue.ts";
import type { LiveSession } from "./Runtime.ts";
import type { SessionFrames } from "./SessionFrames.ts";

/**
 * The places of the given jobs in a BullMQ wait list, in one pass over it: the list's length,
 * then each job's place from the front (1: taken next), 0 for a job no longer waiting. BullMQ
 * pushes new jobs at the head and workers take from the tail, so the front is the tail.
 * KEYS: wait list. ARGV: job ids.
 */
const positionsScript = `
local ids = redis.call('LRANGE', KEYS[1], 0, -1)
local n = #ids
local wanted = {}
for i, id in ipairs(ARGV) do wanted[id] = i end
local out = { n }
for i = 1, #ARGV do out[i + 1] = 0 end
for i, id in ipairs(ids) do
  local w = wanted[id]
  if w then out[w + 1] = n - i + 1 end
end
return out
`;

type PositionsRedis = Redis & { daisPositions(keys: string[], args: string[]): Promise<number[]> };

interface Watched {
  live: LiveSession;
  runId: string;
  /** The position it was last told; undefined until told. */
  told: number | undefined;
  toldSize: number | undefined;
}

/**
 * Tells runs this process queued their place among the waiting jobs of their BullMQ queue, as
 * Queue.ts does in process. Each web process watches only the jobs it submitted, so several web
 * processes never tell a run twice, and it polls a queue only while it has jobs waiting there:
 * one script call per queue per interval, whatever the number of waiting runs. The frames go
 * through the shared frame log, so a page on any process sees them. A job no longer in the wait
 * list (a worker took it, Stop removed it) is dropped and hears no more.
 */
export class QueuePositions {
  private readonly redis: PositionsRedis;
  /** Jobs waiting, by queue name then job id. */
  private readonly watched = new Map<string, Map<string, Watched>>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;

  constructor(
    redis: Redis,
    private readonly queues: Map<string, Queue>,
    private readonly frames: SessionFrames,
    /** How often positions are read; updates between two reads are coalesced into one. */
    private readonly interval = 500,
  ) {
    redis.defineCommand("daisPositions", { lua: positionsScript, numberOfKeys: 1 });
    this.redis = redis as PositionsRedis;
  }

  /** Starts telling a job just added to `queue` its place, until a worker takes it. */
  watch(queue: string, jobId: string, live: LiveSession, runId: string): void {
    if (this.closed) return;
    let jobs = this.watched.get(queue);
    if (!jobs) this.watched.set(queue, (jobs = new Map()));
    jobs.set(jobId, { live, runId, told: undefined, toldSize: undefined });
    this.schedule();
  }

  /** Stops telling a job its place (it was removed). */
  unwatch(queue: string, jobId: string): void {
    const jobs = this.watched.get(queue);
    if (jobs?.delete(jobId) && jobs.size === 0) this.watched.delete(queue);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.watched.clear();
  }

  private schedule(): void {
    if (this.timer || this.polling || this.closed || this.watched.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.polling = true;
      void this.poll().finally(() => {
        this.polling = false;
        this.schedule();
      });
    }, this.interval);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    await Promise.all(
      [...this.watched].map(async ([name, jobs]) => {
        const queue = this.queues.get(name);
        if (!queue) return this.watched.delete(name);
        const ids = [...jobs.keys()];
        let found: number[];
        try {
          found = await this.redis.daisPositions([queue.keys.wait!], ids);
        } catch (e) {
          // Redis away: positions wait for the next poll.
          console.error("[dais] could not read queue positions:", (e as Error).message);
          return;
        }
        const size = Number(found[0]);
        ids.forEach((id, i) => {
          const watched = jobs.get(id);
          if (!watched) return;
          const position = Number(found[i + 1]);
          if (!(position > 0)) return this.unwatch(name, id);
          if (position === watched.told && size === watched.toldSize) return;
          if (!worthTelling(watched.told ?? Infinity, position)) return;
          watched.told = position;
          watched.toldSize = size;
          // Kept only if the job still waits when it is appended: a worker that took it since
          // may have said `started`, and a position after that would show the run waiting.
          this.frames.append(watched.live, { type: "queued", id: watched.runId, position, queueSize: size, eta: null }, { whileIn: { list: queue.keys.wait!, member: id } });
        });
      }),
    );
  }
}
