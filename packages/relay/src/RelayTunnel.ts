import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer } from "ws";
import { closeWebSocket, sendableCode } from "./closeWebSocket.ts";
import { Inflow, Outflow } from "./flowControl.ts";
import { withoutHopByHop } from "./hopByHop.ts";
import { relayMessages } from "./relayMessages.ts";
import { type AppFrame, type Headers, parseRelayFrame, type RelayFrame } from "./tunnelProtocol.ts";
import type { TunnelSocket } from "./TunnelSocket.ts";

export interface RelayLimits {
  /** Largest request body a visitor may send, in bytes (413 beyond). */
  maxBodyBytes: number;
  /** Largest WebSocket message a visitor may send, in bytes (closed with 1009 beyond). */
  maxMessageBytes: number;
  /** Requests of one app waiting for their answer to start (503 beyond). */
  maxPendingRequests: number;
  /** Requests and WebSockets one app carries at once (503 beyond). */
  maxStreams: number;
  /** How long the app has to start answering a request or accept a WebSocket (504 after). */
  requestTimeoutMs: number;
}

/** The subprotocol each visitor's WebSocket gets: what the app's own WebSocket accepted. */
export const acceptedProtocols = new WeakMap<IncomingMessage, string>();

type HttpStream = { kind: "http"; res: ServerResponse; out: Outflow; in: Inflow; timer?: NodeJS.Timeout; answered: boolean };
type WsStream = {
  kind: "ws";
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  timer?: NodeJS.Timeout;
  phase: "opening" | "refused" | "open";
  ws?: WebSocket;
  out?: Outflow;
  in?: Inflow;
  /** The app closed it: the visitor's close is not sent back. */
  closing?: boolean;
};
type Stream = HttpStream | WsStream;

/**
 * The relay's side of one app's tunnel: it carries visitors' requests and WebSockets as
 * streams to the app and the app's answers back. Bounded by `limits`; an app that does not
 * answer in time gets its visitor a 504.
 */
export class RelayTunnel {
  private readonly streams = new Map<number, Stream>();
  private nextStream = 1;
  private pending = 0;

  constructor(
    readonly socket: TunnelSocket<AppFrame>,
    /** The path visitors reach the app under, e.g. `/s/<id>`. */
    private readonly prefix: string,
    private readonly proto: string,
    private readonly limits: RelayLimits,
    private readonly visitors: WebSocketServer,
  ) {}

