// `pnpm bench:models`: how fast @dais/models answers on a DialoGPT-small-shaped model, at the
// first turn of a conversation and at the tenth (when the prompt carries nine turns of
// history), beside a bare onnxruntime-node loop over the same ONNX file and prompts. The model
// has random weights and is generated here, at benchmark time, into .fixtures/ (never committed);
// its end-of-text logit is pushed down so every reply runs the full token budget.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dialogpt, type Reply } from "@dais/models";
import { greedyDecoder, openSession, writeTinyDialogpt } from "@dais/models/fixtures";

const root = fileURLToPath(new URL("../../", import.meta.url));
const modelDir = join(root, ".fixtures", "bench-dialogpt-small");
const NEW_TOKENS = 32;
const RUNS = 3;
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

console.log("Generating a DialoGPT-small-shaped model (12 layers, 12 heads, width 768, vocabulary 50257)...");
let t = performance.now();
rmSync(modelDir, { recursive: true, force: true });
const model = writeTinyDialogpt(modelDir, { layers: 12, heads: 12, width: 768, vocab: 50257, eosBias: -100 });
const generateSeconds = (performance.now() - t) / 1000;

t = performance.now();
const replies: Reply[] = [];
const predict = await dialogpt({ model: modelDir, maxNewTokens: NEW_TOKENS, onReply: (r) => replies.push(r) });
const loadSeconds = (performance.now() - t) / 1000;
const session = await openSession(join(modelDir, "onnx", "model.onnx"));
const shape = { layers: 12, heads: 12, headDim: 64 };

// Warm both up (first runs allocate memory arenas), then hold the conversation.
await predict("Warm up.", null);
await greedyDecoder(session, [1, 2, 3], { ...shape, steps: 4, cache: true });

const histories: number[][] = [[]];
for (const message of messages) histories.push((await predict(message, histories.at(-1)!))[1]);

interface Figures {
  promptTokens: number;
  firstTokenMs: number;
  tokensPerSecond: number;
}

/** @dais/models: time to first token and decoding speed (tokens after the first, per second). */
async function measureDais(turn: number): Promise<Figures & { ids: number[] }> {
  const runs: Reply[] = [];
  for (let i = 0; i < RUNS; i++) {
    await predict(messages[turn - 1]!, histories[turn - 1]!);
    runs.push(replies.at(-1)!);
  }
  const stats = runs.map((r) => r.stats);
  return {
    promptTokens: stats[0]!.promptTokens,
    firstTokenMs: median(stats.map((s) => s.firstTokenMs)),
    tokensPerSecond: median(stats.map((s) => ((s.newTokens - 1) * 1000) / (s.totalMs - s.firstTokenMs))),
    ids: runs[0]!.ids,
  };
}

/** The same prompt through a bare onnxruntime-node loop: KV cache, greedy argmax, nothing else. */
async function measureBare(turn: number): Promise<Figures & { ids: number[] }> {
  const eos = model.eosTokenId;
  const prompt = [...histories[turn - 1]!, ...predict.loaded.tokenizer.encode(messages[turn - 1]!, { add_special_tokens: false }), eos];
  const first: number[] = [];
  const rate: number[] = [];
  let ids: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const times: number[] = [];
    const start = performance.now();
    ids = await greedyDecoder(session, prompt, { ...shape, steps: NEW_TOKENS, cache: true, onToken: () => times.push(performance.now()) });
    first.push(times[0]! - start);
    rate.push(((times.length - 1) * 1000) / (times.at(-1)! - times[0]!));
  }
  return { promptTokens: prompt.length, firstTokenMs: median(first), tokensPerSecond: median(rate), ids };
}

const rows = [];
for (const turn of [1, 10]) {
  const dais = await measureDais(turn);
  const bare = await measureBare(turn);
  // Same file, same prompt, greedy: both must have produced the same tokens.
  if (dais.ids.join() !== bare.ids.join()) throw new Error(`Turn ${turn}: @dais/models and the bare loop generated different tokens.`);
  rows.push({ turn, runner: "@dais/models (dialogpt)", promptTokens: dais.promptTokens, firstTokenMs: round(dais.firstTokenMs), tokensPerSecond: round(dais.tokensPerSecond) });
  rows.push({ turn, runner: "bare onnxruntime-node", promptTokens: bare.promptTokens, firstTokenMs: round(bare.firstTokenMs), tokensPerSecond: round(bare.tokensPerSecond) });
}
await predict.dispose();
// 650 MB of random weights: not worth keeping between runs.
rmSync(modelDir, { recursive: true, force: true });

const pad = (s: unknown, n: number) => String(s).padEnd(n);
console.log(`\nDialoGPT-small shape, fp32, ${NEW_TOKENS} new tokens per reply, median of ${RUNS} runs, ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}`);
console.log(`${pad("turn", 6)}${pad("runner", 26)}${pad("prompt tokens", 15)}${pad("first token (ms)", 18)}tokens/s after the first`);
for (const r of rows) console.log(`${pad(r.turn, 6)}${pad(r.runner, 26)}${pad(r.promptTokens, 15)}${pad(r.firstTokenMs, 18)}${r.tokensPerSecond}`);
console.log(`(model generated in ${round(generateSeconds)} s, loaded by @dais/models in ${round(loadSeconds)} s)`);

const results = {
  benchmark: "models",
  date: new Date().toISOString(),
  model: { shape: "DialoGPT-small (12 layers, 12 heads, width 768, vocabulary 50257)", dtype: "fp32", weights: "random", newTokensPerReply: NEW_TOKENS },
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
  runs: RUNS,
  generateSeconds: round(generateSeconds),
  loadSeconds: round(loadSeconds),
  rows,
};
const outDir = join(root, "bench", "results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "models.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(`Wrote ${join("bench", "results", "models.json")}`);
