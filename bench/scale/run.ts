// bench/scale: the scale tests' chat (e2e/fixtures/scaleChat.ts, a ChatInterface whose history is
// a state) served five ways, driven over loopback in alternating slices:
//   one process, in-memory store (the default) | one process, Redis store (DAIS_REDIS_URL) |
//   1, 2 and 3 web processes (`dais run --no-worker`) behind nginx, with two `dais worker`s.
// The three balancers share the same web processes, workers and Redis (any process serves any
// session), so only the number of web processes differs between them. Every slice opens fresh
// sessions, so histories stay short and each slice does the same work. Reports runs/s (median of
// slices), p50/p95, and each contender's ratio to the in-memory process slice by slice (median
// and range); prints a table and writes bench/results/scale.json.
// Run: pnpm bench:scale (--quick for a short run)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { startRedis, type TestRedis } from "../../packages/server/src/testRedis.ts";
import { type DaisProcess, startDais } from "../../e2e/scale/startDais.ts";
import { startNginx, type TestNginx } from "../../e2e/scale/startNginx.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const app = join(root, "e2e/fixtures/scaleChat.ts");
const quick = process.argv.includes("--quick");
const sessions = quick ? 20 : 50;
const rounds = quick ? 3 : 7;
const sliceMs = quick ? 700 : 1500;
const runningOn = /Running on (http:\/\/\S+)/;

/** One chat session: a WebSocket that sends turns and resolves each on its done frame. */
class Session {
  private waiting = new Map<string, (ok: boolean) => void>();
  private n = 0;
  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const text = data.toString();
      if (!text.includes('"done"') && !text.includes('"error"')) return;
      const frame = JSON.parse(text) as { type: string; id?: string };
      if (frame.id === undefined) return;
      this.waiting.get(frame.id)?.(frame.type === "done");
      this.waiting.delete(frame.id);
    });
  }

  static async open(url: string): Promise<Session> {
    const socket = new WebSocket(`${url.replace("http", "ws")}ws`);
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    socket.send(JSON.stringify({ type: "hello" }));
    await new Promise((resolve) => socket.once("message", resolve));
    return new Session(socket);
  }

  /** One turn; resolves with its latency in ms. */
  turn(): Promise<number> {
    const id = `t${this.n++}`;
    const start = performance.now();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (ok) => (ok ? resolve(performance.now() - start) : reject(new Error(`turn ${id} failed`))));
      this.socket.send(JSON.stringify({ type: "run", id, fn: 0, data: [`hello ${id}`] }));
    });
  }

  close(): void {
    this.socket.terminate();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Fresh sessions on `url`, then back-to-back turns on each for `ms`: runs/s and latencies. */
async function slice(url: string, ms: number): Promise<{ perSecond: number; times: number[] }> {
  const clients = await Promise.all(Array.from({ length: sessions }, () => Session.open(url)));
  const times: number[] = [];
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < end) times.push(await c.turn());
    }),
  );
  const elapsed = performance.now() - start;
  for (const c of clients) c.close();
  return { perSecond: times.length / (elapsed / 1000), times };
}

const processes: DaisProcess[] = [];
const redises: TestRedis[] = [];
const balancers: TestNginx[] = [];
const web = async (env: Record<string, string>, args: string[] = []) => {
  const p = await startDais(["run", app, ...args], { env: { DAIS_SERVER_PORT: "0", ...env }, ready: runningOn });
  processes.push(p);
  return `${p.printed.replace(/\/$/, "")}/`;
};

let results: { name: string; perSecond: number; slices: number[]; p50: number; p95: number; runs: number }[] = [];
let ratios: { name: string; median: number; min: number; max: number }[] = [];
try {
  // Two Redis servers: the one-process contender would otherwise also work the cluster's queues.
  const [single, shared] = await Promise.all([startRedis(), startRedis()]);
  redises.push(single, shared);
  const env = { DAIS_REDIS_URL: shared.url };
  const [memoryUrl, redisUrl, webUrls] = await Promise.all([
    web({}),
    web({ DAIS_REDIS_URL: single.url }),
    Promise.all([0, 1, 2].map(() => web(env, ["--no-worker"]))),
    Promise.all([0, 1].map(async () => processes.push(await startDais(["worker", app], { env, ready: /Worker ready/ })))),
  ]);
  const upstreams = webUrls.map((u) => new URL(u).host);
  for (const n of [1, 2, 3]) balancers.push(await startNginx(upstreams.slice(0, n)));
  const contenders = [
    { name: "1 process, in-memory store", url: memoryUrl },
    { name: "1 process, Redis store", url: redisUrl },
    ...balancers.map((b, i) => ({ name: `${i + 1} web + 2 workers behind nginx`, url: b.url })),
  ];
  console.error(`contenders ready: ${contenders.map((c) => c.url).join(" ")}`);
  for (const c of contenders) await slice(c.url, 300); // warm-up
  const perSlice = contenders.map(() => [] as number[]);
  const times = contenders.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of contenders.entries()) {
      const out = await slice(c.url, sliceMs);
      perSlice[i]!.push(out.perSecond);
      times[i]!.push(...out.times);
    }
    console.error(`round ${r + 1}/${rounds}`);
  }
  results = contenders.map((c, i) => {
    const sorted = times[i]!.sort((a, b) => a - b);
    return { name: c.name, perSecond: median(perSlice[i]!), slices: perSlice[i]!, p50: percentile(sorted, 50), p95: percentile(sorted, 95), runs: sorted.length };
  });
  ratios = contenders.slice(1).map((c, k) => {
    const each = perSlice[k + 1]!.map((v, s) => v / (perSlice[0]![s] ?? NaN)).sort((a, b) => a - b);
    return { name: c.name, median: median(each), min: each[0] ?? NaN, max: each[each.length - 1] ?? NaN };
  });
} finally {
  await Promise.all(processes.map((p) => p.kill("SIGKILL")));
  for (const b of balancers) await b.stop();
  for (const r of redises) await r.stop();
}

console.log(`\nbench/scale — ${sessions} chat sessions, back-to-back turns with state, ${rounds} alternating slices of ${sliceMs} ms each; all processes and the load generator share these 2 cores\n`);
console.log("| served by | runs/s | p50 ms | p95 ms | / in-memory, slice by slice (range) |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const [i, r] of results.entries()) {
  const ratio = i === 0 ? "1" : `${ratios[i - 1]!.median.toFixed(2)}x (${ratios[i - 1]!.min.toFixed(2)}–${ratios[i - 1]!.max.toFixed(2)})`;
  console.log(`| ${r.name} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${ratio} |`);
}
mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/scale.json"), JSON.stringify({ date: new Date().toISOString(), sessions, rounds, sliceMs, results, ratios }, null, 2));
