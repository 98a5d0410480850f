import type { DaisError } from "../../DaisError.ts";

/** One cell as it crosses the wire. */
export type Cell = string | number | boolean | null;

/** A table as it crosses the wire, the same shape as Gradio's dataframe value. */
export interface Table<R extends readonly Cell[] = Cell[]> {
  headers: string[];
  data: R[];
}

/** How large a table may be; a browser may send anything, so every table is bounded. */
export interface TableLimits {
  maxRows: number;
  maxColumns: number;
  /** Longest text in one cell or header. */
  maxCellLength: number;
}

/** Enough for any table a person edits in a page; raise them per component for bigger outputs. */
export const defaultTableLimits: TableLimits = { maxRows: 1000, maxColumns: 50, maxCellLength: 10_000 };

/**
 * Checks that `raw` is `{ headers, data }` within `limits`: headers are strings, every row is
 * an array as long as the headers, every cell a string, finite number, boolean or null. Returns
 * a fresh copy (extra fields such as Gradio's `metadata` dropped). Throws a DaisError of `code`.
 * @example checkTable({ headers: ["a"], data: [[1]] }, limits, (what) => invalidInput("dataframe", props, what, raw))
 */
export function checkTable(raw: unknown, limits: TableLimits, refuse: (expected: string, got: unknown) => DaisError): Table {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw refuse("a table { headers, data }", raw);
  const { headers, data } = raw as { headers?: unknown; data?: unknown };
  if (!Array.isArray(headers) || !Array.isArray(data)) throw refuse("a table { headers, data }", raw);
  if (headers.length > limits.maxColumns) throw refuse(`at most ${limits.maxColumns} columns`, headers);
  if (data.length > limits.maxRows) throw refuse(`at most ${limits.maxRows} rows`, data);
  const names: string[] = [];
  for (const h of headers) {
    if (typeof h !== "string" || h.length > limits.maxCellLength) throw refuse(`headers of at most ${limits.maxCellLength} characters`, h);
    names.push(h);
  }
  const rows: Cell[][] = [];
  for (const row of data) {
    if (!Array.isArray(row) || row.length !== names.length) throw refuse(`rows of ${names.length} cells`, row);
    const copy: Cell[] = [];
    for (const cell of row) {
      if (!isCell(cell, limits.maxCellLength)) throw refuse(`cells that are text (at most ${limits.maxCellLength} characters), finite numbers, booleans or null`, cell);
      copy.push(cell);
    }
    rows.push(copy);
  }
  return { headers: names, data: rows };
}

function isCell(v: unknown, maxLength: number): v is Cell {
  if (v === null || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  return typeof v === "string" && v.length <= maxLength;
}

/** The limits a component's props ask for, the defaults for the rest. */
export function tableLimits(props: Partial<TableLimits>): TableLimits {
  return { ...defaultTableLimits, ...pick(props) };
}

function pick(p: Partial<TableLimits>): Partial<TableLimits> {
  const out: Partial<TableLimits> = {};
  if (p.maxRows !== undefined) out.maxRows = p.maxRows;
  if (p.maxColumns !== undefined) out.maxColumns = p.maxColumns;
  if (p.maxCellLength !== undefined) out.maxCellLength = p.maxCellLength;
  return out;
}

/**
 * A table from what a function returned: `{ headers, data }`, rows as arrays (headers from
 * `headers`, else "1", "2", ...), or rows as objects (headers from their keys, first seen first).
 */
export function tableFrom(value: unknown, headers: readonly string[] | undefined): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length > 0 && value.every((r) => typeof r === "object" && r !== null && !Array.isArray(r))) {
    const keys = [...(headers ?? [])];
    const seen = new Set(keys);
    for (const r of value as Record<string, unknown>[]) {
      for (const k of Object.keys(r)) {
        if (seen.has(k)) continue;
        seen.add(k);
        keys.push(k);
      }
    }
    return { headers: keys, data: (value as Record<string, unknown>[]).map((r) => keys.map((k) => (Object.hasOwn(r, k) ? r[k] : null))) };
  }
  const width = headers?.length ?? (Array.isArray(value[0]) ? (value[0] as unknown[]).length : 0);
  return { headers: headers ? [...headers] : Array.from({ length: width }, (_, i) => String(i + 1)), data: value };
}

