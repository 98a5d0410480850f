import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser.ts";
import { type RunningDemo, startApp } from "./demo.ts";

// `dais run app.ts --reload`: edit the app, and the page open on it follows by itself.
const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "packages/dais/src/cli/main.ts");
mkdirSync(join(root, ".fixtures"), { recursive: true });
const dir = mkdtempSync(join(root, ".fixtures", "reload-"));
const file = join(dir, "app.ts");
const write = (title: string, label: string) =>
  writeFileSync(file, `import { Interface, textbox } from "dais";\nawait new Interface({ fn: (s: string) => s, inputs: [textbox({ label: ${JSON.stringify(label)} })], outputs: ["text"], title: ${JSON.stringify(title)} }).launch();\n`);

let app: RunningDemo;
let browser: Browser;
beforeAll(async () => {
  write("First version", "Question");
  [app, browser] = await Promise.all([startApp(cli, ["run", file, "--reload"]), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("dais run --reload", () => {
  it("restarts on a change; the open page reconnects by itself and shows the new version", async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("First version");
    write("Second version", "Prompt");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent().catch(() => ""), { timeout: 20_000, interval: 200 }).toBe("Second version");
    await page.getByLabel("Prompt").fill("still works");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect.poll(() => page.getByLabel("output", { exact: true }).inputValue()).toBe("still works");
    await page.close();
  });

  it("when the app fails to start, the open page says so and shows the error; fixed, it comes back", async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Second version");
    writeFileSync(file, `import { Interface } from "dais";\nthrow new Error("the model file is missing");\nawait new Interface({ fn: (s: string) => s, inputs: ["text"], outputs: ["text"] }).launch();\n`);
    const alert = page.getByRole("alert").filter({ hasText: "The app failed to start." });
    await expect.poll(() => alert.textContent().catch(() => ""), { timeout: 60_000, interval: 200 }).toContain("the model file is missing");
    // A page opened now gets the error too, not a refused connection.
    const fresh = await browser.newPage();
    await fresh.goto(app.url);
    expect(await fresh.getByRole("heading", { level: 1 }).textContent()).toBe("The app failed to start");
    expect(await fresh.locator("pre").textContent()).toContain("the model file is missing");
    await fresh.close();
    write("Third version", "Prompt");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent().catch(() => ""), { timeout: 60_000, interval: 200 }).toBe("Third version");
    expect(await page.getByRole("alert").filter({ hasText: "failed to start" }).count()).toBe(0);
    await page.close();
  });
});
