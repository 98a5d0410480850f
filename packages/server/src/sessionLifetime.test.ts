import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Interface, state } from "@dais/core";
import { afterEach, describe, expect, it } from "vitest";
import { TestRuntime } from "./testRuntime.ts";

// Sessions as the runtime keeps them: no socket needed to connect, leave, expire or evict.
let server: TestRuntime | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

type Notes = { owner: string; notes: string[] };
function notesApp(deleted: Notes[]) {
  const notes = state<Notes>({ owner: "", notes: [] }, { onDelete: (v) => deleted.push(v) });
  return new Interface({
    fn: (text: string, n: Notes) => {
      const next = { owner: text, notes: [...n.notes, text] };
      return [next.notes.join(","), next] as const;
    },
    inputs: ["text", notes],
    outputs: ["text", notes],
  });
}

const gc = (): (() => void) => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
};

describe("session lifetime", () => {
  it("keeps a disconnected session for its time to live, then ends it and calls onDelete", async () => {
    const deleted: Notes[] = [];
    server = await TestRuntime.start(notesApp(deleted), { ttl: 1000 });
    const { client, welcome } = await server.session();
    await client.run("r", ["mine"]);
    client.close();
    // Within the time to live (a reload comes straight back), the session resumes.
    const again = await server.session(welcome.session);
    expect(again.welcome.resumed).toBe(true);
    again.client.close();
    // Then it expires.
    await expect.poll(() => server!.runtime.sessions.size, { timeout: 30_000, interval: 50 }).toBe(0);
    expect(deleted).toEqual([{ owner: "mine", notes: ["mine"] }]);
    expect((await server.session(welcome.session)).welcome.resumed).toBe(false);
  });

  it("a connected session does not expire", async () => {
    server = await TestRuntime.start(notesApp([]), { ttl: 100 });
    const { client } = await server.session();
    // A second session that leaves expires: by then the first has outlived its time to live.
    const leaving = await server.session();
    leaving.client.close();
    await expect.poll(() => server!.runtime.sessions.size, { timeout: 30_000, interval: 50 }).toBe(1);
    expect(await client.run("r", ["still here"])).toMatchObject({ type: "done" });
  });

  it("evicts the least recently seen session beyond maxSessions", async () => {
    const deleted: Notes[] = [];
    server = await TestRuntime.start(notesApp(deleted), { maxSessions: 2 });
    const a = await server.session();
    await a.client.run("a", ["a"]);
    const b = await server.session();
    await b.client.run("b", ["b"]);
    await server.session();
    expect(server.runtime.sessions.size).toBe(2);
    expect(deleted.map((d) => d.owner)).toEqual(["a"]);
    expect(server.runtime.sessions.get(a.welcome.session)).toBeUndefined();
    expect(server.runtime.sessions.get(b.welcome.session)).toBeDefined();
  });

  it("memory returns to baseline: expired sessions and their state can be collected", async () => {
    const collect = gc();
    // No onDelete here: a callback that keeps the values would keep them alive, rightly.
    const notes = state<Notes>({ owner: "", notes: [] });
    server = await TestRuntime.start(
      // Each run leaves 50,000 numbers in its session's state (a few hundred KB of heap).
      new Interface({
        fn: (t: string, n: Notes): [string, Notes] => ["kept", { owner: t, notes: [...n.notes, ...Array.from({ length: 50_000 }, (_, k) => `${k % 10}`)] }],
        inputs: ["text", notes],
        outputs: ["text", notes],
      }),
      { ttl: 50 },
    );
    collect();
    const baseline = process.memoryUsage().heapUsed;
    const refs: WeakRef<object>[] = [];
    const leave: (() => void)[] = [];
    // In a function of its own, so no local of this test's frame keeps the last session alive.
    const use = async (i: number) => {
      const { client, welcome } = await server!.session();
      await client.run(`r${i}`, [`${i}`]);
      const session = server!.runtime.sessions.get(welcome.session)!;
      refs.push(new WeakRef(session), new WeakRef(session.record.states[1] as object));
      leave.push(() => client.close());
    };
    for (let i = 0; i < 50; i++) await use(i);
    // Someone is still using the app: their session stays, everyone else's must go.
    const stays = await server.session();
    await stays.client.run("stay", ["p"]);
    collect();
    const peak = process.memoryUsage().heapUsed;
    for (const close of leave.splice(0)) close();
    await expect.poll(() => server!.runtime.sessions.size, { timeout: 10_000, interval: 50 }).toBe(1);
    await expect
      .poll(
        async () => {
          collect();
          await new Promise((r) => setTimeout(r, 10));
          return refs.map((r, i) => (r.deref() === undefined ? -1 : i)).filter((i) => i >= 0);
        },
        { timeout: 10_000, interval: 100 },
      )
      .toEqual([]);
    // 50 sessions held megabytes of state; once they expire, the heap is back near where it started.
    expect(peak - baseline).toBeGreaterThan(10_000_000);
    expect(process.memoryUsage().heapUsed - baseline).toBeLessThan((peak - baseline) / 4);
  });
});

describe("ctx.onSessionEnd", () => {
  it("runs each registered cleanup once, with the session id, when that session ends; a failing one is logged", async () => {
    const ended: string[] = [];
    const free = (session: string) => void ended.push(`free ${session}`);
    const broken = () => {
      throw new Error("cleanup fell over");
    };
    let fresh = 0;
    server = await TestRuntime.start(
      new Interface({
        fn: (how: string, ctx) => {
          ctx.onSessionEnd?.(free);
          if (how === "broken") ctx.onSessionEnd?.(broken);
          // A fresh closure every run: past the bound the run fails, saying why.
          if (how === "leak") ctx.onSessionEnd?.(() => void fresh++);
          return how;
        },
        inputs: ["text"],
        outputs: ["text"],
      }),
    );
    const a = await server.session();
    const b = await server.session();
    for (const id of ["1", "2", "3"]) await a.client.run(id, ["x"]);
    await b.client.run("b1", ["broken"]);
    const errors: unknown[] = [];
    const logged = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.join(" "));
    try {
      await server.runtime.end(a.welcome.session);
      expect(ended).toEqual([`free ${a.welcome.session}`]);
      await server.runtime.end(b.welcome.session);
      expect(ended).toEqual([`free ${a.welcome.session}`, `free ${b.welcome.session}`]);
      expect(errors.join("\n")).toContain("cleanup fell over");
      const c = await server.session();
      const outcomes: { type: string }[] = [];
      for (let i = 0; i < 40; i++) outcomes.push(await c.client.run(`c${i}`, ["leak"]));
      expect(outcomes.slice(0, 31).every((f) => f.type === "done")).toBe(true);
      expect(outcomes.at(-1)).toMatchObject({ type: "error", code: "internal", message: expect.stringContaining("at most 32 cleanups") });
      await server.runtime.end(c.welcome.session);
      expect(fresh).toBe(31);
    } finally {
      console.error = logged;
    }
  });
});
