import type { ComponentConfig } from "@dais/core";
import type { AppState } from "./AppState.ts";
import { renderers } from "./renderers.ts";

/** Renders components by id with their registered renderers. */
export function Part({ app, ids, interactive, onSubmit }: { app: AppState; ids: number[]; interactive: boolean; onSubmit: () => void }) {
  return (
    <>
      {ids.map((id) => {
        const c = app.config.components.find((x) => x.id === id) as ComponentConfig;
        const Render = renderers[c.kind];
        return <Render key={id} config={c as never} value={app.value(id)} interactive={interactive} domId={`c${id}`} onSubmit={onSubmit} app={app} />;
      })}
    </>
  );
}

export function ErrorBanner({ app }: { app: AppState }) {
  return app.error.value ? (
    <div class="error" role="alert">
      <strong>Error</strong> {app.error.value}
    </div>
  ) : null;
}
