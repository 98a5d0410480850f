import { randomUUID } from "node:crypto";
import type { App } from "@dais/core";
import { Session } from "./Session.ts";

export interface SessionStoreOptions {
  /** How long a session outlives its last connection, in ms. Default one hour. */
  ttl?: number;
  /** Most sessions kept; beyond it the least recently seen is evicted. Default 50,000. */
  maxSessions?: number;
}

/**
 * Sessions in memory, keyed by an unguessable id the server mints. A disconnected session is
 * kept for `ttl` so a reload or a dropped connection resumes it.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly expiry = new Map<string, NodeJS.Timeout>();
  private readonly ttl: number;
  private readonly maxSessions: number;

  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly app: App,
    options: SessionStoreOptions = {},
  ) {
    this.ttl = options.ttl ?? 60 * 60 * 1000;
    this.maxSessions = options.maxSessions ?? 50_000;
    // Idle sessions send nothing, so their replay buffers are trimmed here rather than on send.
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const session of this.sessions.values()) session.trim(now);
    }, 30_000);
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  get(id: string | undefined): Session | undefined {
    return id === undefined ? undefined : this.sessions.get(id);
  }

  create(): Session {
    if (this.sessions.size >= this.maxSessions) this.evictOldest();
    const session = new Session(randomUUID(), this.app);
    this.sessions.set(session.id, session);
    return session;
  }

  /** A connection attached: the session must not expire while it is open. */
  attach(session: Session): void {
    clearTimeout(this.expiry.get(session.id));
    this.expiry.delete(session.id);
    session.lastSeen = Date.now();
    // Map order is insertion order: re-inserting keeps the least recently seen first.
    this.sessions.delete(session.id);
    this.sessions.set(session.id, session);
  }

  /** A connection detached: once none is left, the session expires after `ttl`. */
  detach(session: Session): void {
    session.lastSeen = Date.now();
    if (session.sinks.size > 0 || !this.sessions.has(session.id)) return;
    const timer = setTimeout(() => this.delete(session.id), this.ttl);
    timer.unref();
    this.expiry.set(session.id, timer);
  }

  delete(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    clearTimeout(this.expiry.get(id));
    this.expiry.delete(id);
    this.sessions.delete(id);
    session.dispose();
  }

  /** Ends every session (the server is closing). */
  clear(): void {
    clearInterval(this.sweeper);
    for (const id of [...this.sessions.keys()]) this.delete(id);
  }

  values(): IterableIterator<Session> {
    return this.sessions.values();
  }

  private evictOldest(): void {
    const oldest = this.sessions.keys().next();
    if (!oldest.done) this.delete(oldest.value);
  }
}
