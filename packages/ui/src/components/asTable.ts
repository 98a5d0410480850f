import type { Table } from "@dais/core";

/** A table value as renderers read it: the server checked it, so only absence is handled here. */
export function asTable(v: unknown): Table {
  const t = v as Partial<Table> | null;
  return { headers: Array.isArray(t?.headers) ? t.headers : [], data: Array.isArray(t?.data) ? t.data : [] };
}
