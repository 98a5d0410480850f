// bench/server: a trivial echo function served by Dais, beside a bare `ws` echo server (the
// ceiling), each in its own process, driven over loopback from this one. Reports serial
// latency, throughput at 1/10/50/500 concurrent sessions and memory per idle session at 10,000
// sessions; prints a table and writes bench/results/server.json. Run: pnpm bench:server
import { type ChildProcess, fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { WebSocket } from "ws";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const quick = process.argv.includes("--quick");
const levels = [1, 10, 50, 500];
const seconds = quick ? 1 : 3;
const idleSessions = quick ? 1000 : 10_000;

interface Target {
  name: string;
  script: string;
  env?: Record<string, string>;
  /** Dais says hello first; the bare server needs nothing. */
  hello: boolean;
}

const targets: Target[] = [
  { name: "dais (concurrency 1, the default)", script: "daisEcho.ts", hello: true },
  { name: "dais (no concurrency limit)", script: "daisEcho.ts", env: { BENCH_LIMIT: "none" }, hello: true },
  { name: "bare ws echo (ceiling)", script: "bareEcho.ts", hello: false },
];

/** One client session: a WebSocket that sends runs and resolves each on its done frame. */
class Session {
  private waiting = new Map<string, () => void>();
  private n = 0;
  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const text = data.toString();
      if (!text.includes('"done"')) return; // started / queued frames
      const id = (JSON.parse(text) as { id: string }).id;
      this.waiting.get(id)?.();
      this.waiting.delete(id);
    });
  }

  static async open(url: string, hello: boolean): Promise<Session> {
    const socket = new WebSocket(`${url.replace("http", "ws")}ws`);
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    if (hello) {
      socket.send(JSON.stringify({ type: "hello" }));
      await new Promise((resolve) => socket.once("message", resolve));
    }
    return new Session(socket);
  }

  /** One run; resolves with its latency in ms. */
  call(): Promise<number> {
    const id = `r${this.n++}`;
    const start = performance.now();
    return new Promise((resolve) => {
      this.waiting.set(id, () => resolve(performance.now() - start));
      this.socket.send(JSON.stringify({ type: "run", id, fn: 0, data: ["hello"] }));
    });
  }

  close(): void {
    this.socket.terminate();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function startServer(t: Target): Promise<{ child: ChildProcess; url: string; memory: () => Promise<NodeJS.MemoryUsage> }> {
  const child = fork(join(root, "bench/server", t.script), [], {
    execArgv: ["--import", tsx, "--expose-gc"],
    env: { ...process.env, ...t.env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve) => child.once("message", (m) => resolve((m as { url: string }).url)));
  const memory = () =>
    new Promise<NodeJS.MemoryUsage>((resolve) => {
      child.once("message", (m) => resolve((m as { memory: NodeJS.MemoryUsage }).memory));
      child.send("memory");
    });
  return { child, url, memory };
}

async function serial(url: string, hello: boolean) {
  const s = await Session.open(url, hello);
  for (let i = 0; i < 200; i++) await s.call(); // warm-up
  const times: number[] = [];
  const n = quick ? 500 : 2000;
  for (let i = 0; i < n; i++) times.push(await s.call());
  s.close();
  times.sort((a, b) => a - b);
  return { runs: n, p50: percentile(times, 50), p99: percentile(times, 99), perSecond: n / (times.reduce((a, b) => a + b, 0) / 1000) };
}

async function throughput(url: string, hello: boolean, sessions: number) {
  const clients: Session[] = [];
  for (let i = 0; i < sessions; i += 100) clients.push(...(await Promise.all(Array.from({ length: Math.min(100, sessions - i) }, () => Session.open(url, hello)))));
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < end) times.push(await c.call());
    }),
  );
  for (const c of clients) c.close();
  times.sort((a, b) => a - b);
  return { sessions, perSecond: times.length / seconds, p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function idleMemory(url: string, hello: boolean, memory: () => Promise<NodeJS.MemoryUsage>) {
  const before = await memory();
  const clients: Session[] = [];
  for (let i = 0; i < idleSessions; i += 200) clients.push(...(await Promise.all(Array.from({ length: Math.min(200, idleSessions - i) }, () => Session.open(url, hello)))));
  await new Promise((r) => setTimeout(r, 500));
  const after = await memory();
  for (const c of clients) c.close();
  return { sessions: idleSessions, rssPerSession: (after.rss - before.rss) / idleSessions, heapPerSession: (after.heapUsed - before.heapUsed) / idleSessions };
}

const results = [];
for (const t of targets) {
  const server = await startServer(t);
  try {
    const s = await serial(server.url, t.hello);
    const tp = [];
    for (const n of levels) tp.push(await throughput(server.url, t.hello, n));
    const mem = await idleMemory(server.url, t.hello, server.memory);
    results.push({ server: t.name, serial: s, throughput: tp, idle: mem });
    console.error(`done: ${t.name}`);
  } finally {
    server.child.kill();
  }
}

const ms = (n: number) => n.toFixed(2);
console.log(`\nbench/server — trivial echo over loopback, ${seconds} s per level, 2 cores shared by server and load generator\n`);
console.log("| server | serial p50 ms | serial p99 ms | serial runs/s | " + levels.map((n) => `${n} sessions runs/s (p50 / p95 ms)`).join(" | ") + ` | KB per idle session (RSS / heap) at ${idleSessions} |`);
console.log("| --- | ---: | ---: | ---: | " + levels.map(() => "---:").join(" | ") + " | ---: |");
for (const r of results)
  console.log(
    `| ${r.server} | ${ms(r.serial.p50)} | ${ms(r.serial.p99)} | ${r.serial.perSecond.toFixed(0)} | ` +
      r.throughput.map((t) => `${t.perSecond.toFixed(0)} (${ms(t.p50)} / ${ms(t.p95)})`).join(" | ") +
      ` | ${(r.idle.rssPerSession / 1024).toFixed(1)} / ${(r.idle.heapPerSession / 1024).toFixed(1)} |`,
  );
const dais = results[0];
const bare = results[2];
if (dais && bare) {
  console.log(`\nDais / bare ws: serial throughput ${(dais.serial.perSecond / bare.serial.perSecond).toFixed(2)}x; at 50 sessions ${((dais.throughput[2]?.perSecond ?? 0) / (bare.throughput[2]?.perSecond ?? 1)).toFixed(2)}x.`);
  console.log("Gradio 6 on a 2-core machine (its own figures): 103 runs/s serially (p50 9.5 ms), 117 runs/s with 50 clients (p95 657 ms).");
}
mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/server.json"), JSON.stringify({ date: new Date().toISOString(), seconds, idleSessions, results }, null, 2));
