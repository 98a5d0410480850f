import type { VisibleKind } from "@dais/core";
import type { LazyRenderer, Renderer } from "./Renderer.ts";

/**
 * Marks a renderer as loaded on demand. Written with a literal `import()` so esbuild puts the
 * renderer (and what only it uses: a charting library, highlight.js) in a chunk of its own.
 * @example dataframe: lazy(() => import("./components/dataframe/Dataframe.tsx").then((m) => m.Dataframe))
 */
export function lazy<K extends VisibleKind>(load: () => Promise<Renderer<K>>): LazyRenderer<K> {
  return { load };
}
