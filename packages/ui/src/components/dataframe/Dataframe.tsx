import type { Cell, ColumnType } from "@dais/core";
import { useState } from "preact/hooks";
import { addStyles } from "../../addStyles.ts";
import type { RendererProps } from "../../Renderer.ts";
import { asTable } from "../asTable.ts";
import { Field } from "../Field.tsx";
import { type SortOrder, sortRows } from "./sortRows.ts";
import styles from "./dataframe.css";

/**
 * A table. Headers sort the shown rows (the value keeps its order); when editable, each cell
 * is a named text box (a checkbox in a bool column) that writes the value on change, as a
 * person finishing a cell expects, and "Add row" appends an empty row.
 */
addStyles(styles);

export function Dataframe({ config, value, interactive, domId }: RendererProps<"dataframe">) {
  const p = config.props;
  const table = asTable(value.value);
  const [order, setOrder] = useState<SortOrder>(null);
  const shown = sortRows(table.data, order && order.column < table.headers.length ? order : null);
  const typeOf = (i: number): ColumnType => (typeof p.datatype === "string" ? p.datatype : (p.datatype?.[i] ?? "str"));
  const sortable = p.sortable !== false;
  const label = p.label ?? "Dataframe";
  const write = (row: number, column: number, cell: Cell) => {
    const data = table.data.map((r, i) => (i === row ? r.map((c, j) => (j === column ? cell : c)) : r));
    value.value = { headers: table.headers, data };
  };
  const addRow = () => (value.value = { headers: table.headers, data: [...table.data, table.headers.map((_, i) => (typeOf(i) === "str" ? "" : null))] });
  const maxRows = p.maxRows ?? 1000;
  return (
    <Field label={label} domId={domId} info={p.info} as="div">
      {/* Scrolls sideways on a narrow screen rather than squeezing the columns; focusable so a keyboard can scroll it. */}
      <div class="table-scroll" role="region" aria-labelledby={`${domId}-label`} tabIndex={0} style={{ "--table-rows": p.maxHeight ?? 10 }}>
        <table class="dataframe" id={domId}>
          <thead>
            <tr>
              {table.headers.map((h, i) => {
                const sorted = order?.column === i ? (order.descending ? "descending" : "ascending") : undefined;
                return (
                  <th scope="col" aria-sort={sorted} class={typeOf(i) === "number" ? "num" : undefined}>
                    {sortable ? (
                      <button
                        type="button"
                        class="sort"
                        aria-label={`${h || `Column ${i + 1}`}, sort ${sorted === "ascending" ? "descending" : "ascending"}`}
                        onClick={() => setOrder(order?.column === i ? (order.descending ? null : { column: i, descending: true }) : { column: i, descending: false })}
                      >
                        {h}
                        <span aria-hidden="true" class="sort-mark">
                          {sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : ""}
                        </span>
                      </button>
                    ) : (
                      h
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r}>
                {table.data[r]!.map((cell, c) => (
                  <td class={typeOf(c) === "number" ? "num" : undefined}>
                    {interactive ? <CellInput cell={cell} type={typeOf(c)} name={`${table.headers[c] || `Column ${c + 1}`}, row ${r + 1}`} onWrite={(v) => write(r, c, v)} /> : show(cell)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {interactive ? (
        <div class="table-actions">
          <button type="button" onClick={addRow} disabled={table.data.length >= maxRows || table.headers.length === 0} aria-label={`Add row to ${label}`}>
            Add row
          </button>
        </div>
      ) : null}
    </Field>
  );
}

function CellInput({ cell, type, name, onWrite }: { cell: Cell; type: ColumnType; name: string; onWrite: (v: Cell) => void }) {
  if (type === "bool") return <input type="checkbox" aria-label={name} checked={cell === true} onChange={(e) => onWrite(e.currentTarget.checked)} />;
  return (
    <input
      class="cell"
      type={type === "date" ? "date" : "text"}
      inputMode={type === "number" ? "decimal" : undefined}
      aria-label={name}
      value={show(cell)}
      onChange={(e) => onWrite(read(e.currentTarget.value, type))}
    />
  );
}

/** What the person typed, as the column's type where it reads as one; the server checks the rest. */
function read(text: string, type: ColumnType): Cell {
  if (type === "number") {
    if (text.trim() === "") return null;
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  if (type === "date") return text === "" ? null : text;
  return text;
}

const show = (cell: Cell | undefined) => (cell === null || cell === undefined ? "" : String(cell));
