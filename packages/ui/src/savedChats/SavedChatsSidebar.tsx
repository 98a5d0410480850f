import type { SavedChat } from "./SavedChats.ts";

export interface SavedChatsSidebarProps {
  chats: SavedChat[];
  current: string | null;
  disabled: boolean;
  onNew: () => void;
  onOpen: (chat: SavedChat) => void;
  onDelete: (chat: SavedChat) => void;
}

/**
 * The list of conversations kept in this browser: a new chat, and each past one to open or
 * delete. Delete is described by its conversation's title rather than named with it, so the
 * words of a conversation never become a control's name.
 */
export function SavedChatsSidebar({ chats, current, disabled, onNew, onOpen, onDelete }: SavedChatsSidebarProps) {
  return (
    <nav class="saved-chats" aria-label="Saved conversations">
      <button type="button" class="new-chat" disabled={disabled} onClick={onNew}>
        <span aria-hidden="true">+</span> New chat
      </button>
      {chats.length === 0 ? <p class="saved-empty">Conversations you have are kept in this browser.</p> : null}
      <ul>
        {chats.map((c) => (
          <li key={c.id} class={c.id === current ? "current" : undefined}>
            <button type="button" class="saved-open" id={`saved-${c.id}`} disabled={disabled} aria-current={c.id === current ? "true" : undefined} onClick={() => onOpen(c)} title={c.title}>
              {c.title}
            </button>
            <button type="button" class="icon saved-delete" disabled={disabled} aria-label="Delete conversation" aria-describedby={`saved-${c.id}`} title="Delete" onClick={() => onDelete(c)}>
              <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
                <path d="M6 6l12 12M18 6L6 18" />
              </svg>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
