import * as ort from "onnxruntime-node";
import type { ModelDecoder, Past } from "./ModelDecoder.ts";

/** One conversation decoding in the shared batch. */
interface Member {
  /** Its cache until it joins the batch (one row, no padding). */
  own: Past | undefined;
  /** Real positions it has (prompt and fed tokens). */
  length: number;
  /** Its row's attention mask over the batch's positions (0 = left padding). */
  mask: number[];
  pending: { token: number; resolve: (logits: Float32Array) => void; reject: (e: unknown) => void } | undefined;
  left: boolean;
}

/** A member's handle: feed a token, get the next logits; leave when done. */
export interface BatchSeat {
  step(token: number): Promise<Float32Array>;
  /** Leaves the batch; returns the member's own cache (unpadded, one row) and how many positions it covers. */
  leave(): { past: Past | undefined; length: number };
}

/**
 * Continuous batching for a decoder-only model: every conversation in its decoding phase feeds
 * its next token through one batched forward pass. A conversation joins at the next step
 * (its cache left-padded to the batch's length, masked out) and leaves when done. While the
 * members stay the same, the batch's cache is the last step's output, with no copying; it is
 * rebuilt (rows dropped, new ones padded in, shared padding trimmed) only when members change.
 * @example const seat = batch.join(prefill.state.past, promptIds.length); const logits = await seat.step(token); seat.leave();
 */
export class DecodeBatch {
  private members: Member[] = [];
  /** The batch's cache: one row per member of `members` (in order), all `length` long. */
  private past: Past | undefined;
  private length = 0;
  private running = false;
  /** Largest batch seen, for reports. */
  maxRows = 0;

  constructor(
    private readonly decoder: ModelDecoder,
    private readonly exclusive: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {}

  join(past: Past, length: number): BatchSeat {
    const m: Member = { own: past, length, mask: [], pending: undefined, left: false };
    this.members.push(m);
    return {
      step: (token) =>
        new Promise<Float32Array>((resolve, reject) => {
          m.pending = { token, resolve, reject };
          this.maybeRun();
        }),
      leave: () => {
        const out = { past: m.own ?? this.extract(m), length: m.length };
        m.left = true;
        this.maybeRun();
        return out;
      },
    };
  }

  /** Runs a step once every member still here has a token waiting. */
  private maybeRun(): void {
    if (this.running) return;
    const live = this.members.filter((m) => !m.left);
    if (live.length === 0 || live.some((m) => !m.pending)) return;
    this.running = true;
    this.exclusive(() => this.run())
      .catch((e: unknown) => {
        // The model was disposed under the batch: every waiting member hears of it.
        for (const m of this.members) m.pending?.reject(e);
        for (const m of this.members) m.pending = undefined;
      })
      .finally(() => {
        this.running = false;
        this.maybeRun();
      });
  }

  private async run(): Promise<void> {
    this.rebuild();
    const members = this.members;
    const waiting = members.map((m) => m.pending!);
    for (const m of members) m.pending = undefined;
    try {
      this.maxRows = Math.max(this.maxRows, members.length);
      const masks = members.map((m) => [...m.mask, 1]);
      const { logits, state } = await this.decoder.step(
        { rows: members.length, length: this.length, past: this.past },
        waiting.map((w) => [w.token]),
        masks,
      );
      this.past = state.past;
      this.length = state.length;
      members.forEach((m, i) => {
        m.mask = masks[i]!;
        m.length++;
      });
      waiting.forEach((w, i) => w.resolve(logits[i]!));
    } catch (e) {
      for (const w of waiting) w.reject(e);
    }
  }

  /** Drops members that left, pads joiners in, trims padding every row has. */
  private rebuild(): void {
    const stay = this.members.filter((m) => !m.left && !m.own);
    const joining = this.members.filter((m) => !m.left && m.own);
    if (joining.length === 0 && stay.length === this.members.length) return;
    const target = Math.max(0, ...stay.map((m) => m.length), ...joining.map((m) => m.length));
    const oldRows = new Map(this.members.filter((m) => !m.own).map((m, i) => [m, i]));
    const sources = [
      ...stay.map((m) => ({ from: this.past!, row: oldRows.get(m)!, drop: this.length - m.length, pad: target - m.length })),
      ...joining.map((m) => ({ from: m.own!, row: 0, drop: 0, pad: target - m.length })),
    ];
    const names = Object.keys(this.past ?? joining[0]!.own!);
    // Alone in the batch: its own cache is the batch's, no copy.
    if (stay.length === 0 && joining.length === 1) this.past = joining[0]!.own;
    else this.past = Object.fromEntries(names.map((name) => [name, gather(sources.map((s) => ({ ...s, tensor: s.from[name]! })), target)]));
    this.length = target;
    this.members = [...stay, ...joining];
    for (const m of this.members) {
      m.own = undefined;
      m.mask = [...new Array<number>(target - m.length).fill(0), ...new Array<number>(m.length).fill(1)];
    }
  }

  /** A member's own rows out of the batch's cache, without its padding. */
  private extract(m: Member): Past | undefined {
    const row = this.members.filter((x) => !x.own).indexOf(m);
    if (row < 0 || !this.past) return undefined;
    const past = this.past;
    if (this.members.length === 1 && this.length === m.length) return past;
    return Object.fromEntries(Object.keys(past).map((name) => [name, gather([{ tensor: past[name]!, row, drop: this.length - m.length, pad: 0 }], m.length)]));
  }
}

/**
 * A [rows, heads, length, headDim] tensor whose row i is `pad` zero positions, then row `row` of
 * `tensor` from position `drop` on (its real positions, left padding dropped).
 */
function gather(sources: readonly { tensor: ort.Tensor; row: number; drop: number; pad: number }[], length: number): ort.Tensor {
  const [, heads, , dim] = sources[0]!.tensor.dims as [number, number, number, number];
  const first = sources[0]!.tensor.data as Float32Array | Uint16Array;
  const out = new (first.constructor as new (n: number) => Float32Array | Uint16Array)(sources.length * heads * length * dim);
  sources.forEach(({ tensor, row, drop, pad }, i) => {
    const src = tensor.data as Float32Array;
    const srcLength = tensor.dims[2]!;
    for (let h = 0; h < heads; h++) {
      const from = ((row * heads + h) * srcLength + drop) * dim;
      const to = ((i * heads + h) * length + pad) * dim;
      out.set(src.subarray(from, from + (srcLength - drop) * dim), to);
    }
  });
  return new ort.Tensor(sources[0]!.tensor.type as "float32", out as Float32Array, [sources.length, heads, length, dim]);
}
