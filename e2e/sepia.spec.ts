import { PNG } from "pngjs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useDemo } from "./useDemo.ts";

const ctx = useDemo(import.meta.url);

/** A 4×4 PNG of one colour. */
function solid(r: number, g: number, b: number): Buffer {
  const png = new PNG({ width: 4, height: 4 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([r, g, b, 255], i);
  return PNG.sync.write(png);
}

/** The sepia matrix of the demo, for a reference colour. */
const sepiaOf = (r: number, g: number, b: number) => [0.393 * r + 0.769 * g + 0.189 * b, 0.349 * r + 0.686 * g + 0.168 * b, 0.272 * r + 0.534 * g + 0.131 * b].map((v) => Math.floor(Math.min(255, v)));

/** The colour of the top-left pixel of the image a person sees under `label`, read from a canvas. */
async function shownColour(page: Page, label: string): Promise<number[] | null> {
  return page.getByRole("group", { name: label }).locator("img").evaluate((img: HTMLImageElement) => {
    if (!img.complete || img.naturalWidth === 0) return null;
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const c = canvas.getContext("2d")!;
    c.drawImage(img, 0, 0);
    return [...c.getImageData(0, 0, 1, 1).data.slice(0, 3)];
  }).catch(() => null);
}

/** Hands the page a file as a drop or a paste would (a DataTransfer made in the page). */
async function transfer(page: Page, event: "drop" | "paste", bytes: Buffer, name: string) {
  const zone = page.getByRole("group", { name: "Picture" }).locator(".file-drop");
  const data = await page.evaluateHandle(({ b64, name }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type: "image/png" }));
    return dt;
  }, { b64: bytes.toString("base64"), name });
  if (event === "drop") await zone.dispatchEvent("drop", { dataTransfer: data });
  else {
    await zone.focus();
    await zone.evaluate((el, dt) => el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true })), data);
  }
}

describe("sepia", () => {
  it("an uploaded picture comes back in sepia, shown and downloadable", async () => {
    const page = await ctx.browser.newPage();
    await page.goto(ctx.demo.url);
    await page.getByLabel("Upload Picture").setInputFiles({ name: "red.png", mimeType: "image/png", buffer: solid(200, 30, 30) });
    // The person sees their picture before they submit.
    await expect.poll(() => shownColour(page, "Picture")).toEqual([200, 30, 30]);
    await page.getByRole("button", { name: "Submit" }).click();
    await expect.poll(() => shownColour(page, "Sepia")).toEqual(sepiaOf(200, 30, 30));
    const download = page.getByRole("group", { name: "Sepia" }).getByRole("link", { name: "Download sepia.png" });
    expect(await download.getAttribute("download")).toBe("sepia.png");
    const href = await download.evaluate((a: HTMLAnchorElement) => a.href);
    const got = await page.evaluate(async (u) => {
      const r = await fetch(u);
      return { type: r.headers.get("content-type"), bytes: (await r.arrayBuffer()).byteLength };
    }, href);
    expect(got.type).toBe("image/png");
    expect(got.bytes).toBeGreaterThan(0);
    // Remove clears the input; the picker is back.
    await page.getByRole("button", { name: "Remove red.png from Picture" }).click();
    await expect.poll(() => page.getByLabel("Upload Picture").count()).toBe(1);
    await page.close();
  });

  it("takes a dropped picture, and a pasted one", async () => {
    const page = await ctx.browser.newPage();
    await page.goto(ctx.demo.url);
    await page.getByLabel("Upload Picture").waitFor();
    await transfer(page, "drop", solid(10, 120, 200), "dropped.png");
    await expect.poll(() => shownColour(page, "Picture")).toEqual([10, 120, 200]);
    await page.getByRole("button", { name: "Submit" }).click();
    await expect.poll(() => shownColour(page, "Sepia")).toEqual(sepiaOf(10, 120, 200));
    await page.getByRole("button", { name: "Remove dropped.png from Picture" }).click();
    await page.getByLabel("Upload Picture").waitFor();
    await transfer(page, "paste", solid(0, 200, 0), "pasted.png");
    await expect.poll(() => shownColour(page, "Picture")).toEqual([0, 200, 0]);
    await page.getByRole("button", { name: "Submit" }).click();
    await expect.poll(() => shownColour(page, "Sepia")).toEqual(sepiaOf(0, 200, 0));
    await page.close();
  });

  it("says what is wrong with a file that is not a picture it can read", async () => {
    const page = await ctx.browser.newPage();
    await page.goto(ctx.demo.url);
    // A GIF is an image, but not one the demo decodes: the person reads why.
    await page.getByLabel("Upload Picture").setInputFiles({ name: "x.gif", mimeType: "image/gif", buffer: Buffer.from("GIF89a") });
    await page.getByRole("group", { name: "Picture" }).getByRole("link", { name: "Download x.gif" }).waitFor();
    await page.getByRole("button", { name: "Submit" }).click();
    await expect.poll(() => page.getByText("Send a PNG or JPEG picture.").count()).toBeGreaterThan(0);
    await page.close();
  });
});
