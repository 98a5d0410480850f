/**
 * The Redis keys of one session, all with the session id in braces (one hash slot, so a
 * cluster keeps them together and a Lua script may touch them all). Ids are checked first:
 * the runtime makes them with randomUUID, so anything else (a crafted `x}:rec`, a `*`) names
 * no session and can never reach another's keys.
 */
export interface SessionKeys {
  /** The record as JSON: states, shown values, props, and the number of the frame it was saved at. */
  record: string;
  /** The number of the session's last frame. */
  seq: string;
  /** The session's frames: a stream whose ids are the frame numbers. */
  log: string;
  /** Runs of the session that are going (run id -> fn), for a page's welcome and to end each run once. */
  runs: string;
  /** Runs the user stopped before a worker picked them up (run id -> 1). */
  stopped: string;
  /** Run ids the session took in lately (id -> when), so a page's resend of one runs it once; the latest few hundred. */
  seen: string;
  /** The session's state-touching runs waiting for the one before them, in order (jobs as JSON). */
  chain: string;
  /** The pub/sub channel its frames are published on as they are appended. */
  frames: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `id` could be a session id (what randomUUID makes). */
export function isSessionId(id: unknown): id is string {
  return typeof id === "string" && uuid.test(id);
}

/** A run id as the wire allows it (protocol.ts): letters, digits, - and _. */
export function isRunId(id: unknown): id is string {
  return typeof id === "string" && /^[\w-]{1,64}$/.test(id);
}

export function sessionKeys(prefix: string, id: string): SessionKeys {
  if (!isSessionId(id)) throw new Error(`not a session id: ${JSON.stringify(id).slice(0, 80)}`);
  const base = `${prefix}:{${id}}`;
  return {
    record: `${base}:rec`,
    seq: `${base}:seq`,
    log: `${base}:log`,
    runs: `${base}:runs`,
    stopped: `${base}:stopped`,
    chain: `${base}:chain`,
    seen: `${base}:seen`,
    frames: `${base}:f`,
  };
}

/** The session id in a frames channel name, or undefined when it is not one of ours. */
export function sessionOfChannel(prefix: string, channel: string): string | undefined {
  const start = `${prefix}:{`;
  if (!channel.startsWith(start) || !channel.endsWith("}:f")) return undefined;
  const id = channel.slice(start.length, -3);
  return isSessionId(id) ? id : undefined;
}

/** Every key a session has, for deleting it. */
export function allSessionKeys(prefix: string, id: string): string[] {
  const k = sessionKeys(prefix, id);
  return [k.record, k.seq, k.log, k.runs, k.stopped, k.chain, k.seen];
}
