import { checkGenerationOptions, type Dtype, dtypes, type GenerationOptions } from "@dais/models";

/** What `dais chat` takes as key=value: generation options, the weights' precision, a system prompt. */
export interface ChatFlags extends GenerationOptions {
  dtype?: Dtype;
  system?: string;
}

type Kind = "int" | "number" | "boolean" | "dtype" | "string";

/** The keys, as Hugging Face transformers spells them (`transformers chat`), and what they set. */
export const chatFlagKeys = {
  max_new_tokens: { option: "maxNewTokens", kind: "int" },
  do_sample: { option: "doSample", kind: "boolean" },
  temperature: { option: "temperature", kind: "number" },
  top_k: { option: "topK", kind: "int" },
  top_p: { option: "topP", kind: "number" },
  repetition_penalty: { option: "repetitionPenalty", kind: "number" },
  no_repeat_ngram_size: { option: "noRepeatNgramSize", kind: "int" },
  seed: { option: "seed", kind: "int" },
  dtype: { option: "dtype", kind: "dtype" },
  system: { option: "system", kind: "string" },
} as const satisfies Record<string, { option: keyof ChatFlags; kind: Kind }>;

type SnakeKey = keyof typeof chatFlagKeys;

/** A key=value argument `dais chat` cannot use; its message says which and why. */
export class ChatFlagError extends Error {
  override readonly name = "ChatFlagError";
}

const snakeNames = Object.keys(chatFlagKeys) as SnakeKey[];
const bySpelling = new Map<string, SnakeKey>(snakeNames.flatMap((k) => [[k, k] as const, [chatFlagKeys[k].option, k] as const]));
const camelNames = snakeNames.map((k) => chatFlagKeys[k].option).filter((o) => !(o in chatFlagKeys));
const knownKeys = () => `Known keys: ${snakeNames.join(", ")} (or ${camelNames.join(", ")}).`;

function parseValue(key: string, kind: Kind, raw: string): number | boolean | string {
  const bad = (expected: string) => new ChatFlagError(`${key} must be ${expected}, got "${raw}".`);
  switch (kind) {
    case "string":
      return raw;
    case "boolean":
      if (raw === "True" || raw === "true") return true;
      if (raw === "False" || raw === "false") return false;
      throw bad("True or False");
    case "dtype":
      if ((dtypes as readonly string[]).includes(raw)) return raw;
      throw bad(`one of ${dtypes.join(", ")}`);
    case "int":
    case "number": {
      const n = raw.trim() === "" ? Number.NaN : Number(raw);
      if (kind === "int" && !Number.isInteger(n)) throw bad("an integer");
      if (!Number.isFinite(n)) throw bad("a number");
      return n;
    }
  }
}

/**
 * Reads `key=value` arguments into chat options: snake_case as in `transformers chat`, or
 * camelCase as in `@dais/models`; booleans are True/False (or true/false). Throws a
 * ChatFlagError naming the bad argument (and the known keys, for an unknown one).
 * @example parseChatFlags(["do_sample=False", "max_new_tokens=10"]) // { doSample: false, maxNewTokens: 10 }
 */
export function parseChatFlags(args: readonly string[]): ChatFlags {
  const flags: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw new ChatFlagError(`Expected key=value, got "${arg}". ${knownKeys()}`);
    const key = arg.slice(0, eq);
    const snake = bySpelling.get(key);
    if (!snake) throw new ChatFlagError(`Unknown key "${key}". ${knownKeys()}`);
    const { option, kind } = chatFlagKeys[snake];
    flags[option] = parseValue(key, kind, arg.slice(eq + 1));
  }
  try {
    checkGenerationOptions(flags);
  } catch (e) {
    if (e instanceof RangeError) throw new ChatFlagError(e.message);
    throw e;
  }
  return flags as ChatFlags;
}
