import { renderMarkdown } from "./renderMarkdown.ts";

/**
 * Markdown as the words a reader sees, on one line: for an example chip, where "**Say**" or a
 * table's pipes would be noise. The HTML is parsed in a document of its own, which runs no
 * script and loads no image.
 * @example plainText("**Hello** `world`") // "Hello world"
 */
export function plainText(markdown: string): string {
  const doc = new DOMParser().parseFromString(renderMarkdown(markdown), "text/html");
  return (doc.body.textContent ?? "").replace(/\s+/g, " ").trim();
}
