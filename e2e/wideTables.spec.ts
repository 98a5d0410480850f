import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser.ts";
import { type RunningDemo, startApp } from "./demo.ts";

// At phone width a Markdown table wider than its bubble scrolls sideways inside it; a chat
// bubble used to break its words letter by letter to make it fit.
let app: RunningDemo;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(new URL("./fixtures/wideTables.ts", import.meta.url).pathname), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("a wide Markdown table on a phone", () => {
  it("scrolls sideways inside its bubble or box, every word whole, the page not wider than the screen", async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.locator(".bubble table").waitFor();
    const tables = await page.evaluate(() =>
      [...document.querySelectorAll(".markdown table")].map((t) => {
        // A word broken across lines has letters on two line boxes, at two tops.
        const broken: string[] = [];
        const walker = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
          // Hyphens and spaces are ordinary places to wrap; a break anywhere else splits a word.
          for (const w of (text.textContent ?? "").matchAll(/[^\s-]+/g)) {
            const range = document.createRange();
            range.setStart(text, w.index);
            range.setEnd(text, w.index + w[0].length);
            if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) broken.push(w[0]);
          }
        }
        return { inBubble: t.closest(".bubble") !== null, broken, scrolls: t.scrollWidth > t.clientWidth, right: Math.round(t.getBoundingClientRect().right) };
      }),
    );
    const screen = await page.evaluate(() => ({ width: document.documentElement.clientWidth, scrollWidth: document.documentElement.scrollWidth }));
    expect(tables.map((t) => t.inBubble)).toEqual([true, false]);
    for (const t of tables) {
      expect(t.broken).toEqual([]);
      expect(t.scrolls).toBe(true);
      expect(t.right).toBeLessThanOrEqual(screen.width);
    }
    expect(screen.scrollWidth).toBe(screen.width);
    await context.close();
  });
});
