import type { QueueOptions } from "./App.ts";
import type { InOf, OutOf } from "./Component.ts";
import type { EventName, TriggerMode } from "./events.ts";
import type { Returns } from "./PredictFn.ts";
import type { AnyComponent, EventsOf } from "./registry.ts";
import type { RunContext } from "./RunContext.ts";
import type { Update } from "./update.ts";

/** What every handle is: a component placed in an app, under an id. */
export interface AnyHandle {
  readonly id: number;
  readonly component: AnyComponent;
}

/**
 * A component placed by `ui.textbox(...)` and the like. It carries the component's value types,
 * so a function listing it in `inputs`/`outputs` is checked against them, and one method per
 * event its kind has (`button.click`, `textbox.submit`, `slider.release`, ...).
 */
export type Handle<C extends AnyComponent> = { readonly id: number; readonly component: C } & { readonly [E in EventsOf<C["kind"]>]: Listen };

/** What fn receives for a list of handles, then the run context. */
export type HandleArgs<I extends readonly AnyHandle[]> = [...{ -readonly [K in keyof I]: InOf<I[K]["component"]> }, RunContext];

/** What fn may give one output: its value, or an `update()` of its props (and value). */
export type HandleOut<H extends AnyHandle> = OutOf<H["component"]> | Update<OutOf<H["component"]>>;

/**
 * What fn returns for a list of handles: one output's value directly, several as a tuple with
 * one value per output. A tuple (`[a, b] as const`, or a declared tuple type) is checked place by
 * place; a plain array (what `return [a, b]` infers when fn's parameters are all annotated) can
 * only be checked item by item against every output.
 */
export type HandleResult<O extends readonly AnyHandle[]> = O extends readonly [infer One extends AnyHandle]
  ? HandleOut<One>
  : O extends readonly []
    ? void | null | undefined
    : { -readonly [K in keyof O]: HandleOut<O[K]> } | { readonly [K in keyof O]: HandleOut<O[K]> } | HandleOut<O[number]>[];

export type BlockFn<I extends readonly AnyHandle[], O extends readonly AnyHandle[]> = (...args: HandleArgs<I>) => Returns<HandleResult<O>>;

export interface ListenerOptions<N extends string | false | undefined = string | false | undefined> extends Omit<QueueOptions, "batch" | "maxBatchSize"> {
  /** The endpoint name for programs (default: its key in the record the build returns, else fn's name); `false` hides it from the API. */
  apiName?: N;
  /** What it does, for the API page and MCP tools (default: none). */
  description?: string;
  /** Runs of these events stop when this one fires (a Stop button). */
  cancels?: readonly EventRef[];
  /** What happens when it fires again while its last run goes. Default: `once` for clicks and submits, `always_last` otherwise. */
  triggerMode?: TriggerMode;
}

export interface ListenerSpec<I extends readonly AnyHandle[], O extends readonly AnyHandle[], N extends string | false | undefined = string | false | undefined> extends ListenerOptions<N> {
  /** The function; may be left out for an event that only `cancels` others. */
  fn?: NoInfer<BlockFn<I, O>>;
  inputs?: I;
  outputs?: O;
}

/** Wires an event to a function: `button.click({ fn, inputs, outputs })`. */
export type Listen = <const I extends readonly AnyHandle[] = [], const O extends readonly AnyHandle[] = [], const N extends string | false | undefined = undefined>(
  spec: ListenerSpec<I, O, N>,
) => EventRef<N, I, O>;

/** Wires several events to one function: `ui.on([[send, "click"], [box, "submit"]], { fn, ... })`. */
export type On = <const I extends readonly AnyHandle[] = [], const O extends readonly AnyHandle[] = [], const N extends string | false | undefined = undefined>(
  triggers: readonly (readonly [AnyHandle, Exclude<EventName, "load">])[],
  spec: ListenerSpec<I, O, N>,
) => EventRef<N, I, O>;

/**
 * A wired event: `.then(...)` runs another function after it succeeds. It keeps its `apiName`
 * and its handles in its type, so an app that returns its events from the build
 * (`return { greet }`) lets `connect<typeof app>` type each endpoint.
 */
export interface EventRef<N extends string | false | undefined = string | false | undefined, I extends readonly AnyHandle[] = readonly AnyHandle[], O extends readonly AnyHandle[] = readonly AnyHandle[]> {
  /** The function's id in the app plan. */
  readonly fn: number;
  readonly then: Listen;
  /** The `apiName` it was given, if any. */
  readonly apiName: N;
  readonly inputs: I;
  readonly outputs: O;
}
