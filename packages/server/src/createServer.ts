import { createHash } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import type { App } from "@dais/core";
import compression from "compression";
import express from "express";
import { WebSocketServer } from "ws";
import type { AccessGate } from "./access/AccessGate.ts";
import type { HttpAdapter } from "./adapters/HttpAdapter.ts";
import { attachWebSocket } from "./adapters/webSocketAdapter.ts";
import { ExpiringMap } from "./access/ExpiringMap.ts";
import { fileRoutes } from "./files/fileRoutes.ts";
import { hostAllowed } from "./hostAllowed.ts";
import { staticAssets } from "./staticAssets.ts";
import { RateLimiter } from "./RateLimiter.ts";
import { Runtime, type RuntimeOptions } from "./Runtime.ts";
import { type TrustProxy, visitorOf } from "./visitorOf.ts";

export interface ServerOptions extends Omit<RuntimeOptions, "configId"> {
  /** The folder holding the UI's built files (index.html, app.js, app.css). */
  assets: string;
  /** Largest frame accepted from a browser, in bytes. Default 1 MiB. */
  maxFrameBytes?: number;
  /** Frames per second one connection may send (and how many at once). Default 20/s, 40 at once. */
  rateLimit?: { perSecond: number; burst: number };
  /** Bytes per second one connection may send (and how many at once). Default maxFrameBytes/s, four frames' worth at once. */
  byteLimit?: { perSecond: number; burst: number };
  /**
   * Origins (`https://example.com`) whose pages may open the WebSocket, besides the app's own.
   * Stops other sites from driving a visitor's session (cross-site WebSocket hijacking).
   */
  allowedOrigins?: string[];
  /**
   * Serve the app under this path (`/demo`), for a reverse proxy that passes the prefix on.
   * A proxy that strips it needs nothing: every URL the page uses is relative.
   */
  rootPath?: string;
  /** Who may use the app (an access token, a login); launch() builds these from share and auth. */
  gates?: AccessGate[];
  /** HTTP APIs for programs, served beside the page and behind the same gates. */
  adapters?: HttpAdapter[];
  /** API requests (POSTs) per second one visitor may send, and how many at once. Default 50/s, 100 at once. */
  apiRateLimit?: { perSecond: number; burst: number };
  /**
   * Believe X-Forwarded-For/-Host/-Proto: `true` when a reverse proxy you run sits in front,
   * `"loopback"` from a proxy on this machine only. Default false (anyone can write them);
   * launch() uses "loopback" for an app shared through a relay.
   */
  trustProxy?: TrustProxy;
  /**
   * Host names the app answers to besides IP addresses and localhost (`"demo.example.com"`, or
   * `".example.com"` with subdomains); other Host headers get 403, which stops DNS-rebinding
   * pages. launch() checks hosts when it listens on loopback; `true` turns the check off.
   */
  allowedHosts?: string[] | true;
}

export interface DaisServer {
  http: Server;
  /** The transport-free core: sessions, runs, frame logs. */
  runtime: Runtime;
  /**
   * Stops taking runs, lets running ones finish for up to `graceMs` (default 5 s) then stops
   * them, closes every socket and stops listening.
   */
  close(graceMs?: number): Promise<void>;
  /** The path the app is served under ("" at the root). */
  rootPath: string;
}

/**
 * The HTTP + WebSocket server for one app, not yet listening. Every URL the page uses is
 * relative (`config`, `app.js`, `ws`), so the app also works under a path prefix.
 */
