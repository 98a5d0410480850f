import type { LayoutNode } from "@dais/core";

/** Whether a layout holds a ChatInterface (the page is then narrower, and the chat shows its own status). */
export function hasChat(node: LayoutNode): boolean {
  if (node.type === "chat") return true;
  return node.type !== "component" && node.children.some(hasChat);
}
