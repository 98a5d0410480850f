import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/** tsx's loader by absolute URL, so an app runs with `node --import <tsx> app.ts` from any folder. */
export const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** The port in an app's "Running on http://host:port" line, if the text holds one. */
export function printedPort(text: string): number | undefined {
  const port = /Running on https?:\/\/[^:/\s]+:(\d+)/.exec(text)?.[1];
  return port === undefined ? undefined : Number(port);
}
