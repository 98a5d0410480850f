import { describe, expect, it } from "vitest";
import { markdownCorpus } from "./markdownCorpus.ts";
import { MarkdownBlocks } from "./MarkdownBlocks.ts";
import { renderMarkdown } from "./renderMarkdown.ts";

/** What a page shows after each update: kept blocks, then the open one. */
class Shown {
  kept = "";
  live = "";
  readonly blocks = new MarkdownBlocks();
  show(text: string): string {
    const u = this.blocks.update(text);
    if (u.reset) this.kept = "";
    this.kept += u.completed;
    this.live = u.live;
    return this.kept + this.live;
  }
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

function chunks(text: string, next: () => number, max: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(next() * max);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

describe("MarkdownBlocks", () => {
  it("shows exactly what rendering the text whole shows, after every chunk, whatever the chunk sizes", () => {
    for (const [d, doc] of markdownCorpus.entries()) {
      for (const [seed, max] of [[1, 1], [2, 3], [3, 7], [4, 16], [5, 40]] as const) {
        const shown = new Shown();
        let text = "";
        for (const chunk of chunks(doc, random(seed * 100 + d), max)) {
          text += chunk;
          expect(shown.show(text), `doc ${d}, seed ${seed}, at ${text.length}`).toBe(renderMarkdown(text));
        }
      }
    }
  });

  it("renders each finished block once: an update re-renders only the last block", () => {
    const blocks = new MarkdownBlocks();
    const paragraphs = Array.from({ length: 50 }, (_, i) => `Paragraph ${i} with some words.`);
    let text = "";
    for (const p of paragraphs) {
      text += `${p}\n\n`;
      const u = blocks.update(text);
      expect(u.reset).toBe(text === `${paragraphs[0]}\n\n`);
      expect(u.live).toBe(renderMarkdown(`${p}\n\n`));
    }
    const u = blocks.update(`${text}More`);
    expect(u.completed).toBe(renderMarkdown(`${paragraphs.at(-1)}\n\n`));
    expect(u.live).toBe("<p>More</p>\n");
  });

  it("starts afresh when the text is replaced rather than extended", () => {
    const blocks = new MarkdownBlocks();
    blocks.update("one\n\ntwo\n\nthree");
    const u = blocks.update("other\n\ntext");
    expect(u.reset).toBe(true);
    expect(u.completed + u.live).toBe(renderMarkdown("other\n\ntext"));
  });

  it("keeps a display formula open until its closer, even across blank lines", () => {
    const shown = new Shown();
    shown.show("$$\na\n\nb");
    expect(shown.show("$$\na\n\nb\n$$\n")).toBe('<div class="math-display">a\n\nb</div>');
  });

  it("renders a message with a link definition whole, so earlier references resolve", () => {
    const shown = new Shown();
    shown.show("see [docs]\n\nmore text\n\n");
    expect(shown.show("see [docs]\n\nmore text\n\n[docs]: https://example.com\n")).toContain('<a href="https://example.com">docs</a>');
  });
});
