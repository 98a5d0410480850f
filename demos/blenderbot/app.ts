// BlenderBot as a chatbot that streams its replies. The history is the conversation's text
// turns; the oldest are dropped so the input fits the model's 128-token window.
// Run with `pnpm demo blenderbot [--model <Hub id or folder>] [--dtype q8]`.
import { parseArgs } from "node:util";
import { blenderbot, type Dtype, exitWhenUnavailable } from "@dais/models";
import { Interface } from "dais";

const { values } = parseArgs({ options: { model: { type: "string", default: "Xenova/blenderbot-400M-distill" }, dtype: { type: "string" } } });
const predict = await blenderbot({ model: values.model, dtype: values.dtype as Dtype | undefined }).catch(exitWhenUnavailable);

await new Interface({ fn: predict.stream, inputs: ["text", "state"], outputs: ["chatbot", "state"], title: "BlenderBot" }).launch();
