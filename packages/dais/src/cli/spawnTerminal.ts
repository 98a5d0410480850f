import { spawn } from "node:child_process";

/** A command running in a pseudo-terminal, read as a user would read its screen. */
export interface Terminal {
  /** Everything shown so far, escape sequences removed and line ends as "\n". */
  readonly screen: string;
  /** Keys, as a terminal sends them: "\r" for Enter, "\x03" for Ctrl+C, "\x04" for Ctrl+D. */
  type(keys: string): void;
  /**
   * Waits until `pattern` shows up after the previous match, and moves past it (like pexpect).
   * Rejects after `timeoutMs` with the screen in the message.
   */
  expect(pattern: string | RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** The command's exit code. */
  readonly exited: Promise<number>;
  /** Ends `script`, and with it the command, if still running. */
  kill(): void;
}

const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\r/g;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

/**
 * Runs `command` in a pseudo-terminal through util-linux's `script`, 200 columns wide, so the
 * command sees a TTY on stdin and stdout (readline's raw mode, Ctrl+C as a key).
 * @example
 * const term = spawnTerminal([process.execPath, "bin/dais.mjs", "chat", "./model"]);
 * await term.expect("> "); term.type("Hello!\r");
 */
export function spawnTerminal(command: readonly string[], env: NodeJS.ProcessEnv = {}): Terminal {
  const shell = `stty cols 200 rows 50; exec ${command.map(quote).join(" ")}`;
  const child = spawn("script", ["-qfec", shell, "/dev/null"], { env: { ...process.env, TERM: "xterm-256color", ...env } });
  let screen = "";
  let cursor = 0;
  let changed: () => void = () => {};
  const append = (chunk: string) => {
    screen += chunk.replace(ESCAPES, "");
    changed();
  };
  // Decoded as a stream, so a character split across two reads stays whole.
  child.stdout.setEncoding("utf8").on("data", append);
  child.stderr.setEncoding("utf8").on("data", append);
  const exited = new Promise<number>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))));

  return {
    get screen() {
      return screen;
    },
    exited,
    type: (keys) => void child.stdin.write(keys),
    // Closing the pty hangs up on the command inside.
    kill: () => void (child.exitCode === null && child.kill("SIGKILL")),
    expect(pattern, timeoutMs = 60_000) {
      const regex = typeof pattern === "string" ? new RegExp(escapeRegExp(pattern)) : pattern;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          changed = () => {};
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${String(regex)} in:\n${screen.slice(cursor)}\n--- whole screen ---\n${screen}`));
        }, timeoutMs);
        changed = () => {
          const match = regex.exec(screen.slice(cursor));
          if (!match) return;
          cursor += match.index + match[0].length;
          clearTimeout(timer);
          changed = () => {};
          resolve(match);
        };
        changed();
      });
    },
  };
}
