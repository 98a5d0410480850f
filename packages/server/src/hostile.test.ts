import { ChatInterface, chatbot, errorCodes, Interface, json, label, state } from "@dais/core";
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type TestClient } from "./testClient.ts";
import { TestServer } from "./testServer.ts";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const history = state<string[]>([]);
const chatApp = () =>
  new Interface({
    fn: (message: string, h: string[]): [string, string[]] => [[...h, message].join("|"), [...h, message]],
    inputs: ["text", history],
    outputs: ["text", history],
  });

/** Runs `turns` turns and checks the session ends with exactly its own history. */
async function converse(client: TestClient, name: string, turns: number): Promise<void> {
  const said: string[] = [];
  for (let t = 0; t < turns; t++) {
    said.push(`${name}-${t}`);
    const end = await client.run(`${name}-${t}`, [`${name}-${t}`]);
    if (end.type !== "done") throw new Error(`${name} turn ${t}: ${JSON.stringify(end)}`);
  }
  expect(client.output()).toBe(said.join("|"));
}

/** A JSON text nested `levels` deep, built without recursion (as an attacker would send it). */
const deepJson = (levels: number) => "[".repeat(levels) + "]".repeat(levels);

describe("values too deep or too large for the server to send back", () => {
  // Every input kind that keeps a nested value from the browser as what the tab shows.
  const app = () =>
    new Interface({
      fn: () => "ok",
      inputs: [json({ label: "Payload" }), chatbot({ label: "Chat" }), label({ label: "Class" })],
      outputs: ["text"],
    });
  const ok = { json: 1, chat: [], label: { label: "a", confidences: [] } };
  const runFrame = (id: string, json: string, chat: string, lab: string) => `{"type":"run","id":"${id}","fn":0,"data":[${json},${chat},${lab}]}`;

  it("refuses a json input nested 6,000 levels deep with invalid_input naming the component; the session's next hello still gets its welcome", async () => {
    server = await TestServer.start(app());
    const { client, welcome } = await server.session();
    client.send(runFrame("deep", deepJson(6000), "[]", JSON.stringify(ok.label)));
    const error = await client.next("error");
    expect(error).toMatchObject({ id: "deep", code: "invalid_input" });
    expect(error.message).toContain('"Payload"');
    // The crash came when the session's stored value was serialised for a reloaded page.
    const again = await server.session(welcome.session);
    expect(again.welcome).toMatchObject({ session: welcome.session, resumed: true });
    const fine = await again.client.run("fine", [ok.json, ok.chat, ok.label]);
    expect(fine.type).toBe("done");
  });

  it("refuses deep extra fields hidden in chatbot messages and label data", async () => {
    server = await TestServer.start(app());
    const { client, welcome } = await server.session();
    client.send(runFrame("c", "1", `[{"role":"user","content":"hi","x":${deepJson(6000)}}]`, JSON.stringify(ok.label)));
    client.send(runFrame("l", "1", "[]", `{"label":"a","confidences":[],"x":${deepJson(6000)}}`));
    const [c, l] = [await client.take((f) => f.type === "error" && f.id === "c"), await client.take((f) => f.type === "error" && f.id === "l")];
    expect(c).toMatchObject({ code: "invalid_input", message: expect.stringContaining('"Chat"') });
    expect(l).toMatchObject({ code: "invalid_input", message: expect.stringContaining('"Class"') });
    expect((await server.session(welcome.session)).welcome.resumed).toBe(true);
  });

  it("refuses a value with too many keys, and keeps __proto__ and constructor keys as plain data", async () => {
    server = await TestServer.start(new Interface({ fn: (v: unknown) => v, inputs: ["json"], outputs: ["json"] }), { maxFrameBytes: 4 * 1024 * 1024 });
    const { client } = await server.session();
    const wide = `{${Array.from({ length: 100_001 }, (_, i) => `"k${i}":0`).join(",")}}`;
    client.send(`{"type":"run","id":"wide","fn":0,"data":[${wide}]}`);
    expect(await client.take((f) => f.type === "error" && f.id === "wide")).toMatchObject({ code: "invalid_input" });
    const end = await client.run("proto", [JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}')]);
    expect(end.type).toBe("done");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(client.output())).toBe('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}');
  });
});

