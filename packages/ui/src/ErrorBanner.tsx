import type { AppState } from "./AppState.ts";

/** The last error a run or a frame met, for the person to read. */
export function ErrorBanner({ app }: { app: AppState }) {
  return app.error.value ? (
    <div class="error" role="alert">
      <strong>Error</strong> {app.error.value}
    </div>
  ) : null;
}
