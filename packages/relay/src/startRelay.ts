import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { listen } from "./listen.ts";
import { relayMessages } from "./relayMessages.ts";
import { closeWebSocket } from "./closeWebSocket.ts";
import { safeTunnelPath } from "./safeTunnelPath.ts";
import { acceptedProtocols, plain, type RelayLimits, RelayTunnel, rawResponse } from "./RelayTunnel.ts";
import { type AppFrame, maxTunnelFrameBytes, maxTunnelMessageBytes, parseAppFrame } from "./tunnelProtocol.ts";
import { defaultHeartbeatMs, TunnelSocket } from "./TunnelSocket.ts";

export interface RelayOptions {
  /** Port to listen on. Default 8080; 0 picks a free one. */
  port?: number;
  /** Interface to listen on. Default 0.0.0.0 (every address: a relay is for a public machine). */
  host?: string;
  /** What apps must present to register. Default: a new random key, printed. */
  key?: string;
  /** The address visitors use, e.g. `https://relay.example` behind a TLS proxy. Default: `http://<host>:<port>`. */
  publicUrl?: string;
  /** Print nothing. */
  quiet?: boolean;
  /** How long a disconnected app keeps its link, to reconnect and get it back. Default 10 minutes. */
  resumeMs?: number;
  /** Apps registered at once, connected or within `resumeMs`. Default 100. */
  maxApps?: number;
  /** How long a new tunnel has to say hello. Default 10 s. */
  helloTimeoutMs?: number;
  heartbeatMs?: number;
  /** Defaults: 10 MiB bodies, 4 MiB messages, 64 pending requests, 256 streams, 30 s to answer. */
  limits?: Partial<RelayLimits>;
}

export interface Relay {
  /** Where visitors and apps reach the relay, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** The key apps register with. */
  key: string;
  /** Closes every tunnel and visitor connection and stops listening. */
  close(): Promise<void>;
}

interface Link {
  id: string;
  secret: string;
  tunnel?: RelayTunnel;
  /** While the app is away: when its link is forgotten. */
  expiry?: NodeJS.Timeout;
}

const keyPattern = /^[\w.~-]{16,256}$/;

/**
 * Runs a relay on a machine with a public address. Apps behind NAT connect out to it
 * (`openTunnel`, `launch({ share })`) and each gets a link `<url>/s/<id>/` whose requests and
 * WebSockets travel through their tunnel.
 * @example
 * const relay = await startRelay({ port: 8080, publicUrl: "https://relay.example" });
 * // Relay listening on https://relay.example
 * // Apps share with: launch({ share: "https://relay.example/?key=..." })
 */
