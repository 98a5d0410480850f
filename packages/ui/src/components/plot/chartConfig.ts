import { type PlotProps, plotColumns, type Table } from "@dais/core";
import type { ChartConfiguration } from "chart.js";

/** Okabe and Ito's palette: told apart by people with any common colour blindness. */
const palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];

export interface ChartColors {
  text: string;
  grid: string;
}

/**
 * Chart.js's configuration for a plot's rows: one series per y column. x is a linear axis when
 * every x is a number (line, scatter), else categories in row order. No animation: a redraw is
 * immediate (and people who asked for reduced motion get none).
 */
export function chartConfig(table: Table, props: PlotProps, colors: ChartColors): ChartConfiguration<"line" | "bar" | "scatter", { x: number | string; y: number | null }[]> {
  const type = props.type ?? "line";
  const { x, ys } = plotColumns(table.headers, props);
  const numericX = type !== "bar" && table.data.length > 0 && table.data.every((r) => typeof r[x] === "number");
  const xOf = (v: unknown) => (numericX ? (v as number) : String(v ?? ""));
  const datasets = ys
    .filter(([, i]) => i >= 0)
    .map(([name, i], k) => {
      const color = palette[k % palette.length]!;
      return {
        label: name,
        data: table.data.map((r) => ({ x: xOf(r[x]), y: typeof r[i] === "number" ? r[i] : null })),
        borderColor: color,
        backgroundColor: type === "bar" ? color : `${color}cc`,
        pointRadius: type === "scatter" ? 4 : 2,
        showLine: type === "line",
      };
    });
  const axis = (title: string | undefined) => ({ title: { display: Boolean(title), text: title ?? "", color: colors.text }, ticks: { color: colors.text }, grid: { color: colors.grid } });
  const yTitle = props.yTitle ?? (ys.length === 1 ? ys[0]![0] : undefined);
  return {
    type,
    data: { datasets, ...(numericX ? {} : { labels: [...new Set(table.data.map((r) => String(r[x] ?? "")))] }) },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      scales: { x: { ...axis(props.xTitle ?? table.headers[x]), type: numericX ? "linear" : "category" }, y: { ...axis(yTitle), type: "linear" } },
      plugins: { legend: { display: datasets.length > 1, labels: { color: colors.text } } },
    },
  };
}

/** What a screen reader hears for the chart: its kind, its axes and how many points it shows. */
export function describePlot(table: Table, props: PlotProps): string {
  const { x, ys } = plotColumns(table.headers, props);
  if (table.data.length === 0) return "Empty chart";
  const series = ys.filter(([, i]) => i >= 0).map(([n]) => n);
  return `${props.type ?? "line"} chart of ${series.join(", ")} by ${table.headers[x] ?? "x"}, ${table.data.length} point${table.data.length === 1 ? "" : "s"}`;
}
