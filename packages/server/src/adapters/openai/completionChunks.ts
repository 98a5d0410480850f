/** Builders for OpenAI's `chat.completion` and `chat.completion.chunk` objects. */

export interface CompletionMeta {
  id: string;
  model: string;
  /** Seconds since the epoch, as OpenAI counts them. */
  created: number;
}

export function completion(meta: CompletionMeta, content: string) {
  return {
    id: meta.id,
    object: "chat.completion" as const,
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message: { role: "assistant" as const, content, refusal: null }, logprobs: null, finish_reason: "stop" as const }],
  };
}

/** One streamed piece: the role first, then text deltas, then an empty delta with the finish reason. */
export function chunk(meta: CompletionMeta, delta: { role?: "assistant"; content?: string }, finish: "stop" | null = null) {
  return {
    id: meta.id,
    object: "chat.completion.chunk" as const,
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
}
