import type { AppConfig } from "@dais/core";
import { describe, expect, it } from "vitest";
import { maxSavedChats, SavedChats } from "./SavedChats.ts";
import { savedChatsKey } from "./savedChatsKey.ts";

/** The Storage interface over a Map, with an optional quota in characters. */
class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();
  constructor(private readonly quota = Infinity) {}
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  setItem(k: string, v: string) {
    const used = [...this.map.entries()].filter(([key]) => key !== k).reduce((n, [key, val]) => n + key.length + val.length, 0);
    if (used + k.length + v.length > this.quota) throw new DOMException("full", "QuotaExceededError");
    this.map.set(k, v);
  }
}

const config = (title: string, label = "Chatbot") => ({ title, components: [{ id: 0, kind: "chatbot", props: { label } }] }) as unknown as Pick<AppConfig, "title" | "components">;
const hi = [
  { role: "user" as const, content: "hi there" },
  { role: "assistant" as const, content: "hello" },
];

describe("SavedChats", () => {
  it("keeps a tab's conversation as it grows, newest first, and names it by its first message", () => {
    const chats = new SavedChats("k", new MemoryStorage(), new MemoryStorage());
    chats.save(hi, 1);
    chats.save([...hi, { role: "user", content: "more" }], 2);
    expect(chats.list()).toMatchObject([{ title: "hi there", updated: 2, messages: { length: 3 } }]);
    chats.current = null;
    chats.save([{ role: "user", content: "second chat" }], 3);
    expect(chats.list().map((c) => c.title)).toEqual(["second chat", "hi there"]);
  });

  it("drops what is not a conversation in storage instead of showing or sending it", () => {
    const local = new MemoryStorage();
    local.setItem("k", JSON.stringify([{ id: "a", title: "ok", updated: 1, messages: hi }, { id: "b", title: "bad", updated: 2, messages: [{ role: "system", content: 1 }] }, "junk", null, { id: 3 }]));
    expect(new SavedChats("k", local, new MemoryStorage()).list().map((c) => c.id)).toEqual(["a"]);
    local.setItem("k", "{not json");
    expect(new SavedChats("k", local, new MemoryStorage()).list()).toEqual([]);
  });

  it(`keeps at most ${maxSavedChats}, and makes room when storage is full`, () => {
    const chats = new SavedChats("k", new MemoryStorage(), new MemoryStorage());
    for (let i = 0; i < maxSavedChats + 5; i++) {
      chats.current = null;
      chats.save([{ role: "user", content: `chat ${i}` }], i);
    }
    expect(chats.list()).toHaveLength(maxSavedChats);
    const small = new SavedChats("k", new MemoryStorage(400), new MemoryStorage());
    for (let i = 0; i < 10; i++) {
      small.current = null;
      small.save([{ role: "user", content: `chat number ${i}` }], i);
    }
    expect(small.list()[0]!.title).toBe("chat number 9");
    expect(small.list().length).toBeLessThan(10);
  });

  it("deleting the tab's conversation starts a new one", () => {
    const chats = new SavedChats("k", new MemoryStorage(), new MemoryStorage());
    chats.save(hi, 1);
    const id = chats.current!;
    expect(chats.remove(id)).toEqual([]);
    expect(chats.current).toBeNull();
  });
});

describe("savedChatsKey", () => {
  it("gives two apps on one origin and path their own conversations, and one app the same key across restarts", () => {
    expect(savedChatsKey("/", config("Chat A"))).not.toBe(savedChatsKey("/", config("Chat B")));
    expect(savedChatsKey("/", config("Chat", "Bot"))).not.toBe(savedChatsKey("/", config("Chat", "Assistant")));
    expect(savedChatsKey("/a/", config("Chat"))).not.toBe(savedChatsKey("/b/", config("Chat")));
    expect(savedChatsKey("/", config("Chat"))).toBe(savedChatsKey("/", config("Chat")));
  });
});
