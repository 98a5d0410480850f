import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeScan, formatViolations } from "./axeScan.ts";
import { launchBrowser } from "./browser.ts";
import { type RunningDemo, startApp } from "./demo.ts";

// `dais demo gallery` (what `pnpm demo gallery` runs): every bundled demo from one server.
let gallery: RunningDemo;
let browser: Browser;
const cli = fileURLToPath(new URL("../packages/dais/src/cli/main.ts", import.meta.url));
const demoNames = readdirSync(fileURLToPath(new URL("../demos/", import.meta.url))).sort();

beforeAll(async () => {
  // Offline, so the model demos fail at once with their clear message instead of downloading.
  [gallery, browser] = await Promise.all([startApp(cli, ["demo", "gallery"], { DAIS_OFFLINE: "1" }), launchBrowser()]);
  // Until every demo has started (or failed), as the gallery says once they have.
  await gallery.waitFor(/Demos ready: /);
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await gallery?.stop();
});

describe("gallery", () => {
  it("lists every bundled demo on its index page, links those running, and says why the others are not", async () => {
    const page = await browser.newPage();
    await page.goto(gallery.url);
    expect((await page.locator("li h2").allTextContents()).sort()).toEqual(demoNames);
    const dialogpt = page.locator("li", { hasText: "dialogpt" });
    expect(await dialogpt.locator(".down").textContent()).toMatch(/Not running: Model "Xenova\/DialoGPT-small" is not available offline/);
    // A demo that is down has no link (it would lead to an error page); every other one has.
    expect(await dialogpt.getByRole("link").count()).toBe(0);
    const items = await page.locator("li").evaluateAll((lis) => lis.map((li) => ({ linked: li.querySelector("h2 a") !== null, down: li.querySelector(".down") !== null })));
    expect(items.every((i) => i.linked !== i.down)).toBe(true);
    expect(items.filter((i) => i.linked).length).toBeGreaterThanOrEqual(5);
    await page.close();
  });

  it("renders the READMEs' summaries: inline code as code, not backticks", async () => {
    const page = await browser.newPage();
    await page.goto(gallery.url);
    const summary = page.locator("li", { hasText: "dialogpt" }).locator("p").first();
    expect(await summary.locator("code").allTextContents()).toEqual(["Xenova/DialoGPT-small", "--model Xenova/DialoGPT-medium"]);
    expect(await summary.textContent()).not.toContain("`");
    await page.close();
  });

  for (const colorScheme of ["light", "dark"] as const) {
    it(`follows the system's ${colorScheme} mode, and axe-core finds no serious violation in it`, async () => {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto(gallery.url);
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(colorScheme === "dark" ? "rgb(15, 17, 21)" : "rgb(247, 247, 248)");
      expect(formatViolations(await axeScan(page))).toBe("");
      await context.close();
    });
  }

  it("serves each demo at its own path: hello, from the index link", async () => {
    const page = await browser.newPage();
    await page.goto(gallery.url);
    await page.getByRole("link", { name: "hello" }).click();
    expect(new URL(page.url()).pathname).toBe("/hello/");
    await page.getByLabel("Name").fill("Gallery");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect.poll(() => page.getByLabel("Greeting").inputValue()).toBe("Hello, Gallery!");
    await page.close();
  });

  it("serves each demo at its own path: a streaming ChatInterface, WebSocket and all", async () => {
    const page = await browser.newPage();
    await page.goto(`${gallery.url}chat/`);
    await page.getByLabel("Message").fill("one two three");
    await page.getByLabel("Message").press("Enter");
    await page.getByRole("button", { name: "Submit" }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[role="log"] .message[data-index]').length === 2);
    expect((await page.locator('[role="log"] .message[data-index="1"] .markdown').textContent())?.trim()).toBe("one two three");
    // Sessions are per demo: the echo chatbot beside it starts empty.
    await page.goto(`${gallery.url}echo-chatbot/`);
    await page.getByRole("log").waitFor();
    expect(await page.locator('[role="log"] .message[data-index]').count()).toBe(0);
    await page.close();
  });

  it("serves each demo at its own path: uploads and files of the sepia demo, through the prefix", async () => {
    const page = await browser.newPage();
    await page.goto(`${gallery.url}sepia/`);
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");
    await page.getByLabel("Upload Picture").setInputFiles({ name: "dot.png", mimeType: "image/png", buffer: png });
    // Uploaded once the picture shows with its Download link.
    await page.getByRole("link", { name: "Download dot.png" }).waitFor();
    await page.getByRole("button", { name: "Submit" }).click();
    const link = page.getByRole("link", { name: "Download sepia.png" });
    await link.waitFor();
    expect(new URL(await link.evaluate((a: HTMLAnchorElement) => a.href)).pathname).toMatch(/^\/sepia\/gradio_api\/file=/);
    await page.close();
  });
});
