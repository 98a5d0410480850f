import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { openTunnel, type Tunnel } from "./openTunnel.ts";
import { type RelayOptions, startRelay } from "./startRelay.ts";
import { bytes, startTestApp, type TestApp, visit } from "./startTestApp.ts";

// Visitors' WebSockets carried through a real relay and tunnel to a real local app.
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function share(options: RelayOptions = {}): Promise<{ app: TestApp; tunnel: Tunnel; ws: string }> {
  const relay = await startRelay({ port: 0, host: "127.0.0.1", quiet: true, ...options });
  cleanup.push(relay.close);
  const app = await startTestApp("app");
  cleanup.push(app.stop);
  const tunnel = await openTunnel({ relay: `${relay.url}/?key=${relay.key}`, target: app.url });
  cleanup.push(tunnel.close);
  return { app, tunnel, ws: tunnel.url.replace(/^http/, "ws") };
}

describe("WebSockets through the relay", () => {
  it("carries text and binary messages both ways, in order, with the app's subprotocol", async () => {
    const { ws, app } = await share();
    const visitor = await visit(`${ws}ws?room=1`, ["chat.v1", "chat.v2"]);
    expect(visitor.ws.protocol).toBe("chat.v2");
    expect(app.seen.at(-1)).toMatchObject({ method: "WS", url: "/ws?room=1" });
    visitor.ws.send("hi");
    expect(await visitor.next()).toBe("app: hi");
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    visitor.ws.send(every);
    const back = await visitor.next();
    expect(Buffer.isBuffer(back) && back.equals(every)).toBe(true);
    for (let i = 0; i < 100; i++) visitor.ws.send(`m${i}`);
    const got: (string | Buffer)[] = [];
    for (let i = 0; i < 100; i++) got.push(await visitor.next());
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => `app: m${i}`));
    const big = bytes(2_000_000);
    visitor.ws.send(big);
    expect((await visitor.next() as Buffer).equals(big)).toBe(true);
    visitor.ws.close();
  });

  it("passes close codes and reasons on, whichever side closes", async () => {
    const { ws, app } = await share();
    const first = await visit(`${ws}ws`);
    first.ws.send("close me");
    expect(await first.closed).toEqual({ code: 4321, reason: "bye from app" });
    const second = await visit(`${ws}ws`);
    second.ws.close(4000, "done here");
    await second.closed;
    await expect.poll(() => app.closes.at(-1)).toEqual({ code: 4000, reason: "done here" });
  });

  it("gives the visitor the app's refusal of a WebSocket, status and body", async () => {
    const { ws } = await share();
    const refused = new WebSocket(`${ws}elsewhere`);
    const answer = await new Promise<{ status: number; app: string | undefined; body: string }>((resolve) =>
      refused.on("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, app: res.headers["x-app"] as string | undefined, body }));
      }),
    );
    expect(answer).toEqual({ status: 403, app: "app", body: "not allowed" });
  });

  it("answers 504 when the app never accepts a WebSocket", async () => {
    const { ws } = await share({ limits: { requestTimeoutMs: 300 } });
    await expect(visit(`${ws}ws-never`)).rejects.toThrow(/504/);
  });

  it("closes a visitor's message over the relay's limit with 1009, and only that WebSocket", async () => {
    const { ws } = await share({ limits: { maxMessageBytes: 10_000 } });
    const greedy = await visit(`${ws}ws`);
    const polite = await visit(`${ws}ws`);
    greedy.ws.send(bytes(20_000));
    expect((await greedy.closed).code).toBe(1009);
    polite.ws.send("still here");
    expect(await polite.next()).toBe("app: still here");
    polite.ws.close();
  });

  it("closes visitors' WebSockets when the app stops sharing", async () => {
    const { ws, tunnel } = await share();
    const visitor = await visit(`${ws}ws`);
    await tunnel.close();
    expect((await visitor.closed).code).toBe(1001);
  });

  it("a share link reaches only the app: /\\host, //host, %2f, %5c and .. are refused, and another local server is never reached", async () => {
    const { tunnel, app } = await share();
    const secret = await startTestApp("secret");
    cleanup.push(secret.stop);
    const relay = new URL(tunnel.url);
    const other = new URL(secret.url).host;
    // Raw requests: a WebSocket or fetch client would normalise the path before sending it.
    const rawUpgrade = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(relay.port), relay.hostname, () =>
          socket.write(`GET ${relay.pathname}${path} HTTP/1.1\r\nHost: ${relay.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`),
        );
        let answer = "";
        socket.on("data", (d) => {
          answer += d.toString();
          if (answer.includes("\r\n")) {
            socket.destroy();
            resolve(answer.split("\r\n")[0] as string);
          }
        });
        socket.on("error", reject);
        socket.on("close", () => resolve(answer.split("\r\n")[0] ?? ""));
      });
    for (const path of [`\\${other}/ws`, `/\\${other}/ws`, `/${other}/ws`, `%2f%2f${other}/ws`, `%5c${other}/ws`, `../../ws`, `x/%2e%2e/ws`]) {
      expect(await rawUpgrade(path), path).toMatch(/^HTTP\/1\.1 40\d/);
    }
    expect(secret.seen).toEqual([]);
    // The ordinary path still works.
    const visitor = await visit(`${tunnel.url.replace(/^http/, "ws")}ws`);
    visitor.ws.send("hi");
    expect(await visitor.next()).toBe("app: hi");
    expect(app.seen.at(-1)).toMatchObject({ url: "/ws" });
    visitor.ws.close();
  });
});
