import type { PreTrainedTokenizer } from "@huggingface/transformers";

/** The reply so far. */
export interface PartialReply {
  /** Generated token ids, without the end-of-turn token. */
  ids: number[];
  text: string;
}

/** Why generation ended: an end-of-turn token, the token budget, or the AbortSignal. */
export type FinishReason = "stop" | "length" | "aborted";

/** Timings of one reply, for speed reports. */
export interface GenerationStats {
  promptTokens: number;
  /** Prompt tokens whose keys and values came from a previous turn's cache (not recomputed). */
  cachedTokens: number;
  /** Tokens generated, the end-of-turn token included (of the reply chosen). */
  newTokens: number;
  /** From the call to the first generated token (prompt processing, "time to first token"). */
  firstTokenMs: number;
  totalMs: number;
  /** Speculative decoding: tokens the assistant drafted, and how many of them this model kept. */
  draftTokens?: number;
  acceptedDraftTokens?: number;
}

/** One of several replies generated for a turn (beams, or samples for best-of-n). */
export interface Candidate extends PartialReply {
  /** Summed log-probabilities over length ** lengthPenalty, as transformers scores beams. */
  score: number;
  finish: FinishReason;
}

export interface Reply extends PartialReply {
  finish: FinishReason;
  stats: GenerationStats;
  /** Every candidate, best first by score (one unless numBeams or numReturnSequences ask for more). */
  candidates: Candidate[];
  /** Which candidate is the reply (0 unless a `rank` function picked another). */
  chosen: number;
}

/** What the engine gives a Generation: a decoding run that reports tokens as they come. */
export type Producer = (hooks: { onTokens: (ids: readonly number[]) => void; stopped: () => boolean }) => Promise<Reply>;

/**
 * One reply being generated. Iterate it for the reply so far (each time its text grows), or
 * await `result` for the whole reply; generation runs either way. Leaving the loop early (break,
 * or the runner dropping the stream) stops generation. Beam search and best-of-n yield only
 * the chosen reply, at the end.
 * @example
 * const run = engine.generate({ promptIds, options: { maxNewTokens: 40 } });
 * for await (const { text } of run) process.stdout.write(`\r${text}`);
 * const { ids, finish } = await run.result;
 */
export class Generation implements AsyncIterable<PartialReply> {
  readonly result: Promise<Reply>;
  private readonly ids: number[] = [];
  private done = false;
  private interrupted = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly stopIds: readonly number[],
    produce: Producer,
    signal?: AbortSignal,
  ) {
    this.result = produce({
      onTokens: (ids) => {
        this.ids.push(...ids);
        this.notify();
      },
      stopped: () => this.interrupted || signal?.aborted === true,
    }).finally(() => {
      this.done = true;
      this.notify();
    });
    // A failure is reported to whoever awaits `result` or iterates; this keeps it from also
    // surfacing as an unhandled rejection when nobody has started waiting yet.
    this.result.catch(() => {});
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<PartialReply> {
    let seen = 0;
    let lastText = "";
    try {
      for (;;) {
        if (this.ids.length > seen) {
          seen = this.ids.length;
          const ids = this.stopIds.includes(this.ids.at(-1)!) ? this.ids.slice(0, -1) : [...this.ids];
          const text = decode(this.tokenizer, ids);
          // A trailing U+FFFD is usually a character whose bytes are still coming: wait for them,
          // so every text yielded is a prefix of the next.
          if (text !== lastText && !text.endsWith("\uFFFD")) {
            lastText = text;
            yield { ids, text };
          }
        }
        if (this.done) break;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      const reply = await this.result;
      // Beam search and best-of-n report no tokens on the way: the chosen reply comes at the end.
      if (reply.text !== lastText) yield { ids: reply.ids, text: reply.text };
    } finally {
      if (!this.done) {
        this.interrupted = true;
        await this.result.catch(() => {});
      }
    }
  }
}

/** Byte-level BPE text exactly as generated: no special tokens, no "clean up" of spaces. */
export function decode(tokenizer: PreTrainedTokenizer, ids: readonly number[]): string {
  return ids.length === 0 ? "" : tokenizer.decode([...ids], { skip_special_tokens: true, clean_up_tokenization_spaces: false });
}
