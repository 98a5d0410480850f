import { type App, deepCopy, type PropsChanges } from "@dais/core";
import { type FrameLog, newFrameLog } from "./FrameLog.ts";

/**
 * One session (a browser tab, or an API client) as plain, serialisable data: what a store
 * keeps. Live handles (sockets, runs in flight) are kept beside it by the runtime, per process.
 */
export interface SessionRecord {
  id: string;
  /** Values of the app's state components, by id. Never sent to a page. */
  states: Record<string, unknown>;
  /** Wire values of visible components as the tab shows them, by id. */
  shown: Record<string, unknown>;
  /** Props changed by runs (`update()`), by component id. */
  props: PropsChanges;
  /** Number of the last frame sent. */
  seq: number;
  log: FrameLog;
  lastSeen: number;
}

/** A fresh session: every state created anew (a deep copy or its factory's value), every value as configured. */
export function newSessionRecord(id: string, app: App, now = Date.now()): SessionRecord {
  const record: SessionRecord = { id, states: {}, shown: {}, props: {}, seq: 0, log: newFrameLog(), lastSeen: now };
  resetSessionRecord(record, app);
  return record;
}

/** Back to a fresh session's values and props, keeping the id, the numbering and the log. */
export function resetSessionRecord(record: SessionRecord, app: App): void {
  record.states = {};
  for (const [id, c] of app.components) if (c.kind === "state" && "create" in c) record.states[id] = (c.create as () => unknown)();
  record.shown = Object.fromEntries(app.config.components.map((c) => [c.id, deepCopy(c.value)]));
  record.props = {};
}
