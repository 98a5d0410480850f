import { DaisError, messages, parseClientFrame, type SequencedFrame, toDaisError } from "@dais/core";
import type { WebSocket } from "ws";
import { Channel } from "../Channel.ts";
import { RateLimiter } from "../RateLimiter.ts";
import type { Runtime } from "../Runtime.ts";
import { coalesceFrames } from "./coalesceFrames.ts";

/** Bytes waiting in a socket past which a stream's frames are held back and merged. */
const highWater = 64 * 1024;

export interface WebSocketAdapterOptions {
  /** Largest frame, in bytes. */
  maxFrameBytes: number;
  /** Frames per second a connection may send, and how many at once. */
  rateLimit: { perSecond: number; burst: number };
  /** Bytes per second a connection may send, and how many at once. */
  byteLimit: { perSecond: number; burst: number };
}

/**
 * A page's WebSocket, as a thin adapter: it checks each frame where it arrives (size, rate,
 * shape) and hands it to a runtime channel; frames for the page go out as the runtime numbered
 * them. Bad frames get a typed error frame and the connection stays open.
 */
export function attachWebSocket(socket: WebSocket, runtime: Runtime, options: WebSocketAdapterOptions): Channel {
  const limiter = new RateLimiter(options.rateLimit.perSecond, options.rateLimit.burst);
  const bytes = new RateLimiter(options.byteLimit.perSecond, options.byteLimit.burst);
  // While the page reads slower than a run streams, frames wait here and a stream's consecutive
  // frames merge into one: the page catches up with one edit list instead of thousands of
  // frames, and the server's memory holds the text once rather than once per token.
  const held: SequencedFrame[] = [];
  let waiting = false;
  const flush = () => {
    waiting = false;
    while (held.length > 0 && socket.readyState === socket.OPEN && socket.bufferedAmount < highWater) socket.send(JSON.stringify(held.shift()));
    if (held.length > 0 && socket.readyState === socket.OPEN) later();
  };
  const later = () => {
    if (waiting) return;
    waiting = true;
    setTimeout(flush, 5).unref();
  };
  const channel = new Channel(runtime, (frame, text) => {
    if (socket.readyState !== socket.OPEN) return;
    if (held.length === 0 && socket.bufferedAmount < highWater) return guard(() => socket.send(text));
    const last = held[held.length - 1];
    const merged = last && coalesceFrames(last, frame);
    if (merged) held[held.length - 1] = merged;
    else held.push(frame);
    later();
  });
  // Nothing a client sends may throw out of a handler: in a ws listener that would end the
  // process, and with it every other visitor's session.
  socket.on("message", (data, isBinary) => {
    try {
      const frame = toBuffer(data);
      // Bytes as well as frames: 20 frames of a megabyte a second would keep the CPU parsing,
      // and every other session waiting.
      if (!limiter.take() || !bytes.take(frame.length)) return channel.reject(new DaisError("rate_limited", messages.rateLimited));
      if (frame.length > options.maxFrameBytes) return channel.reject(new DaisError("too_large", messages.tooLarge(options.maxFrameBytes)));
      if (isBinary) return channel.reject(new DaisError("bad_frame", "Frames must be text (JSON), not binary."));
      let parsed;
      try {
        parsed = parseClientFrame(frame.toString("utf8"));
      } catch (e) {
        return channel.reject(toDaisError(e, "bad_frame"));
      }
      channel.receive(parsed);
    } catch (e) {
      console.error("[dais] a socket handler failed:", e);
    }
  });
  socket.on("close", () => guard(() => channel.close()));
  socket.on("error", () => guard(() => channel.close()));
  return channel;
}

function guard(handler: () => void): void {
  try {
    handler();
  } catch (e) {
    console.error("[dais] a socket handler failed:", e);
  }
}

/** ws hands over a Buffer, an ArrayBuffer or fragments, depending on its binaryType. */
function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  return Buffer.from(data as ArrayBuffer);
}
