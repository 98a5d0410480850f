import type { Launchable } from "@dais/core";
import { type Launched, type LaunchOptions, launch, PortInUseError, processRole } from "@dais/server";
import { checkAssets, uiAssets } from "./assets.ts";

/**
 * Serves any app with the UI's built files. A port asked for that is taken ends the app's
 * process with one line naming `--port`, as a command line tool would, not with a stack trace.
 */
export async function launchApp(app: Launchable, options: LaunchOptions = {}): Promise<Launched> {
  let assets = options.assets;
  // A worker serves no pages, so it needs no UI build.
  const worker = (options.role ?? processRole()) === "worker" && (options.redis ?? process.env.DAIS_REDIS_URL);
  if (assets === undefined && worker) assets = "";
  if (assets === undefined) {
    assets = uiAssets();
    checkAssets(assets);
  }
  try {
    return await launch(app, { ...options, assets });
  } catch (e) {
    if (!(e instanceof PortInUseError)) throw e;
    console.error(e.message);
    process.exit(1);
  }
}
