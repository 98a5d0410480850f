import { type IncomingMessage, request, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";

/** Where a proxied request goes: a local server. */
export interface ProxyTarget {
  host: string;
  port: number;
}

/**
 * Forwards one HTTP request to `target` and streams the answer back (status, headers, body).
 * `path` is the path to ask the target for (by default the request's own).
 */
export function proxyRequest(req: IncomingMessage, res: ServerResponse, target: ProxyTarget, path = req.url ?? "/"): void {
  const upstream = request({ host: target.host, port: target.port, method: req.method, path, headers: { ...req.headers, "x-forwarded-host": req.headers.host ?? "" } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", (e) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end(`Bad gateway: ${e.message}`);
  });
  req.pipe(upstream);
}

/**
 * Forwards a WebSocket upgrade to `target`: the request is replayed on a new TCP connection,
 * then bytes flow both ways untouched.
 */
export function proxyUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, target: ProxyTarget, path = req.url ?? "/"): void {
  const upstream = connect(target.port, target.host, () => {
    const headers = Object.entries({ ...req.headers, "x-forwarded-host": req.headers.host ?? "" })
      .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}: ${x}`) : v === undefined ? [] : [`${k}: ${v}`]))
      .join("\r\n");
    upstream.write(`${req.method} ${path} HTTP/1.1\r\n${headers}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  const end = () => {
    upstream.destroy();
    socket.destroy();
  };
  upstream.on("error", end);
  socket.on("error", end);
  upstream.on("close", end);
  socket.on("close", end);
}
