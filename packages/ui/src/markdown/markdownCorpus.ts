/**
 * Markdown that is hard to stream: blocks that end, continue or change kind only once later
 * text arrives (loose lists, setext headings, tables, fences, display maths across blank
 * lines, link definitions). Streaming any of these in any chunks must end as rendering it whole.
 */
export const markdownCorpus: readonly string[] = [
  "# Plan\n\nFirst a paragraph with **bold**, _emphasis_, `code` and a [link](https://example.com).\nIt costs $5 and $10, or \\( x^2 + y^2 \\) in maths.\n\n- one\n- two with `code`\n- three\n\n```ts\nconst a: number = 1;\n\nfunction f(x: number) {\n  return x * 2;\n}\n```\n\nAfter the code, $$\\frac{1}{2}$$ inline and a display:\n\n$$\n\\int_0^1 x^2\\,dx\n$$\n\nThe end.",
  "- a\n- b\n\n- loose now\n\n  continued in the item\n\nafter the list\n\n1. first\n2. second\n   - nested\n   - more\n3. third\n",
  "| a | b |\n| --- | :-: |\n| 1 | 2 |\n| $5 | \\(x\\) |\n\nText after the table.\n\n| only a paragraph |\n",
  "text before\n$$\na + b\n\n= c\n$$\nafter the maths\n\n\\[\nx = 1\n\\]\n\nand \\[ y \\] in a line",
  "$$x$$ is neat\n\nfoo\n\n```\ncode\n```\n\nbar\n\n$$\nclosed far away",
  "see [docs][d] and [more]\n\nsome paragraph\n\n[d]: https://example.com/docs \"Docs\"\n[more]: /more\n\nthe end",
  "Title\n=====\n\nSub title\n---------\n\npara then\n---\n\n***\n\n### ATX ###\n",
  "> quoted line\nlazy continuation\n\n> second quote\n> > nested\n\nplain",
  "<div>\n\ninside *div*\n</div>\n\n<pre>\n\na < b\n\n</pre>\n\n<!-- a comment\n\nspanning -->\n\n<script>alert(1)</script>",
  "para\n    not code\n\n    code now\n\n    more code\n\nback to text",
  "Windows\r\nline endings\r\n\r\n- item\r\n- item\r\n",
  "~~~python\nprint('tilde')\n~~~\n\n```\nunclosed fence\n\nstill code",
  "a \\(x\n+ y\\) b **bold\ntext** and _it_\n\n- [ ] task\n- [x] done\n\nline with two spaces  \nbreak and ~~struck~~",
  "1) paren list\n2) second\n\n   indented paragraph in item\n\n10. other list\n11. next\n\n* star\n+ plus\n",
];
