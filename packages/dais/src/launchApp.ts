import type { Launchable } from "@dais/core";
import { type Launched, type LaunchOptions, launch, processRole } from "@dais/server";
import { checkAssets, uiAssets } from "./assets.ts";

/** Serves any app with the UI's built files. */
export function launchApp(app: Launchable, options: LaunchOptions = {}): Promise<Launched> {
  let assets = options.assets;
  // A worker serves no pages, so it needs no UI build.
  const worker = (options.role ?? processRole()) === "worker" && (options.redis ?? process.env.DAIS_REDIS_URL);
  if (assets === undefined && worker) assets = "";
  if (assets === undefined) {
    assets = uiAssets();
    checkAssets(assets);
  }
  return launch(app, { ...options, assets });
}
