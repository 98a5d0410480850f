import type { ComponentSpec, ValueIn, ValueOut } from "./registry.ts";
import type { RunContext } from "./RunContext.ts";

/** What fn receives: one value per input, in order, then the run context. */
export type PredictArgs<I extends readonly ComponentSpec[]> = [...{ -readonly [K in keyof I]: ValueIn<I[K]> }, RunContext];

/**
 * The intersection of a tuple's types, `any` left out (the untyped `"state"` would make it all
 * `any`); `unknown` for none, or for an array of unknown length.
 */
type AllOf<T extends readonly unknown[]> = T extends readonly [infer Head, ...infer Rest] ? (0 extends 1 & Head ? AllOf<Rest> : Head & AllOf<Rest>) : unknown;

/**
 * What fn returns: one output's value directly, several as a tuple, or as an array (a declared
 * function's `return [a, b]` infers an array type, not a tuple). An array says nothing of which
 * item goes where, so each item must suit every output: `[next, next]` for `["chatbot", "state"]`
 * passes, `[1, 2]` does not. Items of different kinds need a tuple: `return [text, n] as const`.
 */
export type PredictResult<O extends readonly ComponentSpec[]> = O extends readonly [infer One]
  ? ValueOut<One>
  : O extends readonly []
    ? void | null | undefined
    : { readonly [K in keyof O]: ValueOut<O[K]> } | readonly AllOf<{ -readonly [K in keyof O]: ValueOut<O[K]> }>[];

/** A value, a promise of one, or a generator of partial results (streaming). */
export type Returns<R> = R | Promise<R> | AsyncIterable<R> | Generator<R, unknown, unknown>;

/** The predict function a set of components calls for. */
export type PredictFn<I extends readonly ComponentSpec[], O extends readonly ComponentSpec[]> = (...args: PredictArgs<I>) => Returns<PredictResult<O>>;

/** Any predict function, as the runner sees it. */
export type AnyPredictFn = (...args: never[]) => unknown;

/** A batch function: each input arrives as a list (one item per waiting run), in order. */
export type BatchArgs<I extends readonly ComponentSpec[]> = [...{ -readonly [K in keyof I]: ValueIn<I[K]>[] }, RunContext];

/** A batch function returns, per output, a list with one item per run (one list for one output). */
export type BatchResult<O extends readonly ComponentSpec[]> = O extends readonly [infer One]
  ? readonly ValueOut<One>[]
  : { -readonly [K in keyof O]: readonly ValueOut<O[K]>[] } | readonly (readonly ValueOut<O[number]>[])[];

export type BatchFn<I extends readonly ComponentSpec[], O extends readonly ComponentSpec[]> = (...args: BatchArgs<I>) => BatchResult<O> | Promise<BatchResult<O>>;
