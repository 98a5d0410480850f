import { describe, expect, it } from "vitest";
import { paramNames } from "./paramNames.ts";

describe("paramNames", () => {
  it("reads the names of plain, async, arrow and generator functions", () => {
    expect(paramNames(function predict(message: string, history: unknown) { return [message, history]; })).toEqual(["message", "history"]);
    expect(paramNames(async (name: string, n = 2) => name.repeat(n))).toEqual(["name", "n"]);
    expect(paramNames(((x: number) => x) as never)).toEqual(["x"]);
    expect(paramNames(async function* gen(prompt: string) { yield prompt; })).toEqual(["prompt"]);
  });
  it("gives up cleanly on what it cannot read", () => {
    expect(paramNames((({ a }: { a: number }) => a) as never)).toEqual([]);
    expect(paramNames(Math.max)).toEqual([]);
  });
});
