// `pnpm bench:models`: how fast @dais/models answers on a DialoGPT-small-shaped model. One run,
// contenders side by side in alternating slices (each round runs them in a rotated order),
// medians with the spread (min-max) over rounds:
//  - turn 1 and turn 10 (nine turns of history in the prompt): time to first token and tokens/s
//    with the prefix KV cache (the session's previous turn cached), without it, and a bare
//    onnxruntime-node loop over the same file and prompt;
//  - aggregate tokens/s of 1, 4 and 8 concurrent chats, with continuous batching and without;
//  - beam search (4 beams) and best-of-4 sampling against greedy decoding, per reply;
//  - speculative decoding with a 2-layer draft sharing the target's embeddings, first layers and
//    head (a generated draft/target pair): acceptance rate and speedup per reply.
// The model has random weights and is generated here into .fixtures/ (never committed); its
// end-of-text logit is pushed down so every reply runs the full token budget.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dialogpt, type Reply } from "@dais/models";
import { greedyDecoder, openSession, writeTinyDialogpt } from "@dais/models/fixtures";

const root = fileURLToPath(new URL("../../", import.meta.url));
const modelDir = join(root, ".fixtures", "bench-dialogpt-small");
const NEW_TOKENS = 32;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const messages = [
  "Hello! How are you today?",
  "What do you like to do?",
  "Do you have any pets?",
  "What is your favorite food?",
  "Where do you live?",
  "Is the weather nice there?",
  "I like to read books.",
  "Do you play music?",
  "That is great.",
  "Have a good day!",
];

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const spread = (xs: number[]) => ({ median: round(median(xs)), min: round(sorted(xs)[0]!), max: round(sorted(xs).at(-1)!) });
type Spread = ReturnType<typeof spread>;
const show = (s: Spread) => `${s.median} (${s.min}-${s.max})`;
/** Runs each contender once per round, the order rotated every round, so load changes hit them all alike. */
async function alternate<K extends string>(contenders: Record<K, () => Promise<void>>): Promise<void> {
  const names = Object.keys(contenders) as K[];
  for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < names.length; i++) await contenders[names[(i + r) % names.length]!]();
}

console.log("Generating a DialoGPT-small-shaped model (12 layers, 12 heads, width 768, vocabulary 50257)...");
let t = performance.now();
rmSync(modelDir, { recursive: true, force: true });
const model = writeTinyDialogpt(modelDir, { layers: 12, heads: 12, width: 768, vocab: 50257, eosBias: -100, headSeed: 5, quietFrom: 2 });
const draftDir = join(root, ".fixtures", "bench-dialogpt-draft");
rmSync(draftDir, { recursive: true, force: true });
writeTinyDialogpt(draftDir, { layers: 2, heads: 12, width: 768, vocab: 50257, eosBias: -100, headSeed: 5 });
const generateSeconds = (performance.now() - t) / 1000;

t = performance.now();
let last: Reply | undefined;
const onReply = (r: Reply) => (last = r);
const cached = await dialogpt({ model: modelDir, maxNewTokens: NEW_TOKENS, onReply });
const loadSeconds = (performance.now() - t) / 1000;
// The same engine (one load), without the prefix cache.
const uncached = await dialogpt({ model: modelDir, maxNewTokens: NEW_TOKENS, onReply, prefixCache: false });
const session = await openSession(join(modelDir, "onnx", "model.onnx"));
const shape = { layers: 12, heads: 12, headDim: 64 };
const eos = model.eosTokenId;
const encode = (text: string) => cached.loaded.tokenizer.encode(text, { add_special_tokens: false });

// Warm up (first runs allocate memory arenas), then hold the conversation.
await uncached("Warm up.", null);
await greedyDecoder(session, [1, 2, 3], { ...shape, steps: 4, cache: true });
const histories: number[][] = [[]];
for (const message of messages) histories.push((await uncached(message, histories.at(-1)!))[1]);

