import { useLayoutEffect, useRef } from "preact/hooks";
import { enhance } from "../markdown/enhance.ts";
import { renderMarkdown } from "../markdown/renderMarkdown.ts";
import { setSafeHtml } from "../setSafeHtml.ts";

/** Markdown shown safely: rendered, sanitised, then enhanced (copy buttons, code, maths). */
export function RichText({ text, class: cls = "", id }: { text: string; class?: string; id?: string | undefined }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const done = setSafeHtml(el, renderMarkdown(text));
    if (done) void done.then(() => enhance(el));
    else enhance(el);
  }, [text]);
  return <div class={`markdown ${cls}`} ref={ref} id={id} />;
}
