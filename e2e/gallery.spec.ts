import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  it("lists every bundled demo on its index page, and says why a demo is not running", async () => {
    const page = await browser.newPage();
    await page.goto(gallery.url);
    expect((await page.locator("li a").allTextContents()).sort()).toEqual(demoNames);
    const dialogpt = page.locator("li", { hasText: "dialogpt" });
    expect(await dialogpt.locator(".down").textContent()).toMatch(/Not running: Model "Xenova\/DialoGPT-small" is not available offline/);
    await page.close();
  });

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
});