// 1. Turn 1 and turn 10.
interface TurnRow {
  turn: number;
  runner: string;
  promptTokens: number;
  cachedTokens: number;
  firstTokenMs: Spread;
  tokensPerSecond: Spread;
}
const turnRows: TurnRow[] = [];
let sessionCount = 0;
for (const turn of [1, 10]) {
  const prompt = [...histories[turn - 1]!, ...encode(messages[turn - 1]!), eos];
  const figures: Record<string, { first: number[]; rate: number[]; cachedTokens: number; ids: number[] }> = {};
  const record = (name: string, first: number, rate: number, cachedTokens: number, ids: number[]) => {
    const f = (figures[name] ??= { first: [], rate: [], cachedTokens, ids });
    f.first.push(first);
    f.rate.push(rate);
  };
  const fromReply = (name: string) => {
    const s = last!.stats;
    record(name, s.firstTokenMs, ((s.newTokens - 1) * 1000) / (s.totalMs - s.firstTokenMs), s.cachedTokens, last!.ids);
  };
  await alternate({
    "@dais/models, prefix cache": async () => {
      const id = `bench-${sessionCount++}`;
      // The session's previous turn, so its cache holds the conversation so far (not timed).
      if (turn > 1) await cached(messages[turn - 2]!, histories[turn - 2]!, { session: id });
      await cached(messages[turn - 1]!, histories[turn - 1]!, { session: id });
      fromReply("@dais/models, prefix cache");
    },
    "@dais/models, no cache": async () => {
      await uncached(messages[turn - 1]!, histories[turn - 1]!);
      fromReply("@dais/models, no cache");
    },
    "bare onnxruntime-node": async () => {
      const times: number[] = [];
      const start = performance.now();
      const ids = await greedyDecoder(session, prompt, { ...shape, steps: NEW_TOKENS, cache: true, onToken: () => times.push(performance.now()) });
      record("bare onnxruntime-node", times[0]! - start, ((times.length - 1) * 1000) / (times.at(-1)! - times[0]!), 0, ids);
    },
  });
  for (const [runner, f] of Object.entries(figures)) {
    // Same file, same prompt, greedy: every runner must have produced the same tokens.
    if (f.ids.join() !== figures["bare onnxruntime-node"]!.ids.join()) throw new Error(`Turn ${turn}: ${runner} generated other tokens than the bare loop.`);
    turnRows.push({ turn, runner, promptTokens: prompt.length, cachedTokens: f.cachedTokens, firstTokenMs: spread(f.first), tokensPerSecond: spread(f.rate) });
  }
}

// 2. Concurrent chats: aggregate tokens/s.
interface ConcurrencyRow {
  chats: number;
  batching: boolean;
  tokensPerSecond: Spread;
}
const concurrencyRows: ConcurrencyRow[] = [];
const batched = await dialogpt({ model: modelDir, maxNewTokens: NEW_TOKENS, prefixCache: false });
const unbatched = await dialogpt({ model: modelDir, maxNewTokens: NEW_TOKENS, prefixCache: false, batching: false });
for (const chats of [1, 4, 8]) {
  const rates: Record<string, number[]> = { on: [], off: [] };
  const run = (predict: typeof batched, key: string) => async () => {
    const start = performance.now();
    const results = await Promise.all(Array.from({ length: chats }, (_, i) => predict(messages[i % messages.length]!, null)));
    const tokens = results.reduce((sum, [, h], i) => sum + h.length - (encode(messages[i % messages.length]!).length + 1), 0);
    rates[key]!.push((tokens * 1000) / (performance.now() - start));
  };
  await alternate({ on: run(batched, "on"), off: run(unbatched, "off") });
  concurrencyRows.push({ chats, batching: true, tokensPerSecond: spread(rates.on!) });
  concurrencyRows.push({ chats, batching: false, tokensPerSecond: spread(rates.off!) });
}

// 3. Beam search and best-of-n against greedy.
interface SearchRow {
  search: string;
  replyMs: Spread;
}
const searchRows: SearchRow[] = [];
const greedy = await dialogpt({ model: modelDir, maxNewTokens: NEW_TOKENS, prefixCache: false });
const beam = await dialogpt({ model: modelDir, maxNewTokens: NEW_TOKENS, prefixCache: false, numBeams: 4 });
const bestOf = await dialogpt({ model: modelDir, maxNewTokens: NEW_TOKENS, prefixCache: false, doSample: true, numReturnSequences: 4, seed: 1 });
const searchTimes: Record<string, number[]> = { greedy: [], "beam search, 4 beams": [], "best-of-4 sampling": [] };
const timed = (predict: typeof greedy, key: string) => async () => {
  const start = performance.now();
  await predict(messages[0]!, null);
  searchTimes[key]!.push(performance.now() - start);
};
await alternate({ greedy: timed(greedy, "greedy"), beam: timed(beam, "beam search, 4 beams"), bestOf: timed(bestOf, "best-of-4 sampling") });
for (const [search, times] of Object.entries(searchTimes)) searchRows.push({ search, replyMs: spread(times) });

