/**
 * Edits that turn one wire value into the next, so a streamed update carries what changed
 * (usually a few appended characters) instead of the whole value: a 1,000-turn chat streams
 * with frames as small as a new one's. Same shape as Gradio's: `[action, path, value]`.
 */
export type Path = (string | number)[];
export type Op =
  | readonly ["replace", Path, unknown]
  /** Append text to the string at path. */
  | readonly ["append", Path, string]
  /** Push a value onto the array at path. */
  | readonly ["add", Path, unknown]
  /** Remove the array item or object key at path. */
  | readonly ["delete", Path];

/** The edits from `prev` to `next`; `[]` when they are equal. */
export function diff(prev: unknown, next: unknown, path: Path = []): Op[] {
  if (Object.is(prev, next)) return [];
  if (typeof prev === "string" && typeof next === "string") {
    if (next.startsWith(prev)) return [["append", path, detached(next.slice(prev.length))]];
    return [["replace", path, next]];
  }
  if (Array.isArray(prev) && Array.isArray(next)) {
    const ops: Op[] = [];
    const common = Math.min(prev.length, next.length);
    for (let i = 0; i < common; i++) ops.push(...diff(prev[i], next[i], [...path, i]));
    for (let i = common; i < next.length; i++) ops.push(["add", path, next[i]]);
    for (let i = prev.length - 1; i >= next.length; i--) ops.push(["delete", [...path, i]]);
    return ops.length > next.length + 1 && ops.length > 8 ? [["replace", path, next]] : ops;
  }
  if (isPlainObject(prev) && isPlainObject(next)) {
    const ops: Op[] = [];
    for (const key of Object.keys(next)) {
      if (key in prev) ops.push(...diff(prev[key], next[key], [...path, key]));
      else ops.push(["replace", [...path, key], next[key]]);
    }
    for (const key of Object.keys(prev)) if (!(key in next)) ops.push(["delete", [...path, key]]);
    return ops;
  }
  return [["replace", path, next]];
}

/**
 * A copy of a substring that does not keep the whole string alive. Engines return a long slice
 * as a view into its parent, so a log of streamed frames (each op a slice of the whole reply so
 * far) would keep every version of the reply: megabytes per frame. Joining forces a fresh copy.
 */
function detached(tail: string): string {
  return tail.length < 16 ? tail : (` ${tail}`).slice(1);
}

/**
 * Applies edits to a value and returns the new value. Containers along each edited path are
 * copied, everything else is shared: a renderer comparing by identity re-renders only what
 * changed (the streaming turn), never the earlier ones.
 */
export function applyOps(value: unknown, ops: readonly Op[]): unknown {
  let root = value;
  for (const op of ops) root = applyOp(root, op);
  return root;
}

function applyOp(root: unknown, op: Op): unknown {
  const [action, path] = op;
  if (path.length === 0) {
    if (action === "replace") return op[2];
    if (action === "append") return String(root ?? "") + op[2];
    if (action === "add") return [...asArray(root), op[2]];
    return undefined;
  }
  const [head, ...rest] = path as [string | number, ...Path];
  const container = Array.isArray(root) ? [...root] : isPlainObject(root) ? { ...root } : typeof head === "number" ? [] : {};
  const record = container as Record<string | number, unknown>;
  if (rest.length === 0 && action === "delete") {
    if (Array.isArray(container)) container.splice(Number(head), 1);
    else delete record[head];
    return container;
  }
  record[head] = applyOp(record[head], [action, rest, op[2]] as unknown as Op);
  return container;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
