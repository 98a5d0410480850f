import { describe, expect, it } from "vitest";
import { splitThinking } from "./splitThinking.ts";

describe("splitThinking", () => {
  it("leaves a reply without thoughts as one text", () => expect(splitThinking("Hello <b>")).toEqual([{ kind: "text", text: "Hello <b>" }]));

  it("separates a closed thought from the answer", () => {
    expect(splitThinking("<think>\nAdd them.\n</think>\n\nIt is 4.")).toEqual([
      { kind: "thinking", text: "Add them." },
      { kind: "text", text: "It is 4." },
    ]);
  });

  it("marks a thought still streaming as unclosed", () => {
    expect(splitThinking("<think>Let me se")).toEqual([{ kind: "thinking", text: "Let me se", unclosed: true }]);
    expect(splitThinking("<think>")).toEqual([{ kind: "thinking", text: "", unclosed: true }]);
  });

  it("keeps several thoughts and texts in order", () => {
    expect(splitThinking("a<think>b</think>c<think>d</think>").map((p) => `${p.kind}:${p.text}`)).toEqual(["text:a", "thinking:b", "text:c", "thinking:d"]);
  });
});
