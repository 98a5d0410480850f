import { BaseStreamer, type PreTrainedModel, type PreTrainedTokenizer, random, Tensor } from "@huggingface/transformers";
import { checkGenerationOptions, type GenerationOptions, toGenerationConfig } from "./GenerationOptions.ts";
import { StopCriteria } from "./StopCriteria.ts";
import { TopPWarper } from "./TopPWarper.ts";

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
  /** Tokens generated, the end-of-turn token included. */
  newTokens: number;
  /** From the call to the first generated token (prompt processing, "time to first token"). */
  firstTokenMs: number;
  totalMs: number;
}

export interface Reply extends PartialReply {
  finish: FinishReason;
  stats: GenerationStats;
}

export interface GenerationRequest {
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  /** The prompt's token ids (for an encoder-decoder model, the encoder's input). */
  promptIds: readonly number[];
  /** Tokens that end a reply (end of text, end of turn). */
  stopIds: readonly number[];
  options: GenerationOptions;
  signal?: AbortSignal;
}

/**
 * One reply being generated. Iterate it for the reply so far (each time its text grows), or
 * await `result` for the whole reply; generation runs either way. Leaving the loop early (break,
 * or the runner dropping the stream) stops generation.
 * @example
 * const run = startGeneration({ model, tokenizer, promptIds, stopIds: [eos], options: { maxNewTokens: 40 } });
 * for await (const { text } of run) process.stdout.write(`\r${text}`);
 * const { ids, finish } = await run.result;
 */
export class Generation implements AsyncIterable<PartialReply> {
  readonly result: Promise<Reply>;
  private readonly ids: number[] = [];
  private done = false;
  private wake: (() => void) | undefined;
  private readonly stop: StopCriteria;

  constructor(private readonly req: GenerationRequest) {
    checkGenerationOptions(req.options);
    this.stop = new StopCriteria(req.signal);
    this.result = this.run();
    // A failure is reported to whoever awaits `result` or iterates; this keeps it from also
    // surfacing as an unhandled rejection when nobody has started waiting yet.
    this.result.catch(() => {});
  }

  private async run(): Promise<Reply> {
    const { model, tokenizer, promptIds, options, stopIds } = this.req;
    const started = performance.now();
    let firstTokenAt = 0;
    const streamer = new TokenStreamer((tokens) => {
      if (this.ids.length === 0) firstTokenAt = performance.now();
      this.ids.push(...tokens);
      this.notify();
    });
    try {
      if (!this.stop.stopped) {
        const inputIds = toTensor(promptIds);
        const attentionMask = toTensor(promptIds.map(() => 1));
        const logitsProcessor = [];
        // The model's own generation_config.json may ask for top_p too (Qwen2.5-Instruct: 0.8);
        // transformers.js would ignore that as well, so it is applied here like ours.
        const defaults = (model.generation_config ?? {}) as { do_sample?: boolean; top_p?: number; top_k?: number };
        const topP = options.topP ?? defaults.top_p ?? 1;
        if ((options.doSample ?? defaults.do_sample) && topP < 1) {
          // The sampler's top-k, so top-p is applied after it as in transformers (default 50).
          logitsProcessor.push(new TopPWarper(topP, options.topK ?? defaults.top_k ?? 50));
        }
        if (options.seed !== undefined) random.seed(options.seed);
        await model.generate({
          input_ids: inputIds,
          attention_mask: attentionMask,
          ...toGenerationConfig(options),
          streamer: streamer as never, // typed as TextStreamer, but generate() only calls put() and end()
          stopping_criteria: [this.stop],
          // The typings want a LogitsProcessorList; generate() only iterates over it.
          logits_processor: logitsProcessor as never,
        });
      }
    } finally {
      this.done = true;
      this.notify();
    }
    const ended = stopIds.includes(this.ids.at(-1) ?? -1);
    const ids = ended ? this.ids.slice(0, -1) : [...this.ids];
    const finish: FinishReason = ended ? "stop" : this.stop.stopped ? "aborted" : "length";
    const now = performance.now();
    return {
      ids,
      text: decode(tokenizer, ids),
      finish,
      stats: { promptTokens: promptIds.length, newTokens: this.ids.length, firstTokenMs: (firstTokenAt || now) - started, totalMs: now - started },
    };
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
          const ids = this.req.stopIds.includes(this.ids.at(-1)!) ? this.ids.slice(0, -1) : [...this.ids];
          const text = decode(this.req.tokenizer, ids);
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
      await this.result;
    } finally {
      if (!this.done) {
        this.stop.interrupt();
        await this.result.catch(() => {});
      }
    }
  }
}

/**
 * Starts generating a reply.
 * @example const reply = await startGeneration({ model, tokenizer, promptIds, stopIds: [eos], options: {} }).result;
 */
export function startGeneration(req: GenerationRequest): Generation {
  return new Generation(req);
}

/** Byte-level BPE text exactly as generated: no special tokens, no "clean up" of spaces. */
export function decode(tokenizer: PreTrainedTokenizer, ids: readonly number[]): string {
  return ids.length === 0 ? "" : tokenizer.decode([...ids], { skip_special_tokens: true, clean_up_tokenization_spaces: false });
}

function toTensor(ids: readonly number[]): Tensor {
  // One row: the predict functions answer one conversation at a time.
  return new Tensor("int64", BigInt64Array.from(ids, (id) => BigInt(id)), [1, ids.length]);
}

/** Receives generate()'s tokens; the first put() is the prompt (or the decoder's start token). */
class TokenStreamer extends BaseStreamer {
  private sawPrompt = false;

  constructor(private readonly onTokens: (ids: number[]) => void) {
    super();
  }

  override put(value: bigint[][]): void {
    if (!this.sawPrompt) {
      this.sawPrompt = true;
      return;
    }
    this.onTokens(value[0]!.map(Number));
  }

  override end(): void {}
}
