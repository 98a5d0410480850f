/** A `dais` subcommand: a line for the overview, its own help, and what it does. */
export interface Command {
  summary: string;
  help: string;
  /** Resolves to the exit code (or nothing for 0) once the command is done. */
  run(args: string[]): Promise<number | void>;
}
