import type { ChatMessage } from "@dais/core";

/** A message and the blocks nested in it (through `metadata.parent_id`). */
export interface MessageNode {
  message: ChatMessage;
  index: number;
  children: readonly MessageNode[];
}

/**
 * Nests messages whose `metadata.parent_id` names an earlier message's `metadata.id` inside
 * it (a tool call inside a thought, as in Gradio). Nodes are reused from the last call when
 * their message and children are the same objects, so a memoised turn sees an unchanged prop
 * and an earlier turn is not rendered again while a later one streams.
 */
export function messageTree(messages: readonly ChatMessage[], previous: WeakMap<ChatMessage, MessageNode>): MessageNode[] {
  const drafts = messages.map((message, index) => ({ message, index, children: [] as number[] }));
  const byId = new Map<string, number>();
  const top: number[] = [];
  for (const d of drafts) {
    const parent = d.message.metadata?.parent_id;
    const at = parent === undefined ? undefined : byId.get(parent);
    if (at === undefined) top.push(d.index);
    else drafts[at]!.children.push(d.index);
    const id = d.message.metadata?.id;
    if (id !== undefined && !byId.has(id)) byId.set(id, d.index);
  }
  const finish = (i: number): MessageNode => {
    const d = drafts[i]!;
    const children = d.children.map(finish);
    const old = previous.get(d.message);
    if (old && old.index === d.index && old.children.length === children.length && old.children.every((c, k) => c === children[k])) return old;
    const node = { message: d.message, index: d.index, children };
    previous.set(d.message, node);
    return node;
  };
  return top.map(finish);
}
