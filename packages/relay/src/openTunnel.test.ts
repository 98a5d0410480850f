import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { openTunnel, type TunnelStatus } from "./openTunnel.ts";
import { startRelay } from "./startRelay.ts";
import { startTestApp } from "./startTestApp.ts";
import { TunnelError } from "./TunnelError.ts";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function relayAndApp(options: Parameters<typeof startRelay>[0] = {}) {
  const relay = await startRelay({ port: 0, host: "127.0.0.1", quiet: true, ...options });
  cleanup.push(relay.close);
  const app = await startTestApp("app");
  cleanup.push(app.stop);
  return { relay, app, link: `${relay.url}/?key=${relay.key}` };
}

async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP forwarder in front of the relay whose connections a test can cut: a network blip. */
async function blippable(port: number) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const proxyPort = await listenOnLoopback(server);
  cleanup.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: proxyPort, cut: () => sockets.forEach((s) => s.destroy()) };
}

async function rejection(p: Promise<unknown>): Promise<TunnelError> {
  const e = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(TunnelError);
  return e as TunnelError;
}

describe("openTunnel", () => {
  it("rejects a wrong key in one line that says so", async () => {
    const { relay, app } = await relayAndApp();
    const e = await rejection(openTunnel({ relay: `${relay.url}/?key=not-the-key-at-all`, target: app.url }));
    expect(e.code).toBe("wrong_key");
    expect(e.message).toBe("wrong key: the relay refused it (use the link the relay printed, ending in /?key=...)");
  });

  it("rejects an unreachable relay, a link without a key, and a server that is no relay", async () => {
    const port = await closedPort();
    const { app } = await relayAndApp();
    const unreachable = await rejection(openTunnel({ relay: `http://127.0.0.1:${port}/?key=whatever-key-here`, target: app.url }));
    expect(unreachable.code).toBe("unreachable");
    expect(unreachable.message).toBe(`the relay is unreachable: nothing answers at 127.0.0.1:${port}`);
    const keyless = await rejection(openTunnel({ relay: `http://127.0.0.1:${port}/`, target: app.url }));
    expect(keyless.message).toBe("the relay link has no key; use the link the relay printed, ending in /?key=...");
    expect((await rejection(openTunnel({ relay: "relay.example", target: app.url }))).code).toBe("bad_link");
    // The app's own server is a web server, not a relay.
    const notRelay = await rejection(openTunnel({ relay: `${app.url}?key=whatever-key-here`, target: app.url }));
    expect(notRelay.message).toMatch(/^the relay answered 403 \(not allowed\)$/);
  });

  it("rejects when the relay never answers the handshake", async () => {
    const silent = createServer(() => undefined);
    const port = await listenOnLoopback(silent);
    cleanup.push(async () => {
      silent.close();
    });
    const e = await rejection(openTunnel({ relay: `http://127.0.0.1:${port}/?key=whatever-key-here`, target: "http://127.0.0.1:1/", connectTimeoutMs: 200 }));
    expect(e.message).toBe("the relay did not answer within 0.2 s");
  });

  it("reconnects after a blip and keeps its link; visitors meanwhile hear it is reconnecting", async () => {
    const { relay, app } = await relayAndApp();
    const net = await blippable(Number(new URL(relay.url).port));
    const statuses: TunnelStatus[] = [];
    const tunnel = await openTunnel({ relay: `http://127.0.0.1:${net.port}/?key=${relay.key}`, target: app.url, retry: { firstMs: 300, maxMs: 300 }, onStatus: (s) => statuses.push(s) });
    cleanup.push(tunnel.close);
    // The relay names links by its own public address.
    expect(tunnel.url.startsWith(`${relay.url}/s/`)).toBe(true);
    const link = tunnel.url;
    net.cut();
    await expect.poll(() => statuses[0]?.state).toBe("reconnecting");
    const during = await fetch(`${link}hello`);
    expect(during.status).toBe(503);
    expect(await during.text()).toBe("The app is reconnecting to the relay. Try again in a moment.\n");
    await expect.poll(() => statuses.at(-1)).toEqual({ state: "connected", url: link, resumed: true });
    expect(tunnel.url).toBe(link);
    expect(await (await fetch(`${link}hello`)).text()).toBe("hello from app");
  });

  it("gets a new link when the relay restarted and forgot it", async () => {
    const first = await relayAndApp({ key: "the-same-key-each-time" });
    const port = Number(new URL(first.relay.url).port);
    const statuses: TunnelStatus[] = [];
    const tunnel = await openTunnel({ relay: first.link, target: first.app.url, retry: { firstMs: 100, maxMs: 200 }, onStatus: (s) => statuses.push(s) });
    cleanup.push(tunnel.close);
    const old = tunnel.url;
    await first.relay.close();
    const again = await startRelay({ port, host: "127.0.0.1", quiet: true, key: "the-same-key-each-time" });
    cleanup.push(again.close);
    await expect.poll(() => statuses.at(-1)?.state, { timeout: 5000 }).toBe("connected");
    expect(statuses.at(-1)).toMatchObject({ resumed: false });
    expect(tunnel.url).not.toBe(old);
    expect((await fetch(`${old}hello`)).status).toBe(404);
    expect(await (await fetch(`${tunnel.url}hello`)).text()).toBe("hello from app");
  });

  it("stops trying when the restarted relay no longer takes its key", async () => {
    const first = await relayAndApp({ key: "the-first-key-of-two" });
    const port = Number(new URL(first.relay.url).port);
    const statuses: TunnelStatus[] = [];
    const tunnel = await openTunnel({ relay: first.link, target: first.app.url, retry: { firstMs: 100, maxMs: 200 }, onStatus: (s) => statuses.push(s) });
    cleanup.push(tunnel.close);
    await first.relay.close();
    const again = await startRelay({ port, host: "127.0.0.1", quiet: true, key: "the-second-key-of-two" });
    cleanup.push(again.close);
    await expect.poll(() => statuses.at(-1)?.state, { timeout: 5000 }).toBe("stopped");
    expect(statuses.at(-1)).toMatchObject({ reason: expect.stringMatching(/^wrong key/) });
  });

  it("reaches an app that is not running yet with a 502 that says so", async () => {
    const { link } = await relayAndApp();
    const tunnel = await openTunnel({ relay: link, target: `http://127.0.0.1:${await closedPort()}/` });
    cleanup.push(tunnel.close);
    const res = await fetch(`${tunnel.url}hello`);
    expect(res.status).toBe(502);
    expect(await res.text()).toBe("The app is not answering (ECONNREFUSED).\n");
  });

  it("refuses more apps than the relay holds", async () => {
    const { link, app } = await relayAndApp({ maxApps: 1 });
    const one = await openTunnel({ relay: link, target: app.url });
    cleanup.push(one.close);
    const e = await rejection(openTunnel({ relay: link, target: app.url }));
    expect(e.message).toBe("the relay refused the app: This relay carries as many apps as it can. Try again later");
  });
});

