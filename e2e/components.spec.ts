import { componentKinds } from "@dais/core";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeScan } from "./axeScan.ts";
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
  // The rows as a person reads them: each cell's box (editable) or text (read-only).
  dataframe: { read: (l) => tableRows(l), editable: async (l) => (await l.locator("input").count()) > 0 && (await l.locator("input").first().isEditable()), expected: [["b", "2"], ["a", "1"]] },
  code: { read: async (l) => l.inputValue().catch(async () => (await l.textContent())?.trim()), editable: (l) => l.isEditable().catch(() => false), expected: "print('hi')" },
  // File kinds: what a person sees is the picture (loaded, at its size) or the player, and the
  // name on its Download link; they can change it when it offers its "Upload ..." picker.
  image: { read: (l) => shownFile(l, "img"), editable: canUpload, expected: "dot.png 1×1" },
  audio: { read: (l) => shownFile(l, "audio"), editable: canUpload, expected: "tone.wav audio" },
  video: { read: (l) => shownFile(l, "video"), editable: canUpload, expected: "clip.webm video" },
  file: { read: (l) => l.locator("a[download]").allTextContents(), editable: canUpload, expected: ["notes.txt"] },
  gallery: { read: (l) => l.locator("figcaption").allTextContents(), editable: canUpload, expected: ["a red dot"] },
  // Named by its label is the text area; the attached files are listed beside it, in its field.
  multimodalTextbox: {
    read: async (l) => [await l.inputValue(), await fieldOf(l).locator("a[download]").allTextContents()],
    editable: async (l) => (await l.isEditable()) && (await canUpload(fieldOf(l))),
    expected: ["what is in it?", ["notes.txt"]],
  },
};

/** The field a control sits in (its label, hint and whatever it shows beside the control). */
function fieldOf(control: Locator): Locator {
  return control.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' field ')][1]");
}

/** A dataframe's shown rows, in the order shown. */
function tableRows(region: Locator): Promise<string[][]> {
  return region.locator("tbody tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.querySelector("input")?.value ?? td.textContent ?? "")));
}

/** How many of a canvas's pixels are drawn (not transparent): a chart with marks has many. */
function drawnPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const pixels = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) n++;
    return n;
  });
}

async function canUpload(l: Locator): Promise<boolean> {
  return (await l.locator('input[type="file"]').count()) > 0;
}

