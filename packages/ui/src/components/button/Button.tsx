import type { RendererProps } from "../../Renderer.ts";

/**
 * A button fires its `click` event. While a run it started is under way (queued or working, so
 * never for a quick one), it turns into Stop for that run, as Interface's Submit does, unless
 * the app has a Stop button of its own for that function (`cancels`).
 */
export function Button({ config, value, interactive, app, domId }: RendererProps<"button">) {
  const p = config.props;
  if (p.visible === false) return null;
  // A function some Stop button cancels is stopped there; this button stays as it is.
  const fns = app.config.fns.filter((f) => f.triggers.some((t) => t.id === config.id && t.event === "click") && !app.config.fns.some((o) => o.cancels.includes(f.id)));
  const going = fns.map((f) => app.runOf(f.id)).find((r) => r?.shown);
  if (going)
    return (
      <button type="button" id={domId} class="stop" onClick={() => app.stop(going.fn)}>
        Stop
      </button>
    );
  // Pressed while a file it sends is still uploading: the run goes once the upload ends.
  const waiting = fns.some((f) => app.waiting.value.has(f.id));
  if (waiting)
    return (
      <button type="button" id={domId} class={p.variant ?? "secondary"} aria-busy="true" aria-disabled="true">
        Waiting for upload…
      </button>
    );
  return (
    <button
      type="button"
      id={domId}
      class={p.variant ?? "secondary"}
      disabled={!interactive}
      onClick={() => (p.action === "clear" ? app.clear() : app.trigger(config.id, "click"))}
    >
      {String(value.value ?? p.value ?? "Run")}
    </button>
  );
}
