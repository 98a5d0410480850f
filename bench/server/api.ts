// bench/server/api: one Dais echo app (its own process, no concurrency limit) driven two ways
// side by side in alternating slices: the page's WebSocket and Gradio's REST `call/<api_name>`
// (a POST for the event id, then its event stream), as curl and gradio_client use it.
// Prints runs/s (median of slices, with their range) and p50/p95; writes bench/results/api.json.
// Run: pnpm bench:api (--quick for a short run)
import { fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { WebSocket } from "ws";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const quick = process.argv.includes("--quick");
const levels = [1, 10];
const rounds = quick ? 3 : 7;
const sliceMs = quick ? 300 : 600;

type Caller = () => Promise<number>;

async function wsCaller(url: string): Promise<{ call: Caller; close: () => void }> {
  const socket = new WebSocket(`${url.replace("http", "ws")}ws`);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  socket.send(JSON.stringify({ type: "hello" }));
  await new Promise((resolve) => socket.once("message", resolve));
  const waiting = new Map<string, () => void>();
  socket.on("message", (data) => {
    const text = data.toString();
    if (text.includes('"done"')) waiting.get((JSON.parse(text) as { id: string }).id)?.();
  });
  let n = 0;
  return {
    call: () => {
      const id = `r${n++}`;
      const start = performance.now();
      return new Promise((resolve) => {
        waiting.set(id, () => {
          waiting.delete(id);
          resolve(performance.now() - start);
        });
        socket.send(JSON.stringify({ type: "run", id, fn: 0, data: ["hello"] }));
      });
    },
    close: () => socket.terminate(),
  };
}

function restCaller(url: string): { call: Caller; close: () => void } {
  const session = `bench-${Math.random().toString(36).slice(2)}`;
  return {
    call: async () => {
      const start = performance.now();
      const posted = await fetch(`${url}gradio_api/call/predict`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ data: ["hello"], session_hash: session }) });
      const { event_id } = (await posted.json()) as { event_id: string };
      const text = await (await fetch(`${url}gradio_api/call/predict/${event_id}`)).text();
      if (!text.includes("event: complete")) throw new Error(`unexpected answer: ${text}`);
      return performance.now() - start;
    },
    close: () => {},
  };
}

async function slice(callers: Caller[], ms: number) {
  const times: number[] = [];
  const end = performance.now() + ms;
  await Promise.all(callers.map(async (call) => {
    while (performance.now() < end) times.push(await call());
  }));
  return { perSecond: times.length / (ms / 1000), times };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const at = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;

const child = fork(join(root, "bench/server/daisEcho.ts"), [], { execArgv: ["--import", tsx], env: { ...process.env, BENCH_LIMIT: "none" }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
const url = await new Promise<string>((resolve) => child.once("message", (m) => resolve((m as { url: string }).url)));
const results: { transport: string; sessions: number; perSecond: number; slices: number[]; p50: number; p95: number }[] = [];
try {
  for (const n of levels) {
    const ws = await Promise.all(Array.from({ length: n }, () => wsCaller(url)));
    const rest = Array.from({ length: n }, () => restCaller(url));
    const contenders = [
      { transport: "WebSocket (the page's)", callers: ws.map((c) => c.call) },
      { transport: "REST call/<api_name> (curl, gradio_client)", callers: rest.map((c) => c.call) },
    ];
    for (const c of contenders) await slice(c.callers, 200); // warm-up
    const slices = contenders.map(() => [] as number[]);
    const times = contenders.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++)
      for (const [i, c] of contenders.entries()) {
        const out = await slice(c.callers, sliceMs);
        slices[i]!.push(out.perSecond);
        times[i]!.push(...out.times);
      }
    for (const c of ws) c.close();
    contenders.forEach((c, i) => {
      const t = sorted(times[i]!);
      results.push({ transport: c.transport, sessions: n, perSecond: at(sorted(slices[i]!), 0.5), slices: slices[i]!, p50: at(t, 0.5), p95: at(t, 0.95) });
    });
  }
} finally {
  child.kill();
}

console.log(`\nbench/server/api — trivial echo over loopback, ${rounds} alternating slices of ${sliceMs} ms per transport and level\n`);
console.log("| transport | sessions | runs/s (median of slices) | slice range | p50 ms | p95 ms |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const r of results) {
  const s = sorted(r.slices);
  console.log(`| ${r.transport} | ${r.sessions} | ${r.perSecond.toFixed(0)} | ${s[0]!.toFixed(0)}–${s[s.length - 1]!.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} |`);
}
mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/api.json"), JSON.stringify({ date: new Date().toISOString(), rounds, sliceMs, results }, null, 2));
