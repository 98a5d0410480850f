import type { ChatMessage, GenerationOptions } from "@dais/core";
import { OpenAIError } from "./OpenAIError.ts";

/** Bounds on what one request may ask for; the body's byte limit is set where it is read. */
export const chatRequestLimits = {
  messages: 1000,
  /** Characters in one message's text. */
  messageChars: 200_000,
  stops: 4,
  stopChars: 200,
  maxTokens: 1_000_000,
  modelChars: 256,
} as const;

/** What a chat completion request means for a ChatInterface. */
export interface ChatRequest {
  model: string | undefined;
  stream: boolean;
  /** The system and developer messages, joined; undefined when there were none. */
  system: string | undefined;
  /** The turns before the last user message. */
  history: ChatMessage[];
  /** The last message, which must be the user's. */
  message: string;
  generation: GenerationOptions;
}

const bad = (message: string, param: string | null) => new OpenAIError(400, message, "invalid_request_error", param);

/**
 * Checks a `POST /v1/chat/completions` body and maps it onto a ChatInterface call. Everything in
 * it may be crafted: types, ranges and sizes are checked; fields this API cannot honour (tools,
 * several choices, images) are refused rather than silently ignored.
 */
export function parseChatRequest(body: unknown): ChatRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw bad("The body must be a JSON object.", null);
  const b = body as Record<string, unknown>;
  if (b.model !== undefined && (typeof b.model !== "string" || b.model.length > chatRequestLimits.modelChars)) throw bad("`model` must be a string.", "model");
  if (b.stream !== undefined && b.stream !== null && typeof b.stream !== "boolean") throw bad("`stream` must be a boolean.", "stream");
  if (b.n !== undefined && b.n !== null && b.n !== 1) throw bad("Only `n: 1` is supported.", "n");
  for (const unsupported of ["tools", "functions", "tool_choice", "function_call"] as const) {
    const v = b[unsupported];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== "none") throw bad(`\`${unsupported}\` is not supported by this app.`, unsupported);
  }
  const generation = parseGeneration(b);
  const { system, history, message } = parseMessages(b.messages);
  return { model: b.model as string | undefined, stream: b.stream === true, system, history, message, generation };
}

function parseMessages(raw: unknown): Pick<ChatRequest, "system" | "history" | "message"> {
  if (!Array.isArray(raw) || raw.length === 0) throw bad("`messages` must be a non-empty list.", "messages");
  if (raw.length > chatRequestLimits.messages) throw bad(`\`messages\` may hold at most ${chatRequestLimits.messages} messages.`, "messages");
  const systems: string[] = [];
  const turns: ChatMessage[] = [];
  raw.forEach((m: unknown, i) => {
    const param = `messages[${i}]`;
    if (typeof m !== "object" || m === null) throw bad("Each message must be an object with `role` and `content`.", param);
    const { role, content } = m as Record<string, unknown>;
    const text = messageText(content, `${param}.content`, role === "assistant");
    if (role === "system" || role === "developer") systems.push(text);
    else if (role === "user" || role === "assistant") turns.push({ role, content: text });
    else throw bad(`Role ${JSON.stringify(role)} is not supported; use system, developer, user or assistant.`, `${param}.role`);
  });
  const last = turns.pop();
  if (!last || last.role !== "user") throw bad("The last message (besides system ones) must be the user's.", "messages");
  if (last.content.trim() === "") throw bad("The last user message is empty.", "messages");
  return { system: systems.length > 0 ? systems.join("\n\n") : undefined, history: turns, message: last.content };
}

/** A message's text: a string, or a list of text parts (OpenAI's content parts); images are refused. */
function messageText(content: unknown, param: string, nullable: boolean): string {
  let text: string;
  if (typeof content === "string") text = content;
  else if ((content === null || content === undefined) && nullable) text = "";
  else if (Array.isArray(content) && content.length <= chatRequestLimits.messages) {
    text = content
      .map((part: unknown, i) => {
        const p = part as Record<string, unknown> | null;
        if (typeof p !== "object" || p === null || p.type !== "text" || typeof p.text !== "string") throw bad("Only text content parts are supported.", `${param}[${i}]`);
        return p.text;
      })
      .join("");
  } else throw bad("`content` must be a string or a list of text parts.", param);
  if (text.length > chatRequestLimits.messageChars) throw bad(`A message may hold at most ${chatRequestLimits.messageChars} characters.`, param);
  return text;
}

function parseGeneration(b: Record<string, unknown>): GenerationOptions {
  const given = (k: string) => b[k] !== undefined && b[k] !== null;
  const num = (k: string, min: number, max: number, integer = false): number | undefined => {
    if (!given(k)) return undefined;
    const v = b[k];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v)))
      throw bad(`\`${k}\` must be ${integer ? "a whole number" : "a number"} from ${min} to ${max}.`, k);
    return v;
  };
  const temperature = num("temperature", 0, 2);
  const topP = num("top_p", 0, 1);
  // max_completion_tokens is the newer name; either is accepted, the newer winning.
  const maxTokens = num("max_completion_tokens", 1, chatRequestLimits.maxTokens, true) ?? num("max_tokens", 1, chatRequestLimits.maxTokens, true);
  const seed = num("seed", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true);
  let stop: string[] | undefined;
  if (given("stop")) {
    const raw = typeof b.stop === "string" ? [b.stop] : b.stop;
    if (!Array.isArray(raw) || raw.length > chatRequestLimits.stops || !raw.every((s) => typeof s === "string" && s.length > 0 && s.length <= chatRequestLimits.stopChars))
      throw bad(`\`stop\` must be a string or a list of up to ${chatRequestLimits.stops} non-empty strings.`, "stop");
    stop = raw as string[];
  }
  return {
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(stop === undefined ? {} : { stop }),
    ...(seed === undefined ? {} : { seed }),
  };
}
