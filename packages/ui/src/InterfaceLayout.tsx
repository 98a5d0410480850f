import type { AppState } from "./AppState.ts";
import { ErrorBanner, Part } from "./Part.tsx";
import { QueueStatus } from "./QueueStatus.tsx";

/** Interface: inputs with Clear and Submit (Stop while running) beside the outputs. */
export function InterfaceLayout({ app }: { app: AppState }) {
  const fn = app.config.fns[0];
  const running = app.running.value !== null;
  const submit = () => app.submit(0);
  return (
    <div class="panels">
      <section class="panel" aria-label="Inputs">
        <Part app={app} ids={fn?.inputs ?? []} interactive onSubmit={submit} />
        <div class="buttons">
          <button type="button" class="secondary" onClick={() => app.clear()}>
            Clear
          </button>
          {running ? (
            <button type="button" class="stop" onClick={() => app.stop()}>
              Stop
            </button>
          ) : (
            <button type="button" class="primary" onClick={submit}>
              Submit
            </button>
          )}
        </div>
        <QueueStatus app={app} />
      </section>
      <section class="panel" aria-label="Outputs">
        <ErrorBanner app={app} />
        <Part app={app} ids={fn?.outputs ?? []} interactive={false} onSubmit={submit} />
      </section>
    </div>
  );
}
