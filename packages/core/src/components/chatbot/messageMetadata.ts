/**
 * What a message's `metadata` may say, as in Gradio's ChatMessage: a message with a `title` is
 * shown as a collapsible block (a thought, a tool call) rather than a plain bubble; `status`
 * pending shows it as still working; `duration` is how long it took, in seconds; `id` and
 * `parent_id` nest a block inside another. `log` is a short line shown beside the title.
 */
export interface MessageMetadata {
  title?: string;
  status?: "pending" | "done";
  duration?: number;
  id?: string;
  parent_id?: string;
  log?: string;
}

/** Limits on what a browser (or fn) may put in metadata: a title is a line, not a document. */
export const metadataLimits = { title: 500, log: 2000, id: 64 } as const;

const statuses: readonly unknown[] = ["pending", "done"];

/**
 * Checks metadata that came from fn or a browser and returns a clean copy with only the known
 * fields (ids given as numbers become text), or undefined when it is not acceptable: a field
 * of the wrong type, text over its limit, an unknown status, a negative or infinite duration.
 * @example parseMetadata({ title: "Searching the web", status: "pending" })
 */
export function parseMetadata(value: unknown): MessageMetadata | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const m = value as Record<string, unknown>;
  const out: MessageMetadata = {};
  if (m.title !== undefined) {
    if (typeof m.title !== "string" || m.title.length > metadataLimits.title) return undefined;
    out.title = m.title;
  }
  if (m.status !== undefined) {
    if (!statuses.includes(m.status)) return undefined;
    out.status = m.status as "pending" | "done";
  }
  if (m.duration !== undefined) {
    if (typeof m.duration !== "number" || !Number.isFinite(m.duration) || m.duration < 0) return undefined;
    out.duration = m.duration;
  }
  if (m.log !== undefined) {
    if (typeof m.log !== "string" || m.log.length > metadataLimits.log) return undefined;
    out.log = m.log;
  }
  for (const key of ["id", "parent_id"] as const) {
    const v = m[key];
    if (v === undefined) continue;
    const text = typeof v === "number" && Number.isInteger(v) ? String(v) : v;
    if (typeof text !== "string" || text.length === 0 || text.length > metadataLimits.id) return undefined;
    out[key] = text;
  }
  return out;
}
