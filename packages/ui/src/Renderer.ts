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

/** One renderer per visible kind; a kind added to core without one here fails to compile. */
export type RendererMap = { [K in VisibleKind]: Renderer<K> };