export async function startRelay(options: RelayOptions = {}): Promise<Relay> {
  const key = options.key ?? randomBytes(24).toString("base64url");
  if (!keyPattern.test(key)) throw new Error("A relay key must be 16 to 256 characters of A-Z, a-z, 0-9, '.', '_', '~' and '-'.");
  const keyDigest = digest(key);
  const host = options.host ?? "0.0.0.0";
  const resumeMs = options.resumeMs ?? 10 * 60_000;
  const maxApps = options.maxApps ?? 100;
  const heartbeatMs = options.heartbeatMs ?? defaultHeartbeatMs;
  const limits: RelayLimits = {
    maxBodyBytes: 10 * 1024 * 1024,
    maxPendingRequests: 64,
    maxStreams: 256,
    requestTimeoutMs: 30_000,
    ...options.limits,
    maxMessageBytes: Math.min(options.limits?.maxMessageBytes ?? 4 * 1024 * 1024, maxTunnelMessageBytes),
  };
  let publicBase: URL | undefined;
  if (options.publicUrl !== undefined) {
    try {
      publicBase = new URL(options.publicUrl);
    } catch {
      throw new Error(`publicUrl must be an http(s) URL, got "${options.publicUrl}".`);
    }
    if (!/^https?:$/.test(publicBase.protocol)) throw new Error(`publicUrl must be an http(s) URL, got "${options.publicUrl}".`);
  }
  const links = new Map<string, Link>();
  const prefixOf = (id: string) => `${(publicBase?.pathname ?? "/").replace(/\/$/, "")}/s/${id}`;
  const proto = publicBase?.protocol.slice(0, -1) ?? "http";

  const visitors = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, handleProtocols: (_offered, req) => acceptedProtocols.get(req) ?? false });
  const tunnels = new WebSocketServer({ noServer: true, maxPayload: maxTunnelFrameBytes });

  const http = createHttpServer((req, res) => {
    const target = routeOf(req.url ?? "/");
    if (target.kind === "other") return plain(res, target.path === "/" ? 200 : 404, target.path === "/" ? relayMessages.home : relayMessages.notFound);
    if (target.kind === "bad") return plain(res, 400, relayMessages.badPath);
    if (target.kind === "bare") {
      res.writeHead(308, { location: `${prefixOf(target.id)}/${target.search}`, "cache-control": "no-store" });
      return void res.end();
    }
    const link = links.get(target.id);
    if (!link) return plain(res, 404, relayMessages.unknownLink);
    if (!link.tunnel) return plain(res, 503, relayMessages.reconnecting);
    link.tunnel.request(req, res, target.path);
  });

  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const target = routeOf(req.url ?? "/");
    if (target.kind === "other" && target.path === "/tunnel") return acceptTunnel(req, socket, head);
    if (!isHandshake(req)) return rawResponse(socket, 400, "Not a WebSocket handshake.");
    if (target.kind === "other") return rawResponse(socket, 404, relayMessages.notFound);
    if (target.kind === "bad") return rawResponse(socket, 400, relayMessages.badPath);
    const link = links.get(target.id);
    if (!link) return rawResponse(socket, 404, relayMessages.unknownLink);
    if (!link.tunnel) return rawResponse(socket, 503, relayMessages.reconnecting);
    link.tunnel.upgrade(req, socket, head, target.kind === "bare" ? `/${target.search}` : target.path);
  });

  function acceptTunnel(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (presented === undefined || !timingSafeEqual(digest(presented), keyDigest)) return rawResponse(socket, 401, relayMessages.wrongKey);
    if (!isHandshake(req)) return rawResponse(socket, 400, "Not a WebSocket handshake.");
    tunnels.handleUpgrade(req, socket, head, (ws) => {
      let link: Link | undefined;
      let tunnel: RelayTunnel | undefined;
      const socket = new TunnelSocket<AppFrame>(
        ws,
        parseAppFrame,
        (frame) => {
          if (tunnel) {
            if (frame.type === "hello") return socket.close(1002, relayMessages.helloFirst);
            return tunnel.handle(frame);
          }
          if (frame.type !== "hello") return socket.close(1002, relayMessages.helloFirst);
          clearTimeout(helloTimer);
          let resumed = frame.id === undefined ? undefined : links.get(frame.id);
          if (resumed && !(frame.secret !== undefined && timingSafeEqual(digest(frame.secret), digest(resumed.secret)))) resumed = undefined;
          if (!resumed && !makeRoom()) {
            socket.send({ type: "refused", message: relayMessages.full });
            return socket.close(1013, relayMessages.full);
          }
          link = resumed ?? newLink();
          clearTimeout(link.expiry);
          const previous = link.tunnel;
          tunnel = new RelayTunnel(socket, prefixOf(link.id), proto, limits, visitors);
          link.tunnel = tunnel;
          if (previous) {
            previous.drop();
            previous.socket.close(4000, relayMessages.replaced);
          }
          socket.send({ type: "registered", id: link.id, secret: link.secret, url: `${relayUrl}/s/${link.id}/`, resumed: resumed !== undefined });
        },
        heartbeatMs,
      );
      const helloTimer = setTimeout(() => socket.close(1008, relayMessages.noHello), options.helloTimeoutMs ?? 10_000);
      ws.on("error", () => undefined); // "close" follows
      ws.on("close", (code) => {
        clearTimeout(helloTimer);
        if (!link || !tunnel || link.tunnel !== tunnel) return;
        tunnel.drop();
        link.tunnel = undefined;
        const gone = link;
        // An app that said goodbye (1000) stopped on purpose: its link goes at once.
        if (code === 1000) links.delete(gone.id);
        else gone.expiry = setTimeout(() => links.delete(gone.id), resumeMs).unref();
      });
    });
  }

  function newLink(): Link {
    const link = { id: randomBytes(16).toString("base64url"), secret: randomBytes(24).toString("base64url") };
    links.set(link.id, link);
    return link;
  }

  /** Room for one more app: evicts the app away the longest if the relay is full. */
  function makeRoom(): boolean {
    if (links.size < maxApps) return true;
    for (const [id, link] of links) {
      if (link.tunnel) continue;
      clearTimeout(link.expiry);
      links.delete(id);
      return true;
    }
    return false;
  }

  const port = await listen(http, host, options.port ?? 8080, 1);
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const relayUrl = (publicBase?.href ?? `http://${shown}:${port}`).replace(/\/$/, "");
  if (!options.quiet) {
    console.log(`Relay listening on ${relayUrl}`);
    console.log(`Apps share with: launch({ share: "${relayUrl}/?key=${key}" })`);
    if (!publicBase && shown !== host) console.log("Visitors need this machine's public address: pass it as publicUrl (dais relay --public-url https://...).");
  }

  const close = async () => {
    for (const link of links.values()) {
      clearTimeout(link.expiry);
      link.tunnel?.drop();
      link.tunnel?.socket.close(1001, relayMessages.relayClosing);
    }
    links.clear();
    for (const ws of visitors.clients) closeWebSocket(ws, 1001, relayMessages.relayClosing);
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeAllConnections();
    setTimeout(() => {
      for (const ws of [...visitors.clients, ...tunnels.clients]) ws.terminate();
    }, 500).unref();
    visitors.close();
    tunnels.close();
    await closed;
  };
  return { url: relayUrl, key, close };
}

type Route = { kind: "app"; id: string; path: string } | { kind: "bare"; id: string; search: string } | { kind: "other"; path: string } | { kind: "bad" };

/** `/s/<id>/rest` is app `<id>`'s `/rest`; `/s/<id>` alone redirects to `/s/<id>/`. */
function routeOf(url: string): Route {
  const match = /^\/s\/([\w-]{1,64})(.*)$/s.exec(url);
  if (!match) return { kind: "other", path: url.replace(/[?#].*$/s, "") };
  const [, id, rest] = match as unknown as [string, string, string];
  if (rest === "" || rest.startsWith("?")) return { kind: "bare", id, search: rest };
  if (!rest.startsWith("/")) return { kind: "other", path: url };
  // `/\\host`, `//host`, `%2f`, `..`: refused here, and again on the app's side.
  const path = safeTunnelPath(rest);
  return path === undefined ? { kind: "bad" } : { kind: "app", id, path };
}

function isHandshake(req: IncomingMessage): boolean {
  return (
    req.method === "GET" &&
    String(req.headers.upgrade).toLowerCase() === "websocket" &&
    /^[+/0-9A-Za-z]{22}==$/.test(String(req.headers["sec-websocket-key"])) &&
    ["8", "13"].includes(String(req.headers["sec-websocket-version"]))
  );
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
