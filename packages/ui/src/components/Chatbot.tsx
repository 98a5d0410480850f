import type { ChatbotProps, ChatMessage } from "@dais/core";
import { useSignalEffect } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { RendererProps } from "../Renderer.ts";

/**
 * The conversation: a `role="log"` region, so screen readers announce new turns, with user
 * and bot turns styled apart and the newest kept in view.
 */
export function Chatbot({ config, value, domId }: RendererProps<ChatbotProps>) {
  const p = config.props;
  const log = useRef<HTMLDivElement>(null);
  const messages = (value.value ?? []) as ChatMessage[];
  useSignalEffect(() => {
    void value.value; // re-run on every new value
    queueMicrotask(() => log.current?.scrollTo({ top: log.current.scrollHeight }));
  });
  const label = p.label ?? "Chatbot";
  return (
    <div class="field">
      <span class="field-label" id={`${domId}-label`}>
        {label}
      </span>
      <div class="chatbot" id={domId} role="log" aria-live="polite" aria-labelledby={`${domId}-label`} ref={log} style={p.height ? { height: `${p.height}px` } : undefined}>
        {messages.length === 0 && p.placeholder ? <p class="chat-placeholder">{p.placeholder}</p> : null}
        {messages.map((m) => (
          <div class={`message ${m.role === "user" ? "user" : "bot"}`} data-role={m.role}>
            {m.content}
          </div>
        ))}
      </div>
    </div>
  );
}
