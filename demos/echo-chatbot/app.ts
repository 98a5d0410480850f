// The three-line chatbot from Gradio's tutorial, in TypeScript: the bot answers with the
// message reversed, and the history lives in the session's state.
import { Interface, userError } from "dais";

type Pair = [string, string];
function predict(message: string, history: Pair[] | null) {
  if (message.trim() === "") throw userError("Type a message first.");
  const past = history ?? [];
  const next: Pair[] = [...past, [message, message.split("").reverse().join("")]];
  return [next, next];
}

await new Interface({ fn: predict, inputs: ["text", "state"], outputs: ["chatbot", "state"], title: "Echo chatbot" }).launch();
