import type { AppConfig } from "./AppConfig.ts";
import type { StateComponent } from "./components/state/state.ts";
import type { FeedbackHandler } from "./FeedbackEvent.ts";
import type { AnyPredictFn } from "./PredictFn.ts";
import type { AnyComponent } from "./registry.ts";

/** Where a fn's argument comes from or its result goes: a visible component, or a state slot. */
export type Binding = { readonly component: number } | { readonly state: number };

/** How the server schedules a function's runs. */
export interface QueueOptions {
  /** Runs of this function (or its concurrency group) at once; `null` for no limit. Default 1. */
  concurrencyLimit?: number | null;
  /** Functions with the same id share one queue and one limit (e.g. Submit and Retry of a chat). */
  concurrencyId?: string;
  /** Most runs waiting; past it a run is refused with "queue full". Default no limit. */
  maxQueueSize?: number;
  /** Gather waiting runs into one call with lists (see `batch` in Interface). */
  batch?: boolean;
  /** Most runs per batch. Default 4. */
  maxBatchSize?: number;
  /** Milliseconds a run may take before it is stopped with a `timeout` error. */
  timeLimit?: number;
  /** `false` runs at once, outside the queue (for cheap functions such as Undo). Default true. */
  queue?: boolean;
}

export interface AppFn extends QueueOptions {
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
