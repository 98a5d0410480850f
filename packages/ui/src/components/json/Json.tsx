import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";

export function Json({ config, value, interactive, domId }: RendererProps<"json">) {
  const p = config.props;
  const text = JSON.stringify(value.value, null, 2) ?? "null";
  return (
    <Field label={p.label ?? "JSON"} domId={domId} info={p.info} as={interactive ? "label" : "div"}>
      {interactive ? (
        <textarea id={domId} class="input mono" rows={6} value={text} onChange={(e) => (value.value = e.currentTarget.value)} />
      ) : (
        <pre class="json" id={domId} aria-labelledby={`${domId}-label`}>
          {text}
        </pre>
      )}
    </Field>
  );
}
