import { componentKinds } from "@dais/core";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser.ts";
import { type RunningDemo, startApp } from "./demo.ts";

// The DOM contract every component keeps, as Gradio's js/ tests it: it shows its label (and is
// named by it), a run can hide it, it is editable only when interactive, and its value makes the
// round trip server -> page -> server -> page unchanged.
let app: RunningDemo;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(new URL("./fixtures/everyComponent.ts", import.meta.url).pathname), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** How to read what a person sees in each kind, and whether they could change it. */
const kinds: Record<string, { read: (l: Locator) => Promise<unknown>; editable: (l: Locator) => Promise<boolean>; expected: unknown; byLabel?: boolean }> = {
  textbox: { read: (l) => l.inputValue(), editable: (l) => l.isEditable(), expected: "set by the server" },
  number: { read: async (l) => Number(await l.inputValue()), editable: (l) => l.isEditable(), expected: 42 },
  checkbox: { read: (l) => l.isChecked(), editable: (l) => l.isEnabled(), expected: true },
  slider: { read: async (l) => Number(await l.inputValue()), editable: (l) => l.isEnabled(), expected: 7 },
  dropdown: { read: (l) => l.inputValue(), editable: (l) => l.isEnabled(), expected: "green" },
  json: { read: async (l) => JSON.parse((await l.inputValue().catch(() => l.textContent())) ?? "null"), editable: (l) => l.isEditable().catch(() => false), expected: { a: [1, 2] } },
};

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

describe("every component", () => {
  it("is in the fixture: a kind added to core without a case here fails", async () => {
    const config = (await (await fetch(`${app.url}config?format=dais`)).json()) as { components: { kind: string }[] };
    expect(new Set(config.components.map((c) => c.kind))).toEqual(new Set(componentKinds.filter((k) => k !== "state")));
  });

  it("shows its label, fills from the server, and round-trips its value through the server", async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    for (const kind of Object.keys(kinds)) {
      await field(page, `${kind} in`).waitFor();
      expect(await kinds[kind]!.editable(field(page, `${kind} in`))).toBe(true);
      // A component only a run writes is shown, not edited.
      expect(await kinds[kind]!.editable(field(page, `${kind} out`))).toBe(false);
    }
    await page.getByRole("button", { name: "Set" }).click();
    for (const [kind, k] of Object.entries(kinds)) await expect.poll(() => k.read(field(page, `${kind} in`)), { message: kind }).toEqual(k.expected);
    await expect.poll(() => page.locator("#app h1", { hasText: "Title" }).count()).toBe(1);
    expect(await page.getByText("markdown in").count()).toBe(1);
    await expect.poll(() => page.getByLabel("label in").locator("output").textContent()).toBe("cat");
    expect(await page.getByLabel("label in").locator("meter").count()).toBe(2);
    await expect.poll(async () => (await page.getByRole("log").locator(".message[data-index]").allTextContents()).map((t) => t.trim())).toEqual(["hi", "hello there"]);
    expect(await page.getByRole("button", { name: "Pressed" }).count()).toBe(1);
    await page.getByRole("button", { name: "Copy", exact: true }).click();
    for (const [kind, k] of Object.entries(kinds)) await expect.poll(() => k.read(field(page, `${kind} out`)), { message: kind }).toEqual(k.expected);
    await page.close();
  });

  it("sends what the person edits, and a run can hide every component", async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await field(page, "textbox in").fill("typed by a person");
    await field(page, "number in").fill("3.5");
    await field(page, "checkbox in").check();
    await field(page, "slider in").fill("4");
    await field(page, "dropdown in").selectOption("blue");
    await field(page, "json in").fill('{"typed": true}');
    await page.getByRole("button", { name: "Copy", exact: true }).click();
    await expect.poll(() => field(page, "textbox out").inputValue()).toBe("typed by a person");
    expect(await kinds.number!.read(field(page, "number out"))).toBe(3.5);
    expect(await field(page, "checkbox out").isChecked()).toBe(true);
    expect(await kinds.slider!.read(field(page, "slider out"))).toBe(4);
    expect(await field(page, "dropdown out").inputValue()).toBe("blue");
    expect(await kinds.json!.read(field(page, "json out"))).toEqual({ typed: true });
    await page.getByRole("button", { name: "Hide" }).click();
    for (const kind of Object.keys(kinds)) await expect.poll(() => field(page, `${kind} in`).count(), { message: kind }).toBe(0);
    await expect.poll(() => page.getByRole("log").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Pressed" }).count() + (await page.getByRole("button", { name: "Press" }).count())).toBe(0);
    // The copies were not hidden.
    expect(await field(page, "textbox out").isVisible()).toBe(true);
    await page.close();
  });
});
