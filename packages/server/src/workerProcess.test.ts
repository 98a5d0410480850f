import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestRuntime } from "./testRuntime.ts";
import { startRedis, type TestRedis } from "./testRedis.ts";
import { workerApp } from "./testWorkerApp.ts";

const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const script = fileURLToPath(new URL("testWorkerProcess.ts", import.meta.url));
const prefix = "wp";
let redis: TestRedis;
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await redis.stop();
});

/** Starts a real worker process and resolves once it says it takes runs. */
function startWorker(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ["--import", tsx, script], {
    env: { ...process.env, DAIS_REDIS_URL: redis.url, DAIS_REDIS_PREFIX: prefix, DAIS_ROLE: "worker" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/Worker ready: worker test \(queues: .+\)/.test(out)) resolve({ child, output: () => out });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`worker exited (${code}):\n${out}`)));
  });
}

const killed = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

describe("a web process and real worker processes on one Redis", () => {
  it("runs go to the workers (which alone load the model); a worker killed mid-run ends its run with a clear error, and the next runs go to the one left", async () => {
    const workers = await Promise.all([startWorker(), startWorker()]);
    for (const w of workers) expect(w.output()).toContain(`model loaded in ${w.child.pid}`);
    // The web process: serves the session, runs nothing itself (and loads no model).
    const web = await TestRuntime.onRedis(workerApp, { url: redis.url, prefix, role: "web", lockDuration: 1000 });
    try {
      const page = await web.session();
      const done = await page.client.run("r1", ["hello"]);
      expect(done.type).toBe("done");
      expect(page.client.output()).toMatch(/^hello \(pid \d+\)$/);
      const before = page.client.output();

      // A run streams from a worker; that worker is killed mid-answer.
      page.client.send({ type: "run", id: "r2", fn: 0, data: ["hang"] });
      await page.client.take((f) => f.type === "partial" && f.id === "r2");
      const pid = Number(/pid (\d+)/.exec(page.client.output() as string)?.[1]);
      const victim = workers.find((w) => w.child.pid === pid)!;
      const survivor = workers.find((w) => w !== victim)!;
      victim.child.kill("SIGKILL");
      await killed(victim.child);
      const lost = await page.client.take((f) => (f.type === "done" || f.type === "error") && f.id === "r2");
      expect(lost).toMatchObject({ type: "error", code: "worker_lost" });
      expect((lost as { message: string }).message).toMatch(/worker running this stopped/);
      // What the page showed before the lost run is back, and nothing more of it comes.
      expect(page.client.output()).toBe(before);

      // The next runs go to the worker left, and the session's state survived the lost run.
      const again = await page.client.run("r3", ["again"]);
      expect(again.type).toBe("done");
      expect(page.client.output()).toBe(`hello again (pid ${survivor.child.pid})`);
      expect(await page.client.run("r4", ["more"])).toMatchObject({ type: "done" });
      expect(page.client.output()).toBe(`hello again more (pid ${survivor.child.pid})`);
      expect(page.client.frames.filter((f) => "id" in f && f.id === "r2" && (f.type === "done" || f.type === "error"))).toEqual([]);
    } finally {
      await web.stop();
    }
    // Two cold-started processes and a stall to notice: a bound on hangs, not a measure.
  }, 120_000);
});
