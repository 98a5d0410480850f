import { validateHeaderName, validateHeaderValue } from "node:http";
import { sendableCode } from "./closeWebSocket.ts";

/**
 * The protocol between an app and a relay, over the one WebSocket the app opens (the tunnel).
 * Visitors' requests and WebSockets travel as numbered streams, which the relay opens. Control
 * frames are JSON text; bodies and messages are binary WebSocket frames, so any byte survives:
 * one kind byte, the stream id (uint32, big-endian), then the payload.
 */

/** Request headers as Node gives them: repeated headers (set-cookie) as arrays. */
export type Headers = Record<string, string | string[]>;

/** Frames both ends send about a stream they share. */
export type StreamFrame =
  /** A piece of an HTTP body (binary on the wire). */
  | { type: "data"; stream: number; chunk: Buffer }
  /** The HTTP body is complete. */
  | { type: "end"; stream: number }
  /** A WebSocket message (binary on the wire); `binary` false for a text message. */
  | { type: "message"; stream: number; data: Buffer; binary: boolean }
  /** The WebSocket closed with this code and reason (no code: closed without one, 1005). */
  | { type: "close"; stream: number; code?: number; reason?: string }
  /** Give up the stream: the other end frees it and answers nothing more. */
  | { type: "reset"; stream: number; reason: string }
  /** Stop sending on this stream until `resume`: the receiver's reader is slower. */
  | { type: "pause"; stream: number }
  | { type: "resume"; stream: number };

/** App -> relay. */
export type AppFrame =
  /** First frame: a new link, or `id` + `secret` to get the link this app had before back. */
  | { type: "hello"; version: 1; id?: string; secret?: string }
  /** The head of the answer to a `request`, or the refusal of an `open` (e.g. 403). */
  | { type: "response"; stream: number; status: number; headers: Headers }
  /** The app's WebSocket accepted an `open`, with this subprotocol. */
  | { type: "accepted"; stream: number; protocol?: string }
  | StreamFrame;

/** Relay -> app. */
export type RelayFrame =
  /** The app's public link; `secret` (with `id`) gets the same link back after a reconnect. */
  | { type: "registered"; id: string; secret: string; url: string; resumed: boolean }
  /** The relay will not carry this tunnel; it closes it next. */
  | { type: "refused"; message: string }
  /** A visitor's HTTP request; a body follows as `data` frames and `end`. */
  | { type: "request"; stream: number; method: string; path: string; headers: Headers }
  /** A visitor opens a WebSocket at `path`. */
  | { type: "open"; stream: number; path: string; headers: Headers; protocols: string[] }
  | StreamFrame;

export type AppFrameType = AppFrame["type"];
export type RelayFrameType = RelayFrame["type"];

/** A frame that does not follow the protocol; the tunnel is closed with 1002 and this message. */
export class TunnelProtocolError extends Error {
  override readonly name = "TunnelProtocolError";
}

/** Largest WebSocket message a tunnel carries; an app's bigger message closes its stream with 1009. */
export const maxTunnelMessageBytes = 16 * 1024 * 1024;
/** Largest tunnel frame: a message or a body chunk with its header, or a request's head. */
export const maxTunnelFrameBytes = maxTunnelMessageBytes + 64 * 1024;

