import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";

export function Slider({ config, value, interactive, domId, app }: RendererProps<"slider">) {
  const p = config.props;
  const onRelease = () => app.trigger(config.id, "release");
  return (
    <Field label={p.label ?? "Slider"} domId={domId} info={p.info}>
      <div class="slider">
        <input
          id={domId}
          type="range"
          disabled={!interactive}
          min={p.minimum}
          max={p.maximum}
          step={p.step}
          value={Number(value.value)}
          onInput={(e) => (value.value = Number(e.currentTarget.value))}
          onChange={onRelease}
        />
        <output for={domId}>{String(value.value)}</output>
      </div>
    </Field>
  );
}
