/** How a reply is generated. Unset options keep the model's own defaults (generation_config.json). */
export interface GenerationOptions {
  /** Longest reply, in tokens. */
  maxNewTokens?: number;
  /** Sample the next token instead of taking the most likely one. */
  doSample?: boolean;
  /** With `doSample`: below 1 sharpens the distribution, above 1 flattens it. */
  temperature?: number;
  /** With `doSample`: keep only the k most likely tokens (0 keeps all; default 50). */
  topK?: number;
  /** With `doSample`: keep the fewest most likely tokens whose probabilities add up to at least p. */
  topP?: number;
  /** Above 1 makes tokens already in the conversation less likely. */
  repetitionPenalty?: number;
  /** Never repeat an n-gram of this size. */
  noRepeatNgramSize?: number;
  /** No end token before the sequence is this long (the prompt counts for a decoder-only model, the start token for an encoder-decoder). */
  minLength?: number;
  /** Beam search with this many beams (1: greedy decoding or sampling). */
  numBeams?: number;
  /** Beam scores are divided by length ** lengthPenalty: above 0 favours longer replies. Default 1. */
  lengthPenalty?: number;
  /** Beam search ends once numBeams replies are finished (true), when no beam can do better (false, default), or only at the budget ("never"). */
  earlyStopping?: boolean | "never";
  /** Candidates to produce (beams kept, or samples drawn); the reply is the best by score or by `rank`. */
  numReturnSequences?: number;
  /** Seeds this reply's sampler, so it can be reproduced (each reply has its own generator). */
  seed?: number;
}

/** The generation options by name, so unknown ones can be refused instead of dropped. */
export const generationKeys = [
  "maxNewTokens",
  "doSample",
  "temperature",
  "topK",
  "topP",
  "repetitionPenalty",
  "noRepeatNgramSize",
  "minLength",
  "numBeams",
  "lengthPenalty",
  "earlyStopping",
  "numReturnSequences",
  "seed",
] as const satisfies readonly (keyof GenerationOptions)[];

/** Rejects values that would silently do nothing or produce garbage. */
export function checkGenerationOptions(o: GenerationOptions): void {
  const bad = (name: string, expected: string, value: unknown) => new RangeError(`Generation option ${name} must be ${expected}, got ${String(value)}.`);
  const int = (v: number | undefined, min: number) => v === undefined || (Number.isInteger(v) && v >= min);
  if (!int(o.maxNewTokens, 1)) throw bad("maxNewTokens", "a positive integer", o.maxNewTokens);
  if (o.doSample !== undefined && typeof o.doSample !== "boolean") throw bad("doSample", "true or false", o.doSample);
  if (o.temperature !== undefined && !(o.temperature > 0)) throw bad("temperature", "above 0 (for greedy decoding leave doSample off)", o.temperature);
  if (!int(o.topK, 0)) throw bad("topK", "an integer, 0 or more", o.topK);
  if (o.topP !== undefined && !(o.topP > 0 && o.topP <= 1)) throw bad("topP", "in (0, 1]", o.topP);
  if (o.repetitionPenalty !== undefined && !(o.repetitionPenalty > 0)) throw bad("repetitionPenalty", "above 0", o.repetitionPenalty);
  if (!int(o.noRepeatNgramSize, 0)) throw bad("noRepeatNgramSize", "an integer, 0 or more", o.noRepeatNgramSize);
  if (!int(o.minLength, 0)) throw bad("minLength", "an integer, 0 or more", o.minLength);
  if (!int(o.numBeams, 1)) throw bad("numBeams", "a positive integer", o.numBeams);
  if (o.lengthPenalty !== undefined && !Number.isFinite(o.lengthPenalty)) throw bad("lengthPenalty", "a number", o.lengthPenalty);
  if (o.earlyStopping !== undefined && ![true, false, "never"].includes(o.earlyStopping)) throw bad("earlyStopping", 'true, false or "never"', o.earlyStopping);
  if (!int(o.numReturnSequences, 1)) throw bad("numReturnSequences", "a positive integer", o.numReturnSequences);
  if (o.seed !== undefined && !Number.isInteger(o.seed)) throw bad("seed", "an integer", o.seed);
}

/**
 * The generation options out of a factory's options (which also hold model options), after
 * checking them all; a key that is neither a generation option nor in `otherKeys` is refused,
 * with the known names, so a misspelt or unsupported option (`num_beams`, `typicalP`) is not
 * silently dropped.
 * @example pickGeneration({ model: "x", maxNewTokens: 20 }, ["model"]) // { maxNewTokens: 20 }
 */
export function pickGeneration(o: object, otherKeys: readonly string[] = []): GenerationOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if ((generationKeys as readonly string[]).includes(k)) {
      if (v !== undefined) out[k] = v;
    } else if (!otherKeys.includes(k))
      throw new RangeError(`Unknown option ${k}. Generation options: ${generationKeys.join(", ")}; other options: ${otherKeys.join(", ")}.`);
  }
  checkGenerationOptions(out);
  return out as GenerationOptions;
}

/** The model's generation_config.json (and config.json) fields that are generation options, in ours. */
export function modelGenerationDefaults(config: Record<string, unknown> | null | undefined): GenerationOptions {
  const c = config ?? {};
  const pick: [keyof GenerationOptions, string][] = [
    ["doSample", "do_sample"],
    ["temperature", "temperature"],
    ["topK", "top_k"],
    ["topP", "top_p"],
    ["repetitionPenalty", "repetition_penalty"],
    ["noRepeatNgramSize", "no_repeat_ngram_size"],
    ["minLength", "min_length"],
    ["numBeams", "num_beams"],
    ["lengthPenalty", "length_penalty"],
    ["earlyStopping", "early_stopping"],
  ];
  const out: Record<string, unknown> = {};
  for (const [ours, theirs] of pick) if (c[theirs] !== undefined && c[theirs] !== null) out[ours] = c[theirs];
  return out as GenerationOptions;
}
