import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { chatPageBudget, pageWeight } from "./pageWeight.ts";
import { answerLengths, idle, recordAnswerLengths, send, texts, turns, waitForTurns } from "./chatPage.ts";
import { useDemo } from "./useDemo.ts";
import { xssCorpus } from "./xssCorpus.ts";

const workdir = mkdtempSync(join(tmpdir(), "dais-chat-"));
// Run from a scratch folder: the demo logs feedback to ./flagged there.
const ctx = useDemo(import.meta.url, { cwd: workdir });
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

async function open(path = "", init?: () => void): Promise<Page> {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  await page.goto(ctx.demo.url + path);
  await page.getByRole("log").waitFor();
  return page;
}

describe("chat", () => {
  it("streams the answer token by token into the same bubble", async () => {
    const page = await open();
    await recordAnswerLengths(page);
    const message = Array.from({ length: 24 }, (_, i) => `w${i}`).join(" ");
    await send(page, message);
    await idle(page);
    expect((await texts(page))[1]).toBe(message);
    const lengths = await answerLengths(page);
    const distinct = [...new Set(lengths)];
    // The page draws at most once per animation frame (a busy machine gives fewer of them), so
    // the answer grows in a few steps rather than word by word; it must grow, and only grow.
    expect(distinct.length).toBeGreaterThanOrEqual(3);
    expect(distinct).toEqual([...distinct].sort((a, b) => a - b));
    await page.context().close();
  });

  it("leaves earlier turns' DOM untouched while a new answer streams", async () => {
    const page = await open();
    await send(page, "first message here");
    await idle(page);
    await page.evaluate(() => {
      const first = document.querySelector('[role="log"] .message[data-index="1"]')!;
      (window as unknown as { firstTurn: Element }).firstTurn = first;
      (window as unknown as { mutations: number }).mutations = 0;
      new MutationObserver((records) => ((window as unknown as { mutations: number }).mutations += records.length)).observe(first, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
    await send(page, "a second message that streams in several words");
    await idle(page);
    await waitForTurns(page, 4);
    const untouched = await page.evaluate(() => {
      const w = window as unknown as { firstTurn: Element; mutations: number };
      return { same: w.firstTurn === document.querySelector('[role="log"] .message[data-index="1"]'), mutations: w.mutations };
    });
    expect(untouched).toEqual({ same: true, mutations: 0 });
    await page.context().close();
  });

  it("leaves an answer's finished blocks alone while its later blocks stream", async () => {
    const page = await open();
    const later = Array.from({ length: 40 }, (_, i) => `later${i}`).join(" ");
    await send(page, `The first paragraph is done.\n\n- a list\n- also done\n\n${later}`);
    // Once the last paragraph has started, the first two blocks are final: watch them.
    await page.waitForFunction(() => (document.querySelector('[role="log"] .message.bot .markdown')?.textContent ?? "").includes("later0"));
    await page.evaluate(() => {
      const md = document.querySelector('[role="log"] .message.bot .markdown')!;
      const w = window as unknown as { kept: Element[]; mutations: number; grew: number };
      w.kept = [md.querySelector("p")!, md.querySelector("ul")!];
      w.mutations = 0;
      w.grew = 0;
      const options = { subtree: true, childList: true, characterData: true, attributes: true };
      for (const el of w.kept) new MutationObserver((records) => (w.mutations += records.length)).observe(el, options);
      new MutationObserver(() => w.grew++).observe(md, options);
    });
    await idle(page);
    expect((await texts(page))[1]).toContain("later39");
    const kept = await page.evaluate(() => {
      const w = window as unknown as { kept: Element[]; mutations: number; grew: number };
      const md = document.querySelector('[role="log"] .message.bot .markdown')!;
      return { same: w.kept[0] === md.querySelector("p") && w.kept[1] === md.querySelector("ul"), mutations: w.mutations, grew: w.grew > 0 };
    });
    // The answer kept growing after the observers started, without touching the first blocks.
    expect(kept).toEqual({ same: true, mutations: 0, grew: true });
    await page.context().close();
  });

  it("Stop ends the stream on the server and keeps the partial answer", async () => {
    const page = await open();
    await send(page, "/long");
    await page.waitForFunction(() => (document.querySelector('[role="log"] .message.bot')?.textContent ?? "").includes("word5"));
    await page.getByRole("button", { name: "Stop" }).click();
    await idle(page);
    const kept = (await turns(page).nth(1).locator(".markdown").textContent()) ?? "";
    expect(kept).toMatch(/^word0 word1 word2 word3 word4 word5/);
    // The model loop itself stopped short of its 400 words (how short depends on how busy the
    // machine is, so no number here beyond that).
    await expect.poll(() => ctx.demo.output(), { timeout: 30_000 }).toMatch(/streamed (\d+) of 400 words \(stopped\)/);
    const streamed = Number(/streamed (\d+) of 400 words \(stopped\)/.exec(ctx.demo.output())![1]);
    expect(streamed).toBeLessThan(400);
    // Once the loop has stopped nothing more can come: the page still shows what it kept.
    expect(await turns(page).nth(1).locator(".markdown").textContent()).toBe(kept);
    expect(await page.getByRole("alert").count()).toBe(0);
    // The partial answer is part of the history: a reload shows it.
    await page.reload();
    await waitForTurns(page, 2);
    expect(await turns(page).nth(1).locator(".markdown").textContent()).toBe(kept);
    await page.context().close();
  });

  it("Retry answers the last message again in place; Undo takes the exchange back", async () => {
    const page = await open();
    await send(page, "alpha");
    await idle(page);
    await send(page, "beta gamma");
    await idle(page);
    await waitForTurns(page, 4);
    const before = (ctx.demo.output().match(/\[chat\] turn 2:/g) ?? []).length;
    await page.getByRole("button", { name: "Retry" }).click();
    await idle(page);
    await expect.poll(() => (ctx.demo.output().match(/\[chat\] turn 2:/g) ?? []).length).toBe(before + 1);
    expect(await texts(page)).toEqual(["alpha", "alpha", "beta gamma", "beta gamma"]);
    await page.getByRole("button", { name: "Undo" }).click();
    await waitForTurns(page, 2);
    expect(await page.getByLabel("Message").inputValue()).toBe("beta gamma");
    expect(await texts(page)).toEqual(["alpha", "alpha"]);
    await page.context().close();
  });

  it("shows a placeholder and examples in the empty chat; an example sends itself", async () => {
    const page = await open();
    expect(await page.locator(".chat-placeholder").textContent()).toContain("Say something");
    await page.getByRole("button", { name: "Hello! How are you today?" }).click();
    await waitForTurns(page, 2);
    await idle(page);
    expect(await texts(page)).toEqual(["Hello! How are you today?", "Hello! How are you today?"]);
    expect(await page.getByRole("group", { name: "Examples" }).count()).toBe(0);
    await page.getByRole("button", { name: "Clear" }).click();
    await waitForTurns(page, 0);
    await page.getByRole("group", { name: "Examples" }).waitFor();
    await page.context().close();
  });

  it("writes likes and flags to flagged/feedback.jsonl", async () => {
    const page = await open();
    await send(page, "rate me");
    await idle(page);
    const bot = turns(page).nth(1);
    await bot.getByRole("button", { name: "Like reply 1", exact: true }).click();
    expect(await bot.getByRole("button", { name: "Like reply 1", exact: true }).getAttribute("aria-pressed")).toBe("true");
    await bot.getByRole("button", { name: "Flag reply 1", exact: true }).click();
    const file = join(workdir, "flagged", "feedback.jsonl");
    await expect.poll(() => readFileSync(file, "utf8").trim().split("\n").length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { value: string; message: { content: string } });
    expect(lines.filter((l) => l.message.content === "rate me").map((l) => l.value)).toEqual(["like", "flag"]);
    // User turns get no feedback buttons.
    expect(await turns(page).nth(0).getByRole("button", { name: /^Like/ }).count()).toBe(0);
    await page.context().close();
  });

  it("renders Markdown: tables, highlighted code with a copy button, LaTeX, money stays money, links in a new tab", async () => {
    const page = await open();
    await send(page, "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n```ts\nconst answer: number = 42;\n```\n\nIt costs $5 and $10. See [docs](https://example.com).\n\nInline \\( x^2 \\) and display $$\\frac{1}{2}$$ and \\[ y = mx + b \\]");
    await idle(page);
    const bot = turns(page).nth(1);
    await bot.locator(".katex").first().waitFor();
    expect(await bot.locator("table td").allTextContents()).toEqual(["1", "2"]);
    await bot.locator("code.hljs .hljs-keyword").first().waitFor();
    expect(await bot.getByRole("button", { name: "Copy code" }).count()).toBe(1);
    expect(await bot.locator(".katex").count()).toBe(3);
    expect(await bot.locator(".katex-display").count()).toBe(2);
    expect(await bot.textContent()).toContain("It costs $5 and $10.");
    const link = bot.getByRole("link", { name: "docs" });
    expect(await link.getAttribute("target")).toBe("_blank");
    expect(await link.getAttribute("rel")).toContain("noopener");
    await page.context().close();
  });

  for (const sanitizer of ["the browser's Sanitizer API", "DOMPurify"]) {
    it(`keeps every message of the XSS corpus inert, with ${sanitizer}`, async () => {
      const page = await open("", sanitizer === "DOMPurify" ? () => delete (Element.prototype as { setHTML?: unknown }).setHTML : undefined);
      const fired: string[] = [];
      page.on("dialog", (d) => {
        fired.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      await page.exposeFunction("__xss", (what: string) => fired.push(what));
      for (const vector of xssCorpus) {
        await send(page, vector);
        await idle(page);
      }
      await waitForTurns(page, xssCorpus.length * 2);
      // Images and the like a vector tried to load have loaded (or failed) by now.
      await page.waitForLoadState("networkidle");
      // Click every link the messages produced: none may run code.
      for (const link of await page.locator('[role="log"] a').all()) await link.click({ modifiers: ["Control"] }).catch(() => undefined);
      const dangerous = await page.evaluate(() => {
        const found: string[] = [];
        // Everything rendered from message text (the turns' own buttons and icons are ours).
        for (const el of document.querySelectorAll('[role="log"] .markdown *')) {
          if (/^(script|iframe|object|embed|form|style|link|meta|base|template|noscript|svg|body)$/i.test(el.tagName)) found.push(`<${el.tagName}>`);
          for (const attr of el.attributes) {
            if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}`);
            if (/^(href|src|action|data|srcdoc|formaction|style)$/i.test(attr.name) && /javascript:|data:text/i.test(attr.value)) found.push(`${el.tagName} ${attr.name}=${attr.value}`);
          }
        }
        return found;
      });
      expect(fired).toEqual([]);
      expect(dangerous).toEqual([]);
      // The text is still there to read.
      expect(await turns(page).nth(1).textContent()).toContain("<script>window.__xss('script')</script>");
      await page.context().close();
    });
  }

  it("has a dark theme, from ?theme=dark or the toggle", async () => {
    const page = await open("?theme=dark");
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe("rgb(15, 17, 21)");
    await page.getByRole("button", { name: "Switch to light theme" }).click();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(247, 247, 248)");
    await page.context().close();
  });

  it("pauses autoscroll when the reader scrolls up, and offers a jump to the newest turn", async () => {
    const page = await open();
    for (let i = 0; i < 6; i++) {
      await send(page, `filler ${i}\n\n${"line\n\n".repeat(6)}`);
      await idle(page);
    }
    const log = page.getByRole("log");
    const atBottom = () => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 40);
    expect(await atBottom()).toBe(true);
    await send(page, "/long");
    await page.waitForFunction(() => (document.querySelector('[role="log"] .message.bot:last-child')?.textContent ?? "").includes("word2"));
    await log.evaluate((el) => el.scrollTo({ top: 0 }));
    // More words arrive while the reader is up there: they must not pull the view down.
    const shown = await page.evaluate(() => document.querySelector('[role="log"] .message.bot:last-child')?.textContent?.length ?? 0);
    await page.waitForFunction((n) => (document.querySelector('[role="log"] .message.bot:last-child')?.textContent?.length ?? 0) > n + 20, shown);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await log.evaluate((el) => el.scrollTop)).toBe(0);
    await page.getByRole("button", { name: /Jump to newest/ }).click();
    expect(await atBottom()).toBe(true);
    await page.getByRole("button", { name: "Stop" }).click();
    await idle(page);
    await page.context().close();
  });

  it("shows a waiting user their place in the queue, and runs them when the slot frees", async () => {
    const [first, second] = await Promise.all([open(), open()]);
    await send(first, "/long");
    await first.waitForFunction(() => (document.querySelector('[role="log"] .message.bot')?.textContent ?? "").includes("word1"));
    await send(second, "waiting my turn");
    await expect.poll(() => second.getByRole("status").textContent()).toContain("In queue: position 1");
    await first.getByRole("button", { name: "Stop" }).click();
    await idle(second);
    expect(await texts(second)).toEqual(["waiting my turn", "waiting my turn"]);
    expect(await second.getByRole("status").count()).toBe(0);
    await Promise.all([first.context().close(), second.context().close()]);
  });

  it("loses nothing when the connection drops mid-stream: it reconnects and the answer completes, every word once", async () => {
    // Keep a handle on the page's WebSockets so the test can cut the connection.
    const page = await open("", () => {
      const Native = window.WebSocket;
      const sockets: WebSocket[] = [];
      (window as unknown as { sockets: WebSocket[] }).sockets = sockets;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          sockets.push(this);
        }
      };
    });
    const message = Array.from({ length: 60 }, (_, i) => `w${i}`).join(" ");
    await send(page, message);
    await page.waitForFunction(() => (document.querySelector('[role="log"] .message.bot')?.textContent ?? "").includes("w8"));
    await page.evaluate(() => (window as unknown as { sockets: WebSocket[] }).sockets.at(-1)!.close());
    await expect.poll(() => page.getByRole("status").allTextContents()).toContain("Connection lost, reconnecting…");
    await idle(page);
    expect(await texts(page)).toEqual([message, message]);
    expect(await page.evaluate(() => (window as unknown as { sockets: WebSocket[] }).sockets.length)).toBe(2);
    await page.context().close();
  });

  it(`loads at most ${chatPageBudget / 1024} KB of JavaScript and CSS (gzipped) for the chat page`, async () => {
    const { files, jsCssBytes } = await pageWeight(ctx.browser, ctx.demo.url);
    expect(files.some((f) => f.type === "script")).toBe(true);
    expect(jsCssBytes).toBeLessThan(chatPageBudget);
  });
});
