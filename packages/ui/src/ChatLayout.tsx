import type { ChatLayout as ChatConfig, ChatMessage, FileData, KindConfig } from "@dais/core";
import { useSignal } from "@preact/signals";
import { useCallback, useMemo, useState } from "preact/hooks";
import type { AppState } from "./AppState.ts";
import { ComponentView } from "./ComponentView.tsx";
import { Chatbot } from "./components/chatbot/Chatbot.tsx";
import { ErrorBanner } from "./ErrorBanner.tsx";
import { copyText } from "./markdown/enhance.ts";
import { plainText } from "./markdown/plainText.ts";
import { QueueStatus } from "./QueueStatus.tsx";
import { chatExtras } from "./chatExtrasModule.ts";
import { useLazy } from "./useLazy.ts";

/**
 * ChatInterface: the conversation, a message box (Enter sends, Shift+Enter breaks the line),
 * Submit that becomes Stop while the bot answers, Retry, Undo, Clear, copying the chat,
 * editing a sent message, examples in the empty chat, additional inputs folded away, and with
 * `saveHistory` the conversations kept in this browser in a sidebar.
 */
export interface SavedChatsProps {
  app: AppState;
  chat: ChatConfig;
  history: ChatMessage[];
  running: boolean;
  /** The chat itself, shown beside the list. */
  page: preact.JSX.Element;
}

export function ChatLayout({ app, chat }: { app: AppState; chat: ChatConfig }) {
  const box = app.value(chat.textbox);
  const history = (app.value(chat.chatbot).value ?? []) as ChatMessage[];
  const running = app.busy(chat.chatbot);
  const boxConfig = app.config.components.find((c): c is KindConfig<"textbox"> => c.id === chat.textbox && c.kind === "textbox");
  const chatbotConfig = app.config.components.find((c): c is KindConfig<"chatbot"> => c.id === chat.chatbot && c.kind === "chatbot");
  const [copied, setCopied] = useState(false);
  const attached = useSignal<FileData[]>([]);
  const extras = useLazy(chatExtras, chat.attachments !== undefined);
  const onEdit = useCallback(
    (index: number, text: string) => {
      if (!chat.edit) return;
      // An edit while the bot answers replaces that answer: stop it, then go on from the edit.
      app.stop();
      app.value(chat.edit.request).value = { index, text };
      app.start(chat.edit.fn);
    },
    [app, chat],
  );
  if (!boxConfig || !chatbotConfig) return null;
  const send = (text = String(box.value ?? "")) => {
    // Sent mid-upload: the message goes with its files once they are up.
    if (chat.attachments !== undefined && app.hold(chat.submit, [chat.attachments], () => send(text))) return;
    const files = attached.peek();
    if (running || (text.trim() === "" && files.length === 0)) return;
    box.value = text;
    if (chat.attachments !== undefined) app.value(chat.attachments).value = files;
    app.start(chat.submit, text);
    box.value = "";
    attached.value = [];
    const area = document.getElementById(`c${chat.textbox}`);
    if (area) area.style.height = "";
  };
  const examples =
    chat.examples.length > 0 ? (
      <div class="examples" role="group" aria-label="Examples">
        {chat.examples.map((e) => (
          <Example text={e} onClick={() => send(e)} />
        ))}
      </div>
    ) : null;
  const page = (
    <div class="chat-page">
      <Chatbot
        config={chatbotConfig}
        value={app.value(chat.chatbot)}
        interactive={false}
        domId={`c${chat.chatbot}`}
        onSubmit={send}
        app={app}
        empty={examples}
        {...(chat.edit ? { onEdit } : {})}
      />
      <QueueStatus app={app} />
      <ErrorBanner app={app} />
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        {extras && chat.attachments !== undefined ? <extras.AttachFiles app={app} component={chat.attachments} attached={attached} /> : null}
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
          <button type="submit" class="primary" aria-busy={app.waiting.value.has(chat.submit) ? "true" : undefined}>
            {app.waiting.value.has(chat.submit) ? "Waiting for upload…" : "Submit"}
          </button>
        )}
      </form>
      <div class="chat-actions">
        <button type="button" disabled={history.length === 0} onClick={() => void copyText(transcript(history)).then(() => setCopied(true))} onBlur={() => setCopied(false)}>
          {copied ? "Copied" : "Copy chat"}
        </button>
        <button type="button" disabled={running || history.length === 0} onClick={() => app.start(chat.retry)}>
          <span aria-hidden="true">↻ </span>Retry
        </button>
        <button type="button" disabled={running || history.length === 0} onClick={() => app.start(chat.undo)}>
          <span aria-hidden="true">↶ </span>Undo
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
  return chat.saved ? <SavedChatsSlot app={app} chat={chat} history={history} running={running} page={page} /> : page;
}

/**
 * Saved conversations, fetched once there is one to list or to save: a first visit with an
 * empty chat has nothing for a sidebar to show, and does not pay for it. The chat keeps its
 * place in the tree when the sidebar arrives, so it is not mounted afresh (scroll, focus and
 * the live region stay).
 */
function SavedChatsSlot(props: SavedChatsProps) {
  // Any app's conversations under this path will do for the question "fetch the list?": the
  // list itself is read under this app's own key (savedChatsKey), in the chunk.
  const needed = props.history.length > 0 || Object.keys(localStorage).some((k) => k.startsWith(`dais-chats:${location.pathname}:`));
  const module = useLazy(chatExtras, needed);
  return (
    <div class={module ? "chat-with-history" : "chat-alone"}>
      {module ? <module.SavedChatsPanel {...props} /> : null}
      {props.page}
    </div>
  );
}

/** An example chip: the words of its Markdown, the full text as its tooltip. */
function Example({ text, onClick }: { text: string; onClick: () => void }) {
  const plain = useMemo(() => plainText(text), [text]);
  return (
    <button type="button" class="example" onClick={onClick} title={plain.length > 80 ? plain : undefined}>
      {plain.length > 80 ? `${plain.slice(0, 79)}…` : plain}
    </button>
  );
}

/** The whole conversation as text to paste elsewhere. */
function transcript(history: ChatMessage[]): string {
  return history
    .filter((m) => m.role !== "system")
    .map((m) => `${m.role === "user" ? "User" : m.metadata?.title ? `Assistant (${m.metadata.title})` : "Assistant"}: ${m.content}`)
    .join("\n\n");
}

