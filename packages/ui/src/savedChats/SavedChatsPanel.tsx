import { useEffect, useMemo, useState } from "preact/hooks";
import type { SavedChatsProps } from "../ChatLayout.tsx";
import { type SavedChat, SavedChats } from "./SavedChats.ts";
import { SavedChatsSidebar } from "./SavedChatsSidebar.tsx";
import { savedChatsKey } from "./savedChatsKey.ts";

/**
 * The saved conversations beside the chat. The one shown is saved whenever a run has ended;
 * opening another hands it to the server as this session's history.
 */
export function SavedChatsPanel({ app, chat, history, running }: SavedChatsProps) {
  const store = useMemo(() => new SavedChats(savedChatsKey(location.pathname, app.config), localStorage, sessionStorage), [app]);
  const [chats, setChats] = useState(() => store.list());
  const [current, setCurrent] = useState(() => store.current);
  const connected = app.client.status.value === "open";
  useEffect(() => {
    if (running || !connected) return;
    if (history.length > 0) setChats(store.save(history));
    else store.current = null;
    setCurrent(store.current);
  }, [running, connected, history, store]);
  const saved = chat.saved!;
  const open = (c: SavedChat) => {
    store.current = c.id;
    setCurrent(c.id);
    // Attachments belonged to a session whose files are gone: the text of those turns is kept.
    app.value(saved.conversation).value = c.messages.map(({ files: _, ...m }) => m);
    app.start(saved.fn);
  };
  const fresh = () => {
    store.current = null;
    setCurrent(null);
    app.clear();
  };
  const remove = (c: SavedChat) => {
    const wasCurrent = store.current === c.id;
    setChats(store.remove(c.id));
    if (wasCurrent) fresh();
  };
  return <SavedChatsSidebar chats={chats} current={current} disabled={running} onNew={fresh} onOpen={open} onDelete={remove} />;
}
