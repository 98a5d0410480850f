import type { PreTrainedModel } from "@huggingface/transformers";
import * as ort from "onnxruntime-node";

/** Key/value tensors by their input name (`past_key_values.0.key`, ...), rows = batch. */
export type Past = Record<string, ort.Tensor>;

/** Where decoding stands for a batch of rows: what the model has been fed, and its cache. */
export interface DecodeState {
  rows: number;
  /** Decoder positions fed so far (same for every row). */
  length: number;
  past: Past | undefined;
  /** Encoder-decoder models: the encoder's output and mask, one row per decoding row. */
  encoder?: { states: ort.Tensor; mask: ort.Tensor };
}

/** One step's outcome: the next-token logits of each row (a copy, free to change), and the new state. */
export interface StepResult {
  logits: Float32Array[];
  state: DecodeState;
  /** With `every`: row 0's logits at every position fed (speculative decoding checks each draft token). */
  every?: Float32Array[];
}

const int64 = (rows: readonly (readonly number[])[]) => {
  const width = rows[0]?.length ?? 0;
  const data = new BigInt64Array(rows.length * width);
  rows.forEach((r, i) => r.forEach((v, j) => (data[i * width + j] = BigInt(v))));
  return new ort.Tensor("int64", data, [rows.length, width]);
};

/**
 * The model's forward pass on onnxruntime-node, through the sessions transformers.js loaded:
 * Dais owns the decoding loop (beam search, prefix caches, batching), transformers.js the
 * loading. One decoder per model; it holds no per-request state.
 */
export class ModelDecoder {
  readonly encoderDecoder: boolean;
  private readonly decoder: ort.InferenceSession;
  private readonly encoder: ort.InferenceSession | undefined;
  private readonly cacheNames: string[];
  private readonly cacheShape: { heads: number; headDim: number; type: "float32" | "float16" };
  /** For an encoder-decoder model: the decoder's start token. */
  readonly startId: number;

  constructor(model: PreTrainedModel) {
    const sessions = (model as unknown as { sessions: Record<string, ort.InferenceSession> }).sessions;
    const config = model.config as unknown as Record<string, unknown>;
    this.encoderDecoder = config.is_encoder_decoder === true;
    this.decoder = (this.encoderDecoder ? sessions.decoder_model_merged : sessions.model)!;
    this.encoder = this.encoderDecoder ? sessions.model : undefined;
    this.cacheNames = this.decoder.inputNames.filter((n) => n.startsWith("past_key_values."));
    this.startId = Number((model.generation_config as { decoder_start_token_id?: number } | null)?.decoder_start_token_id ?? config.decoder_start_token_id ?? 0);
    this.cacheShape = cacheShape(this.decoder, config);
  }

  /** Bytes a cache of `tokens` positions takes, for one row. */
  bytesPerToken(): number {
    return this.cacheNames.length * this.cacheShape.heads * this.cacheShape.headDim * (this.cacheShape.type === "float16" ? 2 : 4);
  }

  /** Encoder-decoder models: runs the encoder once and repeats its output for `rows` rows. */
  async encode(promptIds: readonly number[], rows: number): Promise<DecodeState> {
    const mask = int64([promptIds.map(() => 1)]);
    const out = await this.encoder!.run({ input_ids: int64([promptIds]), attention_mask: mask });
    const states = out.last_hidden_state as ort.Tensor;
    return { rows, length: 0, past: undefined, encoder: { states: repeatRows(states, rows), mask: repeatRows(mask, rows) } };
  }

  /** An empty state for a decoder-only model. */
  empty(rows: number): DecodeState {
    return { rows, length: 0, past: undefined };
  }

  /**
   * Feeds `tokens` (the same count per row) after what the state has seen; returns each row's
   * logits for the position after its last token. `masks` gives, per row, which of all
   * positions (past and new) are real: left padding of batched prompts.
   */
  async step(state: DecodeState, tokens: readonly (readonly number[])[], masks?: readonly (readonly number[])[], every = false): Promise<StepResult> {
    const fed = tokens[0]!.length;
    const total = state.length + fed;
    const feeds: Record<string, ort.Tensor> = { input_ids: int64(tokens) };
    const names = this.decoder.inputNames;
    if (this.encoderDecoder) {
      feeds.encoder_hidden_states = state.encoder!.states;
      if (names.includes("encoder_attention_mask")) feeds.encoder_attention_mask = state.encoder!.mask;
    }
    // Merged decoders (encoder-decoder ones, and older decoder-only conversions) pick the branch that reads the cache.
    if (names.includes("use_cache_branch")) feeds.use_cache_branch = new ort.Tensor("bool", [state.past !== undefined], [1]);
    if (!this.encoderDecoder) {
      const mask = masks ?? tokens.map(() => new Array<number>(total).fill(1));
      if (names.includes("attention_mask")) feeds.attention_mask = int64(mask);
      if (names.includes("position_ids"))
        feeds.position_ids = int64(
          mask.map((m) => {
            // Positions count real tokens only, so a left-padded row numbers its tokens as it would alone.
            let before = 0;
            for (let i = 0; i < state.length; i++) before += m[i]!;
            const out: number[] = [];
            for (let i = state.length; i < total; i++) {
              out.push(m[i] ? before : 1);
              before += m[i]!;
            }
            return out;
          }),
        );
    }
    const { heads, headDim, type } = this.cacheShape;
    for (const name of this.cacheNames) {
      // The encoder's cache stays what the first decoder step computed from the encoder's output.
      feeds[name] = state.past?.[name] ?? new ort.Tensor(type, type === "float16" ? new Uint16Array(0) : new Float32Array(0), [state.rows, heads, 0, headDim]);
    }
    const out = await this.decoder.run(feeds);
    const past: Past = {};
    for (const name of this.cacheNames) {
      const present = name.replace("past_key_values.", "present.");
      past[name] = state.past && name.includes(".encoder.") ? state.past[name]! : (out[present] as ort.Tensor);
    }
    return { logits: lastLogits(out.logits as ort.Tensor), state: { ...state, length: total, past }, ...(every ? { every: allLogits(out.logits as ort.Tensor) } : {}) };
  }
}

