import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { BeamHypotheses } from "./BeamHypotheses.ts";
import { DecodeBatch } from "./DecodeBatch.ts";
import { contextWindow, stopTokenIds } from "./contextWindow.ts";
import { type Candidate, decode, type FinishReason, Generation, type Reply } from "./Generation.ts";
import { checkGenerationOptions, type GenerationOptions, modelGenerationDefaults } from "./GenerationOptions.ts";
import { type LoadedModel, loadModel, type ModelOptions } from "./loadModel.ts";
import { applyProcessors, applyWarpers, argmax, type LogitsRules, logSoftmax, sample } from "./LogitsRules.ts";
import { cropState, type DecodeState, ModelDecoder, selectState, type StepResult } from "./ModelDecoder.ts";
import { defaultCacheDir, type ModelKind, resolveModelSource } from "./ModelSource.ts";
import { PrefixCache } from "./PrefixCache.ts";
import { Rng } from "./Rng.ts";

export interface EngineOptions extends ModelOptions {
  model: string;
  /** A model id to name in "not available" messages. */
  example?: string;
  /** Memory for the KV caches kept between turns, in MiB (0: none). Default 512. */
  kvCacheMiB?: number;
}

/** One turn's request to the engine. */
export interface GenerationRequest {
  /** The prompt's token ids (for an encoder-decoder model, the encoder's input). */
  promptIds: readonly number[];
  /** Merged over the model's generation_config.json. */
  options: GenerationOptions;
  signal?: AbortSignal;
  /** The conversation this turn belongs to (Dais passes the session): whose cache to extend. */
  session?: string;
  /** Reuse and keep the KV cache of earlier turns (decoder-only models). Default true. */
  prefixCache?: boolean;
  /** Decode in one batched forward pass per step with the model's other replies (decoder-only models, one candidate). Default true. */
  batching?: boolean;
  /** Picks the reply among the candidates (best first by score); default: the first. */
  rank?: (candidates: readonly Candidate[]) => number | Promise<number>;
  /** A small model with the same tokenizer that drafts tokens for this one to check (speculative decoding, greedy replies). */
  assistant?: GenerationEngine;
}

const engines = new Map<string, Promise<GenerationEngine>>();

/**
 * Owns one loaded model: its tokenizer, its forward pass, a queue that runs one forward pass at
 * a time, the KV caches kept between turns, and a seeded random generator per request. Every
 * predict function naming the same model, folder and dtype shares one engine (one load).
 * @example
 * const engine = await GenerationEngine.open("causal", { model: "Xenova/DialoGPT-small" });
 * const reply = await engine.generate({ promptIds, options: { maxNewTokens: 40 } }).result;
 * await engine.release();
 */
