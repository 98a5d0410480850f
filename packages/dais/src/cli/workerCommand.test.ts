import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startRedis } from "@dais/server/testRedis";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const main = fileURLToPath(new URL("main.ts", import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs `dais ...args`, resolving with its output once `until` matches it, or once it exits. */
function dais(args: string[], env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ["--import", tsx, main, ...args], { cwd: root, env: { ...process.env, DAIS_REDIS_URL: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (until?.test(out)) resolve({ code: null, out });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => resolve({ code, out }));
  });
}

function writeApp(): string {
  mkdirSync(join(root, ".fixtures"), { recursive: true });
  const dir = mkdtempSync(join(root, ".fixtures", "worker-"));
  dirs.push(dir);
  const file = join(dir, "app.ts");
  writeFileSync(file, `import { Interface } from "dais";\nawait new Interface({ fn: (s: string) => s, inputs: ["text"], outputs: ["text"], title: "Echo" }).launch();\n`);
  return file;
}

describe("dais worker", { timeout: 180_000 }, () => {
  it("needs Redis, and says how to give it", async () => {
    const { code, out } = await dais(["worker", writeApp()], {});
    expect(code).toBe(2);
    expect(out).toMatch(/needs Redis.*DAIS_REDIS_URL.*--redis/s);
    expect(await dais(["run", writeApp(), "--no-worker"], {})).toMatchObject({ code: 2, out: expect.stringContaining("needs Redis") });
  });

  it("takes runs from the app's queues and says so when it is ready", async () => {
    const redis = await startRedis();
    try {
      const { out } = await dais(["worker", writeApp(), "--redis", redis.url], {}, /Worker ready: .*\n/);
      expect(out).toMatch(/^Worker ready: Echo \(queues: [\w-]+-fn0\)$/m);
    } finally {
      for (const c of children) c.kill("SIGKILL");
      await redis.stop();
    }
  });
});
