import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import type { App } from "@dais/core";
import compression from "compression";
import express from "express";
import { WebSocketServer } from "ws";
import { Connection } from "./Connection.ts";
import { Runner, type RunnerOptions } from "./Runner.ts";
import { SessionStore, type SessionStoreOptions } from "./SessionStore.ts";

export interface ServerOptions extends SessionStoreOptions, RunnerOptions {
  /** The folder holding the UI's built files (index.html, app.js, app.css). */
  assets: string;
  /** Send stack traces of failed runs to the browser. Default false. */
  showError?: boolean;
  /** Largest frame accepted from a browser, in bytes. Default 1 MiB. */
  maxFrameBytes?: number;
  /** Frames per second one connection may send (and how many at once). Default 20/s, 40 at once. */
  rateLimit?: { perSecond: number; burst: number };
  /**
   * Origins (`https://example.com`) whose pages may open the WebSocket, besides the app's own.
   * Stops other sites from driving a visitor's session (cross-site WebSocket hijacking).
   */
  allowedOrigins?: string[];
}

export interface DaisServer {
  http: Server;
  sessions: SessionStore;
  runner: Runner;
  /**
   * Stops taking runs, lets running ones finish for up to `graceMs` (default 5 s) then stops
   * them, closes every socket and stops listening.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * The HTTP + WebSocket server for one app, not yet listening. Every URL the page uses is
 * relative (`config`, `app.js`, `ws`), so the app also works under a path prefix.
 */
export function createServer(app: App, options: ServerOptions): DaisServer {
  const sessions = new SessionStore(app, options);
  const runner = new Runner(app, options);
  const maxFrameBytes = options.maxFrameBytes ?? 1024 * 1024;
  const web = express();
  web.disable("x-powered-by");
  web.use(compression()); // the page is a few dozen KB gzipped; uncompressed it would be several times that
  web.get("/config", (_req, res) => {
    res.json(app.config);
  });
  web.use(express.static(options.assets, { index: "index.html", maxAge: 0 }));

  const http = createHttpServer(web);
  // Frames up to twice the limit get a typed error; beyond that ws closes the socket (1009)
  // before reading them into memory.
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes * 2 + 1024 });
  http.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://x").pathname !== "/ws") return socket.destroy();
    if (!originAllowed(req, options.allowedOrigins ?? [])) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      new Connection(ws, app, sessions, runner, {
        showError: options.showError ?? false,
        maxFrameBytes,
        rateLimit: options.rateLimit ?? { perSecond: 20, burst: 40 },
      });
    });
  });
  const close = async (graceMs = 5000) => {
    await runner.close(graceMs);
    sessions.clear();
    for (const client of wss.clients) client.close(1001, "server closing");
    wss.close();
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeAllConnections();
    setTimeout(() => {
      for (const client of wss.clients) client.terminate();
    }, 500).unref();
    if (http.listening) await closed;
  };
  return { http, sessions, runner, close };
}

/**
 * Browsers always send Origin with a WebSocket upgrade; a page of another site must not reach
 * this app's sessions. Clients that send no Origin (scripts, tests) are not browsers and pass.
 */
function originAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes("*") || allowed.includes(origin)) return true;
  try {
    const host = req.headers["x-forwarded-host"] ?? req.headers.host;
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
