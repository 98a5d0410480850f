import { Client } from "@gradio/client";
import { Blocks, ChatInterface, type ChatMessage, Interface, type Launchable, state, userError } from "@dais/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type LaunchOptions } from "../../launch.ts";
import { gradioAdapter } from "./gradioAdapter.ts";
import { GradioSessions } from "./GradioSessions.ts";
import { TestServer } from "../../testServer.ts";

// The official @gradio/client from npm, unmodified, against real Dais servers on real sockets.
let server: TestServer | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.stop();
  server = undefined;
});

async function start(app: Launchable, options: LaunchOptions = {}): Promise<string> {
  server = await TestServer.start(app, options);
  return server.url;
}

async function connect(url: string): Promise<Client> {
  // Status events too (queue positions, stages), not only data.
  const client = await Client.connect(url, { events: ["data", "status"] });
  clients.push(client);
  return client;
}

/** An Interface that keeps what it was sent in a state: its output is the list so far. */
const remembering = () =>
  new Interface({
    fn: (word: string, seen: string[]) => {
      const next = [...seen, word];
      return [next.join(","), next] as const;
    },
    inputs: ["text", state<string[]>([])],
    outputs: ["text", state<string[]>([])],
  });

describe("@gradio/client against a Dais app", () => {
  it("connects, lists /predict with its one visible parameter, and keeps state per client across calls", async () => {
    const url = await start(remembering());
    const a = await connect(url);
    const api = await a.view_api();
    expect(Object.keys(api.named_endpoints)).toEqual(["/predict"]);
    const visible = api.named_endpoints["/predict"]!.parameters.filter((p) => !(p as { hidden?: boolean }).hidden);
    expect(visible).toHaveLength(1);
    expect(visible[0]).toMatchObject({ component: "Textbox", type: "string" });
    // The client hides state outputs, as against Gradio.
    expect((await a.predict("/predict", ["one"])).data).toEqual(["one"]);
    // The second call of the same client sees the first one's state, kept by the server.
    expect((await a.predict("/predict", ["two"])).data).toEqual(["one,two"]);
    // Another client is another session.
    const b = await connect(url);
    expect((await b.predict("/predict", { word: "three" })).data).toEqual(["three"]);
  });

  it("streams a ChatInterface's reply through submit() as Gradio's /chat does, and keeps the history in the session", async () => {
    const url = await start(
      new ChatInterface({
        fn: async function* (message: string, history) {
          let reply = `(${history.length}) `;
          for (const w of ["you", " said", ` ${message}`]) yield (reply += w);
        },
      }),
    );
    const client = await connect(url);
    const api = await client.view_api();
    expect(api.named_endpoints["/chat"]!.parameters.filter((p) => !(p as { hidden?: boolean }).hidden).map((p) => p.type)).toEqual(["string"]);
    expect(api.named_endpoints["/chat"]!.returns.map((r) => r.type)).toEqual(["string"]);
    const seen: unknown[] = [];
    const stages: string[] = [];
    for await (const event of client.submit("/chat", ["hi"])) {
      if (event.type === "data") seen.push((event.data as unknown[])[0]);
      if (event.type === "status") stages.push(event.stage);
      if (event.type === "status" && (event.stage === "complete" || event.stage === "error")) break;
    }
    expect(stages).toContain("complete");
    expect(stages).not.toContain("error");
    // The reply grows as it streams (the client applies Gradio's append edits), then is whole.
    expect(seen[0]).toBe("(0) you");
    expect(seen.at(-1)).toBe("(0) you said hi");
    // The second call's fn saw the first exchange: the session kept the history.
    expect((await client.predict("/chat", ["again"])).data).toEqual(["(2) you said again"]);
    // Another client starts with no history.
    const other = await connect(url);
    expect((await other.predict("/chat", { message: "new" })).data).toEqual(["(0) you said new"]);
  });

  it("converts chatbot values both ways: Gradio 6 content parts in and out", async () => {
    const url = await start(
      new Blocks((ui) => {
        const chat = ui.chatbot({ label: "Chat" });
        ui.button("Echo").click({
          fn: function echo(history: ChatMessage[]) {
            return [...history, { role: "assistant" as const, content: `heard ${history.at(-1)?.content ?? ""}` }];
          },
          inputs: [chat],
          outputs: [chat],
        });
      }),
    );
    const client = await connect(url);
    const result = await client.predict("/echo", [[{ role: "user", content: [{ type: "text", text: "ping" }] }]]);
    expect(result.data).toEqual([
      [
        { role: "user", content: [{ type: "text", text: "ping" }] },
        { role: "assistant", content: [{ type: "text", text: "heard ping" }] },
      ],
    ]);
  });

  it("serves each named event of a Blocks app under its name, and hides apiName: false", async () => {
    const url = await start(
      new Blocks((ui) => {
        const a = ui.number({ label: "A" });
        const b = ui.number({ label: "B" });
        const sum = ui.number({ label: "Sum" });
        const text = ui.textbox({ label: "Text" });
        ui.button("Add").click({ fn: (x: number, y: number) => x + y, inputs: [a, b], outputs: [sum], apiName: "add" });
        ui.button("Shout").click({ fn: function shout(t: string) { return t.toUpperCase(); }, inputs: [text], outputs: [text] });
        ui.button("Secret").click({ fn: (t: string) => t, inputs: [text], outputs: [text], apiName: false });
      }),
    );
    const client = await connect(url);
    const api = await client.view_api();
    expect(Object.keys(api.named_endpoints).sort()).toEqual(["/add", "/shout"]);
    expect(api.named_endpoints["/add"]!.parameters.map((p) => p.parameter_name)).toEqual(["a", "b"]);
    expect((await client.predict("/add", [2, 3])).data).toEqual([5]);
    expect((await client.predict("/shout", { text: "hey" })).data).toEqual(["HEY"]);
    const refused = await fetch(`${url}gradio_api/call/secret`, { method: "POST", body: JSON.stringify({ data: ["x"] }) });
    expect(refused.status).toBe(404);
  });

  it("cancels a running event: its function sees the abort and the event ends", async () => {
    let aborted = false;
    let started = () => {};
    const running = new Promise<void>((r) => (started = r));
    const url = await start(
      new Blocks((ui) => {
        const out = ui.textbox({ label: "Out" });
        ui.button("Go").click({
          fn: async function* wait({ signal }: { signal: AbortSignal }) {
            yield "working";
            await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
            aborted = true;
          },
          outputs: [out],
          apiName: "wait",
        });
      }),
    );
    const client = await connect(url);
    const job = client.submit("/wait", []);
    const stages: string[] = [];
    const ended = (async () => {
      for await (const event of job) {
        if (event.type === "data") started();
        if (event.type === "status") stages.push(event.stage);
        if (event.type === "status" && (event.stage === "complete" || event.stage === "error")) break;
      }
    })();
    // Cancel once the client has seen the first partial result, as a program would.
    await running;
    await job.cancel();
    await ended;
    expect(aborted).toBe(true);
    expect(stages.at(-1)).toBe("complete");
  });

  it("tells a waiting client its queue position, and a full queue answers 503", async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let entered = () => {};
    const busy = new Promise<void>((r) => (entered = r));
    const url = await start(
      new Interface({
        fn: async (s: string) => {
          entered();
          await gate;
          return s;
        },
        inputs: ["text"],
        outputs: ["text"],
        concurrencyLimit: 1,
        maxQueueSize: 1,
      }),
    );
    const first = await connect(url);
    const second = await connect(url);
    const one = first.predict("/predict", ["first"]);
    await busy;
    const positions: number[] = [];
    let queued = () => {};
    const isQueued = new Promise<void>((r) => (queued = r));
    const job = second.submit("/predict", ["second"]);
    const result = (async () => {
      for await (const event of job) {
        if (event.type === "status" && event.position !== undefined) {
          positions.push(event.position);
          queued();
        }
        if (event.type === "data") return event.data;
      }
      return undefined;
    })();
    await isQueued;
    expect(positions[0]).toBe(0); // Gradio counts from 0: next in line
    // One running, one waiting, at most one waiting: a third is refused at once, as Gradio does.
    const third = await fetch(`${url}gradio_api/queue/join`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: ["third"], fn_index: 0, session_hash: "third1" }),
    });
    expect(third.status).toBe(503);
    release();
    expect((await one).data).toEqual(["first"]);
    expect(await result).toEqual(["second"]);
  });

  it("answers curl-style call/<api_name>: an event id, then its result as an event stream", async () => {
    const url = await start(remembering());
    const posted = await fetch(`${url}gradio_api/call/predict`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ data: ["solo", null] }) });
    expect(posted.status).toBe(200);
    const { event_id } = (await posted.json()) as { event_id: string };
    const stream = await fetch(`${url}gradio_api/call/predict/${event_id}`);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    expect(await stream.text()).toContain(`event: complete\ndata: ["solo",null]`);
    // The same id cannot be read twice; an unknown one is refused.
    expect((await fetch(`${url}gradio_api/call/predict/${event_id}`)).status).toBe(404);
    // A call without a session_hash had a session of its own, ended once read; one with a hash keeps its state.
    expect(server!.launched.server.runtime.sessions.size).toBe(0);
    const call = async (word: string) => {
      const { event_id: id } = (await (await fetch(`${url}gradio_api/call/predict`, { method: "POST", body: JSON.stringify({ data: [word], session_hash: "mine" }) })).json()) as { event_id: string };
      return fetch(`${url}gradio_api/call/predict/${id}`).then((r) => r.text());
    };
    await call("a");
    expect(await call("b")).toContain(`data: ["a,b",null]`);
  });

  it("refuses hostile requests with 4xx and keeps serving", async () => {
    const url = await start(remembering(), { quiet: true });
    const post = (path: string, body: string) => fetch(`${url}gradio_api/${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    expect((await post("queue/join", "{not json")).status).toBe(400);
    expect((await post("queue/join", JSON.stringify({ data: ["x"], fn_index: 99, session_hash: "abc" }))).status).toBe(422);
    expect((await post("queue/join", JSON.stringify({ data: ["x"], fn_index: 0, session_hash: "../../etc" }))).status).toBe(422);
    expect((await post("queue/join", JSON.stringify({ data: "x", fn_index: 0, session_hash: "abc" }))).status).toBe(422);
    expect((await post("queue/join", JSON.stringify({ data: [1, 2, 3, 4], fn_index: 0, session_hash: "abc" }))).status).toBe(422);
    expect((await post("queue/join", JSON.stringify([1, 2]))).status).toBe(422);
    expect((await post("call/predict", JSON.stringify({ data: ["x".repeat(2 * 1024 * 1024)] }))).status).toBe(413);
    expect((await post("call/nope", JSON.stringify({ data: [] }))).status).toBe(404);
    expect((await post("cancel", JSON.stringify({ event_id: "e", session_hash: "never-seen" }))).status).toBe(404);
    expect((await fetch(`${url}gradio_api/queue/data?session_hash=never-seen`)).status).toBe(404);
    expect((await fetch(`${url}gradio_api/call/predict/not-an-event`)).status).toBe(404);
    // Another site's page may not start runs; the app's own origin may.
    const evil = await fetch(`${url}gradio_api/call/predict`, { method: "POST", headers: { Origin: "https://evil.example", "Content-Type": "text/plain" }, body: JSON.stringify({ data: ["x"] }) });
    expect(evil.status).toBe(403);
    const own = await fetch(`${url}gradio_api/call/predict`, { method: "POST", headers: { Origin: new URL(url).origin }, body: JSON.stringify({ data: ["x"] }) });
    expect(own.status).toBe(200);
    // A wrong value reaches the component's own check and fails the event, not the server.
    const { event_id } = (await (await post("call/predict", JSON.stringify({ data: [{ a: 1 }] }))).json()) as { event_id: string };
    expect(await (await fetch(`${url}gradio_api/call/predict/${event_id}`)).text()).toMatch(/^event: error\ndata: "/m);
    const client = await connect(url);
    expect((await client.predict("/predict", ["still here"])).data).toEqual(["still here"]);
  });

  it("leaves the page its own config, and `gradioApi: false` turns the routes off", async () => {
    let url = await start(remembering());
    const page = (await (await fetch(`${url}config?format=dais`)).json()) as { components: { kind: string }[] };
    expect(page.components.map((c) => c.kind)).toContain("textbox");
    expect(((await (await fetch(`${url}config`)).json()) as { protocol: string }).protocol).toBe("sse_v3");
    await server?.stop();
    url = await start(remembering(), { gradioApi: false });
    expect(((await (await fetch(`${url}config`)).json()) as { components: { kind: string }[] }).components[0]).toHaveProperty("kind");
    expect((await fetch(`${url}gradio_api/info`)).status).toBe(404);
  });

  it("shows a Use via API page with each endpoint, its parameters and snippets, escaping the app's text", async () => {
    const url = await start(
      new Blocks({ title: "<script>alert(1)</script>" }, (ui) => {
        const box = ui.textbox({ label: "Your <b>name</b>" });
        ui.button("Go").click({ fn: (s: string) => s, inputs: [box], outputs: [box], apiName: "greet" });
      }),
    );
    const response = await fetch(`${url}api`);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("/greet");
    expect(html).toContain("your_b_name_b");
    expect(html).toContain("@gradio/client");
    expect(html).toContain('import { connect } from &quot;dais/client&quot;');
    expect(html).toContain("from gradio_client import Client");
    expect(html).toContain(`curl -X POST ${url}gradio_api/call/greet`);
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<b>name</b>");
  });

  it("sits behind the share token like the page: 401 without it, and a client holding its cookie works", async () => {
    const link = await start(remembering(), { share: true, host: "127.0.0.1" });
    const origin = new URL(link).origin;
    for (const path of ["/config", "/api", "/gradio_api/info", "/gradio_api/queue/data?session_hash=abc"]) expect((await fetch(`${origin}${path}`)).status).toBe(401);
    const join = await fetch(`${origin}/gradio_api/call/predict`, { method: "POST", body: JSON.stringify({ data: ["x"] }) });
    expect(join.status).toBe(401);
    await expect(Client.connect(origin)).rejects.toThrow();
    // Following the link once gives the cookie a program then sends (Gradio's `cookies` option).
    const cookie = ((await fetch(link, { redirect: "manual" })).headers.get("set-cookie") ?? "").split(";")[0] as string;
    expect(cookie).toContain("=");
    const client = await Client.connect(origin, { cookies: cookie });
    clients.push(client);
    expect((await client.predict("/predict", ["shared"])).data).toEqual(["shared"]);
  });

  it("logs in with the client's `auth` to an app launched with auth; wrong credentials give the client's own error", async () => {
    const url = await start(remembering(), { auth: ["ada", "lovelace"] });
    await expect(Client.connect(url)).rejects.toThrow(/Login credentials are required/);
    await expect(Client.connect(url, { auth: ["ada", "babbage"] })).rejects.toThrow("Invalid credentials. Could not login.");
    const client = await Client.connect(url, { auth: ["ada", "lovelace"], events: ["data", "status"] });
    clients.push(client);
    expect((await client.predict("/predict", ["one"])).data).toEqual(["one"]);
    // Its queue stream carries the login cookie too: streaming calls and state work.
    const messages: unknown[] = [];
    for await (const event of client.submit("/predict", ["two"])) if (event.type === "data") messages.push(event.data);
    expect(messages.at(-1)).toEqual(["one,two"]);
  });

  it("takes the share token as a bearer token from a program (the client's `headers`)", async () => {
    const link = await start(remembering(), { share: true, host: "127.0.0.1" });
    const origin = new URL(link).origin;
    const token = new URL(link).searchParams.get("token") as string;
    await expect(Client.connect(origin, { headers: { Authorization: "Bearer wrong-token" } })).rejects.toThrow();
    const client = await Client.connect(origin, { headers: { Authorization: `Bearer ${token}` } });
    clients.push(client);
    expect((await client.predict("/predict", ["bearer"])).data).toEqual(["bearer"]);
  });

  it("a failing function rejects the client's predict with its message; the server goes on", async () => {
    const url = await start(
      new Interface({
        fn: (s: string) => {
          if (s === "boom") throw userError("no boom here");
          return s;
        },
        inputs: ["text"],
        outputs: ["text"],
      }),
    );
    const client = await connect(url);
    await expect(client.predict("/predict", ["boom"])).rejects.toThrow(/no boom here/);
    expect((await client.predict("/predict", ["fine"])).data).toEqual(["fine"]);
  });

  it("keeps at most maxSessions session hashes: the least recently used one loses its state", async () => {
    const url = await start(remembering(), { gradioApi: false, adapters: [gradioAdapter({ maxSessions: 2 })] });
    const call = async (hash: string, word: string) => {
      const join = await fetch(`${url}gradio_api/queue/join`, { method: "POST", body: JSON.stringify({ data: [word, null], fn_index: 0, session_hash: hash }) });
      expect(join.status).toBe(200);
      const text = await (await fetch(`${url}gradio_api/queue/data?session_hash=${hash}`)).text();
      const completed = text.split("\n").find((l) => l.includes("process_completed")) as string;
      return (JSON.parse(completed.slice("data: ".length)) as { output: { data: unknown[] } }).output.data[0];
    };
    expect(await call("one", "a")).toBe("a");
    expect(await call("one", "b")).toBe("a,b");
    expect(await call("two", "c")).toBe("c");
    expect(await call("three", "d")).toBe("d");
    // "one" was the least recently used of three: it was ended, and starts again empty.
    expect(await call("one", "e")).toBe("e");
  });

  it("is closed with the server: its sessions end and its sweep timer stops; other adapters' close is called too", async () => {
    const closed = vi.spyOn(GradioSessions.prototype, "close");
    const custom = { name: "custom", routes: () => {}, close: vi.fn() };
    const url = await start(remembering(), { adapters: [custom] });
    const client = await connect(url);
    expect((await client.predict("/predict", ["x"])).data).toEqual(["x"]);
    expect(server!.launched.server.runtime.sessions.size).toBe(1);
    await server!.stop();
    server = undefined;
    expect(closed).toHaveBeenCalledTimes(1);
    expect(custom.close).toHaveBeenCalledTimes(1);
    closed.mockRestore();
  });
});
