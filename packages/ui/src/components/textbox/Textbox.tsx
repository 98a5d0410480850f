import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";

export function Textbox({ config, value, interactive, domId, onSubmit }: RendererProps<"textbox">) {
  const p = config.props;
  const lines = p.lines ?? 1;
  const common = {
    id: domId,
    class: "input",
    placeholder: p.placeholder,
    readOnly: !interactive,
    value: String(value.value ?? ""),
    maxLength: p.maxLength,
    onInput: (e: Event) => (value.value = (e.currentTarget as HTMLInputElement).value),
  };
  return (
    <Field label={p.label ?? "Textbox"} domId={domId} info={p.info}>
      {lines > 1 ? (
        <textarea {...common} rows={lines} />
      ) : (
        <input
          {...common}
          type="text"
          autocomplete="off"
          onKeyDown={(e) => {
            if (e.key === "Enter" && interactive && !e.isComposing) {
              e.preventDefault();
              onSubmit();
            }
          }}
        />
      )}
    </Field>
  );
}
