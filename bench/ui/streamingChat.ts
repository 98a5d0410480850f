// The app bench/ui/streaming.ts measures: a ChatInterface whose bot streams a long Markdown
// reply (paragraphs, lists, code, a table, inline and display maths, money) one token per
// frame, as fast as the server sends. $BENCH_ASSETS picks the UI build served; $BENCH_TOKENS
// the reply's length. Run by the bench, not by hand.
import { ChatInterface } from "dais";

const words = "the model streams a long answer with words of every length so that lines wrap and blocks grow as tokens arrive".split(" ");

/** The reply as tokens (a word and the space or line break after it), ending with `end of reply`. */
function replyTokens(count: number): string[] {
  const tokens: string[] = [];
  let section = 0;
  const push = (...t: string[]) => tokens.push(...t);
  const sentence = (n: number) => {
    for (let i = 0; i < n; i++) push(`${words[(tokens.length * 7 + i) % words.length]}${i === n - 1 ? ". " : " "}`);
  };
  // Whole sections while one more surely fits, then plain words up to the length asked for.
  while (tokens.length < count - 120) {
    switch (section++ % 5) {
      case 0:
        push(`## Part ${section}\n\n`);
        sentence(30);
        push("It costs $5 ", "or $10, ", "and \\( a^2 + b^2 = c^2 \\) ", "holds; ", "**bold** ", "and `code` ", "too.\n\n");
        sentence(25);
        push("\n\n");
        break;
      case 1:
        for (let i = 0; i < 6; i++) {
          push("- ");
          sentence(8);
          push("\n");
        }
        push("\n");
        break;
      case 2:
        push("```ts\n");
        for (let i = 0; i < 8; i++) push(`const value${i} `, "= ", `compute(${i}, `, `"text"); `, "// why\n");
        push("```\n\n");
        break;
      case 3:
        push("| name ", "| price |\n", "| --- ", "| ---: |\n");
        for (let i = 0; i < 5; i++) push(`| item ${i} `, `| $${i + 1}.50 |\n`);
        push("\n");
        break;
      case 4:
        push("$$\n", "\\sum_{i=1}^{n} ", "i = \\frac{n(n+1)}{2}\n", "$$\n\n");
        sentence(20);
        push("\n\n");
        break;
    }
  }
  while (tokens.length < count - 4) push(`${words[tokens.length % words.length]} `);
  push("\n\n", "end ", "of ", "reply.");
  return tokens;
}

const count = Number(process.env.BENCH_TOKENS ?? 5000);
const tokens = replyTokens(count);

await new ChatInterface({
  // Never waits between tokens: the server's own pace.
  fn: function* () {
    let text = "";
    for (const t of tokens) {
      text += t;
      yield text;
    }
  },
  title: "Streaming bench",
}).launch(process.env.BENCH_ASSETS ? { assets: process.env.BENCH_ASSETS } : {});
