import { createServer, type Server } from "node:http";
import { escapeHtml } from "@dais/core";
import { hostAllowed } from "@dais/server";

/** What the open page fetches to learn why its app is gone (see the UI's Client). */
export const startupErrorPath = "startup-error";
/** Set on that answer, so a page never mistakes another server's 200 for a failed start. */
export const startupErrorHeader = "x-dais-startup-error";

/**
 * While `dais run --reload` waits for a fix to an app that failed to start, this stands on the
 * app's port: the open page asks `startup-error` and shows the error (instead of reconnecting
 * forever), and a page opened meanwhile gets the error as a page that retries. The WebSocket is
 * refused, so the page keeps trying and finds the app once it is back. Details only on this
 * machine's names (a DNS-rebinding page cannot read them) and never to testers of a shared app.
 */
export class StartupErrorServer {
  private constructor(private readonly http: Server) {}

  static async start(host: string, port: number, error: string, details: boolean): Promise<StartupErrorServer | undefined> {
    const shown = details ? error.trim() || "(it printed nothing)" : "See the terminal that runs the app.";
    const http = createServer((req, res) => {
      if (!hostAllowed(req.headers.host, [])) return void res.writeHead(403).end();
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path.endsWith(`/${startupErrorPath}`)) {
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", [startupErrorHeader]: "1" }).end(shown);
        return;
      }
      res.writeHead(503, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "retry-after": "2" });
      res.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>The app failed to start</title>` +
          `<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:10vh auto;padding:0 1rem}pre{white-space:pre-wrap;background:#f6f8fa;color:#1f2328;padding:1rem;border-radius:8px}</style></head>` +
          `<body><h1>The app failed to start</h1><p>Fix the error and save: this page reloads once the app runs again.</p><pre>${escapeHtml(shown)}</pre></body></html>`,
      );
    });
    http.on("upgrade", (_req, socket) => socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n"));
    const listening = await new Promise<boolean>((resolve) => {
      http.once("error", () => resolve(false));
      http.listen(port, host, () => resolve(true));
    });
    return listening ? new StartupErrorServer(http) : undefined;
  }

  /** The port it listens on. */
  get port(): number {
    const address = this.http.address();
    return typeof address === "object" && address ? address.port : 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }
}
