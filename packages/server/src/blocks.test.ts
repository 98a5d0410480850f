import type { Socket } from "node:net";
import { Blocks, dropdown, Interface, state, update } from "@dais/core";
import { afterEach, describe, expect, it } from "vitest";
import { MemorySessionStore } from "./MemorySessionStore.ts";
import { Runtime } from "./Runtime.ts";
import { TestClient } from "./testClient.ts";

// These tests drive the runtime directly, with no socket and no port: the same commands and
// frames a page's WebSocket carries.
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close(0);
  runtime = undefined;
});

async function open(app: { toApp(): ReturnType<Blocks["toApp"]> }) {
  runtime = new Runtime(app.toApp(), { store: new MemorySessionStore() });
  const client = TestClient.direct(runtime);
  const welcome = await client.hello();
  return { client, welcome, rt: runtime };
}

describe("the runtime, with no socket", () => {
  it("a quick run costs one frame: its result, with no started frame before it", async () => {
    const { client } = await open(new Interface({ fn: (s: string) => s.toUpperCase(), inputs: ["text"], outputs: ["text"] }));
    await client.run("q", ["hi"]);
    // Past the turn of the event loop where a slow run would say it started.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(client.frames.map((f) => f.type)).toEqual([]);
    expect(client.output()).toBe("HI");
  });

  it("a run still going after its first tick says started once, then streams its edits by component id", async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const app = new Blocks((ui) => {
      const out = ui.textbox({ label: "Out" });
      ui.button("Go").click({
        fn: async function* () {
          await gate;
          yield "a";
          yield "ab";
        },
        outputs: [out],
      });
    });
    const { client } = await open(app);
    client.send({ type: "run", id: "s", fn: 0, data: [] });
    expect(await client.next("started")).toMatchObject({ id: "s" });
    release();
    const done = await client.next("done");
    const partials = client.frames.filter((f) => f.type === "partial");
    expect(partials.map((f) => f.type === "partial" && f.ops)).toEqual([{ 0: [["append", [], "a"]] }, { 0: [["append", [], "b"]] }]);
    expect(done).toMatchObject({ ops: {} });
    expect(client.output()).toBe("ab");
  });

  it("update() changes an output's props and, when given, its value; a reload shows the props", async () => {
    const app = new Blocks((ui) => {
      const on = ui.checkbox({ label: "Show" });
      const box = ui.textbox({ label: "Box", value: "kept" });
      on.change({ fn: (v: boolean) => update({ visible: v, label: v ? "Shown" : "Hidden" }), inputs: [on], outputs: [box] });
      ui.button("Set").click({ fn: () => update({ value: "new", interactive: false }), outputs: [box] });
    });
    const { client, welcome, rt } = await open(app);
    expect((await client.run("a", [false])).type).toBe("done");
    expect(client.props[1]).toEqual({ visible: false, label: "Hidden" });
    expect(client.values[1]).toBe("kept");
    await client.run("b", [], 1);
    expect(client.values[1]).toBe("new");
    expect(client.props[1]).toEqual({ visible: false, label: "Hidden", interactive: false });
    const again = TestClient.direct(rt);
    expect((await again.hello(welcome.session)).props).toEqual({ 1: { visible: false, label: "Hidden", interactive: false } });
  });

  it("a dropdown given new choices by update() accepts them from then on, in that session only", async () => {
    const app = new Blocks((ui) => {
      const size = ui.add(dropdown({ label: "Size", choices: ["S", "M"] }));
      const echo = ui.textbox();
      ui.button("More sizes").click({ fn: () => update({ choices: ["S", "M", "XL"] }), outputs: [size] });
      size.change({ fn: (s: string) => s, inputs: [size], outputs: [echo] });
    });
    const { client, rt } = await open(app);
    expect(await client.run("x1", ["XL"], 1)).toMatchObject({ type: "error", code: "invalid_input" });
    await client.run("more", [], 0);
    expect(await client.run("x2", ["XL"], 1)).toMatchObject({ type: "done" });
    const other = TestClient.direct(rt);
    await other.hello();
    expect(await other.run("x3", ["XL"], 1)).toMatchObject({ type: "error", code: "invalid_input" });
  });

  it("a bad update() is the app's bug: a clear error for that run, and the session goes on", async () => {
    const app = new Blocks((ui) => {
      const box = ui.textbox();
      ui.button("Bad").click({ fn: () => update({ colour: "red" } as never), outputs: [box] });
    });
    const { client } = await open(app);
    expect(await client.run("bad", [])).toMatchObject({ type: "error", code: "invalid_output", message: expect.stringContaining('cannot change "colour"') });
  });

  it("a refused run is numbered in the session's log, so a page that reconnects learns of it", async () => {
    const { client, welcome, rt } = await open(new Interface({ fn: (n: number) => n, inputs: ["number"], outputs: ["number"] }));
    client.send({ type: "run", id: "bad", fn: 0, data: ["not a number"] });
    const refused = await client.next("error");
    expect(refused).toMatchObject({ id: "bad", code: "invalid_input" });
    const after = TestClient.direct(rt);
    await after.hello(welcome.session, 0);
    expect(await after.next("error")).toMatchObject({ id: "bad", code: "invalid_input", seq: 1 });
  });

  it("runs that touch a session's state apply in order: pipelined turns lose nothing", async () => {
    const history = state<string[]>([]);
    const app = new Interface({
      fn: async (m: string, h: string[]): Promise<[string, string[]]> => {
        await new Promise((r) => setImmediate(r));
        return [[...h, m].join(","), [...h, m]];
      },
      inputs: ["text", history],
      outputs: ["text", history],
      concurrencyLimit: null,
    });
    const { client } = await open(app);
    const ends = Array.from({ length: 20 }, (_, i) => client.run(`t${i}`, [`${i}`]));
    await Promise.all(ends);
    expect(client.output()).toBe(Array.from({ length: 20 }, (_, i) => i).join(","));
  });

  it("a replay after Clear shows what the tab saw then, not what later runs showed", async () => {
    const { client, welcome, rt } = await open(new Interface({ fn: (s: string) => s, inputs: ["text"], outputs: ["text"] }));
    await client.run("a", ["first"]);
    client.send({ type: "clear" });
    await client.next("cleared");
    await client.run("b", ["second"]);
    expect(client.output()).toBe("second");
    // A page that saw nothing of it reconnects and gets every frame again.
    const again = TestClient.direct(rt);
    expect(await again.hello(welcome.session, 0)).toMatchObject({ replay: true });
    await again.take((f) => f.type === "done" && f.id === "b");
    expect(again.output()).toBe("second");
  });

  it("an event that only cancels has no run of its own", async () => {
    const app = new Blocks((ui) => {
      const out = ui.textbox();
      const go = ui.button("Go").click({ fn: () => "x", outputs: [out] });
      ui.button("Stop").click({ cancels: [go] });
    });
    const { client } = await open(app);
    expect(await client.run("s", [], 1)).toMatchObject({ type: "error", code: "unknown_fn" });
  });
});

