import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import { listen } from "./listen.ts";

export interface TestApp {
  url: string;
  /** What the app received, newest last. */
  seen: { method: string; url: string; headers: IncomingHttpHeaders }[];
  /** Close codes and reasons of the WebSockets visitors closed. */
  closes: { code: number; reason: string }[];
  /** Requests to /never, still waiting for an answer. */
  waiting: ServerResponse[];
  /** Bytes of /firehose the app has handed to its socket so far (it waits for "drain"). */
  firehose: { written: number };
  stop(): Promise<void>;
}

/**
 * A real local app for the relay tests, on a free loopback port: plain HTTP routes that
 * exercise status, headers, bodies (binary too), redirects and cookies, and a WebSocket echo.
 * `name` is in every answer, so a test can tell two apps apart.
 */
export async function startTestApp(name: string): Promise<TestApp> {
  const seen: TestApp["seen"] = [];
  const closes: TestApp["closes"] = [];
  const waiting: ServerResponse[] = [];
  const firehose = { written: 0 };
  const http = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/hello") {
      res.writeHead(200, { "content-type": "text/plain", "x-app": name, "set-cookie": [`who=${name}; Path=/; HttpOnly`, "plain=1"] });
      return void res.end(`hello from ${name}`);
    }
    if (path === "/echo") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        res.writeHead(201, { "content-type": req.headers["content-type"] ?? "application/octet-stream", "x-received": String(body.length) });
        res.end(body);
      });
      return;
    }
    if (path === "/bytes") {
      // Every byte value, then a large pseudo-random tail (streamed in chunks).
      const size = Number(new URL(req.url ?? "/", "http://x").searchParams.get("size") ?? 256);
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const body = bytes(size);
      for (let i = 0; i < body.length; i += 50_000) res.write(body.subarray(i, i + 50_000));
      return void res.end();
    }
    if (path === "/redirect") {
      res.writeHead(302, { location: "/hello" });
      return void res.end();
    }
    if (path === "/never") return void waiting.push(res);
    if (path === "/firehose") {
      // As fast as the reader takes it, and no faster: a well-behaved app under back-pressure.
      const total = Number(new URL(req.url ?? "/", "http://x").searchParams.get("size"));
      const chunk = Buffer.alloc(64 * 1024, 7);
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(total) });
      const pump = () => {
        while (firehose.written < total) {
          firehose.written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      return pump();
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("no such page");
  });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has("chat.v2") ? "chat.v2" : false) });
  const hanging: Duplex[] = [];
  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/ws") return wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
    if (path === "/ws-never") return void hanging.push(socket);
    socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 11\r\nx-app: ${name}\r\n\r\nnot allowed`);
  });
  wss.on("connection", (ws, req) => {
    seen.push({ method: "WS", url: req.url ?? "", headers: req.headers });
    ws.on("message", (data: Buffer, isBinary) => {
      if (!isBinary && data.toString() === "close me") return ws.close(4321, `bye from ${name}`);
      ws.send(isBinary ? data : `${name}: ${data.toString()}`, { binary: isBinary });
    });
    ws.on("close", (code, reason) => closes.push({ code, reason: reason.toString() }));
  });
  const port = await listen(http, "127.0.0.1", 0, 1);
  return {
    url: `http://127.0.0.1:${port}/`,
    seen,
    closes,
    waiting,
    firehose,
    stop: async () => {
      for (const ws of wss.clients) ws.terminate();
      for (const socket of hanging) socket.destroy();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** `size` bytes: 0..255 first, then a fixed pseudo-random sequence. */
export function bytes(size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = 12345;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i < 256 ? i : x >>> 24;
  }
  return out;
}

/** A visitor's WebSocket, open, collecting what it receives. */
export async function visit(url: string, protocols: string[] = []): Promise<{ ws: WebSocket; received: (string | Buffer)[]; next(): Promise<string | Buffer>; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(url, protocols);
  const received: (string | Buffer)[] = [];
  const waiters: (() => void)[] = [];
  ws.on("message", (data: Buffer, isBinary) => {
    received.push(isBinary ? data : data.toString());
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let taken = 0;
  const next = async () => {
    while (received.length <= taken) await new Promise<void>((resolve) => waiters.push(resolve));
    return received[taken++] as string | Buffer;
  };
  return { ws, received, next, closed };
}
