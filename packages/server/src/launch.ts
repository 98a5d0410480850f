import type { Launchable } from "@dais/core";
import { gradioAdapter } from "./adapters/gradio/gradioAdapter.ts";
import type { AccessGate } from "./access/AccessGate.ts";
import { type Auth, loginGate } from "./access/loginGate.ts";
import { newToken, tokenGate } from "./access/tokenGate.ts";
import { configIdOf, createServer, type DaisServer, normalizeRootPath, type ServerOptions } from "./createServer.ts";
import { connectRedis, type ProcessRole, type RedisBackend } from "./connectRedis.ts";
import { processRole, redisUrl } from "./processRole.ts";
import { openaiAdapter } from "./adapters/openai/openaiAdapter.ts";
import { lanAddresses } from "./lanAddresses.ts";
import { listen } from "@dais/relay";
import { printShare } from "./printShare.ts";
import { isLoopback } from "./visitorOf.ts";

export interface LaunchOptions extends Partial<Omit<ServerOptions, "gates">> {
  /** Port to listen on. Default: $DAIS_SERVER_PORT, else the first free port from 7860. */
  port?: number;
  /**
   * Interface to listen on. Default: $DAIS_SERVER_NAME, else 127.0.0.1 (this machine only), or
   * 0.0.0.0 with `share: true`.
   */
  host?: string;
  /**
   * `true`: share on the local network, with an access token in the printed links (and a QR code).
   * A relay URL (`https://relay.example/?key=…`): a public link through a `dais relay`.
   * Default: $DAIS_SHARE ("1" or a relay URL).
   */
  share?: boolean | string;
  /** A login page: `[user, password]`, several pairs, or a function that checks. */
  auth?: Auth;
  /** Print nothing. */
  quiet?: boolean;
  /** Serve Gradio's API (`@gradio/client`, `gradio_client`, curl) and the "Use via API" page. Default true. */
  gradioApi?: boolean;
  /** OpenAI's chat API (`v1/chat/completions`, `v1/models`) for an app with a ChatInterface. Default true. */
  openai?: boolean;
  /** Serve every named endpoint as an MCP tool over Streamable HTTP at `mcp`. Default: $DAIS_MCP_SERVER ("1"), else false. */
  mcpServer?: boolean;
  /**
   * A Redis URL: sessions, frame logs, queues and limits live there, so several processes serve
   * the app (needs the ioredis and bullmq packages). Default: $DAIS_REDIS_URL; false: in process.
   */
  redis?: string | false;
  /** With Redis: serve pages ("web"), run functions ("worker"), or both. Default: $DAIS_ROLE, else "both". */
  role?: ProcessRole;
  /** Names the app's keys and queues in Redis. Default: $DAIS_REDIS_PREFIX, else "dais". */
  redisPrefix?: string;
  /** With Redis: how long a worker's hold on a run lasts; a run whose worker died ends about this long after. Default 10 s. */
  workerLockMs?: number;
}

export interface Launched {
  /** Where the app is served on this machine, e.g. `http://127.0.0.1:7860/` (with the token when shared). */
  url: string;
  /** Links for testers on the network (`share: true`), token included. */
  lanUrls: string[];
  /** The public link through a relay, when one was made. */
  shareUrl?: string;
  server: DaisServer;
  close(graceMs?: number): Promise<void>;
}

const defaultPort = 7860;
const portsScanned = 100;

