import { fileURLToPath } from "node:url";
import type { Command } from "./Command.ts";
import { installHint, missingPackages } from "./missingPackages.ts";
import { chatCommandsHelp, chatRepl } from "./chatRepl.ts";

export const chatCommand: Command = {
  summary: "Chat with a model in the terminal",
  help: `Usage: dais chat <model> [key=value ...]

Chats in the terminal with a Hugging Face model id or a model folder, replies streamed as they
are generated. config.json's model_type picks how the conversation is fed to the model: gpt2 as
DialoGPT, blenderbot as BlenderBot, anything with a chat template as an instruct model (Qwen2.5,
SmolLM2, ...). Models are downloaded once into ~/.cache/dais/models ($DAIS_MODELS_CACHE);
DAIS_OFFLINE=1 never downloads.

Generation options, as key=value (snake_case as in "transformers chat", or camelCase):
  max_new_tokens=<n>          Longest reply, in tokens
  do_sample=True|False        Sample instead of taking the most likely token
  temperature=<x>             With do_sample: below 1 sharper, above 1 flatter
  top_k=<n>                   With do_sample: keep the n most likely tokens (0: all)
  top_p=<p>                   With do_sample: keep the most likely tokens up to probability p
  repetition_penalty=<x>      Above 1 makes repeating the conversation less likely
  no_repeat_ngram_size=<n>    Never repeat an n-gram of this size
  seed=<n>                    Seed the sampler, to reproduce a reply
  dtype=fp32|q8|q4            Which weights to load (default fp32)
  system="<text>"             The system prompt (instruct models)
Unset options keep the defaults of @dais/models and the model's generation_config.json.

In the chat:
${chatCommandsHelp}

Examples:
  dais chat onnx-community/Qwen2.5-0.5B-Instruct do_sample=False max_new_tokens=10
  dais chat Xenova/DialoGPT-small top_k=50 do_sample=True seed=1
  dais chat ./models/my-model dtype=q8 system="Answer in one sentence."`,
  async run(args) {
    const [model, ...rest] = args;
    if (!model || /^\w+=/.test(model)) {
      console.error(`Name the model to chat with.\n\n${this.help}`);
      return 2;
    }
    const missing = missingPackages(fileURLToPath(import.meta.url), ["@dais/models"]);
    if (missing.length > 0) {
      console.error(installHint("dais chat", missing));
      return 1;
    }
    // Loaded here, not up front: transformers.js takes a while to import, and other commands never need it.
    const [{ ModelUnavailableError, NoChatTemplateError }, { loadChatPredict }, { ChatFlagError, parseChatFlags }] = await Promise.all([
      import("@dais/models"),
      import("./loadChatPredict.ts"),
      import("./parseChatFlags.ts"),
    ]);
    try {
      const { system, ...flags } = parseChatFlags(rest);
      console.error(`Loading ${model}…`);
      const predict = await loadChatPredict(model, flags);
      try {
        return await chatRepl(predict, { input: process.stdin, output: process.stdout, system });
      } finally {
        await predict.dispose();
      }
    } catch (e) {
      // The user's to fix, not a bug: the message alone, no stack trace.
      if (e instanceof ModelUnavailableError || e instanceof NoChatTemplateError) {
        console.error(e.message);
        return 1;
      }
      if (e instanceof ChatFlagError || e instanceof RangeError) {
        console.error(e.message);
        return 2;
      }
      throw e;
    }
  },
};
