import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./userProject.ts";

// Every dependency a user can install with a Dais package (@dais/models and its onnxruntime and
// transformers.js included, which the install spec does not install) runs on the Node version
// the engines field and the README promise. Walks the installed tree from each package's manifest.

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const read = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

/** Where Node finds `name` from `dir`: the nearest node_modules/<name> up the tree. */
function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

describe("Node versions", () => {
  const packages = readdirSync(join(repoRoot, "packages")).map((dir) => join(repoRoot, "packages", dir));
  const promised = /Node (\d+\.\d+)\+/.exec(readFileSync(join(repoRoot, "README.md"), "utf8"))?.[1];

  it("the README, the repository and every package promise the same Node", () => {
    expect(promised).toBe("20.19");
    expect(JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).engines.node).toBe(`>=${promised}`);
    for (const dir of packages) expect(read(dir).engines?.node, dir).toBe(`>=${promised}`);
  });

  it("every dependency of every package accepts that Node", () => {
    const seen = new Set<string>();
    const tooNew: string[] = [];
    const visit = (dir: string) => {
      if (seen.has(dir)) return;
      seen.add(dir);
      const manifest = read(dir);
      const range = manifest.engines?.node;
      if (range && !semver.subset(`>=${promised}.0`, range)) tooNew.push(`${manifest.name}@${manifest.version} wants Node ${range}`);
      for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
        const found = findPackage(name, dir);
        if (found) visit(found);
        else if (!(name in (manifest.optionalDependencies ?? {}))) throw new Error(`${name}, a dependency of ${manifest.name}, is not installed`);
      }
    };
    for (const dir of packages) visit(dir);
    expect(seen.size).toBeGreaterThan(100);
    expect(tooNew).toEqual([]);
  });
});
