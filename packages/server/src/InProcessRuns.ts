import { toDaisError } from "@dais/core";
import { Run, type RunRequest } from "./Run.ts";
import type { Runner } from "./Runner.ts";
import type { LiveSession, Runtime } from "./Runtime.ts";
import type { RunTransport } from "./RunTransport.ts";

/** Runs executed in this process by its Runner: the default transport. */
export class InProcessRuns implements RunTransport {
  constructor(
    private readonly runtime: Runtime,
    private readonly runner: Runner,
  ) {}

  run(live: LiveSession, request: RunRequest): void {
    const runtime = this.runtime;
    // A page's resend of a run this session took in already (going, or its frames in the log the page is replaying): left alone.
    if (request.resend && (live.runs.has(request.id) || logged(live, request.id))) return;
    if (live.runs.has(request.id)) return runtime.emit(live, { type: "error", id: request.id, code: "bad_frame", message: `Run "${request.id}" is already going.` });
    let run: Run;
    try {
      run = new Run(live.host(runtime), live.record, request);
    } catch (e) {
      const error = toDaisError(e, "internal");
      return runtime.emit(live, { type: "error", id: request.id, code: error.code, message: error.message });
    }
    live.runs.set(run.id, run);
    // Stopped while its files are looked up or while it waits for the session's earlier runs: it ends at once.
    run.onCancel = () => run.fail(undefined);
    // Files are looked up (and read, where fn wants bytes) before the run takes a queue slot.
    const ready = run.receivesFiles ? run.receiveFiles() : undefined;
    const submit = () => {
      if (!run.ended) this.runner.submit(run);
    };
    if (!run.touchesState) {
      if (!ready) return this.runner.submit(run);
      return void ready.then(submit, (e: unknown) => run.fail(e));
    }
    // Runs that read or write the session's states apply one after another, in the order they
    // came, or pipelined turns would each start from the same history and overwrite each other.
    // A run joins its queue only once the one before it has ended, so no slot waits on another.
    const previous = live.stateTail;
    live.stateTail = previous.then(async () => {
      try {
        await ready;
      } catch (e) {
        run.fail(e);
      }
      submit();
      return run.settled;
    });
  }

  cancel(live: LiveSession, runId: string): void {
    live.runs.get(runId)?.cancel("cancelled by the user");
  }

  cancelAll(live: LiveSession, reason: string): void {
    for (const run of [...live.runs.values()]) run.cancel(reason);
  }

  close(graceMs: number): Promise<void> {
    return this.runner.close(graceMs);
  }
}

/** Whether the session's replay log has a frame of run `id` (looked through only for a resend). */
function logged(live: LiveSession, id: string): boolean {
  const { entries, head } = live.record.log;
  for (let i = head; i < entries.length; i++) if ((entries[i]!.frame as { id?: string }).id === id) return true;
  return false;
}
