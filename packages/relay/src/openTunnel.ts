import { WebSocket } from "ws";
import { TargetForwarder } from "./TargetForwarder.ts";
import { TunnelError } from "./TunnelError.ts";
import { maxTunnelFrameBytes, parseRelayFrame, type RelayFrame } from "./tunnelProtocol.ts";
import { defaultHeartbeatMs, TunnelSocket } from "./TunnelSocket.ts";

export interface TunnelOptions {
  /** The link the relay printed, key included: `https://relay.example/?key=...`. */
  relay: string;
  /** The app's local address, e.g. `http://127.0.0.1:7860/`. */
  target: string;
  /** Told when the tunnel drops, comes back (maybe with a new link) or gives up. */
  onStatus?: (status: TunnelStatus) => void;
  /** How long to wait for the relay to answer. Default 10 s. */
  connectTimeoutMs?: number;
  /** Delays between reconnection attempts: doubling from `firstMs` up to `maxMs`. Default 0.5 s to 30 s. */
  retry?: { firstMs?: number; maxMs?: number };
  heartbeatMs?: number;
}

export type TunnelStatus =
  /** Carrying again; `resumed` false means the relay had forgotten the app and `url` is new. */
  | { state: "connected"; url: string; resumed: boolean }
  /** The tunnel dropped; attempt `attempt` starts in `inMs`. */
  | { state: "reconnecting"; reason: string; attempt: number; inMs: number }
  /** The relay will not take the app back (its key changed, say): no more attempts. */
  | { state: "stopped"; reason: string };

export interface Tunnel {
  /** The public link, e.g. `https://relay.example/s/<id>/`. */
  readonly url: string;
  /** Ends the tunnel; the relay forgets the link at once. */
  close(): Promise<void>;
}

interface Connection {
  socket: TunnelSocket<RelayFrame>;
  forwarder: TargetForwarder;
  registered: Extract<RelayFrame, { type: "registered" }>;
}

/**
 * Connects out to a relay and carries the visitors of the link it gives to `target`. Rejects
 * with a TunnelError saying why in one line when the relay cannot be reached or refuses; once
 * open, reconnects with backoff whenever the tunnel drops and gets the same link back.
 * @example
 * const tunnel = await openTunnel({ relay: "https://relay.example/?key=...", target: "http://127.0.0.1:7860/" });
 * console.log(tunnel.url); // https://relay.example/s/3q2-7wAAAAAAAAAAAAAAAA/
 */
export async function openTunnel(options: TunnelOptions): Promise<Tunnel> {
  const { endpoint, key } = parseRelayLink(options.relay);
  let target: URL;
  try {
    target = new URL(options.target);
  } catch {
    throw new TunnelError("bad_link", `the app's address "${options.target}" is not a URL`);
  }
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const heartbeatMs = options.heartbeatMs ?? defaultHeartbeatMs;
  const firstMs = options.retry?.firstMs ?? 500;
  const maxMs = options.retry?.maxMs ?? 30_000;
  const attempt = (resume?: { id: string; secret: string }) => connect(endpoint, key, target, resume, timeoutMs, heartbeatMs);

  let current = await attempt();
  let url = current.registered.url;
  let closing = false;
  let attempts = 0;
  let timer: NodeJS.Timeout | undefined;

  const watch = (c: Connection) =>
    c.socket.ws.once("close", (code, reason) => {
      c.forwarder.abortAll();
      if (closing) return;
      if (code === 4000) return options.onStatus?.({ state: "stopped", reason: reason.toString() || "another connection took over this link" });
      retry(code === 1006 ? "the connection to the relay was lost" : reason.toString() || `the relay closed the tunnel (${code})`);
    });
  const retry = (reason: string) => {
    attempts++;
    const inMs = Math.round(Math.min(maxMs, firstMs * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4));
    options.onStatus?.({ state: "reconnecting", reason, attempt: attempts, inMs });
    timer = setTimeout(() => {
      attempt({ id: current.registered.id, secret: current.registered.secret }).then(
        (c) => {
          if (closing) return c.socket.close(1000, "app closed");
          current = c;
          url = c.registered.url;
          attempts = 0;
          watch(c);
          options.onStatus?.({ state: "connected", url, resumed: c.registered.resumed });
        },
        (e: TunnelError) => {
          if (closing) return;
          if (e.code === "wrong_key") options.onStatus?.({ state: "stopped", reason: e.message });
          else retry(e.message);
        },
      );
    }, inMs);
  };
  watch(current);

  return {
    get url() {
      return url;
    },
    async close() {
      if (closing) return;
      closing = true;
      clearTimeout(timer);
      current.forwarder.abortAll();
      const ws = current.socket.ws;
      if (ws.readyState === WebSocket.CLOSED) return;
      const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
      current.socket.close(1000, "app closed");
      const force = setTimeout(() => ws.terminate(), 1000);
      await closed;
      clearTimeout(force);
    },
  };
}

