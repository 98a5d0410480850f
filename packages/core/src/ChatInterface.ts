import type { App, Launchable, QueueOptions } from "./App.ts";
import type { AppOptions } from "./AppOptions.ts";
import { type BlocksBuilder, compileApp, type Renderable } from "./BlocksBuilder.ts";
import { type Attachments, chatAttachments, type MultimodalMessage } from "./components/chatbot/chatAttachments.ts";
import { type ChatEdit, chatEdit } from "./components/chatbot/chatEdit.ts";
import type { FileData, LocalFile } from "./FileData.ts";
import { type ChatbotComponent, type ChatMessage, chatbot as makeChatbot, toMessages } from "./components/chatbot/chatbot.ts";
import { invalidInput } from "./Component.ts";
import { type TextboxComponent, textbox as makeTextbox } from "./components/textbox/textbox.ts";
import { DaisError } from "./DaisError.ts";
import { queueOptions } from "./Interface.ts";
import { deepCopy } from "./deepCopy.ts";
import type { AnyPredictFn } from "./PredictFn.ts";
import { type AnyComponent, type ComponentSpec, isState, resolveComponent, type ValueIn } from "./registry.ts";
import type { RunContext } from "./RunContext.ts";

/**
 * What fn answers at one moment: the text, or messages (a thought or a tool call is a message
 * with `metadata.title`, shown as a collapsible block; a role left out is the assistant's).
 */
export type ChatAnswer = string | ReplyMessage | readonly ReplyMessage[];
/** A message of a reply; its role defaults to the assistant's. */
export type ReplyMessage = Omit<ChatMessage, "role"> & { role?: ChatMessage["role"] };
/** A reply: the whole answer, a promise of it, or a generator yielding the whole reply so far. */
export type ChatReply = ChatAnswer | Promise<ChatAnswer> | AsyncIterable<ChatAnswer> | Iterable<string>;

/**
 * What ChatInterface calls: the new message (with `multimodal`, its text and files), the
 * history before it, extra inputs, the context.
 */
export type ChatFn<A extends readonly ComponentSpec[], M extends boolean = false> = (
  message: M extends true ? MultimodalMessage : string,
  history: ChatMessage[],
  ...rest: [...{ -readonly [K in keyof A]: ValueIn<A[K]> }, RunContext]
) => ChatReply;

export interface ChatInterfaceOptions<A extends readonly ComponentSpec[], M extends boolean = false> extends AppOptions, Omit<QueueOptions, "batch" | "maxBatchSize" | "queue"> {
  fn: NoInfer<ChatFn<A, M>>;
  /**
   * The person may attach files (images, audio, any file) to a message: they are shown in its
   * bubble, and fn receives `{ text, files }` with each file as `{ path, name, size, mimeType }`.
   */
  multimodal?: M;
  /** Extra inputs (a temperature slider, a system prompt box) passed to fn after the history. */
  additionalInputs?: A;
  /** Example messages shown in the empty chat; clicking one sends it. */
  examples?: readonly string[];
  /** A system prompt, given to fn as the first message of the history (never shown). */
  system?: string;
  /** Shown in the empty chat; Markdown. */
  placeholder?: string;
  /** A configured chatbot (height, avatars, layout, feedback). */
  chatbot?: ChatbotComponent;
  /** A configured message box. */
  textbox?: TextboxComponent;
  /** Whether the person may edit a message they sent and have the chat go on from there. Default true. */
  editable?: boolean;
  /**
   * Keep past conversations in the person's browser, listed in a sidebar (new chat, switch,
   * delete), as Gradio's `save_history`. Default false.
   */
  saveHistory?: boolean;
}

const messages = {
  empty: "Type a message first.",
  nothingToRetry: "There is no message to retry yet.",
  nothingToUndo: "There is nothing to undo yet.",
  notEditable: "Only a message you sent can be edited.",
  systemInSaved: "a saved conversation of user and assistant messages, without files",
  badReply: "text, or messages of role/content with optional metadata",
} as const;

/**
 * A chatbot page in the style of Gradio's ChatInterface: the conversation, a message box,
 * Stop, Retry, Undo and Clear, examples, and a history kept per session as role/content
 * messages. fn may return the reply or stream it (yield the whole reply so far).
 * @example
 * new ChatInterface({ fn: (message, history) => `You said: ${message}`, examples: ["Hello"] })
 */
export class ChatInterface<const A extends readonly ComponentSpec[] = [], const M extends boolean = false> implements Launchable, Renderable {
  readonly fn: ChatFn<A, M>;
  readonly additionalInputs: readonly AnyComponent[];
  readonly options: ChatInterfaceOptions<A, M>;

