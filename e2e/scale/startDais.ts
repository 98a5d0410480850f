import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/** A `dais` command running in its own process group (the CLI and the app process it starts). */
export interface DaisProcess {
  /** The first group of the `ready` pattern, as printed (a URL, a worker's name). */
  readonly printed: string;
  /** Everything printed so far, for assertions and for a failure's message. */
  output(): string;
  /** Resolves with the first group of `pattern` once the process has printed it; rejects if it exits first. */
  waitFor(pattern: RegExp): Promise<string>;
  /** Sends `signal` to the whole group (SIGKILL: a crash, nothing cleaned up) and waits until the CLI has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  readonly exited: boolean;
}

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = `${root}packages/dais/src/cli/main.ts`;
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const groups = new Set<number>();
// A test runner that dies without its afterAll must not leave servers behind.
process.once("exit", () => {
  for (const pid of groups) killGroup(pid, "SIGKILL");
});

/**
 * Runs `dais <args>` as a user does, in a process group of its own: `dais run` starts the app in
 * a child process, and a kill has to reach that child too (SIGKILL on the CLI alone would leave
 * the app serving). Resolves once the output matches `ready`; rejects if it exits first or stays
 * silent for 120 s.
 */
export async function startDais(args: string[], options: { env?: Record<string, string>; ready: RegExp; cwd?: string }): Promise<DaisProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", tsx, cli, ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`dais ${args.join(" ")} did not start`);
  groups.add(pid);
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const l of [...listeners]) l();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      // The app process may outlive the CLI: the group goes with it.
      killGroup(pid, "SIGKILL");
      groups.delete(pid);
      for (const l of [...listeners]) l();
      resolve();
    }),
  );
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const waitFor = (pattern: RegExp, timeout = 120_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`dais ${args.join(" ")} did not print ${pattern} in ${timeout / 1000} s:\n${output}`)), timeout);
      const check = () => {
        const match = pattern.exec(output);
        if (match) done(undefined, match[1] ?? match[0]);
        else if (exited()) done(new Error(`dais ${args.join(" ")} exited before printing ${pattern}:\n${output}`));
      };
      const done = (error?: Error, value?: string) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) reject(error);
        else resolve(value as string);
      };
      listeners.add(check);
      check();
    });
  const printed = await waitFor(options.ready);
  return {
    printed,
    output: () => output,
    waitFor: (pattern) => waitFor(pattern),
    get exited() {
      return exited();
    },
    async kill(signal = "SIGTERM") {
      if (!exited()) killGroup(pid, signal);
      await exit;
    },
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
