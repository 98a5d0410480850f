import { Interface, type RunContext, state } from "@dais/core";
import { afterEach, describe, expect, it } from "vitest";
import type { LaunchOptions } from "./launch.ts";
import type { TestClient } from "./testClient.ts";
import { TestServer } from "./testServer.ts";

type Pair = [string, string];
const secret = "never-on-the-wire";

/** The tutorial's chatbot, plus a secret in its state and a way to make it fail half-way. */
function chatApp() {
  return new Interface({
    fn: (message: string, history: { secret: string; turns: Pair[] }) => {
      history.turns.push([message, message.toUpperCase()]); // mutates first: a failure must not keep this
      if (message === "boom") throw new Error("Kaboom: the model fell over.");
      return [history.turns, history] as const;
    },
    inputs: ["text", state({ secret, turns: [] as Pair[] })],
    outputs: ["chatbot", state({ secret, turns: [] as Pair[] })],
  });
}

let server: TestServer | undefined;
async function start(app: Parameters<typeof TestServer.start>[0] = chatApp(), options: LaunchOptions = {}) {
  server = await TestServer.start(app, options);
  return server.url;
}
const session = (id?: string) => server!.session(id);
/** Runs fn 0 and returns what the tab's chatbot (component 1) then shows; fails on an error. */
async function shown(client: TestClient, id: string, data: unknown[]) {
  const end = await client.run(id, data);
  if (end.type === "error") throw new Error(`run ${id} failed: ${end.message}`);
  return client.output();
}

afterEach(async () => {
  await server?.stop();
  server = undefined;
});


