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
