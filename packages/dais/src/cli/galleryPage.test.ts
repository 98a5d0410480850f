import { describe, expect, it } from "vitest";
import { galleryPage } from "./galleryPage.ts";
import type { GalleryEntry } from "./runGallery.ts";

const entry = (name: string, status: GalleryEntry["status"], reason?: string): GalleryEntry => ({
  demo: { name, summary: `The \`${name}\` demo`, file: `/demos/${name}/app.ts` },
  status,
  ...(reason ? { reason } : {}),
});

describe("galleryPage", () => {
  it("links a running demo, and names the others with their state instead of a link", () => {
    const html = galleryPage([entry("hello", "running"), entry("chat", "starting"), entry("dialogpt", "unavailable", "Model <x> is not available offline")]);
    expect(html).toContain('<h2><a href="./hello/">hello</a></h2><p>The <code>hello</code> demo</p></li>');
    expect(html).toContain('<h2><span class="name">chat</span></h2><p>The <code>chat</code> demo</p><p class="down">Starting…</p>');
    expect(html).toContain('<p class="down">Not running: Model &lt;x&gt; is not available offline</p>');
    expect(html).not.toContain('href="./chat/"');
    expect(html).not.toContain('href="./dialogpt/"');
    expect(html).toContain("1 of 3 running.");
  });

  it("reloads itself while a demo is starting, and stops once all have settled", () => {
    expect(galleryPage([entry("hello", "running"), entry("chat", "starting")])).toContain('<meta http-equiv="refresh" content="2">');
    expect(galleryPage([entry("hello", "running"), entry("chat", "unavailable")])).not.toContain("refresh");
  });
});
