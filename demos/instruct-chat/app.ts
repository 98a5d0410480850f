// An instruct model (Qwen2.5-0.5B-Instruct by default; SmolLM2-Instruct and others with a chat
// template by id) in a ChatInterface: role/content messages through the model's chat template,
// a system prompt, streamed replies, and Stop ends generation within a token.
// Run with `pnpm demo instruct-chat [--model <Hub id or folder>] [--dtype q4] [--system "..."]`.
import { parseArgs } from "node:util";
import { chatModel, type Dtype, exitWhenUnavailable } from "@dais/models";
import { ChatInterface } from "dais";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "onnx-community/Qwen2.5-0.5B-Instruct" },
    dtype: { type: "string", default: "q4" },
    system: { type: "string", default: "You are a helpful assistant. Answer briefly." },
  },
});
const predict = await chatModel({ model: values.model, dtype: values.dtype as Dtype, maxNewTokens: 512 }).catch(exitWhenUnavailable);

await new ChatInterface({
  fn: predict.chat,
  system: values.system,
  title: "Instruct chat",
  examples: ["What is the capital of France?", "Write a haiku about TypeScript."],
}).launch();
