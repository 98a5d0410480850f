import { describe, expect, it } from "vitest";
import { type AppFrame, encodeFrame, parseAppFrame, parseRelayFrame, type RelayFrame, TunnelProtocolError } from "./tunnelProtocol.ts";

/** A frame as it crosses the wire and is read on the other side. */
function overTheWire<F extends AppFrame | RelayFrame>(frame: F, parse: (data: Buffer, isBinary: boolean) => AppFrame | RelayFrame) {
  const wire = encodeFrame(frame);
  return parse(typeof wire === "string" ? Buffer.from(wire) : wire, typeof wire !== "string");
}

describe("tunnel protocol", () => {
  it("carries every byte value of a body or a message in a binary frame", () => {
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const data = encodeFrame({ type: "data", stream: 0xfffffffe, chunk: every });
    expect(Buffer.isBuffer(data) && data.length).toBe(261);
    expect(overTheWire({ type: "data", stream: 0xfffffffe, chunk: every }, parseRelayFrame)).toEqual({ type: "data", stream: 0xfffffffe, chunk: every });
    expect(overTheWire({ type: "message", stream: 3, data: every, binary: true }, parseAppFrame)).toEqual({ type: "message", stream: 3, data: every, binary: true });
    const text = Buffer.from("héllo ✓");
    expect(overTheWire({ type: "message", stream: 3, data: text, binary: false }, parseAppFrame)).toEqual({ type: "message", stream: 3, data: text, binary: false });
  });

  it("round-trips each control frame in its direction", () => {
    const toApp: RelayFrame[] = [
      { type: "registered", id: "abc", secret: "def", url: "https://relay.example/s/abc/", resumed: true },
      { type: "request", stream: 1, method: "POST", path: "/x?y=1", headers: { "content-type": "text/plain", cookie: "a=1" } },
      { type: "open", stream: 2, path: "/ws", headers: { origin: "https://relay.example" }, protocols: ["chat.v2"] },
      { type: "close", stream: 2, code: 4000, reason: "bye" },
      { type: "close", stream: 2 },
      { type: "reset", stream: 1, reason: "visitor left" },
      { type: "pause", stream: 1 },
      { type: "end", stream: 1 },
    ];
    for (const frame of toApp) expect(overTheWire(frame, parseRelayFrame)).toEqual(frame);
    const toRelay: AppFrame[] = [
      { type: "hello", version: 1 },
      { type: "hello", version: 1, id: "abc", secret: "def" },
      { type: "response", stream: 1, status: 201, headers: { "set-cookie": ["a=1", "b=2"] } },
      { type: "accepted", stream: 2, protocol: "chat.v2" },
      { type: "accepted", stream: 2 },
      { type: "resume", stream: 1 },
    ];
    for (const frame of toRelay) expect(overTheWire(frame, parseAppFrame)).toEqual(frame);
  });

  it("rejects what does not follow the protocol, saying what is wrong", () => {
    const app = (text: string) => () => parseAppFrame(Buffer.from(text), false);
    const relay = (text: string) => () => parseRelayFrame(Buffer.from(text), false);
    expect(app("{")).toThrow(new TunnelProtocolError("A text frame is not JSON."));
    expect(app("[1]")).toThrow("A text frame is not a JSON object.");
    expect(app('{"type":"open","stream":1}')).toThrow('Unknown frame type "open".');
    expect(relay('{"type":"hello","version":1}')).toThrow('Unknown frame type "hello".');
    expect(app('{"type":"response","stream":1,"status":101,"headers":{}}')).toThrow('Frame "response": status must be an HTTP status from 200 to 599.');
    expect(app('{"type":"response","stream":-1,"status":200,"headers":{}}')).toThrow('Frame "response": stream must be a stream number.');
    expect(app('{"type":"response","stream":1,"status":200,"headers":{"x":"a\\r\\nb"}}')).toThrow('Frame "response": headers.x must be a valid header.');
    expect(app('{"type":"response","stream":1,"status":200,"headers":{"bad name":"v"}}')).toThrow("must be a valid header");
    expect(relay('{"type":"request","stream":1,"method":"GET","path":"//evil.example/","headers":{}}')).toThrow("path must be a path starting with /");
    expect(relay('{"type":"request","stream":1,"method":"G ET","path":"/","headers":{}}')).toThrow("method must be an HTTP method");
    expect(app('{"type":"close","stream":1,"code":1006}')).toThrow("code must be a close code");
    expect(app('{"type":"hello","version":1,"id":"../x"}')).toThrow("id must be a link id");
    expect(() => parseAppFrame(Buffer.from([1, 0, 0]), true)).toThrow("A binary frame is shorter than its 5-byte header.");
  });
});
