// ChatInterface with a streaming bot that needs no model: it answers by sending your message
// back word by word, so you can try streaming, Stop, Retry, Undo, feedback and Markdown.
// Send "/long" for an answer long enough to stop half-way.
import { ChatInterface, type RunContext } from "dais";

// A stand-in for a model's per-token work; it ends early when the run is stopped.
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });

async function* reply(message: string, history: unknown[], ctx: RunContext) {
  const words = message.trim() === "/long" ? Array.from({ length: 400 }, (_, i) => `word${i}`) : message.split(/(?<=\s)/);
  let text = "";
  let sent = 0;
  try {
    for (const word of words) {
      if (ctx.signal.aborted) break;
      await sleep(message.trim() === "/long" ? 40 : 15, ctx.signal);
      text += word.startsWith("word") ? `${word} ` : word;
      sent++;
      yield text;
    }
  } finally {
    // What the model loop did, for the operator (and the e2e test that checks Stop stops it).
    console.log(`[chat] turn ${history.length / 2 + 1}: streamed ${sent} of ${words.length} words${ctx.signal.aborted ? " (stopped)" : ""}`);
  }
}

await new ChatInterface({
  fn: reply,
  title: "Streaming chat",
  description: "A bot that streams your message back, word by word. Markdown, code and LaTeX render as you type them.",
  placeholder: "**Say something**, or pick an example.",
  examples: [
    "Hello! How are you today?",
    "A table:\n\n| fruit | price |\n| --- | --- |\n| apple | $5 |\n| pear | $10 |",
    "Some maths: \\( e^{i\\pi} + 1 = 0 \\) and $$\\int_0^1 x^2\\,dx = \\tfrac13$$",
    "```ts\nconst greet = (name: string) => `Hello, ${name}!`;\n```",
  ],
}).launch();
