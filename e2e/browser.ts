import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/**
 * A real headless Chromium for the browser tests: $DAIS_CHROMIUM, Debian's /usr/bin/chromium
 * (.ci/run installs it), or the one inside the @sparticuz/chromium npm package, so a fresh
 * machine with only `pnpm install` still has a browser. `extraArgs` adds flags (a fake microphone). It never skips silently: with no
 * browser at all it throws and the tests fail.
 */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  const executablePath = await findChromium();
  return chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", ...extraArgs],
  });
}

async function findChromium(): Promise<string> {
  const candidates = [process.env.DAIS_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const { default: sparticuz } = await import("@sparticuz/chromium");
  return sparticuz.executablePath();
}