/** The tunnel's WebSocket address and the key, from the link the relay printed. */
function parseRelayLink(relay: string): { endpoint: URL; key: string } {
  let url: URL;
  try {
    url = new URL(relay);
  } catch {
    throw new TunnelError("bad_link", `"${relay}" is not a URL; use the link the relay printed, like https://relay.example/?key=...`);
  }
  if (!/^(http|ws)s?:$/.test(url.protocol)) throw new TunnelError("bad_link", "the relay link must start with https:// or http://");
  const key = url.searchParams.get("key");
  if (!key) throw new TunnelError("bad_link", "the relay link has no key; use the link the relay printed, ending in /?key=...");
  const endpoint = new URL(url);
  endpoint.protocol = /s:$/.test(url.protocol) ? "wss:" : "ws:";
  endpoint.search = "";
  endpoint.hash = "";
  endpoint.pathname = `${endpoint.pathname.replace(/\/$/, "")}/tunnel`;
  return { endpoint, key };
}

/** One attempt: connect, say hello (to get `resume`'s link back), wait to be registered. */
function connect(endpoint: URL, key: string, target: URL, resume: { id: string; secret: string } | undefined, timeoutMs: number, heartbeatMs: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(endpoint, { headers: { authorization: `Bearer ${key}` }, perMessageDeflate: false, maxPayload: maxTunnelFrameBytes });
    let settled = false;
    const fail = (code: TunnelError["code"], why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.terminate();
      reject(new TunnelError(code, why));
    };
    const timer = setTimeout(() => fail("unreachable", `the relay did not answer within ${timeoutMs / 1000} s`), timeoutMs);
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body = (body + chunk).slice(0, 300)));
      res.on("error", () => undefined);
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        const said = body.trim().split("\n")[0]?.replace(/\.$/, "") ?? "";
        if (status === 401) fail("wrong_key", "wrong key: the relay refused it (use the link the relay printed, ending in /?key=...)");
        else if (status === 404) fail("refused", `no Dais relay answers at ${endpoint.host} (404)`);
        else fail("refused", `the relay answered ${status}${said ? ` (${said})` : ""}`);
      });
    });
    ws.on("error", (e: NodeJS.ErrnoException) => fail("unreachable", describe(e, endpoint, timeoutMs)));
    ws.on("close", (code, reason) => fail("refused", `the relay closed the tunnel${reason.length ? `: ${reason.toString().replace(/\.$/, "")}` : ` (${code})`}`));
    const socket = new TunnelSocket<RelayFrame>(
      ws,
      parseRelayFrame,
      (frame) => {
        if (frame.type === "registered") {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          return resolve({ socket, forwarder, registered: frame });
        }
        if (frame.type === "refused") return fail("refused", `the relay refused the app: ${frame.message.replace(/\.$/, "")}`);
        if (settled) forwarder.handle(frame);
      },
      heartbeatMs,
    );
    const forwarder = new TargetForwarder(socket, target);
    ws.on("open", () => socket.send({ type: "hello", version: 1, ...resume }));
  });
}

/** A network error as the end of "Could not share through <relay>: ...". */
function describe(e: NodeJS.ErrnoException, endpoint: URL, timeoutMs: number): string {
  const code = e.code ?? "";
  if (code === "ECONNREFUSED") return `the relay is unreachable: nothing answers at ${endpoint.host}`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `the relay is unreachable: host ${endpoint.hostname} not found`;
  if (code === "ETIMEDOUT" || code === "ENETUNREACH" || code === "EHOSTUNREACH") return `the relay is unreachable: ${endpoint.host} did not answer within ${timeoutMs / 1000} s`;
  if (code === "ECONNRESET" || code === "EPIPE") return `the relay closed the connection before the tunnel opened`;
  if (/CERT|TLS|SSL/.test(code)) return `the relay's certificate is not trusted (${code})`;
  return `the relay is unreachable: ${e.message.replace(/\.$/, "")}`;
}
