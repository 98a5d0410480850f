import { describe, expect, it } from "vitest";
import { sortRows } from "./sortRows.ts";

describe("sortRows", () => {
  const rows = [
    ["item 10", 3],
    ["item 2", null],
    ["Item 1", 10],
    ["", 2],
  ];
  it("keeps the value's order unsorted", () => expect(sortRows(rows, null)).toEqual([0, 1, 2, 3]));
  it("sorts numbers as numbers, empty cells last both ways", () => {
    expect(sortRows(rows, { column: 1, descending: false })).toEqual([3, 0, 2, 1]);
    expect(sortRows(rows, { column: 1, descending: true })).toEqual([2, 0, 3, 1]);
  });
  it("sorts text as a person reads it: numbers inside, case aside", () => {
    expect(sortRows(rows, { column: 0, descending: false })).toEqual([2, 1, 0, 3]);
  });
  it("keeps equal rows in their order", () => {
    expect(sortRows([["a"], ["b"], ["a"]], { column: 0, descending: true })).toEqual([1, 0, 2]);
  });
});