// 4. Speculative decoding.
const assisted = await dialogpt({ model: modelDir, maxNewTokens: NEW_TOKENS, prefixCache: false, assistantModel: draftDir, onReply });
const specTimes: Record<string, number[]> = { alone: [], assisted: [] };
let drafted = 0;
let acceptedDraft = 0;
await alternate({
  alone: async () => {
    const start = performance.now();
    await greedy(messages[1]!, null);
    specTimes.alone!.push(performance.now() - start);
  },
  assisted: async () => {
    const start = performance.now();
    await assisted(messages[1]!, null);
    specTimes.assisted!.push(performance.now() - start);
    drafted += last!.stats.draftTokens ?? 0;
    acceptedDraft += last!.stats.acceptedDraftTokens ?? 0;
  },
});
const speculative = {
  draft: "2 layers sharing the target's embeddings, first 2 layers and head; the target's other 10 layers add little (quietFrom 2)",
  aloneMs: spread(specTimes.alone!),
  assistedMs: spread(specTimes.assisted!),
  acceptanceRate: round(acceptedDraft / Math.max(1, drafted), 2),
  speedup: round(median(specTimes.alone!) / median(specTimes.assisted!), 2),
};

await Promise.all([cached, uncached, batched, unbatched, greedy, beam, bestOf, assisted].map((p) => p.dispose()));
// 650 MB of random weights: not worth keeping between runs.
rmSync(modelDir, { recursive: true, force: true });
rmSync(draftDir, { recursive: true, force: true });

const pad = (s: unknown, n: number) => String(s).padEnd(n);
console.log(`\nDialoGPT-small shape, fp32, ${NEW_TOKENS} new tokens per reply, median (min-max) of ${ROUNDS} alternating rounds, ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}`);
console.log(`\n${pad("turn", 6)}${pad("runner", 30)}${pad("prompt", 8)}${pad("cached", 8)}${pad("first token ms", 22)}tokens/s after the first`);
for (const r of turnRows) console.log(`${pad(r.turn, 6)}${pad(r.runner, 30)}${pad(r.promptTokens, 8)}${pad(r.cachedTokens, 8)}${pad(show(r.firstTokenMs), 22)}${show(r.tokensPerSecond)}`);
const ttft = (turn: number) => turnRows.find((r) => r.turn === turn && r.runner === "@dais/models, prefix cache")!.firstTokenMs.median;
console.log(`turn-10 / turn-1 time to first token with the prefix cache: ${round(ttft(10) / ttft(1), 2)}x`);
console.log(`\n${pad("chats", 7)}${pad("batching", 10)}aggregate tokens/s`);
for (const r of concurrencyRows) console.log(`${pad(r.chats, 7)}${pad(r.batching ? "on" : "off", 10)}${show(r.tokensPerSecond)}`);
const one = concurrencyRows.find((r) => r.chats === 1 && r.batching)!.tokensPerSecond.median;
const eight = concurrencyRows.find((r) => r.chats === 8 && r.batching)!.tokensPerSecond.median;
console.log(`8 batched chats / 1 chat: ${round(eight / one, 2)}x`);
console.log(`\n${pad("search", 24)}reply ms`);
for (const r of searchRows) console.log(`${pad(r.search, 24)}${show(r.replyMs)}`);
console.log(`\nspeculative decoding (${speculative.draft}): reply ${show(speculative.aloneMs)} ms alone, ${show(speculative.assistedMs)} ms assisted; acceptance ${speculative.acceptanceRate}, speedup ${speculative.speedup}x`);
console.log(`(model generated in ${round(generateSeconds)} s, loaded by @dais/models in ${round(loadSeconds)} s)`);

const results = {
  benchmark: "models",
  date: new Date().toISOString(),
  model: { shape: "DialoGPT-small (12 layers, 12 heads, width 768, vocabulary 50257)", dtype: "fp32", weights: "random", newTokensPerReply: NEW_TOKENS },
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
  rounds: ROUNDS,
  generateSeconds: round(generateSeconds),
  loadSeconds: round(loadSeconds),
  turns: turnRows,
  turn10OverTurn1FirstToken: round(ttft(10) / ttft(1), 2),
  concurrency: concurrencyRows,
  eightChatsOverOne: round(eight / one, 2),
  search: searchRows,
  speculative,
};
const outDir = join(root, "bench", "results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "models.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(`Wrote ${join("bench", "results", "models.json")}`);
