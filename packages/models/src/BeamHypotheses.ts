/** A finished beam: its tokens (without the end token), its length-normalised score. */
export interface Hypothesis {
  ids: number[];
  score: number;
  /** Ended by an end token (else by the token budget). */
  ended: boolean;
}

/**
 * The n best finished beams, as Hugging Face transformers keeps them (`BeamHypotheses`): a
 * beam's score is its summed log-probabilities over `generatedLength ** lengthPenalty`; the
 * worst is dropped when more than `numBeams` are kept.
 * @example const hyps = new BeamHypotheses(4, 1.0, false); hyps.add([5, 7], -3.2, 3, true);
 */
export class BeamHypotheses {
  readonly beams: Hypothesis[] = [];
  private worst = 1e9;

  constructor(
    readonly numBeams: number,
    readonly lengthPenalty: number,
    readonly earlyStopping: boolean | "never",
    readonly maxNewTokens = Infinity,
  ) {}

  add(ids: number[], sumLogprobs: number, generatedLength: number, ended: boolean): void {
    const score = sumLogprobs / generatedLength ** this.lengthPenalty;
    if (this.beams.length < this.numBeams || score > this.worst) {
      this.beams.push({ ids, score, ended });
      if (this.beams.length > this.numBeams) {
        // transformers sorts (score, index) pairs: among equal scores the earliest goes.
        const order = this.beams.map((b, i) => [b.score, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        this.beams.splice(order[0]![1], 1);
        this.worst = order[1]![0];
      } else this.worst = Math.min(score, this.worst);
    }
  }

  /** No running beam can beat the kept ones any more (transformers' `is_done`). */
  isDone(bestSumLogprobs: number, generatedLength: number): boolean {
    if (this.beams.length < this.numBeams) return false;
    if (this.earlyStopping === true) return true;
    const length = this.earlyStopping === "never" && this.lengthPenalty > 0 ? this.maxNewTokens : generatedLength;
    return this.worst >= bestSumLogprobs / length ** this.lengthPenalty;
  }

  /** The best `n`, best first (ties: the later added first, as transformers pops a sorted list). */
  best(n: number): Hypothesis[] {
    const sorted = this.beams.map((b, i) => [b, i] as const).sort((a, b) => a[0].score - b[0].score || a[1] - b[1]);
    return sorted.slice(-n).reverse().map(([b]) => b);
  }
}
