import { Interface, textbox } from "dais";

// Reversed by grapheme (what a reader sees as one character), so emoji and accents survive.
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const reverse = (text: string) => Array.from(graphemes.segment(text), (g) => g.segment).reverse().join("");

type Pair = [string, string];

// Your chatbot: the message and this tab's history in, the chat and the new history out.
function predict(message: string, history: Pair[] | null) {
  const past = history ?? [];
  const next: Pair[] = [...past, [message, reverse(message)]];
  return [next, next];
}

// The message box grows to 6 lines: Enter sends, Shift+Enter starts a new line.
await new Interface({ fn: predict, inputs: [textbox({ label: "Message", maxLines: 6 }), "state"], outputs: ["chatbot", "state"], title: "My chatbot" }).launch();
