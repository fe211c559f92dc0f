/**
 * The command line without the process around it: argument parsing, help, and dispatch to a
 * command. `main.ts` runs it on `process.argv`; tests call it directly.
 */
import { EXIT_OK, EXIT_UNREADABLE, type CliIo, type Command } from './command';
import { summaryCommand } from './summary-command';
import { exportCommand } from './export-command';

/** Every command; a new one only needs an entry here. */
export const COMMANDS: readonly Command[] = [summaryCommand, exportCommand];

const HELP_FLAGS = new Set(['-h', '--help']);

/** Returns the help text: commands, their flags and the exit statuses. */
export function usage(): string {
  const lines = ['Usage: npm run cli -- <command> [arguments]', '', 'Commands:'];
  for (const command of COMMANDS) {
    lines.push(`  ${command.name} ${command.arguments}`, `      ${command.description}`);
    for (const [flag, help] of Object.entries(command.flags)) lines.push(`      ${flag.padEnd(10)} ${help}`);
  }
  lines.push(
    '',
    'Options:',
    `  ${'-h, --help'.padEnd(12)}Show this help.`,
    '',
    'Exit status: 0 for a valid graph, 1 for a graph with errors, 2 for a file that cannot be',
    'read or a wrong command line.',
    '',
    'npm prints its own header on stdout; use `npm run -s cli -- …` to get only the JSON.',
  );
  return `${lines.join('\n')}\n`;
}

/** Runs the command line on `args` (without `node` and the script) and returns the exit status. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  if (args.some((arg) => HELP_FLAGS.has(arg))) {
    io.stdout(usage());
    return EXIT_OK;
  }

  const [name, ...rest] = args;
  if (name === undefined) return usageError(io, 'No command given.');
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) return usageError(io, `Unknown command '${name}'; the commands are ${COMMANDS.map((c) => c.name).join(', ')}.`);

  const flags = new Set<string>();
  const positionals: string[] = [];
  for (const arg of rest) {
    if (arg.startsWith('-') && arg !== '-') {
      if (!Object.hasOwn(command.flags, arg)) return usageError(io, `Unknown option '${arg}' for ${command.name}.`);
      flags.add(arg);
    } else {
      positionals.push(arg);
    }
  }
  if (positionals.length < command.positionals.length) {
    return usageError(io, `${command.name} needs ${command.positionals.join(' ')}.`);
  }
  if (positionals.length > command.positionals.length) {
    return usageError(io, `${command.name} takes ${command.positionals.length} argument(s) but got ${positionals.length}: ${positionals.join(' ')}.`);
  }
  return command.run({ positionals, flags }, io);
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`error: ${message}\n\n${usage()}`);
  return EXIT_UNREADABLE;
}
