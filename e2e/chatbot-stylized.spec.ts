import { describe, expect, it } from "vitest";
import { useDemo } from "./useDemo.ts";

const ctx = useDemo(import.meta.url);

describe("chatbot-stylized", () => {
  it("applies the app's theme tokens, CSS, avatars and panel layout", async () => {
    const page = await ctx.browser.newPage();
    await page.goto(`${ctx.demo.url}?theme=light`);
    await page.getByLabel("Message").fill("I feel tired.");
    await page.getByLabel("Message").press("Enter");
    await page.locator(".message.bot[data-index=\"1\"]").waitFor();
    await page.getByRole("button", { name: "Submit" }).waitFor();
    const looks = await page.evaluate(() => {
      const submit = [...document.querySelectorAll("button")].find((b) => b.textContent === "Submit")!;
      const h1 = document.querySelector("h1")!;
      const turn = document.querySelector(".message.user")!;
      return {
        accent: getComputedStyle(submit).backgroundColor,
        title: getComputedStyle(h1).textTransform,
        font: getComputedStyle(document.body).fontFamily,
        avatars: [...document.querySelectorAll(".avatar")].map((a) => a.textContent),
        userRight: getComputedStyle(turn).flexDirection,
      };
    });
    expect(looks).toEqual({ accent: "rgb(15, 118, 110)", title: "uppercase", font: "Georgia, \"Times New Roman\", serif", avatars: ["🙂", "🌿"], userRight: "row" });
    expect(await page.getByRole("log").getByText("Tell me more.").count()).toBe(1);
    await page.close();
  });

  it("uses its dark tokens in the dark theme", async () => {
    const page = await ctx.browser.newPage();
    await page.goto(`${ctx.demo.url}?theme=dark`);
    await page.getByRole("button", { name: "Submit" }).waitFor();
    expect(await page.evaluate(() => getComputedStyle([...document.querySelectorAll("button")].find((b) => b.textContent === "Submit")!).backgroundColor)).toBe("rgb(45, 212, 191)");
    await page.close();
  });
});