/** The cache tensors' heads, head size and type, from the graph's declared inputs (else config.json). */
function cacheShape(session: ort.InferenceSession, config: Record<string, unknown>): { heads: number; headDim: number; type: "float32" | "float16" } {
  const meta = (session as unknown as { inputMetadata?: { name: string; type?: string; shape?: (number | string)[] }[] }).inputMetadata;
  const first = meta?.find((m) => m.name.startsWith("past_key_values."));
  const type = first?.type === "float16" ? "float16" : "float32";
  const [, h, , d] = first?.shape ?? [];
  if (typeof h === "number" && typeof d === "number") return { heads: h, headDim: d, type };
  const n = (k: string) => (typeof config[k] === "number" ? (config[k] as number) : undefined);
  const attention = n("decoder_attention_heads") ?? n("n_head") ?? n("num_attention_heads")!;
  const heads = n("num_key_value_heads") ?? attention;
  const width = n("d_model") ?? n("n_embd") ?? n("hidden_size")!;
  return { heads, headDim: n("head_dim") ?? width / attention, type };
}

/** Each row's logits at its last position, as float32. */
function lastLogits(t: ort.Tensor): Float32Array[] {
  const [rows, seq, vocab] = t.dims as [number, number, number];
  const data = t.data as Float32Array | Uint16Array;
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const start = (r * seq + seq - 1) * vocab;
    out.push(data instanceof Float32Array ? data.slice(start, start + vocab) : Float32Array.from(data.subarray(start, start + vocab), halfToFloat));
  }
  return out;
}

/** Row 0's logits at every position, as float32. */
function allLogits(t: ort.Tensor): Float32Array[] {
  const [, seq, vocab] = t.dims as [number, number, number];
  const data = t.data as Float32Array | Uint16Array;
  const out: Float32Array[] = [];
  for (let p = 0; p < seq; p++) out.push(data instanceof Float32Array ? data.slice(p * vocab, (p + 1) * vocab) : Float32Array.from(data.subarray(p * vocab, (p + 1) * vocab), halfToFloat));
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** A tensor with its first dimension's row 0 repeated `rows` times. */
export function repeatRows(t: ort.Tensor, rows: number): ort.Tensor {
  return rows === 1 && t.dims[0] === 1 ? t : selectRows(t, new Array<number>(rows).fill(0));
}

/** A tensor made of the given rows (first dimension) of `t`, in that order: beams reordered, rows expanded. */
export function selectRows(t: ort.Tensor, rows: readonly number[]): ort.Tensor {
  const rowSize = t.dims.slice(1).reduce((a, b) => a * b, 1);
  const src = t.data as Float32Array | Uint16Array | BigInt64Array;
  const out = new (src.constructor as new (n: number) => typeof src)(rows.length * rowSize);
  rows.forEach((r, i) => out.set(src.subarray(r * rowSize, (r + 1) * rowSize) as never, i * rowSize));
  return new ort.Tensor(t.type as "float32", out as Float32Array, [rows.length, ...t.dims.slice(1)]);
}

/** The state with its rows picked (and repeated) by index: beam reordering, or one prompt expanded to several rows. */
export function selectState(state: DecodeState, rows: readonly number[]): DecodeState {
  const identity = rows.length === state.rows && rows.every((r, i) => r === i);
  if (identity) return state;
  const past = state.past && Object.fromEntries(Object.entries(state.past).map(([k, t]) => [k, selectRows(t, rows)]));
  const encoder = state.encoder && { states: selectRows(state.encoder.states, rows), mask: selectRows(state.encoder.mask, rows) };
  return { rows: rows.length, length: state.length, past, ...(encoder ? { encoder } : {}) };
}

/** A one-row state cut back to its first `length` positions (speculative decoding drops rejected draft tokens). */
export function cropState(state: DecodeState, length: number): DecodeState {
  if (length >= state.length || !state.past) return state;
  const past = Object.fromEntries(
    Object.entries(state.past).map(([name, t]) => {
      const [rows, heads, total, dim] = t.dims as [number, number, number, number];
      const src = t.data as Float32Array | Uint16Array;
      const out = new (src.constructor as new (n: number) => Float32Array | Uint16Array)(rows * heads * length * dim);
      for (let rh = 0; rh < rows * heads; rh++) out.set(src.subarray(rh * total * dim, (rh * total + length) * dim), rh * length * dim);
      return [name, new ort.Tensor(t.type as "float32", out as Float32Array, [rows, heads, length, dim])];
    }),
  );
  return { ...state, length, past };
}
