import { describe, expect, it } from "vitest";
import { summaryHtml } from "./summaryHtml.ts";

describe("summaryHtml", () => {
  it("renders a README summary's inline code, bold, emphasis and web links", () => {
    expect(summaryHtml("BlenderBot (`Xenova/blenderbot-400M-distill`, or `--model x`) with **streamed** replies, *fast* and _small_.")).toBe(
      "BlenderBot (<code>Xenova/blenderbot-400M-distill</code>, or <code>--model x</code>) with <strong>streamed</strong> replies, <em>fast</em> and <em>small</em>.",
    );
    expect(summaryHtml("See [Gradio](https://gradio.app/guides?a=1&b=2).")).toBe('See <a href="https://gradio.app/guides?a=1&amp;b=2" rel="noopener noreferrer">Gradio</a>.');
  });

  it("leaves snake_case words and lone asterisks as they are", () => {
    expect(summaryHtml("max_new_tokens is 2 * 3 * 4")).toBe("max_new_tokens is 2 * 3 * 4");
  });

  it("never lets a summary make a tag, an attribute or a script link", () => {
    const hostile = [
      "<script>alert(1)</script>",
      "<img src=x onerror=alert(1)>",
      "[click](javascript:alert(1))",
      "[click](data:text/html,<script>alert(1)</script>)",
      '[click](https://x.y/"onmouseover="alert(1))',
      "`<b>` **<i>x</i>** [<b>t</b>](https://ok.example)",
    ];
    for (const summary of hostile) {
      const html = summaryHtml(summary);
      // A "<" from the text is escaped, so every tag left is one of ours, with only a web link's href.
      for (const tag of html.match(/<[^>]*>/g) ?? []) expect(tag).toMatch(/^<\/?(code|strong|em|a)>$|^<a href="https?:\/\/[^"]*" rel="noopener noreferrer">$/);
    }
    expect(summaryHtml("[click](javascript:alert(1))")).toBe("[click](javascript:alert(1))");
    expect(summaryHtml("`<b>` **<i>x</i>** [<b>t</b>](https://ok.example)")).toBe(
      '<code>&lt;b&gt;</code> <strong>&lt;i&gt;x&lt;/i&gt;</strong> <a href="https://ok.example" rel="noopener noreferrer">&lt;b&gt;t&lt;/b&gt;</a>',
    );
  });
});
