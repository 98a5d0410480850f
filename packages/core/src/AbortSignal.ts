/**
 * `core` is compiled without Node or DOM types, yet fn receives an AbortSignal. Declaring the few
 * members core uses merges with the real global declaration wherever Node or DOM types are
 * present, so users see the full AbortSignal (and can hand it to fetch) while core stays pure.
 */
declare global {
  interface AbortSignal {
    readonly aborted: boolean;
    readonly reason: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- must match lib.dom exactly to merge
    throwIfAborted(): void;
  }
}
export {};
