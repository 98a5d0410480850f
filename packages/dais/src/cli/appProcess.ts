import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/** tsx's loader by absolute URL, so an app runs with `node --import <tsx> app.ts` from any folder. */
export const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** Runs the app's own files as ES modules whatever its package.json "type" (see loader/esmApp.mjs). */
export const esmAppLoader = new URL("../../loader/esmApp.mjs", import.meta.url).href;

/** Node's arguments for running an app file: TypeScript, top-level await, any package type. */
export function appNodeArgs(file: string): string[] {
  return ["--import", tsxLoader, "--import", esmAppLoader, file];
}

/** The port in an app's "Running on http://host:port" line, if the text holds one. */
export function printedPort(text: string): number | undefined {
  const port = /Running on https?:\/\/[^:/\s]+:(\d+)/.exec(text)?.[1];
  return port === undefined ? undefined : Number(port);
}
