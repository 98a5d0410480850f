import type { AppConfig } from "./AppConfig.ts";
import type { StateComponent } from "./components/state.ts";
import type { FeedbackHandler } from "./FeedbackEvent.ts";
import type { AnyPredictFn } from "./PredictFn.ts";
import type { AnyComponent } from "./registry.ts";

/** Where a fn's argument comes from or its result goes: a visible component, or a state slot. */
export type Binding = { readonly component: number } | { readonly state: number };

export interface AppFn {
  readonly fn: AnyPredictFn;
  readonly inputs: readonly Binding[];
  readonly outputs: readonly Binding[];
}

/**
 * An app reduced to what the server runs: its config for the UI, its components by id, its
 * state slots and its functions. Interface (and later ChatInterface, Blocks) compile to this.
 */
export interface App {
  readonly config: AppConfig;
  /** Visible components, indexed by id. */
  readonly components: readonly AnyComponent[];
  /** State slots, indexed by slot number; each session holds one value per slot. */
  readonly states: readonly StateComponent<unknown>[];
  readonly fns: readonly AppFn[];
  readonly onFeedback?: FeedbackHandler | undefined;
  /** Where the server logs feedback when there is no `onFeedback`. */
  readonly flaggingDir: string;
}

/** Anything that can be launched. */
export interface Launchable {
  toApp(): App;
}
