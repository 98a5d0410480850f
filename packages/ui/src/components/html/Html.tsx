import { useEffect, useRef } from "preact/hooks";
import { addStyles } from "../../addStyles.ts";
import { openLinksInNewTab } from "../../markdown/enhance.ts";
import type { RendererProps } from "../../Renderer.ts";
import { setSafeHtml } from "../../setSafeHtml.ts";
import { Field } from "../Field.tsx";
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
      // Inline styles are kept, but not ones naming script (old browsers ran `javascript:` in CSS).
      for (const styled of el.querySelectorAll("[style]")) if (/javascript:|expression\s*\(/i.test(styled.getAttribute("style") ?? "")) styled.removeAttribute("style");
      openLinksInNewTab(el);
    });
  }, [html]);
  return (
    <Field label={label || undefined} domId={domId} info={config.props.info} as="div">
      <div class="html-output" id={domId} ref={box} {...(label ? { role: "region", "aria-labelledby": `${domId}-label` } : {})} />
    </Field>
  );
}
