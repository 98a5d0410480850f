/**
 * Everything that shapes one step's scores, resolved from the options and the model's
 * generation_config.json. Mirrors Hugging Face transformers' logits processors, in their order:
 * repetition penalty, no-repeat n-gram, minimum length, forced end; then, when sampling, the
 * warpers temperature, top-k, top-p.
 */
export interface LogitsRules {
  repetitionPenalty: number;
  noRepeatNgramSize: number;
  /** The sequence (prompt included for a decoder-only model, the start token for a decoder) must reach this length before an end token. */
  minLength: number;
  stopIds: readonly number[];
  /** Forced at the last step the budget allows (BlenderBot's forced_eos_token_id). */
  forcedEosId: number | undefined;
  temperature: number;
  topK: number;
  topP: number;
}

/**
 * Applies the processors (not the warpers) in place. `sequence` is what the model has seen and
 * produced (transformers' `input_ids` row); `newTokens` counts the generated tokens, `maxNewTokens` the budget.
 * @example applyProcessors(logits, [5, 9, 5], rules, 2, 30)
 */
export function applyProcessors(scores: Float32Array, sequence: readonly number[], rules: LogitsRules, newTokens: number, maxNewTokens: number): void {
  if (rules.repetitionPenalty !== 1) {
    const seen = new Set(sequence);
    for (const id of seen) {
      const s = scores[id];
      if (s === undefined) continue;
      scores[id] = s < 0 ? s * rules.repetitionPenalty : s / rules.repetitionPenalty;
    }
  }
  const n = rules.noRepeatNgramSize;
  if (n > 0 && sequence.length + 1 >= n) {
    // Every n-gram seen so far whose first n-1 tokens equal the sequence's last n-1 is banned from completing.
    const tail = sequence.slice(sequence.length - (n - 1));
    for (let i = 0; i + n <= sequence.length; i++) {
      let same = true;
      for (let j = 0; j < n - 1 && same; j++) same = sequence[i + j] === tail[j];
      if (same) scores[sequence[i + n - 1]!] = -Infinity;
    }
  }
  if (sequence.length < rules.minLength) for (const id of rules.stopIds) if (id < scores.length) scores[id] = -Infinity;
  if (rules.forcedEosId !== undefined && newTokens === maxNewTokens - 1) {
    scores.fill(-Infinity);
    scores[rules.forcedEosId] = 0;
  }
}

/** Temperature, top-k and top-p, in place, as transformers applies them before sampling. */
export function applyWarpers(scores: Float32Array, rules: LogitsRules): void {
  if (rules.temperature !== 1) for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! / rules.temperature;
  if (rules.topP < 1) keepNucleus(scores, rules.topP, rules.topK);
  else if (rules.topK > 0 && rules.topK < scores.length) {
    const kth = Float32Array.from(scores).sort()[scores.length - rules.topK]!;
    for (let i = 0; i < scores.length; i++) if (scores[i]! < kth) scores[i] = -Infinity;
  }
}

/** log(softmax(x)), in place. */
export function logSoftmax(scores: Float32Array): Float32Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (const s of scores) sum += Math.exp(s - max);
  const log = max + Math.log(sum);
  for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! - log;
  return scores;
}

export function argmax(scores: Float32Array): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
  return best;
}

/** Draws a token from softmax(scores) with a uniform number in [0, 1). */
export function sample(scores: Float32Array, uniform: number): number {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (const s of scores) sum += Math.exp(s - max);
  let target = uniform * sum;
  let last = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] === -Infinity) continue;
    last = i;
    target -= Math.exp(scores[i]! - max);
    if (target <= 0) return i;
  }
  return last;
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