describe("server over a real WebSocket", () => {
  it("serves the UI's files and the config, with state left out of the config", async () => {
    const url = await start();
    expect(await (await fetch(url)).text()).toContain("<title>ui</title>");
    const config = (await (await fetch(`${url}config?format=dais`)).json()) as { components: { kind: string }[] };
    expect(config.components.map((c: { kind: string }) => c.kind)).toEqual(["textbox", "chatbot", "button", "button"]);
    expect(JSON.stringify(config)).not.toContain(secret);
  });

  it("keeps two sessions' histories apart, and no state value crosses the wire", async () => {
    await start()
    const [a, b] = [await session(), await session()];
    expect(a.welcome.session).not.toBe(b.welcome.session);
    expect(await shown(a.client, "a1", ["hi"])).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "HI" },
    ]);
    expect(await shown(b.client, "b1", ["yo"])).toEqual([
      { role: "user", content: "yo" },
      { role: "assistant", content: "YO" },
    ]);
    expect(await shown(a.client, "a2", ["again"])).toHaveLength(4);
    expect(await shown(b.client, "b2", ["more"])).toEqual([
      { role: "user", content: "yo" },
      { role: "assistant", content: "YO" },
      { role: "user", content: "more" },
      { role: "assistant", content: "MORE" },
    ]);
    for (const c of [a.client, b.client]) expect(JSON.stringify(c.frames)).not.toContain(secret);
  });

  it("reports a thrown error for that run only and keeps the state from before it", async () => {
    await start()
    const { client } = await session();
    await client.run("r1", ["first"]);
    const failed = await client.run("r2", ["boom"]);
    // An unexpected exception: testers see a generic message (the details only with showError).
    expect(failed).toMatchObject({ type: "error", id: "r2", code: "fn_error", message: "The function raised an error." });
    expect(failed).not.toHaveProperty("stack");
    // fn pushed "boom" into its copy before throwing; the session's history must not have it.
    expect(await shown(client, "r3", ["next"])).toEqual([
      { role: "user", content: "first" },
      { role: "assistant", content: "FIRST" },
      { role: "user", content: "next" },
      { role: "assistant", content: "NEXT" },
    ]);
  });

  it("sends the stack trace only with showError", async () => {
    await start(chatApp(), { showError: true })
    const { client } = await session();
    expect(await client.run("r1", ["boom"])).toMatchObject({ code: "fn_error", stack: expect.stringContaining("Kaboom") });
  });

  it("resumes a session by id after a reload, showing and continuing its history", async () => {
    await start()
    const first = await session();
    await first.client.run("r1", ["one"]);
    first.client.close();
    const again = await session(first.welcome.session);
    expect(again.welcome).toMatchObject({ session: first.welcome.session, resumed: true });
    expect(again.welcome.values?.[again.client.outputId()]).toHaveLength(2);
    expect(await shown(again.client, "r2", ["two"])).toHaveLength(4);
  });

  it("starts a fresh session for an unknown or expired id", async () => {
    await start()
    const { welcome } = await session("not-a-real-session");
    expect(welcome.resumed).toBe(false);
    expect(welcome.session).not.toBe("not-a-real-session");
  });

  it("answers malformed frames with typed errors and keeps the connection open", async () => {
    await start()
    const client = await server!.connect();
    client.send({ type: "run", id: "early", fn: 0, data: ["hi"] });
    expect(await client.next("error")).toMatchObject({ code: "bad_frame", message: 'Send "hello" first.' });
    client.send("\u0000garbage{{");
    expect(await client.next("error")).toMatchObject({ code: "bad_frame", message: "Frame is not valid JSON." });
    client.socket.send(Buffer.from([1, 2, 3]));
    expect(await client.next("error")).toMatchObject({ code: "bad_frame", message: expect.stringContaining("binary") });
    client.send({ type: "teleport" });
    expect(await client.next("error")).toMatchObject({ code: "bad_frame", message: 'Unknown frame type "teleport".' });
    client.send({ type: "hello" });
    await client.next("welcome");
    client.send({ type: "run", id: "x", fn: 7, data: [] });
    expect(await client.next("error")).toMatchObject({ id: "x", code: "unknown_fn" });
    expect(await client.run("y", [])).toMatchObject({ code: "invalid_input", message: "Expected 1 input value, got 0." });
    expect(await client.run("z", [{ not: "text" }])).toMatchObject({ code: "invalid_input", message: '"message" expects text, got an object.' });
    expect(client.open).toBe(true);
    expect(await shown(client, "ok", ["still here"])).toHaveLength(2);
  });

  it("streams a generator's partial results as appended text, then the final one", async () => {
    const app = new Interface({
      fn: async function* (prompt: string) {
        for (let i = 1; i <= 3; i++) yield prompt.slice(0, i);
      },
      inputs: ["text"],
      outputs: ["text"],
    });
    await start(app)
    const { client } = await session();
    client.send({ type: "run", id: "s", fn: 0, data: ["abc"] });
    const done = await client.next("done");
    const partials = client.frames.filter((f) => f.type === "partial").map((f) => (f as { ops: unknown }).ops);
    expect(partials).toEqual([{ 1: [["append", [], "a"]] }, { 1: [["append", [], "b"]] }, { 1: [["append", [], "c"]] }]);
    expect(done.ops).toEqual({});
    expect(client.output()).toBe("abc");
  });

  it("streams into a 1,000-turn chat with frames as small as into a new one", async () => {
    const tokens = 20;
    const app = new Interface({
      fn: async function* (message: string, history: [string, string][]) {
        let reply = "";
        for (let i = 0; i < tokens; i++) {
          reply += ` w${i}`;
          yield [[...history, [message, reply]], history] as const;
        }
        yield [[...history, [message, reply]], [...history, [message, reply]]] as const;
      },
      inputs: ["text", state<[string, string][]>([])],
      outputs: ["chatbot", state<[string, string][]>([])],
    });
    await start(app)
    const sizes: Record<string, number[]> = {};
    for (const [name, turns] of [["new", 0], ["long", 1000]] as const) {
      const { client, welcome } = await session();
      // A long history, put straight into the session's state rather than typed in turn by turn.
      server!.launched.server.runtime.sessions.get(welcome.session)!.record.states[1] = Array.from({ length: turns / 2 }, (_, i) => [`q${i}`, `a${i}`]);
      const raw: string[] = [];
      client.socket.on("message", (d) => raw.push(d.toString()));
      expect((await client.run(name, ["hello"])).type).toBe("done");
      sizes[name] = raw.filter((f) => f.includes('"partial"')).slice(2).map((f) => f.length);
      expect((client.output() as unknown[]).length).toBe(turns + 2);
    }
    expect(sizes.long!.length).toBe(tokens - 1);
    expect(Math.max(...sizes.long!)).toBeLessThanOrEqual(Math.max(...sizes.new!) + 8);
    expect(Math.max(...sizes.long!)).toBeLessThan(120);
  });

  it("cancel fires the run's AbortSignal, so fn's own work stops", async () => {
    let stopped = (_step: number) => {};
    const stoppedAt = new Promise<number>((resolve) => (stopped = resolve));
    const app = new Interface({
      // Works in steps until its signal says stop, however long that takes on a busy machine.
      fn: async (_: string, ctx: RunContext) => {
        for (let i = 0; ; i++) {
          if (ctx.signal.aborted) {
            stopped(i);
            throw new Error("stopped");
          }
          await new Promise((r) => setTimeout(r, 10));
        }
      },
      inputs: ["text"],
      outputs: ["text"],
    });
    await start(app)
    const { client } = await session();
    client.send({ type: "run", id: "long", fn: 0, data: ["go"] });
    await client.next("started");
    client.send({ type: "cancel", id: "long" });
    expect(await client.next("error")).toMatchObject({ id: "long", code: "cancelled" });
    expect(await stoppedAt).toBeGreaterThanOrEqual(0);
  });

  it("Stop mid-stream keeps the partial answer, commits it, and ends the generator", async () => {
    let produced = 0;
    let finalize = () => {};
    const finalized = new Promise<void>((resolve) => (finalize = resolve));
    const app = new Interface({
      // Streams until stopped, however long that takes on a busy machine.
      fn: async function* (_: string, ctx: RunContext) {
        try {
          let text = "";
          for (let i = 0; !ctx.signal.aborted; i++) {
            text += `t${i} `;
            produced++;
            yield text;
            await new Promise((r) => setTimeout(r, 5));
          }
        } finally {
          finalize();
        }
      },
      inputs: ["text"],
      outputs: ["text"],
    });
    await start(app)
    const { client, welcome } = await session();
    client.send({ type: "run", id: "s", fn: 0, data: ["go"] });
    await client.take((f) => f.type === "partial");
    await client.take((f) => f.type === "partial");
    client.send({ type: "cancel", id: "s" });
    const done = await client.next("done");
    expect(done.stopped).toBe(true);
    const kept = client.output() as string;
    expect(kept).toMatch(/^t0 t1 /);
    // The generator's finally ran: the loop has really ended, so nothing more is produced.
    await finalized;
    const after = produced;
    await new Promise((r) => setImmediate(r));
    expect(produced).toBe(after);
    // A reload shows the same partial answer the tab kept.
    expect((await session(welcome.session)).welcome.values?.[client.outputId()]).toBe(kept);
  });

  it("clear resets the session's state and values", async () => {
    await start()
    const { client } = await session();
    await client.run("r1", ["one"]);
    client.send({ type: "clear" });
    expect((await client.next("cleared")).values[client.outputId()]).toEqual([]);
    expect(await shown(client, "r2", ["two"])).toHaveLength(2);
  });
});
