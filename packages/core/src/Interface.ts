import type { App, Binding, Launchable, QueueOptions } from "./App.ts";
import { type AppOptions, appBase, componentConfigs } from "./AppOptions.ts";
import type { StateComponent } from "./components/state/state.ts";
import { DaisError } from "./DaisError.ts";
import type { AnyPredictFn, BatchFn, PredictFn } from "./PredictFn.ts";
import { type AnyComponent, type ComponentSpec, isState, resolveComponent } from "./registry.ts";
import { paramNames } from "./paramNames.ts";

export interface InterfaceOptions<I extends readonly ComponentSpec[], O extends readonly ComponentSpec[], B extends boolean = false>
  extends AppOptions,
    Omit<QueueOptions, "batch" | "queue" | "concurrencyId"> {
  /**
   * The predict function; its parameters and result are checked against `inputs`/`outputs`.
   * With `batch: true` it takes a list per input and returns a list per output.
   */
  fn: NoInfer<B extends true ? BatchFn<I, O> : PredictFn<I, O>>;
  /** Gather waiting runs into one call of fn with lists, up to `maxBatchSize`. */
  batch?: B;
  inputs: I;
  outputs: O;
}

/**
 * The quickest app: one function, its inputs, its outputs.
 * @example
 * new Interface({ fn: (name: string) => `Hello, ${name}!`, inputs: ["text"], outputs: ["text"] })
 */
export class Interface<const I extends readonly ComponentSpec[], const O extends readonly ComponentSpec[], const B extends boolean = false> implements Launchable {
  readonly fn: AnyPredictFn;
  readonly inputs: readonly AnyComponent[];
  readonly outputs: readonly AnyComponent[];
  readonly options: AppOptions & QueueOptions;

  constructor(options: InterfaceOptions<I, O, B>) {
    if (typeof options.fn !== "function") throw new DaisError("internal", "Interface needs `fn`, a function.");
    if (!Array.isArray(options.inputs) || !Array.isArray(options.outputs))
      throw new DaisError("internal", "Interface needs `inputs` and `outputs`, each a list of components.");
    this.fn = options.fn as AnyPredictFn;
    this.inputs = options.inputs.map(resolveComponent);
    this.outputs = options.outputs.map(resolveComponent);
    this.options = options;
  }

  toApp(): App {
    const components: AnyComponent[] = [];
    const states: StateComponent<unknown>[] = [];
    const names = paramNames(this.fn);
    const bindVisible = (c: AnyComponent, label: string): Binding => {
      components.push(c.props.label ? c : { ...c, props: { ...c.props, label } });
      return { component: components.length - 1 };
    };
    // As in Gradio, the n-th state output writes the n-th state input's slot, so a value
    // returned for "state" is what the next run receives.
    const inputs = this.inputs.map((c, i) => {
      if (!isState(c)) return bindVisible(c, names[i] ?? defaultLabel(c.kind, "input"));
      states.push(c);
      return { state: states.length - 1 };
    });
    const paired = states.length;
    let nthState = 0;
    const outputs = this.outputs.map((c): Binding => {
      if (!isState(c)) return bindVisible(c, defaultLabel(c.kind, "output"));
      const slot = nthState++;
      if (slot < paired) return { state: slot };
      states.push(c);
      return { state: states.length - 1 };
    });
    const ids = (bs: Binding[]) => bs.flatMap((b) => ("component" in b ? [b.component] : []));
    const base = appBase(this.options);
    return {
      ...base,
      config: {
        ...base.config,
        layout: "interface",
        components: componentConfigs(components),
        fns: [{ id: 0, inputs: ids(inputs), outputs: ids(outputs) }],
      },
      components,
      states,
      fns: [{ ...queueOptions(this.options), fn: this.fn, inputs, outputs }],
    };
  }
}

/** Gradio-like labels: "output" for a text output, the kind's name otherwise. */
function defaultLabel(kind: string, role: "input" | "output"): string {
  if (kind === "textbox") return role;
  return kind === "json" ? "JSON" : kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** The scheduling options of an app's options, and nothing else. */
export function queueOptions(o: QueueOptions): QueueOptions {
  const picked: QueueOptions = {};
  if (o.concurrencyLimit !== undefined) picked.concurrencyLimit = o.concurrencyLimit;
  if (o.concurrencyId !== undefined) picked.concurrencyId = o.concurrencyId;
  if (o.maxQueueSize !== undefined) picked.maxQueueSize = o.maxQueueSize;
  if (o.batch !== undefined) picked.batch = o.batch;
  if (o.maxBatchSize !== undefined) picked.maxBatchSize = o.maxBatchSize;
  if (o.timeLimit !== undefined) picked.timeLimit = o.timeLimit;
  if (o.queue !== undefined) picked.queue = o.queue;
  return picked;
}
