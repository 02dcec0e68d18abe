/**
 * The kickstand command line. Commander wiring only: each command lives in src/cli/commands/ and registers itself;
 * this module owns the one top-level catch that decides how errors are printed and which exit code is used.
 */
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { UserError } from '../core/errors.js';
import { formatDiagnostic } from '../core/diagnostics.js';
import { escapeControls } from '../render/text.js';
import { COMMANDS } from './commands/index.js';
import { currentMasker } from './output.js';
import { Interrupted, signalExitCode } from './signals.js';

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

/** Debug sections of Node whose output includes outgoing request options, the `authorization` header among them. */
const LEAKY_DEBUG_SECTIONS = ['http', 'https', 'http2', 'net', 'tls', 'undici', 'fetch'];

/**
 * The sections of a `NODE_DEBUG` value that would print request headers, matched the way Node matches them
 * (comma-separated names, `*` as a wildcard, any case). Why refuse rather than strip: Node reads `NODE_DEBUG` once at
 * start-up, before any of kickstand's code runs, so the only safe answer is not to run with it.
 */
export function leakyDebugSections(nodeDebug: string | undefined): string[] {
  if (!nodeDebug) return [];
  const patterns = nodeDebug.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return LEAKY_DEBUG_SECTIONS.filter((section) =>
    patterns.some((p) => new RegExp(`^${p.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(section)));
}

/** Run the CLI with these arguments; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  // Each command sets process.exitCode; a value left by an earlier run in the same process must not leak into this one.
  process.exitCode = undefined;
  const leaky = leakyDebugSections(process.env.NODE_DEBUG);
  if (leaky.length > 0) {
    process.stderr.write(
      `error: NODE_DEBUG=${escapeControls(process.env.NODE_DEBUG ?? '')} makes Node print every request's headers, the API key among them ` +
        `(sections ${leaky.join(', ')}); kickstand does not run with it. Unset NODE_DEBUG or keep only other sections.\n`,
    );
    return 1;
  }
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
    for (const d of err.diagnostics) process.stderr.write(escapeControls(mask(formatDiagnostic(d))) + '\n');
    return err instanceof Interrupted ? signalExitCode(err.signal) : 1;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(mask(`internal error: ${stack}\nThis is a bug in kickstand; please report it with the command you ran.\n`));
  return 1;
}
