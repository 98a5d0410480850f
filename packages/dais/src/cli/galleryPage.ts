import { escapeHtml, plainPageStyle } from "@dais/core";
import type { GalleryEntry } from "./runGallery.ts";
import { summaryHtml } from "./summaryHtml.ts";

// The theme's colours (light and dark, as the system prefers), so the index looks like the demos it opens.
const style = `${plainPageStyle}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;background:var(--bg);color:var(--text);max-width:760px;margin:0 auto;padding:24px 16px}
ul{list-style:none;padding:0;display:grid;gap:12px}li{background:var(--surface);border:1px solid var(--border);border-radius:10px;padding:12px 16px}
h2{margin:0;font-size:1.05rem}h2 .name{color:var(--muted)}p{margin:4px 0 0;color:var(--muted)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.87em;background:var(--code-bg);padding:1px 4px;border-radius:4px}.down{color:var(--error)}`;

/**
 * The gallery's index: every demo with its summary; a link for each demo that is running, and
 * for the others their name with why they are not (a link would only lead to an error page).
 * While some are still starting, the page reloads itself every 2 s until they have settled.
 */
export function galleryPage(entries: GalleryEntry[]): string {
  const items = entries
    .map((e) => {
      const name = escapeHtml(e.demo.name);
      const title = e.status === "running" ? `<a href="./${encodeURIComponent(e.demo.name)}/">${name}</a>` : `<span class="name">${name}</span>`;
      const status = e.status === "running" ? "" : `<p class="down">${e.status === "starting" ? "Starting…" : `Not running: ${escapeHtml(e.reason ?? "it exited")}`}</p>`;
      return `<li><h2>${title}</h2>${e.demo.summary ? `<p>${summaryHtml(e.demo.summary)}</p>` : ""}${status}</li>`;
    })
    .join("");
  const refresh = entries.some((e) => e.status === "starting") ? '<meta http-equiv="refresh" content="2">' : "";
  const running = entries.filter((e) => e.status === "running").length;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${refresh}<title>Dais demos</title>
<style>${style}</style></head>
<body><main><h1>Dais demos</h1><p>${running} of ${entries.length} running. Each opens at its own path.</p><ul>${items}</ul></main></body></html>`;
}
