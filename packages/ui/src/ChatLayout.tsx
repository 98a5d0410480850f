import type { ChatLayout as ChatConfig, ChatMessage, KindConfig } from "@dais/core";
import type { AppState } from "./AppState.ts";
import { ComponentView } from "./ComponentView.tsx";
import { Chatbot } from "./components/chatbot/Chatbot.tsx";
import { ErrorBanner } from "./ErrorBanner.tsx";
import { QueueStatus } from "./QueueStatus.tsx";

/**
 * ChatInterface: the conversation, a message box (Enter sends, Shift+Enter breaks the line),
 * Submit that becomes Stop while the bot answers, Retry, Undo, Clear, examples in the empty
 * chat, and additional inputs folded away.
 */
export function ChatLayout({ app, chat }: { app: AppState; chat: ChatConfig }) {
  const box = app.value(chat.textbox);
  const history = (app.value(chat.chatbot).value ?? []) as ChatMessage[];
  const running = app.busy(chat.chatbot);
  const boxConfig = app.config.components.find((c): c is KindConfig<"textbox"> => c.id === chat.textbox && c.kind === "textbox");
  const chatbotConfig = app.config.components.find((c): c is KindConfig<"chatbot"> => c.id === chat.chatbot && c.kind === "chatbot");
  if (!boxConfig || !chatbotConfig) return null;
  const send = (text = String(box.value ?? "")) => {
    if (running || text.trim() === "") return;
    box.value = text;
    app.start(chat.submit, text);
    box.value = "";
    const area = document.getElementById(`c${chat.textbox}`);
    if (area) area.style.height = "";
  };
  const examples =
    chat.examples.length > 0 ? (
      <div class="examples" role="group" aria-label="Examples">
        {chat.examples.map((e) => (
          <button type="button" class="example" onClick={() => send(e)}>
            {e}
          </button>
        ))}
      </div>
    ) : null;
  return (
    <div class="chat-page">
      <Chatbot config={chatbotConfig} value={app.value(chat.chatbot)} interactive={false} domId={`c${chat.chatbot}`} onSubmit={send} app={app} empty={examples} />
      <QueueStatus app={app} />
      <ErrorBanner app={app} />
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <textarea
          id={`c${chat.textbox}`}
          class="input"
          rows={1}
          aria-label={boxConfig.props.label ?? "Message"}
          placeholder={boxConfig.props.placeholder}
          maxLength={boxConfig.props.maxLength}
          value={String(box.value ?? "")}
          onInput={(e) => {
            const area = e.currentTarget;
            box.value = area.value;
            area.style.height = "auto";
            area.style.height = `${Math.min(area.scrollHeight, 200)}px`;
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        {running ? (
          <button type="button" class="stop" onClick={() => app.stop()}>
            Stop
          </button>
        ) : (
          <button type="submit" class="primary">
            Submit
          </button>
        )}
      </form>
      <div class="chat-actions">
        <button type="button" disabled={running || history.length === 0} onClick={() => app.start(chat.retry)}>
          ↻ Retry
        </button>
        <button type="button" disabled={running || history.length === 0} onClick={() => app.start(chat.undo)}>
          ↶ Undo
        </button>
        <button type="button" disabled={history.length === 0 && !running} onClick={() => app.clear()}>
          Clear
        </button>
      </div>
      {chat.additionalInputs.length > 0 ? (
        <details class="additional">
          <summary>Additional inputs</summary>
          {chat.additionalInputs.map((id) => {
            const config = app.config.components.find((c) => c.id === id);
            return config ? <ComponentView key={id} app={app} config={config} /> : null;
          })}
        </details>
      ) : null}
    </div>
  );
}
