import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface RunningDemo {
  url: string;
  /** Everything the demo printed, for assertions and for debugging a failure. */
  output: () => string;
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
  const name = basename(file);
  const child: ChildProcess = spawn(process.execPath, ["--import", tsx, file, ...args], {
    cwd,
    env: { ...process.env, DAIS_SERVER_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Demo ${name} did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Running on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        const printed = match[1] as string;
        resolve(/^https?:\/\/[^/?]+$/.test(printed) ? `${printed}/` : printed);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Demo ${name} exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
