// Page weight: what the chat page loads in a real browser (bytes on the wire, gzipped by the
// server), and every built file raw and gzipped, lazy chunks included. Prints a table and
// writes bench/results/ui.json. Run: pnpm bench:ui (after pnpm build).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { launchBrowser } from "../../e2e/browser.ts";
import { startDemo } from "../../e2e/demo.ts";
import { chatPageBudget, pageWeight } from "../../e2e/pageWeight.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dist = join(root, "packages/ui/dist");

const built = readdirSync(dist)
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => {
    const bytes = readFileSync(join(dist, f));
    return { file: f, raw: statSync(join(dist, f)).size, gzip: gzipSync(bytes, { level: 9 }).length };
  });

const [demo, browser] = await Promise.all([startDemo("chat"), launchBrowser()]);
let chat: Awaited<ReturnType<typeof pageWeight>>;
try {
  chat = await pageWeight(browser, demo.url);
} finally {
  await browser.close();
  await demo.stop();
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

mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/ui.json"), JSON.stringify({ date: new Date().toISOString(), budgetBytes: chatPageBudget, chatPage: chat, built }, null, 2));
if (chat.jsCssBytes > chatPageBudget) {
  console.error("Over budget.");
  process.exitCode = 1;
}
