import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dialogpt } from "@dais/models";
import { writeTinyDialogpt } from "@dais/models/fixtures";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { startDemo } from "./demo.ts";
import { useDemo } from "./useDemo.ts";

// A tiny random-weight DialoGPT-shaped model, generated for this run (never committed): it
// talks nonsense, but the very nonsense the real loading and generation code produces.
const folder = fileURLToPath(new URL("../.fixtures/e2e-dialogpt/", import.meta.url));
const ctx = useDemo(import.meta.url, {
  args: ["--model", folder],
  before: () => {
    rmSync(folder, { recursive: true, force: true });
    writeTinyDialogpt(folder, { eosBias: 2 });
  },
});

const turns = (page: Page) => page.getByRole("log").locator(".message[data-index]");
async function waitForTurns(page: Page, n: number): Promise<void> {
  await page.waitForFunction((count) => document.querySelectorAll('[role="log"] .message[data-index]').length === count, n);
}
async function say(page: Page, text: string): Promise<void> {
  await page.getByLabel("message").fill(text);
  await page.getByLabel("message").press("Enter");
}
// The bot's text is rendered as Markdown, which may eat some of the model's punctuation.
const letters = (s: string) => s.replace(/[^A-Za-z0-9]/g, "");

describe("dialogpt", () => {
  it("answers in the chatbot with the model's reply, and the next turn continues the token history", async () => {
    const predict = await dialogpt({ model: folder });
    const [, history] = await predict("Hello! How are you?", null);
    const [expected] = await predict("Do you have any pets?", history);
    await predict.dispose();
    expect(letters(expected[0]![1]!).length).toBeGreaterThan(3);

    const page = await ctx.browser.newPage();
    await page.goto(ctx.demo.url);
    await page.getByRole("log").waitFor();
    await expect.poll(() => page.title()).toBe("DialoGPT"); // set once the app's config arrives
    await say(page, "Hello! How are you?");
    await waitForTurns(page, 2);
    expect(await turns(page).nth(1).getAttribute("data-role")).toBe("assistant");
    // The answer bubble may show before the answer does: wait for the text.
    const answer = (n: number) => async () => letters((await turns(page).nth(n).textContent()) ?? "");
    await expect.poll(answer(1)).toBe(letters(expected[0]![1]!));
    await page.getByRole("button", { name: "Submit" }).waitFor();

    await say(page, "Do you have any pets?");
    await waitForTurns(page, 4);
    expect(await turns(page).nth(2).textContent()).toContain("Do you have any pets?");
    await expect.poll(answer(3)).toBe(letters(expected[1]![1]!));
    await page.close();
  });

  it("exits with the clear message when the model is not there", async () => {
    const missing = fileURLToPath(new URL("../.fixtures/e2e-dialogpt-missing/", import.meta.url));
    const error = await startDemo("dialogpt", ["--model", missing]).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/exited with 1/);
    expect((error as Error).message).toContain(`Model "${missing}" is not available: the folder ${missing.replace(/\/$/, "")} does not exist.`);
  });
});