describe("a page that reads slower than a run streams", () => {
  it("gets the stream's frames merged while its socket is backed up, and exactly the final text", async () => {
    const { TestServer } = await import("./testServer.ts");
    const words = 200;
    // Each word is 64 KB, so the stream (13 MB) outgrows what the kernel's socket buffers hold.
    const pad = "x".repeat(65536);
    let finished = () => {};
    const generated = new Promise<void>((r) => (finished = r));
    const server = await TestServer.start(
      new Interface({
        fn: async function* () {
          let text = "";
          for (let i = 0; i < words; i++) {
            text += `${pad}${i} `;
            yield text;
            if (i % 20 === 0) await new Promise((r) => setImmediate(r));
          }
          finished();
        },
        inputs: [],
        outputs: ["text"],
      }),
    );
    try {
      const { client } = await server.session();
      // The page stops reading: what the server sends piles up in the socket, then in Dais.
      const raw = (client.socket as unknown as { _socket: Socket })._socket;
      raw.pause();
      client.send({ type: "run", id: "s", fn: 0, data: [] });
      await generated;
      raw.resume();
      await client.next("done", 60_000);
      expect(client.output()).toBe(Array.from({ length: words }, (_, i) => `${pad}${i} `).join(""));
      const partials = client.frames.filter((f) => f.type === "partial").length;
      // Without merging the page would get one frame per word.
      expect(partials).toBeLessThan(words / 2);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
