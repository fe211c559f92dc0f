/**
 * Entry point of the command line: `npm run cli -- summary FILE [--json]`. It imports no tfjs,
 * so it starts fast.
 */
import { runCli } from './run';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
