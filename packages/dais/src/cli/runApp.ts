import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, watch } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { newToken } from "@dais/server";
import { appNodeArgs, printedPort } from "./appProcess.ts";
import type { Command } from "./Command.ts";

export interface RunOptions {
  port?: number | undefined;
  host?: string | undefined;
  /** true: on the local network; a string: through that relay. */
  share?: boolean | string | undefined;
  reload?: boolean | undefined;
  /** Serve the app's endpoints as MCP tools (launch's `mcpServer`). */
  mcp?: boolean | undefined;
  /** Arguments passed on to the app. */
  args?: string[];
  /** Redis for a scaled-out app (else $DAIS_REDIS_URL). */
  redis?: string | undefined;
  /** With Redis: "web" serves pages only (--no-worker), "worker" runs functions only (dais worker). */
  role?: "web" | "worker" | undefined;
}

/**
 * Runs a TypeScript app with no build step. With `reload`, restarts it when a file of its folder
 * changes, on the same port (and with the same share token), so the open page reconnects by
 * itself and reloads to show the new version.
 */
export async function runApp(file: string, options: RunOptions = {}): Promise<number> {
  const app = resolve(file);
  if (!existsSync(app)) {
    console.error(`No such file: ${file}`);
    return 2;
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.port !== undefined) env.DAIS_SERVER_PORT = String(options.port);
  if (options.host !== undefined) env.DAIS_SERVER_NAME = options.host;
  if (options.mcp) env.DAIS_MCP_SERVER = "1";
  if (options.redis !== undefined) env.DAIS_REDIS_URL = options.redis;
  if (options.role !== undefined) {
    if (!env.DAIS_REDIS_URL) {
      console.error(`${options.role === "worker" ? "dais worker" : "dais run --no-worker"} needs Redis, where the runs wait: set DAIS_REDIS_URL=redis://host:6379 or pass --redis <url>.`);
      return 2;
    }
    env.DAIS_ROLE = options.role;
  }
  if (options.share !== undefined && options.share !== false) {
    env.DAIS_SHARE = options.share === true ? "1" : options.share;
    if (options.share === true && options.reload) env.DAIS_SHARE_TOKEN = env.DAIS_SHARE_TOKEN ?? newToken();
  }

  let child: ChildProcess | undefined;
  const start = () => {
    child = spawn(process.execPath, [...appNodeArgs(app), ...(options.args ?? [])], { env, stdio: ["inherit", "pipe", "inherit"] });
    child.stdout?.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      // Restarts must come back on the port the page knows.
      const port = printedPort(chunk.toString());
      if (port && (env.DAIS_SERVER_PORT === undefined || env.DAIS_SERVER_PORT === "0")) env.DAIS_SERVER_PORT = String(port);
    });
  };
  const stop = () =>
    new Promise<void>((done) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });

  start();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void stop().then(() => process.exit(0)));
  }
  if (options.reload) {
    const folder = dirname(app);
    let timer: NodeJS.Timeout | undefined;
    watch(folder, { recursive: true }, (_event, name) => {
      if (name && /(^|[/\\])(node_modules|\.git|dist|flagged)([/\\]|$)/.test(name)) return;
      clearTimeout(timer);
      timer = setTimeout(async () => {
        console.log(`\n↻ ${name ? relative(process.cwd(), resolve(folder, name)) : "a file"} changed, restarting…`);
        await stop();
        start();
      }, 150);
    });
  }
  // With --reload the command lives on across restarts and failed starts, until Ctrl+C.
  if (options.reload) return new Promise<number>(() => {});
  return new Promise<number>((done) => child?.once("exit", (code) => done(code ?? 1)));
}

export const runCommand: Command = {
  summary: "Run a TypeScript app (no build step)",
  help: `Usage: dais run <app.ts> [options] [-- app arguments]

Runs your app with tsx: no build step, no config.

Options:
  --port <n>       Port to listen on (default: the first free one from 7860)
  --host <addr>    Interface to listen on (default 127.0.0.1; 0.0.0.0 with --share)
  --share [url]    Share on your network with an access-token link and a QR code,
                   or, given a relay URL, through that relay (see "dais relay")
  --mcp            Serve every named endpoint as an MCP tool at /mcp
  --reload         Restart when a file in the app's folder changes; open pages reconnect
  --redis <url>    Keep sessions, frames and queues in Redis (default $DAIS_REDIS_URL), so
                   several processes serve the app; this one also runs its functions
  --no-worker      With Redis: serve pages and APIs only; "dais worker" processes run the functions
  -h, --help       Show this help`,
  async run(args) {
    const dash = args.indexOf("--");
    const own = dash < 0 ? args : args.slice(0, dash);
    // --share takes an optional value: a following word that is a URL.
    const shareAt = own.indexOf("--share");
    let share: boolean | string | undefined;
    if (shareAt >= 0) {
      const next = own[shareAt + 1];
      share = next && /^https?:\/\//.test(next) ? next : true;
      own.splice(shareAt, typeof share === "string" ? 2 : 1);
    }
    const { values, positionals } = parseArgs({ args: own, allowPositionals: true, options: { port: { type: "string" }, host: { type: "string" }, reload: { type: "boolean" }, mcp: { type: "boolean" }, redis: { type: "string" }, "no-worker": { type: "boolean" } } });
    const file = positionals[0];
    if (!file) {
      console.error(`Name the app to run.\n\n${this.help}`);
      return 2;
    }
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
      console.error(`--port needs a number from 0 to 65535, got "${values.port}".`);
      return 2;
    }
    return runApp(file, {
      port,
      host: values.host,
      share,
      reload: values.reload,
      mcp: values.mcp,
      redis: values.redis,
      role: values["no-worker"] ? "web" : undefined,
      args: [...positionals.slice(1), ...(dash < 0 ? [] : args.slice(dash + 1))],
    });
  },
};

export const workerCommand: Command = {
  summary: "Run an app's functions for its web processes (scaled out on Redis)",
  help: `Usage: dais worker <app.ts> [options] [-- app arguments]

Runs your app's functions (and loads its model) for the web processes serving it:
each worker takes runs from the app's queues in Redis (BullMQ), one queue per
function or concurrencyId, with limits global across every worker. Start web
processes with "dais run app.ts --no-worker" on the same Redis. Prints
"Worker ready: <app> (queues: …)" once it takes runs.

Options:
  --redis <url>    The app's Redis (default $DAIS_REDIS_URL)
  -h, --help       Show this help`,
  async run(args) {
    const dash = args.indexOf("--");
    const own = dash < 0 ? args : args.slice(0, dash);
    const { values, positionals } = parseArgs({ args: own, allowPositionals: true, options: { redis: { type: "string" } } });
    const file = positionals[0];
    if (!file) {
      console.error(`Name the app to run.\n\n${this.help}`);
      return 2;
    }
    return runApp(file, { redis: values.redis, role: "worker", args: [...positionals.slice(1), ...(dash < 0 ? [] : args.slice(dash + 1))] });
  },
};
