import { describe, expect, it } from "vitest";
import { isSafeUrl, renderMarkdown } from "./renderMarkdown.ts";

describe("renderMarkdown", () => {
  it("leaves single dollars alone: $5 and $10 are money", () => {
    const html = renderMarkdown("It costs $5 and $10, or $20 total.");
    expect(html).toBe("<p>It costs $5 and $10, or $20 total.</p>\n");
  });

  it("marks \\( \\), \\[ \\] and $$ $$ as maths, holding the TeX as text", () => {
    expect(renderMarkdown("a \\(x^2\\) b")).toContain('<span class="math-inline">x^2</span>');
    expect(renderMarkdown("$$\n\\frac{a}{b}\n$$")).toContain('<div class="math-display">\\frac{a}{b}</div>');
    expect(renderMarkdown("see \\[ a<b \\] here")).toContain('<div class="math-display">a&lt;b</div>');
  });

  it("treats an unclosed \\[ as text, quickly (Gradio froze on one)", () => {
    // Quadratic backtracking here took minutes; the test's own timeout catches a return of it.
    const text = `${"\\[ x ".repeat(2000)} no end`;
    const html = renderMarkdown(text);
    expect(html).not.toContain("math-");
  });

  it("shows raw HTML as text instead of rendering it", () => {
    expect(renderMarkdown("<b onclick=x()>hi</b> and <script>alert(1)</script>")).toBe("<p>&lt;b onclick=x()&gt;hi&lt;/b&gt; and &lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
  });

  it("drops unsafe link and image URLs but keeps their text", () => {
    expect(renderMarkdown("[x](javascript:alert(1))")).toBe("<p>x</p>\n");
    expect(renderMarkdown("![pic](data:text/html,boom)")).toBe("<p>pic</p>\n");
    expect(renderMarkdown("[ok](https://example.com)")).toBe('<p><a href="https://example.com">ok</a></p>\n');
    expect(["https://a.b", "/docs", "#top", "mailto:a@b.c", "page.html"].every(isSafeUrl)).toBe(true);
    expect(["javascript:x", " JavaScript:x", "vbscript:x", "data:text/html,x", "//evil.com"].some(isSafeUrl)).toBe(false);
  });

  it("escapes code and labels its language for highlighting", () => {
    expect(renderMarkdown("```js\nif (a < b) {}\n```")).toBe('<pre><code class="language-js">if (a &lt; b) {}</code></pre>');
  });
});
