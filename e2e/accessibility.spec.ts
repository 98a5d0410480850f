import { existsSync, readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { writeTinyBlenderbot, writeTinyChatModel, writeTinyDialogpt } from "@dais/models/fixtures";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeScan, formatViolations } from "./axeScan.ts";
import { launchBrowser } from "./browser.ts";
import { type RunningDemo, startApp, startDemo } from "./demo.ts";

// Every demo in demos/, read from the folder so a demo someone adds is scanned too.
const demosRoot = fileURLToPath(new URL("../demos/", import.meta.url));
const demoNames = readdirSync(demosRoot)
  .filter((name) => existsSync(`${demosRoot}${name}/app.ts`))
  .sort();
// And the page with every component on it, editable and read-only, which no demo may show.
const everyComponent = fileURLToPath(new URL("./fixtures/everyComponent.ts", import.meta.url));

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

/** A demo as a user runs it, offline; a model demo with a tiny model of its shape. */
async function startModelDemo(name: string): Promise<RunningDemo> {
  const model = tinyModels[name];
  if (!model) return startDemo(name, [], { DAIS_OFFLINE: "1" });
  rmSync(`${fixtures}${name}`, { recursive: true, force: true });
  model(`${fixtures}${name}`);
  return startDemo(name, ["--model", `${fixtures}${name}`], { DAIS_OFFLINE: "1" });
}

/** The page once it has connected and drawn its app (no "Connecting…" left). */
async function open(demo: RunningDemo, theme: "light" | "dark"): Promise<Page> {
  // The system's scheme too, which the server's plain pages ("Use via API", login) follow.
  const page = await (await browser.newContext({ colorScheme: theme })).newPage();
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

  it("and the login page of an app with auth, light and dark, before and after a wrong password", async () => {
    const app = await startApp(fileURLToPath(new URL("./fixtures/authApp.ts", import.meta.url)));
    try {
      for (const colorScheme of ["light", "dark"] as const) {
        const context = await browser.newContext({ colorScheme });
        const page = await context.newPage();
        await page.goto(app.url);
        await page.getByLabel("Username").waitFor();
        expect(formatViolations(await axeScan(page))).toBe("");
        await page.getByLabel("Username").fill("tester");
        await page.getByLabel("Password").fill("wrong");
        await page.getByRole("button", { name: "Log in" }).click();
        await page.getByRole("alert").waitFor();
        expect(formatViolations(await axeScan(page))).toBe("");
        await context.close();
      }
    } finally {
      await app.stop();
    }
  });

  it("and an app that sets only its accent keeps it in dark mode too, with a label that reads on it", async () => {
    const app = await startApp(fileURLToPath(new URL("./fixtures/accentOnly.ts", import.meta.url)));
    try {
      for (const theme of ["light", "dark"] as const) {
        const page = await open(app, theme);
        const submit = await page.getByRole("button", { name: "Submit" }).evaluate((b) => ({ background: getComputedStyle(b).backgroundColor, label: getComputedStyle(b).color }));
        // Light mint: white on it would be 1.5:1, so the label is near-black.
        expect(submit).toEqual({ background: "rgb(167, 243, 208)", label: "rgb(17, 17, 17)" });
        expect(formatViolations(await axeScan(page))).toBe("");
        await page.context().close();
      }
    } finally {
      await app.stop();
    }
  });

  // What each page is, how it starts, and what a person does on it before the second scan.
  const pages = [
    ...demoNames.map((name) => ({ title: `demos/${name}`, start: () => startModelDemo(name), use: chatOnce })),
    {
      title: "every component (e2e/fixtures/everyComponent.ts)",
      start: () => startApp(everyComponent),
      // "Set" fills every input from the server: the chat, the label's bars, the JSON and Markdown.
      use: async (page: Page) => {
        await page.getByRole("button", { name: "Set" }).click();
        await page.locator('[role="log"] .message[data-role="assistant"]').first().waitFor();
      },
    },
  ];
  for (const { title, start, use } of pages) {
    describe(title, () => {
      let demo: RunningDemo;
      beforeAll(async () => {
        demo = await start();
      }, 180_000);
      afterAll(async () => {
        await demo?.stop();
      });

      for (const theme of ["light", "dark"] as const) {
        it(`in the ${theme} theme, as it opens, once used, and its API page`, async () => {
          const page = await open(demo, theme);
          expect(formatViolations(await axeScan(page))).toBe("");
          await use(page);
          expect(formatViolations(await axeScan(page))).toBe("");
          // And the "Use via API" page its footer links to, where it has one.
          if ((await page.getByRole("link", { name: "Use via API" }).count()) > 0) {
            await page.getByRole("link", { name: "Use via API" }).click();
            await page.getByRole("heading", { level: 1, name: /via API/ }).waitFor();
            expect(formatViolations(await axeScan(page))).toBe("");
          }
          await page.context().close();
        });
      }
    });
  }
});
