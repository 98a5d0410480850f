import type { FeedbackValue } from "@dais/core";
import { useState } from "preact/hooks";
import { copyText } from "../../markdown/enhance.ts";
import { memo } from "../../memo.ts";
import { RichText } from "../RichText.tsx";
import type { MessageNode } from "./messageTree.ts";
import { useChatBlocks } from "./useChatBlocks.ts";

export interface ChatTurnProps {
  node: MessageNode;
  avatar: string | null | undefined;
  /** Who speaks, for readers who cannot see the bubbles' sides; null when the same speaker goes on. */
  speaker: string | null;
  /** The reply's number among the bot's replies, so feedback buttons say which one they rate. */
  reply: number;
  /** Which feedback buttons a bot turn gets. */
  feedbackKinds: readonly FeedbackValue[];
  given: FeedbackValue | null | undefined;
  onFeedback: (index: number, value: FeedbackValue | null) => void;
  /** Given, a user turn can be edited: the chat goes on from the new text. */
  onEdit?: ((index: number, text: string) => void) | undefined;
}

// Icons drawn inline: emoji depend on the reader's fonts, and an icon font would weigh more.
const thumb = "M2 9h3v11H2zM7 20h9.5a2 2 0 0 0 2-1.6l1.4-7A2 2 0 0 0 18 9h-5l.8-4.2a1.6 1.6 0 0 0-3-1L7 9z";
const icons: Record<FeedbackValue | "copy" | "edit", [label: string, path: string, flip?: boolean]> = {
  like: ["Like", thumb],
  dislike: ["Dislike", thumb, true],
  flag: ["Flag", "M5 21V4m0 0h11l-2 4 2 4H5"],
  copy: ["Copy", "M9 9h11v11H9zM5 15H4V4h11v1"],
  edit: ["Edit", "M4 20h4L19 9l-4-4L4 16zM14 6l4 4"],
};

function Icon({ path, flip }: { path: string; flip?: boolean | undefined }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" style={flip ? { transform: "scaleY(-1)" } : undefined}>
      <path d={path} />
    </svg>
  );
}

/**
 * One turn. Memoised on its node: streaming edits copy only the turn they change, so earlier
 * turns are never re-rendered (their DOM is left alone). A message with `metadata.title` is a
 * block (a thought, a tool call) that folds away; `<think>` in a reply is shown the same way.
 */
export const ChatTurn = memo(function ChatTurn({ node, avatar, speaker, reply, feedbackKinds, given, onFeedback, onEdit }: ChatTurnProps) {
  const { message, index } = node;
  const bot = message.role !== "user";
  const [editing, setEditing] = useState(false);
  const [copied, setCopied] = useState(false);
  // Not "message": a test (or a person's voice control) asking for "Message" means the box.
  const name = bot ? `reply ${reply}` : `prompt ${index + 1}`;
  const copy = () => void copyText(message.content).then(() => setCopied(true));
  const files = message.files ?? [];
  const special = editing || files.length > 0 || message.metadata?.title !== undefined || (bot && message.content.includes("<think>"));
  const blocks = useChatBlocks(special);
  // The speaker's heading sits before the turn, not in it: the turn's text is what was said.
  return (
    <>
      {speaker ? <h3 class="sr-only">{speaker}</h3> : null}
      <div class={`message ${bot ? "bot" : "user"}${message.metadata?.title ? " block" : ""}`} data-role={message.role} data-index={index}>
        {avatar ? <Avatar src={avatar} role={message.role} /> : null}
        <div class="bubble" dir="auto">
          {blocks && files.length > 0 && !editing ? <blocks.MessageFiles files={files} /> : null}
          {!special ? (
            <RichText text={message.content} />
          ) : !blocks ? null : editing && onEdit ? (
            <blocks.EditForm
              text={message.content}
              onCancel={() => setEditing(false)}
              onSend={(text) => {
                setEditing(false);
                onEdit(index, text);
              }}
            />
          ) : message.metadata?.title ? (
            <blocks.Block node={node} />
          ) : (
            <blocks.Content message={message} />
          )}
          {editing ? null : (
            <div class="turn-actions">
              {bot
                ? feedbackKinds.map((kind) => (
                    <button
                      type="button"
                      class="icon"
                      aria-label={`${icons[kind][0]} ${name}`}
                      title={icons[kind][0]}
                      aria-pressed={given === kind}
                      onClick={() => onFeedback(index, given === kind && kind !== "flag" ? null : kind)}
                    >
                      <Icon path={icons[kind][1]} flip={icons[kind][2]} />
                    </button>
                  ))
                : null}
              <button type="button" class="icon" aria-label={`${copied ? "Copied" : "Copy"} ${name}`} title={copied ? "Copied" : "Copy"} onClick={copy} onBlur={() => setCopied(false)}>
                <Icon path={icons.copy[1]} />
              </button>
              {!bot && onEdit ? (
                <button type="button" class="icon" aria-label={`Edit ${name}`} title="Edit" onClick={() => setEditing(true)}>
                  <Icon path={icons.edit[1]} />
                </button>
              ) : null}
            </div>
          )}
        </div>
      </div>
    </>
  );
});

/** An image URL, or a short text such as an emoji. */
function Avatar({ src, role }: { src: string; role: string }) {
  const isImage = /^(https?:|data:image\/|\/|\.\/)/.test(src);
  return (
    <div class="avatar" aria-hidden="true" data-role={role}>
      {isImage ? <img src={src} alt="" /> : <span>{src}</span>}
    </div>
  );
}
