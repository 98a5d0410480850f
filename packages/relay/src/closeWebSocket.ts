import type { WebSocket } from "ws";

/** Close codes an endpoint may send (1005, 1006 and 1015 only ever describe a close). */
export function sendableCode(code: number | undefined): code is number {
  return code !== undefined && ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999));
}

/**
 * Closes a WebSocket with the code and reason the other side of the tunnel saw; a code that
 * cannot be sent (none, 1006) closes it without one, and a reason is cut to the 123 bytes a
 * close frame holds.
 */
export function closeWebSocket(ws: WebSocket, code: number | undefined, reason = ""): void {
  let cut = reason;
  while (Buffer.byteLength(cut) > 123) cut = cut.slice(0, -1);
  if (ws.readyState === ws.CONNECTING) return ws.terminate();
  if (sendableCode(code)) ws.close(code, cut);
  else ws.close();
}
