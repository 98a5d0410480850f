import type { SequencedFrame, ServerFrame } from "@dais/core";
import type { App } from "@dais/core";
import type { Redis } from "ioredis";
import { replayWindow } from "./FrameLog.ts";
import { unsendable } from "./MemorySessionFrames.ts";
import { recordBody } from "./RedisSessionStore.ts";
import { sessionKeys, sessionOfChannel } from "./redisKeys.ts";
import type { FrameSink, LiveSession } from "./Runtime.ts";
import { unserialisableStates } from "./SessionRecord.ts";
import type { AppendOptions, SessionFrames } from "./SessionFrames.ts";

/**
 * Numbers the frame, keeps it in the session's stream, saves the record (when given) and
 * publishes the frame, all in one step: frames are numbered in the order Redis runs this, so
 * every subscriber hears them in the order of their numbers, whichever process appended them.
 * The frame's JSON gets its number at the front (frames are never empty objects).
 * KEYS: seq, log, record, runs, stopped, list the frame needs `ARGV[7]` in (or seq, unused).
 * ARGV: frame JSON, record JSON or "", max frames kept, ttl ms, run id it ends or "", channel,
 * member of that list or "".
 */
const appendScript = `
if ARGV[7] ~= '' and not redis.call('LPOS', KEYS[6], ARGV[7]) then return 0 end
if ARGV[5] ~= '' then
  if redis.call('HDEL', KEYS[4], ARGV[5]) == 0 then return 0 end
  redis.call('HDEL', KEYS[5], ARGV[5])
end
local seq = redis.call('INCR', KEYS[1])
local text = '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], seq .. '-0', 'f', text)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
if ARGV[2] ~= '' then redis.call('SET', KEYS[3], '{"seq":' .. seq .. ',' .. string.sub(ARGV[2], 2), 'PX', ARGV[4], 'XX') end
redis.call('PUBLISH', ARGV[6], text)
return seq
`;

/**
 * A sink of this process: the number of the last frame it was sent, and frames held while it is
 * being welcomed or while a gap is filled from the stream.
 */
interface SinkState {
  cursor: number;
  held: SequencedFrame[] | undefined;
}

type AppendingRedis = Redis & { daisAppend(keys: string[], args: string[]): Promise<number> };

/**
 * Frames on Redis: a stream per session (replayable by any process) and a pub/sub channel per
 * session (each process subscribes for the sessions whose sinks it holds). Each sink is sent
 * each number once, in order: duplicates are dropped and a gap is filled from the stream.
 */
export class RedisSessionFrames implements SessionFrames {
  readonly shared = true;
  private readonly redis: AppendingRedis;
  private readonly sinks = new Map<string, Map<FrameSink, SinkState>>();

  constructor(
    redis: Redis,
    private readonly sub: Redis,
    private readonly app: App,
    private readonly prefix: string,
    private readonly ttl: number,
  ) {
    redis.defineCommand("daisAppend", { lua: appendScript, numberOfKeys: 6 });
    this.redis = redis as AppendingRedis;
    sub.on("message", (channel: string, text: string) => this.heard(channel, text));
  }

  append(live: LiveSession, frame: ServerFrame, how: AppendOptions = {}): void {
    const { record } = live;
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch (e) {
      console.error("[dais] a frame could not be serialised:", e);
      text = JSON.stringify(unsendable(frame));
    }
    let saved = "";
    if (how.save) {
      const bad = unserialisableStates(record, this.app);
      // Saving would lose these values: the session keeps its last good record, and says why.
      if (bad.length === 0) saved = recordBody(record);
      else console.error(`[dais] session ${record.id}: state ${bad.join(", ")} can no longer be saved to Redis (not plain data); its change is lost.`);
    }
    const k = sessionKeys(this.prefix, record.id);
    const ends = how.endsRun && "id" in frame && frame.id !== undefined ? frame.id : "";
    this.redis
      .daisAppend(
        [k.seq, k.log, k.record, k.runs, k.stopped, how.whileIn?.list ?? k.seq],
        [text, saved, String(replayWindow.frames), String(this.ttl), ends, k.frames, how.whileIn?.member ?? ""],
      )
      .then((seq) => {
        if (seq > 0) record.seq = Math.max(record.seq, seq);
      })
      .catch((e: unknown) => console.error("[dais] could not append a frame to Redis:", e));
  }

