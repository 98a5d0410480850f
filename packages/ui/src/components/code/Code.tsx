import { useEffect, useRef } from "preact/hooks";
import { highlightCode } from "../../markdown/highlightCode.ts";
import { copyText } from "../../markdown/enhance.ts";
import { addStyles } from "../../addStyles.ts";
import type { RendererProps } from "../../Renderer.ts";
import { setSafeHtml } from "../../setSafeHtml.ts";
import { Field } from "../Field.tsx";
import styles from "./code.css";

/**
 * Code, highlighted by highlight.js (this chunk carries it). Editable: a transparent textarea
 * over the highlighted text, so the person edits a real text control (caret, selection,
 * undo, screen readers) and sees the colours beneath.
 */
addStyles(styles);

export function Code({ config, value, interactive, domId, app }: RendererProps<"code">) {
  const p = config.props;
  const source = String(value.value ?? "");
  const language = p.language ?? "";
  const view = useRef<HTMLElement>(null);
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = view.current;
    if (!el) return;
    // A trailing newline would otherwise be dropped by <pre>, and the two layers drift apart.
    const shown = source.endsWith("\n") ? `${source} ` : source;
    const html = highlightCode(shown, language);
    if (html) void setSafeHtml(el, html);
    else el.textContent = shown;
  }, [source, language]);
  const rows = Math.max(1, p.lines ?? 10);
  return (
    <Field label={p.label ?? "Code"} domId={domId} info={p.info} as={interactive ? "label" : "div"}>
      <div class={`code-box${interactive ? " code-editor" : ""}`} style={{ "--code-rows": rows }}>
        <pre class="code-view" ref={pre} aria-hidden={interactive ? "true" : undefined} {...(interactive ? {} : { id: domId, "aria-labelledby": `${domId}-label`, tabIndex: 0 })}>
          <code class="hljs" ref={view} data-language={language || undefined} />
        </pre>
        {interactive ? (
          <textarea
            id={domId}
            class="code-input"
            spellcheck={false}
            autocapitalize="off"
            autocomplete="off"
            wrap="off"
            maxLength={p.maxLength}
            value={source}
            onInput={(e) => (value.value = e.currentTarget.value)}
            onBlur={() => app.trigger(config.id, "blur")}
            onScroll={(e) => {
              if (!pre.current) return;
              pre.current.scrollTop = e.currentTarget.scrollTop;
              pre.current.scrollLeft = e.currentTarget.scrollLeft;
            }}
          />
        ) : (
          <button type="button" class="code-copy" aria-label={`Copy ${p.label ?? "code"}`} onClick={() => void copyText(source)}>
            Copy
          </button>
        )}
      </div>
    </Field>
  );
}
