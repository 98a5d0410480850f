import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// What the install spec does as a user would: build and pack the packages, run npm and the
// `dais` command in a project outside the workspace.

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/**
 * The environment of a user's shell: without what pnpm and vitest add for the workspace
 * (NODE_PATH to its packages, its node_modules/.bin on PATH, npm_* settings), which would let a
 * user's project find packages it never installed.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "NODE_PATH" || key === "NODE_OPTIONS" || /^(npm|pnpm)_/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(":")
    .filter((dir) => !dir.startsWith(repoRoot) && !dir.includes("/node_modules/"))
    .join(":");
  return { ...env, ...extra };
}

/** pnpm as the test was started with (`pnpm test` sets npm_execpath), else through npx. */
function pnpm(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  return execPath && /pnpm/.test(execPath) ? [process.execPath, [execPath]] : ["npx", ["-y", "pnpm@10"]];
}

/** Runs a command to completion; rejects with everything it printed if it fails. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const [file, pre] = command === "pnpm" ? pnpm() : [command, []];
  return new Promise((resolve, reject) => {
    const inWorkspace = cwd.startsWith(repoRoot);
    const child = spawn(file, [...pre, ...args], { cwd, env: inWorkspace ? { ...process.env, ...env } : userEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(" ")} (in ${cwd}) exited with ${code}:\n${out}`))));
  });
}

/** Builds every package and packs each into `dest`; resolves to the tarballs by package name. */
export async function packAll(dest: string): Promise<Map<string, string>> {
  // The UI is built by `pnpm test` before the suite (the other browser specs need it too); the
  // TypeScript packages in one tsc process, as `pnpm build:packages` does.
  if (!existsSync(join(repoRoot, "packages/ui/dist/app.js"))) await run("pnpm", ["build"], repoRoot);
  await run(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-b", "tsconfig.packages.json"], repoRoot);
  await run(process.execPath, ["packages/dais/scripts/copyDemos.mjs"], repoRoot);
  const dirs = readdirSync(join(repoRoot, "packages"));
  await Promise.all(dirs.map((dir) => run("pnpm", ["pack", "--pack-destination", dest], join(repoRoot, "packages", dir))));
  const tarballs = new Map<string, string>();
  for (const dir of dirs) {
    const { name, version } = JSON.parse(readFileSync(join(repoRoot, "packages", dir, "package.json"), "utf8")) as { name: string; version: string };
    tarballs.set(name, join(dest, `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`));
  }
  return tarballs;
}

export interface Serving {
  url: string;
  output: () => string;
  /** Resolves once the output, from now on, matches `pattern`. */
  waitFor: (pattern: RegExp) => Promise<string>;
  stop: () => Promise<void>;
}

/**
 * Starts a command that serves an app (`npx dais run`, `npm run dev`, `node app.js`) in its own
 * process group, so stopping it stops npm's children too; resolves with the URL it prints.
 */
export async function serve(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Serving> {
  const child: ChildProcess = spawn(command, args, { cwd, env: userEnv({ DAIS_SERVER_PORT: "0", ...env }), stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    output += d.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const waitFor = (pattern: RegExp, from = output.length) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => (listeners.delete(check), reject(new Error(`${command} ${args.join(" ")} never printed ${pattern}:\n${output}`))), 100_000);
      const check = () => {
        const match = pattern.exec(output.slice(from));
        if (match) {
          clearTimeout(timer);
          listeners.delete(check);
          resolve(match[1] ?? match[0]);
        }
      };
      listeners.add(check);
      child.once("exit", (code) => (listeners.has(check) ? reject(new Error(`${command} exited with ${code}:\n${output}`)) : undefined));
      check();
    });
  const url = await waitFor(/Running on (http:\/\/\S+)/, 0);
  return {
    url: `${url}/`,
    output: () => output,
    waitFor: (pattern) => waitFor(pattern),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      await exited;
    },
  };
}

/** Every package installed under a node_modules folder, nested ones included. */
export function installedPackages(nodeModules: string): { name: string; version: string; engines?: { node?: string } }[] {
  const found: { name: string; version: string; engines?: { node?: string } }[] = [];
  const visit = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith(".")) continue;
      if (entry.startsWith("@")) {
        for (const scoped of readdirSync(join(dir, entry))) readPackage(join(dir, entry, scoped));
      } else readPackage(join(dir, entry));
    }
  };
  const readPackage = (dir: string) => {
    try {
      found.push(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")));
    } catch {
      return;
    }
    visit(join(dir, "node_modules"));
  };
  visit(nodeModules);
  return found;
}
