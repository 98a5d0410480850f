import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The packages an app imports that cannot be found from where it is: a model demo run from an
 * installed `dais` needs `@dais/models`, which `dais` leaves out so an echo bot installs no
 * onnxruntime. Checked before the app starts, so the user reads what to install instead of a
 * stack trace. Only static `import ... from "pkg"` lines are read; `node:` builtins are skipped.
 * Packages are looked up as ES modules find them: in node_modules folders up from the file
 * (NODE_PATH, which only `require` reads, does not count).
 * @example missingPackages("demos/dialogpt/app.ts") // ["@dais/models"] when it is not installed
 */
export function missingPackages(file: string, packages: string[] = importedPackages(readFileSync(file, "utf8"))): string[] {
  return packages.filter((name) => {
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      if (existsSync(join(dir, "node_modules", name, "package.json"))) return false;
      if (dirname(dir) === dir) return true;
    }
  });
}

/** The packages a module's static imports name ("@scope/name/sub" belongs to "@scope/name"). */
export function importedPackages(source: string): string[] {
  const names = new Set<string>();
  for (const [, spec] of source.matchAll(/^\s*import\s[^;]*?\sfrom\s+["']([^"'./][^"']*)["']/gm)) {
    if (!spec || spec.startsWith("node:")) continue;
    names.add(spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/"));
  }
  return [...names];
}

/** What to tell the user when `missingPackages` found some. */
export function installHint(what: string, missing: string[]): string {
  return `${what} needs ${missing.join(" and ")}, which ${missing.length > 1 ? "are" : "is"} not installed. Install ${missing.length > 1 ? "them" : "it"} in your project:\n\n  npm install ${missing.join(" ")}\n`;
}
