// Blocks with data: a table a person edits, a chart and a summary that follow every edit.
import { Blocks, type Table } from "dais";

const drinks = ["coffee", "tea", "cocoa"] as const;
type Row = [month: string | null, coffee: number | null, tea: number | null, cocoa: number | null];

const sales: Row[] = [
  ["Jan", 420, 310, 150],
  ["Feb", 380, 290, 170],
  ["Mar", 450, 260, 90],
  ["Apr", 500, 240, 60],
  ["May", 530, 220, 40],
  ["Jun", 560, 200, 30],
];

/** Total, mean, lowest and highest of each drink (empty cells left out). */
function summarise(t: Table<Row>): [string, number, number, number, number][] {
  return drinks.map((drink, k) => {
    const values = t.data.map((r) => r[k + 1] as number | null).filter((v): v is number => v !== null);
    const total = values.reduce((a, b) => a + b, 0);
    const mean = values.length ? Math.round((total / values.length) * 10) / 10 : 0;
    return [drink, total, mean, values.length ? Math.min(...values) : 0, values.length ? Math.max(...values) : 0];
  });
}

/** The chart's rows: each month's sales, or the running totals. */
function chartRows(t: Table<Row>, cumulative: boolean): Record<string, string | number | null>[] {
  const sums = [0, 0, 0];
  return t.data.map(([month, ...cells]) => {
    const row: Record<string, string | number | null> = { month };
    drinks.forEach((d, k) => {
      sums[k]! += cells[k] ?? 0;
      row[d] = cumulative ? sums[k]! : (cells[k] ?? null);
    });
    return row;
  });
}

const demo = new Blocks({ title: "Data explorer" }, (ui) => {
  ui.markdown(
    [
      "Cups sold by a small café. Edit a cell (Enter or Tab to finish), add a row, or click a header to sort.",
      "",
      "| column | what it holds |",
      "| --- | --- |",
      "| month | the month, as text |",
      "| coffee, tea, cocoa | cups sold that month |",
    ].join("\n"),
  );
  const table = ui.dataframe({ label: "Sales", headers: ["month", ...drinks], datatype: ["str", "number", "number", "number"], value: sales });
  const cumulative = ui.checkbox({ label: "Running totals" });
  ui.row(() => {
    const chart = ui.plot({ label: "Cups by month", type: "bar", x: "month", y: [...drinks], yTitle: "cups" });
    const summary = ui.dataframe({ label: "Summary", headers: ["drink", "total", "mean", "lowest", "highest"], datatype: ["str", "number", "number", "number", "number"] });
    const explore = { fn: (t: Table<Row>, c: boolean) => [chartRows(t, c), summarise(t)] as const, inputs: [table, cumulative] as const, outputs: [chart, summary] as const };
    table.change(explore);
    cumulative.change(explore);
    ui.load(explore);
  });
});
await demo.launch();
