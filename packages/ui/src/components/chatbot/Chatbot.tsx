import type { ChatMessage, FeedbackValue } from "@dais/core";
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { RendererProps } from "../../Renderer.ts";
import { ChatTurn } from "./ChatTurn.tsx";
import { RichText } from "../RichText.tsx";

const allFeedback: readonly FeedbackValue[] = ["like", "dislike", "flag"];

export interface ChatbotExtras {
  /** Shown in the empty chat under the placeholder (ChatInterface's examples). */
  empty?: ComponentChildren;
}

/**
 * The conversation: a `role="log"` region (screen readers announce new turns), user and bot
 * turns told apart, feedback on bot turns. It follows the newest turn unless the reader has
 * scrolled up; then a "Jump to newest" button appears instead.
 */
export function Chatbot({ config, value, domId, app, empty }: RendererProps<"chatbot"> & ChatbotExtras) {
  const p = config.props;
  const log = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [behind, setBehind] = useState(false);
  const messages = (value.value ?? []) as ChatMessage[];
  const pending = app.pending.value;
  const waiting = app.busy(config.id) && (pending !== null || messages.at(-1)?.role === "user");
  const kinds = p.feedback === true ? allFeedback : Array.isArray(p.feedback) ? p.feedback : [];
  const given = app.feedback.value;
  const onFeedback = useCallback((index: number, v: FeedbackValue | null) => app.giveFeedback(config.id, index, v), [app, config.id]);
  const [userAvatar, botAvatar] = p.avatars ?? [null, null];

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

  return (
    <div class={`field chatbot-field layout-${p.layout ?? "bubble"}`}>
      <span class="field-label" id={`${domId}-label`}>
        {p.label ?? "Chatbot"}
      </span>
      <div class="chatbot-frame">
        <div class="chatbot" id={domId} role="log" aria-live="polite" aria-labelledby={`${domId}-label`} ref={log} onScroll={onScroll} style={p.height ? { height: `${p.height}px` } : undefined}>
          {messages.length === 0 && pending === null ? (
            <div class="chat-empty">
              {p.placeholder ? <RichText text={p.placeholder} class="chat-placeholder" /> : null}
              {empty}
            </div>
          ) : null}
          <div class="turns" ref={turns}>
          {messages.map((m, i) => (
            <ChatTurn key={i} message={m} index={i} avatar={m.role === "user" ? userAvatar : botAvatar} feedbackKinds={kinds} given={given[`${config.id}:${i}`]} onFeedback={onFeedback} />
          ))}
          {pending !== null ? <ChatTurn key="pending" message={{ role: "user", content: pending }} index={messages.length} avatar={userAvatar} feedbackKinds={[]} given={null} onFeedback={onFeedback} /> : null}
          {waiting ? (
            <div class="message bot typing" aria-label="The bot is answering">
              <span />
              <span />
              <span />
            </div>
          ) : null}
          </div>
        </div>
        {behind ? (
          <button type="button" class="jump" onClick={jump}>
            Jump to newest ↓
          </button>
        ) : null}
      </div>
    </div>
  );
}
