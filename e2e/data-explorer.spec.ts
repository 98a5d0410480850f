import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeScan } from "./axeScan.ts";
import { useDemo } from "./useDemo.ts";

const ctx = useDemo(import.meta.url);
// A bound on waiting for a run's result to show, not a measure: a busy machine may take seconds.
const patient = { timeout: 20_000 };

/** The rows a person sees in a table, in the order shown. */
function shownRows(table: Locator): Promise<string[][]> {
  return table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.querySelector("input")?.value ?? td.textContent ?? "")));
}

/** What the chart's canvas shows: how many pixels are drawn, and a fingerprint of them. */
function canvasPicture(page: Page): Promise<{ drawn: number; picture: string }> {
  return page.getByRole("img", { name: "Cups by month" }).evaluate((c: HTMLCanvasElement) => {
    const pixels = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) drawn++;
    return { drawn, picture: c.toDataURL() };
  });
}

async function open(page: Page): Promise<void> {
  await page.goto(ctx.demo.url);
  // The load event draws the chart and fills the summary.
  await expect.poll(() => page.getByRole("img", { name: "Cups by month" }).getAttribute("data-points"), patient).toBe("6");
  await expect.poll(async () => (await shownRows(page.getByLabel("Summary")))[0], patient).toEqual(["coffee", "2840", "473.3", "380", "560"]);
}

describe("data-explorer", () => {
  it("fetches the renderers of a table and a chart, and no others", async () => {
    const page = await ctx.browser.newPage();
    const scripts: string[] = [];
    page.on("request", (r) => void (r.resourceType() === "script" && scripts.push(new URL(r.url()).pathname)));
    await open(page);
    expect(scripts.some((s) => /\/Dataframe-\w+\.js$/.test(s))).toBe(true);
    expect(scripts.some((s) => /\/Plot-\w+\.js$/.test(s))).toBe(true);
    expect(scripts.filter((s) => /\/(Code|Html)-\w+\.js$/.test(s))).toEqual([]);
    await page.close();
  });

  it("an edited cell redraws the chart and the summary; sorting orders the rows shown, and edits still land on their row", async () => {
    const page = await ctx.browser.newPage();
    await open(page);
    const before = await canvasPicture(page);
    // Bars of three drinks over six months cover a good part of the canvas.
    expect(before.drawn).toBeGreaterThan(1000);

    const janCoffee = page.getByRole("textbox", { name: "coffee, row 1" });
    await janCoffee.fill("1200");
    await janCoffee.press("Enter");
    await janCoffee.blur();
    await expect.poll(async () => (await shownRows(page.getByLabel("Summary")))[0], patient).toEqual(["coffee", "3620", "603.3", "380", "1200"]);
    await expect.poll(async () => (await canvasPicture(page)).picture, patient).not.toBe(before.picture);

    // Sort by tea, ascending then descending: the table shows the new order, the header says so.
    const sales = page.getByLabel("Sales", { exact: true });
    await page.getByRole("button", { name: "tea, sort ascending" }).click();
    await expect.poll(async () => (await shownRows(sales)).map((r) => r[2]), patient).toEqual(["200", "220", "240", "260", "290", "310"]);
    expect(await page.getByRole("columnheader", { name: /tea/ }).getAttribute("aria-sort")).toBe("ascending");
    await page.getByRole("button", { name: "tea, sort descending" }).click();
    await expect.poll(async () => (await shownRows(sales)).map((r) => r[0]), patient).toEqual(["Jan", "Feb", "Mar", "Apr", "May", "Jun"]);
    await page.getByRole("button", { name: "coffee, sort ascending" }).click();
    await expect.poll(async () => (await shownRows(sales)).map((r) => r[0]), patient).toEqual(["Feb", "Mar", "Apr", "May", "Jun", "Jan"]);

    // In the sorted view the first row shown is February's (row 2): an edit there changes February.
    const febCocoa = page.getByRole("textbox", { name: "cocoa, row 2" });
    expect(await sales.locator("tbody tr").first().getByRole("textbox", { name: "cocoa, row 2" }).count()).toBe(1);
    await febCocoa.fill("1000");
    await febCocoa.blur();
    await expect.poll(async () => (await shownRows(page.getByLabel("Summary")))[2], patient).toEqual(["cocoa", "1370", "228.3", "30", "1000"]);
    // A number the column cannot take is refused by the server with a message naming the column.
    await febCocoa.fill("lots");
    await febCocoa.blur();
    await expect.poll(() => page.getByRole("alert").textContent(), patient).toContain('a number in column "cocoa"');
    await page.close();
  });

  it("has no serious accessibility violations (names, contrast), in light and dark, after sorting", async () => {
    const page = await ctx.browser.newPage();
    await open(page);
    await page.getByRole("button", { name: "coffee, sort ascending" }).click();
    expect(await axeScan(page)).toEqual([]);
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), patient).toBe("dark");
    expect(await axeScan(page)).toEqual([]);
    await page.close();
  });

  it("running totals change the chart, not the table", async () => {
    const page = await ctx.browser.newPage();
    await open(page);
    const before = await canvasPicture(page);
    await page.getByLabel("Running totals").check();
    await expect.poll(async () => (await canvasPicture(page)).picture, patient).not.toBe(before.picture);
    expect((await shownRows(page.getByLabel("Sales", { exact: true })))[0]).toEqual(["Jan", "420", "310", "150"]);
    await page.close();
  });

  it("on a phone, tables scroll sideways inside their box and no word is broken", async () => {
    const context = await ctx.browser.newContext({ viewport: { width: 320, height: 640 }, isMobile: true });
    const page = await context.newPage();
    await open(page);
    const layout = await page.evaluate(() => {
      const box = (el: Element) => el.getBoundingClientRect();
      /** Whether every word (or, with `whole`, every text) inside `el` sits on one line. */
      const unbroken = (el: Element, whole: boolean) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
          const parts = whole ? [{ index: 0, 0: text.textContent ?? "" }] : [...(text.textContent ?? "").matchAll(/\S+/g)];
          for (const w of parts) {
            const range = document.createRange();
            range.setStart(text, w.index!);
            range.setEnd(text, w.index! + w[0].length);
            // A word broken across lines has letters on two line boxes, at two tops.
            if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) return false;
          }
        }
        return true;
      };
      const regions = [...document.querySelectorAll(".table-scroll")];
      const md = document.querySelector(".markdown table")!;
      const page = document.documentElement.clientWidth;
      return {
        pageScrollsSideways: document.documentElement.scrollWidth > page,
        // The sales table is wider than a phone: its box scrolls, and stays within the page.
        salesScrolls: regions[0]!.scrollWidth > regions[0]!.clientWidth,
        tablesWithinPage: [...regions, md].every((r) => box(r).right <= page),
        cellsOnOneLine: [...document.querySelectorAll(".dataframe th, .dataframe td")].every((c) => unbroken(c, true)),
        markdownWordsWhole: [...md.querySelectorAll("td, th")].every((c) => unbroken(c, false)),
      };
    });
    expect(layout).toEqual({ pageScrollsSideways: false, salesScrolls: true, tablesWithinPage: true, cellsOnOneLine: true, markdownWordsWhole: true });
    await context.close();
  });
});
