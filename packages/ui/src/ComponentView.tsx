import type { ComponentConfig, KindConfig, VisibleKind } from "@dais/core";
import { h } from "preact";
import type { AppState } from "./AppState.ts";
import type { RendererProps } from "./Renderer.ts";
import { rendererFor } from "./rendererFor.ts";

/** Renders one component with its kind's renderer, its props as runs last changed them. */
export function ComponentView({ app, config }: { app: AppState; config: ComponentConfig }) {
  const changed = app.props(config.id);
  const props = { ...config.props, ...changed } as ComponentConfig["props"];
  if (props.visible === false) return null;
  const interactive = changed.interactive ?? config.interactive;
  return render(config.kind, {
    config: { ...config, props } as KindConfig<typeof config.kind>,
    value: app.value(config.id),
    interactive,
    domId: `c${config.id}`,
    onSubmit: () => app.trigger(config.id, "submit"),
    app,
  });
}

/** Picks the renderer for kind K; the props map ties the renderer to its config's props. */
function render<K extends VisibleKind>(kind: K, props: RendererProps<K>) {
  const Render = rendererFor(kind);
  if (!Render) return <p class="loading" role="status">Loading…</p>;
  return h(Render, props);
}
