import type { ComponentConfig } from "@dais/core";
import type { AppState } from "./AppState.ts";
import { Markdown } from "./components/Markdown.tsx";
import { renderers } from "./renderers.ts";
import { signal } from "@preact/signals";

/** The Interface layout: title, inputs with Clear and Submit, outputs, then the article. */
export function App({ state }: { state: AppState }) {
  const { config } = state;
  const fn = config.fns[0];
  const byId = new Map(config.components.map((c) => [c.id, c]));
  const part = (ids: number[], interactive: boolean) =>
    ids.map((id) => {
      const c = byId.get(id) as ComponentConfig;
      const Render = renderers[c.kind];
      return <Render key={id} config={c as never} value={state.value(id)} interactive={interactive} domId={`c${id}`} onSubmit={() => state.submit()} />;
    });
  const running = state.running.value !== null;
  const status = state.client.status.value;
  return (
    <>
      <header>
        {config.title ? <h1>{config.title}</h1> : null}
        {config.description ? <Markdown config={{ id: -1, kind: "markdown", props: {}, value: null }} value={signal(config.description)} interactive={false} domId="description" onSubmit={noop} /> : null}
      </header>
      {status !== "open" ? (
        <p class="status" role="status">
          {status === "connecting" ? "Connecting…" : "Connection lost, reconnecting…"}
        </p>
      ) : null}
      <div class="panels">
        <section class="panel" aria-label="Inputs">
          {part(fn?.inputs ?? [], true)}
          <div class="buttons">
            <button type="button" class="secondary" onClick={() => state.clear()}>
              Clear
            </button>
            <button type="button" class="primary" disabled={running} aria-busy={running} onClick={() => state.submit()}>
              Submit
            </button>
          </div>
        </section>
        <section class="panel" aria-label="Outputs">
          {state.error.value ? (
            <div class="error" role="alert">
              <strong>Error</strong> {state.error.value}
            </div>
          ) : null}
          {part(fn?.outputs ?? [], false)}
        </section>
      </div>
      {config.article ? <Markdown config={{ id: -2, kind: "markdown", props: {}, value: null }} value={signal(config.article)} interactive={false} domId="article" onSubmit={noop} /> : null}
    </>
  );
}

function noop(): void {}
