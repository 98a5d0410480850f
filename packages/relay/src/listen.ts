import type { Server } from "node:http";

/**
 * Listens on `port`, or with `scan` on the first free port from it (as Gradio does from 7860).
 * Resolves to the port bound, which matters when `port` is 0.
 */
export async function listen(http: Server, host: string, port: number, scan: number): Promise<number> {
  for (let p = port; ; p++) {
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => {
          http.off("listening", onListening);
          reject(e);
        };
        const onListening = () => {
          http.off("error", onError);
          resolve();
        };
        http.once("error", onError);
        http.once("listening", onListening);
        http.listen(p, host);
      });
      const address = http.address();
      return typeof address === "object" && address ? address.port : p;
    } catch (e) {
      const busy = (e as NodeJS.ErrnoException).code === "EADDRINUSE";
      if (!busy || port === 0 || p >= port + scan - 1)
        throw Object.assign(new Error(busy ? `No free port in ${port}-${p}. Pass another with launch({ port }).` : `Cannot listen on ${host}:${p}: ${(e as Error).message}`), { code: (e as NodeJS.ErrnoException).code });
    }
  }
}
