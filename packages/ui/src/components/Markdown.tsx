import type { MarkdownProps } from "@dais/core";
import { useSignal, useSignalEffect } from "@preact/signals";
import type { RendererProps } from "../Renderer.ts";

export function Markdown({ config, value, domId }: RendererProps<MarkdownProps>) {
  const html = useSignal<string | null>(null);
  useSignalEffect(() => {
    const text = String(value.value ?? "");
    let current = true;
    void import("../renderMarkdown.ts").then((m) => {
      if (current) html.value = m.renderMarkdown(text);
    });
    return () => {
      current = false;
    };
  });
  const label = config.props.label;
  return (
    <div class="field" id={domId}>
      {label ? <span class="field-label">{label}</span> : null}
      {html.value === null ? <div class="markdown">{String(value.value ?? "")}</div> : <div class="markdown" dangerouslySetInnerHTML={{ __html: html.value }} />}
    </div>
  );
}
