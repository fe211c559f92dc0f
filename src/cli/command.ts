/** The shape of a command-line command, and the exit statuses that all commands share. */

/** The graph is valid. */
export const EXIT_OK = 0;
/** The graph was read but has errors (shapes that do not fit, a layer too large …). */
export const EXIT_ERRORS = 1;
/** The file cannot be read, parsed or imported, or the command line is wrong. */
export const EXIT_UNREADABLE = 2;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface ParsedArguments {
  positionals: string[];
  flags: Set<string>;
}

export interface Command {
  name: string;
  /** Arguments as the usage line shows them, e.g. `FILE [--json]`. */
  arguments: string;
  description: string;
  /** Flags the command accepts, each with its help line. */
  flags: Readonly<Record<string, string>>;
  /** Names of the required positional arguments, in order. */
  positionals: readonly string[];
  run(args: ParsedArguments, io: CliIo): Promise<number>;
}
