import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";

export function NumberInput({ config, value, interactive, domId, onSubmit }: RendererProps<"number">) {
  const p = config.props;
  return (
    <Field label={p.label ?? "Number"} domId={domId} info={p.info}>
      <input
        id={domId}
        class="input"
        type="number"
        readOnly={!interactive}
        min={p.minimum}
        max={p.maximum}
        step={p.step ?? "any"}
        value={value.value === null || value.value === undefined ? "" : String(value.value)}
        onInput={(e) => {
          const text = e.currentTarget.value;
          value.value = text === "" ? null : Number(text);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter" && interactive) onSubmit();
        }}
      />
    </Field>
  );
}
