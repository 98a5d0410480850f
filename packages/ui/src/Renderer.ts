import type { ComponentConfig } from "@dais/core";
import type { Signal } from "@preact/signals";
import type { JSX } from "preact";
import type { AppState } from "./AppState.ts";

export interface RendererProps<P = Record<string, unknown>> {
  config: ComponentConfig & { props: P };
  /** The component's current wire value; inputs write it, server frames replace it. */
  value: Signal<unknown>;
  /** Inputs are editable; outputs only show. */
  interactive: boolean;
  /** The element id the label points at. */
  domId: string;
  /** Submits the app (Enter in a one-line textbox). */
  onSubmit: () => void;
  app: AppState;
}

export type Renderer = (props: RendererProps<never>) => JSX.Element | null;