export function createServer(app: App, options: ServerOptions): DaisServer {
  const maxFrameBytes = options.maxFrameBytes ?? 1024 * 1024;
  const root = normalizeRootPath(options.rootPath);
  const gates = options.gates ?? [];
  // The page reloads itself when the app it talks to is not the one it was built from (an app
  // restarted by `dais run --reload` with other components).
  const config = { ...app.config, id: configIdOf(app) };
  const runtime = new Runtime(app, { ...options, configId: config.id });
  const web = express.Router();
  // The page is a few dozen KB gzipped; uncompressed it would be several times that. Small
  // chunks of the UI (a few hundred bytes each) are compressed too: every one the page loads counts.
  web.use(compression({ threshold: 256 }));
  // A page of another site must not post to this app (a login, a completion, an MCP call): a
  // form or a text/plain fetch needs no CORS preflight. The same rule as the WebSocket's.
  web.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || originAllowed(req, options.allowedOrigins ?? [], options.trustProxy ?? false)) return next();
    res.status(403).json({ error: "Requests from other sites' pages are refused (see allowedOrigins)." });
  });
  for (const gate of gates) gate.routes(web);
  for (const gate of gates) web.use(gate.middleware);
  // Adapters come first: Gradio's answers `config` for its client and passes `config?format=dais` on.
  web.use(apiRateLimit(options.apiRateLimit ?? { perSecond: 50, burst: 100 }, options.trustProxy ?? false));
  fileRoutes(web, runtime, { allowedOrigins: options.allowedOrigins ?? [], trustProxy: options.trustProxy ?? false });
  for (const adapter of options.adapters ?? []) adapter.routes(web, { app, config, runtime });
  web.get("/config", (_req, res) => {
    res.json(config);
  });
  // A worker process serves no pages (and has no UI build): assets "".
  if (options.assets) web.use(staticAssets(options.assets));
  // Whatever a route let through (a login form too large, bad JSON) gets a short answer:
  // Express's own page would show the visitor a stack trace with the server's paths.
  web.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = typeof (err as { status?: unknown } | null)?.status === "number" ? (err as { status: number }).status : 500;
    if (status >= 500) console.error("[dais] a request failed:", err);
    if (res.headersSent) return void res.end();
    res.status(status >= 400 && status < 600 ? status : 500).json({ error: status === 413 ? "The request is too large." : status < 500 ? "The request could not be read." : "Internal error." });
  });

  const allowedHosts = options.allowedHosts;
  const hostOk = (req: IncomingMessage) => allowedHosts === undefined || allowedHosts === true || hostAllowed(req.headers.host, allowedHosts);
  const outer = express();
  outer.disable("x-powered-by");
  outer.use((req, res, next) => (hostOk(req) ? next() : res.status(403).type("text").send("This host name is not allowed; add it to allowedHosts.")));
  // `/demo` must become `/demo/`, or the page's relative URLs would leave the prefix.
  if (root) outer.get(root, (req, res, next) => (req.path === root ? res.redirect(301, `${root}/${req.url.slice(root.length)}`) : next()));
  outer.use(root || "/", web);
  const http = createHttpServer(outer);
  // Frames up to twice the limit get a typed error; beyond that ws closes the socket (1009)
  // before reading them into memory.
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes * 2 + 1024 });
  http.on("upgrade", (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    if (!URL.canParse(req.url ?? "/", "http://x") || new URL(req.url ?? "/", "http://x").pathname !== `${root}/ws`) return socket.destroy();
    if (!hostOk(req) || !originAllowed(req, options.allowedOrigins ?? [], options.trustProxy ?? false)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    if (!gates.every((g) => g.allowsUpgrade(req))) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      attachWebSocket(ws, runtime, {
        maxFrameBytes,
        rateLimit: options.rateLimit ?? { perSecond: 20, burst: 40 },
        byteLimit: options.byteLimit ?? { perSecond: maxFrameBytes, burst: 4 * maxFrameBytes },
      });
    });
  });
  const close = async (graceMs = 5000) => {
    await runtime.close(graceMs);
    // Adapters' own timers and streams, so a closed server leaves nothing running.
    for (const adapter of options.adapters ?? []) {
      try {
        await adapter.close?.();
      } catch (e) {
        console.error(`[dais] the ${adapter.name} adapter failed to close:`, e);
      }
    }
    for (const client of wss.clients) client.close(1001, "server closing");
    wss.close();
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeAllConnections();
    setTimeout(() => {
      for (const client of wss.clients) client.terminate();
    }, 500).unref();
    if (http.listening) await closed;
  };
  return { http, runtime, close, rootPath: root };
}

/** A short hash of the app's config: a page built from another version reloads, and scaled-out processes of one version share queues. */
export function configIdOf(app: App): string {
  return createHash("sha256").update(JSON.stringify(app.config)).digest("base64url").slice(0, 16);
}

/** `demo/` or `/demo` -> `/demo`; `/` or nothing -> "". */
export function normalizeRootPath(path: string | undefined): string {
  const trimmed = (path ?? "").replace(/\/+$/, "");
  if (trimmed === "") return "";
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

/**
 * Browsers always send Origin with a WebSocket upgrade; a page of another site must not reach
 * this app's sessions. Clients that send no Origin (scripts, tests) are not browsers and pass.
 */
function originAllowed(req: IncomingMessage, allowed: string[], trustProxy: TrustProxy): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes("*") || allowed.includes(origin)) return true;
  // The whole origin, scheme included: an http page must not drive an app served over https.
  const { host, proto } = visitorOf(req, trustProxy);
  const own = `${proto}://${host ?? ""}`;
  return host !== undefined && URL.canParse(origin) && URL.canParse(own) && new URL(origin).origin === new URL(own).origin;
}

/**
 * Programs' calls (POSTs: a Gradio join, a completion, an MCP call) are budgeted per visitor, as
 * a page's frames are per connection: one script flooding the API slows down alone. Visitors are
 * told apart by address (the forwarded one only with trustProxy), in a bounded, expiring map.
 */
function apiRateLimit(rate: { perSecond: number; burst: number }, trustProxy: TrustProxy) {
  const buckets = new ExpiringMap<string, RateLimiter>({ ttlMs: 60_000, max: 10_000 });
  return (req: express.Request, res: express.Response, next: () => void) => {
    if (req.method !== "POST") return next();
    const who = visitorOf(req, trustProxy).address;
    let bucket = buckets.get(who);
    if (!bucket) buckets.set(who, (bucket = new RateLimiter(rate.perSecond, rate.burst)));
    if (bucket.take()) return next();
    res.status(429).json({ error: "Too many requests; slow down a little." });
  };
}
