import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip } from "chart.js";
import { useEffect, useRef } from "preact/hooks";
import { addStyles } from "../../addStyles.ts";
import type { RendererProps } from "../../Renderer.ts";
import { asTable } from "../asTable.ts";
import { Field } from "../Field.tsx";
import { type ChartColors, chartConfig, describePlot } from "./chartConfig.ts";
import styles from "./plot.css";

// Only what line, bar and scatter charts need, so the chunk carries no other chart types.
Chart.register(LineController, BarController, ScatterController, LineElement, BarElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

function themeColors(): ChartColors {
  const css = getComputedStyle(document.documentElement);
  return { text: css.getPropertyValue("--text").trim() || "#1f2328", grid: css.getPropertyValue("--border").trim() || "#d0d7de" };
}

/** A chart of the rows, drawn by Chart.js on a canvas; redrawn when the rows or the theme change. */
addStyles(styles);

export function Plot({ config, value, domId }: RendererProps<"plot">) {
  const p = config.props;
  const raw = value.value;
  const table = asTable(raw);
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    chart.current?.destroy();
    // A fresh chart for new rows: Chart.js keeps axis types per instance, and rows may change them.
    chart.current = new Chart(el, chartConfig(table, p, themeColors()) as never);
    el.dataset.points = String(table.data.length);
  }, [raw, p.type, p.x, p.y, p.xTitle, p.yTitle]);
  useEffect(() => {
    const observer = new MutationObserver(() => {
      if (!chart.current) return;
      chart.current.destroy();
      chart.current = canvas.current ? new Chart(canvas.current, chartConfig(asTable(value.value), p, themeColors()) as never) : null;
    });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => {
      observer.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  const description = describePlot(table, p);
  return (
    <Field label={p.label ?? "Plot"} domId={domId} info={p.info} as="div">
      <div class="plot-box">
        <canvas id={domId} ref={canvas} role="img" aria-labelledby={`${domId}-label`} aria-describedby={`${domId}-desc`}>
          {description}
        </canvas>
        <span class="sr-only" id={`${domId}-desc`}>
          {description}
        </span>
      </div>
    </Field>
  );
}
