import { type ComponentSpec, Interface as CoreInterface } from "@dais/core";
import { type Launched, type LaunchOptions, launch } from "@dais/server";
import { checkAssets, uiAssets } from "./assets.ts";

/**
 * The quickest app: one function, its inputs, its outputs; `launch()` serves it.
 * @example
 * await new Interface({ fn: (name: string) => `Hello, ${name}!`, inputs: ["text"], outputs: ["text"] }).launch();
 */
export class Interface<const I extends readonly ComponentSpec[], const O extends readonly ComponentSpec[]> extends CoreInterface<I, O> {
  /** Serves the app; resolves to its URL and a `close()`. */
  launch(options: LaunchOptions = {}): Promise<Launched> {
    return launchApp(this, options);
  }
}

export function launchApp(app: CoreInterface<readonly ComponentSpec[], readonly ComponentSpec[]>, options: LaunchOptions): Promise<Launched> {
  let assets = options.assets;
  if (assets === undefined) {
    assets = uiAssets();
    checkAssets(assets);
  }
  return launch(app, { ...options, assets });
}
