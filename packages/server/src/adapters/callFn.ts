import { randomUUID } from "node:crypto";
import { applyOps, DaisError, type GenerationOptions, type ServerFrame } from "@dais/core";
import type { Runtime } from "../Runtime.ts";

export interface FnCall {
  /** The function's index in the app plan. */
  fn: number;
  /** Its visible inputs' wire values, in order. */
  data: unknown[];
  generation?: GenerationOptions;
  /** Values its states start from, by component id (see RunRequest.states). */
  states?: Record<number, unknown>;
  /** Aborting stops the run (the caller went away); its fn's signal fires. */
  signal?: AbortSignal;
  /** Hears the values shown after each partial result, by component id. */
  onPartial?: (values: Record<string, unknown>) => void;
}

/**
 * One run of one function for a program, in a session of its own that ends with the call: the
 * way the OpenAI and MCP adapters reach the runtime. The run is queued, limited, timed and
 * stopped like a page's; its frames are turned back into values by applying their edits.
 * Resolves with the values shown when it is done; rejects with the run's DaisError.
 */
export async function callFn(runtime: Runtime, call: FnCall): Promise<Record<string, unknown>> {
  const id = `api-${randomUUID()}`;
  let values: Record<string, unknown> = {};
  let settle: { resolve: (v: Record<string, unknown>) => void; reject: (e: unknown) => void } | undefined;
  const result = new Promise<Record<string, unknown>>((resolve, reject) => (settle = { resolve, reject }));
  const apply = (ops: Record<string, unknown[]> | undefined) => {
    if (!ops) return;
    const next = { ...values };
    for (const [key, list] of Object.entries(ops)) next[key] = applyOps(next[key], list as Parameters<typeof applyOps>[1]);
    values = next;
  };
  const sink = {
    send(frame: ServerFrame) {
      if (frame.type === "welcome") values = { ...(frame.values ?? {}) };
      if (!("id" in frame) || frame.id !== id) return;
      if (frame.type === "partial") {
        apply(frame.ops);
        call.onPartial?.(values);
      } else if (frame.type === "done") {
        apply(frame.ops);
        settle?.resolve(values);
      } else if (frame.type === "error") {
        settle?.reject(new DaisError(frame.code, frame.message));
      }
    },
  };
  const live = await runtime.hello(sink, undefined, undefined);
  const stop = () => runtime.cancel(live, id);
  call.signal?.addEventListener("abort", stop, { once: true });
  try {
    runtime.run(live, { id, fn: call.fn, data: call.data, ...(call.generation ? { generation: call.generation } : {}), ...(call.states ? { states: call.states } : {}) });
    if (call.signal?.aborted) stop();
    return await result;
  } finally {
    call.signal?.removeEventListener("abort", stop);
    runtime.detach(live, sink);
    runtime.end(live.record.id).catch((e: unknown) => console.error("[dais] could not end an API session:", e));
  }
}
