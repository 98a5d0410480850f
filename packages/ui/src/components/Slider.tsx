import type { SliderProps } from "@dais/core";
import type { RendererProps } from "../Renderer.ts";
import { Field } from "./Field.tsx";

export function Slider({ config, value, interactive, domId }: RendererProps<Required<Pick<SliderProps, "minimum" | "maximum" | "step">> & SliderProps>) {
  const p = config.props;
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
        />
        <output for={domId}>{String(value.value)}</output>
      </div>
    </Field>
  );
}
