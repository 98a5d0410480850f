import type { ChatMessage, FeedbackValue } from "@dais/core";
import { memo } from "../../memo.ts";
import { RichText } from "../RichText.tsx";

export interface ChatTurnProps {
  message: ChatMessage;
  index: number;
  avatar: string | null | undefined;
  /** Which feedback buttons a bot turn gets. */
  feedbackKinds: readonly FeedbackValue[];
  given: FeedbackValue | null | undefined;
  onFeedback: (index: number, value: FeedbackValue | null) => void;
}

// Icons drawn inline: emoji depend on the reader's fonts, and an icon font would weigh more.
const thumb = "M2 9h3v11H2zM7 20h9.5a2 2 0 0 0 2-1.6l1.4-7A2 2 0 0 0 18 9h-5l.8-4.2a1.6 1.6 0 0 0-3-1L7 9z";
const icons: Record<FeedbackValue, [label: string, path: string, flip?: boolean]> = {
  like: ["Like", thumb],
  dislike: ["Dislike", thumb, true],
  flag: ["Flag", "M5 21V4m0 0h11l-2 4 2 4H5"],
};

function Icon({ path, flip }: { path: string; flip?: boolean | undefined }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" style={flip ? { transform: "scaleY(-1)" } : undefined}>
      <path d={path} />
    </svg>
  );
}

/**
 * One turn. Memoised on its message object: streaming edits copy only the turn they change,
 * so earlier turns are never re-rendered (their DOM is left alone).
 */
export const ChatTurn = memo(function ChatTurn({ message, index, avatar, feedbackKinds, given, onFeedback }: ChatTurnProps) {
  const bot = message.role !== "user";
  return (
    <div class={`message ${bot ? "bot" : "user"}`} data-role={message.role} data-index={index}>
      {avatar ? <Avatar src={avatar} role={message.role} /> : null}
      <div class="bubble">
        <RichText text={message.content} />
        {bot && feedbackKinds.length > 0 ? (
          <div class="turn-actions">
            {feedbackKinds.map((kind) => (
              <button
                type="button"
                class="icon"
                aria-label={icons[kind][0]}
                title={icons[kind][0]}
                aria-pressed={given === kind}
                onClick={() => onFeedback(index, given === kind && kind !== "flag" ? null : kind)}
              >
                <Icon path={icons[kind][1]} flip={icons[kind][2]} />
              </button>
            ))}
          </div>
        ) : null}
      </div>
    </div>
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
