/**
 * A deep copy that needs no host API (core runs anywhere). Used to give every session its own
 * state and every run a private copy, so a run that fails half-way leaves the state untouched.
 * Plain objects, arrays, Maps, Sets and Dates are copied, cycles included; instances of other
 * classes (a tokenizer, a database handle) are shared, since copying them is rarely meant.
 */
export function deepCopy<T>(value: T, seen = new Map<unknown, unknown>()): T {
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return seen.get(value) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(deepCopy(item, seen));
    return copy as T;
  }
  if (value instanceof Map) {
    const copy = new Map();
    seen.set(value, copy);
    for (const [k, v] of value) copy.set(k, deepCopy(v, seen));
    return copy as T;
  }
  if (value instanceof Set) {
    const copy = new Set();
    seen.set(value, copy);
    for (const v of value) copy.add(deepCopy(v, seen));
    return copy as T;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  // defineProperty, so a "__proto__" key (JSON.parse makes it an own key) stays a key rather
  // than replacing the copy's prototype.
  for (const [k, v] of Object.entries(value)) Object.defineProperty(copy, k, { value: deepCopy(v, seen), enumerable: true, writable: true, configurable: true });
  return copy as T;
}
