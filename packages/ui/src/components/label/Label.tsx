import type { LabelData } from "@dais/core";
import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";

export function Label({ config, value, domId }: RendererProps<"label">) {
  const data = (value.value ?? { label: null, confidences: [] }) as LabelData;
  return (
    <Field label={config.props.label ?? "Label"} domId={domId} info={config.props.info} as="div">
      <div class="label-output" id={domId} aria-labelledby={`${domId}-label`}>
        <output class="label-top">{data.label ?? "—"}</output>
        {data.confidences.map((c) => (
          <div class="confidence">
            <span>{c.label}</span>
            <meter min={0} max={1} value={c.confidence} />
            <span>{Math.round(c.confidence * 100)}%</span>
          </div>
        ))}
      </div>
    </Field>
  );
}
