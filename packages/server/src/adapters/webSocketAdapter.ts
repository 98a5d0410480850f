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
}

/**
 * A page's WebSocket, as a thin adapter: it checks each frame where it arrives (size, rate,
 * shape) and hands it to a runtime channel; frames for the page go out as the runtime numbered
 * them. Bad frames get a typed error frame and the connection stays open.
 */
export function attachWebSocket(socket: WebSocket, runtime: Runtime, options: WebSocketAdapterOptions): Channel {
  const limiter = new RateLimiter(options.rateLimit.perSecond, options.rateLimit.burst);
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
    if (held.length === 0 && socket.bufferedAmount < highWater) return socket.send(text);
    const last = held[held.length - 1];
    const merged = last && coalesceFrames(last, frame);
    if (merged) held[held.length - 1] = merged;
    else held.push(frame);
    later();
  });
  socket.on("message", (data, isBinary) => {
    try {
      if (!limiter.take()) return channel.reject(new DaisError("rate_limited", messages.rateLimited));
      const bytes = data as Buffer;
      if (bytes.length > options.maxFrameBytes) return channel.reject(new DaisError("too_large", messages.tooLarge(options.maxFrameBytes)));
      if (isBinary) return channel.reject(new DaisError("bad_frame", "Frames must be text (JSON), not binary."));
      channel.receive(parseClientFrame(bytes.toString("utf8")));
    } catch (e) {
      channel.reject(toDaisError(e, "bad_frame"));
    }
  });
  socket.on("close", () => channel.close());
  socket.on("error", () => channel.close());
  return channel;
}
