import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

/**
 * Whom to believe about where a request came from. `false`: nobody, the connection is the
 * visitor. `true`: the proxy in front (nginx, Caddy, a `dais relay`) sets X-Forwarded-For,
 * -Host and -Proto. `"loopback"`: only a proxy on this machine does (the relay tunnel's side).
 */
export type TrustProxy = boolean | "loopback";

/** Where a request came from: the visitor's address, and the host and scheme they used. */
export interface Visitor {
  address: string;
  host: string | undefined;
  proto: "http" | "https";
}

/**
 * The visitor behind a request. Forwarded headers are read only when `trust` says so: anyone
 * can write them, so a visitor who sets `X-Forwarded-For` on each guess would otherwise get a
 * fresh login budget each time. Of a list, the last entry is the one the trusted proxy added.
 * @example visitorOf(req, "loopback").address // "203.0.113.7" behind the relay
 */
export function visitorOf(req: IncomingMessage, trust: TrustProxy = false): Visitor {
  const direct = req.socket.remoteAddress ?? "";
  const own: Visitor = { address: direct, host: req.headers.host, proto: (req.socket as TLSSocket).encrypted ? "https" : "http" };
  if (!(trust === true || (trust === "loopback" && isLoopback(direct)))) return own;
  const forwardedProto = last(req.headers["x-forwarded-proto"]);
  return {
    address: last(req.headers["x-forwarded-for"]) ?? own.address,
    host: last(req.headers["x-forwarded-host"]) ?? own.host,
    proto: forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : own.proto,
  };
}

export function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.") || address === "localhost";
}

function last(header: string | string[] | undefined): string | undefined {
  const entries = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((s) => s.trim()).filter(Boolean);
  return entries.at(-1);
}
