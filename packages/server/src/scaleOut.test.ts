import { Interface, type Launchable, type RunContext, state } from "@dais/core";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { configIdOf } from "./createServer.ts";
import { seenRuns } from "./QueuedRuns.ts";
import { allSessionKeys } from "./redisKeys.ts";
import { queueName } from "./runJob.ts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TestClient } from "./testClient.ts";
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
async function processes(app: Launchable, roles: ("web" | "worker" | "both")[], ttl?: number) {
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

/** A run's done or error frame. */
const end = (c: TestClient, id: string) => c.take((f) => (f.type === "done" || f.type === "error") && f.id === id);

const seqsOf = (frames: readonly object[]) => frames.map((f) => (f as { seq?: number }).seq).filter((s): s is number => s !== undefined);

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
        return [next.join(" "), next] as const;
      },
      inputs: ["text", state([] as string[])],
      outputs: ["text", state([] as string[])],
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

  it("sessions expire on their ttl in Redis: keys and memory return to baseline, however many sessions came", async () => {
    const app = new Interface({ fn: (w: string, seen: string[]): [string, string[]] => [w, [...seen, w]], inputs: ["text", state([] as string[])], outputs: ["text", state([] as string[])] });
    const { prefix, runtimes } = await processes(app, ["both", "both"], 1500);
    const keys = async () => (await client.keys(`${prefix}:*`)).length + (await client.keys(`${prefix}-queues:*`)).length;
    const sessionKeys = async () => (await client.keys(`${prefix}:{*`)).length;
    const visit = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const page = await runtimes[i % 2]!.session();
        expect(await page.client.run("r", ["hi"])).toMatchObject({ type: "done" });
        page.client.close();
      }
      expect(await sessionKeys()).toBeGreaterThan(0);
      await expect.poll(sessionKeys, { timeout: 30_000, interval: 50 }).toBe(0);
    };
    await visit(1);
    const baseline = await keys();
    await visit(10);
    expect(await keys()).toBe(baseline);
    // No process keeps anything of a session it no longer serves.
    for (const r of runtimes) expect(r.runtime.sessions.size).toBe(0);
  });

  it("a page kept open keeps its session past the ttl", async () => {
    const app = new Interface({ fn: (w: string, seen: string[]): [string, string[]] => [[...seen, w].join(" "), [...seen, w]], inputs: ["text", state([] as string[])], outputs: ["text", state([] as string[])] });
    const { prefix, runtimes: [a] } = await processes(app, ["both"], 1500);
    const open = await a!.session();
    await open.client.run("r1", ["one"]);
    // Another session, left, expires: by then more than the ttl has passed.
    const left = await a!.session();
    left.client.close();
    await expect.poll(async () => client.exists(`${prefix}:{${left.welcome.session}}:rec`), { timeout: 30_000, interval: 50 }).toBe(0);
    await expect.poll(async () => client.exists(`${prefix}:{${open.welcome.session}}:rec`), { timeout: 5000, interval: 50 }).toBe(1);
    expect(await open.client.run("r2", ["two"])).toMatchObject({ type: "done" });
    expect(open.client.output()).toBe("one two");
  });

  it("refuses, at the first run, a state whose value cannot be kept in Redis, naming it and what to do", async () => {
    const app = new Interface({ fn: (w: string, m: Map<string, number>): [string, Map<string, number>] => [w, m], inputs: ["text", state(() => new Map<string, number>(), { label: "counts" })], outputs: ["text", state(() => new Map<string, number>())] });
    const { runtimes: [a] } = await processes(app, ["both"]);
    const page = await a!.session();
    const refused = await page.client.run("r", ["hi"]);
    expect(refused).toMatchObject({ type: "error", code: "invalid_input" });
    expect((refused as { message: string }).message).toMatch(/state "counts".*JSON.*plain data.*without Redis/);
    // In one process, the same app runs.
    const local = await TestRuntime.start(app);
    started.push(local);
    expect(await (await local.session()).client.run("r", ["hi"])).toMatchObject({ type: "done" });
  });

  it("a crafted session id names no session and reaches no other's keys; junk on the cancel channel and in the queues is dropped", async () => {
    const app = new Interface({ fn: (w: string, seen: string[]): [string, string[]] => [[...seen, w].join(" "), [...seen, w]], inputs: ["text", state([] as string[])], outputs: ["text", state([] as string[])] });
    const { prefix, runtimes: [a, b] } = await processes(app, ["web", "worker"]);
    const owner = await a!.session();
    await owner.client.run("r1", ["mine"]);
    const id = owner.welcome.session;
    // What the wire lets through as a session id but is not one the runtime made.
    for (const crafted of [`${id}-x`, `${id.toUpperCase()}`, `${id.slice(0, -1)}0`.replace(/.$/, id.endsWith("0") ? "1" : "0"), "dais"]) {
      const intruder = await a!.session(crafted, 0);
      expect(intruder.welcome.session).not.toBe(id);
      expect(intruder.welcome.resumed).toBe(false);
      await intruder.client.run("r1", ["theirs"]);
    }
    // Below the wire's own check: ids that would build other keys or patterns name nothing.
    for (const crafted of [`${id}}:rec`, `x{${id}`, "*", `${id}\n`]) {
      expect(await a!.runtime.store.get(crafted)).toBeUndefined();
      await a!.runtime.store.delete(crafted);
    }
    expect(await a!.runtime.store.get(id)).toBeDefined();
    // Cancel messages anyone with access to Redis could publish: dropped, and the worker goes on.
    const channels = (await client.pubsub("CHANNELS", `${prefix}:cancel:*`)) as string[];
    expect(channels.length).toBe(1);
    for (const junk of ["not json", "{}", "null", JSON.stringify({ s: "../x", r: "r2" }), JSON.stringify({ s: id, r: "r2".repeat(200) }), "[".repeat(10_000)])
      await client.publish(channels[0]!, junk);
    // A job that is not a run, in the app's queue: dropped.
    const plan = app.toApp();
    const queue = new Queue(queueName(configIdOf(plan), plan.fns[0]!), { connection: client, prefix: `${prefix}-queues` });
    await queue.add("run", { s: "../../etc", r: 1, fn: "0" });
    await queue.close();
    expect(await owner.client.run("r2", ["again"])).toMatchObject({ type: "done" });
    expect(owner.client.output()).toBe("mine again");
    expect(b!.runtime.sessions.size).toBe(0);
  });
  it("a run taken in whose job never reached its queue (its web process killed between the two) runs when the page resends it, once; resends of runs taken in are left alone", async () => {
    const app = new Interface({
      fn: (word: string, seen: string[]) => {
        const next = [...seen, word];
        return [next.join(" "), next] as const;
      },
      inputs: ["text", state([] as string[])],
      outputs: ["text", state([] as string[])],
    });
    const { prefix, runtimes: [a, b] } = await processes(app, ["both", "both"]);
    const page = await a!.session();
    const id = page.welcome.session;
    page.client.send({ type: "run", id: "t0", fn: 0, data: ["w0"] });
    expect((await end(page.client, "t0")).type).toBe("done");
    // What the web process had done with turn t1 when it was killed: taken in (the session's
    // runs, its chain), its job not yet queued.
    const base = `${prefix}:{${id}}`;
    await client.multi().hset(`${base}:runs`, "t1", "0").zadd(`${base}:seen`, Date.now(), "t1").rpush(`${base}:chain`, JSON.stringify({ s: id, r: "t1", fn: 0, data: ["w1"], chained: true })).exec();
    page.client.close();
    // The page reconnects to the other process and resends what it heard nothing of.
    const again = await b!.session(id, page.client.lastSeq, { values: page.client.values });
    again.client.send({ type: "run", id: "t1", fn: 0, data: ["w1"], resend: true });
    expect((await end(again.client, "t1")).type).toBe("done");
    // Resends of runs that ended are left alone (no frame, not run again); a new turn follows on.
    again.client.send({ type: "run", id: "t0", fn: 0, data: ["w0"], resend: true });
    again.client.send({ type: "run", id: "t1", fn: 0, data: ["w1"], resend: true });
    again.client.send({ type: "run", id: "t2", fn: 0, data: ["w2"] });
    expect((await end(again.client, "t2")).type).toBe("done");
    expect(again.client.output()).toBe("w0 w1 w2");
    expect(again.client.frames.filter((f) => "id" in f && (f.id === "t0" || f.id === "t1"))).toEqual([]);
  });

  it("a page's resends cannot make the session keep more than a few hundred run ids", async () => {
    const app = new Interface({ fn: (x: string) => x, inputs: ["text"], outputs: ["text"], concurrencyLimit: null });
    const { prefix, runtimes: [a] } = await processes(app, ["both"]);
    const page = await a!.session();
    const n = seenRuns + 40;
    for (let i = 0; i < n; i++) page.client.send({ type: "run", id: `r${i}`, fn: 0, data: ["x"], resend: true });
    for (let i = 0; i < n; i++) await end(page.client, `r${i}`);
    expect(await client.zcard(`${prefix}:{${page.welcome.session}}:seen`)).toBe(seenRuns);
  });

  it("a session Redis lost while its page is open (restarted empty): the page's run ends with an error, and it is welcomed into a fresh session that works", async () => {
    const app = new Interface({
      fn: (word: string, seen: string[]) => {
        const next = [...seen, word];
        return [next.join(" "), next] as const;
      },
      inputs: ["text", state([] as string[])],
      outputs: ["text", state([] as string[])],
    });
    const { prefix, runtimes: [a] } = await processes(app, ["both"]);
    const page = await a!.session();
    const lostId = page.welcome.session;
    page.client.send({ type: "run", id: "t0", fn: 0, data: ["w0"] });
    expect((await end(page.client, "t0")).type).toBe("done");
    await client.del(...allSessionKeys(prefix, lostId));
    page.client.send({ type: "run", id: "t1", fn: 0, data: ["w1"] });
    expect(await end(page.client, "t1")).toMatchObject({ type: "error", code: "not_found" });
    const welcome = await page.client.next("welcome");
    expect(welcome).toMatchObject({ resumed: false, replay: false });
    expect(welcome.session).not.toBe(lostId);
    page.client.send({ type: "run", id: "t2", fn: 0, data: ["w2"] });
    expect((await end(page.client, "t2")).type).toBe("done");
    expect(page.client.output()).toBe("w2");
  });

  it("runs waiting in a BullMQ queue hear their place in it, whichever web process their page is on, until they start; then their results come", async () => {
    const release = gate();
    const started: string[] = [];
    const app = new Interface({
      fn: async (x: string) => {
        started.push(x);
        await release.opened;
        return `did ${x}`;
      },
      inputs: ["text"],
      outputs: ["text"],
      concurrencyLimit: 1,
    });
    const { runtimes: [web1, web2] } = await processes(app, ["web", "web", "worker"]);
    const a = await web1!.session();
    const b = await web1!.session();
    const c = await web2!.session();
    a.client.send({ type: "run", id: "a", fn: 0, data: ["a"] });
    await expect.poll(() => started, { timeout: 30_000, interval: 5 }).toEqual(["a"]);
    b.client.send({ type: "run", id: "b", fn: 0, data: ["b"] });
    expect(await b.client.take((f) => f.type === "queued")).toMatchObject({ id: "b", position: 1, queueSize: 1 });
    c.client.send({ type: "run", id: "c", fn: 0, data: ["c"] });
    expect(await c.client.take((f) => f.type === "queued")).toMatchObject({ id: "c", position: 2, queueSize: 2 });
    // b hears the queue grew behind it.
    expect(await b.client.take((f) => f.type === "queued")).toMatchObject({ id: "b", position: 1, queueSize: 2 });
    release.open();
    for (const [page, id] of [[a, "a"], [b, "b"], [c, "c"]] as const) {
      expect(await end(page.client, id)).toMatchObject({ type: "done" });
      expect(page.client.output()).toBe(`did ${id}`);
    }
    expect(started).toEqual(["a", "b", "c"]);
    // The run going was never told a place.
    expect(a.client.frames.some((f) => f.type === "queued")).toBe(false);
  });

  it("Stop on a run still waiting in its queue ends it at once, and its fn never runs", async () => {
    const release = gate();
    const started: string[] = [];
    const app = new Interface({
      fn: async (x: string) => {
        started.push(x);
        await release.opened;
        return `did ${x}`;
      },
      inputs: ["text"],
      outputs: ["text"],
      concurrencyLimit: 1,
    });
    const { runtimes: [web] } = await processes(app, ["web", "worker"]);
    const a = await web!.session();
    const b = await web!.session();
    a.client.send({ type: "run", id: "a", fn: 0, data: ["a"] });
    await expect.poll(() => started, { timeout: 30_000, interval: 5 }).toEqual(["a"]);
    b.client.send({ type: "run", id: "b", fn: 0, data: ["b"] });
    await b.client.take((f) => f.type === "queued");
    b.client.send({ type: "cancel", id: "b" });
    // Ended while the run before it still holds the only slot.
    expect(await end(b.client, "b")).toMatchObject({ type: "error", code: "cancelled" });
    b.client.send({ type: "run", id: "c", fn: 0, data: ["c"] });
    release.open();
    expect(await end(a.client, "a")).toMatchObject({ type: "done" });
    expect(await end(b.client, "c")).toMatchObject({ type: "done" });
    // The queue is FIFO: had b stayed in it, it would have run before c.
    expect(started).toEqual(["a", "c"]);
    expect(b.client.frames.some((f) => (f.type === "done" || f.type === "error") && f.id === "b")).toBe(false);
  });

  it("a position is kept only while its job still waits: one read before a worker took the job is dropped", async () => {
    const app = new Interface({ fn: (x: string) => x, inputs: ["text"], outputs: ["text"] });
    const { prefix, runtimes: [web] } = await processes(app, ["both"]);
    const page = await web!.session();
    const live = web!.runtime.sessions.get(page.welcome.session)!;
    const list = `${prefix}-test-wait`;
    await client.lpush(list, "other-job");
    web!.runtime.frames.append(live, { type: "queued", id: "gone", position: 1, queueSize: 1, eta: null }, { whileIn: { list, member: "taken-job" } });
    web!.runtime.frames.append(live, { type: "queued", id: "waits", position: 1, queueSize: 1, eta: null }, { whileIn: { list, member: "other-job" } });
    expect(await page.client.take((f) => f.type === "queued")).toMatchObject({ id: "waits" });
    // Frames arrive in order: the dropped one would have come first.
    expect(page.client.frames.some((f) => f.type === "queued")).toBe(false);
    await client.del(list);
  });
});
