// A multimodal ChatInterface that needs no model: attach images, audio or any file to a
// message, see them in the bubble, and the bot says what it received (name, type, size) and
// answers in the same words, so you can see what fn is handed.
import { ChatInterface, type MultimodalMessage } from "dais";

function describe(message: MultimodalMessage): string {
  const files = message.files.map((f) => `- **${f.name}** (${f.mimeType}, ${f.size} bytes)`);
  const got = files.length === 0 ? "No files this time." : `You sent ${files.length === 1 ? "1 file" : `${files.length} files`}:\n${files.join("\n")}`;
  return message.text.trim() === "" ? got : `${got}\n\nAnd you said: ${message.text}`;
}

await new ChatInterface({
  fn: (message) => describe(message),
  multimodal: true,
  saveHistory: true,
  title: "Multimodal chat",
  description: "Attach images, audio or any file (the paper clip), with or without a message. The bot tells you what it received.",
  placeholder: "Attach a file, or say something.",
}).launch();
