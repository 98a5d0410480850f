import type { ComponentPropsMap, KindConfig, VisibleKind } from "@dais/core";
import type { Signal } from "@preact/signals";
import type { JSX } from "preact";
import type { AppState } from "./AppState.ts";

/** What a renderer of kind K gets: its config (props already merged with runs' updates). */
export interface RendererProps<K extends VisibleKind> {
  config: KindConfig<K> & { props: ComponentPropsMap[K] };
  /** The component's current wire value; inputs write it, server frames replace it. */
  value: Signal<unknown>;
  /** Whether the person can edit it. */
  interactive: boolean;
  /** The element id the label points at. */
  domId: string;
  /** Enter in a one-line box: fires the component's `submit` event. */
  onSubmit: () => void;
  app: AppState;
}

export type Renderer<K extends VisibleKind> = (props: RendererProps<K>) => JSX.Element | null;

/**
 * A renderer in a chunk of its own, fetched only by a page whose app has a component of its
 * kind. Made with `lazy(() => import("./components/<kind>/<Kind>.tsx").then((m) => m.<Kind>))`.
 */
export interface LazyRenderer<K extends VisibleKind> {
  readonly load: () => Promise<Renderer<K>>;
}

/**
 * One renderer per visible kind, in the main bundle or lazily loaded; a kind added to core
 * without one here fails to compile, and so does a renderer of another kind.
 */
export type RendererMap = { [K in VisibleKind]: Renderer<K> | LazyRenderer<K> };
