import hljs from "highlight.js/lib/common";

/** Highlighted HTML for a code block, or "" for a language highlight.js does not know. */
export function highlightCode(source: string, language: string): string {
  if (!language || !hljs.getLanguage(language)) return "";
  return hljs.highlight(source, { language, ignoreIllegals: true }).value;
}
