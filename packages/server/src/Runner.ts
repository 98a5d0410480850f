import { type AppFn, DaisError, messages } from "@dais/core";
import { Queue } from "./Queue.ts";
import type { Run } from "./Run.ts";

export interface RunnerOptions {
  /** Concurrency limit for functions that set none. Default 1 (a model runs one call at a time). */
  defaultConcurrencyLimit?: number | null;
}

/**
 * Schedules and executes runs: one queue per function or concurrency group, batching where a
 * function asks for it, time limits, Stop, and a shutdown that finishes or cancels what runs.
 */
export class Runner {
  private readonly queues = new Map<string, Queue>();
  /** Calls of fn under way, and who waits for there to be none (close()). */
  private inFlight = 0;
  private readonly whenIdle = new Set<() => void>();
  private readonly running = new Set<Run>();
  private closing = false;

  constructor(private readonly options: RunnerOptions = {}) {}

  /** Queues a run (or starts it, for functions outside the queue). Failures become its error frame. */
  submit(run: Run): void {
    if (this.closing) return run.fail(new DaisError("shutting_down", messages.shuttingDown));
    if (run.spec.queue === false) return void this.execute([run]);
    const queue = this.queueFor(run);
    // Stopped while waiting: leave the queue at once.
    run.onCancel = () => {
      if (queue.remove(run)) run.fail(undefined);
    };
    try {
      queue.push(run);
    } catch (e) {
      return run.fail(e);
    }
  }

  /**
   * Executes a run now, outside this process's queues: a BullMQ worker's queue (its limits
   * global across processes) has already let it through. Resolves when fn's work has stopped.
   */
  start(run: Run): Promise<void> {
    if (this.closing) {
      run.fail(new DaisError("shutting_down", messages.shuttingDown));
      return Promise.resolve();
    }
    return this.execute([run]) ?? Promise.resolve();
  }

  /** Whether a new run of `fn` would be refused as "queue full" (for APIs that answer 503 at once). */
  isFull(fn: AppFn): boolean {
    if (fn.queue === false || fn.maxQueueSize === undefined) return false;
    const queue = this.queues.get(fn.concurrencyId ?? `fn:${fn.id}`);
    return queue !== undefined && queue.size >= fn.maxQueueSize;
  }

  /** Waiting and running runs, for tests and benchmarks. */
  get load(): { waiting: number; running: number } {
    let waiting = 0;
    for (const q of this.queues.values()) waiting += q.size;
    return { waiting, running: this.running.size };
  }

