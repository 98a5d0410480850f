import { Blocks as CoreBlocks } from "@dais/core";
import type { Launched, LaunchOptions } from "@dais/server";
import { launchApp } from "./launchApp.ts";

/**
 * Any layout, any events; `launch()` serves it.
 * @example
 * await new Blocks({ title: "Greeter" }, (ui) => {
 *   const name = ui.textbox({ label: "Name" });
 *   const out = ui.textbox({ label: "Greeting" });
 *   ui.button("Greet").click({ fn: (n: string) => `Hello ${n}!`, inputs: [name], outputs: [out] });
 * }).launch();
 */
export class Blocks<E = void> extends CoreBlocks<E> {
  /** Serves the app; resolves to its URL and a `close()`. */
  launch(options: LaunchOptions = {}): Promise<Launched> {
    return launchApp(this, options);
  }
}
