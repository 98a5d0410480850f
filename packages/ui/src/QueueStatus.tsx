import type { AppState } from "./AppState.ts";

/** Where the user's run waits in the queue and about how long, updated as the queue moves. */
export function QueueStatus({ app }: { app: AppState }) {
  const q = app.queued.value;
  if (!q) return null;
  const wait = q.eta === null ? "" : q.eta < 1 ? ", starting soon" : `, about ${Math.ceil(q.eta)} s`;
  return (
    <p class="queue-status" role="status">
      {`In queue: position ${q.position}${wait}`}
    </p>
  );
}
