import type { VisibleKind } from "@dais/core";
import { signal } from "@preact/signals";
import type { Renderer } from "./Renderer.ts";
import { renderers } from "./renderers.ts";

// Renderers fetched so far, by kind. The page loads its kinds before the first render
// (`loadRenderers`), so a component is never drawn as a placeholder first and then replaced.
const loaded = new Map<VisibleKind, Renderer<VisibleKind>>();
const pending = new Map<VisibleKind, Promise<void>>();
/** Bumped when a renderer arrives, so a component drawn before it had one draws again. */
const arrivals = signal(0);

function load(kind: VisibleKind): Promise<void> {
  const entry = renderers[kind];
  if (typeof entry === "function") return Promise.resolve();
  let p = pending.get(kind);
  if (!p) {
    p = entry.load().then((r) => {
      loaded.set(kind, r as Renderer<VisibleKind>);
      arrivals.value++;
    });
    pending.set(kind, p);
  }
  return p;
}

/** Fetches, in parallel, the lazily loaded renderers of the given kinds (those an app uses). */
export async function loadRenderers(kinds: Iterable<VisibleKind>): Promise<void> {
  await Promise.all([...new Set(kinds)].map(load));
}

/** The renderer of a kind, or undefined while its chunk is still on its way (it is then fetched). */
export function rendererFor<K extends VisibleKind>(kind: K): Renderer<K> | undefined {
  const entry = renderers[kind];
  if (typeof entry === "function") return entry as Renderer<K>;
  const ready = loaded.get(kind);
  if (ready) return ready as Renderer<K>;
  void arrivals.value; // subscribes the caller, which draws again once the chunk is here
  load(kind).catch(() => undefined); // a failed fetch leaves the placeholder; a reload retries
  return undefined;
}
