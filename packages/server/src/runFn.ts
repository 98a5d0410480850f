import { type App, type AppFn, DaisError, diff, messages, type Op, type RunContext, toDaisError } from "@dais/core";
import type { Session } from "./Session.ts";

export interface RunRequest {
  id: string;
  fn: number;
  data: unknown[];
}

/**
 * One run, from the browser's raw values to the `done` frame: check and convert inputs, add
 * the session's state, call fn (a value, a promise or a generator of partial results), convert
 * outputs, and only then store the new state.
 *
 * Every update is sent as edits from what the tab shows, so streaming into a long chat costs
 * the same as into a short one. Stop keeps the last partial result as the answer. Anything
 * thrown becomes an `error` frame for this run, with edits that put back what the tab showed
 * before it; the session's state stays as it was.
 */
export async function runFn(app: App, session: Session, request: RunRequest, signal: AbortSignal, options: RunOptions): Promise<void> {
  const spec = app.fns[request.fn];
  const shownIds = spec ? spec.outputs.flatMap((b) => ("component" in b ? [b.component] : [])) : [];
  const before = shownIds.map((id) => session.values[id]);
  // Sends edits from what the tab shows to `wire`, and remembers `wire` as shown.
  const show = (wire: unknown[]): Op[][] =>
    shownIds.map((id, i) => {
      const ops = diff(session.values[id], wire[i]);
      session.values[id] = wire[i];
      return ops;
    });
  let partials = 0;
  try {
    if (!spec) throw new DaisError("unknown_fn", messages.unknownFn(request.fn));
    const states = session.snapshotStates();
    const args = inputArgs(app, spec, request.data, states);
    // The tab's input values are what it shows now; edits to those components start from them.
    let k = 0;
    for (const b of spec.inputs) if ("component" in b) session.values[b.component] = request.data[k++];
    before.splice(0, before.length, ...shownIds.map((id) => session.values[id]));
    const ctx: RunContext = { signal, session: session.id };
    session.send({ type: "started", id: request.id });

    let result: unknown;
    try {
      result = await (spec.fn as (...a: unknown[]) => unknown)(...args, ctx);
      if (isAsyncIterable(result) || isGenerator(result)) {
        for await (const partial of untilAborted(result, signal)) {
          const { wire, states: newStates } = outputWire(app, spec, partial);
          for (const [slot, value] of newStates) states[slot] = value;
          result = partial;
          partials++;
          session.send({ type: "partial", id: request.id, ops: show(wire) });
        }
        if (partials === 0 && !signal.aborted) throw new DaisError("invalid_output", "The function's generator yielded nothing.");
      }
    } catch (e) {
      throw toDaisError(e, "fn_error");
    }
    if (signal.aborted && partials === 0) throw new DaisError("cancelled", "Stopped.");
    const { wire, states: newStates } = outputWire(app, spec, result);
    for (const [slot, value] of newStates) states[slot] = value;
    const ops = show(wire);
    session.states = states;
    session.send({ type: "done", id: request.id, ops, ...(signal.aborted ? { stopped: true as const } : {}) });
  } catch (e) {
    // A run stopped before it showed anything is "cancelled", whatever fn threw on its way out.
    const error = signal.aborted && partials === 0 ? new DaisError("cancelled", "Stopped.", { cause: e }) : toDaisError(e, "internal");
    if (error.code === "fn_error" || error.code === "internal") console.error(`[dais] run ${request.id} failed:`, error.cause ?? error);
    const stack = options.showError ? ((error.cause instanceof Error ? error.cause.stack : undefined) ?? error.stack) : undefined;
    session.send({ type: "error", id: request.id, code: error.code, message: error.message, ...(stack ? { stack } : {}), ops: show(before) });
  }
}

export interface RunOptions {
  /** Send stack traces of failed runs to the browser. */
  showError: boolean;
}

/**
 * Iterates fn's generator until it ends or the run is stopped. Stop does not wait for the
 * generator's next value (a model may be mid-token): the loop ends at once, and return() lets
 * the generator run its `finally` as soon as it reaches its next yield.
 */
async function* untilAborted(source: AsyncIterable<unknown> | Iterable<unknown>, signal: AbortSignal): AsyncGenerator<unknown> {
  const it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<unknown>)[Symbol.iterator]();
  const aborted = new Promise<"aborted">((resolve) => {
    if (signal.aborted) resolve("aborted");
    signal.addEventListener("abort", () => resolve("aborted"), { once: true });
  });
  try {
    for (;;) {
      const next = await Promise.race([it.next(), aborted]);
      if (next === "aborted" || next.done) return;
      yield next.value;
    }
  } finally {
    if (signal.aborted) void Promise.resolve(it.return?.()).catch(() => undefined);
  }
}

function inputArgs(app: App, spec: AppFn, data: unknown[], states: unknown[]): unknown[] {
  const visible = spec.inputs.filter((b) => "component" in b).length;
  if (data.length !== visible) throw new DaisError("invalid_input", messages.wrongArity(visible, data.length));
  let k = 0;
  return spec.inputs.map((b) => ("component" in b ? app.components[b.component]!.preprocess(data[k++]) : states[b.state]));
}

/** Splits fn's result into wire values for visible outputs and new values for state slots. */
function outputWire(app: App, spec: AppFn, result: unknown): { wire: unknown[]; states: [number, unknown][] } {
  const n = spec.outputs.length;
  let values: unknown[];
  if (n === 1) values = [result];
  else if (n === 0) values = [];
  else if (Array.isArray(result) && result.length === n) values = result;
  else throw new DaisError("invalid_output", `The function must return ${n} values (one per output), got ${Array.isArray(result) ? result.length : "one"}.`);
  const wire: unknown[] = [];
  const states: [number, unknown][] = [];
  spec.outputs.forEach((b, i) => {
    if ("component" in b) wire.push(app.components[b.component]!.postprocess(values[i]));
    else states.push([b.state, values[i]]);
  });
  return { wire, states };
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
