import { Interface, type RunContext, state } from "@dais/core";

/**
 * The app of the worker-process tests, defined once: the test's web process and the worker
 * process it starts must run the same app (their queues are named after its config).
 * "hang" streams a word and then waits until it is stopped (or its worker is killed).
 */
export const workerApp = new Interface({
  fn: async function* (text: string, seen: string[], ctx: RunContext) {
    if (text === "hang") {
      yield [`w0 (pid ${process.pid})`, seen];
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
      return;
    }
    const next = [...seen, text];
    yield [`${next.join(" ")} (pid ${process.pid})`, next];
  },
  inputs: ["text", state([] as string[])],
  outputs: ["text", state([] as string[])],
  title: "worker test",
});
