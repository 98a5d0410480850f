import type { PreTrainedModel, PreTrainedTokenizer } from "@huggingface/transformers";

/**
 * How many positions the model attends over: its learned position table (GPT-2's n_positions,
 * BlenderBot's 128), else what the tokenizer allows.
 */
export function contextWindow(model: PreTrainedModel, tokenizer: PreTrainedTokenizer): number {
  const c = model.config as unknown as Record<string, unknown>;
  for (const key of ["max_position_embeddings", "n_positions", "n_ctx"]) if (typeof c[key] === "number") return c[key];
  const t = (tokenizer as unknown as { model_max_length?: number }).model_max_length;
  return typeof t === "number" && t < 1e9 ? t : 2048;
}

/** Every token that ends a reply: the generation config's and the tokenizer's end-of-sequence ids. */
export function stopTokenIds(model: PreTrainedModel, tokenizer: PreTrainedTokenizer): number[] {
  const ids = new Set<number>();
  const add = (v: unknown) => {
    for (const id of Array.isArray(v) ? v : [v]) if (typeof id === "number") ids.add(id);
  };
  add((model.generation_config as { eos_token_id?: unknown } | null)?.eos_token_id);
  add((model.config as unknown as { eos_token_id?: unknown }).eos_token_id);
  add((tokenizer as unknown as { eos_token_id?: unknown }).eos_token_id);
  return [...ids];
}
