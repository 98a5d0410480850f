import { describe, expect, it } from "vitest";
import { deepCopy } from "./deepCopy.ts";

describe("deepCopy", () => {
  it("copies nested data, Maps, Sets, Dates and cycles", () => {
    const source: Record<string, unknown> = { list: [{ a: 1 }], map: new Map([["k", [1]]]), set: new Set([1]), when: new Date(5) };
    source.self = source;
    const copy = deepCopy(source);
    expect(copy).not.toBe(source);
    expect(copy.self).toBe(copy);
    expect(copy.list).toEqual([{ a: 1 }]);
    expect(copy.list).not.toBe(source.list);
    expect((copy.map as Map<string, number[]>).get("k")).not.toBe((source.map as Map<string, number[]>).get("k"));
    expect((copy.when as Date).getTime()).toBe(5);
  });
  it("shares class instances, which are rarely meant to be copied", () => {
    class Model {}
    const m = new Model();
    expect(deepCopy({ m }).m).toBe(m);
  });
});
