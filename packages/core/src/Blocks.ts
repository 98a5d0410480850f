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
 *
 * A build may return its events by name (`return { greet: button.click(...) }`): each becomes
 * the endpoint of that name (unless it has an `apiName`), and `connect<typeof demo>(url)` from
 * `dais/client` then knows their parameter and result types.
 */
export class Blocks<E = void> implements Launchable, Renderable {
  readonly options: BlocksOptions;
  /** What the build returned when the app was made: its named events, for the app's type. */
  readonly events: E;
  private readonly build: (ui: BlocksBuilder) => E;
  private plan: App | undefined;

  constructor(build: (ui: BlocksBuilder) => E);
  constructor(options: BlocksOptions, build: (ui: BlocksBuilder) => E);
  constructor(a: BlocksOptions | ((ui: BlocksBuilder) => E), b?: (ui: BlocksBuilder) => E) {
    const build = typeof a === "function" ? a : b;
    if (typeof build !== "function") throw new DaisError("internal", "Blocks needs a function that builds the app: new Blocks(options, (ui) => { ... }).");
    this.options = typeof a === "function" ? {} : a;
    this.build = build;
    // Built once now, so a mistake in the layout or the events shows where the app is made.
    const ui = new BlocksBuilder();
    this.events = this.place(ui);
    this.plan = ui.compile(this.options);
  }

  /** Places this app's components and events into another app (TabbedInterface, a bigger Blocks). */
  render(ui: BlocksBuilder): void {
    this.place(ui);
  }

  toApp(): App {
    if (!this.plan) {
      const ui = new BlocksBuilder();
      this.place(ui);
      this.plan = ui.compile(this.options);
    }
    return this.plan;
  }

  private place(ui: BlocksBuilder): E {
    const events = this.build(ui);
    ui.nameEvents(events);
    return events;
  }
}
