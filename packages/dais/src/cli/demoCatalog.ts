import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface Demo {
  name: string;
  /** The first line of the demo's README. */
  summary: string;
  file: string;
}

/**
 * Where the demos are: run from source (this repository), its demos/ folder, the one source of
 * truth; installed from npm, the copy the package carries (scripts/copyDemos.mjs makes it).
 */
export function demosFolder(): string {
  const fromSource = import.meta.url.endsWith(".ts");
  return fileURLToPath(new URL(fromSource ? "../../../../demos/" : "../../demos/", import.meta.url));
}

/** The bundled demos: every folder of the demos folder with an app.ts, by name. */
export function demoCatalog(root = demosFolder()): Demo[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => existsSync(`${root}${name}/app.ts`))
    .sort()
    .map((name) => {
      const readme = `${root}${name}/README.md`;
      const summary = existsSync(readme) ? (readFileSync(readme, "utf8").split("\n")[0] ?? "").trim() : "";
      return { name, summary, file: `${root}${name}/app.ts` };
    });
}

/** The demo `dais demo` runs when given no name. */
export const defaultDemo = "echo-chatbot";
