import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { idle, send, texts, turns, waitForTurns } from "./chatPage.ts";
import { useDemo } from "./useDemo.ts";

// demos/chat, for what a person does with single turns and whole conversations: editing a
// sent message, thinking and tool-call blocks, copying, conversations kept in the browser, and
// what a screen reader or a phone gets.
const ctx = useDemo(import.meta.url, { demo: "chat" });

async function open(options: BrowserContextOptions = {}): Promise<Page> {
  const context = await ctx.browser.newContext(options);
  const page = await context.newPage();
  await page.goto(ctx.demo.url);
  await page.getByRole("log").waitFor();
  return page;
}

const sidebar = (page: Page) => page.getByRole("navigation", { name: "Saved conversations" });

describe("chat turns", () => {
  it("edits a sent message and answers again from there, dropping what came after", async () => {
    const page = await open();
    await send(page, "alpha");
    await idle(page);
    await send(page, "beta");
    await idle(page);
    await waitForTurns(page, 4);
    await turns(page).nth(0).getByRole("button", { name: "Edit prompt 1" }).click();
    const editor = page.getByRole("textbox", { name: "Edit your message" });
    expect(await editor.inputValue()).toBe("alpha");
    await editor.fill("gamma delta");
    await editor.press("Enter");
    await waitForTurns(page, 2);
    await idle(page);
    await page.waitForFunction(() => document.querySelectorAll('[role="log"] .message.bot[data-index]').length === 1 && !document.querySelector(".typing"));
    expect(await texts(page)).toEqual(["gamma delta", "gamma delta"]);
    // The server's history is the edited one: a reload shows it.
    await page.reload();
    await waitForTurns(page, 2);
    expect(await texts(page)).toEqual(["gamma delta", "gamma delta"]);
    await page.context().close();
  });

  it("Escape leaves an edit without sending it", async () => {
    const page = await open();
    await send(page, "keep me");
    await idle(page);
    await turns(page).nth(0).getByRole("button", { name: "Edit prompt 1" }).click();
    await page.getByRole("textbox", { name: "Edit your message" }).fill("changed");
    await page.getByRole("textbox", { name: "Edit your message" }).press("Escape");
    expect(await texts(page)).toEqual(["keep me", "keep me"]);
    await page.context().close();
  });

  it("shows a <think> block open while the model thinks, then folded away under the answer", async () => {
    const page = await open();
    await send(page, "/think");
    const fold = turns(page).nth(1).locator("details.fold");
    // Seen at one moment: the block says it is thinking, and it is open.
    await page.waitForFunction(() => {
      const d = document.querySelector<HTMLDetailsElement>('[role="log"] .message.bot details.fold');
      return d?.open === true && d.querySelector("summary")?.textContent?.includes("Thinking…") === true;
    });
    await idle(page);
    await fold.locator("summary", { hasText: "Thought" }).waitFor();
    expect(await fold.evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
    expect(await fold.getByText("I will count").isVisible()).toBe(false);
    expect(await turns(page).nth(1).getByText("I counted to three.").isVisible()).toBe(true);
    expect(await turns(page).nth(1).textContent()).not.toContain("<think>");
    // The reader can open it again.
    await fold.locator("summary").click();
    expect(await fold.getByText("I will count").isVisible()).toBe(true);
    await page.context().close();
  });

  it("shows a tool call as a block, pending then done with its duration, with its step nested inside", async () => {
    const page = await open();
    await send(page, "/tool");
    const block = page.locator('[role="log"] .message.block');
    await block.locator("summary .spinner").waitFor();
    await idle(page);
    await page.getByRole("log").getByText("It is sunny in Lisbon.").waitFor();
    const summary = block.locator("> .bubble > details > summary");
    expect(await summary.locator(".fold-title").textContent()).toBe("🔎 Searching the web");
    expect(await summary.locator(".fold-duration").textContent()).toMatch(/^\d+\.\d s$/);
    expect(await block.locator(".spinner").count()).toBe(0);
    // The step is inside the tool call's block, not a turn of its own.
    await summary.click();
    expect(await block.locator(".nested .fold-title").textContent()).toBe("Reading results");
    expect(await turns(page).count()).toBe(3);
    await page.context().close();
  });

  it("copies one message, and the whole chat, to the clipboard", async () => {
    const page = await open({ permissions: ["clipboard-read", "clipboard-write"] });
    await send(page, "copy **me**");
    await idle(page);
    await turns(page).nth(1).getByRole("button", { name: "Copy reply 1" }).click();
    await turns(page).nth(1).getByRole("button", { name: "Copied reply 1" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("copy **me**");
    await page.getByRole("button", { name: "Copy chat" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("User: copy **me**\n\nAssistant: copy **me**");
    await page.context().close();
  });

  it("keeps conversations in the browser: new chat, switch back after a reload, delete", async () => {
    const page = await open();
    await send(page, "first conversation");
    await idle(page);
    await sidebar(page).getByRole("button", { name: "first conversation", exact: true }).waitFor();
    await sidebar(page).getByRole("button", { name: "New chat" }).click();
    await waitForTurns(page, 0);
    await send(page, "second one");
    await idle(page);
    await sidebar(page).getByRole("button", { name: "second one", exact: true }).waitFor();
    // A new tab of the same browser starts empty, with the conversations in its sidebar.
    const other = await page.context().newPage();
    await other.goto(ctx.demo.url);
    await sidebar(other).getByRole("button", { name: "first conversation", exact: true }).waitFor();
    expect(await sidebar(other).getByRole("listitem").allTextContents()).toEqual(["second one", "first conversation"]);
    await other.reload();
    await sidebar(other).getByRole("button", { name: "first conversation", exact: true }).click();
    await waitForTurns(other, 2);
    expect(await texts(other)).toEqual(["first conversation", "first conversation"]);
    expect(await sidebar(other).getByRole("button", { name: "first conversation", exact: true }).getAttribute("aria-current")).toBe("true");
    // It goes on where it left off: the server has its history.
    await send(other, "and more");
    await idle(other);
    await waitForTurns(other, 4);
    await other.reload();
    await waitForTurns(other, 4);
    expect(await texts(other)).toEqual(["first conversation", "first conversation", "and more", "and more"]);
    const second = sidebar(other).getByRole("listitem").filter({ hasText: "second one" });
    expect(await second.getByRole("button", { name: "Delete conversation" }).getAttribute("aria-describedby")).toBe(await second.getByRole("button", { name: "second one" }).getAttribute("id"));
    await second.getByRole("button", { name: "Delete conversation" }).click();
    expect(await sidebar(other).getByRole("listitem").allTextContents()).toEqual(["first conversation"]);
    await page.context().close();
  });

  it("names the speaker of each turn for a screen reader, and announces a finished answer once", async () => {
    const page = await open();
    await page.evaluate(() => {
      const live = document.querySelector('.chatbot-frame [aria-live="polite"]')!;
      const w = window as unknown as { announcements: string[] };
      w.announcements = [];
      new MutationObserver(() => w.announcements.push(live.textContent ?? "")).observe(live, { subtree: true, childList: true, characterData: true });
    });
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ");
    await send(page, words);
    await idle(page);
    await page.waitForFunction(() => (window as unknown as { announcements: string[] }).announcements.length > 0);
    expect(await page.evaluate(() => (window as unknown as { announcements: string[] }).announcements)).toEqual([`The bot said: ${words}`]);
    expect(await page.getByRole("log").getAttribute("aria-live")).toBe("off");
    await send(page, "hello");
    await idle(page);
    await waitForTurns(page, 4);
    const tree = await page.getByRole("log").ariaSnapshot();
    expect(tree).toMatch(/heading "You said:"[^]*paragraph: w0[^]*heading "The bot said:"[^]*heading "You said:"[^]*paragraph: hello[^]*heading "The bot said:"[^]*paragraph: hello/);
    expect(await page.locator('[role="log"] .bubble[dir="auto"]').count()).toBe(4);
    // Button names are words, and feedback says which reply it rates.
    for (const name of ["Retry", "Undo", "Clear", "Copy chat", "Submit"]) expect(await page.getByRole("button", { name, exact: true }).count()).toBe(1);
    expect(await turns(page).nth(3).getByRole("button", { name: "Like reply 2", exact: true }).count()).toBe(1);
    await page.context().close();
  });

  it("on a phone, the code block's Copy button sits above the code, not over it", async () => {
    const page = await open({ viewport: { width: 375, height: 740 } });
    await send(page, "```js\nconst aVeryLongVariableName = someFunction(argumentNumberOne, argumentNumberTwo);\n```");
    await idle(page);
    const bot = turns(page).nth(1);
    const button = await bot.getByRole("button", { name: "Copy code" }).boundingBox();
    const code = await bot.locator("pre code").evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const r = range.getClientRects()[0]!;
      return { top: r.top, bottom: r.bottom };
    });
    expect(button!.y + button!.height).toBeLessThanOrEqual(code.top);
    await page.context().close();
  });

  it("shows example chips as plain text, not Markdown", async () => {
    const page = await open();
    const chips = await page.getByRole("group", { name: "Examples" }).getByRole("button").allTextContents();
    expect(chips).toContain("A table: fruit price apple $5 pear $10");
    for (const chip of chips) expect(chip).not.toMatch(/\||```|\*\*/);
    await page.context().close();
  });
});
