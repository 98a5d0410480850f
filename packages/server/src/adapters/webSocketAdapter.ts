import { DaisError, messages, parseClientFrame, toDaisError } from "@dais/core";
import type { WebSocket } from "ws";
import { Channel } from "../Channel.ts";
import { RateLimiter } from "../RateLimiter.ts";
import type { Runtime } from "../Runtime.ts";

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
  const channel = new Channel(runtime, (_frame, text) => {
    if (socket.readyState === socket.OPEN) socket.send(text);
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
