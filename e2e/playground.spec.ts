import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useDemo } from "./useDemo.ts";

const ctx = useDemo(import.meta.url);

const answers = (page: Page) => page.getByRole("log").locator('.message[data-role="assistant"]');
const lastAnswer = async (page: Page) => ((await answers(page).last().textContent()) ?? "").trim();

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message").fill(text);
  await page.getByLabel("Message").press("Enter");
}

describe("playground", () => {
  it("streams an answer as long as the settings say, the same for the same seed, with statistics after it", async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await page.goto(ctx.demo.url);
    await page.getByLabel("Max words").fill("5");
    await send(page, "A page shows");
    await expect.poll(() => page.getByText("Last answer: 5 words; 1 exchanges so far.").count()).toBe(1);
    const first = await lastAnswer(page);
    expect(first.split(" ")).toHaveLength(5);
    await page.getByRole("button", { name: "Send" }).click(); // an empty box: refused, nothing sent
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Type a message first.");
    await send(page, "A page shows");
    await expect.poll(() => page.getByText("2 exchanges so far.").count()).toBe(1);
    expect(await lastAnswer(page)).toBe(first);
    await context.close();
  });

  it("Stop ends a long answer where it is, and the conversation goes on", async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await page.goto(ctx.demo.url);
    await page.getByLabel("Max words").fill("200");
    await send(page, "the page");
    await expect.poll(async () => (await lastAnswer(page)).split(" ").length, { timeout: 15_000 }).toBeGreaterThan(3);
    await page.getByRole("button", { name: "Stop" }).click();
    // The answer stops growing: two looks at it, a few frames apart, agree.
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
    const stopped = await lastAnswer(page);
    expect(stopped.split(" ").length).toBeLessThan(200);
    await page.getByLabel("Max words").fill("3");
    await send(page, "a session");
    await expect.poll(() => answers(page).count()).toBe(2);
    expect((await answers(page).first().textContent())?.trim()).toBe(stopped);
    await context.close();
  });

  it("shows the seed only when sampling, keeps the chat across tabs and a reload, and welcomes back on load", async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await page.goto(ctx.demo.url);
    await page.getByLabel("Seed").waitFor();
    await page.getByLabel("Temperature").fill("0");
    await expect.poll(() => page.getByLabel("Seed").count()).toBe(0);
    await page.getByLabel("Temperature").fill("1");
    await page.getByLabel("Seed").waitFor();
    await page.getByLabel("Max words").fill("4");
    await send(page, "Every browser tab");
    await expect.poll(() => page.getByText("1 exchanges so far.").count()).toBe(1);
    await page.getByRole("tab", { name: "About" }).click();
    await page.getByText("word-level Markov chain").waitFor();
    expect(await page.getByRole("log").isVisible()).toBe(false);
    await page.getByRole("tab", { name: "Chat" }).click();
    expect(await answers(page).count()).toBe(1);
    await page.reload();
    await expect.poll(() => page.getByText("Welcome back: 1 exchanges so far.").count()).toBe(1);
    expect(await answers(page).count()).toBe(1);
    await context.close();
  });
});
