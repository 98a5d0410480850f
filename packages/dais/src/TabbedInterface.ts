import { TabbedInterface as CoreTabbedInterface } from "@dais/core";
import type { Launched, LaunchOptions } from "@dais/server";
import { launchApp } from "./launchApp.ts";

/**
 * Several apps on one page, a tab each; `launch()` serves it.
 * @example await new TabbedInterface([hello, chat], ["Hello", "Chat"]).launch();
 */
export class TabbedInterface extends CoreTabbedInterface {
  /** Serves the app; resolves to its URL and a `close()`. */
  launch(options: LaunchOptions = {}): Promise<Launched> {
    return launchApp(this, options);
  }
}
