import { LogitsProcessor, type Tensor } from "@huggingface/transformers";

/**
 * Nucleus (top-p) sampling, which transformers.js 4.3 accepts as `top_p` and then ignores (its
 * warper is commented out). Passed to `generate()` as a logits processor, it runs after the
 * temperature and before the sampler, and sets every token outside the nucleus to -Infinity,
 * so the sampler can only draw from the nucleus. As in Hugging Face transformers, top-k is
 * applied first and top-p on what is left (the sampler's own top-k is then a no-op).
 * @example model.generate({ ...inputs, do_sample: true, logits_processor: [new TopPWarper(0.9, 50)] })
 */
export class TopPWarper extends LogitsProcessor {
  constructor(
    readonly topP: number,
    readonly topK = 0,
    readonly minTokensToKeep = 1,
  ) {
    super();
    if (!(topP > 0 && topP <= 1)) throw new RangeError(`topP must be in (0, 1], got ${topP}.`);
  }

  /** Logits are [batch, vocab] here: generate() has already picked the last position. */
  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    const vocab = logits.dims.at(-1)!;
    const data = logits.data as Float32Array;
    for (let row = 0; row < data.length; row += vocab) keepNucleus(data.subarray(row, row + vocab), this.topP, this.topK, this.minTokensToKeep);
    return logits;
  }
}

/**
 * Keeps the `topK` highest logits (0: all), then of those the fewest whose softmax
 * probabilities add up to at least `topP`; sets the rest to -Infinity, in place. Returns the kept
 * token ids, most likely first. Tokens tied with the last one kept are kept too.
 * @example keepNucleus(Float32Array.of(2, 1, 0, -1), 0.8) // [0, 1]: p = .64, .24 reach .8
 */
export function keepNucleus(logits: Float32Array, topP: number, topK = 0, minTokensToKeep = 1): number[] {
  // A native numeric sort of the values (not of ids with a comparator): fast enough for a
  // 50k vocabulary at every step.
  const sorted = Float32Array.from(logits).sort();
  const n = sorted.length;
  const k = topK > 0 ? Math.min(topK, n) : n;
  const max = sorted[n - 1]!;
  let total = 0;
  for (let i = 1; i <= k; i++) total += Math.exp(sorted[n - i]! - max);
  // A token stays when the tokens ranked above it hold less than topP of the probability, which
  // is transformers' rule (drop tokens whose ascending cumulative probability is <= 1 - top_p).
  let before = 0;
  let keep = 0;
  while (keep < k && (before < topP || keep < minTokensToKeep)) before += Math.exp(sorted[n - 1 - keep++]! - max) / total;
  const threshold = sorted[n - keep]!;
  const kept: number[] = [];
  for (let id = 0; id < n; id++) {
    if (logits[id]! >= threshold) kept.push(id);
    else logits[id] = -Infinity;
  }
  return kept.sort((a, b) => logits[b]! - logits[a]! || a - b);
}
