import type { SessionRecord } from "./SessionRecord.ts";
import type { SessionStore } from "./SessionStore.ts";

/**
 * Session records in this process's memory: the default. The record the runtime works on is the
 * one kept here, so `set` costs nothing and state values need not be serialisable.
 */
export class MemorySessionStore implements SessionStore {
  readonly shared = false;
  private readonly records = new Map<string, SessionRecord>();

  async get(id: string): Promise<SessionRecord | undefined> {
    return this.records.get(id);
  }

  async set(record: SessionRecord): Promise<void> {
    this.records.set(record.id, record);
  }

  async delete(id: string): Promise<void> {
    this.records.delete(id);
  }

  async size(): Promise<number> {
    return this.records.size;
  }
}