describe("hostile input", () => {
  it("answers a frame over maxFrameBytes with a typed error and keeps the connection", async () => {
    server = await TestServer.start(chatApp(), { maxFrameBytes: 1000 });
    const { client } = await server.session();
    client.send({ type: "run", id: "big", fn: 0, data: ["x".repeat(1500)] });
    expect(await client.next("error")).toMatchObject({ code: "too_large", message: "Frame is larger than the server accepts (1000 bytes)." });
    expect(client.open).toBe(true);
    await converse(client, "after", 2);
  });

  it("slows down a flooding client with rate_limited errors; another session does not notice", async () => {
    // One frame a second after a burst of 20: however slowly a busy machine reads the 300
    // frames, at least 250 of them are over the limit.
    server = await TestServer.start(chatApp(), { rateLimit: { perSecond: 1, burst: 20 } });
    const flood = await server.session();
    const calm = await server.session();
    for (let i = 0; i < 300; i++) flood.client.send({ type: "cancel", id: `x${i}` });
    const calmDone = converse(calm.client, "calm", 5);
    for (let i = 0; i < 250; i++) await flood.client.take((f) => f.type === "error" && f.code === "rate_limited", 30_000);
    await calmDone;
    expect(flood.client.open).toBe(true);
  });

  it("budgets bytes as well as frames: a client sending megabyte frames within the frame limit is slowed down; another session does not notice", async () => {
    server = await TestServer.start(chatApp());
    const flood = await server.session();
    const calm = await server.session();
    const big = JSON.stringify({ type: "run", id: "big", fn: 0, data: ["x".repeat(900_000)] });
    for (let i = 0; i < 40; i++) flood.client.send(big);
    await converse(calm.client, "calm", 5);
    // 40 frames are within the frame burst, but four megabytes (and a megabyte a second) is
    // the byte budget: however slowly a busy machine reads them, most are refused unparsed.
    for (let i = 0; i < 20; i++) await flood.client.take((f) => f.type === "error" && f.code === "rate_limited", 60_000);
    expect(flood.client.open).toBe(true);
  }, 90_000);

  it("budgets a program's API calls per visitor: a flood gets 429, and calls pace out again", async () => {
    server = await TestServer.start(new Interface({ fn: (s: string) => s, inputs: ["text"], outputs: ["text"] }), { apiRateLimit: { perSecond: 1, burst: 10 } });
    const call = () => fetch(`${server!.url}gradio_api/call/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ data: ["hi"] }) });
    const began = Date.now();
    const statuses = await Promise.all(Array.from({ length: 30 }, call).map(async (r) => (await r).status));
    // The burst, plus what the bucket refilled while the flood was served (a busy machine is slow).
    const allowance = 10 + Math.ceil((Date.now() - began) / 1000) + 1;
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(allowance);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(30 - allowance);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    // The bucket refills: a later call goes through (waiting for it, not for a fixed time).
    await expect.poll(async () => (await call()).status, { timeout: 30_000, interval: 100 }).toBe(200);
  });

  it("answers bad JSON and bodies too large on the API routes briefly, never with a stack trace", async () => {
    server = await TestServer.start(new ChatInterface({ fn: (m: string) => m }), { mcpServer: true });
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    for (const path of ["v1/chat/completions", "mcp", "gradio_api/call/chat"]) {
      for (const body of ["{nope", `{"x":"${"y".repeat(5 * 1024 * 1024)}"}`]) {
        const res = await fetch(`${server.url}${path}`, { method: "POST", headers, body });
        expect(res.status, path).toBeGreaterThanOrEqual(400);
        expect(res.status, path).toBeLessThan(500);
        expect(await res.text(), path).not.toMatch(/node_modules|\bat \w+ \(/);
      }
    }
  });

  it("budgets the OpenAI and MCP routes from the same visitor's allowance", async () => {
    server = await TestServer.start(new ChatInterface({ fn: (m: string) => m }), { apiRateLimit: { perSecond: 0.01, burst: 10 }, mcpServer: true });
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const flood = (path: string, body: unknown) =>
      Promise.all(Array.from({ length: 30 }, () => fetch(`${server!.url}${path}`, { method: "POST", headers, body: JSON.stringify(body) }).then((r) => r.status)));
    const completions = await flood("v1/chat/completions", { model: "dais", messages: [{ role: "user", content: "hi" }] });
    expect(completions.filter((s) => s === 200).length).toBeLessThanOrEqual(11);
    expect(completions.filter((s) => s === 429).length).toBeGreaterThanOrEqual(19);
    const mcp = await flood("mcp", { jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(mcp.filter((s) => s === 429).length).toBeGreaterThanOrEqual(25);
  });

  it("a run refused before it exists is in the session's numbered log: a page that reconnects learns it failed", async () => {
    server = await TestServer.start(chatApp());
    const { client, welcome } = await server.session();
    const seen = client.lastSeq;
    client.send({ type: "run", id: "bad", fn: 0, data: [42] });
    const refused = await client.take((f) => f.type === "error" && f.id === "bad");
    expect(refused).toMatchObject({ code: "invalid_input", seq: seen + 1 });
    client.close();
    const again = await server.session(welcome.session, seen);
    expect(again.welcome).toMatchObject({ replay: true });
    expect(await again.client.take((f) => f.type === "error" && f.id === "bad")).toMatchObject({ code: "invalid_input", seq: seen + 1 });
  });

  it("refuses WebSocket upgrades from another site's pages (cross-site WebSocket hijacking)", async () => {
    server = await TestServer.start(chatApp(), { allowedOrigins: ["https://trusted.example"] });
    const host = new URL(server.url).host;
    const attempt = (origin: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`${server!.url.replace("http", "ws")}ws`, { headers: { Origin: origin } });
        ws.on("open", () => {
          ws.close();
          resolve("open");
        });
        ws.on("unexpected-response", (_req, res) => resolve(String(res.statusCode)));
        ws.on("error", () => resolve("error"));
      });
    expect(await attempt("https://evil.example")).toBe("403");
    expect(await attempt(`http://${host}`)).toBe("open");
    expect(await attempt("https://trusted.example")).toBe("open");
  });

  it("survives thousands of random frames; every reply is a typed error, and a normal session alongside keeps working", async () => {
    server = await TestServer.start(chatApp(), { rateLimit: { perSecond: 100_000, burst: 100_000 }, byteLimit: { perSecond: 1e12, burst: 1e12 } });
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const values = (): unknown => pick([null, true, -1, 0, 1e308, NaN, "", "x", "💥".repeat(50), [], {}, [1, [2, [3]]], { a: { b: {} } }, "__proto__", 2 ** 53]);
    const frame = (): string | Buffer => {
      switch (Math.floor(random() * 6)) {
        case 0:
          return Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
        case 1:
          return JSON.stringify(values());
        case 2:
          return `{"type":"run","id":${JSON.stringify(values())},"fn":${JSON.stringify(values())},"data":${JSON.stringify(values())}}`;
        case 3:
          return JSON.stringify({ type: pick(["hello", "run", "cancel", "clear", "feedback", "nope", "__proto__", "constructor"]), id: values(), fn: values(), data: values(), session: values(), component: values(), index: values(), value: values() });
        case 4:
          return JSON.stringify({ type: "run", id: `f${Math.floor(random() * 1e6)}`, fn: pick([0, 1, -1, 0.5]), data: [values()] });
        default:
          return `{"type":"hello"${"}".repeat(Math.floor(random() * 3))}`;
      }
    };
    const fuzzers = await Promise.all([0, 1, 2].map(() => server!.connect()));
    const normal = await server.session();
    const normalDone = converse(normal.client, "normal", 20);
    for (let i = 0; i < 3000; i++) {
      const f = frame();
      const c = fuzzers[i % 3]!;
      if (typeof f === "string") c.send(f);
      else c.socket.send(f);
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    await normalDone;
    // A last frame on each connection that must be answered: every frame before it was handled.
    for (const c of fuzzers) {
      c.send({ type: "hello" });
      c.send({ type: "run", id: "ping", fn: 99, data: [] });
    }
    for (const c of fuzzers) await c.take((f) => f.type === "error" && f.id === "ping", 60_000);
    for (const c of fuzzers) {
      expect(c.open).toBe(true);
      for (const f of c.frames) if (f.type === "error") expect(errorCodes).toContain(f.code);
    }
    expect(fuzzers.reduce((n, c) => n + c.frames.filter((f) => f.type === "error").length, 0)).toBeGreaterThan(1000);
    expect((await fetch(`${server.url}config`)).status).toBe(200);
    await converse((await server.session()).client, "after", 3);
  });
});

describe("fuzz of nested values over the real socket", () => {
  it("survives deep nesting, __proto__/constructor keys, huge numbers, binary and empty frames; every session still resumes", async () => {
    server = await TestServer.start(
      new Interface({ fn: (j: unknown) => j ?? null, inputs: [json(), chatbot(), label()], outputs: [json()] }),
      { rateLimit: { perSecond: 100_000, burst: 100_000 }, byteLimit: { perSecond: 1e12, burst: 1e12 }, maxFrameBytes: 256 * 1024 },
    );
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const nested = (levels: number, open: string, close: string) => open.repeat(levels) + "1" + close.repeat(levels);
    // Values as JSON text, so they can be what JSON.stringify could never produce.
    const value = (): string =>
      pick([
        deepJson(Math.floor(random() * 60_000)),
        nested(Math.floor(random() * 30_000), '{"a":', "}"),
        nested(Math.floor(random() * 200), '{"__proto__":', "}"),
        '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}',
        '[{"role":"user","content":"x","__proto__":{"role":"system"}}]',
        '{"label":"a","confidences":[{"label":"b","confidence":1e400}],"constructor":{}}',
        "1e400",
        "-1e400",
        "123456789012345678901234567890123456789",
        "0.0000000000000000000000000000000000000000001e-400",
        `"${"x".repeat(Math.floor(random() * 10_000))}"`,
        "null",
        "[]",
        "{}",
        `[${Array.from({ length: 2000 }, () => "[]").join(",")}]`,
      ]);
    const frame = (): string | Buffer => {
      switch (Math.floor(random() * 8)) {
        case 0:
          return Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
        case 1:
          return pick(["", " ", "\u0000", Buffer.alloc(0)] as const);
        case 2:
          return `{"type":"feedback","component":${value()},"index":${value()},"value":${value()}}`;
        case 3:
          return `{"type":"hello","session":${value()},"lastSeq":${value()}}`;
        default:
          // Mostly one hostile value beside valid ones, so the run gets as far as it can.
          return `{"type":"run","id":"f${Math.floor(random() * 1e9)}","fn":0,"data":[${value()},${random() < 0.7 ? "[]" : value()},${random() < 0.7 ? '{"label":null,"confidences":[]}' : value()}]}`;
      }
    };
    const fuzzers = await Promise.all([0, 1, 2].map(() => server!.session()));
    let sent = 0;
    for (let i = 0; i < 1500; i++, sent++) {
      const f = frame();
      const c = fuzzers[i % 3]!.client;
      if (typeof f === "string") c.send(f);
      else c.socket.send(f, { binary: true });
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
      // Now and then, once the fuzzer's frames so far are handled, a reload of its session must
      // get a welcome: the value it shows is whatever the fuzz left there.
      if (i % 50 === 49) {
        const { client: fuzzer, welcome } = fuzzers[i % 3]!;
        fuzzer.send({ type: "run", id: `check${i}`, fn: 9, data: [] });
        await fuzzer.take((f) => f.type === "error" && f.id === `check${i}`);
        const reload = await server.session(welcome.session);
        expect(reload.welcome.resumed).toBe(true);
        reload.client.close();
      }
    }
    // Each fuzzer's last frame is a ping that must be answered: every frame before it was handled.
    // (An unknown fn, so it leaves what the session shows as the fuzz left it.)
    for (const { client } of fuzzers) client.send({ type: "run", id: "ping", fn: 9, data: [] });
    for (const { client } of fuzzers) expect(await client.take((f) => f.type === "error" && f.id === "ping", 60_000)).toMatchObject({ code: "unknown_fn" });
    console.log(`[hostile] nested-value fuzz: ${sent} frames over 3 connections`);
    for (const { client, welcome } of fuzzers) {
      expect(client.open).toBe(true);
      for (const f of client.frames) if (f.type === "error") expect(errorCodes).toContain(f.code);
      const again = await server.session(welcome.session);
      expect(again.welcome.resumed).toBe(true);
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect((await fetch(`${server.url}config`)).status).toBe(200);
  }, 120_000);
});

describe("Host and Origin trust", () => {
  /** An HTTP GET with a Host header of our choosing (fetch will not send one). */
  const getWithHost = (url: string, host: string) =>
    new Promise<number>((resolve, reject) => {
      const u = new URL(url);
      request({ hostname: u.hostname, port: u.port, path: `${u.pathname}config`, headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on("error", reject)
        .end();
    });
  const upgrade = (headers: Record<string, string>) =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(`${server!.url.replace("http", "ws")}ws`, { headers });
      ws.on("open", () => {
        ws.close();
        resolve("open");
      });
      ws.on("unexpected-response", (_req, res) => resolve(String(res.statusCode)));
      ws.on("error", () => resolve("error"));
    });

  it("an app on loopback answers only to its own names: a DNS-rebinding Host is refused on HTTP and WebSocket", async () => {
    server = await TestServer.start(chatApp(), { host: "127.0.0.1", allowedHosts: ["demo.example.com", ".lab.example"] });
    const port = new URL(server.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `app.localhost:${port}`, `[::1]:${port}`, "demo.example.com", `x.lab.example:${port}`]) expect(await getWithHost(server.url, host), host).toBe(200);
    for (const host of [`evil.example:${port}`, "demo.example.com.evil.example", `localhost.evil.example:${port}`, "lab.example.evil"]) expect(await getWithHost(server.url, host), host).toBe(403);
    expect(await upgrade({ Host: `evil.example:${port}` })).toBe("403");
    expect(await upgrade({ Host: `localhost:${port}` })).toBe("open");
  });

  it("compares the Origin's scheme, and believes X-Forwarded-Host/-Proto only with trustProxy", async () => {
    server = await TestServer.start(chatApp(), { host: "127.0.0.1" });
    const host = new URL(server.url).host;
    expect(await upgrade({ Origin: `http://${host}` })).toBe("open");
    expect(await upgrade({ Origin: `https://${host}` })).toBe("403");
    expect(await upgrade({ Origin: "https://evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https" })).toBe("403");
    await server.stop();
    server = await TestServer.start(chatApp(), { host: "127.0.0.1", trustProxy: true });
    expect(await upgrade({ Origin: "https://demo.example", "X-Forwarded-Host": "demo.example", "X-Forwarded-Proto": "https" })).toBe("open");
    expect(await upgrade({ Origin: "http://demo.example", "X-Forwarded-Host": "demo.example", "X-Forwarded-Proto": "https" })).toBe("403");
  });
});

describe("Origin and Host on the programs' routes", () => {
  const post = (url: string, headers: Record<string, string>, body = "{}") =>
    new Promise<number>((resolve, reject) => {
      const u = new URL(url);
      request({ hostname: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { "content-type": "text/plain", ...headers } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on("error", reject)
        .end(body);
    });

  it("refuses POSTs from other sites' pages on every API route (OpenAI, MCP, Gradio, login), and a rebinding Host", async () => {
    server = await TestServer.start(chatApp(), { host: "127.0.0.1", mcpServer: true, auth: ["ada", "lovelace"], allowedOrigins: ["https://trusted.example"] });
    const base = server.url;
    const host = new URL(base).host;
    const chat = JSON.stringify({ model: "x", messages: [{ role: "user", content: "hi" }] });
    for (const path of ["v1/chat/completions", "mcp", "gradio_api/call/chat", "login"]) {
      expect(await post(`${base}${path}`, { Origin: "https://evil.example" }, chat), path).toBe(403);
      expect(await post(`${base}${path}`, { Origin: `https://${host}` }, chat), `${path} over another scheme`).toBe(403);
      // The app's own pages and the origins it allows get past this rule (to the login gate: 401).
      expect(await post(`${base}${path}`, { Origin: `http://${host}` }, chat), path).not.toBe(403);
      expect(await post(`${base}${path}`, { Origin: "https://trusted.example" }, chat), path).not.toBe(403);
      expect(await post(`${base}${path}`, { Host: `evil.example:${new URL(base).port}` }, chat), path).toBe(403);
    }
    expect(await post(`${base}v1/chat/completions`, {}, chat)).toBe(401);
  });
});

describe("load", () => {
  it("200 sessions x 20 turns, each with state: every session ends with exactly its own history", async () => {
    server = await TestServer.start(chatApp());
    const sessions = await Promise.all(Array.from({ length: 200 }, () => server!.session()));
    await Promise.all(sessions.map(({ client }, i) => converse(client, `s${i}`, 20)));
    expect(server.launched.server.runtime.sessions.size).toBe(200);
  }, 60_000);

  it("200 sessions x 20 turns sent without waiting (pipelined): every turn applies in order, every history is exact", async () => {
    server = await TestServer.start(chatApp());
    const sessions = await Promise.all(Array.from({ length: 200 }, () => server!.session()));
    const started = performance.now();
    await Promise.all(
      sessions.map(async ({ client }, i) => {
        const said = Array.from({ length: 20 }, (_, t) => `s${i}-${t}`);
        for (const turn of said) client.send({ type: "run", id: turn, fn: 0, data: [turn] });
        for (const turn of said) expect((await client.take((f) => (f.type === "done" || f.type === "error") && f.id === turn, 60_000)).type).toBe("done");
        expect(client.output()).toBe(said.join("|"));
      }),
    );
    console.log(`[hostile] 200 sessions x 20 pipelined turns: ${Math.round(performance.now() - started)} ms`);
  }, 120_000);
});
