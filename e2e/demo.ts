import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface RunningDemo {
  url: string;
  /** Everything the demo printed, for assertions and for debugging a failure. */
  output: () => string;
  /** Resolves once the demo has printed `pattern` (with its first group), waiting for its output. */
  waitFor: (pattern: RegExp) => Promise<string>;
  stop: () => Promise<void>;
}

const root = fileURLToPath(new URL("..", import.meta.url));
// tsx by absolute path, so a demo can run from any working directory.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** The demo an e2e spec is about, from the spec's file name: `e2e/hello.spec.ts` -> `hello`. */
export function demoNameOf(specUrl: string): string {
  return basename(fileURLToPath(specUrl)).replace(/\.spec\.ts$/, "");
}

/**
 * Runs `demos/<name>/app.ts` the way a user runs an app (node + tsx, no build step), on a free
 * port, and resolves with the URL it prints.
 */
export async function startDemo(name: string, args: string[] = [], env: Record<string, string> = {}, cwd = root): Promise<RunningDemo> {
  return startApp(`${root}demos/${name}/app.ts`, args, env, cwd);
}

/** Runs any app file (a demo, or a fixture under e2e/fixtures) as startDemo does. */
export async function startApp(file: string, args: string[] = [], env: Record<string, string> = {}, cwd = root): Promise<RunningDemo> {
  const started = await startProcess(file, { args, env: { DAIS_SERVER_PORT: "0", ...env }, cwd, ready: /Running on (http:\/\/\S+)/ });
  // "Running on http://127.0.0.1:7860" has no slash; a link with a path or a token keeps its own.
  const url = /^https?:\/\/[^/?]+$/.test(started.printed) ? `${started.printed}/` : started.printed;
  return { url, output: started.output, waitFor: started.waitFor, stop: started.stop };
}

/**
 * Runs a TypeScript file with node + tsx and resolves once its output matches `ready`, with the
 * first capture of that match (a URL it printed); rejects if it exits or stays silent for 120 s.
 */
export async function startProcess(
  file: string,
  options: { args?: string[]; env?: Record<string, string>; cwd?: string; ready: RegExp },
): Promise<{ printed: string; output: () => string; waitFor: (pattern: RegExp) => Promise<string>; stop: () => Promise<void> }> {
  const name = basename(file);
  const child: ChildProcess = spawn(process.execPath, ["--import", tsx, file, ...(options.args ?? [])], {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const printed = await new Promise<string>((resolve, reject) => {
    // Generous: a cold tsx start takes seconds on a busy machine, and nothing waits on this but failure.
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = options.ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
  return {
    printed,
    output: () => output,
    // Resolves with the first group of `pattern` once the process has printed it; rejects if it exits first.
    waitFor: (pattern) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (!match) return false;
          child.stdout?.off("data", onMore);
          child.stderr?.off("data", onMore);
          child.off("exit", onExit);
          resolve(match[1] ?? match[0]);
          return true;
        };
        // After startProcess's own listener has added the chunk to the output.
        const onMore = () => void check();
        const onExit = () => (check() ? undefined : reject(new Error(`${name} exited before printing ${pattern}:\n${output}`)));
        if (check()) return;
        child.stdout?.on("data", onMore);
        child.stderr?.on("data", onMore);
        child.once("exit", onExit);
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
