import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";
import { checkFileData, type FileData, isFileData } from "../../FileData.ts";
import { type MessageMetadata, parseMetadata } from "./messageMetadata.ts";

export const chatRoles = ["user", "assistant", "system"] as const;
export type ChatRole = (typeof chatRoles)[number];

/**
 * One turn as chat models see it; also the chatbot's wire form. With `metadata.title` it is a
 * thought or a tool call, shown as a collapsible block (see MessageMetadata).
 */
export interface ChatMessage {
  role: ChatRole;
  content: string;
  metadata?: MessageMetadata;
  /** Files sent with the message (a multimodal ChatInterface's attachments), shown in its bubble. */
  files?: FileData[];
}

/** At most this many files are shown with one message. */
export const maxMessageFiles = 20;

/** The tutorials' form: `[user, bot]`, where either side may be null while it is pending. */
export type ChatPair = readonly [user: string | null, bot: string | null];

/** What fn may return for a chatbot: pairs, role/content messages, or nothing yet. */
export type ChatbotOut = readonly ChatPair[] | readonly ChatMessage[] | null | undefined;

export interface ChatbotProps extends BaseProps {
  /** Height of the conversation area in pixels. */
  height?: number;
  /** Shown while the conversation is empty; Markdown. */
  placeholder?: string;
  /** Like/dislike and flag buttons on bot messages (`true` for all three). */
  feedback?: boolean | readonly ("like" | "dislike" | "flag")[];
  /** Avatars for the user and the bot: an image URL, or a short text such as an emoji. */
  avatars?: readonly [user: string | null, bot: string | null];
  /** Bubbles (user on the right) or full-width panels. Default bubble. */
  layout?: "bubble" | "panel";
  value?: ChatbotOut;
}

export type ChatbotComponent = Component<"chatbot", ChatMessage[], ChatbotOut, ChatMessage[], ChatbotProps>;

/**
 * A conversation. Returns from fn may be `[user, bot]` pairs (as in Gradio's tutorials) or
 * role/content messages; both become messages on the wire.
 * @example chatbot({ height: 400, placeholder: "Ask me anything" })
 */
export function chatbot(props: ChatbotProps = {}): ChatbotComponent {
  return {
    kind: "chatbot",
    props,
    initial: props.value ? toMessages(props.value) ?? [] : [],
    preprocess(raw) {
      const messages = toMessages(raw);
      if (!messages) throw invalidInput("chatbot", this.props, "a list of messages (metadata: title, status, duration, id, parent_id, log)", raw);
      return messages;
    },
    postprocess(value) {
      const messages = toMessages(value);
      if (!messages) throw invalidOutput("chatbot", this.props, "a list of [user, bot] pairs or {role, content, metadata?} messages", value);
      return messages;
    },
  };
}

/** Normalises pairs or messages to messages; undefined when the value is neither. */
export function toMessages(value: unknown): ChatMessage[] | undefined {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  const out: ChatMessage[] = [];
  for (const item of value as unknown[]) {
    if (Array.isArray(item)) {
      if (item.length !== 2 || !item.every((s) => s === null || typeof s === "string")) return undefined;
      const [user, bot] = item as [string | null, string | null];
      if (user !== null) out.push({ role: "user", content: user });
      if (bot !== null) out.push({ role: "assistant", content: bot });
    } else if (isMessage(item)) {
      const m = item as ChatMessage;
      const message: ChatMessage = { role: m.role, content: m.content };
      if (m.metadata !== undefined) {
        const metadata = parseMetadata(m.metadata);
        if (!metadata) return undefined;
        message.metadata = metadata;
      }
      if (m.files !== undefined) {
        if (!Array.isArray(m.files) || m.files.length > maxMessageFiles || !m.files.every(isFileData)) return undefined;
        message.files = m.files.map((f) => checkFileData(f, "chatbot", {}) as FileData);
      }
      out.push(message);
    } else {
      return undefined;
    }
  }
  return out;
}

function isMessage(v: unknown): v is ChatMessage {
  if (typeof v !== "object" || v === null) return false;
  const m = v as Record<string, unknown>;
  return typeof m.content === "string" && (chatRoles as readonly unknown[]).includes(m.role);
}
