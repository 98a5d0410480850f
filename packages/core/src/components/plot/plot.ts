import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";
import type { DaisError } from "../../DaisError.ts";
import { type Cell, checkTable, type Table, type TableLimits, tableFrom, tableLimits } from "../dataframe/checkTable.ts";

export const plotTypes = ["line", "bar", "scatter"] as const;
export type PlotType = (typeof plotTypes)[number];

export interface PlotProps extends BaseProps, Partial<TableLimits> {
  /** Default "line". */
  type?: PlotType;
  /** The column on the x axis. Default: the first. */
  x?: string;
  /** The column (or columns, one series each) on the y axis. Default: every other column. */
  y?: string | readonly string[];
  /** Axis titles. Default: the column names. */
  xTitle?: string;
  yTitle?: string;
  /** Rows shown before any run. */
  value?: Table | readonly Readonly<Record<string, Cell>>[];
}

/** What fn may return: a table (a dataframe's value as it is), rows as arrays, or rows as objects. */
export type PlotOut = Table<readonly Cell[]> | readonly (readonly Cell[])[] | readonly Readonly<Record<string, Cell>>[] | null | undefined;

export type PlotComponent = Component<"plot", Table, PlotOut, Table, PlotProps>;

/** More rows than a person edits by hand: a plot often shows a series of thousands of points. */
const plotLimits: Partial<TableLimits> = { maxRows: 10_000 };

/**
 * A line, bar or scatter chart of rows, drawn in the page by Chart.js (loaded only by pages
 * with a plot). Each y column is a series of numbers; x is numbers, dates or categories.
 * @example plot({ type: "bar", x: "city", y: "population" })
 */
export function plot(props: PlotProps = {}): PlotComponent {
  return {
    kind: "plot",
    props,
    initial: toPlotTable(props.value, props, (expected, got) => invalidOutput("plot", props, expected, got)),
    preprocess(raw) {
      return toPlotTable(raw ?? null, this.props, (expected, got) => invalidInput("plot", this.props, expected, got), false);
    },
    postprocess(value) {
      return toPlotTable(value, this.props, (expected, got) => invalidOutput("plot", this.props, expected, got));
    },
  };
}

/** Checks a plot's rows: within bounds, its x and y columns there, y cells numbers (or empty). */
function toPlotTable(value: unknown, props: PlotProps, refuse: (expected: string, got: unknown) => DaisError, fromFn = true): Table {
  if (value === null || value === undefined) return { headers: [], data: [] };
  const table = checkTable(fromFn ? tableFrom(value, undefined) : value, tableLimits({ ...plotLimits, ...props }), refuse);
  if (table.data.length === 0) return table;
  const { x, ys } = plotColumns(table.headers, props);
  if (x < 0) throw refuse(`a column named "${props.x}"`, table.headers);
  for (const [name, i] of ys) {
    if (i < 0) throw refuse(`a column named "${name}"`, table.headers);
    for (const row of table.data) if (row[i] !== null && typeof row[i] !== "number") throw refuse(`numbers in column "${name}"`, row[i]);
  }
  return table;
}

/**
 * Which columns a plot draws: x's index, and each y series' name and index (-1 when missing).
 * Shared with the page, so the two never disagree.
 */
export function plotColumns(headers: readonly string[], props: Pick<PlotProps, "x" | "y">): { x: number; ys: [string, number][] } {
  const x = props.x === undefined ? 0 : headers.indexOf(props.x);
  const names = props.y === undefined ? headers.filter((_, i) => i !== x) : typeof props.y === "string" ? [props.y] : [...props.y];
  return { x, ys: names.map((n) => [n, headers.indexOf(n)]) };
}
