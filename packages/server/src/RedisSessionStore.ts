import type { Redis } from "ioredis";
import { newFrameLog } from "./FrameLog.ts";
import { allSessionKeys, isSessionId, sessionKeys } from "./redisKeys.ts";
import type { SessionRecord } from "./SessionRecord.ts";
import type { SessionStore } from "./SessionStore.ts";

/**
 * Session records in Redis, so any process of the app can serve any session. A record is one
 * JSON value with the number of the frame it was saved at (frames after it are in the
 * session's stream); every key of a session expires `ttl` after it was last used, so Redis
 * forgets a session as the in-memory store would.
 */
export class RedisSessionStore implements SessionStore {
  readonly shared = true;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly ttl: number,
  ) {}

  async get(id: string): Promise<SessionRecord | undefined> {
    if (!isSessionId(id)) return undefined;
    const text = await this.redis.get(sessionKeys(this.prefix, id).record);
    return text === null ? undefined : parseRecord(id, text);
  }

  async set(record: SessionRecord): Promise<void> {
    const k = sessionKeys(this.prefix, record.id);
    await this.redis
      .multi()
      .set(k.record, recordJson(record, record.seq), "PX", this.ttl)
      .set(k.seq, String(record.seq), "PX", this.ttl, "NX")
      .exec();
  }

  async delete(id: string): Promise<void> {
    if (!isSessionId(id)) return;
    await this.redis.del(...allSessionKeys(this.prefix, id));
  }

  async size(): Promise<number> {
    let n = 0;
    let cursor = "0";
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", `${this.prefix}:{*}:rec`, "COUNT", 1000);
      cursor = next;
      n += keys.length;
    } while (cursor !== "0");
    return n;
  }

  /** The session was used: its keys live another `ttl`. */
  async touch(id: string): Promise<void> {
    if (!isSessionId(id)) return;
    const pipeline = this.redis.pipeline();
    for (const key of allSessionKeys(this.prefix, id)) pipeline.pexpire(key, this.ttl);
    await pipeline.exec();
  }

  /** Runs of the session going in any process, for a page's welcome. */
  async runsOf(id: string): Promise<{ id: string; fn: number }[]> {
    if (!isSessionId(id)) return [];
    const runs = await this.redis.hgetall(sessionKeys(this.prefix, id).runs);
    return Object.entries(runs).map(([run, fn]) => ({ id: run, fn: Number(fn) }));
  }
}

/** What Redis keeps of a record: its id is in the key and its log in the stream. */
export function recordJson(record: SessionRecord, seq: number): string {
  return `{"seq":${seq},${recordBody(record).slice(1)}`;
}

/** The record without its number (the append script puts the frame's in front). */
export function recordBody(record: SessionRecord): string {
  return JSON.stringify({ states: record.states, shown: record.shown, props: record.props, lastSeen: record.lastSeen });
}

function parseRecord(id: string, text: string): SessionRecord | undefined {
  try {
    const r = JSON.parse(text) as Partial<SessionRecord>;
    const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
    if (typeof r.seq !== "number" || !isObject(r.states) || !isObject(r.shown) || !isObject(r.props)) return undefined;
    return { id, seq: r.seq, states: r.states!, shown: r.shown!, props: r.props!, lastSeen: typeof r.lastSeen === "number" ? r.lastSeen : Date.now(), log: newFrameLog() };
  } catch {
    return undefined;
  }
}
