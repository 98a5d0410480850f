import { createServer as createHttpServer, type Server } from "node:http";
import type { App } from "@dais/core";
import compression from "compression";
import express from "express";
import { WebSocketServer } from "ws";
import { Connection } from "./Connection.ts";
import { SessionStore, type SessionStoreOptions } from "./SessionStore.ts";

export interface ServerOptions extends SessionStoreOptions {
  /** The folder holding the UI's built files (index.html, app.js, app.css). */
  assets: string;
  /** Send stack traces of failed runs to the browser. Default false. */
  showError?: boolean;
  /** Largest frame accepted from a browser, in bytes. Default 1 MiB. */
  maxFrameBytes?: number;
}

export interface DaisServer {
  http: Server;
  sessions: SessionStore;
  /** Stops every run, closes every socket and stops listening. */
  close(): Promise<void>;
}

/**
 * The HTTP + WebSocket server for one app, not yet listening. Every URL the page uses is
 * relative (`config`, `app.js`, `ws`), so the app also works under a path prefix.
 */
export function createServer(app: App, options: ServerOptions): DaisServer {
  const sessions = new SessionStore(app, options);
  const web = express();
  web.disable("x-powered-by");
  web.use(compression()); // the page is a few dozen KB gzipped; uncompressed it would be several times that
  web.get("/config", (_req, res) => {
    res.json(app.config);
  });
  web.use(express.static(options.assets, { index: "index.html", maxAge: 0 }));

  const http = createHttpServer(web);
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? 1024 * 1024 });
  http.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://x").pathname !== "/ws") return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      new Connection(ws, app, sessions, { showError: options.showError ?? false });
    });
  });
  const close = async () => {
    sessions.clear();
    for (const client of wss.clients) client.close(1001, "server closing");
    wss.close();
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeAllConnections();
    for (const client of wss.clients) client.terminate();
    if (http.listening) await closed;
  };
  return { http, sessions, close };
}
