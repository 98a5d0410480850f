import { describe, expect, it } from "vitest";
import { ReplyDeltas } from "./ReplyDeltas.ts";

describe("ReplyDeltas", () => {
  it("sends only the new text of a growing reply", () => {
    const d = new ReplyDeltas();
    expect(["Hel", "Hello", "Hello", "Hello world"].map((r) => d.next(r))).toEqual(["Hel", "lo", "", " world"]);
    expect(d.next("Hello world", true)).toBe("");
    expect(d.text).toBe("Hello world");
  });

  it("ends before the first stop sequence, even one split across partials, and holds back a possible start", () => {
    const d = new ReplyDeltas(["\n\nUser:", "END"]);
    expect(d.next("Hi\n")).toBe("");
    expect(d.next("Hi there\n\nUs")).toBe("Hi the");
    expect(d.stopped).toBe(false);
    expect(d.next("Hi there\n\nUser: more")).toBe("re");
    expect(d.stopped).toBe(true);
    expect(d.next("Hi there\n\nUser: more and more", true)).toBe("");
    expect(d.text).toBe("Hi there");
  });

  it("releases the held-back tail at the end, and ignores a rewrite of what was sent", () => {
    const d = new ReplyDeltas(["STOP"]);
    expect(d.next("abcdef")).toBe("abc");
    expect(d.next("xyz")).toBe("");
    expect(d.next("abcdefST", true)).toBe("defST");
    expect(d.text).toBe("abcdefST");
  });
});
