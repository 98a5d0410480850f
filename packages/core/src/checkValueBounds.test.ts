import { describe, expect, it } from "vitest";
import { checkValueBounds } from "./checkValueBounds.ts";

describe("checkValueBounds", () => {
  const bounds = { depth: 4, entries: 10, chars: 20 };
  const check = (v: unknown) => () => checkValueBounds(v, "json", { label: "Payload" }, bounds);

  it("passes values within bounds, whatever their keys", () => {
    expect(check([[[1]]])).not.toThrow();
    expect(check(JSON.parse('{"__proto__":1,"constructor":2}'))).not.toThrow();
  });

  it("refuses depth, entries and size past the bounds with invalid_input naming the component", () => {
    expect(check([[[[[1]]]]])).toThrow('"Payload" got a value nested deeper than 4 levels.');
    expect(check(Array.from({ length: 11 }, () => 0))).toThrow(/more than 10 items and keys/);
    expect(check("x".repeat(21))).toThrow(/larger than 20 characters/);
    expect(check({ ["k".repeat(21)]: 1 })).toThrow(/larger than 20 characters/);
    expect(check(Infinity)).toThrow(/not a finite number/);
  });

  it("checks a value nested 100,000 levels deep without overflowing the stack", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => checkValueBounds(deep, "json", {})).toThrow(/nested deeper than 64 levels/);
  });
});
