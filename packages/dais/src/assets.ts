import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";

/** The UI's built files, which the server serves; the only contact between the two. */
export function uiAssets(): string {
  const index = createRequire(import.meta.url).resolve("@dais/ui/dist/index.html");
  return dirname(index);
}

/** Checked at launch so a missing UI build fails with a fix, not a blank page. */
export function checkAssets(dir: string): void {
  if (!existsSync(`${dir}/app.js`)) throw new Error(`The Dais UI is not built (no ${dir}/app.js). Run: pnpm build`);
}
