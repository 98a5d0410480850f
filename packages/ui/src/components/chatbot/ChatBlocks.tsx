import type { ChatMessage } from "@dais/core";
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { RichText } from "../RichText.tsx";
import type { MessageNode } from "./messageTree.ts";
import { splitThinking } from "./splitThinking.ts";

// The parts of a turn most chats never show (thoughts, tool calls, the edit box), in a chunk
// of their own that a page loads when the first of them appears (see useChatBlocks).

/** A reply's text, with any `<think>` parts shown as thinking blocks. */
export function Content({ message }: { message: ChatMessage }) {
  if (message.role === "user") return <RichText text={message.content} />;
  const parts = splitThinking(message.content);
  if (parts.length === 1 && parts[0]!.kind === "text") return <RichText text={message.content} />;
  return (
    <>
      {parts.map((p, i) =>
        p.kind === "text" ? (
          <RichText key={i} text={p.text} />
        ) : (
          <Fold key={i} title={p.unclosed ? "Thinking…" : "Thought"} pending={p.unclosed === true}>
            <RichText text={p.text} />
          </Fold>
        ),
      )}
    </>
  );
}

/** A message with metadata: its title, status and duration over its text and nested blocks. */
export function Block({ node }: { node: MessageNode }) {
  const m = node.message.metadata ?? {};
  return (
    <Fold title={m.title ?? ""} pending={m.status === "pending"} duration={m.duration} log={m.log}>
      {node.message.content ? <RichText text={node.message.content} /> : null}
      {node.children.map((c) => (
        <div class="nested" dir="auto" data-index={c.index}>
          {c.message.metadata?.title ? <Block node={c} /> : <Content message={c.message} />}
        </div>
      ))}
    </Fold>
  );
}

/**
 * Open while its work is going (the reader sees it think), folded once done; the reader can
 * open or fold it again at will, which a later update leaves alone.
 */
function Fold({ title, pending, duration, log, children }: { title: string; pending: boolean; duration?: number | undefined; log?: string | undefined; children: ComponentChildren }) {
  return (
    <details class={`fold${pending ? " pending" : ""}`} open={pending}>
      <summary>
        {pending ? <span class="spinner" aria-hidden="true" /> : null}
        <span class="fold-title">{title}</span>
        {pending ? <span class="sr-only"> (in progress)</span> : null}
        {log ? <span class="fold-log">{log}</span> : null}
        {duration !== undefined ? <span class="fold-duration">{formatDuration(duration)}</span> : null}
      </summary>
      <div class="fold-body">{children}</div>
    </details>
  );
}

function formatDuration(seconds: number): string {
  return seconds < 60 ? `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** Editing a sent message in place: Enter or Send sends it (the chat goes on from there), Escape cancels. */
export function EditForm({ text, onSend, onCancel }: { text: string; onSend: (text: string) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState(text);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => area.current?.focus(), []);
  return (
    <form
      class="edit-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (draft.trim() !== "") onSend(draft);
      }}
    >
      <textarea
        class="input"
        aria-label="Edit your message"
        value={draft}
        ref={area}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") onCancel();
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            if (draft.trim() !== "") onSend(draft);
          }
        }}
      />
      <div class="edit-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary">
          Send
        </button>
      </div>
    </form>
  );
}

