import type { Page } from "playwright-core";

// What the browser tests do on a chat page, in a user's terms.

/** Types a message in the chat's message box and sends it with Enter. */
export async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message").fill(text);
  await page.getByLabel("Message").press("Enter");
}

/** The conversation's turns (not the pending message or the typing dots). */
export const turns = (page: Page) => page.locator('[role="log"] .message[data-index]');

/** The text of every turn, as a reader sees it. */
export const texts = async (page: Page) => (await turns(page).locator(".markdown").allTextContents()).map((t) => t.trim());

/** Resolves when no run is going (Submit is back in place of Stop). */
export const idle = (page: Page) => page.getByRole("button", { name: "Submit" }).waitFor();

export async function waitForTurns(page: Page, n: number): Promise<void> {
  await page.waitForFunction((count) => document.querySelectorAll('[role="log"] .message[data-index]').length === count, n);
}

/** Starts recording every length the first answer's text has, to tell streaming from a single update. */
export async function recordAnswerLengths(page: Page): Promise<void> {
  await page.evaluate(() => {
    const lengths: number[] = [];
    (window as unknown as { lengths: number[] }).lengths = lengths;
    new MutationObserver(() => {
      const bot = document.querySelector('[role="log"] .message.bot[data-index="1"]');
      if (bot) lengths.push((bot.textContent ?? "").length);
    }).observe(document.querySelector('[role="log"]')!, { subtree: true, childList: true, characterData: true });
  });
}

/** The lengths recorded since recordAnswerLengths. */
export const answerLengths = (page: Page) => page.evaluate(() => (window as unknown as { lengths: number[] }).lengths);
