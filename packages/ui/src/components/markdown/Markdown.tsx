import type { RendererProps } from "../../Renderer.ts";
import { RichText } from "../RichText.tsx";

export function Markdown({ config, value, domId }: RendererProps<"markdown">) {
  const label = config.props.label;
  return (
    <div class="field">
      {label ? (
        <span class="field-label" id={`${domId}-label`}>
          {label}
        </span>
      ) : null}
      <RichText text={String(value.value ?? "")} id={domId} />
    </div>
  );
}
