// bench/server: a trivial echo function served by Dais, beside a bare `ws` echo server (the
// ceiling), each in its own process, driven over loopback from this one in alternating slices.
// Reports throughput and latency at 1/10/50/500 concurrent sessions, the Dais/bare ratio slice
// by slice, and memory per idle session; prints a table and writes bench/results/server.json.
// Run: pnpm bench:server (--quick for a short run)
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

/** Opens `n` sessions to a server, 100 at a time. */
async function openSessions(url: string, hello: boolean, n: number): Promise<Session[]> {
  const clients: Session[] = [];
  for (let i = 0; i < n; i += 100) clients.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => Session.open(url, hello)))));
  return clients;
}

/** Every session of a server sends back-to-back runs for `ms`; returns runs/s and latencies. */
async function slice(clients: Session[], ms: number): Promise<{ perSecond: number; times: number[] }> {
  const times: number[] = [];
  const end = performance.now() + ms;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < end) times.push(await c.call());
    }),
  );
  return { perSecond: times.length / (ms / 1000), times };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/**
 * The servers are driven in alternating slices (A, B, C, A, B, C, ...), so a burst of other work
 * on this noisy machine hits every server alike; each server's figure is the median of its
 * slices, and the ratio to the ceiling is taken slice by slice (median and range reported).
 */
async function alternating(servers: { url: string; hello: boolean }[], sessions: number) {
  const clients = await Promise.all(servers.map((s) => openSessions(s.url, s.hello, sessions)));
  for (const c of clients) await slice(c, 200); // warm-up
  const rounds = quick ? 3 : 7;
  const ms = (seconds * 1000) / rounds;
  const perSlice: number[][] = servers.map(() => []);
  const times: number[][] = servers.map(() => []);
  for (let r = 0; r < rounds; r++)
    for (let i = 0; i < servers.length; i++) {
      const out = await slice(clients[i]!, ms);
      perSlice[i]!.push(out.perSecond);
      times[i]!.push(...out.times);
    }
  for (const c of clients.flat()) c.close();
  return servers.map((_, i) => {
    const sorted = times[i]!.sort((a, b) => a - b);
    return { sessions, perSecond: median(perSlice[i]!), slices: perSlice[i]!, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  });
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

const servers = await Promise.all(targets.map(startServer));
const results = targets.map((t) => ({ server: t.name, throughput: [] as Awaited<ReturnType<typeof alternating>>, idle: undefined as Awaited<ReturnType<typeof idleMemory>> | undefined }));
try {
  for (const n of levels) {
    const level = await alternating(
      servers.map((s, i) => ({ url: s.url, hello: targets[i]!.hello })),
      n,
    );
    level.forEach((l, i) => results[i]!.throughput.push(l));
    console.error(`done: ${n} sessions`);
  }
  for (const [i, t] of targets.entries()) results[i]!.idle = await idleMemory(servers[i]!.url, t.hello, servers[i]!.memory);
} finally {
  for (const s of servers) s.child.kill();
}

const ms = (n: number) => n.toFixed(2);
console.log(`\nbench/server — trivial echo over loopback, ${seconds} s per level split into alternating slices, 2 cores shared by the servers and the load generator\n`);
console.log("| server | " + levels.map((n) => `${n} sessions runs/s (p50 / p95 ms)`).join(" | ") + ` | KB per idle session (RSS / heap) at ${idleSessions} |`);
console.log("| --- | " + levels.map(() => "---:").join(" | ") + " | ---: |");
for (const r of results)
  console.log(
    `| ${r.server} | ` +
      r.throughput.map((t) => `${t.perSecond.toFixed(0)} (${ms(t.p50)} / ${ms(t.p95)})`).join(" | ") +
      ` | ${((r.idle?.rssPerSession ?? NaN) / 1024).toFixed(1)} / ${((r.idle?.heapPerSession ?? NaN) / 1024).toFixed(1)} |`,
  );
const ratios = levels.map((n, l) => {
  const dais = results[0]!.throughput[l]!.slices;
  const bare = results[2]!.throughput[l]!.slices;
  const each = dais.map((d, k) => d / (bare[k] ?? NaN)).sort((a, b) => a - b);
  return { sessions: n, median: median(each), min: each[0] ?? NaN, max: each[each.length - 1] ?? NaN };
});
console.log("\nDais (default) / bare ws, slice by slice: " + ratios.map((r) => `${r.sessions} sessions ${r.median.toFixed(2)}x (${r.min.toFixed(2)}–${r.max.toFixed(2)})`).join("; ") + ".");
console.log("Gradio 6 on a 2-core machine (its own figures): 103 runs/s serially (p50 9.5 ms), 117 runs/s with 50 clients (p95 657 ms).");
mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/server.json"), JSON.stringify({ date: new Date().toISOString(), seconds, idleSessions, results, ratios }, null, 2));
