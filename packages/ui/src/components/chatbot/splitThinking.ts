/** A piece of a model's reply: plain answer text, or what it wrote inside `<think>...</think>`. */
export interface ReplyPart {
  kind: "text" | "thinking";
  text: string;
  /** A thought whose `</think>` has not come yet (the model is still thinking). */
  unclosed?: true;
}

const open = "<think>";
const close = "</think>";

/**
 * Splits a reply into its thoughts and its answer, as reasoning models write them. While the
 * reply streams, a thought may not be closed yet: it is the rest of the text, marked unclosed.
 * Text with no `<think>` is one part, so ordinary replies cost one `includes`.
 * @example splitThinking("<think>2+2</think>4") // [{ kind: "thinking", text: "2+2" }, { kind: "text", text: "4" }]
 */
export function splitThinking(content: string): ReplyPart[] {
  if (!content.includes(open)) return [{ kind: "text", text: content }];
  const parts: ReplyPart[] = [];
  let at = 0;
  while (at < content.length) {
    const start = content.indexOf(open, at);
    if (start < 0) {
      pushText(parts, content.slice(at));
      break;
    }
    pushText(parts, content.slice(at, start));
    const end = content.indexOf(close, start + open.length);
    if (end < 0) {
      parts.push({ kind: "thinking", text: content.slice(start + open.length).trim(), unclosed: true });
      break;
    }
    parts.push({ kind: "thinking", text: content.slice(start + open.length, end).trim() });
    at = end + close.length;
  }
  return parts.length > 0 ? parts : [{ kind: "text", text: "" }];
}

function pushText(parts: ReplyPart[], text: string): void {
  if (text.trim() !== "") parts.push({ kind: "text", text: text.replace(/^\s+/, "") });
}
