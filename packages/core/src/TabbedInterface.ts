import type { App, Launchable } from "./App.ts";
import type { AppOptions } from "./AppOptions.ts";
import { type BlocksBuilder, compileApp, type Renderable } from "./BlocksBuilder.ts";
import { DaisError } from "./DaisError.ts";

/**
 * Several apps on one page, one tab each, as Gradio's `TabbedInterface`. Each keeps its own
 * components, functions and queues; endpoint names stay unique (`predict`, `predict_1`).
 * @example new TabbedInterface([hello, chat], ["Hello", "Chat"], { title: "Two demos" })
 */
export class TabbedInterface implements Launchable, Renderable {
  constructor(
    readonly apps: readonly Renderable[],
    readonly names: readonly string[] = [],
    readonly options: AppOptions = {},
  ) {
    if (!Array.isArray(apps) || apps.length === 0 || !apps.every((a) => typeof a?.render === "function"))
      throw new DaisError("internal", "TabbedInterface needs a list of apps (Interface, ChatInterface, Blocks).");
  }

  render(ui: BlocksBuilder): void {
    ui.tabs(() => this.apps.forEach((app, i) => ui.tab(this.names[i] ?? `Tab ${i + 1}`, () => app.render(ui))));
  }

  toApp(): App {
    return compileApp(this, this.options);
  }
}
