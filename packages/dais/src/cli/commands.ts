import type { Command } from "./Command.ts";
import { chatCommand } from "./chatCommand.ts";
import { demoCommand, demosCommand } from "./demoCommands.ts";
import { relayCommand } from "./relayCommand.ts";
import { runCommand, workerCommand } from "./runApp.ts";

/** Every `dais` subcommand, by name. */
export const commands = {
  run: runCommand,
  worker: workerCommand,
  demos: demosCommand,
  demo: demoCommand,
  relay: relayCommand,
  chat: chatCommand,
} satisfies Record<string, Command>;
