import { describe, expect, it } from "vitest";
import { useDemo } from "./useDemo.ts";

const ctx = useDemo(import.meta.url);

describe("blocks-greeter", () => {
  it("greets as many times as the slider says and counts greetings in the session, across a reload", async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await page.goto(ctx.demo.url);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Greeter");
    await page.getByText("Say hello to someone.").waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Ada");
    await page.getByLabel("Times").fill("2");
    await page.getByRole("button", { name: "Greet" }).click();
    await expect.poll(() => page.getByLabel("Greeting", { exact: true }).inputValue()).toBe("Hello Ada! Hello Ada!");
    await expect.poll(() => page.getByLabel("Greetings so far").inputValue()).toBe("1");
    // The output box shows; it does not take input.
    expect(await page.getByLabel("Greeting", { exact: true }).getAttribute("readonly")).not.toBeNull();
    await page.getByRole("button", { name: "Greet" }).click();
    await expect.poll(() => page.getByLabel("Greetings so far").inputValue()).toBe("2");
    // The count lives in the session's state, so a reload keeps counting from it.
    await page.reload();
    await page.getByRole("button", { name: "Greet" }).click();
    await expect.poll(() => page.getByLabel("Greetings so far").inputValue()).toBe("3");
    await context.close();
  });

  it("the closed accordion opens, and typing a name updates the preview (Shout makes it loud)", async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await page.goto(ctx.demo.url);
    const preview = page.getByLabel("Preview");
    expect(await preview.isVisible()).toBe(false);
    await page.getByText("More").click();
    await preview.waitFor();
    await page.getByLabel("Name", { exact: true }).fill("grace");
    await expect.poll(() => preview.inputValue()).toBe("grace");
    await page.getByLabel("Shout").check();
    await page.getByLabel("Name", { exact: true }).fill("grace hopper");
    await expect.poll(() => preview.inputValue()).toBe("GRACE HOPPER");
    await context.close();
  });

  it("on a phone the row stacks: the button sits above the outputs, each as wide as the page", async () => {
    const context = await ctx.browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    await page.goto(ctx.demo.url);
    const greeting = (await page.getByLabel("Greeting", { exact: true }).boundingBox())!;
    const count = (await page.getByLabel("Greetings so far").boundingBox())!;
    expect(count.y).toBeGreaterThan(greeting.y + greeting.height - 1);
    expect(greeting.width).toBeGreaterThan(300);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(wide).toBe(true);
    await context.close();
  });
});
