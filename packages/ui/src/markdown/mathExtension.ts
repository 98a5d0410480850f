import type { TokenizerAndRendererExtension } from "marked";
import { escapeHtml } from "@dais/core";

// LaTeX delimiters: \( \) inline, \[ \] and $$ $$ display. A single $ is never maths, so
// "$5 and $10" stays money. Each pattern needs its closing delimiter and is lazy, so an
// unclosed \[ is plain text, found in one linear scan (Gradio froze on one: #8006).
const inline = /^\\\(([\s\S]+?)\\\)/;
const display = /^(?:\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\])/;

const placeholder = (tex: string, displayMode: boolean) =>
  displayMode ? `<div class="math-display">${escapeHtml(tex)}</div>` : `<span class="math-inline">${escapeHtml(tex)}</span>`;

/** Maths becomes placeholders holding the TeX as text; KaTeX renders them later, lazily. */
export const mathExtensions: TokenizerAndRendererExtension[] = [
  {
    name: "mathBlock",
    level: "block",
    start: (src) => src.match(/^ {0,3}(\$\$|\\\[)/m)?.index,
    tokenizer(src) {
      const m = /^ {0,3}(?:\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\])[ \t]*(?:\n|$)/.exec(src);
      if (m) return { type: "mathBlock", raw: m[0], text: (m[1] ?? m[2] ?? "").trim() };
      return undefined;
    },
    renderer: (token) => placeholder(token.text as string, true),
  },
  {
    name: "mathInline",
    level: "inline",
    start: (src) => {
      const i = src.search(/\\\(|\\\[|\$\$/);
      return i < 0 ? undefined : i;
    },
    tokenizer(src) {
      const d = display.exec(src);
      if (d) return { type: "mathInline", raw: d[0], text: (d[1] ?? d[2] ?? "").trim(), display: true };
      const m = inline.exec(src);
      if (m) return { type: "mathInline", raw: m[0], text: (m[1] ?? "").trim(), display: false };
      return undefined;
    },
    renderer: (token) => placeholder(token.text as string, token.display === true),
  },
];
