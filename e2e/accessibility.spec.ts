import { existsSync, readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { writeTinyBlenderbot, writeTinyChatModel, writeTinyDialogpt } from "@dais/models/fixtures";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeScan, formatViolations } from "./axeScan.ts";
import { launchBrowser } from "./browser.ts";
import { type RunningDemo, startDemo } from "./demo.ts";

// Every demo in demos/, read from the folder so a demo someone adds is scanned too.
const demosRoot = fileURLToPath(new URL("../demos/", import.meta.url));
const demoNames = readdirSync(demosRoot)
  .filter((name) => existsSync(`${demosRoot}${name}/app.ts`))
  .sort();

// The model demos take `--model <folder>`: a tiny random-weight model of the right shape,
// generated for this run, so they start offline. A new model demo adds its writer here (until
// then it fails to start offline, and its scan fails saying so).
const tinyModels: Record<string, (dir: string) => unknown> = {
  dialogpt: (dir) => writeTinyDialogpt(dir, { eosBias: 2 }),
  blenderbot: (dir) => writeTinyBlenderbot(dir, { eosBias: 2 }),
  "instruct-chat": (dir) => writeTinyChatModel(dir, { eosBias: 2, dtypes: ["q4"], positions: 1024 }),
};
const fixtures = fileURLToPath(new URL("../.fixtures/e2e-axe/", import.meta.url));

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(fixtures, { recursive: true, force: true });
});

/** The page once it has connected and drawn its app (no "Connecting…" left). */
async function open(demo: RunningDemo, theme: "light" | "dark"): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${demo.url}?theme=${theme}`);
  await page.waitForFunction(() => document.querySelector("#app header") !== null && document.querySelector('#app .status[role="status"]') === null);
  return page;
}

/**
 * On a chat page, one exchange with Markdown in it (a link, a quote, a table, highlighted code),
 * so the scan sees user and bot turns and what is drawn inside them.
 */
async function chatOnce(page: Page): Promise<void> {
  if ((await page.getByRole("log").count()) === 0) return;
  const box = page.locator("textarea:not([readonly]), input[type=text]:not([readonly])").first();
  await box.fill("Hello **there**, see `code` and [a link](https://example.com)\n\n> a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconst x = 1; // one\n```");
  await box.press("Enter");
  await page.locator('[role="log"] .message[data-role="assistant"]').first().waitFor();
}

describe("axe-core finds no serious or critical violations", () => {
  it("and the scan does report one: an unlabelled input on a fixture page", async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html lang="en"><head><title>Fixture</title></head><body><main><h1>Form</h1><input type="text"></main></body></html>');
    const violations = await axeScan(page);
    expect(violations.map((v) => v.id)).toContain("label");
    expect(formatViolations(violations)).toMatch(/critical label: .*\n {2}input: /);
    await page.close();
  });

  it("and low contrast is reported too: the old orange Submit, #ea580c on white text", async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html lang="en"><head><title>Fixture</title></head><body><main><button style="background:#ea580c;color:#fff;border:0">Submit</button></main></body></html>');
    expect((await axeScan(page)).map((v) => v.id)).toEqual(["color-contrast"]);
    await page.close();
  });

  for (const name of demoNames) {
    describe(`demos/${name}`, () => {
      let demo: RunningDemo;
      beforeAll(async () => {
        const model = tinyModels[name];
        const args: string[] = [];
        if (model) {
          rmSync(`${fixtures}${name}`, { recursive: true, force: true });
          model(`${fixtures}${name}`);
          args.push("--model", `${fixtures}${name}`);
        }
        demo = await startDemo(name, args, { DAIS_OFFLINE: "1" });
      }, 180_000);
      afterAll(async () => {
        await demo?.stop();
      });

      for (const theme of ["light", "dark"] as const) {
        it(`in the ${theme} theme, before and after a chat turn`, async () => {
          const page = await open(demo, theme);
          expect(formatViolations(await axeScan(page))).toBe("");
          await chatOnce(page);
          expect(formatViolations(await axeScan(page))).toBe("");
          await page.close();
        });
      }
    });
  }
});
