import { startCluster } from "./scale/startCluster.ts";
import { ChatSession } from "./scale/ChatSession.ts";
const c = await startCluster({ app: new URL("fixtures/scaleChat.ts", import.meta.url).pathname });
const sessions = Number(process.argv[2] ?? 300), turns = 20, kill = process.argv[3] === "kill";
const clients = Array.from({ length: sessions }, () => new ChatSession(c.url, 0));
for (let i = 0; i < sessions; i += 50) await Promise.all(clients.slice(i, i + 50).map((x) => x.connect()));
let done = 0; const t0 = performance.now(); const fails: string[] = [];
const timer = setInterval(() => console.log(`${((performance.now() - t0) / 1000).toFixed(0)}s done=${done} fails=${fails.length} reconnects=${clients.reduce((n, x) => n + x.reconnects, 0)}`), 5000);
let chaos: Promise<void> | undefined;
await Promise.all(clients.map(async (x, s) => {
  for (let t = 0; t < turns; t++) {
    const end = await x.turn(`s${s}-${t}`, `s${s}-${t}`, 20_000).catch((e: Error) => ({ type: "lost", message: e.message }));
    if (end.type !== "done") fails.push(`s${s}-${t} ${JSON.stringify(end).slice(0, 200)}`);
    if (++done === Math.floor(sessions * turns / 3) && kill) { console.log("KILL"); chaos = c.killWeb(1).then(() => c.restartWeb(1)).then(() => console.log("RESTARTED")); }
  }
}));
clearInterval(timer);
await chaos;
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)}s`, fails.slice(0, 10));
console.log(c.output().split("\n").filter((l) => /error|Error/.test(l)).slice(0, 20).join("\n"));
for (const x of clients) x.close();
await c.stop();
