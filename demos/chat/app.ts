// ChatInterface with a streaming bot that needs no model: it answers by sending your message
// back word by word, so you can try streaming, Stop, Retry, Undo, editing a message, feedback,
// Markdown and conversations kept in the browser. Send "/long" for an answer long enough to
// stop half-way, "/think" for a reasoning model's <think> block, "/tool" for tool-call blocks.
import { ChatInterface, type ChatMessage, type RunContext } from "dais";

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

/** A reasoning model's reply: its thoughts between <think> tags, streamed, then the answer. */
async function* think(ctx: RunContext) {
  const thought = "The person wants to see me think. I will count: one, two, three.".split(/(?<=\s)/);
  let text = "<think>";
  for (const word of thought) {
    await sleep(80, ctx.signal);
    yield (text += word);
  }
  await sleep(300, ctx.signal);
  yield (text += "</think>\n\nI counted to **three**.");
}

/** An agent's reply: a tool call shown as a block (pending, then done with its duration), a step nested in it, then the answer. */
async function* tool(ctx: RunContext) {
  const started = Date.now();
  const call = (status: "pending" | "done", content: string): ChatMessage => ({
    role: "assistant",
    content,
    metadata: { title: "🔎 Searching the web", id: "search", status, ...(status === "done" ? { duration: (Date.now() - started) / 1000 } : {}) },
  });
  const step: ChatMessage = { role: "assistant", content: "Read 3 pages about the weather.", metadata: { title: "Reading results", parent_id: "search" } };
  yield [call("pending", "Query: *weather in Lisbon*")];
  await sleep(300, ctx.signal);
  yield [call("pending", "Query: *weather in Lisbon*"), step];
  await sleep(300, ctx.signal);
  yield [call("done", "Query: *weather in Lisbon*"), step, { role: "assistant", content: "It is sunny in Lisbon." } satisfies ChatMessage];
}

async function* reply(message: string, history: unknown[], ctx: RunContext) {
  if (message.trim() === "/think") return yield* think(ctx);
  if (message.trim() === "/tool") return yield* tool(ctx);
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
  saveHistory: true,
  examples: [
    "Hello! How are you today?",
    "A table:\n\n| fruit | price |\n| --- | --- |\n| apple | $5 |\n| pear | $10 |",
    "Some maths: \\( e^{i\\pi} + 1 = 0 \\) and $$\\int_0^1 x^2\\,dx = \\tfrac13$$",
    "```ts\nconst greet = (name: string) => `Hello, ${name}!`;\n```",
    "/think",
    "/tool",
  ],
}).launch();
