import type { Past } from "./ModelDecoder.ts";

interface Entry {
  /** The tokens the cache holds positions for, in order. */
  tokens: readonly number[];
  past: Past;
  bytes: number;
}

/**
 * KV caches of past turns, one per conversation (session), kept between turns so a prompt that
 * extends what was cached only feeds its new tokens. Bounded by a byte budget: the least
 * recently used caches go first. Tensors are never changed in place, so an entry can be read
 * while it is replaced.
 * @example const hit = cache.lookup("tab-1", promptIds); // { tokens, past } or undefined
 */
export class PrefixCache {
  private readonly entries = new Map<string, Entry>();
  private used = 0;

  constructor(readonly budgetBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The cache whose tokens are the longest strict prefix of `promptIds` (at least one token
   * must stay to feed): the session's own first, else any conversation's.
   */
  lookup(key: string | undefined, promptIds: readonly number[]): { tokens: readonly number[]; past: Past } | undefined {
    let best: [string, Entry] | undefined;
    const own = key === undefined ? undefined : this.entries.get(key);
    const candidates: [string, Entry][] = own ? [[key!, own]] : [...this.entries];
    for (const [k, e] of candidates) if (e.tokens.length < promptIds.length && (!best || e.tokens.length > best[1].tokens.length) && isPrefix(e.tokens, promptIds)) best = [k, e];
    if (!best) return undefined;
    // Touch: most recently used last.
    this.entries.delete(best[0]);
    this.entries.set(best[0], best[1]);
    return best[1];
  }

  /** Keeps `past` (one row) for the tokens it covers under `key`, replacing that key's previous cache. */
  store(key: string, tokens: readonly number[], past: Past, bytes: number): void {
    this.delete(key);
    if (bytes > this.budgetBytes) return;
    this.entries.set(key, { tokens: [...tokens], past, bytes });
    this.used += bytes;
    for (const [k] of this.entries) {
      if (this.used <= this.budgetBytes) break;
      this.delete(k);
    }
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.used -= e.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }
}

function isPrefix(prefix: readonly number[], ids: readonly number[]): boolean {
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== ids[i]) return false;
  return true;
}
