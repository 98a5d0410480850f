import { Marked, type Token, type TokensList } from "marked";
import { escapeHtml } from "@dais/core";
import { mathExtensions } from "./mathExtension.ts";

/** Links and images may point at the web, mail, or this site; nothing that runs code. */
export function isSafeUrl(url: string): boolean {
  const u = url.trim().toLowerCase();
  if (/^(https?:|mailto:)/.test(u)) return true;
  return !/^[a-z][a-z0-9+.-]*:/.test(u) && !u.startsWith("//");
}

// The first of two layers: marked's output is made safe by construction. Raw HTML in a
// message is shown as text (a model writing "<div>" means the characters), and links and
// images with unsafe URLs lose their URL. The second layer is the browser's sanitizer (see
// setSafeHtml.ts), in case marked itself ever lets something through.
const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  extensions: mathExtensions,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    link({ href, title, tokens }) {
      const text = this.parser.parseInline(tokens);
      if (!isSafeUrl(href)) return text;
      return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ""}>${text}</a>`;
    },
    image({ href, title, text }) {
      if (!isSafeUrl(href)) return escapeHtml(text);
      return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${title ? ` title="${escapeHtml(title)}"` : ""} loading="lazy">`;
    },
    code({ text, lang }) {
      const language = (lang ?? "").match(/^[\w+#-]+/)?.[0] ?? "";
      return `<pre><code${language ? ` class="language-${escapeHtml(language)}"` : ""}>${escapeHtml(text)}</code></pre>`;
    },
  },
});

/**
 * Markdown (GitHub flavour, with LaTeX) to HTML that is safe by construction. The result is
 * still inserted through setSafeHtml.
 */
export function renderMarkdown(text: string): string {
  return marked.parse(text) as string;
}

/** The block tokens of Markdown text, with the same options renderMarkdown uses. */
export function lexMarkdown(text: string): TokensList {
  return marked.lexer(text);
}

/** HTML for block tokens from lexMarkdown; for all of a text's tokens it is renderMarkdown's. */
export function renderTokens(tokens: Token[]): string {
  return marked.parser(tokens);
}
