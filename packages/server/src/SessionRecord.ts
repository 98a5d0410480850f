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

/**
 * The states of a record that would not survive leaving the process (a shared store keeps JSON):
 * functions, class instances, Maps, cycles, BigInts. In memory anything goes; a shared store
 * refuses such a session with these names, so the app's author knows which state to change.
 */
export function unserialisableStates(record: SessionRecord, app: App): string[] {
  const bad: string[] = [];
  for (const [id, value] of Object.entries(record.states)) {
    if (!survivesJson(value)) {
      const c = app.components.get(Number(id));
      bad.push(c?.props.label ? `"${String(c.props.label)}"` : `state ${id}`);
    }
  }
  return bad;
}

function survivesJson(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object") return false;
  if (seen.has(value)) return false;
  seen.add(value);
  const proto = Object.getPrototypeOf(value) as unknown;
  const ok = Array.isArray(value)
    ? value.every((v) => survivesJson(v, seen))
    : (proto === Object.prototype || proto === null) && Object.values(value).every((v) => v === undefined || survivesJson(v, seen));
  seen.delete(value);
  return ok;
}
