import type { Launchable } from "@dais/core";
import { type Launched, type LaunchOptions, launch } from "@dais/server";
import { checkAssets, uiAssets } from "./assets.ts";

/** Serves any app with the UI's built files. */
export function launchApp(app: Launchable, options: LaunchOptions = {}): Promise<Launched> {
  let assets = options.assets;
  if (assets === undefined) {
    assets = uiAssets();
    checkAssets(assets);
  }
  return launch(app, { ...options, assets });
}