  async since(live: LiveSession, lastSeq: number): Promise<SequencedFrame[] | undefined> {
    const k = sessionKeys(this.prefix, live.record.id);
    const [current, entries] = await Promise.all([this.redis.get(k.seq), this.redis.xrange(k.log, `${lastSeq + 1}-0`, "+")]);
    const seq = Number(current ?? 0);
    if (!Number.isSafeInteger(lastSeq) || lastSeq < 0 || lastSeq > seq) return undefined;
    if (lastSeq === seq) return [];
    const frames: SequencedFrame[] = [];
    for (const [, fields] of entries) {
      const frame = parseFrame(fields[1]);
      if (!frame) return undefined;
      frames.push(frame);
    }
    // Numbers are consecutive from the first one kept: a missing first means it was trimmed.
    if (frames[0]?.seq !== lastSeq + 1) return undefined;
    return frames;
  }

  async join(live: LiveSession, sink: FrameSink): Promise<void> {
    const id = live.record.id;
    let mine = this.sinks.get(id);
    if (!mine) {
      this.sinks.set(id, (mine = new Map()));
      await this.sub.subscribe(sessionKeys(this.prefix, id).frames);
    }
    mine.set(sink, { cursor: Infinity, held: [] });
  }

  joined(live: LiveSession, sink: FrameSink, seq: number): void {
    const state = this.sinks.get(live.record.id)?.get(sink);
    if (!state) return;
    state.cursor = seq;
    this.release(sink, state);
  }

  leave(live: LiveSession, sink: FrameSink): void {
    const id = live.record.id;
    const mine = this.sinks.get(id);
    if (!mine?.delete(sink) || mine.size > 0) return;
    this.sinks.delete(id);
    void this.sub.unsubscribe(sessionKeys(this.prefix, id).frames).catch(() => {});
  }

  /** Sessions this process has sinks for. */
  get following(): number {
    return this.sinks.size;
  }

  private heard(channel: string, text: string): void {
    const id = sessionOfChannel(this.prefix, channel);
    const mine = id === undefined ? undefined : this.sinks.get(id);
    if (!mine || id === undefined) return;
    const frame = parseFrame(text);
    if (!frame) return;
    for (const [sink, state] of mine) {
      if (state.held) state.held.push(frame);
      else this.deliver(id, sink, state, frame);
    }
  }

  private deliver(id: string, sink: FrameSink, state: SinkState, frame: SequencedFrame): void {
    const seq = frame.seq as number;
    if (seq <= state.cursor) return;
    if (seq === state.cursor + 1) {
      state.cursor = seq;
      sink.send(frame, JSON.stringify(frame));
      return;
    }
    // A gap (a message lost while the connection to Redis was down): hold what comes and fetch
    // what is missing from the stream.
    state.held = [frame];
    void this.redis
      .xrange(sessionKeys(this.prefix, id).log, `${state.cursor + 1}-0`, `${seq}-0`)
      .then((entries) => {
        const found = entries.map(([, fields]) => parseFrame(fields[1])).filter((f) => f !== undefined);
        state.held = [...found, ...(state.held ?? [])];
      })
      .catch(() => {})
      .finally(() => this.release(sink, state));
  }

  /** Sends held frames in order; a gap that is still there (trimmed away) is skipped over. */
  private release(sink: FrameSink, state: SinkState): void {
    const held = (state.held ?? []).sort((a, b) => (a.seq as number) - (b.seq as number));
    state.held = undefined;
    for (const frame of held) {
      if ((frame.seq as number) <= state.cursor) continue;
      state.cursor = frame.seq as number;
      sink.send(frame, JSON.stringify(frame));
    }
  }
}

/** A frame as Redis gave it back: ours, but checked, since anything can publish on a channel. */
function parseFrame(text: string | undefined): SequencedFrame | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const frame = JSON.parse(text) as SequencedFrame;
    if (typeof frame !== "object" || frame === null || typeof frame.type !== "string" || !Number.isSafeInteger(frame.seq) || (frame.seq as number) < 1) return undefined;
    return frame;
  } catch {
    return undefined;
  }
}
