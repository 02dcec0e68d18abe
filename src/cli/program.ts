/**
 * The kickstand command line. Commander wiring only: each command lives in src/cli/commands/ and registers itself;
 * this module owns the one top-level catch that decides how errors are printed and which exit code is used.
 */
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { UserError } from '../core/errors.js';
import { formatDiagnostic } from '../core/diagnostics.js';
import { COMMANDS } from './commands/index.js';
import { currentMasker } from './output.js';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string };

/** Build the program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('kickstand')
    .description('FusionAuth configuration as code: validate, plan and apply messengers, message templates, tenants and applications.')
    .version(pkg.version, '-V, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Run the CLI with these arguments; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  // Each command sets process.exitCode; a value left by an earlier run in the same process must not leak into this one.
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return handleError(err);
  }
}

function handleError(err: unknown): number {
  const mask = currentMasker();
  if (err instanceof CommanderError) {
    // --help and --version exit through here with code 0; usage errors were already printed by commander.
    return err.exitCode === 0 ? 0 : 1;
  }
  if (err instanceof UserError) {
    for (const d of err.diagnostics) process.stderr.write(mask(formatDiagnostic(d)) + '\n');
    return 1;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(mask(`internal error: ${stack}\nThis is a bug in kickstand; please report it with the command you ran.\n`));
  return 1;
}
