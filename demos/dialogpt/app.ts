// Gradio's DialoGPT chatbot tutorial in TypeScript, the same shape: predict(message, history)
// where the history is the token ids of every turn, each followed by end-of-text, kept in the
// session's state. Run with `pnpm demo dialogpt [--model <Hub id or folder>] [--dtype q8]`.
import { parseArgs } from "node:util";
import { type Dtype, dialogpt, exitWhenUnavailable } from "@dais/models";
import { Interface } from "dais";

const { values } = parseArgs({ options: { model: { type: "string", default: "Xenova/DialoGPT-small" }, dtype: { type: "string" } } });
const predict = await dialogpt({ model: values.model, dtype: values.dtype as Dtype | undefined }).catch(exitWhenUnavailable);

await new Interface({ fn: predict, inputs: ["text", "state"], outputs: ["chatbot", "state"], title: "DialoGPT" }).launch();
