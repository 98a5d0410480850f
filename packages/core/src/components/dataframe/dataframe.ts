import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";
import type { DaisError } from "../../DaisError.ts";
import { type Cell, checkTable, type Table, type TableLimits, tableFrom, tableLimits } from "./checkTable.ts";

/** The type of a column, as Gradio names them; the page edits each with a matching control. */
export const columnTypes = ["str", "number", "bool", "date"] as const;
export type ColumnType = (typeof columnTypes)[number];
/** What fn receives in a cell of each column type (a date is ISO text: "2026-12-04"). */
export interface CellOf {
  str: string;
  number: number;
  bool: boolean;
  date: string;
}
/** A row typed by its columns' types (any cell may be empty: null). */
export type RowOf<T extends readonly ColumnType[]> = { -readonly [I in keyof T]: CellOf[T[I]] | null };

export interface DataframeProps extends BaseProps, Partial<TableLimits> {
  /** Column names; a function's rows as arrays get these. */
  headers?: readonly string[];
  /** One type for every column, or one per column (then every table has exactly that many). */
  datatype?: ColumnType | readonly ColumnType[];
  /** Rows shown before any run: `{ headers, data }` or rows as arrays. */
  value?: Table | readonly (readonly Cell[])[];
  /** Whether clicking a header sorts the shown rows (the value keeps its order). Default true. */
  sortable?: boolean;
  /** Rows the table shows before it scrolls. Default 10. */
  maxHeight?: number;
}

/** What fn may return: a table, rows as arrays, or rows as objects keyed by header. */
export type DataframeOut<R extends readonly Cell[]> = Table<R> | readonly R[] | readonly Readonly<Record<string, Cell>>[] | null | undefined;

export type DataframeComponent<R extends readonly Cell[] = Cell[]> = Component<"dataframe", Table<R>, DataframeOut<R>, Table, DataframeProps>;

const datePattern = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A table: headers, typed columns, editable cells, sortable columns. fn receives
 * `{ headers, data }` with rows as arrays, each cell converted to its column's type.
 * @example dataframe({ headers: ["city", "population"], datatype: ["str", "number"] })
 */
export function dataframe<const T extends readonly ColumnType[]>(props: DataframeProps & { datatype: T }): DataframeComponent<RowOf<T>>;
export function dataframe<const T extends ColumnType>(props: DataframeProps & { datatype: T }): DataframeComponent<(CellOf[T] | null)[]>;
export function dataframe(props?: DataframeProps): DataframeComponent;
export function dataframe(props: DataframeProps = {}): DataframeComponent {
  return {
    kind: "dataframe",
    props,
    initial: toTable(props.value, props, (expected, got) => invalidOutput("dataframe", props, expected, got)),
    preprocess(raw) {
      const refuse = (expected: string, got: unknown) => invalidInput("dataframe", this.props, expected, got);
      return typed(checkTable(raw, tableLimits(this.props), refuse), this.props, refuse);
    },
    postprocess(value) {
      return toTable(value, this.props, (expected, got) => invalidOutput("dataframe", this.props, expected, got));
    },
  };
}

/** The wire table for what fn returned (or the props' initial rows). */
function toTable(value: unknown, props: DataframeProps, refuse: (expected: string, got: unknown) => DaisError): Table {
  if (value === null || value === undefined) return { headers: [...(props.headers ?? [])], data: [] };
  return typed(checkTable(tableFrom(value, props.headers), tableLimits(props), refuse), props, refuse);
}

/** Converts every cell to its column's type (numbers typed as text, "true" in a bool column). */
function typed(table: Table, props: DataframeProps, refuse: (expected: string, got: unknown) => DaisError): Table {
  const types = props.datatype;
  if (types === undefined) return table;
  if (Array.isArray(types) && types.length !== table.headers.length) throw refuse(`${types.length} columns`, table.headers);
  const typeOf = (i: number): ColumnType => (typeof types === "string" ? types : (types as readonly ColumnType[])[i]!);
  for (const row of table.data) {
    for (let i = 0; i < row.length; i++) {
      const cell = convert(row[i]!, typeOf(i));
      if (cell === undefined) throw refuse(`${typeOf(i) === "str" ? "text" : typeOf(i) === "bool" ? "true or false" : `a ${typeOf(i)}`} in column "${table.headers[i]}"`, row[i]);
      row[i] = cell;
    }
  }
  return table;
}

/** A cell as its column's type, null for an empty one, undefined when it cannot be one. */
function convert(cell: Cell, type: ColumnType): Cell | undefined {
  if (cell === null || cell === "") return type === "str" ? (cell ?? null) : null;
  switch (type) {
    case "str":
      return String(cell);
    case "number": {
      if (typeof cell === "number") return cell;
      if (typeof cell !== "string" || cell.trim() === "") return undefined;
      const n = Number(cell);
      return Number.isFinite(n) ? n : undefined;
    }
    case "bool":
      if (typeof cell === "boolean") return cell;
      return cell === "true" ? true : cell === "false" ? false : undefined;
    case "date":
      return typeof cell === "string" && datePattern.test(cell) && !Number.isNaN(Date.parse(cell)) ? cell : undefined;
  }
}
