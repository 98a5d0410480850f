import type { Runtime } from "../../Runtime.ts";
import { GradioSession, type SessionLimits } from "./GradioSession.ts";

export interface GradioSessionsOptions extends Partial<SessionLimits> {
  /** Most session_hashes kept; past it the least recently used is ended. Default 1,000. */
  maxSessions?: number;
  /** A session unused this long, with nothing pending, is ended (ms). Default one hour. */
  idleMs?: number;
}

/** Gradio's session_hash (any string a client made up) to a Dais session, bounded and expiring. */
export class GradioSessions {
  /** Least recently used first. */
  private readonly map = new Map<string, GradioSession>();
  private readonly limits: SessionLimits;
  private readonly maxSessions: number;
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly runtime: Runtime,
    options: GradioSessionsOptions = {},
  ) {
    this.limits = { maxPending: options.maxPending ?? 64, maxBuffered: options.maxBuffered ?? 10_000, maxStreams: options.maxStreams ?? 4 };
    this.maxSessions = options.maxSessions ?? 1000;
    this.idleMs = options.idleMs ?? 60 * 60 * 1000;
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, this.idleMs));
    this.sweeper.unref();
  }

  get size(): number {
    return this.map.size;
  }

  /** The session for `hash`, made when `create`; it becomes the most recently used. */
  get(hash: string, create: boolean): GradioSession | undefined {
    let session = this.map.get(hash);
    if (session) this.map.delete(hash);
    else if (create) {
      if (this.map.size >= this.maxSessions) this.evictOne();
      session = new GradioSession(hash, this.runtime, this.limits);
    } else return undefined;
    this.map.set(hash, session);
    session.lastSeen = Date.now();
    return session;
  }

  /** Ends a session now (one made for a single call, once its result is read). */
  drop(hash: string): void {
    this.map.get(hash)?.dispose();
    this.map.delete(hash);
  }

  /** Ends the least recently used session, preferring one with nothing going. */
  private evictOne(): void {
    let victim: string | undefined;
    for (const [hash, s] of this.map) {
      if (s.pending === 0 && !s.streaming) {
        victim = hash;
        break;
      }
    }
    victim ??= this.map.keys().next().value;
    if (victim === undefined) return;
    this.map.get(victim)?.dispose();
    this.map.delete(victim);
  }

  private sweep(): void {
    const cutoff = Date.now() - this.idleMs;
    for (const [hash, s] of this.map) {
      if (s.lastSeen < cutoff && !s.streaming) {
        s.dispose();
        this.map.delete(hash);
      }
    }
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const s of this.map.values()) s.dispose();
    this.map.clear();
  }
}
