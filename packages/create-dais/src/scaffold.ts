import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";

/** The starting points `npm create dais` offers. */
export const templates = {
  chatbot: "A chatbot with per-tab history (the README's), no model",
  interface: "A function with named inputs and outputs (a greeter)",
  model: "Gradio's DialoGPT chatbot on a real model, through @dais/models",
} as const;
export type Template = keyof typeof templates;

export interface ScaffoldOptions {
  /** The folder to create; its name becomes the package name. */
  dir: string;
  template: Template;
  /** The Dais version the project depends on (create-dais's own: they are released together). */
  version: string;
}

/** The folder holding templates/, beside src/ and dist/ alike. */
const templatesDir = new URL("../templates/", import.meta.url);

/**
 * Writes a new project: app.ts from the template, package.json with `dev` (reload) and `start`
 * scripts, tsconfig.json (strict, nodenext), .gitignore and a README. Refuses a folder that
 * exists and is not empty, so nothing of the user's is overwritten. Resolves to the files written.
 * @example scaffold({ dir: "my-demo", template: "chatbot", version: "0.1.0" })
 */
export function scaffold({ dir, template, version }: ScaffoldOptions): string[] {
  if (!Object.hasOwn(templates, template)) throw new Error(`No template "${template}". Templates: ${Object.keys(templates).join(", ")}.`);
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) throw new Error(`${dir} already exists and is not empty; pick another name.`);
  mkdirSync(target, { recursive: true });
  const name = packageName(basename(target));

  cpSync(new URL(`${template}/`, templatesDir), target, { recursive: true });
  const common = new URL("common/", templatesDir);
  cpSync(new URL("tsconfig.json", common), `${target}/tsconfig.json`);
  // npm leaves .gitignore out of tarballs, so the template keeps it as "gitignore".
  cpSync(new URL("gitignore", common), `${target}/.gitignore`);
  writeFileSync(`${target}/README.md`, readFileSync(new URL("README.md", common), "utf8").replaceAll("{{name}}", name));

  const range = `^${version}`;
  const manifest = {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    engines: { node: ">=20.19" },
    scripts: { dev: "dais run app.ts --reload", start: "dais run app.ts", typecheck: "tsc" },
    dependencies: { dais: range, ...(template === "model" ? { "@dais/models": range } : {}) },
    devDependencies: { "@types/node": "^20.19.0", typescript: "~5.9.3" },
  };
  writeFileSync(`${target}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  return readdirSync(target).sort();
}

/** A folder name as an npm package name: lower case, no spaces or odd characters. */
export function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._-]+|-+$/g, "");
  return name || "dais-app";
}