describe("the relay's tunnel endpoint", () => {
  async function tunnelSocket(relay: { url: string; key: string }): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
    const ws = new WebSocket(`${relay.url.replace("http", "ws")}/tunnel`, { headers: { authorization: `Bearer ${relay.key}` } });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    return { ws, closed };
  }

  it("closes a tunnel that sends garbage with 1002 and says what was wrong", async () => {
    const { relay } = await relayAndApp();
    for (const [frame, reason] of [
      ["not json", "A text frame is not JSON."],
      ['{"type":"end","stream":1}', "The first frame must be hello."],
      // Frames only the relay sends are not taken from an app.
      ['{"type":"request","stream":1,"method":"GET","path":"/","headers":{}}', 'Unknown frame type "request".'],
      ['{"type":"hello","version":2}', "This relay speaks tunnel protocol 1, the app 2; update one of them."],
    ] as const) {
      const t = await tunnelSocket(relay);
      t.ws.send(frame);
      expect(await t.closed).toEqual({ code: 1002, reason });
    }
    const t = await tunnelSocket(relay);
    t.ws.send(JSON.stringify({ type: "hello", version: 1 }));
    t.ws.send(Buffer.from([9, 0, 0, 0, 1]));
    expect(await t.closed).toEqual({ code: 1002, reason: "A binary frame has unknown kind 9." });
  });

  it("closes a tunnel that never says hello", async () => {
    const { relay } = await relayAndApp({ helloTimeoutMs: 100 });
    const t = await tunnelSocket(relay);
    expect(await t.closed).toEqual({ code: 1008, reason: "The app did not say hello in time." });
  });

  it("ignores another app's link id without its secret: a new link, the first one untouched", async () => {
    const { relay, app, link } = await relayAndApp();
    const owner = await openTunnel({ relay: link, target: app.url });
    cleanup.push(owner.close);
    const id = /\/s\/([\w-]+)\//.exec(owner.url)![1];
    const t = await tunnelSocket(relay);
    const registered = new Promise<{ url: string; resumed: boolean }>((resolve) => t.ws.once("message", (d: Buffer) => resolve(JSON.parse(d.toString()) as { url: string; resumed: boolean })));
    t.ws.send(JSON.stringify({ type: "hello", version: 1, id, secret: "guessed-secret" }));
    expect(await registered).toMatchObject({ resumed: false });
    expect((await registered).url).not.toBe(owner.url);
    expect(await (await fetch(`${owner.url}hello`)).text()).toBe("hello from app");
    t.ws.close();
  });
});
