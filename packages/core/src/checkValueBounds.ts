import { type BaseProps, nameOf } from "./Component.ts";
import { DaisError } from "./DaisError.ts";

/** How large a value from the browser may be. */
export interface ValueBounds {
  /** Deepest nesting of arrays and objects (a bare string or number has depth 0). */
  depth: number;
  /** Array items plus object keys, counted over the whole value. */
  entries: number;
  /** Characters of strings and keys, counted over the whole value (about the JSON size). */
  chars: number;
}

/**
 * Enough for any chat history or JSON document a demo shows, and far below what makes
 * `JSON.stringify` (recursive in V8) overflow the stack: about 6,000 levels of `[[[...]]]`
 * used to crash the server when it next sent the value back.
 */
export const defaultValueBounds: ValueBounds = { depth: 64, entries: 100_000, chars: 4 * 1024 * 1024 };

/**
 * Checks a value that arrived from the browser against `bounds`, without recursion (so the
 * check itself cannot overflow the stack), and throws an `invalid_input` DaisError naming the
 * component when it is too deep or too large.
 * @example checkValueBounds(raw, "json", { label: "Payload" })
 */
export function checkValueBounds(value: unknown, kind: string, props: BaseProps, bounds: ValueBounds = defaultValueBounds): void {
  const refuse = (what: string) => new DaisError("invalid_input", `${nameOf(kind, props)} got a value ${what}.`);
  const stack: [unknown, number][] = [[value, 0]];
  let entries = 0;
  let chars = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v === "string") chars += v.length;
    else if (typeof v === "number" && !Number.isFinite(v)) throw refuse("that is not a finite number");
    if (typeof v !== "object" || v === null) {
      if (chars > bounds.chars) throw refuse(`larger than ${bounds.chars} characters`);
      continue;
    }
    if (depth >= bounds.depth) throw refuse(`nested deeper than ${bounds.depth} levels`);
    if (Array.isArray(v)) {
      entries += v.length;
      if (entries > bounds.entries) throw refuse(`with more than ${bounds.entries} items and keys`);
      for (const item of v) stack.push([item, depth + 1]);
    } else {
      const keys = Object.keys(v);
      entries += keys.length;
      if (entries > bounds.entries) throw refuse(`with more than ${bounds.entries} items and keys`);
      for (const k of keys) {
        chars += k.length;
        stack.push([(v as Record<string, unknown>)[k], depth + 1]);
      }
    }
    if (chars > bounds.chars) throw refuse(`larger than ${bounds.chars} characters`);
  }
}
