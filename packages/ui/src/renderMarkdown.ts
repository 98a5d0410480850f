import DOMPurify from "dompurify";
import { marked } from "marked";

// Links in rendered text open in a new tab, so following one never leaves the app.
DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A" && node.hasAttribute("href")) {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

/**
 * Markdown to safe HTML. Loaded lazily (it is most of a page's weight), and everything goes
 * through DOMPurify: text from a model or a user is never trusted.
 */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true, breaks: true });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}