/** `share` from the options, else from $DAIS_SHARE ("1"/"true", or a relay URL). */
function shareOption(options: LaunchOptions): boolean | string {
  if (options.share !== undefined) return options.share;
  const env = process.env.DAIS_SHARE;
  if (!env || env === "0" || env === "false") return false;
  return env === "1" || env === "true" ? true : env;
}

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
  const share = shareOption(options);
  const host = options.host ?? process.env.DAIS_SERVER_NAME ?? (share === true ? "0.0.0.0" : "127.0.0.1");
  const rootPath = normalizeRootPath(options.rootPath ?? process.env.DAIS_ROOT_PATH);
  const plan = app.toApp();
  const gates: AccessGate[] = [];
  // A restarted app (dais run --reload) keeps its token, so the links already shared still work.
  const token = share === true ? (process.env.DAIS_SHARE_TOKEN ?? newToken()) : undefined;
  // Through a relay every visitor arrives from the tunnel on loopback, and the relay says who
  // they are; otherwise forwarded headers are believed only when the app says so.
  const trustProxy = options.trustProxy ?? (typeof share === "string" ? "loopback" : false);
  // On loopback, only this machine's names (and allowedHosts): a DNS-rebinding page is refused.
  const allowedHosts = options.allowedHosts ?? (isLoopback(host) ? [] : true);
  if (token) gates.push(tokenGate(token, `${rootPath}/`, trustProxy));
  if (options.auth) gates.push(loginGate(options.auth, `${rootPath}/`, plan.config.title, trustProxy));
  const mcp = options.mcpServer ?? ["1", "true"].includes(process.env.DAIS_MCP_SERVER ?? "");
  // The MCP SDK takes a while to load: only apps that serve MCP pay for it.
  const mcpAdapter = mcp ? (await import("./adapters/mcp/mcpAdapter.ts")).mcpAdapter() : undefined;
  const adapters = [
    ...(options.gradioApi === false ? [] : [gradioAdapter({ allowedOrigins: options.allowedOrigins ?? [] })]),
    ...(options.openai === false ? [] : [openaiAdapter()]),
    ...(mcpAdapter ? [mcpAdapter] : []),
    ...(options.adapters ?? []),
  ];
  const redis = options.redis === false ? undefined : (options.redis ?? redisUrl());
  const role = options.role ?? processRole();
  let backend: RedisBackend | undefined;
  if (redis) {
    backend = await connectRedis(plan, configIdOf(plan), {
      url: redis,
      role,
      ttl: options.ttl ?? 60 * 60 * 1000,
      ...(options.defaultConcurrencyLimit === undefined ? {} : { defaultConcurrencyLimit: options.defaultConcurrencyLimit }),
      ...(options.redisPrefix ?? process.env.DAIS_REDIS_PREFIX ? { prefix: options.redisPrefix ?? process.env.DAIS_REDIS_PREFIX } : {}),
      ...(options.workerLockMs === undefined ? {} : { lockDuration: options.workerLockMs }),
    });
  }
  const server = createServer(plan, { ...options, rootPath, gates, trustProxy, allowedHosts, adapters, ...backend?.options });
  const queues = backend ? await backend.start(server.runtime) : [];
  if (backend && role === "worker") {
    // A worker serves no pages: it takes runs from the queues until it is closed.
    const closeWorker = async (graceMs = 5000) => {
      await backend.close(graceMs);
      await server.runtime.close(0);
    };
    if (!options.quiet) console.log(`Worker ready: ${plan.config.title || "app"} (queues: ${queues.join(", ")})`);
    return { url: "", lanUrls: [], server, close: closeWorker };
  }
  const port = await listen(server.http, host, explicit ?? defaultPort, explicit === undefined ? portsScanned : 1);
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const link = (h: string) => `http://${h}:${port}${rootPath}/${token ? `?token=${token}` : ""}`;
  const lanUrls = share === true && (host === "0.0.0.0" || host === "::") ? lanAddresses().map(link) : [];
  const closeServer = async (graceMs?: number) => {
    // Runs this process works on finish (up to the grace) before its connections close.
    await backend?.close(graceMs ?? 5000);
    await server.close(backend ? 0 : graceMs);
  };
  const launched: Launched = { url: link(shown), lanUrls, server, close: closeServer };
  if (!options.quiet) {
    if (share === true) await printShare(launched.url, lanUrls);
    // "Running on http://127.0.0.1:7860", as Gradio prints it; a path prefix keeps its slash.
    else console.log(`Running on ${rootPath ? launched.url : launched.url.slice(0, -1)}`);
  }
  if (typeof share === "string") {
    const { shareThroughRelay } = await import("@dais/relay");
    // The tunnel reaches the app where it listens (loopback when it listens everywhere).
    const shared = await shareThroughRelay(share, `http://${shown}:${port}${rootPath}/`);
    if (shared) {
      launched.shareUrl = shared.url;
      launched.close = async (graceMs?: number) => {
        await shared.close();
        await closeServer(graceMs);
      };
    }
  }
  return launched;
}
