import type { ChatMessage, FeedbackValue } from "@dais/core";
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { RendererProps } from "../../Renderer.ts";
import { ChatTurn } from "./ChatTurn.tsx";
import { chatExtras } from "../../chatExtrasModule.ts";
import { useLazy } from "../../useLazy.ts";
import type { MessageNode } from "./messageTree.ts";
import { RichText } from "../RichText.tsx";

const allFeedback: readonly FeedbackValue[] = ["like", "dislike", "flag"];

export interface ChatbotExtras {
  /** Shown in the empty chat under the placeholder (ChatInterface's examples). */
  empty?: ComponentChildren;
  /** Given, the person can edit a message they sent (ChatInterface's edit). */
  onEdit?: (index: number, text: string) => void;
}

/** How the turns are named for readers who cannot see which side a bubble is on. */
export const speakers = { user: "You said:", bot: "The bot said:" } as const;

/**
 * The conversation: a `role="log"` region, user and bot turns told apart (by side, and by a
 * heading for screen readers), feedback on bot turns. It follows the newest turn unless the
 * reader has scrolled up; then a "Jump to newest" button appears instead. The log itself is
 * not live: a streamed answer would be read out token by token. A separate live region
 * announces each finished answer once.
 */
export function Chatbot({ config, value, domId, app, empty, onEdit }: RendererProps<"chatbot"> & ChatbotExtras) {
  const p = config.props;
  const log = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [behind, setBehind] = useState(false);
  const messages = (value.value ?? []) as ChatMessage[];
  const pending = app.pending.value;
  const running = app.busy(config.id);
  const waiting = running && (pending !== null || messages.at(-1)?.role === "user");
  const kinds = p.feedback === true ? allFeedback : Array.isArray(p.feedback) ? p.feedback : [];
  const given = app.feedback.value;
  const onFeedback = useCallback((index: number, v: FeedbackValue | null) => app.giveFeedback(config.id, index, v), [app, config.id]);
  const [userAvatar, botAvatar] = p.avatars ?? [null, null];
  const nodes = useRef(new WeakMap<ChatMessage, MessageNode>());
  // Nesting (parent_id) is rare: its code comes with the chunk of blocks when a chat has some.
  const nested = messages.some((m) => m.metadata?.parent_id !== undefined);
  const extras = useLazy(chatExtras, nested);
  const tree = extras ? extras.messageTree(messages, nodes.current) : flatNodes(messages, nodes.current);
  const live = useRef<HTMLDivElement>(null);
  useAnnouncement(messages, running, log, live);

  const turns = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = log.current;
    if (!el) return;
    if (following.current) el.scrollTop = el.scrollHeight;
    else setBehind(true);
  });
  // Maths, highlighting and images change a turn's height after it rendered: keep following.
  useEffect(() => {
    const el = log.current;
    if (!el || !turns.current) return;
    const observer = new ResizeObserver(() => {
      if (following.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(turns.current);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const el = log.current;
    if (!el) return;
    following.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (following.current) setBehind(false);
  };
  const jump = () => {
    following.current = true;
    setBehind(false);
    log.current?.scrollTo({ top: log.current.scrollHeight });
  };

  let replies = 0;
  return (
    <div class={`field chatbot-field layout-${p.layout ?? "bubble"}`}>
      <span class="field-label" id={`${domId}-label`}>
        {p.label ?? "Chatbot"}
      </span>
      <div class="chatbot-frame">
        <div class="chatbot" id={domId} role="log" aria-live="off" aria-labelledby={`${domId}-label`} ref={log} onScroll={onScroll} style={p.height ? { height: `${p.height}px` } : undefined}>
          {messages.length === 0 && pending === null ? (
            <div class="chat-empty">
              {p.placeholder ? <RichText text={p.placeholder} class="chat-placeholder" /> : null}
              {empty}
            </div>
          ) : null}
          <div class="turns" ref={turns}>
            {tree.map((node, i) => {
              const m = node.message;
              const bot = m.role !== "user";
              if (bot && !m.metadata?.title) replies++;
              const before = tree[i - 1]?.message.role;
              const speaker = before !== undefined && (before === "user") === !bot ? null : bot ? speakers.bot : speakers.user;
              return (
                <ChatTurn
                  key={node.index}
                  node={node}
                  avatar={bot ? botAvatar : userAvatar}
                  speaker={speaker}
                  reply={replies}
                  feedbackKinds={bot && !m.metadata?.title ? kinds : []}
                  given={given[`${config.id}:${node.index}`]}
                  onFeedback={onFeedback}
                  onEdit={m.role === "user" ? onEdit : undefined}
                />
              );
            })}
            {pending !== null ? (
              <ChatTurn
                key="pending"
                node={{ message: { role: "user", content: pending }, index: messages.length, children: [] }}
                avatar={userAvatar}
                speaker={messages.at(-1)?.role === "user" ? null : speakers.user}
                reply={0}
                feedbackKinds={[]}
                given={null}
                onFeedback={onFeedback}
              />
            ) : null}
            {waiting ? (
              <div class="message bot typing" role="img" aria-label="The bot is answering">
                <span />
                <span />
                <span />
              </div>
            ) : null}
          </div>
        </div>
        <div class="sr-only" aria-live="polite" aria-atomic="true" ref={live} />
        {behind ? (
          <button type="button" class="jump" onClick={jump}>
            Jump to newest <span aria-hidden="true">↓</span>
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** Every message a turn of its own; a node is reused while its message is the same object. */
function flatNodes(messages: ChatMessage[], cache: WeakMap<ChatMessage, MessageNode>): MessageNode[] {
  return messages.map((message, index) => {
    const old = cache.get(message);
    if (old && old.index === index && old.children.length === 0) return old;
    const node = { message, index, children: [] };
    cache.set(message, node);
    return node;
  });
}

/**
 * What the live region says: the bot's answer once it is finished (the run that wrote it has
 * ended), read from the page so it is the text a reader sees, not the Markdown source. It is
 * written to the region directly, once: a screen reader may read any change to it again.
 */
function useAnnouncement(messages: ChatMessage[], running: boolean, log: { current: HTMLElement | null }, live: { current: HTMLElement | null }): void {
  const atStart = useRef<ChatMessage | undefined>(undefined);
  const wasRunning = useRef(false);
  useEffect(() => {
    if (running && !wasRunning.current) atStart.current = messages.at(-1);
    if (!running && wasRunning.current) {
      const last = messages.at(-1);
      if (last && last.role !== "user" && last !== atStart.current) {
        const bubbles = log.current?.querySelectorAll(".message.bot .bubble > .markdown, .message.bot .bubble > .fold");
        const shown = bubbles?.[bubbles.length - 1]?.textContent?.trim() ?? last.content;
        if (live.current) live.current.textContent = `${speakers.bot} ${shown}`;
      }
    }
    wasRunning.current = running;
  }, [running, messages, log, live]);
}
