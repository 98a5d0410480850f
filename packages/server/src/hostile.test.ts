import { errorCodes, Interface, state } from "@dais/core";
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
  expect(client.values[1]).toBe(said.join("|"));
}

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
    server = await TestServer.start(chatApp(), { rateLimit: { perSecond: 10, burst: 20 } });
    const flood = await server.session();
    const calm = await server.session();
    for (let i = 0; i < 300; i++) flood.client.send({ type: "cancel", id: `x${i}` });
    const calmDone = converse(calm.client, "calm", 5);
    await new Promise((r) => setTimeout(r, 300));
    const limited = flood.client.frames.filter((f) => f.type === "error" && f.code === "rate_limited").length;
    expect(limited).toBeGreaterThanOrEqual(250);
    await calmDone;
    expect(flood.client.open).toBe(true);
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
    server = await TestServer.start(chatApp(), { rateLimit: { perSecond: 100_000, burst: 100_000 } });
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
      if (i % 500 === 0) await new Promise((r) => setTimeout(r, 0));
    }
    await normalDone;
    await new Promise((r) => setTimeout(r, 300));
    for (const c of fuzzers) {
      expect(c.open).toBe(true);
      for (const f of c.frames) if (f.type === "error") expect(errorCodes).toContain(f.code);
    }
    expect(fuzzers.reduce((n, c) => n + c.frames.filter((f) => f.type === "error").length, 0)).toBeGreaterThan(1000);
    expect((await fetch(`${server.url}config`)).status).toBe(200);
    await converse((await server.session()).client, "after", 3);
  });
});

describe("load", () => {
  it("200 sessions x 20 turns, each with state: every session ends with exactly its own history", async () => {
    server = await TestServer.start(chatApp());
    const sessions = await Promise.all(Array.from({ length: 200 }, () => server!.session()));
    await Promise.all(sessions.map(({ client }, i) => converse(client, `s${i}`, 20)));
    expect(server.launched.server.sessions.size).toBe(200);
  }, 60_000);
});
