import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useDemo } from "./useDemo.ts";

const ctx = useDemo(import.meta.url);

async function open(): Promise<Page> {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  await page.goto(ctx.demo.url);
  await page.getByRole("log").waitFor();
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByLabel("message");
  await box.fill(text);
  await box.press("Enter");
}

const turns = (page: Page) => page.getByRole("log").locator(".message[data-index]");
const texts = async (page: Page) => (await turns(page).allTextContents()).map((t) => t.trim());

async function waitForTurns(page: Page, n: number): Promise<string[]> {
  await page.waitForFunction((count) => document.querySelectorAll('[role="log"] .message[data-index]').length === count, n);
  return texts(page);
}

describe("echo-chatbot", () => {
  it("answers a message typed and sent with Enter, user and bot turns told apart", async () => {
    const page = await open();
    expect(await page.title()).toBe("Echo chatbot");
    await say(page, "hello there");
    expect(await waitForTurns(page, 2)).toEqual(["hello there", "ereht olleh"]);
    expect(await turns(page).nth(0).getAttribute("data-role")).toBe("user");
    expect(await turns(page).nth(1).getAttribute("data-role")).toBe("assistant");
    await page.getByRole("button", { name: "Submit" }).waitFor();
    await page.getByRole("button", { name: "Clear" }).waitFor();
    await page.context().close();
  });

  it("reverses by grapheme: emoji with skin tones, flags, ZWJ families and combining accents survive", async () => {
    const page = await open();
    // "e" + U+0301 COMBINING ACUTE ACCENT is one grapheme, and so are 👍🏽, 🇫🇷 and 👨‍👩‍👧.
    await say(page, "a👍🏽b🇫🇷c👨‍👩‍👧de\u0301");
    expect(await waitForTurns(page, 2)).toEqual(["a👍🏽b🇫🇷c👨‍👩‍👧de\u0301", "e\u0301d👨‍👩‍👧c🇫🇷b👍🏽a"]);
    await page.context().close();
  });

  it("takes several lines: Shift+Enter starts a new line and grows the box, Enter sends them all", async () => {
    const page = await open();
    const box = page.getByLabel("message");
    await box.fill("line one");
    const oneLine = (await box.boundingBox())!.height;
    await box.press("Shift+Enter");
    await box.pressSequentially("line two");
    expect(await box.inputValue()).toBe("line one\nline two");
    expect((await box.boundingBox())!.height).toBeGreaterThan(oneLine);
    await box.press("Enter");
    await waitForTurns(page, 2);
    // Had Shift+Enter sent, the first turn would be "line one" alone.
    expect(await turns(page).evaluateAll((els) => els.map((el) => (el as HTMLElement).innerText.trim()))).toEqual(["line one\nline two", "owt enil\neno enil"]);
    await page.context().close();
  });

  it("keeps the history across turns, and the Submit button works like Enter", async () => {
    const page = await open();
    await say(page, "one");
    await waitForTurns(page, 2);
    await page.getByLabel("message").fill("two");
    await page.getByRole("button", { name: "Submit" }).click();
    expect(await waitForTurns(page, 4)).toEqual(["one", "eno", "two", "owt"]);
    await page.context().close();
  });

  it("keeps separate histories for two browser tabs of different people", async () => {
    const [alice, bob] = await Promise.all([open(), open()]);
    await say(alice, "alice 1");
    await waitForTurns(alice, 2);
    await say(bob, "bob 1");
    await waitForTurns(bob, 2);
    await say(alice, "alice 2");
    expect(await waitForTurns(alice, 4)).toEqual(["alice 1", "1 ecila", "alice 2", "2 ecila"]);
    expect(await texts(bob)).toEqual(["bob 1", "1 bob"]);
    await Promise.all([alice.context().close(), bob.context().close()]);
  });

  it("keeps the history when the tab is reloaded, and the next turn continues it", async () => {
    const page = await open();
    await say(page, "before reload");
    await waitForTurns(page, 2);
    await page.reload();
    expect(await waitForTurns(page, 2)).toEqual(["before reload", "daoler erofeb"]);
    await say(page, "after");
    expect(await waitForTurns(page, 4)).toEqual(["before reload", "daoler erofeb", "after", "retfa"]);
    await page.context().close();
  });

  it("shows an error for that run only; the history survives and the next message works", async () => {
    const page = await open();
    await say(page, "first");
    await waitForTurns(page, 2);
    await say(page, "   ");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Type a message first.");
    expect(await texts(page)).toEqual(["first", "tsrif"]);
    await say(page, "second");
    expect(await waitForTurns(page, 4)).toEqual(["first", "tsrif", "second", "dnoces"]);
    expect(await page.getByRole("alert").count()).toBe(0);
    await page.context().close();
  });

  it("answers a message sent before the connection is ready", async () => {
    const context = await ctx.browser.newContext();
    // Hold the server's first frame (the welcome) back, so the message goes out first.
    await context.addInitScript(() => {
      const native = Object.getOwnPropertyDescriptor(WebSocket.prototype, "onmessage")!;
      Object.defineProperty(WebSocket.prototype, "onmessage", {
        set(handler: (e: MessageEvent) => void) {
          let first = true;
          native.set!.call(this, (e: MessageEvent) => {
            if (!first) return handler(e);
            first = false;
            setTimeout(() => handler(e), 800);
          });
        },
      });
    });
    const page = await context.newPage();
    await page.goto(ctx.demo.url);
    await say(page, "early bird");
    expect(await waitForTurns(page, 2)).toEqual(["early bird", "drib ylrae"]);
    await context.close();
  });

  it("Clear empties the conversation and the next turn starts a new history", async () => {
    const page = await open();
    await say(page, "old");
    await waitForTurns(page, 2);
    await page.getByRole("button", { name: "Clear" }).click();
    await waitForTurns(page, 0);
    await say(page, "new");
    expect(await waitForTurns(page, 2)).toEqual(["new", "wen"]);
    await page.context().close();
  });
});
