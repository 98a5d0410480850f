import type { App, AppConfig, ChatLayout, ChatMessage, LayoutNode } from "@dais/core";
import { callFn } from "../callFn.ts";
import type { Runtime } from "../../Runtime.ts";
import type { ChatRequest } from "./parseChatRequest.ts";

/**
 * The ChatInterface an OpenAI request talks to: its Submit function, called with the request's
 * last message, its additional inputs at their first values, and the history (system message
 * first) as the run's starting state; the reply is read back from its chatbot.
 */
export class ChatTarget {
  private constructor(
    private readonly chat: ChatLayout,
    private readonly historyState: number,
    private readonly extras: unknown[],
  ) {}

  /** The app's first ChatInterface, or undefined when it has none. */
  static find(app: App, config: AppConfig): ChatTarget | undefined {
    const chat = findChat(config.layout);
    if (!chat) return undefined;
    const submit = app.fns[chat.submit];
    const historyState = submit?.inputs.find((id) => app.components.get(id)?.kind === "state");
    if (historyState === undefined) return undefined;
    const extras = chat.additionalInputs.map((id) => config.components.find((c) => c.id === id)?.value ?? null);
    return new ChatTarget(chat, historyState, extras);
  }

  /** Runs the chat; `onReply` hears the reply each time it grows. Resolves with the whole reply. */
  async reply(runtime: Runtime, request: ChatRequest, signal: AbortSignal, onReply?: (reply: string) => void): Promise<string> {
    const history: ChatMessage[] = request.system === undefined ? request.history : [{ role: "system", content: request.system }, ...request.history];
    const replyIn = (values: Record<string, unknown>) => {
      const messages = values[this.chat.chatbot];
      const last = Array.isArray(messages) ? (messages[messages.length - 1] as ChatMessage | undefined) : undefined;
      return last?.role === "assistant" ? last.content : "";
    };
    const values = await callFn(runtime, {
      fn: this.chat.submit,
      data: [request.message, ...this.extras],
      states: { [this.historyState]: history },
      generation: request.generation,
      signal,
      ...(onReply ? { onPartial: (v: Record<string, unknown>) => onReply(replyIn(v)) } : {}),
    });
    return replyIn(values);
  }
}

function findChat(node: LayoutNode): ChatLayout | undefined {
  if (node.type === "chat") return node.chat;
  if (node.type === "component") return undefined;
  for (const child of node.children) {
    const found = findChat(child);
    if (found) return found;
  }
  return undefined;
}