  /** Carries a visitor's request to the app; `path` is the part after the app's prefix. */
  request(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (this.pending >= this.limits.maxPendingRequests || this.streams.size >= this.limits.maxStreams) return plain(res, 503, relayMessages.busy);
    if (Number(req.headers["content-length"] ?? 0) > this.limits.maxBodyBytes) return plain(res, 413, relayMessages.tooLarge, true);
    const id = this.newStreamId();
    const head: RelayFrame = { type: "request", stream: id, method: req.method ?? "GET", path, headers: this.forwarded(req, false) };
    if (!followsProtocol(head)) return plain(res, 400, relayMessages.badRequest);
    const stream: HttpStream = {
      kind: "http",
      res,
      answered: false,
      out: new Outflow(req),
      in: new Inflow((paused) => this.socket.send({ type: paused ? "pause" : "resume", stream: id })),
    };
    this.streams.set(id, stream);
    this.pending++;
    res.on("drain", () => stream.in.update(res.writableLength));
    stream.timer = setTimeout(() => this.fail(id, 504, relayMessages.timeout), this.limits.requestTimeoutMs);
    this.socket.send(head);
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      if (this.streams.get(id) !== stream) return;
      received += chunk.length;
      if (received > this.limits.maxBodyBytes) return this.fail(id, 413, relayMessages.tooLarge);
      this.socket.send({ type: "data", stream: id, chunk }, stream.out.track(chunk.length));
    });
    req.on("end", () => {
      if (this.streams.get(id) === stream) this.socket.send({ type: "end", stream: id });
    });
    res.on("close", () => {
      // The visitor went away before the answer was complete.
      if (this.streams.get(id) !== stream) return;
      this.forget(id);
      this.socket.send({ type: "reset", stream: id, reason: "visitor left" });
    });
  }

  /** Carries a visitor's WebSocket to the app; `path` is the part after the app's prefix. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string): void {
    if (this.streams.size >= this.limits.maxStreams) return rawResponse(socket, 503, relayMessages.busy);
    const id = this.newStreamId();
    const protocols = String(req.headers["sec-websocket-protocol"] ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    const open: RelayFrame = { type: "open", stream: id, path, headers: this.forwarded(req, true), protocols };
    if (!followsProtocol(open)) return rawResponse(socket, 400, relayMessages.badRequest);
    const stream: WsStream = { kind: "ws", req, socket, head, phase: "opening" };
    this.streams.set(id, stream);
    stream.timer = setTimeout(() => this.fail(id, 504, relayMessages.timeout), this.limits.requestTimeoutMs);
    socket.on("close", () => {
      if (this.streams.get(id) !== stream || stream.phase === "open") return;
      this.forget(id);
      this.socket.send({ type: "reset", stream: id, reason: "visitor left" });
    });
    this.socket.send(open);
  }

  /** A frame from the app about one of its streams. */
  handle(frame: Exclude<AppFrame, { type: "hello" }>): void {
    const stream = this.streams.get(frame.stream);
    if (!stream) return; // already over on this side (timed out, visitor left)
    const id = frame.stream;
    switch (frame.type) {
      case "response":
        if (stream.kind === "http" && !stream.answered) {
          clearTimeout(stream.timer);
          stream.answered = true;
          this.pending--;
          stream.res.writeHead(frame.status, this.rewrite(frame.headers));
        } else if (stream.kind === "ws" && stream.phase === "opening") {
          // The app refused the WebSocket (403 for a foreign Origin, say): pass its answer on.
          clearTimeout(stream.timer);
          stream.phase = "refused";
          const head = Object.entries(this.rewrite(frame.headers)).flatMap(([n, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${n}: ${x}\r\n`));
          stream.socket.write(`HTTP/1.1 ${frame.status} ${STATUS_CODES[frame.status] ?? ""}\r\n${head.join("")}connection: close\r\n\r\n`);
        } else this.fail(id, 502, relayMessages.appGone);
        return;
      case "data":
        if (stream.kind === "http" && stream.answered) {
          stream.res.write(frame.chunk);
          if (!stream.in.update(stream.res.writableLength)) this.fail(id, 502, relayMessages.appGone);
        } else if (stream.kind === "ws" && stream.phase === "refused") stream.socket.write(frame.chunk);
        else this.fail(id, 502, relayMessages.appGone);
        return;
      case "end":
        if (stream.kind === "http" && stream.answered) {
          this.forget(id);
          stream.res.end();
        } else if (stream.kind === "ws" && stream.phase === "refused") {
          this.forget(id);
          stream.socket.end();
        } else this.fail(id, 502, relayMessages.appGone);
        return;
      case "accepted":
        if (stream.kind === "ws" && stream.phase === "opening") this.accept(id, stream, frame.protocol);
        else this.fail(id, 502, relayMessages.appGone);
        return;
      case "message": {
        const ws = stream.kind === "ws" ? stream.ws : undefined;
        if (!ws || !stream.in) return this.fail(id, 502, relayMessages.appGone);
        const inflow = stream.in;
        ws.send(frame.data, { binary: frame.binary }, () => {
          if (!inflow.update(ws.bufferedAmount)) this.fail(id, 502, relayMessages.appGone);
        });
        if (!inflow.update(ws.bufferedAmount)) this.fail(id, 502, relayMessages.appGone);
        return;
      }
      case "close":
        if (stream.kind === "ws" && stream.ws) {
          stream.closing = true;
          closeWebSocket(stream.ws, frame.code, frame.reason);
        } else this.fail(id, 502, relayMessages.appGone);
        return;
      case "reset":
        this.fail(id, 502, relayMessages.appGone, false);
        return;
      case "pause":
      case "resume":
        stream.out?.setRemotePaused(frame.type === "pause");
        return;
    }
  }

  private newStreamId(): number {
    const id = this.nextStream;
    this.nextStream = id >= 0xffffffff ? 1 : id + 1;
    return id;
  }

  /** The tunnel is gone: every visitor still waiting gets a 502, open WebSockets close. */
  drop(): void {
    for (const id of [...this.streams.keys()]) this.fail(id, 502, relayMessages.appGone, false, 1001);
  }

  private accept(id: number, stream: WsStream, protocol: string | undefined): void {
    clearTimeout(stream.timer);
    stream.phase = "open";
    if (protocol) acceptedProtocols.set(stream.req, protocol);
    this.visitors.handleUpgrade(stream.req, stream.socket, stream.head, (ws) => {
      stream.ws = ws;
      const out = new Outflow(ws);
      stream.out = out;
      stream.in = new Inflow((paused) => this.socket.send({ type: paused ? "pause" : "resume", stream: id }));
      ws.on("message", (data: Buffer, isBinary) => this.socket.send({ type: "message", stream: id, data, binary: isBinary }, out.track(data.length)));
      ws.on("error", () => undefined); // "close" follows
      ws.on("close", (code, reason) => {
        if (this.streams.get(id) !== stream) return;
        this.forget(id);
        if (stream.closing) return;
        if (code === 1006) this.socket.send({ type: "reset", stream: id, reason: "visitor lost" });
        else this.socket.send({ type: "close", stream: id, ...(sendableCode(code) ? { code } : {}), reason: reason.toString() });
      });
    });
    // handleUpgrade answers at once, or not at all when the visitor already hung up.
    if (!stream.ws) this.fail(id, 502, relayMessages.appGone);
  }

  /**
   * Ends a stream on this side: a visitor still waiting gets `status`, an open WebSocket closes
   * with `closeCode`; the app is told unless it ended the stream itself.
   */
  private fail(id: number, status: number, message: string, tellApp = true, closeCode = 1011): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    this.forget(id);
    if (tellApp) this.socket.send({ type: "reset", stream: id, reason: message });
    if (stream.kind === "http") {
      if (!stream.answered && !stream.res.headersSent) plain(stream.res, status, message, status === 413);
      else stream.res.destroy();
    } else if (stream.phase === "opening") rawResponse(stream.socket, status, message);
    else if (stream.phase === "refused") stream.socket.destroy();
    else if (stream.ws) closeWebSocket(stream.ws, closeCode, message);
  }

  private forget(id: number): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    this.streams.delete(id);
    clearTimeout(stream.timer);
    if (stream.kind === "http" && !stream.answered) this.pending--;
  }

  /** The visitor's headers as the app should see them: end-to-end ones, and where they came from. */
  private forwarded(req: IncomingMessage, webSocket: boolean): Headers {
    const headers = withoutHopByHop(req.headers, webSocket);
    delete headers.host;
    // Set, never appended to: what a visitor wrote in X-Forwarded-For is theirs to invent, and
    // the app (which trusts this relay) would take it as their address.
    headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
    headers["x-forwarded-host"] = req.headers.host ?? "";
    headers["x-forwarded-proto"] = this.proto;
    headers["x-forwarded-prefix"] = this.prefix;
    return headers;
  }

  /** The app's answer headers, with its own paths (redirects, cookies) moved under its prefix. */
  private rewrite(headers: Headers): Headers {
    const out = withoutHopByHop(headers);
    const location = out.location;
    if (typeof location === "string" && location.startsWith("/") && !location.startsWith("//")) out.location = this.prefix + location;
    const cookies = out["set-cookie"];
    if (cookies !== undefined)
      out["set-cookie"] = (Array.isArray(cookies) ? cookies : [cookies]).map((c) => c.replace(/;\s*path=(\/[^;]*)/i, (_m, p: string) => `; Path=${this.prefix}${p}`));
    return out;
  }
}

/**
 * Whether the app will accept this frame. A visitor's request that Node took but the protocol
 * does not (an odd header, say) gets a 400 here rather than break the app's whole tunnel.
 */
function followsProtocol(frame: RelayFrame): boolean {
  try {
    parseRelayFrame(Buffer.from(JSON.stringify(frame)), false);
    return true;
  } catch {
    return false;
  }
}

/** A short plain-text answer. */
export function plain(res: ServerResponse, status: number, message: string, closeAfter = false): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
    ...(closeAfter ? { connection: "close" } : {}),
    ...(status === 503 ? { "retry-after": "5" } : {}),
  });
  res.end(`${message}\n`);
}

/** A short plain-text answer on a socket that asked to upgrade. */
export function rawResponse(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
