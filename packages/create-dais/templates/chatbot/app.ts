import { Interface } from "dais";

type Pair = [string, string];

// Your chatbot: the message and this tab's history in, the chat and the new history out.
function predict(message: string, history: Pair[] | null) {
  const past = history ?? [];
  const next: Pair[] = [...past, [message, message.split("").reverse().join("")]];
  return [next, next];
}

await new Interface({ fn: predict, inputs: ["text", "state"], outputs: ["chatbot", "state"], title: "My chatbot" }).launch();
