import { describe, expect, it } from "vitest";
import { chatbot, toMessages } from "./chatbot.ts";

describe("chatbot", () => {
  it("turns the tutorial's [user, bot] pairs into role/content messages", () => {
    expect(chatbot().postprocess([["hi", "hello"], ["how are you?", null]])).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
      { role: "user", content: "how are you?" },
    ]);
  });

  it("passes role/content messages through, dropping extra fields", () => {
    const out = chatbot().postprocess([{ role: "system", content: "be nice", extra: 1 } as never, { role: "assistant", content: "ok" }]);
    expect(out).toEqual([
      { role: "system", content: "be nice" },
      { role: "assistant", content: "ok" },
    ]);
  });

  it("keeps a message's metadata (title, status, duration, nesting), only its known fields, ids as text", () => {
    expect(chatbot().preprocess([{ role: "assistant", content: "hm", metadata: { title: "Thinking", status: "pending", duration: 1.5, id: 3, parent_id: "a", log: "step 1", extra: "x" } }])).toEqual([
      { role: "assistant", content: "hm", metadata: { title: "Thinking", status: "pending", duration: 1.5, id: "3", parent_id: "a", log: "step 1" } },
    ]);
  });

  it("refuses metadata of the wrong shape or past its limits, from a browser or from fn", () => {
    const bad = [{ title: 1 }, { title: "t".repeat(501) }, { status: "busy" }, { duration: Infinity }, { duration: -2 }, { id: "" }, { id: 1.5 }, { parent_id: {} }, { log: "l".repeat(2001) }, [], "Thinking", null];
    for (const metadata of bad) {
      expect(() => chatbot({ label: "Chat" }).preprocess([{ role: "assistant", content: "x", metadata }])).toThrow(/"Chat" expects a list of messages/);
      expect(() => chatbot({ label: "Chat" }).postprocess([{ role: "assistant", content: "x", metadata } as never])).toThrow(/which expects/);
    }
  });

  it("treats null as an empty chat", () => expect(chatbot().postprocess(null)).toEqual([]));

  it("refuses a return value that is neither pairs nor messages", () => {
    expect(() => chatbot({ label: "Chat" }).postprocess(["just text"] as never)).toThrow(/"Chat", which expects a list of \[user, bot\] pairs/);
    expect(toMessages([["a", "b", "c"]])).toBeUndefined();
    expect(toMessages([{ role: "robot", content: "x" }])).toBeUndefined();
  });

  it("takes an initial value in either form", () => {
    expect(chatbot({ value: [["hi", "yo"]] }).initial).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "yo" },
    ]);
  });
});
