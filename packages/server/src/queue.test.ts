import { ChatInterface, Interface, type RunContext } from "@dais/core";
import { afterEach, describe, expect, it } from "vitest";
import { TestRuntime } from "./testRuntime.ts";
import { TestServer } from "./testServer.ts";

// Through the runtime, no socket; the close() tests use a real server for its sockets.
let server: TestRuntime | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** A function that holds each run until released, counting how many run at once. */
function gate() {
  const waiting: (() => void)[] = [];
  const state = { now: 0, max: 0, calls: 0 };
  const fn = async (text: string, ctx: RunContext) => {
    state.now++;
    state.calls++;
    state.max = Math.max(state.max, state.now);
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      ctx.signal.addEventListener("abort", () => {
        waiting.splice(waiting.indexOf(resolve), 1);
        resolve();
      });
    });
    state.now--;
    return text.toUpperCase();
  };
  const releaseOne = async () => {
    // Until a call is waiting, however long a busy machine takes to start one.
    while (waiting.length === 0) await new Promise((r) => setTimeout(r, 5));
    waiting.shift()?.();
  };
  return { fn, state, releaseOne };
}

describe("the queue", () => {
  it("runs one call at a time by default and tells each waiting user their position", async () => {
    const g = gate();
    server = await TestRuntime.start(new Interface({ fn: g.fn, inputs: ["text"], outputs: ["text"] }));
    const users = await Promise.all([0, 1, 2].map(() => server!.session()));
    users[0]!.client.send({ type: "run", id: "u0", fn: 0, data: ["user 0"] });
    await users[0]!.client.next("started");
    users[1]!.client.send({ type: "run", id: "u1", fn: 0, data: ["user 1"] });
    expect(await users[1]!.client.next("queued")).toMatchObject({ id: "u1", position: 1, queueSize: 1 });
    users[2]!.client.send({ type: "run", id: "u2", fn: 0, data: ["user 2"] });
    expect(await users[2]!.client.next("queued")).toMatchObject({ id: "u2", position: 2, queueSize: 2 });
    await g.releaseOne();
    await users[0]!.client.next("done");
    // The queue moved: the last user is now first in line, with an estimate from the run that ended.
    const moved = await users[2]!.client.take((f) => f.type === "queued" && f.position === 1);
    expect(moved).toMatchObject({ eta: expect.any(Number) });
    await g.releaseOne();
    await g.releaseOne();
    for (const { client } of users.slice(1)) await client.next("done");
    expect(users.map(({ client }) => client.output())).toEqual(["USER 0", "USER 1", "USER 2"]);
    expect(g.state.max).toBe(1);
  });

  it("honours concurrencyLimit: n, and null for no limit", async () => {
    for (const [limit, expected] of [[2, 2], [null, 5]] as const) {
      const g = gate();
      server = await TestRuntime.start(new Interface({ fn: g.fn, inputs: ["text"], outputs: ["text"], concurrencyLimit: limit }));
      const users = await Promise.all([0, 1, 2, 3, 4].map(() => server!.session()));
      users.forEach(({ client }, i) => client.send({ type: "run", id: `u${i}`, fn: 0, data: ["x"] }));
      // Every run has either started or been told it waits: only then is the count final.
      await Promise.all(users.map(({ client }) => client.take((f) => f.type === "started" || f.type === "queued")));
      await expect.poll(() => g.state.now).toBe(expected);
      for (let i = 0; i < 5; i++) await g.releaseOne();
      for (const { client } of users) await client.next("done");
      expect(g.state.max).toBe(expected);
      await server.stop();
      server = undefined;
    }
  });

  it("refuses runs past maxQueueSize with a clear queue-full error", async () => {
    const g = gate();
    server = await TestRuntime.start(new Interface({ fn: g.fn, inputs: ["text"], outputs: ["text"], maxQueueSize: 1 }));
    const users = await Promise.all([0, 1, 2].map(() => server!.session()));
    users[0]!.client.send({ type: "run", id: "a", fn: 0, data: ["a"] });
    await users[0]!.client.next("started");
    users[1]!.client.send({ type: "run", id: "b", fn: 0, data: ["b"] });
    await users[1]!.client.next("queued");
    expect(await users[2]!.client.run("c", ["c"])).toMatchObject({ type: "error", code: "queue_full", message: "The queue is full. Please try again in a moment." });
    await g.releaseOne();
    await g.releaseOne();
    await users[1]!.client.next("done");
  });

  it("Stop takes a waiting run out of the queue; the next one moves up", async () => {
    const g = gate();
    server = await TestRuntime.start(new Interface({ fn: g.fn, inputs: ["text"], outputs: ["text"] }));
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => server!.session()));
    a!.client.send({ type: "run", id: "a", fn: 0, data: ["a"] });
    await a!.client.next("started");
    b!.client.send({ type: "run", id: "b", fn: 0, data: ["b"] });
    c!.client.send({ type: "run", id: "c", fn: 0, data: ["c"] });
    await c!.client.take((f) => f.type === "queued" && f.position === 2);
    b!.client.send({ type: "cancel", id: "b" });
    expect(await b!.client.next("error")).toMatchObject({ id: "b", code: "cancelled" });
    await c!.client.take((f) => f.type === "queued" && f.position === 1);
    await g.releaseOne();
    await g.releaseOne();
    await c!.client.next("done");
    expect(g.state.calls).toBe(2);
  });

  it("Stop of a running call frees its slot for the next user", async () => {
    const g = gate();
    server = await TestRuntime.start(new Interface({ fn: g.fn, inputs: ["text"], outputs: ["text"] }));
    const [a, b] = await Promise.all([0, 1].map(() => server!.session()));
    a!.client.send({ type: "run", id: "a", fn: 0, data: ["a"] });
    await a!.client.next("started");
    b!.client.send({ type: "run", id: "b", fn: 0, data: ["b"] });
    await b!.client.next("queued");
    a!.client.send({ type: "cancel", id: "a" });
    await b!.client.next("started");
    await g.releaseOne();
    await b!.client.next("done");
  });

  it("ChatInterface's Submit and Retry share one queue", async () => {
    const g = gate();
    server = await TestRuntime.start(new ChatInterface({ fn: (m, _h, ctx) => g.fn(m, ctx) }));
    const [a, b] = await Promise.all([0, 1].map(() => server!.session()));
    a!.client.send({ type: "run", id: "a", fn: 0, data: ["first"] });
    // A chat run shows the message at once: that partial frame says it started.
    await a!.client.next("partial");
    await g.releaseOne();
    await a!.client.next("done");
    a!.client.send({ type: "run", id: "retry", fn: 1, data: [] });
    await a!.client.take((f) => (f.type === "started" || f.type === "partial") && f.id === "retry");
    b!.client.send({ type: "run", id: "b", fn: 0, data: ["second"] });
    expect(await b!.client.next("queued")).toMatchObject({ position: 1 });
    await g.releaseOne();
    await g.releaseOne();
    await b!.client.next("done");
    expect(g.state.max).toBe(1);
  });

  it("batch: gathers waiting runs into one call with lists and gives each caller its own result", async () => {
    const calls: string[][] = [];
    let release = () => {};
    const hold = new Promise<void>((r) => (release = r));
    server = await TestRuntime.start(
      new Interface({
        fn: async (texts: string[], counts: number[]) => {
          calls.push(texts);
          if (calls.length === 1) await hold;
          return [texts.map((t, i) => t.repeat(counts[i]!)), texts.map((t) => t.length)];
        },
        inputs: ["text", "number"],
        outputs: ["text", "number"],
        batch: true,
        maxBatchSize: 3,
      }),
    );
    const users = await Promise.all([0, 1, 2, 3, 4].map(() => server!.session()));
    users[0]!.client.send({ type: "run", id: "r0", fn: 0, data: ["a", 1] });
    await users[0]!.client.next("started");
    for (let i = 1; i < 5; i++) users[i]!.client.send({ type: "run", id: `r${i}`, fn: 0, data: [String.fromCharCode(97 + i), i + 1] });
    await users[4]!.client.next("queued");
    release();
    for (const { client } of users) await client.next("done");
    expect(calls).toEqual([["a"], ["b", "c", "d"], ["e"]]);
    expect(users.map(({ client }) => [client.values[2], client.values[3]])).toEqual([
      ["a", 1],
      ["bb", 1],
      ["ccc", 1],
      ["dddd", 1],
      ["eeeee", 1],
    ]);
  });

  it("a batch function that returns the wrong number of items fails each run clearly", async () => {
    server = await TestRuntime.start(new Interface({ fn: (texts: string[]) => texts.slice(1), inputs: ["text"], outputs: ["text"], batch: true }));
    const { client } = await server.session();
    expect(await client.run("r", ["x"])).toMatchObject({ code: "invalid_output", message: "A batch function must return a list with one item per run (1 runs)." });
  });

  it("timeLimit stops a slow run with a timeout error, keeps the state, and frees the slot", async () => {
    let stopped = false;
    server = await TestRuntime.start(
      new Interface({
        fn: async (text: string, ctx: RunContext) => {
          if (text === "fast") return "ok";
          await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
          stopped = true;
          return "too late";
        },
        inputs: ["text"],
        outputs: ["text"],
        timeLimit: 200,
      }),
    );
    const { client } = await server.session();
    expect(await client.run("slow", ["slow"])).toMatchObject({ code: "timeout", message: "The run took longer than 0.2 s and was stopped." });
    expect(stopped).toBe(true);
    expect(await client.run("next", ["fast"])).toMatchObject({ type: "done" });
    expect(client.output()).toBe("ok");
  });

  it("a run past its time limit frees its slot even when fn ignores its signal; the late result is discarded", async () => {
    let release = () => {};
    const hung = new Promise<void>((resolve) => (release = resolve));
    server = await TestRuntime.start(
      new Interface({
        // Ignores ctx.signal, as a fn stuck in native code or a forgotten await does.
        fn: async (text: string): Promise<string> => (text === "hang" ? hung.then(() => "late") : `ok ${text}`),
        inputs: ["text"],
        outputs: ["text"],
        timeLimit: 100,
      }),
    );
    const { client } = await server.session();
    expect(await client.run("hang", ["hang"])).toMatchObject({ code: "timeout" });
    // With a concurrency limit of 1 this waited for good before the fix.
    expect(await client.run("next", ["a"], 0)).toMatchObject({ type: "done" });
    expect(client.output()).toBe("ok a");
    release();
    await hung;
    expect(await client.run("after", ["b"])).toMatchObject({ type: "done" });
    expect(client.output()).toBe("ok b");
    expect(client.frames.filter((f) => "id" in f && f.id === "hang" && f.type !== "started")).toEqual([]);
  });

  it("close() finishes the running call, turns waiting ones away, and closes sockets cleanly", async () => {
    const g = gate();
    const real = await TestServer.start(new Interface({ fn: g.fn, inputs: ["text"], outputs: ["text"] }));
    const [a, b] = await Promise.all([0, 1].map(() => real.session()));
    a!.client.send({ type: "run", id: "a", fn: 0, data: ["finish me"] });
    await a!.client.next("started");
    b!.client.send({ type: "run", id: "b", fn: 0, data: ["never"] });
    await b!.client.next("queued");
    const closedCodes: number[] = [];
    for (const c of [a!.client, b!.client]) c.socket.on("close", (code) => closedCodes.push(code));
    const closing = real.launched.close(2000);
    expect(await b!.client.next("error")).toMatchObject({ id: "b", code: "shutting_down" });
    await g.releaseOne();
    await a!.client.next("done");
    expect(a!.client.output()).toBe("FINISH ME");
    await closing;
    await expect.poll(() => closedCodes).toEqual([1001, 1001]);
  });

  it("close() stops a call that outlasts the grace period", async () => {
    const g = gate();
    const real = await TestServer.start(new Interface({ fn: g.fn, inputs: ["text"], outputs: ["text"] }));
    const { client } = await real.session();
    client.send({ type: "run", id: "a", fn: 0, data: ["slow"] });
    await client.next("started");
    await real.launched.close(100);
    expect(await client.next("error")).toMatchObject({ code: "shutting_down" });
    expect(g.state.now).toBe(0);
  });
});