  constructor(options: ChatInterfaceOptions<A, M>) {
    if (typeof options.fn !== "function") throw new DaisError("internal", "ChatInterface needs `fn`, a function.");
    this.fn = options.fn as ChatFn<A, M>;
    this.additionalInputs = (options.additionalInputs ?? []).map(resolveComponent);
    if (this.additionalInputs.some(isState)) throw new DaisError("internal", "additionalInputs cannot hold a state; ChatInterface keeps the history itself.");
    this.options = options;
  }

  toApp(): App {
    return compileApp(this, this.options);
  }

  /**
   * The conversation, a composer whose Submit becomes Stop while the bot answers, Retry, Undo,
   * Clear, examples in the empty chat, and additional inputs folded away: components and
   * functions placed like any Blocks app's, shown together by the page's `chat` layout.
   */
  render(ui: BlocksBuilder): void {
    const o = this.options;
    const feedback = o.onFeedback !== undefined || (o.chatbot?.props.feedback ?? true);
    const configured = o.chatbot ?? makeChatbot({ label: "Chatbot", height: 520 });
    const chat = ui.add({ ...configured, props: { label: "Chatbot", placeholder: o.placeholder, feedback, ...configured.props } }, { place: false });
    const box = ui.add(o.textbox ?? makeTextbox({ label: "Message", placeholder: "Type a message…" }), { place: false });
    const extras = this.additionalInputs.map((c) => ui.add(c, { place: false }));
    const history = ui.state<ChatMessage[]>([]);
    // Sending and retrying both call the model: one queue and one limit for the two.
    const queue: QueueOptions = { concurrencyId: `chat-${chat.id}`, ...queueOptions(o) };
    // Attachments come after the extras, so a program's call (message, ...extras) needs none.
    const attach = o.multimodal ? ui.add(chatAttachments(), { place: false }) : undefined;
    const submit = ui.listen([{ id: box.id, event: "submit" }], { ...queue, fn: this.submit as AnyPredictFn, inputs: [box, ...extras, ...(attach ? [attach] : []), history], outputs: [chat, box, history], apiName: "chat" });
    const retry = ui.listen([], { ...queue, fn: this.retry as AnyPredictFn, inputs: [...extras, history], outputs: [chat, history], apiName: false });
    const undo = ui.listen([], { fn: this.undo as AnyPredictFn, inputs: [box, history], outputs: [chat, box, history], queue: false, apiName: false });
    // Editing a message: the page sends which message and its new text; the history is the
    // session's, cut there, so a page cannot rewrite what the bot said.
    const editRequest = ui.add(chatEdit(o.textbox?.props.maxLength), { place: false });
    const edit = o.editable === false ? undefined : ui.listen([], { ...queue, fn: this.edit as AnyPredictFn, inputs: [editRequest, ...extras, history], outputs: [chat, history], apiName: false });
    // Switching to a conversation saved in the browser: the page hands it back, checked as any
    // chatbot value is, and it becomes this session's history.
    const saved = ui.add(savedConversation(), { place: false });
    const load = o.saveHistory ? ui.listen([], { fn: this.load as AnyPredictFn, inputs: [saved], outputs: [chat, history], queue: false, apiName: false }) : undefined;
    ui.place({
      type: "chat",
      chat: {
        chatbot: chat.id,
        textbox: box.id,
        additionalInputs: extras.map((h) => h.id),
        submit: submit.fn,
        retry: retry.fn,
        undo: undo.fn,
        examples: [...(o.examples ?? [])],
        ...(edit ? { edit: { fn: edit.fn, request: editRequest.id } } : {}),
        ...(load ? { saved: { fn: load.fn, conversation: saved.id } } : {}),
        ...(attach ? { attachments: attach.id } : {}),
      },
    });
    ui.feedbackHandler ??= o.onFeedback;
  }

  /** Sends a message: shows it at once, then the reply as it grows. */
  private readonly submit = (message: string, ...rest: unknown[]) => {
    const { history, extras, ctx } = split(rest);
    const attached = this.options.multimodal ? (extras.pop() as Attachments) : undefined;
    if (message.trim() === "" && !attached?.files.length) throw new DaisError("invalid_input", messages.empty);
    return this.respond(userTurn(message, attached), history, extras, ctx, true);
  };

  /** Answers the last user message again. */
  private readonly retry = (...rest: unknown[]) => {
    const { history, extras, ctx } = split(rest);
    const last = lastUserIndex(history);
    if (last < 0) throw new DaisError("invalid_input", messages.nothingToRetry);
    return this.respond(history[last] as UserTurn, history.slice(0, last), extras, ctx, false);
  };

  /** Removes the last exchange and puts its message back in the box (over any draft there). */
  private readonly undo = (_draft: string, history: ChatMessage[]) => {
    const last = lastUserIndex(history);
    if (last < 0) throw new DaisError("invalid_input", messages.nothingToUndo);
    const kept = history.slice(0, last);
    return [kept, history[last]!.content, kept];
  };

