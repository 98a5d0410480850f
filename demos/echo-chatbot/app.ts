// The three-line chatbot from Gradio's tutorial, in TypeScript: the bot answers with the
// message reversed, and the history lives in the session's state.
import { Interface, textbox, userError } from "dais";

// Reversed by grapheme (what a reader sees as one character), not by UTF-16 unit: an emoji, a
// flag, a family joined with ZWJ or a letter with its accent stays whole.
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const reverse = (text: string) => Array.from(graphemes.segment(text), (g) => g.segment).reverse().join("");

type Pair = [string, string];
function predict(message: string, history: Pair[] | null) {
  if (message.trim() === "") throw userError("Type a message first.");
  const past = history ?? [];
  const next: Pair[] = [...past, [message, reverse(message)]];
  return [next, next];
}

await new Interface({
  fn: predict,
  // Grows to 6 lines: Enter sends, Shift+Enter starts a new line.
  inputs: [textbox({ label: "Message", maxLines: 6, placeholder: "Type a message (Shift+Enter for a new line)" }), "state"],
  outputs: ["chatbot", "state"],
  title: "Echo chatbot",
}).launch();
