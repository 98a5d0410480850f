import { get } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { openTunnel, type Tunnel } from "./openTunnel.ts";
import { type RelayOptions, startRelay } from "./startRelay.ts";
import { bytes, startTestApp, type TestApp } from "./startTestApp.ts";

// A real relay and a real local app on loopback, the tunnel between them, visitors using fetch.
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function share(options: RelayOptions = {}, name = "app"): Promise<{ app: TestApp; tunnel: Tunnel; relay: Awaited<ReturnType<typeof startRelay>> }> {
  const relay = await startRelay({ port: 0, host: "127.0.0.1", quiet: true, ...options });
  cleanup.push(relay.close);
  const app = await startTestApp(name);
  cleanup.push(app.stop);
  const tunnel = await openTunnel({ relay: `${relay.url}/?key=${relay.key}`, target: app.url });
  cleanup.push(tunnel.close);
  return { app, tunnel, relay };
}

describe("startRelay", () => {
  it("gives the app an unguessable link under /s/ and carries a GET: status, headers, body, query", async () => {
    const { app, tunnel, relay } = await share();
    expect(tunnel.url).toMatch(new RegExp(`^${relay.url}/s/[\\w-]{22}/$`));
    const res = await fetch(`${tunnel.url}hello?x=1&y=%20`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-app")).toBe("app");
    expect(await res.text()).toBe("hello from app");
    // The app sees its own path, and where the visitor came from.
    const seen = app.seen.at(-1)!;
    expect(seen.url).toBe("/hello?x=1&y=%20");
    const prefix = new URL(tunnel.url).pathname.slice(0, -1);
    expect(seen.headers).toMatchObject({ "x-forwarded-host": new URL(relay.url).host, "x-forwarded-proto": "http", "x-forwarded-prefix": prefix, "x-forwarded-for": "127.0.0.1" });
  });

  it("overwrites the X-Forwarded-For a visitor wrote, so the app never takes an invented address for theirs", async () => {
    const { app, tunnel } = await share();
    await fetch(`${tunnel.url}hello`, { headers: { "x-forwarded-for": "203.0.113.99, 198.51.100.1", "x-forwarded-host": "evil.example" } });
    expect(app.seen.at(-1)!.headers).toMatchObject({ "x-forwarded-for": "127.0.0.1", "x-forwarded-host": new URL(tunnel.url).host });
  });

  it("keeps the app's cookies and redirects inside its own link", async () => {
    const { tunnel } = await share();
    const prefix = new URL(tunnel.url).pathname;
    const res = await fetch(`${tunnel.url}hello`);
    expect(res.headers.getSetCookie()).toEqual([`who=app; Path=${prefix}; HttpOnly`, "plain=1"]);
    const redirect = await fetch(`${tunnel.url}redirect`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe(`${prefix}hello`);
    // The link without its trailing slash leads to the app too.
    const bare = await fetch(tunnel.url.slice(0, -1) + "?a=1", { redirect: "manual" });
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toBe(`${prefix}?a=1`);
  });

  it("carries a binary POST body and a large binary answer byte for byte", async () => {
    const { tunnel } = await share();
    const upload = bytes(700_000);
    const res = await fetch(`${tunnel.url}echo`, { method: "POST", body: upload, headers: { "content-type": "application/x-test" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/x-test");
    expect(res.headers.get("x-received")).toBe(String(upload.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(upload)).toBe(true);
    const download = await fetch(`${tunnel.url}bytes?size=3000000`);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes(3_000_000))).toBe(true);
  });

  it("answers 404 with a short message for a link no app holds, and for other paths", async () => {
    const { relay } = await share();
    const res = await fetch(`${relay.url}/s/AAAAAAAAAAAAAAAAAAAAAA/`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await res.text()).toBe("No app is shared at this link. It may have stopped, or the link is mistyped.\n");
    expect((await fetch(`${relay.url}/elsewhere`)).status).toBe(404);
    const home = await fetch(`${relay.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).not.toContain(relay.key);
  });

  it("answers 504 when the app never answers, and keeps serving the app", async () => {
    const { tunnel, app } = await share({ limits: { requestTimeoutMs: 300 } });
    const res = await fetch(`${tunnel.url}never`);
    expect(res.status).toBe(504);
    expect(await res.text()).toBe("The app did not answer in time.\n");
    // The app was told to give up: its request was dropped.
    await expect.poll(() => app.waiting.map((r) => r.destroyed)).toEqual([true]);
    expect((await fetch(`${tunnel.url}hello`)).status).toBe(200);
  });

  it("refuses a body over the limit with 413, without passing it to the app", async () => {
    const { tunnel, app } = await share({ limits: { maxBodyBytes: 1000 } });
    const res = await fetch(`${tunnel.url}echo`, { method: "POST", body: bytes(5000) });
    expect(res.status).toBe(413);
    expect(app.seen.some((s) => s.url === "/echo")).toBe(false);
    expect((await fetch(`${tunnel.url}echo`, { method: "POST", body: bytes(900) })).status).toBe(201);
    // A body of unknown length is cut off where it passes the limit.
    const chunks = [bytes(600), bytes(600)];
    const body = new ReadableStream({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()) : c.close()) });
    const streamed = await fetch(`${tunnel.url}echo`, { method: "POST", body, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.text()).toBe("The request body is too large for this relay.\n");
  });

  it("answers 503 beyond the number of requests an app may have waiting", async () => {
    const { tunnel, app } = await share({ limits: { maxPendingRequests: 2, requestTimeoutMs: 5000 } });
    const controller = new AbortController();
    const waiting = [fetch(`${tunnel.url}never`, { signal: controller.signal }), fetch(`${tunnel.url}never`, { signal: controller.signal })].map((p) => p.catch(() => undefined));
    await expect.poll(() => app.waiting.length).toBe(2);
    const res = await fetch(`${tunnel.url}hello`);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    // A visitor who gives up frees the slot.
    controller.abort();
    await Promise.all(waiting);
    await expect.poll(async () => (await fetch(`${tunnel.url}hello`)).status).toBe(200);
  });

  it("carries two apps at once, each only through its own link", async () => {
    const relay = await startRelay({ port: 0, host: "127.0.0.1", quiet: true });
    cleanup.push(relay.close);
    const [a, b] = await Promise.all([startTestApp("alpha"), startTestApp("beta")]);
    cleanup.push(a.stop, b.stop);
    const link = `${relay.url}/?key=${relay.key}`;
    const [ta, tb] = await Promise.all([openTunnel({ relay: link, target: a.url }), openTunnel({ relay: link, target: b.url })]);
    cleanup.push(tb.close);
    expect(ta.url).not.toBe(tb.url);
    const answers = await Promise.all([ta, tb, ta, tb].map(async (t) => (await fetch(`${t.url}hello`)).text()));
    expect(answers).toEqual(["hello from alpha", "hello from beta", "hello from alpha", "hello from beta"]);
    expect(a.seen.length).toBe(2);
    expect(b.seen.length).toBe(2);
    // One app stopping sharing leaves the other's link working; its own link is gone at once.
    await ta.close();
    expect((await fetch(`${ta.url}hello`)).status).toBe(404);
    expect(await (await fetch(`${tb.url}hello`)).text()).toBe("hello from beta");
  });

  it("refuses a key that is too short to be safe", async () => {
    await expect(startRelay({ port: 0, host: "127.0.0.1", quiet: true, key: "secret" })).rejects.toThrow(/16 to 256 characters/);
  });

  it("prints where it listens and the link apps share with", async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      const relay = await startRelay({ port: 0, host: "127.0.0.1", key: "a-long-enough-relay-key" });
      cleanup.push(relay.close);
      expect(lines).toEqual([`Relay listening on ${relay.url}`, `Apps share with: launch({ share: "${relay.url}/?key=a-long-enough-relay-key" })`]);
    } finally {
      console.log = log;
    }
  });
});

describe("back-pressure", () => {
  it("holds a fast app back while a visitor reads slowly, then delivers every byte", { timeout: 30_000 }, async () => {
    const { app, tunnel } = await share();
    const total = 64 * 1024 * 1024; // a multiple of the app's 64 KiB chunks
    let received = 0;
    let heldAt = 0;
    await new Promise<void>((resolve, reject) => {
      get(`${tunnel.url}firehose?size=${total}`, (res) => {
        res.pause(); // the visitor stops reading
        // Wait until the app is held back: what it has written stops growing.
        let last = -1;
        let still = 0;
        const check = setInterval(() => {
          still = app.firehose.written === last ? still + 1 : 0;
          last = app.firehose.written;
          if (still < 3) return;
          clearInterval(check);
          heldAt = last;
          res.on("data", (c: Buffer) => (received += c.length));
          res.on("end", resolve);
          res.resume();
        }, 100);
      }).on("error", reject);
    });
    // What the app got out before it was held back sits in socket buffers and the relay's
    // small per-stream allowance, not the whole 64 MiB in the relay's memory.
    expect(heldAt).toBeGreaterThan(0);
    expect(heldAt).toBeLessThan(total / 2);
    expect(received).toBe(total);
  });
});
