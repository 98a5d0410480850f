import type { AppConfig } from "@dais/core";

/**
 * Where one app keeps its conversations in the browser. Every app served from one origin
 * shares its localStorage (two demos behind one proxy, or one port reused by another app), so
 * the key names the app as well as its path: its title and the kinds and labels of its
 * components. A new version of the same app (a code change) keeps its conversations.
 * @example savedChatsKey("/chat/", config) // "dais-chats:/chat/:1k3x9a"
 */
export function savedChatsKey(pathname: string, config: Pick<AppConfig, "title" | "components">): string {
  const identity = [config.title, ...config.components.map((c) => `${c.kind}:${(c.props as { label?: string }).label ?? ""}`)].join("\u0000");
  return `dais-chats:${pathname}:${fnv1a(identity)}`;
}

/** A short, stable digest (FNV-1a, 32 bits): enough to tell apps apart, not a secret. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
