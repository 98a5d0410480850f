import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nginxConfig } from "../../deploy/nginxConfig.ts";
import { freePort } from "../../packages/server/src/testRedis.ts";

/** Debian's nginx in front of some web processes, on a free loopback port. */
export interface TestNginx {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  readonly port: number;
  /** The config it runs (deploy/nginxConfig.ts's output), for a failure's message. */
  readonly config: string;
  output(): string;
  stop(): Promise<void>;
}

const binary = process.env.DAIS_NGINX ?? "/usr/sbin/nginx";
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Starts nginx in the foreground with the config deploy/ uses, its pid, temporary files and
 * logs in a folder of its own (no root paths), and resolves once its worker has started (nginx
 * says so on its error log, stderr here). A port taken between choosing and binding it is
 * chosen again.
 */
export async function startNginx(upstreams: string[]): Promise<TestNginx> {
  const dir = mkdtempSync(join(tmpdir(), "dais-nginx-"));
  // nginx's workers run as nobody when the master is root; they need to reach the temp folders.
  chmodSync(dir, 0o755);
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const config = nginxConfig({ listen: `127.0.0.1:${port}`, upstreams, prefix: dir });
    writeFileSync(join(dir, "nginx.conf"), config);
    try {
      const { child, output } = await spawnNginx(dir);
      return {
        url: `http://127.0.0.1:${port}/`,
        port,
        config,
        output,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((resolve) => child.once("exit", resolve));
            // SIGQUIT: nginx's graceful stop; SIGTERM its fast one. Tests want it gone now.
            child.kill("SIGTERM");
            await exited;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      if (attempt >= 4 || !String(error).includes("Address already in use")) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

function spawnNginx(dir: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(binary, ["-p", dir, "-c", join(dir, "nginx.conf"), "-e", "stderr", "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/start worker process \d+/.test(output)) {
        settle();
        resolve({ child, output: () => output });
      }
    };
    const onExit = (code: number | null) => {
      settle();
      reject(new Error(`nginx exited (${code}) before it was ready:\n${output}`));
    };
    const onError = (error: Error) => {
      settle();
      reject(new Error(`could not start ${binary}: ${error.message} (install Debian's nginx)`));
    };
    const settle = () => {
      child.off("exit", onExit);
      child.off("error", onError);
    };
    // Keep reading after it is ready, so a chatty error log never blocks nginx on a full pipe.
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}
