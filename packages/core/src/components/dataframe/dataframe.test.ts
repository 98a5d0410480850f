import { describe, expect, it } from "vitest";
import { DaisError } from "../../DaisError.ts";
import { dataframe } from "./dataframe.ts";

const refused = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof DaisError ? `${e.code}: ${e.message}` : String(e);
  }
  return "accepted";
};

describe("dataframe", () => {
  const people = dataframe({ label: "People", headers: ["name", "age", "member", "joined"], datatype: ["str", "number", "bool", "date"] });

  it("gives fn each cell as its column's type, empty cells as null", () => {
    const t = people.preprocess({ headers: ["name", "age", "member", "joined"], data: [["Ada", "36", "true", "2026-12-04"], [7, "", false, null]], metadata: { ignored: true } });
    expect(t).toEqual({ headers: ["name", "age", "member", "joined"], data: [["Ada", 36, true, "2026-12-04"], ["7", null, false, null]] });
  });

  it("refuses a cell that is not of its column's type, naming the column", () => {
    expect(refused(() => people.preprocess({ headers: ["name", "age", "member", "joined"], data: [["Ada", "old", true, null]] }))).toBe(
      'invalid_input: "People" expects a number in column "age", got "old".',
    );
    expect(refused(() => people.preprocess({ headers: ["name", "age", "member", "joined"], data: [["Ada", 1, "yes", null]] }))).toMatch(/true or false in column "member"/);
    expect(refused(() => people.preprocess({ headers: ["name", "age", "member", "joined"], data: [["Ada", 1, true, "next week"]] }))).toMatch(/a date in column "joined"/);
    expect(refused(() => people.preprocess({ headers: ["name", "age"], data: [["Ada", 1]] }))).toMatch(/expects 4 columns/);
  });

  it("bounds crafted tables: rows, columns, ragged rows, cell types and lengths", () => {
    const small = dataframe({ label: "T", maxRows: 3, maxColumns: 2, maxCellLength: 5 });
    const row = ["a", "b"];
    expect(refused(() => small.preprocess({ headers: ["a", "b"], data: [row, row, row, row] }))).toMatch(/at most 3 rows, got an array of 4/);
    expect(refused(() => small.preprocess({ headers: ["a", "b", "c"], data: [] }))).toMatch(/at most 2 columns/);
    expect(refused(() => small.preprocess({ headers: ["a", "b"], data: [["a"]] }))).toMatch(/rows of 2 cells/);
    expect(refused(() => small.preprocess({ headers: ["a", "b"], data: [["a", { x: 1 }]] }))).toMatch(/cells that are text/);
    expect(refused(() => small.preprocess({ headers: ["a", "b"], data: [["a", [1]]] }))).toMatch(/cells that are text/);
    expect(refused(() => small.preprocess({ headers: ["a", "b"], data: [["a", "toolong"]] }))).toMatch(/at most 5 characters/);
    expect(refused(() => small.preprocess({ headers: [1, "b"], data: [] }))).toMatch(/headers of at most/);
    expect(refused(() => small.preprocess([["a", "b"]]))).toMatch(/a table \{ headers, data \}/);
    expect(refused(() => small.preprocess(null))).toMatch(/a table/);
    // The defaults bound a table from a page that sets no limits.
    const big = { headers: ["a"], data: Array.from({ length: 1001 }, () => [1]) };
    expect(refused(() => dataframe().preprocess(big))).toMatch(/at most 1000 rows/);
  });

  it("takes fn's rows as a table, as arrays (headers from props) or as objects (headers from keys)", () => {
    const d = dataframe({ headers: ["x", "y"] });
    expect(d.postprocess([[1, 2]])).toEqual({ headers: ["x", "y"], data: [[1, 2]] });
    expect(d.postprocess([{ y: 2, z: "new" }, { x: 1 }])).toEqual({ headers: ["x", "y", "z"], data: [[null, 2, "new"], [1, null, null]] });
    expect(dataframe().postprocess([[1, 2]])).toEqual({ headers: ["1", "2"], data: [[1, 2]] });
    expect(d.postprocess(null)).toEqual({ headers: ["x", "y"], data: [] });
    expect(refused(() => d.postprocess("x,y" as never))).toMatch(/^invalid_output: The function returned "x,y" for dataframe/);
    expect(refused(() => d.postprocess([[1, Number.NaN]]))).toMatch(/^invalid_output/);
  });

  it("checks its initial rows as it checks fn's", () => {
    expect(dataframe({ headers: ["a"], value: [["x"]] }).initial).toEqual({ headers: ["a"], data: [["x"]] });
    expect(() => dataframe({ datatype: ["number"], value: [["x"]] })).toThrow(/a number in column "1"/);
  });
});
