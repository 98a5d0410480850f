// Builds the UI into dist/: index.html, app.js (+ lazily loaded chunks) and app.css.
// No CDN and no absolute URLs: the server serves these files as they are, under any path.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";

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
  chunkNames: "chunk-[hash]",
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
