/**
 * How many of the newest turns fit a token budget. `lengthOf(n)` is the prompt's length when it
 * holds the newest `n` turns; it must grow with `n`. At least one turn is always kept (the
 * caller cuts it when even that one is too long). Costs one `lengthOf` call per kept turn, so a
 * long history is cheap: only what fits the window is ever rendered.
 * @example keepNewest(4, (n) => [5, 9, 14, 20][n - 1]!, 12) // 2
 */
export function keepNewest(turns: number, lengthOf: (n: number) => number, budget: number): number {
  let kept = Math.min(1, turns);
  while (kept < turns && lengthOf(kept + 1) <= budget) kept++;
  return kept;
}
