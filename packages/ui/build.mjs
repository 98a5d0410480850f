// Builds the UI into dist/: index.html, app.js (+ lazily loaded chunks) and app.css.
// No CDN and no absolute URLs: the server serves these files as they are, under any path.
import { build } from "esbuild";
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const here = new URL(".", import.meta.url).pathname;
rmSync(`${here}dist`, { recursive: true, force: true });
mkdirSync(`${here}dist`, { recursive: true });
await build({
  entryPoints: { app: `${here}src/main.tsx` },
  outdir: `${here}dist`,
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  target: "es2022",
  jsx: "automatic",
  jsxImportSource: "preact",
  chunkNames: "[name]-[hash]",
  // A stylesheet imported from code is its text, added by that code when it loads (addStyles.ts, chatExtras.ts).
  loader: { ".css": "text" },
  legalComments: "none",
  logLevel: "warning",
});
await build({
  entryPoints: { app: `${here}src/styles.css` },
  outdir: `${here}dist`,
  bundle: true,
  minify: true,
  logLevel: "warning",
});
copyFileSync(`${here}src/index.html`, `${here}dist/index.html`);

// KaTeX's stylesheet and fonts, served beside the UI and fetched only with the first formula.
const katex = dirname(createRequire(import.meta.url).resolve("katex/package.json"));
mkdirSync(`${here}dist/katex/fonts`, { recursive: true });
copyFileSync(`${katex}/dist/katex.min.css`, `${here}dist/katex/katex.min.css`);
for (const font of readdirSync(`${katex}/dist/fonts`).filter((f) => f.endsWith(".woff2"))) {
  cpSync(`${katex}/dist/fonts/${font}`, `${here}dist/katex/fonts/${font}`);
}

// Every script, stylesheet and page also as brotli (.br) and gzip (.gz) at their strongest
// levels, made once here rather than per request: the server sends the smallest one the browser
// takes (staticAssets.ts). Brotli at quality 11 is some 10% smaller than gzip on this code.
for (const entry of readdirSync(`${here}dist`, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(js|css|html)$/.test(entry.name)) continue;
  const path = `${entry.parentPath}/${entry.name}`;
  const bytes = readFileSync(path);
  writeFileSync(`${path}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
  writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
}
