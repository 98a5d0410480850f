/** How a reply is generated. Unset options keep the model's own defaults (generation_config.json). */
export interface GenerationOptions {
  /** Longest reply, in tokens. */
  maxNewTokens?: number;
  /** Sample the next token instead of taking the most likely one. */
  doSample?: boolean;
  /** With `doSample`: below 1 sharpens the distribution, above 1 flattens it. */
  temperature?: number;
  /** With `doSample`: keep only the k most likely tokens (0 keeps all; transformers.js defaults to 50). */
  topK?: number;
  /** With `doSample`: keep the fewest most likely tokens whose probabilities add up to at least p. */
  topP?: number;
  /** Above 1 makes tokens already in the conversation less likely. */
  repetitionPenalty?: number;
  /** Never repeat an n-gram of this size. */
  noRepeatNgramSize?: number;
  /**
   * Seeds the sampler so a reply can be reproduced. transformers.js samples from one
   * process-wide generator, so replies generated at the same time still interleave draws.
   */
  seed?: number;
}

/** The option names transformers.js reads (`GenerationConfig`), from ours. */
export function toGenerationConfig(o: GenerationOptions): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {
    // transformers.js has no real beam search: num_beams > 1 only multiplies the sampling work
    // (blenderbot's generation_config.json asks for 10), so one beam it is.
    num_beams: 1,
  };
  if (o.maxNewTokens !== undefined) out.max_new_tokens = o.maxNewTokens;
  if (o.doSample !== undefined) out.do_sample = o.doSample;
  if (o.temperature !== undefined) out.temperature = o.temperature;
  if (o.topK !== undefined) out.top_k = o.topK;
  if (o.repetitionPenalty !== undefined) out.repetition_penalty = o.repetitionPenalty;
  if (o.noRepeatNgramSize !== undefined) out.no_repeat_ngram_size = o.noRepeatNgramSize;
  // top_p is left out on purpose: transformers.js ignores it, TopPWarper applies it instead.
  return out;
}

/** Rejects values that would silently do nothing or produce garbage. */
export function checkGenerationOptions(o: GenerationOptions): void {
  const bad = (name: string, expected: string, value: unknown) => new RangeError(`Generation option ${name} must be ${expected}, got ${String(value)}.`);
  if (o.maxNewTokens !== undefined && !(Number.isInteger(o.maxNewTokens) && o.maxNewTokens > 0)) throw bad("maxNewTokens", "a positive integer", o.maxNewTokens);
  if (o.temperature !== undefined && !(o.temperature > 0)) throw bad("temperature", "above 0 (for greedy decoding leave doSample off)", o.temperature);
  if (o.topK !== undefined && !(Number.isInteger(o.topK) && o.topK >= 0)) throw bad("topK", "an integer, 0 or more", o.topK);
  if (o.topP !== undefined && !(o.topP > 0 && o.topP <= 1)) throw bad("topP", "in (0, 1]", o.topP);
  if (o.repetitionPenalty !== undefined && !(o.repetitionPenalty > 0)) throw bad("repetitionPenalty", "above 0", o.repetitionPenalty);
  if (o.noRepeatNgramSize !== undefined && !(Number.isInteger(o.noRepeatNgramSize) && o.noRepeatNgramSize >= 0)) throw bad("noRepeatNgramSize", "an integer, 0 or more", o.noRepeatNgramSize);
}

const generationKeys = ["maxNewTokens", "doSample", "temperature", "topK", "topP", "repetitionPenalty", "noRepeatNgramSize", "seed"] as const satisfies readonly (keyof GenerationOptions)[];

/** The generation options out of a factory's options (which also hold model options). */
export function pickGeneration(o: GenerationOptions): GenerationOptions {
  const out: Record<string, unknown> = {};
  for (const k of generationKeys) if (o[k] !== undefined) out[k] = o[k];
  return out as GenerationOptions;
}
