import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markdownCorpus } from "../packages/ui/src/markdown/markdownCorpus.ts";
import { launchBrowser } from "./browser.ts";
import { idle, send, turns, waitForTurns } from "./chatPage.ts";
import { type RunningDemo, startApp } from "./demo.ts";

let app: RunningDemo;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(new URL("./fixtures/chunkedChat.ts", import.meta.url).pathname), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function open(init?: () => void): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  if (init) await page.addInitScript(init);
  await page.goto(app.url);
  await page.getByRole("log").waitFor();
  return page;
}

const html = (page: Page, index: number) => turns(page).nth(index).locator(".markdown").evaluate((el) => el.innerHTML);

describe("streamed Markdown", () => {
  for (const sanitizer of ["the browser's Sanitizer API", "DOMPurify"]) {
    it(`ends exactly as the same text rendered at once, streamed in random chunks, with ${sanitizer}`, async () => {
      const page = await open(sanitizer === "DOMPurify" ? () => delete (Element.prototype as { setHTML?: unknown }).setHTML : undefined);
      for (const [i, doc] of markdownCorpus.entries()) {
        await send(page, doc);
        await idle(page);
        await waitForTurns(page, 2 * (i + 1));
        // The user's turn is the message rendered in one go; the bot's is the same text streamed.
        // Highlighting and maths are typeset lazily in both: compare once they have settled.
        await expect.poll(async () => (await html(page, 2 * i + 1)) === (await html(page, 2 * i)), { timeout: 10_000 }).toBe(true);
        expect(await html(page, 2 * i + 1)).not.toBe("");
      }
      await page.context().close();
    });
  }

  it("renders a stream at most once per animation frame", async () => {
    const page = await open(() => {
      // Frames from the server; animation-frame callbacks run so far; and, for each change of
      // the answer, how many had run. (Frames are counted, not timed: Chromium may give two
      // animation frames the same timestamp.)
      const seen = { frames: 0, callbacks: 0, renders: [] as number[] };
      (window as unknown as { seen: typeof seen }).seen = seen;
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          this.addEventListener("message", () => seen.frames++);
        }
      };
      const request = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = function (callback: FrameRequestCallback) {
        return request(function (time: number) {
          seen.callbacks++;
          callback(time);
        });
      };
    });
    await page.getByRole("log").evaluate((log) => {
      const seen = (window as unknown as { seen: { callbacks: number; renders: number[] } }).seen;
      let last = "";
      new MutationObserver(() => {
        const text = log.querySelector(".message.bot .markdown")?.textContent ?? "";
        if (text === last) return;
        last = text;
        seen.renders.push(seen.callbacks);
      }).observe(log, { subtree: true, childList: true, characterData: true });
    });
    await send(page, "/burst 2000");
    await idle(page);
    expect((await turns(page).nth(1).textContent())?.trim().endsWith("w1999")).toBe(true);
    const seen = await page.evaluate(() => (window as unknown as { seen: { frames: number; renders: number[] } }).seen);
    // Many frames came in between two animation frames, yet the answer changed once per animation frame at most.
    expect(seen.frames).toBeGreaterThan(2000);
    expect(seen.renders.length).toBeLessThan(seen.frames);
    expect(new Set(seen.renders).size).toBe(seen.renders.length);
    await page.context().close();
  });
});
