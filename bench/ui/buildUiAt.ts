import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const ui = join(root, "packages/ui");
// The UI's own esbuild (a dependency of packages/ui, not of the workspace root, whose types
// this file cannot see: only `build` is used, with the options packages/ui/build.mjs uses).
const { build } = (await import(pathToFileURL(createRequire(join(ui, "package.json")).resolve("esbuild")).href)) as { build: (options: Record<string, unknown>) => Promise<unknown> };

/**
 * Builds the UI as it was at a git commit (its packages/ui/src, with today's dependencies and
 * @dais/core) into a temporary folder, as packages/ui/build.mjs builds it, so a bench can serve
 * the old page beside the new one from the same app. Returns the folder and a cleanup.
 */
export async function buildUiAt(ref: string): Promise<{ dir: string; remove: () => void }> {
  const tmp = mkdtempSync(join(tmpdir(), "dais-ui-"));
  const remove = () => rmSync(tmp, { recursive: true, force: true });
  try {
    const archive = execFileSync("git", ["-C", root, "archive", "--format=tar", ref, "packages/ui/src"], { maxBuffer: 64 * 1024 * 1024 });
    execFileSync("tar", ["-x", "-C", tmp], { input: archive });
    const src = join(tmp, "packages/ui/src");
    const dir = join(tmp, "dist");
    // Bare imports resolve from today's packages/ui (its node_modules link @dais/core).
    const nodePaths = [join(ui, "node_modules"), join(root, "node_modules")];
    await build({
      entryPoints: { app: join(src, "main.tsx") },
      outdir: dir,
      bundle: true,
      splitting: true,
      format: "esm",
      minify: true,
      target: "es2022",
      jsx: "automatic",
      jsxImportSource: "preact",
      chunkNames: "[name]-[hash]",
      // As build.mjs: a lazily loaded renderer imports its stylesheet as text.
      loader: { ".css": "text" },
      legalComments: "none",
      logLevel: "error",
      nodePaths,
    });
    await build({ entryPoints: { app: join(src, "styles.css") }, outdir: dir, bundle: true, minify: true, logLevel: "error", nodePaths });
    cpSync(join(src, "index.html"), join(dir, "index.html"));
    cpSync(join(ui, "dist/katex"), join(dir, "katex"), { recursive: true });
    return { dir, remove };
  } catch (e) {
    remove();
    throw e;
  }
}
