import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AppConfig } from "@dais/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser.ts";
import { idle, send, texts } from "./chatPage.ts";
import { ChatSession } from "./scale/ChatSession.ts";
import { establishedTo } from "./scale/establishedTo.ts";
import { type Cluster, startCluster } from "./scale/startCluster.ts";

// Several processes, one app, with the real parts on loopback: Debian's redis-server, nginx with
// deploy/'s config spreading requests with no stickiness, three `dais run app --no-worker` web
// processes and two `dais worker app` workers (deploy/compose.yaml, in small).
const app = fileURLToPath(new URL("fixtures/scaleChat.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "dais-scale-"));
const gate = join(dir, "go");
let cluster: Cluster;
let browser: Browser;
let chatbotId: number;
beforeAll(async () => {
  [cluster, browser] = await Promise.all([startCluster({ app, webs: 3, workers: 2, env: { SCALE_GATE: gate } }), launchBrowser()]);
  const config = (await (await fetch(`${cluster.url}config?format=dais`)).json()) as AppConfig;
  chatbotId = config.fns[0]!.outputs[0]!;
});
afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const expectedHistory = (name: string, turns: number) =>
  Array.from({ length: turns }, (_, t) => [
    { role: "user", content: `${name}-${t}` },
    { role: "assistant", content: `echo: ${name}-${t}` },
  ]).flat();

/** Lost, duplicated and foreign turns in a session's history, against the turns it sent. */
function audit(name: string, history: { role: string; content: string }[], turns: number) {
  const users = history.filter((m) => m.role === "user").map((m) => m.content);
  const own = users.filter((u) => u.startsWith(`${name}-`));
  return {
    lost: Array.from({ length: turns }, (_, t) => `${name}-${t}`).filter((u) => !own.includes(u)).length,
    duplicated: own.length - new Set(own).size,
    crossTalk: users.length - own.length,
    outOfOrder: own.some((u, i) => u !== `${name}-${i}`) ? 1 : 0,
  };
}

describe("several processes, one app", () => {
  it("in Chromium: the web process serving a streaming chat is killed with SIGKILL, and the answer completes, whole and once, on another", async () => {
    const page = await browser.newPage();
    let victim = -1;
    try {
      await page.goto(cluster.url);
      await page.getByRole("log").waitFor();
      await send(page, "/slow 30");
      // The fixture's answer waits after its fifth word until the gate file exists.
      await page.waitForFunction(() => (document.querySelector('[role="log"] .message.bot .markdown')?.textContent ?? "").includes("w4"));
      const serving = cluster.webs.map((w) => establishedTo(w.port));
      // The page's WebSocket is the one connection a web process holds open.
      expect(serving.filter((n) => n > 0)).toEqual([1]);
      victim = serving.findIndex((n) => n > 0);
      await cluster.killWeb(victim);
      // The page reconnects by itself, through the balancer, to another process.
      await expect.poll(() => cluster.webs.some((w, i) => i !== victim && establishedTo(w.port) > 0), { timeout: 30_000 }).toBe(true);
      writeFileSync(gate, "");
      await idle(page);
      const answer = Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ");
      expect(await texts(page)).toEqual(["/slow 30", answer]);
    } finally {
      await page.close();
    }
    if (victim >= 0) await cluster.restartWeb(victim);
  });

  it("300 sessions x 20 turns with state through the balancer while a web process is killed and restarted: 0 lost, 0 duplicated, 0 cross-talk", async () => {
    const sessions = 300;
    const turns = 20;
    const clients = Array.from({ length: sessions }, () => new ChatSession(cluster.url, chatbotId));
    // Connect in batches, as visitors arrive, rather than 300 handshakes in one instant.
    for (let i = 0; i < sessions; i += 50) await Promise.all(clients.slice(i, i + 50).map((c) => c.connect()));
    let done = 0;
    let chaos: Promise<void> | undefined;
    const killAt = Math.floor((sessions * turns) / 3);
    const failures: string[] = [];
    const started = performance.now();
    const progress = setInterval(() => console.log(`[scale] ${Math.round((performance.now() - started) / 1000)} s: ${done} turns answered, ${clients.reduce((n, c) => n + c.reconnects, 0)} reconnects`), 15_000);
    await Promise.all(
      clients.map(async (c, s) => {
        for (let t = 0; t < turns; t++) {
          // A turn not answered 30 s after its session's last (re)connection is lost; the session stops there.
          const end = await c.turn(`s${s}-${t}`, `s${s}-${t}`, 30_000).catch((e: Error) => ({ type: "lost", message: e.message }) as const);
          if (end.type !== "done") {
            failures.push(`s${s}-${t}: ${JSON.stringify(end).slice(0, 300)}`);
            break;
          }
          // A third of the way through, web process 1 dies; it comes back while the load goes on.
          if (++done === killAt) chaos = cluster.killWeb(1).then(() => cluster.restartWeb(1));
        }
      }),
    );
    clearInterval(progress);
    await chaos;
    console.log(`[scale] ${sessions} x ${turns} turns in ${Math.round((performance.now() - started) / 1000)} s, ${clients.reduce((n, c) => n + c.reconnects, 0)} reconnects, ${clients.reduce((n, c) => n + c.resends, 0)} runs resent`);
    expect(failures.slice(0, 10)).toEqual([]);
    // Some sessions were on the killed process and resumed on another.
    expect(clients.reduce((n, c) => n + c.reconnects, 0)).toBeGreaterThan(0);
    // Each resumed where it was: no frame twice, no session started afresh.
    expect({ repeats: clients.reduce((n, c) => n + c.repeats, 0), freshStarts: clients.reduce((n, c) => n + c.freshStarts, 0) }).toEqual({ repeats: 0, freshStarts: 0 });

    // What each tab shows, and what the servers hold (a fresh connection's welcome, from any process).
    const totals = { lost: 0, duplicated: 0, crossTalk: 0, outOfOrder: 0 };
    for (const [s, c] of clients.entries()) {
      const shown = audit(`s${s}`, c.history, turns);
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += shown[k];
    }
    expect(totals).toEqual({ lost: 0, duplicated: 0, crossTalk: 0, outOfOrder: 0 });
    for (let i = 0; i < sessions; i += 50)
      await Promise.all(
        clients.slice(i, i + 50).map(async (c, k) => {
          const fresh = new ChatSession(cluster.url, chatbotId);
          fresh.session = c.session;
          await fresh.connect();
          expect(fresh.history).toEqual(expectedHistory(`s${i + k}`, turns));
          fresh.close();
        }),
      );
    for (const c of clients) c.close();
  }, 240_000);

  // What the app promises when Redis restarts empty (a crash without persistence; see the
  // README): the processes reconnect by themselves, new sessions work at once, and a page that
  // reconnects to a session whose keys were lost starts afresh (an empty chat, not resumed) and
  // works; no session ever sees another's turns.
  it("Redis restarted empty mid-load: the processes carry on, reconnecting pages start afresh and work, none sees another's turns", async () => {
    const sessions = 30;
    const clients = Array.from({ length: sessions }, () => new ChatSession(cluster.url, chatbotId));
    await Promise.all(clients.map((c) => c.connect()));
    await Promise.all(clients.map(async (c, s) => { for (let t = 0; t < 3; t++) expect((await c.turn(`r${s}-${t}`, `r${s}-${t}`)).type).toBe("done"); }));
    // Turns in flight as Redis goes.
    clients.forEach((c, s) => c.send(`r${s}-3`, `r${s}-3`));
    const lost = clients.map((c) => c.session);
    await cluster.redis!.restart();
    const fresh = new ChatSession(cluster.url, chatbotId);
    await fresh.connect();
    expect((await fresh.turn("new-0", "new-0")).type).toBe("done");
    expect(fresh.history).toEqual(expectedHistory("new", 1));
    fresh.close();
    await Promise.all(
      clients.map(async (c, s) => {
        const before = lost[s];
        const welcome = await c.reconnect();
        // Never the lost session: its open connection may have been moved to a fresh one already
        // (told the session was lost) and resumes that, or the reconnect starts one.
        expect({ sameId: welcome.session === before, history: c.history }).toEqual({ sameId: false, history: [] });
        for (let t = 0; t < 3; t++) expect((await c.turn(`after${s}-${t}`, `after${s}-${t}`)).type).toBe("done");
        expect(c.history).toEqual(expectedHistory(`after${s}`, 3));
      }),
    );
    for (const c of clients) c.close();
  }, 120_000);

  // After Redis restarts empty a session's frames would be numbered from 1 again, below what an
  // open connection has been sent, and a run in flight is gone from Redis: the process notices
  // the session is gone (when Redis comes back, or when the page's next run finds no record),
  // ends the page's run with an error and welcomes it into a fresh session.
  it("Redis restarted empty: a page whose connection stayed open is told (its turn ends, with an answer or an error), never left waiting", async () => {
    const c = new ChatSession(cluster.url, chatbotId);
    await c.connect();
    expect((await c.turn("open-0", "open-0")).type).toBe("done");
    await cluster.redis!.restart();
    const end = await c.turn("open-1", "open-1", 20_000).catch((e: Error) => ({ type: "hung", message: e.message }));
    c.close();
    expect(["done", "error"]).toContain(end.type);
  }, 60_000);
});