const binaryKinds = { data: 1, text: 2, binary: 3 } as const;
const idPattern = /^[\w-]{1,64}$/;
const methodPattern = /^[!#$%&'*+.^`|~\w-]{1,32}$/;
const maxPath = 16 * 1024;

/** The wire form of a frame: a string for control frames, bytes for bodies and messages. */
export function encodeFrame(frame: AppFrame | RelayFrame): string | Buffer {
  switch (frame.type) {
    case "data":
      return withHeader(binaryKinds.data, frame.stream, frame.chunk);
    case "message":
      return withHeader(frame.binary ? binaryKinds.binary : binaryKinds.text, frame.stream, frame.data);
    default:
      return JSON.stringify(frame);
  }
}

function withHeader(kind: number, stream: number, payload: Buffer): Buffer {
  const head = Buffer.allocUnsafe(5);
  head.writeUInt8(kind, 0);
  head.writeUInt32BE(stream, 1);
  return Buffer.concat([head, payload]);
}

/** Parses a frame that arrived at the relay. Throws a TunnelProtocolError saying what is wrong. */
export function parseAppFrame(data: Buffer, isBinary: boolean): AppFrame {
  if (isBinary) return parseBinary(data);
  const f = parseObject(data);
  const type = f.type as AppFrameType;
  switch (type) {
    case "hello":
      if (f.version !== 1) throw new TunnelProtocolError(`This relay speaks tunnel protocol 1, the app ${String(f.version)}; update one of them.`);
      if (f.id !== undefined && !(typeof f.id === "string" && idPattern.test(f.id))) throw bad(type, "id", "a link id");
      if (f.secret !== undefined && !(typeof f.secret === "string" && idPattern.test(f.secret))) throw bad(type, "secret", "a secret");
      return { type, version: 1, ...(f.id === undefined ? {} : { id: f.id as string }), ...(f.secret === undefined ? {} : { secret: f.secret as string }) };
    case "response": {
      const status = f.status;
      if (!(typeof status === "number" && Number.isInteger(status) && status >= 200 && status <= 599)) throw bad(type, "status", "an HTTP status from 200 to 599");
      return { type, stream: streamOf(f), status, headers: headersOf(f) };
    }
    case "accepted":
      if (f.protocol !== undefined && !(typeof f.protocol === "string" && f.protocol.length <= 256)) throw bad(type, "protocol", "a subprotocol");
      return { type, stream: streamOf(f), ...(f.protocol === undefined ? {} : { protocol: f.protocol as string }) };
    default:
      return parseStreamFrame(f);
  }
}

/** Parses a frame that arrived at the app. Throws a TunnelProtocolError saying what is wrong. */
export function parseRelayFrame(data: Buffer, isBinary: boolean): RelayFrame {
  if (isBinary) return parseBinary(data);
  const f = parseObject(data);
  const type = f.type as RelayFrameType;
  switch (type) {
    case "registered":
      if (!(typeof f.id === "string" && idPattern.test(f.id))) throw bad(type, "id", "a link id");
      if (!(typeof f.secret === "string" && idPattern.test(f.secret))) throw bad(type, "secret", "a secret");
      if (!(typeof f.url === "string" && /^https?:\/\//.test(f.url))) throw bad(type, "url", "an http(s) URL");
      return { type, id: f.id, secret: f.secret, url: f.url, resumed: f.resumed === true };
    case "refused":
      return { type, message: typeof f.message === "string" ? f.message.slice(0, 500) : "refused" };
    case "request":
      if (!(typeof f.method === "string" && methodPattern.test(f.method))) throw bad(type, "method", "an HTTP method");
      return { type, stream: streamOf(f), method: f.method, path: pathOf(f), headers: headersOf(f) };
    case "open":
      if (!(Array.isArray(f.protocols) && f.protocols.length <= 32 && f.protocols.every((p) => typeof p === "string" && methodPattern.test(p))))
        throw bad(type, "protocols", "a list of subprotocols");
      return { type, stream: streamOf(f), path: pathOf(f), headers: headersOf(f), protocols: f.protocols as string[] };
    default:
      return parseStreamFrame(f);
  }
}

function parseBinary(data: Buffer): StreamFrame {
  if (data.length < 5) throw new TunnelProtocolError("A binary frame is shorter than its 5-byte header.");
  const kind = data.readUInt8(0);
  const stream = data.readUInt32BE(1);
  const payload = data.subarray(5);
  if (kind === binaryKinds.data) return { type: "data", stream, chunk: payload };
  if (kind === binaryKinds.text || kind === binaryKinds.binary) return { type: "message", stream, data: payload, binary: kind === binaryKinds.binary };
  throw new TunnelProtocolError(`A binary frame has unknown kind ${kind}.`);
}

function parseObject(data: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(data.toString("utf8"));
  } catch {
    throw new TunnelProtocolError("A text frame is not JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TunnelProtocolError("A text frame is not a JSON object.");
  return value as Record<string, unknown>;
}

function parseStreamFrame(f: Record<string, unknown>): StreamFrame {
  const type = f.type as Exclude<StreamFrame["type"], "data" | "message">;
  switch (type) {
    case "end":
    case "pause":
    case "resume":
      return { type, stream: streamOf(f) };
    case "close": {
      const code = f.code;
      if (code !== undefined && !(typeof code === "number" && Number.isInteger(code) && sendableCode(code))) throw bad(type, "code", "a close code");
      if (f.reason !== undefined && !(typeof f.reason === "string" && Buffer.byteLength(f.reason) <= 123)) throw bad(type, "reason", "a close reason of at most 123 bytes");
      return { type, stream: streamOf(f), ...(code === undefined ? {} : { code }), ...(f.reason === undefined ? {} : { reason: f.reason as string }) };
    }
    case "reset":
      return { type, stream: streamOf(f), reason: typeof f.reason === "string" ? f.reason.slice(0, 500) : "" };
    default:
      throw new TunnelProtocolError(`Unknown frame type ${JSON.stringify(f.type)}.`);
  }
}

function streamOf(f: Record<string, unknown>): number {
  const s = f.stream;
  if (!(typeof s === "number" && Number.isInteger(s) && s >= 0 && s <= 0xffffffff)) throw bad(String(f.type), "stream", "a stream number");
  return s;
}

function pathOf(f: Record<string, unknown>): string {
  const p = f.path;
  if (!(typeof p === "string" && p.startsWith("/") && !p.startsWith("//") && p.length <= maxPath && !/[\s\0]/.test(p))) throw bad(String(f.type), "path", "a path starting with /");
  return p;
}

function headersOf(f: Record<string, unknown>): Headers {
  const h = f.headers;
  if (typeof h !== "object" || h === null || Array.isArray(h)) throw bad(String(f.type), "headers", "an object");
  const headers: Headers = {};
  for (const [name, value] of Object.entries(h)) {
    const values = Array.isArray(value) ? value : [value];
    try {
      validateHeaderName(name);
      for (const v of values) {
        if (typeof v !== "string") throw new Error();
        validateHeaderValue(name, v);
      }
    } catch {
      throw bad(String(f.type), `headers.${name.slice(0, 64)}`, "a valid header");
    }
    headers[name.toLowerCase()] = value as string | string[];
  }
  return headers;
}

function bad(type: string, field: string, expected: string): TunnelProtocolError {
  return new TunnelProtocolError(`Frame "${type}": ${field} must be ${expected}.`);
}
