import { describe, expect, it } from "vitest";
import { useDemo } from "./useDemo.ts";

const ctx = useDemo(import.meta.url);

describe("hello", () => {
  it("prints where it runs, and greets the name typed into the labelled box", async () => {
    expect(ctx.demo.output()).toMatch(/^Running on http:\/\/127\.0\.0\.1:\d+$/m);
    const page = await ctx.browser.newPage();
    await page.goto(ctx.demo.url);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Hello");
    await page.getByLabel("Name").fill("Ada");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect.poll(() => page.getByLabel("Greeting").inputValue()).toBe("Hello, Ada!");
    // The output box shows, it does not take input.
    expect(await page.getByLabel("Greeting").getAttribute("readonly")).not.toBeNull();
    await page.getByRole("button", { name: "Clear" }).click();
    await expect.poll(() => page.getByLabel("Greeting").inputValue()).toBe("");
    expect(await page.getByLabel("Name").inputValue()).toBe("");
    await page.close();
  });

  it("on a phone, Clear and Submit stay side by side on one row while the fields stack", async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(ctx.demo.url);
    const clear = (await page.getByRole("button", { name: "Clear" }).boundingBox())!;
    const submit = (await page.getByRole("button", { name: "Submit" }).boundingBox())!;
    expect(submit.y).toBe(clear.y);
    expect(submit.x).toBeGreaterThan(clear.x + clear.width);
    const name = (await page.getByLabel("Name").boundingBox())!;
    const greeting = (await page.getByLabel("Greeting").boundingBox())!;
    expect(greeting.y).toBeGreaterThan(name.y + name.height);
    await page.close();
  });

  it("follows a dark system from the first paint: dark while loading, the dark theme once drawn", async () => {
    const context = await ctx.browser.newContext({ colorScheme: "dark" });
    const page = await context.newPage();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    // The page as it is before its script has run: held back here, so it never runs.
    await page.route("**/app.js", (route) => route.abort());
    await page.goto(ctx.demo.url);
    await page.getByText("Loading…").waitFor();
    expect(await background()).toBe("rgb(15, 17, 21)");
    await page.unroute("**/app.js");
    await page.reload();
    await page.getByLabel("Name").waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    expect(await background()).toBe("rgb(15, 17, 21)");
    await context.close();
  });

  it("Enter in the one-line box submits", async () => {
    const page = await ctx.browser.newPage();
    await page.goto(ctx.demo.url);
    await page.getByLabel("Name").fill("Grace");
    await page.getByLabel("Name").press("Enter");
    await expect.poll(() => page.getByLabel("Greeting").inputValue()).toBe("Hello, Grace!");
    await page.close();
  });

  it("links to the Use via API page from its footer, which shows /predict and its snippets", async () => {
    const page = await ctx.browser.newPage();
    await page.goto(ctx.demo.url);
    await page.getByRole("link", { name: "Use via API" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 2 }).first().textContent()).toBe("/predict");
    expect(await page.getByText("from gradio_client import Client").count()).toBe(1);
    await page.close();
  });
});
