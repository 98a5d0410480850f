import { describe, expect, it } from "vitest";
import { applyOps, diff } from "./diff.ts";

const chat = (n: number, last = "") => [
  ...Array.from({ length: n }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `turn ${i}` })),
  ...(last ? [{ role: "assistant", content: last }] : []),
];

describe("diff", () => {
  it("sends appended text, not the whole value", () => {
    expect(diff("Hel", "Hello")).toEqual([["append", [], "lo"]]);
    expect(diff("Hello", "Help")).toEqual([["replace", [], "Help"]]);
  });

  it("a streamed token in a 1,000-turn chat is one small edit", () => {
    const ops = diff(chat(1000, "The answer is"), chat(1000, "The answer is 42"));
    expect(ops).toEqual([["append", [1000, "content"], " 42"]]);
    expect(JSON.stringify(ops).length).toBeLessThan(50);
  });

  it("new turns are added and removed turns deleted", () => {
    expect(diff(chat(2), chat(3))).toEqual([["add", [], { role: "user", content: "turn 2" }]]);
    expect(diff(chat(3), chat(1))).toEqual([["delete", [2]], ["delete", [1]]]);
  });

  it("round-trips: applying the diff gives the new value", () => {
    const pairs: [unknown, unknown][] = [
      [chat(3, "a"), chat(5)],
      [{ a: 1, b: [1, 2] }, { b: [1, 3, 4], c: "x" }],
      [null, { label: "cat", confidences: [] }],
      [[1, 2, 3], []],
      ["x", 5],
    ];
    for (const [a, b] of pairs) expect(applyOps(a, diff(a, b))).toEqual(b);
  });

  it("applyOps keeps untouched turns identical, so earlier turns are not re-rendered", () => {
    const before = chat(10, "partial");
    const after = applyOps(before, diff(before, chat(10, "partial answer"))) as typeof before;
    for (let i = 0; i < 10; i++) expect(after[i]).toBe(before[i]);
    expect(after[10]).not.toBe(before[10]);
    expect(before[10]!.content).toBe("partial");
  });
});
