import type { SessionRecord } from "./SessionRecord.ts";

/**
 * Where session records live. The runtime works on the records of the sessions it serves and
 * writes them back here after every change it makes; the in-memory store keeps them in this
 * process, a shared store (Redis) lets any process of the app serve any session.
 */
export interface SessionStore {
  /** True when records leave the process, so their state values must survive JSON. */
  readonly shared: boolean;
  /** The record, or undefined when there is none (never made, expired, evicted). */
  get(id: string): Promise<SessionRecord | undefined>;
  /** Saves a new or changed record. */
  set(record: SessionRecord): Promise<void>;
  delete(id: string): Promise<void>;
  /** Records kept, for tests and limits. */
  size(): Promise<number>;
  /** The session was used: a store that expires records keeps it another ttl. */
  touch?(id: string): Promise<void>;
  /** Runs of the session going in any process (a shared store knows them all). */
  runsOf?(id: string): Promise<{ id: string; fn: number }[]>;
}
