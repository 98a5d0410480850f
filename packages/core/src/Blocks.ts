import type { App, Launchable } from "./App.ts";
import type { AppOptions } from "./AppOptions.ts";
import { BlocksBuilder, type Renderable } from "./BlocksBuilder.ts";
import { DaisError } from "./DaisError.ts";

export type BlocksOptions = AppOptions;

/**
 * Any layout, any events: place components with `ui`, nest rows, columns, tabs and accordions,
 * and wire events to functions whose types follow from their inputs and outputs.
 * @example
 * const demo = new Blocks({ title: "Greeter" }, (ui) => {
 *   const name = ui.textbox({ label: "Name" });
 *   const out = ui.textbox({ label: "Greeting" });
 *   ui.button("Greet").click({ fn: (n: string) => `Hello ${n}!`, inputs: [name], outputs: [out] });
 * });
 */
export class Blocks implements Launchable, Renderable {
  readonly options: BlocksOptions;
  private readonly build: (ui: BlocksBuilder) => void;
  private plan: App | undefined;

  constructor(build: (ui: BlocksBuilder) => void);
  constructor(options: BlocksOptions, build: (ui: BlocksBuilder) => void);
  constructor(a: BlocksOptions | ((ui: BlocksBuilder) => void), b?: (ui: BlocksBuilder) => void) {
    const build = typeof a === "function" ? a : b;
    if (typeof build !== "function") throw new DaisError("internal", "Blocks needs a function that builds the app: new Blocks(options, (ui) => { ... }).");
    this.options = typeof a === "function" ? {} : a;
    this.build = build;
    // Built once now, so a mistake in the layout or the events shows where the app is made.
    this.plan = this.compile();
  }

  /** Places this app's components and events into another app (TabbedInterface, a bigger Blocks). */
  render(ui: BlocksBuilder): void {
    this.build(ui);
  }

  toApp(): App {
    this.plan ??= this.compile();
    return this.plan;
  }

  private compile(): App {
    const ui = new BlocksBuilder();
    this.render(ui);
    return ui.compile(this.options);
  }
}