export class GenerationEngine {
  readonly decoder: ModelDecoder;
  readonly tokenizer: PreTrainedTokenizer;
  /** Positions the model attends over. */
  readonly window: number;
  /** Tokens that end a reply. */
  readonly stopIds: number[];
  /** The model's generation_config.json, as our options. */
  readonly defaults: GenerationOptions;
  readonly cache: PrefixCache;
  /** Replies decoding together (decoder-only models). */
  readonly batch: DecodeBatch;
  private readonly forcedEosId: number | undefined;
  private refs = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    readonly loaded: LoadedModel,
    private readonly key: string,
    kvCacheMiB: number,
  ) {
    const { model, tokenizer } = loaded;
    this.tokenizer = tokenizer;
    this.decoder = new ModelDecoder(model);
    this.window = contextWindow(model, tokenizer);
    this.stopIds = stopTokenIds(model, tokenizer);
    const config = { ...(model.config as unknown as Record<string, unknown>), ...((model.generation_config ?? {}) as Record<string, unknown>) };
    this.defaults = modelGenerationDefaults(config);
    this.forcedEosId = typeof config.forced_eos_token_id === "number" ? config.forced_eos_token_id : undefined;
    this.cache = new PrefixCache(kvCacheMiB * 1024 * 1024);
    this.batch = new DecodeBatch(this.decoder, (fn) => this.exclusive(fn));
  }

  /** The engine for this model, loading it unless another predict function already did. Call `release()` when done with it. */
  static async open(kind: ModelKind, options: EngineOptions): Promise<GenerationEngine> {
    const dir = resolveModelSource(options.model, options.cacheDir ?? defaultCacheDir()).dir;
    const key = `${kind}\0${dir}\0${options.dtype ?? "fp32"}`;
    let pending = engines.get(key);
    if (!pending) {
      pending = loadModel(kind, options).then((loaded) => new GenerationEngine(loaded, key, options.kvCacheMiB ?? 512));
      engines.set(key, pending);
      pending.catch(() => engines.delete(key));
    }
    const engine = await pending;
    engine.refs++;
    return engine;
  }

  /** Gives up one `open()`; the last one frees the model's sessions and caches. */
  async release(): Promise<void> {
    if (--this.refs > 0 || this.disposed) return;
    this.disposed = true;
    engines.delete(this.key);
    this.cache.clear();
    await this.queue.catch(() => {});
    await this.loaded.model.dispose();
  }

  /** Frees the KV cache kept for a conversation (when its session ends). */
  endSession(session: string): void {
    this.cache.delete(session);
  }

  /** Throws for options this engine cannot honour, before any work starts. */
  check(options: GenerationOptions): GenerationOptions {
    const o = { ...this.defaults, ...options };
    checkGenerationOptions(o);
    const beams = o.numBeams ?? 1;
    const n = o.numReturnSequences ?? 1;
    if (beams > 1 && n > beams) throw new RangeError(`numReturnSequences (${n}) must be at most numBeams (${beams}).`);
    if (beams === 1 && n > 1 && !o.doSample) throw new RangeError(`numReturnSequences ${n} needs numBeams of at least ${n} (beam search) or doSample (best-of-n sampling).`);
    if (beams > 1 && o.doSample) throw new RangeError("Beam search with sampling (numBeams > 1 with doSample) is not supported; turn one of them off.");
    if (o.maxNewTokens !== undefined && o.maxNewTokens >= this.window)
      throw new RangeError(`maxNewTokens (${o.maxNewTokens}) must be below the model's window of ${this.window} tokens.`);
    return o;
  }

  /** Starts generating a reply; see Generation. */
  generate(req: GenerationRequest): Generation {
    const options = this.check(req.options);
    return new Generation(this.tokenizer, this.stopIds, (hooks) => this.run({ ...req, options }, hooks), req.signal);
  }

  /** Runs one forward pass when the model is free: requests take turns step by step. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.disposed) throw new Error("The model was disposed.");
      return fn();
    });
    this.queue = next.catch(() => {});
    return next;
  }

  private async run(req: GenerationRequest, hooks: { onTokens: (ids: readonly number[]) => void; stopped: () => boolean }): Promise<Reply> {
    const started = performance.now();
    const o = req.options;
    const maxNew = o.maxNewTokens ?? 20;
    const beams = o.numBeams ?? 1;
    const rows = beams > 1 ? beams : (o.numReturnSequences ?? 1);
    const rules: LogitsRules = {
      repetitionPenalty: o.repetitionPenalty ?? 1,
      noRepeatNgramSize: o.noRepeatNgramSize ?? 0,
      minLength: o.minLength ?? 0,
      stopIds: this.stopIds,
      forcedEosId: this.forcedEosId,
      temperature: o.doSample ? (o.temperature ?? 1) : 1,
      topK: o.doSample ? (o.topK ?? 50) : 0,
      topP: o.doSample ? (o.topP ?? 1) : 1,
    };
    const prompt = req.promptIds;
    const d = this.decoder;
    const useCache = req.prefixCache !== false && !d.encoderDecoder && this.cache.budgetBytes > 0;
    const cacheKey = req.session ?? "\0anonymous";

    const emptyReply = (): Reply => ({
      ids: [],
      text: "",
      finish: "aborted",
      candidates: [this.candidate([], 0, "aborted")],
      chosen: 0,
      stats: { promptTokens: prompt.length, cachedTokens: 0, newTokens: 0, firstTokenMs: 0, totalMs: performance.now() - started },
    });
    if (hooks.stopped()) return emptyReply();

    // Prefill: the prompt (after what a cached turn already holds), or the encoder and the start token.
    let cachedTokens = 0;
    let prefilled: StepResult;
    if (d.encoderDecoder) {
      const encoded = await this.exclusive(() => d.encode(prompt, 1));
      prefilled = await this.exclusive(() => d.step(encoded, [[d.startId]]));
    } else {
      const hit = useCache ? this.cache.lookup(req.session, prompt) : undefined;
      const start: DecodeState = hit ? { rows: 1, length: hit.tokens.length, past: hit.past } : d.empty(1);
      cachedTokens = start.length;
      prefilled = await this.exclusive(() => d.step(start, [prompt.slice(start.length)]));
      if (useCache) this.cache.store(cacheKey, prompt, prefilled.state.past!, prompt.length * d.bytesPerToken());
    }
    const state = prefilled.state;
    const first = prefilled.logits[0]!;
    let firstTokenAt = 0;
    const context = d.encoderDecoder ? [d.startId] : [...prompt];
    const stepRows = async (s: DecodeState, tokens: number[]) => this.exclusive(() => d.step(s, tokens.map((t) => [t])));

    let candidates: Candidate[];
    let aborted = false;
    let speculation: { draftTokens: number; acceptedDraftTokens: number } | undefined;
    if (req.assistant && rows === 1 && !o.doSample && !d.encoderDecoder) {
      const s = await this.speculate(req.assistant, prompt, state, first, rules, maxNew, hooks, useCache ? req.session : null, cacheKey);
      firstTokenAt = s.firstTokenAt;
      aborted = s.aborted;
      speculation = { draftTokens: s.drafted, acceptedDraftTokens: s.accepted };
      if (useCache) this.cache.store(cacheKey, [...prompt, ...s.gen.slice(0, -1)], s.main.past!, s.main.length * d.bytesPerToken());
      const ended = this.stopIds.includes(s.gen.at(-1)!);
      candidates = [this.candidate(ended ? s.gen.slice(0, -1) : s.gen, 0, ended ? "stop" : aborted ? "aborted" : "length")];
    } else if (beams > 1) {
      // Beam search as transformers runs it: every beam's log-probabilities (after the
      // processors) plus its running score; the 2·numBeams best continuations across beams;
      // a continuation that ends goes to the finished hypotheses if it ranks among the first
      // numBeams, the others become the next beams.
      const hyps = new BeamHypotheses(beams, o.lengthPenalty ?? 1, o.earlyStopping ?? false, maxNew);
      let beamState = selectState(state, new Array<number>(beams).fill(0));
      let logits: Float32Array[] = new Array<Float32Array>(beams).fill(first).map((l) => l.slice());
      let scores: number[] = Array.from({ length: beams }, (_, i) => (i === 0 ? 0 : -1e9));
      let seqs: number[][] = Array.from({ length: beams }, () => []);
      let done = false;
      const keep = Math.max(2, 1 + this.stopIds.length) * beams;
      for (let t = 0; t < maxNew && !done; t++) {
        const flat: { score: number; beam: number; token: number }[] = [];
        for (let b = 0; b < beams; b++) {
          const s = logSoftmax(logits[b]!);
          applyProcessors(s, [...context, ...seqs[b]!], rules, t, maxNew);
          topInto(flat, s, scores[b]!, b, keep);
        }
        flat.sort((a, b) => b.score - a.score || a.beam * 1e9 + a.token - (b.beam * 1e9 + b.token));
        const top = flat.slice(0, keep);
        const next: { score: number; beam: number; token: number }[] = [];
        for (let rank = 0; rank < top.length && next.length < beams; rank++) {
          const c = top[rank]!;
          if (this.stopIds.includes(c.token)) {
            if (rank < beams) hyps.add([...seqs[c.beam]!], c.score, t + 1, true);
          } else next.push(c);
        }
        if (t === 0) firstTokenAt = performance.now();
        done = hyps.isDone(top[0]!.score, t + 1);
        seqs = next.map((c) => [...seqs[c.beam]!, c.token]);
        scores = next.map((c) => c.score);
        if (done || t === maxNew - 1) break;
        if (hooks.stopped()) {
          aborted = true;
          break;
        }
        const reordered = selectState(beamState, next.map((c) => c.beam));
        ({ state: beamState, logits } = await stepRows(reordered, next.map((c) => c.token)));
      }
      if (!done) for (let b = 0; b < beams; b++) hyps.add(seqs[b]!, scores[b]!, seqs[b]!.length, false);
      candidates = hyps.best(o.numReturnSequences ?? 1).map((h) => this.candidate(h.ids, h.score, h.ended ? "stop" : aborted ? "aborted" : "length"));
    } else {
      const rng = new Rng(o.seed ?? Math.floor(Math.random() * 2 ** 32));
      let rowState = selectState(state, new Array<number>(rows).fill(0));
      // One reply on a decoder-only model decodes in the shared batch, with every other such reply.
      const seat = rows === 1 && !d.encoderDecoder && req.batching !== false ? this.batch.join(state.past!, state.length) : undefined;
      let logits: Float32Array[] = new Array<Float32Array>(rows).fill(first).map((l) => l.slice());
      const gen: number[][] = Array.from({ length: rows }, () => []);
      const sums = new Array<number>(rows).fill(0);
      const ended = new Array<boolean>(rows).fill(false);
      for (let t = 0; t < maxNew; t++) {
        for (let r = 0; r < rows; r++) {
          if (ended[r]) continue;
          const s = logits[r]!;
          applyProcessors(s, [...context, ...gen[r]!], rules, t, maxNew);
          if (o.doSample) applyWarpers(s, rules);
          const token = o.doSample ? sample(s, rng.next()) : argmax(s);
          if (rows > 1) sums[r]! += logSoftmax(s)[token]!;
          gen[r]!.push(token);
          if (this.stopIds.includes(token)) ended[r] = true;
        }
        if (t === 0) firstTokenAt = performance.now();
        if (rows === 1) hooks.onTokens([gen[0]!.at(-1)!]);
        if (ended.every(Boolean) || t === maxNew - 1) break;
        if (hooks.stopped()) {
          aborted = true;
          break;
        }
        if (seat) logits = [await seat.step(gen[0]!.at(-1)!)];
        else ({ state: rowState, logits } = await stepRows(rowState, gen.map((g) => g.at(-1)!)));
      }
      const final = seat ? seat.leave() : { past: rowState.past, length: rowState.length };
      // The conversation's cache now covers the reply too (all but its last token, never fed).
      if (useCache && rows === 1 && final.past) this.cache.store(cacheKey, [...prompt, ...gen[0]!.slice(0, -1)], final.past, final.length * d.bytesPerToken());
      const lp = o.lengthPenalty ?? 1;
      candidates = gen
        .map((g, r) => this.candidate(ended[r] ? g.slice(0, -1) : g, rows > 1 ? sums[r]! / g.length ** lp : 0, ended[r] ? "stop" : aborted ? "aborted" : "length"))
        .sort((a, b) => b.score - a.score);
    }
    const chosen = req.rank && candidates.length > 1 ? await req.rank(candidates) : 0;
    if (!(Number.isInteger(chosen) && chosen >= 0 && chosen < candidates.length)) throw new RangeError(`rank() must return a candidate's index (0 to ${candidates.length - 1}), got ${String(chosen)}.`);
    const reply = candidates[chosen]!;
    const now = performance.now();
    return {
      ids: reply.ids,
      text: reply.text,
      finish: reply.finish,
      candidates,
      chosen,
      stats: {
        promptTokens: prompt.length,
        cachedTokens,
        newTokens: reply.ids.length + (reply.finish === "stop" ? 1 : 0),
        firstTokenMs: (firstTokenAt || now) - started,
        totalMs: now - started,
        ...speculation,
      },
    };
  }

  /**
   * Speculative (assisted) greedy decoding: the assistant drafts a few tokens, this model checks
   * them all in one forward pass and keeps the longest run it agrees with, plus its own next
   * token; both caches are cut back to what was kept. The reply is exactly this model's greedy
   * reply. The draft length grows by 2 after a fully accepted draft and shrinks by 1 otherwise
   * (transformers' "heuristic" schedule).
   */
  private async speculate(
    draft: GenerationEngine,
    prompt: readonly number[],
    state: DecodeState,
    first: Float32Array,
    rules: LogitsRules,
    maxNew: number,
    hooks: { onTokens: (ids: readonly number[]) => void; stopped: () => boolean },
    session: string | undefined | null,
    cacheKey: string,
  ) {
    const d = this.decoder;
    const dd = draft.decoder;
    const seq = [...prompt];
    const gen: number[] = [];
    const pick = (logits: Float32Array, context: readonly number[], produced: number) => {
      applyProcessors(logits, context, rules, produced, maxNew);
      return argmax(logits);
    };
    const push = (token: number) => {
      seq.push(token);
      gen.push(token);
      hooks.onTokens([token]);
      return this.stopIds.includes(token);
    };
    let ended = push(pick(first, seq, 0));
    const firstTokenAt = performance.now();
    let main = state;
    const hit = session === null ? undefined : draft.cache.lookup(session, prompt);
    let drafting: DecodeState = hit ? { rows: 1, length: hit.tokens.length, past: hit.past } : dd.empty(1);
    let k = 4;
    let drafted = 0;
    let accepted = 0;
    let aborted = false;
    while (!ended && gen.length < maxNew) {
      if (hooks.stopped()) {
        aborted = true;
        break;
      }
      const proposals: number[] = [];
      const budget = Math.min(k, maxNew - gen.length - 1);
      if (budget > 0) {
        // The draft catches up on what it has not seen (the tokens this model chose), then drafts one token per step.
        let step = await draft.exclusive(() => dd.step(drafting, [seq.slice(drafting.length)]));
        for (;;) {
          drafting = step.state;
          const p = pick(step.logits[0]!, [...seq, ...proposals], gen.length + proposals.length);
          proposals.push(p);
          if (proposals.length >= budget || this.stopIds.includes(p)) break;
          step = await draft.exclusive(() => dd.step(drafting, [[p]]));
        }
      }
      const checked = await this.exclusive(() => d.step(main, [[seq.at(-1)!, ...proposals]], undefined, true));
      let agreed = 0;
      for (let j = 0; j <= proposals.length; j++) {
        const token = pick(checked.every![j]!, seq, gen.length);
        ended = push(token);
        if (j < proposals.length && token === proposals[j]) agreed++;
        else break;
        if (ended || gen.length >= maxNew) break;
      }
      drafted += proposals.length;
      accepted += agreed;
      k = agreed === proposals.length ? k + 2 : Math.max(1, k - 1);
      // Both caches keep only what the reply now holds (but its last token, not fed yet).
      main = cropState(checked.state, seq.length - 1);
      drafting = cropState(drafting, Math.min(drafting.length, seq.length - 1));
    }
    if (session !== null && drafting.past) draft.cache.store(cacheKey, seq.slice(0, drafting.length), drafting.past, drafting.length * dd.bytesPerToken());
    return { gen, main, aborted, firstTokenAt, drafted, accepted };
  }

  private candidate(ids: number[], score: number, finish: FinishReason): Candidate {
    return { ids, text: decode(this.tokenizer, ids), score, finish };
  }
}

/** Adds the `keep` best tokens of one beam (score plus the beam's running score) to `out`; ties at the cut go by token id. */
function topInto(out: { score: number; beam: number; token: number }[], logprobs: Float32Array, beamScore: number, beam: number, keep: number): void {
  const n = Math.min(keep, logprobs.length);
  const kth = Float32Array.from(logprobs).sort()[logprobs.length - n]!;
  let above = 0;
  for (const lp of logprobs) if (lp > kth) above++;
  let ties = n - above;
  for (let token = 0; token < logprobs.length; token++) {
    const lp = logprobs[token]!;
    if (lp > kth || (lp === kth && ties-- > 0)) out.push({ score: lp + beamScore, beam, token });
  }
}
