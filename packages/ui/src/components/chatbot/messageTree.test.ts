import type { ChatMessage } from "@dais/core";
import { describe, expect, it } from "vitest";
import { type MessageNode, messageTree } from "./messageTree.ts";

const m = (content: string, metadata?: ChatMessage["metadata"]): ChatMessage => (metadata ? { role: "assistant", content, metadata } : { role: "assistant", content });

describe("messageTree", () => {
  it("nests a block under the message its parent_id names, at any depth", () => {
    const messages = [m("q"), m("thinking", { title: "Thinking", id: "t" }), m("search", { title: "Search", id: "s", parent_id: "t" }), m("fetch", { title: "Fetch", parent_id: "s" }), m("answer")];
    const shape = (n: MessageNode): unknown => (n.children.length ? [n.message.content, n.children.map(shape)] : n.message.content);
    expect(messageTree(messages, new WeakMap()).map(shape)).toEqual(["q", ["thinking", [["search", ["fetch"]]]], "answer"]);
  });

  it("keeps an unknown parent_id at the top level", () => {
    expect(messageTree([m("x", { title: "T", parent_id: "nope" })], new WeakMap()).map((n) => n.index)).toEqual([0]);
  });

  it("reuses unchanged nodes, so earlier turns keep their identity while a later one grows", () => {
    const cache = new WeakMap<ChatMessage, MessageNode>();
    const first = [m("a"), m("t", { title: "T", id: "t" }), m("c1", { title: "C", parent_id: "t" })];
    const before = messageTree(first, cache);
    const after = messageTree([first[0]!, first[1]!, first[2]!, m("more", { title: "C2", parent_id: "t" })], cache);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]!.children[0]).toBe(before[1]!.children[0]);
  });
});
