import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import type { Headers } from "./tunnelProtocol.ts";

/** Headers about one connection, not the message: a proxy never passes them on (RFC 9110 7.6.1). */
const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"]);

/** Headers the WebSocket handshake of each hop makes for itself. */
const handshake = new Set(["sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-accept", "sec-websocket-protocol"]);

/**
 * The end-to-end headers of a message: hop-by-hop ones dropped, and the ones its `Connection`
 * header names; with `webSocket`, the handshake's own headers too.
 */
export function withoutHopByHop(headers: IncomingHttpHeaders | OutgoingHttpHeaders | Headers, webSocket = false): Headers {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((n) => n.trim().toLowerCase())
      .filter(Boolean),
  );
  const kept: Headers = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || hopByHop.has(lower) || named.has(lower) || (webSocket && handshake.has(lower))) continue;
    kept[lower] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return kept;
}
