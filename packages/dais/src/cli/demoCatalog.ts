import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface Demo {
  name: string;
  /** The first line of the demo's README. */
  summary: string;
  file: string;
}

/** The bundled demos: every folder of `demos/` with an app.ts, by name. */
export function demoCatalog(): Demo[] {
  const root = fileURLToPath(new URL("../../../../demos/", import.meta.url));
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
