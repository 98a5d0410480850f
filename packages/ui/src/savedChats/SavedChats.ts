import type { ChatMessage } from "@dais/core";

/** One conversation kept in the browser. */
export interface SavedChat {
  id: string;
  title: string;
  /** When it last changed (ms since 1970), for the newest-first order. */
  updated: number;
  messages: ChatMessage[];
}

/** Past this many, the oldest conversation makes room; localStorage holds about 5 MB per origin. */
export const maxSavedChats = 50;

/**
 * The conversations one app keeps in the browser (Gradio's `save_history`), in localStorage
 * under the app's own key, and which one this tab shows (in sessionStorage, so a reload keeps
 * it and another tab has its own). What storage holds is read as untrusted: another app on the
 * origin, or the person, may have written anything there, so entries that are not
 * conversations are dropped rather than shown or sent. (The server checks a conversation it
 * is handed in full, metadata included; this only keeps junk out of the list.)
 */
export class SavedChats {
  constructor(
    private readonly key: string,
    private readonly local: Storage,
    private readonly session: Storage,
  ) {}

  list(): SavedChat[] {
    let raw: unknown;
    try {
      raw = JSON.parse(this.local.getItem(this.key) ?? "[]");
    } catch {
      return [];
    }
    if (!Array.isArray(raw)) return [];
    const out: SavedChat[] = [];
    for (const item of raw as unknown[]) {
      const c = item as Partial<SavedChat> | null;
      if (typeof c !== "object" || c === null || typeof c.id !== "string" || typeof c.title !== "string" || typeof c.updated !== "number") continue;
      if (isConversation(c.messages)) out.push({ id: c.id, title: c.title, updated: c.updated, messages: c.messages });
    }
    return out.sort((a, b) => b.updated - a.updated);
  }

  get current(): string | null {
    return this.session.getItem(`${this.key}:current`);
  }

  set current(id: string | null) {
    if (id === null) this.session.removeItem(`${this.key}:current`);
    else this.session.setItem(`${this.key}:current`, id);
  }

  /** Saves the conversation this tab shows, as a new entry if it has none yet. */
  save(messages: ChatMessage[], now = Date.now()): SavedChat[] {
    const chats = this.list();
    let id = this.current;
    if (id === null || !chats.some((c) => c.id === id)) {
      id = `c${now.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
      this.current = id;
    }
    const entry: SavedChat = { id, title: titleOf(messages), updated: now, messages };
    const kept = [entry, ...chats.filter((c) => c.id !== id)].slice(0, maxSavedChats);
    this.write(kept);
    return kept;
  }

  remove(id: string): SavedChat[] {
    const kept = this.list().filter((c) => c.id !== id);
    this.write(kept);
    if (this.current === id) this.current = null;
    return kept;
  }

  /** Writes, dropping the oldest conversations while storage is full. */
  private write(chats: SavedChat[]): void {
    for (let n = chats.length; n >= 0; n--) {
      try {
        this.local.setItem(this.key, JSON.stringify(chats.slice(0, n)));
        return;
      } catch {
        // QuotaExceededError: try with one conversation fewer.
      }
    }
  }
}

/** Turns of the person and the bot, each with its text (and metadata, if any, as an object). */
function isConversation(value: unknown): value is ChatMessage[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((m: Partial<ChatMessage> | null) => typeof m === "object" && m !== null && (m.role === "user" || m.role === "assistant") && typeof m.content === "string" && (m.metadata === undefined || (typeof m.metadata === "object" && m.metadata !== null)))
  );
}

/** The first words the person wrote, as the conversation's name in the list. */
function titleOf(messages: ChatMessage[]): string {
  const first = messages.find((m) => m.role === "user")?.content ?? messages[0]?.content ?? "";
  const line = first.replace(/\s+/g, " ").trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line || "Conversation";
}
