import { useEffect, useRef } from "preact/hooks";
import { addStyles } from "../../addStyles.ts";
import type { RendererProps } from "../../Renderer.ts";
import { setSafeHtml } from "../../setSafeHtml.ts";
import styles from "./html.css";

/** An app's HTML, through the sanitizer (no scripts, handlers or frames), links in a new tab. */
addStyles(styles);

export function Html({ config, value, domId }: RendererProps<"html">) {
  const label = config.props.label;
  const html = String(value.value ?? "");
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    void Promise.resolve(setSafeHtml(el, html, "html")).then(() => {
      for (const a of el.querySelectorAll("a[href]")) {
        a.setAttribute("target", "_blank");
        a.setAttribute("rel", "noopener noreferrer");
      }
    });
  }, [html]);
  return (
    <div class="field">
      {label ? (
        <span class="field-label" id={`${domId}-label`}>
          {label}
        </span>
      ) : null}
      <div class="html-output" id={domId} ref={box} {...(label ? { role: "region", "aria-labelledby": `${domId}-label` } : {})} />
    </div>
  );
}
