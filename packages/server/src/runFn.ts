import { type App, type AppFn, DaisError, messages, type RunContext, toDaisError } from "@dais/core";
import type { Session } from "./Session.ts";

export interface RunRequest {
  id: string;
  fn: number;
  data: unknown[];
}

/**
 * One run, from the browser's raw values to the `done` frame: check and convert inputs, add
 * the session's state, call fn (a value, a promise or a generator of partial results), convert
 * outputs, and only then store the new state. Anything thrown becomes an `error` frame for
 * this run; the session's state stays as it was.
 */
export async function runFn(app: App, session: Session, request: RunRequest, signal: AbortSignal): Promise<void> {
  const spec = app.fns[request.fn];
  if (!spec) throw new DaisError("unknown_fn", messages.unknownFn(request.fn));
  const states = session.snapshotStates();
  const args = inputArgs(app, spec, request.data, states);
  const ctx: RunContext = { signal, session: session.id };
  session.send({ type: "started", id: request.id });

  let result: unknown;
  try {
    result = await (spec.fn as (...a: unknown[]) => unknown)(...args, ctx);
    if (isAsyncIterable(result) || isGenerator(result)) {
      let last: unknown = undefined;
      let any = false;
      for await (const partial of result as AsyncIterable<unknown>) {
        if (signal.aborted) break;
        last = partial;
        any = true;
        session.send({ type: "partial", id: request.id, data: outputWire(app, spec, partial).wire });
      }
      if (!any) throw new DaisError("invalid_output", "The function's generator yielded nothing.");
      result = last;
    }
  } catch (e) {
    throw toDaisError(e, "fn_error");
  }
  if (signal.aborted) throw new DaisError("cancelled", "The run was stopped.");
  const { wire, states: newStates } = outputWire(app, spec, result);
  for (const [slot, value] of newStates) states[slot] = value;
  session.states = states;
  spec.outputs.forEach((b, i) => {
    if ("component" in b) session.values[b.component] = wire[wireIndex(spec, i)];
  });
  session.send({ type: "done", id: request.id, data: wire });
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

function wireIndex(spec: AppFn, outputIndex: number): number {
  return spec.outputs.slice(0, outputIndex).filter((b) => "component" in b).length;
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
