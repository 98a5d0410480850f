import { type App, DaisError, messages } from "@dais/core";
import { Queue } from "./Queue.ts";
import type { Run } from "./Run.ts";
import { SessionOrder } from "./SessionOrder.ts";

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
  private readonly active = new Set<Promise<void>>();
  private readonly running = new Set<Run>();
  private closing = false;
  private readonly order = new SessionOrder();

  constructor(
    private readonly app: App,
    private readonly options: RunnerOptions = {},
  ) {}

  /** Queues a run (or starts it, for functions outside the queue). Failures become its error frame. */
  submit(run: Run): void {
    if (!run.touchesState) return this.enqueue(run);
    // Stopped while it waits for the session's earlier turns: it ends at once.
    let waiting = true;
    const onAbort = () => waiting && run.fail(undefined);
    run.signal.addEventListener("abort", onAbort, { once: true });
    this.order.after(run.session, run.whenEnded, () => {
      waiting = false;
      run.signal.removeEventListener("abort", onAbort);
      if (!run.ended) this.enqueue(run);
    });
  }

  private enqueue(run: Run): void {
    if (this.closing) return run.fail(new DaisError("shutting_down", messages.shuttingDown));
    if (run.spec.queue === false) return void this.track(this.execute([run]));
    const queue = this.queueFor(run);
    try {
      queue.push(run);
    } catch (e) {
      return run.fail(e);
    }
    // Stopped while waiting: leave the queue at once.
    run.signal.addEventListener("abort", () => {
      if (queue.remove(run)) run.fail(undefined);
    });
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
    const all = () => Promise.allSettled([...this.active]);
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
        start: (runs) => this.track(this.execute(runs)),
      });
      this.queues.set(key, queue);
    }
    return queue;
  }

  private track(work: Promise<void>): Promise<void> {
    this.active.add(work);
    void work.finally(() => this.active.delete(work));
    return work;
  }

  /**
   * Runs fn for one run or a batch. The frames end as soon as a run is stopped; the promise (and
   * so the queue slot) ends when fn's work has really stopped.
   */
  private async execute(runs: Run[]): Promise<void> {
    const live = runs.filter((r) => !r.signal.aborted);
    for (const r of runs) if (r.signal.aborted) r.fail(undefined);
    if (live.length === 0) return;
    for (const r of live) this.running.add(r);
    for (const r of live) r.begin();
    const first = live[0] as Run;
    const limit = first.spec.timeLimit;
    let settled = false;
    const work = (first.spec.batch ? this.callBatch(live) : this.callOne(first)).finally(() => (settled = true));
    // Past its time limit the run fails at once; a fn that honours its signal then ends and
    // frees the slot itself. One that ignores it loses the slot after a grace second, or it
    // would hold the slot (and wedge every later run) for good.
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => {
      if (limit === undefined) return;
      timer = setTimeout(() => {
        live.forEach((r) => r.expire(limit));
        timer = setTimeout(resolve, Math.min(limit, 1000));
      }, limit);
    });
    // Stop ends the run for the user at once, even if fn is mid-step and ignores the signal.
    for (const r of live) r.signal.addEventListener("abort", () => r.finish(undefined, true), { once: true });
    try {
      await Promise.race([work, expired]);
      if (!settled) {
        console.warn(`[dais] run ${first.id} ignored its time limit of ${limit} ms; its slot is freed and its late result will be discarded.`);
        void work.then(() => console.warn(`[dais] run ${first.id} ended after its time limit; its result was discarded.`));
      }
    } finally {
      clearTimeout(timer);
      for (const r of live) this.running.delete(r);
    }
  }

  private async callOne(run: Run): Promise<void> {
    try {
      run.started();
      const result = await (run.spec.fn as (...a: unknown[]) => unknown)(...run.args, run.context);
      if (isAsyncIterable(result) || isGenerator(result)) {
        let any = false;
        for await (const partial of stoppable(result, run.signal)) {
          any = true;
          run.partial(partial);
        }
        if (!any && !run.signal.aborted) throw new DaisError("invalid_output", "The function's generator yielded nothing.");
        run.finish(undefined, true);
      } else run.finish(result);
    } catch (e) {
      run.fail(e);
    }
  }

  private async callBatch(runs: Run[]): Promise<void> {
    const first = runs[0] as Run;
    const n = runs.length;
    // One signal for the call: it fires when every run of the batch has been stopped.
    const all = new AbortController();
    let stopped = 0;
    for (const r of runs) r.signal.addEventListener("abort", () => ++stopped === n && all.abort(r.signal.reason), { once: true });
    try {
      for (const r of runs) r.started();
      const lists = first.spec.inputs.map((_, j) => runs.map((r) => r.args[j]));
      const result = await (first.spec.fn as (...a: unknown[]) => unknown)(...lists, { signal: all.signal, session: first.session.id });
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

/**
 * Iterates fn's generator until it ends or the run is stopped. On Stop the loop ends at once
 * and `return()` is awaited, so the generator's `finally` has run (the model loop has really
 * stopped) before the queue slot frees.
 */
async function* stoppable(source: AsyncIterable<unknown> | Iterable<unknown>, signal: AbortSignal): AsyncGenerator<unknown> {
  const it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<unknown>)[Symbol.iterator]();
  let onAbort = () => {};
  const aborted = new Promise<"aborted">((resolve) => {
    onAbort = () => resolve("aborted");
    if (signal.aborted) resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
  });
  let step: Promise<IteratorResult<unknown>> | undefined;
  try {
    for (;;) {
      step = Promise.resolve(it.next());
      const next = await Promise.race([step, aborted]);
      if (next === "aborted" || next.done) return;
      step = undefined;
      yield next.value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    if (signal.aborted) {
      // Let the step in flight finish, then close the generator (runs its finally).
      await step?.catch(() => undefined);
      await Promise.resolve(it.return?.()).catch(() => undefined);
    }
  }
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
