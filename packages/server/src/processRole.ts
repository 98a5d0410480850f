import type { ProcessRole } from "./connectRedis.ts";

/**
 * What this process does when the app is scaled out on Redis: `"web"` serves pages and APIs
 * only (`dais run --no-worker`), `"worker"` runs functions only (`dais worker`), `"both"` does
 * both (plain `dais run`, and every app without Redis). Set by $DAIS_ROLE.
 */
export function processRole(): ProcessRole {
  const role = process.env.DAIS_ROLE;
  return role === "web" || role === "worker" ? role : "both";
}

/**
 * Whether this process runs the app's functions, so should load its model: false only in a web
 * process of a scaled-out app, whose runs go to workers. Lets a web process stay small.
 * @example
 * const predict = runsFunctions() ? await dialogpt({ model: "Xenova/DialoGPT-small" }) : notHere;
 */
export function runsFunctions(): boolean {
  return !(processRole() === "web" && redisUrl() !== undefined);
}

/** $DAIS_REDIS_URL, when set. */
export function redisUrl(): string | undefined {
  const url = process.env.DAIS_REDIS_URL;
  return url ? url : undefined;
}
