import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser.ts";
import { type RunningDemo, startApp } from "./demo.ts";
import { xssCorpus } from "./xssCorpus.ts";

// The html component shows an app's markup through the sanitizer. Here the app echoes what a
// person typed, so every vector of the XSS corpus reaches the page as HTML from the server.
let app: RunningDemo;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(new URL("./fixtures/htmlEcho.ts", import.meta.url).pathname), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("html component", () => {
  for (const sanitizer of ["the browser's Sanitizer API", "DOMPurify"]) {
    it(`keeps the whole XSS corpus inert when an app echoes it, with ${sanitizer}, and keeps the harmless markup`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      if (sanitizer === "DOMPurify") await page.addInitScript(() => delete (Element.prototype as { setHTML?: unknown }).setHTML);
      const fired: string[] = [];
      page.on("dialog", (d) => {
        fired.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      await page.exposeFunction("__xss", (what: string) => fired.push(what));
      await page.goto(app.url);
      await page.getByLabel("Markup").fill(`<p class="ok">Plain <b>bold</b> <a href="https://example.org/">a link</a></p>\n${xssCorpus.join("\n")}`);
      await page.getByRole("button", { name: "Show" }).click();
      const shown = page.getByRole("region", { name: "Shown" });
      await expect.poll(() => shown.locator("p.ok b").textContent(), { timeout: 20_000 }).toBe("bold");
      await page.waitForLoadState("networkidle");
      for (const link of await shown.locator("a").all()) await link.click({ modifiers: ["Control"] }).catch(() => undefined);
      const dangerous = await shown.evaluate((root) => {
        const found: string[] = [];
        for (const el of root.querySelectorAll("*")) {
          // Inert SVG and MathML may stay (the browser's sanitizer keeps them, stripped of
          // scripts and handlers, which the checks below would find).
          if (/^(script|iframe|object|embed|form|style|link|meta|base|template|noscript|body)$/i.test(el.tagName)) found.push(`<${el.tagName}>`);
          for (const attr of el.attributes) {
            if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}`);
            if (/^(href|src|action|data|srcdoc|formaction|style)$/i.test(attr.name) && /javascript:|data:text/i.test(attr.value)) found.push(`${el.tagName} ${attr.name}=${attr.value}`);
          }
        }
        return found;
      });
      expect(fired).toEqual([]);
      expect(dangerous).toEqual([]);
      // A link to a site stays, opening in a new tab without the page's window.
      expect(await shown.getByRole("link", { name: "a link" }).getAttribute("rel")).toBe("noopener noreferrer");
      await context.close();
    });
  }
});
