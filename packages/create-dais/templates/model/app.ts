import { dialogpt, exitWhenUnavailable } from "@dais/models";
import { Interface } from "dais";

// Gradio's DialoGPT chatbot. The model (about 500 MB) is downloaded once into
// ~/.cache/dais/models; DAIS_MODEL names another (a Hub id or a folder).
const predict = await dialogpt({ model: process.env.DAIS_MODEL ?? "Xenova/DialoGPT-small" }).catch(exitWhenUnavailable);

await new Interface({ fn: predict, inputs: ["text", "state"], outputs: ["chatbot", "state"], title: "DialoGPT" }).launch();