  /** Replaces user message `index` with new text, drops what came after it, and answers again. */
  private readonly edit = (request: ChatEdit, ...rest: unknown[]) => {
    const { history, extras, ctx } = split(rest);
    if (history[request.index]?.role !== "user") throw new DaisError("invalid_input", messages.notEditable);
    const edited = { ...(history[request.index] as UserTurn), content: request.text };
    if (request.text.trim() === "" && !edited.localFiles?.length) throw new DaisError("invalid_input", messages.empty);
    return this.respond(edited, history.slice(0, request.index), extras, ctx, false);
  };

  /** Makes a conversation saved in the browser this session's history. */
  private readonly load = (conversation: ChatMessage[]) => [conversation, conversation];

  private async *respond(user: UserTurn, history: ChatMessage[], extras: unknown[], ctx: RunContext, clearBox: boolean) {
    const turn: ChatMessage[] = [...history, user];
    const message = this.options.multimodal ? { text: user.content, files: user.localFiles ?? [] } : user.content;
    const out = (messages: ChatMessage[]) => (clearBox ? [messages, "", messages] : [messages, messages]);
    yield out(turn);
    // A history that already opens with a system message (a program's, through the OpenAI API)
    // keeps it in place of the configured one.
    const shown = history.map(withoutLocalFiles);
    const given = this.options.system && history[0]?.role !== "system" ? [{ role: "system" as const, content: this.options.system }, ...shown] : shown;
    const reply = await (this.fn as (...a: unknown[]) => ChatReply)(message, deepCopy(given), ...extras, ctx);
    const answer = (content: unknown): ChatMessage[] => [...turn, ...replyMessages(content)];
    if (!isStream(reply)) {
      yield out(answer(reply));
      return;
    }
    for await (const partial of reply as AsyncIterable<unknown>) yield out(answer(partial));
  }
}

/**
 * A user turn as the history state keeps it: with its attachments' files on the server's disk
 * (`localFiles`, never sent to the page: the chatbot shows `files`), so Retry and Edit can hand
 * fn the same files again.
 */
type UserTurn = ChatMessage & { localFiles?: LocalFile[] };

function userTurn(text: string, attached: Attachments | undefined): UserTurn {
  if (!attached || attached.files.length === 0) return { role: "user", content: text };
  return { role: "user", content: text, files: attached.shown as FileData[], localFiles: attached.files };
}

/** A history message as fn sees it: the files shown with it, not the server's paths. */
function withoutLocalFiles(m: ChatMessage): ChatMessage {
  if (!("localFiles" in m)) return m;
  const { localFiles: _, ...rest } = m as UserTurn;
  return rest;
}

/** A generator or other stream of answers; an array of messages is one answer, not a stream. */
function isStream(reply: unknown): boolean {
  if (typeof reply !== "object" || reply === null) return false;
  if (Array.isArray(reply)) return reply.every((r) => typeof r === "string");
  return Symbol.asyncIterator in reply || Symbol.iterator in reply;
}

/** One answer as the messages it adds: text is one assistant message; messages are checked. */
function replyMessages(content: unknown): ChatMessage[] {
  if (typeof content === "string") return [{ role: "assistant", content }];
  if (content === null || content === undefined) return [{ role: "assistant", content: "" }];
  if (typeof content !== "object") return [{ role: "assistant", content: String(content) }];
  const list = (Array.isArray(content) ? content : [content]) as unknown[];
  const withRoles = list.map((m) => (typeof m === "object" && m !== null && !("role" in m) ? { ...m, role: "assistant" } : m));
  const checked = toMessages(withRoles);
  if (!checked) throw new DaisError("invalid_output", `ChatInterface's fn returned something else than ${messages.badReply}.`);
  return checked;
}

/** A saved conversation the page hands back: a chatbot value of user and assistant turns only. */
function savedConversation(): ChatbotComponent {
  const base = makeChatbot({ label: "Saved conversation" });
  return {
    ...base,
    preprocess(raw) {
      const list = base.preprocess(raw);
      // A system prompt would override the app's; files would be the browser's word for what a
      // past session (whose files are gone) held.
      if (list.some((m) => m.role === "system" || m.files !== undefined)) throw invalidInput("chatbot", this.props, messages.systemInSaved, raw);
      return list;
    },
  };
}

function split(rest: unknown[]): { history: ChatMessage[]; extras: unknown[]; ctx: RunContext } {
  return { extras: rest.slice(0, -2), history: rest[rest.length - 2] as ChatMessage[], ctx: rest[rest.length - 1] as RunContext };
}

function lastUserIndex(history: ChatMessage[]): number {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.role === "user") return i;
  return -1;
}
