import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:http";
import type { Socket } from "node:net";
import { listen } from "@dais/relay";
import { appNodeArgs, printedPort } from "./appProcess.ts";
import { type Demo, demoCatalog } from "./demoCatalog.ts";
import { galleryPage } from "./galleryPage.ts";
import { proxyRequest, proxyUpgrade } from "./proxy.ts";
import { installHint, missingPackages } from "./missingPackages.ts";

export interface GalleryEntry {
  demo: Demo;
  status: "starting" | "running" | "unavailable";
  port?: number;
  /** Why a demo is not running (what it printed before it exited). */
  reason?: string;
  child?: ChildProcess;
}

/**
 * Every bundled demo from one server: each runs in its own process under its own path
 * (`/hello/`, `/chat/`, ...), and the gallery forwards pages and WebSockets to it, with an index
 * page at `/`. A demo that cannot start (a model demo with no model) is listed with its reason,
 * and never takes the others down.
 */
export async function runGallery(args: string[]): Promise<number> {
  const portAt = args.indexOf("--port");
  const envPort = process.env.DAIS_SERVER_PORT;
  const port = portAt >= 0 ? Number(args[portAt + 1]) : envPort ? Number(envPort) : undefined;
  const entries: GalleryEntry[] = demoCatalog().map((demo) => ({ demo, status: "starting" }));
  // Said once every demo has started or failed, for the operator (and for tests, to wait on).
  let settled = false;
  const changed = () => {
    if (settled || entries.some((e) => e.status === "starting")) return;
    settled = true;
    console.log(`Demos ready: ${entries.filter((e) => e.status === "running").length} running, ${entries.filter((e) => e.status !== "running").length} not.`);
  };
  for (const entry of entries) start(entry, changed);

  const byName = new Map(entries.map((e) => [e.demo.name, e]));
  const entryOf = (url: string | undefined) => byName.get(/^\/([^/?]+)/.exec(url ?? "/")?.[1] ?? "");
  const server = createServer((req, res) => {
    if (req.url === "/" || req.url?.startsWith("/?")) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return void res.end(galleryPage(entries));
    }
    const entry = entryOf(req.url);
    if (!entry) {
      res.writeHead(404, { "content-type": "text/plain" });
      return void res.end("No such demo. The index is at /.");
    }
    if (entry.status !== "running" || entry.port === undefined) {
      res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "2" });
      return void res.end(entry.status === "starting" ? `${entry.demo.name} is starting; try again in a moment.` : `${entry.demo.name} is not running: ${entry.reason ?? "it exited"}`);
    }
    proxyRequest(req, res, { host: "127.0.0.1", port: entry.port });
  });
  server.on("upgrade", (req, socket, head) => {
    const entry = entryOf(req.url);
    if (entry?.status !== "running" || entry.port === undefined) return socket.destroy();
    proxyUpgrade(req, socket as Socket, head, { host: "127.0.0.1", port: entry.port });
  });
  const bound = await listen(server, process.env.DAIS_SERVER_NAME ?? "127.0.0.1", port ?? 7860, port === undefined ? 100 : 1);
  console.log(`Running on http://127.0.0.1:${bound}`);
  console.log(`Gallery of ${entries.length} demos, each at /<name>/.`);

  const stopAll = () => {
    for (const e of entries) e.child?.kill("SIGTERM");
    server.close();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (stopAll(), process.exit(0)));
  return new Promise<number>(() => {});
}

function start(entry: GalleryEntry, changed: () => void): void {
  const missing = missingPackages(entry.demo.file);
  if (missing.length > 0) {
    entry.status = "unavailable";
    entry.reason = installHint(`This demo`, missing).trim().replace(/\s+/g, " ");
    return changed();
  }
  const env: NodeJS.ProcessEnv = { ...process.env, DAIS_SERVER_PORT: "0", DAIS_SERVER_NAME: "127.0.0.1", DAIS_ROOT_PATH: `/${entry.demo.name}` };
  delete env.DAIS_SHARE;
  const child = spawn(process.execPath, appNodeArgs(entry.demo.file), { env, stdio: ["ignore", "pipe", "pipe"] });
  entry.child = child;
  let printed = "";
  const onData = (chunk: Buffer) => {
    printed = (printed + chunk.toString()).slice(-4000);
    const port = printedPort(printed);
    if (port && entry.status === "starting") {
      entry.status = "running";
      entry.port = port;
      changed();
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  child.on("exit", (code) => {
    entry.status = "unavailable";
    entry.port = undefined;
    const lines = printed.trim().split("\n").filter((l) => l.trim() !== "");
    entry.reason = lines.slice(-3).join(" ") || `it exited with code ${code}`;
    changed();
  });
}
