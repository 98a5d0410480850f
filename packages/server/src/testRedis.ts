import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A real Redis for tests: Debian's redis-server on a free loopback port, no persistence. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>`, for ioredis, `DAIS_REDIS_URL` or `launch({ redis })`. */
  readonly url: string;
  readonly port: number;
  /** Kills the server and removes its directory. */
  stop(): Promise<void>;
  /** Kills the server and starts a fresh, empty one on the same port (what a crash loses). */
  restart(): Promise<void>;
}

const binary = process.env.DAIS_REDIS_SERVER ?? "/usr/bin/redis-server";
const running = new Set<ChildProcess>();
// A test runner that exits without calling stop() must not leave servers behind.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Starts redis-server and resolves once it accepts connections (it says so on stdout). */
export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), "dais-redis-"));
  let port = 0;
  let child: ChildProcess | undefined;
  // A free port found by binding 0 can be taken by someone else before redis binds it: try again.
  for (let attempt = 0; !child; attempt++) {
    port = await freePort();
    try {
      child = await spawnRedis(port, dir);
    } catch (error) {
      if (attempt >= 4 || !String(error).includes("in use")) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let current: ChildProcess = child;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await kill(current);
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await kill(current);
      for (let attempt = 0; ; attempt++) {
        try {
          current = await spawnRedis(port, dir);
          return;
        } catch (error) {
          // The old socket can linger for a moment after the kill.
          if (attempt >= 20 || !String(error).includes("in use")) throw error;
          await new Promise((r) => setImmediate(r));
        }
      }
    },
  };
}

function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  const args = [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--dir", dir,
    "--save", "",
    "--appendonly", "no",
    "--daemonize", "no",
    "--loglevel", "notice",
    "--logfile", "",
    // BullMQ asks for this eviction policy; a test server never evicts anyway.
    "--maxmemory-policy", "noeviction",
  ];
  const child = spawn(binary, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        done();
        // Keep draining so a chatty server never blocks on a full pipe.
        child.stdout?.resume();
        resolve(child);
      } else if (/Address already in use|Could not create server TCP listening socket/.test(output)) {
        done();
        child.kill("SIGKILL");
        reject(new Error(`redis-server: port ${port} in use`));
      }
    };
    const onExit = (code: number | null) => {
      done();
      running.delete(child);
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    };
    const onError = (error: Error) => {
      done();
      running.delete(child);
      reject(new Error(`could not start ${binary}: ${error.message} (install Debian's redis-server)`));
    };
    const done = () => {
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.stderr?.resume();
    child.once("exit", onExit);
    child.once("error", onError);
    child.once("exit", () => running.delete(child));
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** A loopback port free at this moment (the caller binds it soon, and retries if it was taken). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
