import { describe, expect, it } from "vitest";
import { plot, plotColumns } from "./plot.ts";

describe("plot", () => {
  it("takes rows as objects and draws every other column against the first by default", () => {
    const p = plot();
    const t = p.postprocess([{ day: "Mon", sales: 3, returns: 1 }, { day: "Tue", sales: 5, returns: null }]);
    expect(t).toEqual({ headers: ["day", "sales", "returns"], data: [["Mon", 3, 1], ["Tue", 5, null]] });
    expect(plotColumns(t.headers, p.props)).toEqual({ x: 0, ys: [["sales", 1], ["returns", 2]] });
  });

  it("tells the developer which column is missing or not numbers", () => {
    expect(() => plot({ label: "Sales", x: "when", y: "sales" }).postprocess([{ day: 1, sales: 2 }])).toThrow('The function returned an array of 2 for "Sales", which expects a column named "when".');
    expect(() => plot({ y: ["sales"] }).postprocess([{ day: 1, sales: "many" }])).toThrow(/numbers in column "sales"/);
  });

  it("bounds a crafted value like a dataframe, with room for longer series", () => {
    const rows = (n: number) => ({ headers: ["x", "y"], data: Array.from({ length: n }, (_, i) => [i, i]) });
    expect(plot().preprocess(rows(10_000)).data).toHaveLength(10_000);
    expect(() => plot({ label: "P" }).preprocess(rows(10_001))).toThrow(/"P" expects at most 10000 rows/);
    expect(() => plot({ label: "P" }).preprocess({ headers: ["x", "y"], data: [[1, { y: 1 }]] })).toThrow(/invalid|expects/);
  });
});
