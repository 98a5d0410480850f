import type { Launchable } from "@dais/core";
import { createServer, type DaisServer, type ServerOptions } from "./createServer.ts";
import { listen } from "./listen.ts";

export interface LaunchOptions extends Partial<ServerOptions> {
  /** Port to listen on. Default: $DAIS_SERVER_PORT, else the first free port from 7860. */
  port?: number;
  /** Interface to listen on. Default: $DAIS_SERVER_NAME, else 127.0.0.1 (this machine only). */
  host?: string;
  /** Print nothing. */
  quiet?: boolean;
}

export interface Launched {
  /** Where the app is served, e.g. `http://127.0.0.1:7860/`. */
  url: string;
  server: DaisServer;
  close(graceMs?: number): Promise<void>;
}

const defaultPort = 7860;
const portsScanned = 100;

/**
 * Serves an app and resolves once it is listening.
 * @example
 * const { url, close } = await launch(app, { assets: "/path/to/ui/dist", port: 0 });
 */
export async function launch(app: Launchable, options: LaunchOptions & { assets: string }): Promise<Launched> {
  const envPort = process.env.DAIS_SERVER_PORT;
  const explicit = options.port ?? (envPort ? Number(envPort) : undefined);
  if (explicit !== undefined && !(Number.isInteger(explicit) && explicit >= 0 && explicit < 65536))
    throw new Error(`Port must be a whole number from 0 to 65535, got ${String(options.port ?? envPort)}.`);
  const host = options.host ?? process.env.DAIS_SERVER_NAME ?? "127.0.0.1";
  const server = createServer(app.toApp(), options);
  const port = await listen(server.http, host, explicit ?? defaultPort, explicit === undefined ? portsScanned : 1);
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${shown}:${port}/`;
  if (!options.quiet) console.log(`Running on ${url.slice(0, -1)}`);
  return { url, server, close: (graceMs?: number) => server.close(graceMs) };
}
