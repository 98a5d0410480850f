import type { App, Launchable, QueueOptions } from "./App.ts";
import type { LayoutNode } from "./AppConfig.ts";
import type { AppOptions } from "./AppOptions.ts";
import { type BlocksBuilder, compileApp, type Renderable } from "./BlocksBuilder.ts";
import { button } from "./components/button/button.ts";
import { DaisError } from "./DaisError.ts";
import type { AnyHandle } from "./Handle.ts";
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
export class Interface<const I extends readonly ComponentSpec[], const O extends readonly ComponentSpec[], const B extends boolean = false> implements Launchable, Renderable {
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
    return compileApp(this, this.options);
  }

  /**
   * Inputs with Clear and Submit beside the outputs. Submit (and Enter in a one-line box) runs
   * fn; while it runs, Submit becomes Stop.
   */
  render(ui: BlocksBuilder): void {
    const names = paramNames(this.fn);
    // As in Gradio, the n-th state output writes the n-th state input's slot, so a value
    // returned for "state" is what the next run receives.
    const states: AnyHandle[] = [];
    const inputs: AnyHandle[] = [];
    const outputs: AnyHandle[] = [];
    // The buttons sit under the inputs but are made last, so inputs and outputs keep the
    // first ids (input 0, output 1 for the simplest app), as before Blocks.
    const buttons: Extract<LayoutNode, { type: "row" }> = { type: "row", props: {}, children: [] };
    ui.row({ variant: "panel" }, () => {
      ui.column({ label: "Inputs", variant: "panel" }, () => {
        this.inputs.forEach((c, i) => {
          const h = ui.add(isState(c) ? c : labelled(c, names[i] ?? defaultLabel(c.kind, "input")));
          if (isState(c)) states.push(h);
          inputs.push(h);
        });
        ui.place(buttons);
      });
      ui.column({ label: "Outputs", variant: "panel" }, () => {
        let nthState = 0;
        for (const c of this.outputs) outputs.push(isState(c) ? (states[nthState++] ?? ui.add(c)) : ui.add(labelled(c, defaultLabel(c.kind, "output"))));
      });
    });
    const clear = ui.add(button({ value: "Clear", action: "clear" }), { place: false });
    const submit = ui.add(button({ value: "Submit", variant: "primary" }), { place: false });
    buttons.children.push({ type: "component", id: clear.id }, { type: "component", id: submit.id });
    const enter = inputs.filter((h) => h.component.kind === "textbox" && (h.component.props.lines ?? 1) <= 1);
    ui.listen([{ id: submit.id, event: "click" }, ...enter.map((h) => ({ id: h.id, event: "submit" as const }))], {
      ...queueOptions(this.options),
      fn: this.fn,
      inputs,
      outputs,
      apiName: "predict",
    });
  }
}

function labelled(c: AnyComponent, label: string): AnyComponent {
  return c.props.label ? c : { ...c, props: { ...c.props, label } };
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
