import { useLayoutEffect, useRef } from "preact/hooks";
import { MarkdownView } from "../markdown/MarkdownView.ts";

/**
 * Markdown shown safely: rendered, sanitised, then enhanced (copy buttons, code, maths). While
 * the text streams, only its last block is rendered again (see MarkdownView).
 */
export function RichText({ text, class: cls = "", id }: { text: string; class?: string; id?: string | undefined }) {
  const ref = useRef<HTMLDivElement>(null);
  const view = useRef<MarkdownView | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (view.current?.root !== el) view.current = new MarkdownView(el);
    view.current.show(text);
  }, [text]);
  return <div class={`markdown ${cls}`} ref={ref} id={id} />;
}
