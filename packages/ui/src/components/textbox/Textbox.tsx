import { useLayoutEffect, useRef } from "preact/hooks";
import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";

export function Textbox({ config, value, interactive, domId, onSubmit }: RendererProps<"textbox">) {
  const p = config.props;
  const lines = p.lines ?? 1;
  // One line that may grow: a text area of one row, where Enter still submits.
  const grows = lines === 1 && (p.maxLines ?? 1) > 1;
  const text = String(value.value ?? "");
  const area = useRef<HTMLTextAreaElement>(null);
  // Fit the height to the text, also when the app sets it (an output, or the box cleared after a turn).
  useLayoutEffect(() => {
    const el = area.current;
    if (!grows || !el) return;
    el.style.height = "auto";
    el.style.height = `${el.scrollHeight + el.offsetHeight - el.clientHeight}px`;
  }, [grows, text]);
  const common = {
    id: domId,
    class: "input",
    placeholder: p.placeholder,
    readOnly: !interactive,
    value: text,
    maxLength: p.maxLength,
    onInput: (e: Event) => (value.value = (e.currentTarget as HTMLInputElement).value),
  };
  // Shift+Enter in a growing box is left to the browser: a new line.
  const submitOnEnter = (e: KeyboardEvent) => {
    if (e.key === "Enter" && !(grows && e.shiftKey) && interactive && !e.isComposing) {
      e.preventDefault();
      onSubmit();
    }
  };
  return (
    <Field label={p.label ?? "Textbox"} domId={domId} info={p.info}>
      {grows ? (
        <textarea
          {...common}
          ref={area}
          rows={1}
          class="input grows"
          // Line height 1.5 (from the body), plus the padding and border of .input.
          style={{ maxHeight: `calc(${(p.maxLines ?? 1) * 1.5}em + 18px)` }}
          aria-description={interactive ? "Enter sends, Shift+Enter starts a new line" : undefined}
          onKeyDown={submitOnEnter}
        />
      ) : lines > 1 ? (
        <textarea {...common} rows={lines} />
      ) : (
        <input {...common} type="text" autocomplete="off" onKeyDown={submitOnEnter} />
      )}
    </Field>
  );
}
