import { applyOps, diff, type Op, type Path } from "@dais/core";

/**
 * Gradio's edits from `prev` to `next`. Dais's diff has Gradio's op shapes except `add`: Dais
 * pushes onto the array at the path, Gradio inserts at the index that ends the path. So each
 * `add` gets the index it lands at, found by applying the edits before it.
 */
export function gradioDiff(prev: unknown, next: unknown): Op[] {
  const ops = diff(prev, next);
  if (!ops.some((op) => op[0] === "add")) return ops;
  let value = prev;
  return ops.map((op) => {
    const out: Op = op[0] === "add" ? ["add", [...op[1], lengthAt(value, op[1])], op[2]] : op;
    value = applyOps(value, [op]);
    return out;
  });
}

function lengthAt(value: unknown, path: Path): number {
  let v = value;
  for (const key of path) v = (v as Record<string | number, unknown> | undefined)?.[key];
  return Array.isArray(v) ? v.length : 0;
}
