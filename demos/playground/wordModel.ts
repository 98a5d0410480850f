// A tiny language model for the playground demo: a word-level Markov chain over a short text,
// sampled with a temperature and a seed. Small enough to ship, real enough to show streaming,
// Stop and sampling settings without downloading a model.
const corpus = `
Dais turns a function into a web page that people can use. A page shows inputs and outputs, and a
function runs when a person presses a button. The answer streams in word by word, and a person can
press Stop at any time. Every browser tab is its own session, and a session keeps its history when
the page is reloaded. Programs can call the same app, and many people can use it at once, each in
their own place in the queue. A model runs on the server, and the page stays small and fast.
`;

const words = corpus.split(/\s+/).filter(Boolean);
const next = new Map<string, string[]>();
for (let i = 0; i < words.length - 1; i++) next.set(words[i]!, [...(next.get(words[i]!) ?? []), words[i + 1]!]);

/** A seeded random number generator (mulberry32), so a seed gives the same text every time. */
function random(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Yields up to `maxWords` words following the prompt's last known word. Temperature 0 always
 * takes the most frequent next word; higher values flatten the choice.
 */
export async function* generate(prompt: string, options: { maxWords: number; temperature: number; seed: number; signal?: AbortSignal }) {
  const rand = random(options.seed);
  let word = prompt.split(/\s+/).reverse().find((w) => next.has(w)) ?? "A";
  for (let i = 0; i < options.maxWords && !options.signal?.aborted; i++) {
    const options_ = next.get(word) ?? words;
    const counts = new Map<string, number>();
    for (const w of options_) counts.set(w, (counts.get(w) ?? 0) + 1);
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    if (options.temperature <= 0) word = ranked[0]![0];
    else {
      const weights = ranked.map(([, c]) => c ** (1 / options.temperature));
      let r = rand() * weights.reduce((a, b) => a + b, 0);
      word = ranked.find((_, k) => (r -= weights[k]!) <= 0)?.[0] ?? ranked[0]![0];
    }
    yield word;
    // As a model on a CPU would: a few words a second, so Stop has something to stop.
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}
