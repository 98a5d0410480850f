import type { RendererProps } from "../../Renderer.ts";

export function Checkbox({ config, value, interactive, domId }: RendererProps<"checkbox">) {
  const p = config.props;
  return (
    <div class="field field-checkbox">
      <input id={domId} type="checkbox" disabled={!interactive} checked={value.value === true} onChange={(e) => (value.value = e.currentTarget.checked)} />
      <label class="field-label" for={domId}>
        {p.label ?? "Checkbox"}
      </label>
      {p.info ? <span class="field-info">{p.info}</span> : null}
    </div>
  );
}