/** "<download name> <what shows it>": a picture's size once it has loaded, or the player's tag. */
async function shownFile(l: Locator, tag: "img" | "audio" | "video"): Promise<string> {
  const name = await l.locator("a[download]").getAttribute("download", { timeout: 1000 }).catch(() => null);
  const media = l.locator(tag);
  if ((await media.count()) === 0) return `${name} none`;
  const shown = await media.evaluate((m) => (m instanceof HTMLImageElement ? (m.complete && m.naturalWidth > 0 ? `${m.naturalWidth}×${m.naturalHeight}` : "loading") : m.tagName.toLowerCase()));
  return `${name} ${shown}`;
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

const dot = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");

/** Chooses a file in a file kind's picker, as a person does, and waits until it shows. */
async function upload(page: Page, label: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  await page.getByLabel(`Upload ${label}`, { exact: true }).setInputFiles(file);
  const shown = field(page, label).getByText(file.name).or(field(page, label).getByAltText(file.name, { exact: true }));
  await expect.poll(() => shown.count(), { message: label }).toBeGreaterThan(0);
}

describe("every component", () => {
  it("fetches each lazily loaded renderer once, before drawing, with no placeholder left", async () => {
    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on("request", (r) => void (r.resourceType() === "script" && scripts.push(new URL(r.url()).pathname)));
    await page.goto(app.url);
    await field(page, "dataframe in").waitFor();
    for (const kind of ["Dataframe", "Code", "Html", "Plot"]) expect(scripts.filter((s) => new RegExp(`/${kind}-[\\w]+\\.js$`).test(s)), kind).toHaveLength(1);
    expect(await page.locator("#app .loading").count()).toBe(0);
    await page.close();
  });

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
    // HTML: the markup shows, the handler the server sent is gone (and never ran).
    await expect.poll(() => page.getByLabel("html in").locator("b").textContent(), { timeout: 20_000 }).toBe("bold");
    expect(await page.getByLabel("html in").locator("img").getAttribute("onerror")).toBeNull();
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    // The plot drew bars for both rows.
    await expect.poll(() => page.getByRole("img", { name: "plot in" }).getAttribute("data-points"), { timeout: 20_000 }).toBe("2");
    expect(await drawnPixels(page.getByRole("img", { name: "plot in" }))).toBeGreaterThan(100);
    // Filled, every control is named and its text readable (WCAG AA contrast), by axe-core.
    expect(await axeScan(page)).toEqual([]);
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
    await page.getByRole("button", { name: "Add row to dataframe in" }).click();
    await page.getByRole("textbox", { name: "name, row 2" }).fill("typed");
    await page.getByRole("textbox", { name: "count, row 2" }).fill("3");
    await page.getByRole("textbox", { name: "count, row 2" }).blur();
    await field(page, "code in").fill("x = 1");
    await page.getByRole("button", { name: "Copy", exact: true }).click();
    await expect.poll(() => field(page, "textbox out").inputValue()).toBe("typed by a person");
    expect(await kinds.number!.read(field(page, "number out"))).toBe(3.5);
    expect(await field(page, "checkbox out").isChecked()).toBe(true);
    expect(await kinds.slider!.read(field(page, "slider out"))).toBe(4);
    expect(await field(page, "dropdown out").inputValue()).toBe("blue");
    expect(await kinds.json!.read(field(page, "json out"))).toEqual({ typed: true });
    await expect.poll(() => tableRows(field(page, "dataframe out")), { timeout: 20_000 }).toEqual([["z", "0"], ["typed", "3"]]);
    expect(await kinds.code!.read(field(page, "code out"))).toBe("x = 1");
    // Files the person uploads go to the server and come back into the copies.
    await upload(page, "image in", { name: "mine.png", mimeType: "image/png", buffer: dot });
    await upload(page, "audio in", { name: "mine.wav", mimeType: "audio/wav", buffer: Buffer.from("RIFF") });
    await upload(page, "video in", { name: "mine.webm", mimeType: "video/webm", buffer: Buffer.from("webm") });
    await upload(page, "file in", { name: "mine.txt", mimeType: "text/plain", buffer: Buffer.from("mine") });
    await upload(page, "gallery in", { name: "pic.png", mimeType: "image/png", buffer: dot });
    // Text and files: typed with a Shift+Enter line break, two files attached, one removed again.
    const ask = field(page, "multimodalTextbox in");
    await ask.pressSequentially("two");
    await ask.press("Shift+Enter");
    await ask.pressSequentially("lines");
    await page.getByLabel("Attach files to multimodalTextbox in", { exact: true }).setInputFiles([
      { name: "keep.txt", mimeType: "text/plain", buffer: Buffer.from("keep") },
      { name: "drop.txt", mimeType: "text/plain", buffer: Buffer.from("drop") },
    ]);
    const attached = page.getByRole("list", { name: "Files attached to multimodalTextbox in" });
    await expect.poll(() => attached.getByRole("listitem").count()).toBe(2);
    await attached.getByRole("button", { name: "Remove drop.txt" }).click();
    await expect.poll(() => attached.getByRole("listitem").count()).toBe(1);
    // Enter submits (the fixture's submit listener copies it), the text keeping its line break.
    await ask.press("Enter");
    await expect.poll(() => kinds.multimodalTextbox!.read(field(page, "multimodalTextbox out"))).toEqual(["two\nlines", ["keep.txt"]]);
    await page.getByRole("button", { name: "Copy", exact: true }).click();
    await expect.poll(() => kinds.image!.read(field(page, "image out"))).toBe("mine.png 1×1");
    await expect.poll(() => kinds.audio!.read(field(page, "audio out"))).toBe("mine.wav audio");
    await expect.poll(() => kinds.video!.read(field(page, "video out"))).toBe("mine.webm video");
    await expect.poll(() => kinds.file!.read(field(page, "file out"))).toEqual(["mine.txt"]);
    await expect.poll(() => field(page, "gallery out").locator("img").getAttribute("alt")).toBe("pic.png");
    await expect.poll(() => kinds.multimodalTextbox!.read(field(page, "multimodalTextbox out"))).toEqual(["two\nlines", ["keep.txt"]]);
    const served = await page.evaluate(async () => (await fetch(document.querySelector<HTMLAnchorElement>('[aria-labelledby$="-label"] a[download="mine.txt"]')!.href)).text());
    expect(served).toBe("mine");
    await page.getByRole("button", { name: "Hide" }).click();
    for (const kind of Object.keys(kinds)) await expect.poll(() => field(page, `${kind} in`).count(), { message: kind }).toBe(0);
    await expect.poll(() => page.getByRole("log").count()).toBe(0);
    expect(await page.getByLabel("html in").count()).toBe(0);
    expect(await page.getByRole("img", { name: "plot in" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Pressed" }).count() + (await page.getByRole("button", { name: "Press" }).count())).toBe(0);
    // The copies were not hidden.
    expect(await field(page, "textbox out").isVisible()).toBe(true);
    await page.close();
  });
});
