import { safeTunnelPath } from "./safeTunnelPath.ts";
import { type ClientRequest, type IncomingMessage, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { WebSocket } from "ws";
import { Inflow, Outflow } from "./flowControl.ts";
import { withoutHopByHop } from "./hopByHop.ts";
import { closeWebSocket, sendableCode } from "./closeWebSocket.ts";
import { type Headers, maxTunnelMessageBytes, type RelayFrame } from "./tunnelProtocol.ts";
import type { TunnelSocket } from "./TunnelSocket.ts";

type HttpStream = { kind: "http"; req: ClientRequest; res?: IncomingMessage; out?: Outflow; in: Inflow };
type WsStream = { kind: "ws"; ws: WebSocket; out: Outflow; in: Inflow; refusal?: IncomingMessage; closing?: boolean };
type Stream = HttpStream | WsStream;

/** Streams one app serves at once through its tunnel; the relay bounds this too, this guards the app. */
const maxStreams = 1024;

/**
 * The app's side of the tunnel: each request the relay carries is made to the app's own local
 * server (`target`), each WebSocket opened on it, and the answers streamed back.
 */
export class TargetForwarder {
  private readonly streams = new Map<number, Stream>();
  private readonly base: string;

  constructor(
    private readonly socket: TunnelSocket<RelayFrame>,
    private readonly target: URL,
  ) {
    this.base = target.pathname.replace(/\/$/, "");
  }

  handle(frame: Exclude<RelayFrame, { type: "registered" | "refused" }>): void {
    if (frame.type === "request" || frame.type === "open") {
      if (this.streams.has(frame.stream) || this.streams.size >= maxStreams) return this.socket.send({ type: "reset", stream: frame.stream, reason: "too many streams" });
      // The relay is another machine: a path that could leave the app's origin is refused here too.
      if (safeTunnelPath(frame.path) === undefined) return this.socket.send({ type: "reset", stream: frame.stream, reason: "bad path" });
      return frame.type === "request" ? this.request(frame) : this.open(frame);
    }
    const stream = this.streams.get(frame.stream);
    if (!stream) return;
    switch (frame.type) {
      case "data":
        if (stream.kind !== "http") return this.reset(frame.stream);
        stream.req.write(frame.chunk);
        if (!stream.in.update(stream.req.writableLength)) this.reset(frame.stream);
        return;
      case "end":
        if (stream.kind === "http") stream.req.end();
        else this.reset(frame.stream);
        return;
      case "message": {
        if (stream.kind !== "ws" || stream.ws.readyState !== WebSocket.OPEN) return this.reset(frame.stream);
        const { ws, in: inflow } = stream;
        ws.send(frame.data, { binary: frame.binary }, () => {
          if (!inflow.update(ws.bufferedAmount)) this.reset(frame.stream);
        });
        if (!inflow.update(ws.bufferedAmount)) this.reset(frame.stream);
        return;
      }
      case "close":
        if (stream.kind !== "ws") return this.reset(frame.stream);
        stream.closing = true;
        closeWebSocket(stream.ws, frame.code, frame.reason);
        return;
      case "reset":
        this.abort(frame.stream);
        return;
      case "pause":
      case "resume":
        stream.out?.setRemotePaused(frame.type === "pause");
        return;
    }
  }

  /** The tunnel is gone: every request and WebSocket it carried ends. */
  abortAll(): void {
    for (const id of [...this.streams.keys()]) this.abort(id);
  }

  private request(frame: Extract<RelayFrame, { type: "request" }>): void {
    const id = frame.stream;
    const send = this.target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send({
      hostname: this.target.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: this.target.port,
      method: frame.method,
      path: this.base + frame.path,
      headers: { ...frame.headers, host: this.target.host },
    });
    const stream: HttpStream = { kind: "http", req, in: new Inflow((paused) => this.socket.send({ type: paused ? "pause" : "resume", stream: id })) };
    this.streams.set(id, stream);
    req.on("drain", () => stream.in.update(req.writableLength));
    req.on("response", (res) => {
      if (this.streams.get(id) !== stream) return void res.destroy();
      stream.res = res;
      const out = new Outflow(res);
      stream.out = out;
      this.socket.send({ type: "response", stream: id, status: res.statusCode ?? 502, headers: this.fromTarget(res.headers) });
      res.on("data", (chunk: Buffer) => this.socket.send({ type: "data", stream: id, chunk }, out.track(chunk.length)));
      res.on("end", () => {
        if (this.streams.get(id) !== stream) return;
        this.streams.delete(id);
        this.socket.send({ type: "end", stream: id });
      });
      res.on("error", () => this.reset(id));
      res.on("close", () => {
        // The app's server hung up in the middle of its answer.
        if (!res.complete) this.reset(id);
      });
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (this.streams.get(id) !== stream) return;
      if (stream.res) return this.reset(id);
      this.streams.delete(id);
      // The visitor learns the app is not answering; what the error was is for the app's owner.
      this.socket.send({ type: "response", stream: id, status: 502, headers: { "content-type": "text/plain; charset=utf-8" } });
      this.socket.send({ type: "data", stream: id, chunk: Buffer.from(`The app is not answering (${e.code ?? "error"}).\n`) });
      this.socket.send({ type: "end", stream: id });
    });
  }

  private open(frame: Extract<RelayFrame, { type: "open" }>): void {
    const id = frame.stream;
    // The app's fixed origin plus a path: never URL resolution, which reads `/\\host` or
    // `//host` as another host.
    const url = new URL(this.target.origin);
    url.protocol = this.target.protocol === "https:" ? "wss:" : "ws:";
    const q = frame.path.indexOf("?");
    url.pathname = this.base + (q < 0 ? frame.path : frame.path.slice(0, q));
    url.search = q < 0 ? "" : frame.path.slice(q);
    const ws = new WebSocket(url, frame.protocols, { headers: frame.headers, perMessageDeflate: false, maxPayload: maxTunnelMessageBytes });
    const out = new Outflow(ws);
    const stream: WsStream = { kind: "ws", ws, out, in: new Inflow((paused) => this.socket.send({ type: paused ? "pause" : "resume", stream: id })) };
    this.streams.set(id, stream);
    ws.on("open", () => this.socket.send({ type: "accepted", stream: id, ...(ws.protocol ? { protocol: ws.protocol } : {}) }));
    ws.on("unexpected-response", (_req, res) => {
      // The app refused the WebSocket (403 for a foreign Origin, say): the visitor gets its answer.
      stream.refusal = res;
      this.socket.send({ type: "response", stream: id, status: res.statusCode ?? 502, headers: this.fromTarget(res.headers) });
      res.on("data", (chunk: Buffer) => this.socket.send({ type: "data", stream: id, chunk }));
      res.on("end", () => {
        if (this.streams.get(id) !== stream) return;
        this.streams.delete(id);
        this.socket.send({ type: "end", stream: id });
      });
    });
    ws.on("message", (data: Buffer, isBinary) => this.socket.send({ type: "message", stream: id, data, binary: isBinary }, out.track(data.length)));
    ws.on("error", () => undefined); // "close" follows
    ws.on("close", (code, reason) => {
      if (this.streams.get(id) !== stream || stream.refusal) return;
      this.streams.delete(id);
      if (stream.closing) return;
      if (code === 1006) this.socket.send({ type: "reset", stream: id, reason: "the app's WebSocket was lost" });
      else this.socket.send({ type: "close", stream: id, ...(sendableCode(code) ? { code } : {}), reason: reason.toString() });
    });
  }

  /** Ends a stream here and tells the relay. */
  private reset(id: number): void {
    if (!this.streams.has(id)) return;
    this.abort(id);
    this.socket.send({ type: "reset", stream: id, reason: "the app dropped it" });
  }

  private abort(id: number): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    this.streams.delete(id);
    if (stream.kind === "http") {
      stream.req.destroy();
      stream.res?.destroy();
    } else {
      stream.refusal?.destroy();
      stream.ws.terminate();
    }
  }

  /** The app's answer headers, with redirects to its own address made relative to it. */
  private fromTarget(headers: IncomingMessage["headers"]): Headers {
    const out = withoutHopByHop(headers);
    const location = out.location;
    if (typeof location === "string") {
      const own = this.target.origin + this.base;
      if (location === own) out.location = "/";
      else if (location.startsWith(`${own}/`)) out.location = location.slice(own.length);
      else if (this.base && location.startsWith(`${this.base}/`)) out.location = location.slice(this.base.length);
    }
    return out;
  }
}