  /**
   * Stops taking runs, tells waiting ones the server is closing, lets running ones finish for up
   * to `graceMs`, then stops them too.
   */
  async close(graceMs: number): Promise<void> {
    this.closing = true;
    for (const queue of this.queues.values()) for (const run of queue.drain()) run.fail(new DaisError("shutting_down", messages.shuttingDown));
    const all = () => (this.inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.whenIdle.add(resolve)));
    const timer = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
    await Promise.race([all(), timer(graceMs)]);
    for (const run of this.running) run.cancel(new DaisError("shutting_down", messages.shuttingDown));
    // A function that ignores its AbortSignal cannot hold the shutdown for long.
    await Promise.race([all(), timer(1000)]);
  }

  private queueFor(run: Run): Queue {
    const key = run.spec.concurrencyId ?? `fn:${run.fn}`;
    let queue = this.queues.get(key);
    if (!queue) {
      const limit = run.spec.concurrencyLimit === undefined ? (this.options.defaultConcurrencyLimit ?? 1) : run.spec.concurrencyLimit;
      queue = new Queue({
        limit,
        maxSize: run.spec.maxQueueSize,
        maxBatch: (r) => (r.spec.batch ? (r.spec.maxBatchSize ?? 4) : 1),
        start: (runs) => this.execute(runs),
      });
      this.queues.set(key, queue);
    }
    return queue;
  }


  /**
   * Runs fn for one run or a batch. The frames end as soon as a run is stopped; the promise (and
   * so the queue slot) ends when fn's work has really stopped, so a model is never running twice
   * for one slot. A run past its time limit is the exception: if fn ignores its signal, the slot
   * frees shortly after the limit anyway (the late result is discarded), or one hung call would
   * hold the function for good.
   */
  private execute(runs: Run[]): Promise<void> | undefined {
    const run = runs[0];
    // The common case, a quick synchronous fn, ends here with no promise at all.
    if (runs.length === 1 && run && !run.aborted && !run.spec.batch && run.spec.timeLimit === undefined) {
      let result: unknown;
      run.begin();
      try {
        result = (run.spec.fn as (...a: unknown[]) => unknown)(...run.args, run.context);
      } catch (e) {
        run.fail(e);
        return undefined;
      }
      if (!isThenable(result) && !isAsyncIterable(result) && !isGenerator(result)) {
        run.finish(result);
        return undefined;
      }
      return this.counted(this.callOne(run, result));
    }
    return this.counted(this.call(runs));
  }

  /** Counted rather than tracked with a promise per run: close() waits for the count to reach 0. */
  private async counted(work: Promise<void>): Promise<void> {
    this.inFlight++;
    try {
      await work;
    } finally {
      if (--this.inFlight === 0) {
        for (const resolve of this.whenIdle) resolve();
        this.whenIdle.clear();
      }
    }
  }

  private async call(runs: Run[]): Promise<void> {
    const live = runs.filter((r) => !r.aborted);
    for (const r of runs) if (r.aborted) r.fail(undefined);
    if (live.length === 0) return;
    for (const r of live) {
      this.running.add(r);
      r.begin();
      // Stop ends the run for the user at once, even if fn is mid-step and ignores the signal.
      r.onCancel = () => r.finish(undefined, true);
    }
    const first = live[0] as Run;
    const limit = first.spec.timeLimit;
    let expired: Promise<void> | undefined;
    let timer: NodeJS.Timeout | undefined;
    if (limit !== undefined)
      expired = new Promise((resolve) => {
        timer = setTimeout(() => {
          live.forEach((r) => r.expire(limit));
          setTimeout(resolve, Math.min(limit, hungGraceMs)).unref();
        }, limit);
      });
    const work = first.spec.batch ? this.callBatch(live) : this.callOne(first);
    try {
      const outcome = await (expired ? Promise.race([work.then(() => "done" as const), expired.then(() => "hung" as const)]) : work);
      if (outcome === "hung") console.error(`[dais] run ${first.id} ignored its time limit (${limit} ms) and its AbortSignal; its queue slot is freed and its late result will be discarded.`);
    } finally {
      clearTimeout(timer);
      for (const r of live) this.running.delete(r);
    }
  }

  /** One run of fn, from its call (or from what it returned, when `execute` called it) to its end. */
  private async callOne(run: Run, returned: unknown = notCalled): Promise<void> {
    this.running.add(run);
    // Stop ends the run for the user at once, even if fn is mid-step and ignores the signal.
    run.onCancel = () => run.finish(undefined, true);
    try {
      run.started();
      const result = await (returned !== notCalled ? returned : (run.spec.fn as (...a: unknown[]) => unknown)(...run.args, run.context));
      if (isAsyncIterable(result) || isGenerator(result)) {
        let any = false;
        for await (const partial of stoppable(result, run)) {
          any = true;
          run.partial(partial);
        }
        if (!any && !run.aborted) throw new DaisError("invalid_output", "The function's generator yielded nothing.");
        run.finish(undefined, true);
      } else run.finish(result);
    } catch (e) {
      run.fail(e);
    } finally {
      this.running.delete(run);
    }
  }

  private async callBatch(runs: Run[]): Promise<void> {
    const first = runs[0] as Run;
    const n = runs.length;
    // One signal for the call: it fires when every run of the batch has been stopped.
    const all = new AbortController();
    let stopped = 0;
    for (const r of runs) void r.whenCancelled().then(() => ++stopped === n && all.abort("stopped"));
    try {
      for (const r of runs) r.started();
      const lists = first.spec.inputs.map((_, j) => runs.map((r) => r.args[j]));
      const result = await (first.spec.fn as (...a: unknown[]) => unknown)(...lists, { signal: all.signal, session: first.context.session });
      const outputs = first.spec.outputs.length;
      const perOutput = outputs === 1 ? [result] : result;
      if (!Array.isArray(perOutput) || perOutput.length !== outputs || !perOutput.every((l) => Array.isArray(l) && l.length === n))
        throw new DaisError("invalid_output", `A batch function must return ${outputs === 1 ? "a list" : `${outputs} lists`} with one item per run (${n} runs).`);
      runs.forEach((r, i) => r.finish(outputs === 1 ? (perOutput[0] as unknown[])[i] : perOutput.map((l) => (l as unknown[])[i])));
    } catch (e) {
      for (const r of runs) r.fail(e);
    }
  }
}

/** Marks "fn not called yet" for callOne (fn may return undefined). */
const notCalled: unique symbol = Symbol("not called");

/** How long a run past its time limit may take to stop before its slot is freed anyway. */
const hungGraceMs = 1000;

/**
 * Iterates fn's generator until it ends or the run is stopped. On Stop the loop ends at once
 * and `return()` is awaited, so the generator's `finally` has run (the model loop has really
 * stopped) before the queue slot frees.
 */
async function* stoppable(source: AsyncIterable<unknown> | Iterable<unknown>, run: Run): AsyncGenerator<unknown> {
  const it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<unknown>)[Symbol.iterator]();
  let step: Promise<IteratorResult<unknown>> | undefined;
  try {
    for (;;) {
      step = Promise.resolve(it.next());
      // Not Promise.race with one long-lived "stopped" promise: every race leaves a reaction on
      // it until it settles, holding that step's result, so a stream would keep every version of
      // the reply so far (megabytes per token for a long one) until it ends.
      const current = step;
      const next = await new Promise<IteratorResult<unknown> | "aborted">((resolve, reject) => {
        const off = run.onStop(() => resolve("aborted"));
        current.then(
          (r) => {
            off();
            resolve(r);
          },
          (e: unknown) => {
            off();
            reject(e);
          },
        );
      });
      if (next === "aborted" || next.done) return;
      step = undefined;
      yield next.value;
    }
  } finally {
    if (run.aborted) {
      // Let the step in flight finish, then close the generator (runs its finally).
      await step?.catch(() => undefined);
      await Promise.resolve(it.return?.()).catch(() => undefined);
    }
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === "object" || typeof v === "function") && v !== null && typeof (v as PromiseLike<unknown>).then === "function";
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === "object" && v !== null && typeof (v as Record<symbol, unknown>)[Symbol.asyncIterator] === "function";
}

/** A sync generator (arrays are iterable too, but have no `next`). */
function isGenerator(v: unknown): v is Generator<unknown> {
  return (
    typeof v === "object" && v !== null && typeof (v as Generator).next === "function" && typeof (v as Record<symbol, unknown>)[Symbol.iterator] === "function"
  );
}
