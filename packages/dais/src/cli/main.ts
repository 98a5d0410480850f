#!/usr/bin/env node
// `dais <command>`: run a user's app, the bundled demos, a relay, or a chat in the terminal.
import { commands } from "./commands.ts";

const [name, ...args] = process.argv.slice(2);
const usage = `Usage: dais <command> [options]

Commands:
${Object.entries(commands)
  .map(([n, c]) => `  ${n.padEnd(8)} ${c.summary}`)
  .join("\n")}

Run "dais <command> --help" for a command's options.`;

if (name === undefined || name === "--help" || name === "-h" || name === "help") {
  console.log(usage);
} else if (name === "--version" || name === "-v") {
  const { version } = await import("@dais/core");
  console.log(version);
} else {
  const command = (commands as Record<string, (typeof commands)[keyof typeof commands] | undefined>)[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage}`);
    process.exit(2);
  }
  if (args.includes("--help") || args.includes("-h")) console.log(command.help);
  else process.exitCode = (await command.run(args)) ?? 0;
}
