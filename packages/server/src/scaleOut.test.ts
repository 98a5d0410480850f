import { Interface, type RunContext, state } from "@dais/core";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TestRuntime } from "./testRuntime.ts";
import { startRedis, type TestRedis } from "./testRedis.ts";

// Two processes of one app, as two runtimes in this process sharing one real Redis: what one
// does, the other must see, as if a load balancer had sent the page's requests to either.
let redis: TestRedis;
let client: Redis;
const started: TestRuntime[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});
afterEach(async () => {
  for (const r of started.splice(0)) await r.stop();
});

/** Processes of `app` on the shared Redis, under a prefix of their own (so tests share nothing). */
async function processes(app: Interface, roles: ("web" | "worker" | "both")[], ttl?: number) {
  const prefix = `t${++prefixes}`;
  const out: TestRuntime[] = [];
  for (const role of roles) {
    const r = await TestRuntime.onRedis(app, { url: redis.url, prefix, role, ...(ttl === undefined ? {} : { ttl }), lockDuration: 2000 });
    started.push(r);
    out.push(r);
  }
  return { prefix, runtimes: out };
}

/** A promise the test opens when it wants: a generator waits on it between steps. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

const seqsOf = (frames: { seq?: number }[]) => frames.map((f) => f.seq).filter((s): s is number => s !== undefined);

describe("several processes on one Redis", () => {
  it("a page that reconnects to another process gets exactly the frames it missed, in order, none twice, then the rest live", async () => {
    const first = gate();
    const second = gate();
    const app = new Interface({
      fn: async function* () {
        let text = "";
        for (let i = 0; i < 30; i++) {
          if (i === 10) await first.opened;
          if (i === 20) await second.opened;
          text += `w${i} `;
          yield text;
        }
      },
      inputs: ["text"],
      outputs: ["text"],
    });
    const { prefix, runtimes: [a, b] } = await processes(app, ["both", "both"]);
    const onA = await a!.session();
    onA.client.send({ type: "run", id: "s", fn: 0, data: ["go"] });
    await onA.client.take((f) => f.type === "partial" && (onA.client.output() as string).endsWith("w9 "));
    const lastSeq = onA.client.lastSeq;
    const shown = { ...onA.client.values };
    onA.client.close();
    // Ten more frames go out while no page listens.
    first.open();
    const seqKey = `${prefix}:{${onA.welcome.session}}:seq`;
    await expect.poll(async () => Number(await client.get(seqKey)), { timeout: 30_000, interval: 5 }).toBeGreaterThanOrEqual(lastSeq + 10);

    const onB = await b!.session(onA.welcome.session, lastSeq, { values: shown });
    expect(onB.welcome).toMatchObject({ resumed: true, replay: true });
    second.open();
    const done = await onB.client.next("done");
    expect(done.stopped).toBeUndefined();
    expect(onB.client.output()).toBe(Array.from({ length: 30 }, (_, i) => `w${i} `).join(""));
    const seqs = seqsOf(onB.client.frames);
    expect(seqs[0]).toBe(lastSeq + 1);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => lastSeq + 1 + i));

    // A reloaded page (no last frame) on either process sees the session as it is now.
    const reloaded = await a!.session(onA.welcome.session);
    expect(reloaded.welcome).toMatchObject({ resumed: true, replay: false, runs: [] });
    expect(reloaded.client.output()).toBe(onB.client.output());
  });

  it("Stop pressed on one process stops the run where it runs: its signal fires and its finally runs", async () => {
    let finallyRan = false;
    let aborted = false;
    const going = gate();
    const app = new Interface({
      fn: async function* (_: string, ctx: RunContext) {
        try {
          yield "thinking";
          going.open();
          await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
          aborted = ctx.signal.aborted;
          yield "never shown";
        } finally {
          finallyRan = true;
        }
      },
      inputs: ["text"],
      outputs: ["text"],
    });
    // The web process takes no runs: the run goes to the worker, Stop comes to the web process.
    const { runtimes: [web, worker] } = await processes(app, ["web", "worker"]);
    const page = await web!.session();
    page.client.send({ type: "run", id: "r", fn: 0, data: ["go"] });
    await going.opened;
    expect(worker!.runtime.sessions.get(page.welcome.session)?.runs.has("r")).toBe(true);
    page.client.send({ type: "cancel", id: "r" });
    const done = await page.client.take((f) => (f.type === "done" || f.type === "error") && f.id === "r");
    expect(done).toMatchObject({ type: "done", stopped: true });
    expect(page.client.output()).toBe("thinking");
    await expect.poll(() => finallyRan, { timeout: 30_000, interval: 5 }).toBe(true);
    expect(aborted).toBe(true);
  });

  it("a session's state-touching runs apply in order whichever process takes them; sessions stay apart", async () => {
    const ran = new Set<string>();
    const app = new Interface({
      fn: async (word: string, seen: string[]) => {
        // Each run takes a different number of turns, so runs out of order would show.
        for (let i = 0; i < (word.charCodeAt(word.length - 1) % 5) * 3; i++) await new Promise((r) => setImmediate(r));
        const next = [...seen, word];
        return [next.join(" "), next];
      },
      inputs: ["text", state([] as string[])],
      outputs: ["text", state()],
      concurrencyLimit: 4,
    });
    const { runtimes: [a, b] } = await processes(app, ["both", "both"]);
    // Which process executed runs (observed, not changed).
    for (const [name, r] of [["a", a!], ["b", b!]] as const) {
      const start = r.runtime.runner.start.bind(r.runtime.runner);
      r.runtime.runner.start = (run) => (ran.add(name), start(run));
    }
    const x = await a!.session();
    const y = await b!.session();
    const words = Array.from({ length: 12 }, (_, i) => `w${i}`);
    // Pipelined: six turns sent to one process before any has ended, then the page's connection
    // lands on the other process and six more go there, while another session sends to both.
    words.slice(0, 6).forEach((w, i) => {
      x.client.send({ type: "run", id: `x${i}`, fn: 0, data: [w] });
      y.client.send({ type: "run", id: `y${i}`, fn: 0, data: [`y${w}`] });
    });
    // A reconnect takes longer than the runs already sent take to reach Redis; a read on the
    // same connection stands for it here (Redis answers each connection in order).
    await a!.runtime.store.get(x.welcome.session);
    x.client.close();
    const xOnB = await b!.session(x.welcome.session, x.client.lastSeq, { values: x.client.values });
    words.slice(6).forEach((w, k) => {
      const i = k + 6;
      xOnB.client.send({ type: "run", id: `x${i}`, fn: 0, data: [w] });
      y.client.send({ type: "run", id: `y${i}`, fn: 0, data: [`y${w}`] });
    });
    await xOnB.client.take((f) => f.type === "done" && f.id === "x11");
    await y.client.take((f) => f.type === "done" && f.id === "y11");
    // Every turn saw the one before it: none started from a stale history.
    expect(xOnB.client.output()).toBe(words.join(" "));
    expect(y.client.output()).toBe(words.map((w) => `y${w}`).join(" "));
    // Both processes took some of the runs.
    expect(ran.size).toBe(2);
  });
});
