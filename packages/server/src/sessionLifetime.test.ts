import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Interface, state } from "@dais/core";
import { afterEach, describe, expect, it } from "vitest";
import { TestServer } from "./testServer.ts";

let server: TestServer | undefined;
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
    server = await TestServer.start(notesApp(deleted), { ttl: 300 });
    const { client, welcome } = await server.session();
    await client.run("r", ["mine"]);
    client.close();
    await new Promise((r) => setTimeout(r, 100));
    // Within the time to live, a reload resumes it.
    const again = await server.session(welcome.session);
    expect(again.welcome.resumed).toBe(true);
    again.client.close();
    await new Promise((r) => setTimeout(r, 600));
    expect(server.launched.server.sessions.size).toBe(0);
    expect(deleted).toEqual([{ owner: "mine", notes: ["mine"] }]);
    expect((await server.session(welcome.session)).welcome.resumed).toBe(false);
  });

  it("a connected session does not expire", async () => {
    server = await TestServer.start(notesApp([]), { ttl: 100 });
    const { client } = await server.session();
    await new Promise((r) => setTimeout(r, 300));
    expect(await client.run("r", ["still here"])).toMatchObject({ type: "done" });
  });

  it("evicts the least recently seen session beyond maxSessions", async () => {
    const deleted: Notes[] = [];
    server = await TestServer.start(notesApp(deleted), { maxSessions: 2 });
    const a = await server.session();
    await a.client.run("a", ["a"]);
    const b = await server.session();
    await b.client.run("b", ["b"]);
    await server.session();
    expect(server.launched.server.sessions.size).toBe(2);
    expect(deleted.map((d) => d.owner)).toEqual(["a"]);
    expect(server.launched.server.sessions.get(a.welcome.session)).toBeUndefined();
    expect(server.launched.server.sessions.get(b.welcome.session)).toBeDefined();
  });

  it("memory returns to baseline: expired sessions and their state can be collected", async () => {
    const collect = gc();
    // No onDelete here: a callback that keeps the values would keep them alive, rightly.
    const notes = state<Notes>({ owner: "", notes: [] });
    server = await TestServer.start(
      new Interface({ fn: (t: string, n: Notes): [string, Notes] => [t, { owner: t, notes: [...n.notes, t] }], inputs: ["text", notes], outputs: ["text", notes] }),
      { ttl: 50 },
    );
    const refs: WeakRef<object>[] = [];
    // In a function of its own, so no local of this test's frame keeps the last session alive.
    const useAndLeave = async (i: number) => {
      const { client, welcome } = await server!.session();
      await client.run(`r${i}`, ["x".repeat(10_000)]);
      const session = server!.launched.server.sessions.get(welcome.session)!;
      refs.push(new WeakRef(session), new WeakRef(session.states[0] as object));
      client.close();
    };
    for (let i = 0; i < 50; i++) await useAndLeave(i);
    // Someone is still using the app: their session stays, everyone else's must go.
    const stays = await server.session();
    await stays.client.run("stay", ["p"]);
    collect();
    const before = process.memoryUsage().heapUsed;
    await new Promise((r) => setTimeout(r, 400));
    expect(server.launched.server.sessions.size).toBe(1);
    for (let i = 0; i < 3; i++) {
      collect();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(refs.map((r, i) => (r.deref() === undefined ? -1 : i)).filter((i) => i >= 0)).toEqual([]);
    expect(process.memoryUsage().heapUsed).toBeLessThan(before);
  });
});
