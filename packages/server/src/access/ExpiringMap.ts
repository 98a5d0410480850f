/**
 * A map whose entries expire `ttlMs` after they were set and which never holds more than
 * `max` of them (the oldest go first), for what visitors can make the server remember: login
 * attempts per address, login sessions. Expired entries are swept as new ones arrive, so a
 * stream of fresh addresses cannot grow it without bound.
 * @example const failures = new ExpiringMap<string, number>({ ttlMs: 60_000, max: 10_000 });
 */
export class ExpiringMap<K, V> {
  /** Insertion order is expiry order: every set re-inserts. */
  private readonly entries = new Map<K, { value: V; expires: number }>();

  constructor(private readonly options: { ttlMs: number; max: number; now?: () => number }) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets the value; its lifetime starts now unless `keepExpiry` keeps the entry's own. */
  set(key: K, value: V, keepExpiry = false): void {
    const now = this.now();
    const old = this.entries.get(key);
    const expires = keepExpiry && old && old.expires > now ? old.expires : now + this.options.ttlMs;
    this.entries.delete(key);
    this.sweep(now);
    while (this.entries.size >= this.options.max) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, { value, expires });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops expired entries from the front (the oldest), stopping at the first live one. */
  private sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expires > now) break;
      this.entries.delete(key);
    }
  }
}
