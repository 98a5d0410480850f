import type { AppConfig } from "./AppConfig.ts";
import type { FeedbackHandler } from "./FeedbackEvent.ts";
import type { AnyPredictFn } from "./PredictFn.ts";
import type { AnyComponent } from "./registry.ts";

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

/** One function of the plan: what it reads and writes, by component id (states included). */
export interface AppFn extends QueueOptions {
  readonly id: number;
  /** null for an event that only cancels others. */
  readonly fn: AnyPredictFn | null;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Its endpoint name for programs, or null when hidden. */
  readonly apiName: string | null;
  /** For API pages and MCP tools: what it does. */
  readonly description?: string;
}

/**
 * The app plan: an app reduced to what the server runs. Every app (Blocks, and Interface,
 * ChatInterface and TabbedInterface built on it) compiles to one: the page's config (components,
 * layout tree, functions with triggers) and, by id, the components (states included) and fns.
 */
export interface App {
  readonly config: AppConfig;
  /** Every component by id; states are here but never in the config. */
  readonly components: ReadonlyMap<number, AnyComponent>;
  /** Functions by id (index). */
  readonly fns: readonly AppFn[];
  readonly onFeedback?: FeedbackHandler | undefined;
  /** Where the server logs feedback when there is no `onFeedback`. */
  readonly flaggingDir: string;
}

/** Anything that can be launched. */
export interface Launchable {
  toApp(): App;
}
