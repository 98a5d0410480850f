import { startRedis, type TestRedis } from "../../packages/server/src/testRedis.ts";
import { type DaisProcess, startDais } from "./startDais.ts";
import { startNginx, type TestNginx } from "./startNginx.ts";

/** One web process behind the balancer: `dais run app --no-worker`. */
export interface WebProcess {
  readonly port: number;
  /** Its own address, past the balancer. */
  readonly url: string;
  readonly process: DaisProcess;
}

/** Redis, nginx, web processes and workers serving one app, all on loopback. */
export interface Cluster {
  /** The balancer's address: what a user opens. */
  readonly url: string;
  readonly redis: TestRedis | undefined;
  readonly nginx: TestNginx;
  readonly webs: WebProcess[];
  readonly workers: DaisProcess[];
  /** Kills web process `i` (SIGKILL: a crash, no goodbye to its sockets). */
  killWeb(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts web process `i` again on its port, as a supervisor would; resolves once it serves. */
  restartWeb(i: number): Promise<void>;
  /** Everything the processes printed, for a failure's message. */
  output(): string;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** The app file, run as a user runs it. */
  app: string;
  webs?: number;
  workers?: number;
  /**
   * false: no Redis, no workers; each web process keeps its sessions and runs its functions
   * itself (today's single-process mode), for testing the balancer alone.
   */
  redis?: boolean;
  env?: Record<string, string>;
}

const runningOn = /Running on (http:\/\/\S+)/;

/**
 * Starts the parts a scaled-out deployment has (deploy/compose.yaml), on loopback: Debian's
 * redis-server, `webs` × `dais run app --no-worker` on free ports, `workers` × `dais worker app`,
 * and nginx in front with the config deploy/ uses. Waits for each one's readiness line, never
 * for a time. `stop()` kills everything.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const useRedis = options.redis ?? true;
  const redis = useRedis ? await startRedis() : undefined;
  const env = { ...options.env, ...(redis ? { DAIS_REDIS_URL: redis.url } : {}) };
  const webs: WebProcess[] = [];
  const workers: DaisProcess[] = [];
  let nginx: TestNginx | undefined;
  const startWeb = async (port: number): Promise<WebProcess> => {
    const process = await startDais(["run", options.app, ...(useRedis ? ["--no-worker"] : [])], { env: { ...env, DAIS_SERVER_PORT: String(port) }, ready: runningOn });
    const url = `${process.printed.replace(/\/$/, "")}/`;
    return { port: Number(new URL(url).port), url, process };
  };
  const stop = async () => {
    await Promise.all([...webs.map((w) => w.process.kill("SIGKILL")), ...workers.map((w) => w.kill("SIGKILL"))]);
    await nginx?.stop();
    await redis?.stop();
  };
  try {
    // All at once; the ones that started are kept (to be stopped) even when another failed.
    const [w, k] = await Promise.all([
      Promise.allSettled(Array.from({ length: options.webs ?? 3 }, () => startWeb(0))),
      Promise.allSettled(Array.from({ length: useRedis ? (options.workers ?? 2) : 0 }, () => startDais(["worker", options.app], { env, ready: /Worker ready(?:: (\S+))?/ }))),
    ]);
    for (const r of w) if (r.status === "fulfilled") webs.push(r.value);
    for (const r of k) if (r.status === "fulfilled") workers.push(r.value);
    const failed = [...w, ...k].find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    nginx = await startNginx(webs.map((w) => `127.0.0.1:${w.port}`));
  } catch (error) {
    await stop();
    throw error;
  }
  const balancer = nginx;
  return {
    url: balancer.url,
    redis,
    nginx: balancer,
    webs,
    workers,
    killWeb: (i, signal = "SIGKILL") => web(webs, i).process.kill(signal),
    async restartWeb(i) {
      const old = web(webs, i);
      if (!old.process.exited) throw new Error(`web process ${i} is still running`);
      webs[i] = await startWeb(old.port);
    },
    output: () =>
      [
        ...webs.map((w, i) => `--- web ${i} (:${w.port})\n${w.process.output()}`),
        ...workers.map((w, i) => `--- worker ${i}\n${w.output()}`),
        `--- nginx\n${balancer.output()}`,
      ].join("\n"),
    stop,
  };
}

function web(webs: WebProcess[], i: number): WebProcess {
  const w = webs[i];
  if (!w) throw new Error(`no web process ${i}`);
  return w;
}
