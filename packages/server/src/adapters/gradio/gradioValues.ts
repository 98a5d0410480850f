import type { AnyComponent } from "@dais/core";

/**
 * Values where Dais's wire shape and Gradio's differ. Only the chatbot does: Gradio 6 gives each
 * message a list of content parts (`[{type: "text", text}]`), Dais a string. Everything else
 * (text, numbers, labels, JSON) is the same on both wires.
 */
export function toGradio(component: AnyComponent | undefined, value: unknown, base?: string): unknown {
  if (base !== undefined && component && fileKinds.has(component.kind)) return absoluteFileUrls(value, base);
  if (component?.kind !== "chatbot" || !Array.isArray(value)) return value;
  return value.map((m: unknown) => {
    if (typeof m !== "object" || m === null) return m;
    const message = m as { role?: unknown; content?: unknown };
    return { ...message, content: typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content };
  });
}

/**
 * A value from a program to Dais's wire shape. Chat messages may come as Gradio 6 sends them
 * (content parts, whose text is joined) or as plain `{role, content}`; anything else is passed
 * on for the component's own check to accept or refuse.
 */
export function fromGradio(component: AnyComponent | undefined, value: unknown): unknown {
  if (component?.kind !== "chatbot" || !Array.isArray(value)) return value;
  return value.map((m: unknown) => {
    if (typeof m !== "object" || m === null) return m;
    const message = m as { role?: unknown; content?: unknown };
    if (!Array.isArray(message.content)) return message;
    const text = message.content
      .map((part: unknown) => (typeof part === "string" ? part : typeof part === "object" && part !== null && typeof (part as { text?: unknown }).text === "string" ? (part as { text: string }).text : ""))
      .join("");
    return { role: message.role, content: text };
  });
}

const fileKinds = new Set(["image", "audio", "video", "file", "gallery", "multimodalTextbox"]);

/**
 * File values with their URLs made absolute (`http://host/gradio_api/file=...`), as Gradio sends
 * them: a program fetches the URL as it is, with no page to resolve it against.
 */
function absoluteFileUrls(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((v) => absoluteFileUrls(v, base));
  if (typeof value !== "object" || value === null) return value;
  const o = value as Record<string, unknown>;
  if ("image" in o && typeof o.image === "object") return { ...o, image: absoluteFileUrls(o.image, base) };
  if ("files" in o && Array.isArray(o.files)) return { ...o, files: absoluteFileUrls(o.files, base) };
  return typeof o.url === "string" && o.url.startsWith("gradio_api/file=") ? { ...o, url: new URL(o.url, base).href } : o;
}
