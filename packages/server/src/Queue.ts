import { DaisError, messages } from "@dais/core";
import type { Run } from "./Run.ts";

export interface QueueOptions {
  /** Runs at once; null for no limit. */
  limit: number | null;
  maxSize: number | undefined;
  /** Largest batch for functions that batch (1 means no batching). */
  maxBatch: (run: Run) => number;
  /** Executes runs (one, or a batch of one function) and resolves when the slot is free again; undefined when it is free already. */
  start: (runs: Run[]) => Promise<void> | undefined;
}

/**
 * A FIFO queue with a concurrency limit for one function (or a group sharing a limit). Waiting
 * runs are told their position and an estimated wait as the queue moves; estimates come from
 * how long recent runs took.
 */
export class Queue {
  private readonly waiting: Run[] = [];
  private active = 0;
  /** Recent time per run, in ms (an exponential moving average); null until one has ended. */
  private perRun: number | null = null;
  private notifyTimer: NodeJS.Timeout | undefined;
  /** The position each waiting run was last told. */
  private readonly told = new WeakMap<Run, number>();

  constructor(private readonly options: QueueOptions) {}

  get size(): number {
    return this.waiting.length;
  }

  get running(): number {
    return this.active;
  }

  /** Adds a run; throws `queue_full` when maxSize runs are already waiting. */
  push(run: Run): void {
    const { maxSize } = this.options;
    if (maxSize !== undefined && this.waiting.length >= maxSize) throw new DaisError("queue_full", messages.queueFull);
    this.waiting.push(run);
    this.pump();
    // A run that starts within the next position update never hears it waited: a busy queue
    // moving fast costs no frame beyond each run's result.
    this.notifySoon();
  }

  /** Takes a waiting run out (it was stopped before it started); false if it is not waiting. */
  remove(run: Run): boolean {
    const i = this.waiting.indexOf(run);
    if (i < 0) return false;
    this.waiting.splice(i, 1);
    this.notifySoon();
    return true;
  }

  /** Takes every waiting run out (the server is closing). */
  drain(): Run[] {
    return this.waiting.splice(0);
  }

  private pump(): void {
    const { limit } = this.options;
    while (this.waiting.length > 0 && (limit === null || this.active < limit)) {
      const first = this.waiting.shift() as Run;
      const batch = [first];
      const max = this.options.maxBatch(first);
      // A batch gathers waiting runs of the same function, in their order.
      for (let i = 0; i < this.waiting.length && batch.length < max; ) {
        if (this.waiting[i]!.fn === first.fn) batch.push(...this.waiting.splice(i, 1));
        else i++;
      }
      this.active++;
      const startedAt = Date.now();
      const done = this.options.start(batch);
      // A run whose fn answered at once is over already: the loop goes on to the next one
      // rather than waiting for a promise (or recursing, for a long queue).
      if (done)
        void done.finally(() => {
          this.ended(batch.length, startedAt);
          this.pump();
        });
      else this.ended(batch.length, startedAt);
    }
  }

  private ended(runs: number, startedAt: number): void {
    this.active--;
    const took = (Date.now() - startedAt) / runs;
    this.perRun = this.perRun === null ? took : this.perRun * 0.8 + took * 0.2;
    this.notifySoon();
  }

  /** Position updates are coalesced: a queue of 500 moving fast would otherwise send 500² frames. */
  private notifySoon(): void {
    if (this.notifyTimer || this.waiting.length === 0) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.waiting.forEach((run, i) => {
        const position = i + 1;
        if (worthTelling(this.told.get(run) ?? Infinity, position)) this.tell(run, position);
      });
    }, 200);
    this.notifyTimer.unref();
  }

  private tell(run: Run, position: number): void {
    this.told.set(run, position);
    const { limit } = this.options;
    const eta = this.perRun === null ? null : limit === null ? 0 : Math.round((Math.ceil(position / limit) * this.perRun) / 100) / 10;
    run.queued(position, this.waiting.length, eta);
  }
}

/**
 * Whether a waiting run last told `last` should hear `position`: near the front every step is
 * news; far back, a tenth of the way is. This keeps a long queue draining fast from costing a
 * frame per waiting user per step.
 */
export function worthTelling(last: number, position: number): boolean {
  return position <= 5 || last - position >= Math.max(1, last / 10);
}
