import { escapeHtml } from "@dais/core";
import type { GalleryEntry } from "./runGallery.ts";


/** The gallery's index: every demo with its summary, a link, and why it is down if it is. */
export function galleryPage(entries: GalleryEntry[]): string {
  const items = entries
    .map((e) => {
      const status =
        e.status === "running"
          ? ""
          : `<p class="down">${e.status === "starting" ? "Starting…" : `Not running: ${escapeHtml(e.reason ?? "")}`}</p>`;
      return `<li><a href="./${encodeURIComponent(e.demo.name)}/"${e.status === "running" ? "" : ' aria-disabled="true"'}>${escapeHtml(e.demo.name)}</a><p>${escapeHtml(e.demo.summary)}</p>${status}</li>`;
    })
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Dais demos</title>
<style>body{font-family:system-ui,sans-serif;background:#f7f7f8;color:#1f2328;max-width:760px;margin:0 auto;padding:24px 16px}ul{list-style:none;padding:0;display:grid;gap:12px}li{background:#fff;border:1px solid #d0d7de;border-radius:10px;padding:12px 16px}a{font-weight:600;color:#ea580c;font-size:1.05rem}p{margin:4px 0 0;color:#656d76}.down{color:#b42318}</style></head>
<body><h1>Dais demos</h1><ul>${items}</ul></body></html>`;
}
