import { type ComponentSpec, Interface as CoreInterface } from "@dais/core";
import type { Launched, LaunchOptions } from "@dais/server";
import { launchApp } from "./launchApp.ts";

/**
 * The quickest app: one function, its inputs, its outputs; `launch()` serves it.
 * @example
 * await new Interface({ fn: (name: string) => `Hello, ${name}!`, inputs: ["text"], outputs: ["text"] }).launch();
 */
export class Interface<const I extends readonly ComponentSpec[], const O extends readonly ComponentSpec[], const B extends boolean = false> extends CoreInterface<I, O, B> {
  /** Serves the app; resolves to its URL and a `close()`. */
  launch(options: LaunchOptions = {}): Promise<Launched> {
    return launchApp(this, options);
  }
}
