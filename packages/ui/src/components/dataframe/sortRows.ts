import type { Cell } from "@dais/core";

export type SortOrder = { column: number; descending: boolean } | null;

/**
 * The order rows are shown in: indexes into the value's rows, so an edit in a sorted view
 * lands on the right row. Numbers compare as numbers, text by the page's locale with numbers
 * inside ("item 2" before "item 10"); empty cells go last either way.
 */
export function sortRows(rows: readonly (readonly Cell[])[], order: SortOrder): number[] {
  const indexes = rows.map((_, i) => i);
  if (!order) return indexes;
  const { column, descending } = order;
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  return indexes.sort((a, b) => {
    const x = rows[a]![column] ?? null;
    const y = rows[b]![column] ?? null;
    if (x === null || x === "") return y === null || y === "" ? a - b : 1;
    if (y === null || y === "") return -1;
    const c = typeof x === "number" && typeof y === "number" ? x - y : collator.compare(String(x), String(y));
    return (descending ? -c : c) || a - b;
  });
}
