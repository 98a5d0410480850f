import { escapeHtml } from "@dais/core";

// `code`, **bold**, *emphasis* or _emphasis_, and [text](https://…) links: all a one-line
// summary needs. Matched on the raw text, and every piece escaped on its own, so nothing the
// README says can become a tag or an attribute.
const inline = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\b_([^_]+)_\b|\[([^\]]+)\]\(([^()\s]+)\)/g;

/**
 * A demo's README summary (one line of Markdown) as safe HTML for the gallery's index: inline
 * code, bold, emphasis and web links; anything else is shown as the text it is.
 * @example summaryHtml("Uses `Xenova/DialoGPT-small`") // 'Uses <code>Xenova/DialoGPT-small</code>'
 */
export function summaryHtml(summary: string): string {
  let html = "";
  let last = 0;
  for (const m of summary.matchAll(inline)) {
    html += escapeHtml(summary.slice(last, m.index));
    const [whole, code, bold, em, em2, text, url] = m;
    if (code !== undefined) html += `<code>${escapeHtml(code)}</code>`;
    else if (bold !== undefined) html += `<strong>${escapeHtml(bold)}</strong>`;
    else if (em !== undefined || em2 !== undefined) html += `<em>${escapeHtml(em ?? em2 ?? "")}</em>`;
    // Only http(s): no javascript:, data: or relative tricks.
    else if (text !== undefined && url !== undefined && /^https?:\/\/[^\s"'<>]+$/i.test(url)) html += `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${escapeHtml(text)}</a>`;
    else html += escapeHtml(whole);
    last = m.index + whole.length;
  }
  return html + escapeHtml(summary.slice(last));
}
