import type { OutputOps, PropsChanges, SequencedFrame } from "@dais/core";

/**
 * Merges frame `b` into frame `a` when `b` only continues what `a` started: a streaming run's
 * partial followed by another partial or its done. Edits apply in order, so the merged frame's
 * edits are a's then b's; it takes b's number, so the page's count of frames seen stays right.
 * Returns undefined when the two cannot merge.
 */
export function coalesceFrames(a: SequencedFrame, b: SequencedFrame): SequencedFrame | undefined {
  if (a.type !== "partial" || (b.type !== "partial" && b.type !== "done") || a.id !== b.id) return undefined;
  return { ...b, ops: concatOps(a.ops, b.ops), ...mergedProps(a.props, b.props) };
}

function concatOps(a: OutputOps, b: OutputOps): OutputOps {
  const out: OutputOps = { ...a };
  for (const [id, ops] of Object.entries(b)) out[id] = [...(out[id] ?? []), ...ops];
  return out;
}

function mergedProps(a: PropsChanges | undefined, b: PropsChanges | undefined): { props?: PropsChanges } {
  if (!a && !b) return {};
  const out: PropsChanges = { ...a };
  for (const [id, p] of Object.entries(b ?? {})) out[id] = { ...out[id], ...p };
  return { props: out };
}
