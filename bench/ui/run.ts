// Page weight: what the chat page loads in a real browser (bytes on the wire, gzipped by the
// server), and every built file raw and gzipped, lazy chunks included. Then streaming speed:
// tokens/s a 5,000-token Markdown reply renders at in Chromium, this build beside the UI of an
// older commit (see streaming.ts). Prints tables and writes bench/results/ui.json.
// Run: pnpm bench:ui [--quick] [--base <commit> | --no-base] [--tokens N] [--reps N]
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { launchBrowser } from "../../e2e/browser.ts";
import { startDemo } from "../../e2e/demo.ts";
import { chatPageBudget, pageWeight } from "../../e2e/pageWeight.ts";
import { benchStreaming, median, type StreamingContender, type StreamingMode } from "./streaming.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const quick = process.argv.includes("--quick");
const tokens = Number(arg("--tokens") ?? 5000);
const reps = Number(arg("--reps") ?? (quick ? 1 : 3));
// The commit before streaming rendered once per frame and block by block: the "before" figure.
const baseRef = process.argv.includes("--no-base") ? undefined : (arg("--base") ?? "e846f90");
const dist = join(root, "packages/ui/dist");

const built = readdirSync(dist)
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => {
    const bytes = readFileSync(join(dist, f));
    return { file: f, raw: statSync(join(dist, f)).size, gzip: gzipSync(bytes, { level: 9 }).length };
  });

const [demo, dataDemo, browser] = await Promise.all([startDemo("chat"), startDemo("data-explorer"), launchBrowser()]);
let chat: Awaited<ReturnType<typeof pageWeight>>;
// A page with a table and a chart: what the lazily loaded renderers (and Chart.js) add.
let data: Awaited<ReturnType<typeof pageWeight>>;
let streaming: StreamingContender[];
try {
  try {
    chat = await pageWeight(browser, demo.url);
    data = await pageWeight(browser, dataDemo.url, (page) => page.getByRole("img", { name: "Cups by month" }).waitFor());
  } finally {
    await Promise.all([demo.stop(), dataDemo.stop()]);
  }
  console.log(`\nStreaming a ${tokens}-token reply, ${reps} reps per UI in alternating slices (+1 warm-up each):`);
  streaming = await benchStreaming(browser, { tokens, reps, baseRef });
} finally {
  await browser.close();
}
const loaded = new Set(chat.files.map((f) => basename(new URL(f.url).pathname)));

const kb = (n: number) => (n / 1024).toFixed(1);
console.log("\nBuilt UI files (KB)");
console.log("| file | raw | gzip | loaded by the empty chat page |");
console.log("| --- | ---: | ---: | --- |");
for (const f of built.sort((a, b) => b.gzip - a.gzip)) console.log(`| ${f.file} | ${kb(f.raw)} | ${kb(f.gzip)} | ${loaded.has(f.file) ? "yes" : "lazy"} |`);
console.log("\nChat page in Chromium, bytes on the wire");
console.log("| file | type | KB |");
console.log("| --- | --- | ---: |");
for (const f of chat.files) console.log(`| ${new URL(f.url).pathname} | ${f.type} | ${kb(f.bytes)} |`);
console.log(`\nJS + CSS of the chat page: ${kb(chat.jsCssBytes)} KB gzipped (budget ${kb(chatPageBudget)} KB; Gradio's chat page is about 330 KB)`);
const dataLoaded = data.files.filter((f) => f.type === "script" && !loaded.has(basename(new URL(f.url).pathname)));
console.log(`JS + CSS of demos/data-explorer (a dataframe and a plot): ${kb(data.jsCssBytes)} KB gzipped; beyond the chat page's files it fetched ${dataLoaded.map((f) => `${basename(new URL(f.url).pathname)} (${kb(f.bytes)} KB)`).join(", ")}`);

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "n/a");
const modes: StreamingMode[] = ["live", "page only"];
console.log(`\nStreaming a ${tokens}-token Markdown reply in Chromium (first partial frame -> reply's last words in the DOM)`);
console.log("live: as the server sends; page only: the stream's frames held until all arrived, then handed to the page (its own speed)");
console.log("| UI | mode | tokens/s, median | min - max | ms, median | frames arrived over, ms | frames | DOM updates |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const c of streaming) {
  for (const mode of modes) {
    const samples = c.samples[mode];
    const m = (k: "tokensPerSecond" | "ms" | "framesMs" | "frames" | "renders") => median(samples.map((s) => s[k]));
    const tps = samples.map((s) => s.tokensPerSecond);
    if (samples.length === 0) console.log(`| ${c.name} | ${mode} | ${c.error ?? "no samples"} | | | | | |`);
    else console.log(`| ${c.name} | ${mode} | ${f0(m("tokensPerSecond"))} | ${f0(Math.min(...tps))} - ${f0(Math.max(...tps))} | ${f0(m("ms"))} | ${f0(m("framesMs"))} | ${f0(m("frames"))} | ${f0(m("renders"))} |`);
  }
  if (c.error && (c.samples.live.length > 0 || c.samples["page only"].length > 0)) console.log(`  (${c.name} stopped: ${c.error})`);
}
const [now, before] = streaming;
for (const mode of modes) {
  if (!now || !before || now.samples[mode].length === 0 || before.samples[mode].length === 0) continue;
  const ratio = median(now.samples[mode].map((s) => s.tokensPerSecond)) / median(before.samples[mode].map((s) => s.tokensPerSecond));
  console.log(`Now / before, ${mode}: ${ratio.toFixed(1)}x (medians)`);
}

mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/ui.json"), JSON.stringify({ date: new Date().toISOString(), budgetBytes: chatPageBudget, chatPage: chat, dataPage: data, built, streaming: { tokens, reps, contenders: streaming } }, null, 2));
if (chat.jsCssBytes > chatPageBudget) {
  console.error("Over budget.");
  process.exitCode = 1;
}
