import { describe, expect, it } from "vitest";
import { chartConfig, describePlot } from "./chartConfig.ts";

const colors = { text: "#000", grid: "#ccc" };

describe("chartConfig", () => {
  it("draws numbers on a linear x axis, one series per y column, empty cells as gaps", () => {
    const c = chartConfig({ headers: ["t", "a", "b"], data: [[1, 2, null], [2, 4, 5]] }, { type: "line" }, colors);
    expect(c.options?.scales?.x).toMatchObject({ type: "linear" });
    expect(c.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ["a", [{ x: 1, y: 2 }, { x: 2, y: 4 }]],
      ["b", [{ x: 1, y: null }, { x: 2, y: 5 }]],
    ]);
  });
  it("puts text on a category axis in row order, and bars always on categories", () => {
    const months = chartConfig({ headers: ["m", "n"], data: [["Feb", 1], ["Jan", 2]] }, { type: "scatter" }, colors);
    expect(months.options?.scales?.x).toMatchObject({ type: "category" });
    expect(months.data.labels).toEqual(["Feb", "Jan"]);
    const bars = chartConfig({ headers: ["year", "n"], data: [[2025, 1], [2026, 2]] }, { type: "bar" }, colors);
    expect(bars.options?.scales?.x).toMatchObject({ type: "category" });
    expect(bars.data.labels).toEqual(["2025", "2026"]);
  });
  it("says what the chart shows, for screen readers", () => {
    expect(describePlot({ headers: ["m", "tea", "coffee"], data: [["Jan", 1, 2]] }, { type: "bar" })).toBe("bar chart of tea, coffee by m, 1 point");
    expect(describePlot({ headers: [], data: [] }, {})).toBe("Empty chart");
  });
});
