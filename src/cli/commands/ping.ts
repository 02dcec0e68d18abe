/**
 * `kickstand ping`: connect to FusionAuth (or the embedded emulator), check the API key, and report the server's
 * version and whether it is licensed. Exit 0 when the server answered both, 1 otherwise — a readiness check for
 * scripts and CI before `plan`.
 */
import { Option, type Command } from 'commander';
import { formatDiagnostic } from '../../core/diagnostics.js';
import { UserError } from '../../core/errors.js';
import { escapeJsonText } from '../../render/text.js';
import { addConnectionOptions, type ConnectionOptionFlags } from '../options.js';
import { err, out, printRendered, runMasker } from '../output.js';
import { installInterrupts, signalExitCode, Interrupted } from '../signals.js';

/** Flags of `ping`. */
interface PingFlags extends ConnectionOptionFlags {
  format: 'human' | 'json';
}

/** The JSON document of `ping` (`--format json`). */
export interface PingDocument {
  formatVersion: 1;
  ok: boolean;
  /** The server's URL, `embedded-emulator`, or '' when no URL was known. */
  target: string;
  serverVersion?: string;
  licensed?: boolean;
  /** Why the server could not be used (masked), when `ok` is false. */
  error?: string;
}

/** Register `ping` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('ping')
    .description('check that FusionAuth answers and the API key works; print its version and whether it is licensed');
  addConnectionOptions(cmd);
  cmd
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .addHelpText('after', `
Exit status: 0 when FusionAuth answered with its version and license, 1 otherwise.

Examples:
  $ FUSIONAUTH_URL=http://localhost:9011 FUSIONAUTH_API_KEY=… kickstand ping
  $ kickstand ping --wait-for-server 120 --format json   # beside docker compose: wait for FusionAuth to start`)
    .action(async (flags: PingFlags) => {
      const [{ connect }, { fetchServerInfo }] = await Promise.all([import('../connect.js'), import('../../state/fetch.js')]);
      const interrupts = installInterrupts();
      let target = '';
      let conn: Awaited<ReturnType<typeof connect>> | undefined;
      try {
        conn = await interrupts.race(connect(flags, process.env, interrupts.signal), 'while connecting');
        target = conn.client.baseUrl;
        for (const w of conn.warnings) err(`${formatDiagnostic(w)}\n`);
        const info = await interrupts.race(fetchServerInfo(conn.client), 'while asking FusionAuth');
        if (flags.format === 'json') {
          print({ formatVersion: 1, ok: true, target, serverVersion: info.serverVersion, licensed: info.licensed });
        } else {
          out(`FusionAuth ${info.serverVersion} at ${target}: answering, ${info.licensed ? 'licensed' : 'unlicensed'}\n`);
        }
        process.exitCode = 0;
      } catch (e) {
        if (!(e instanceof UserError) || flags.format !== 'json') throw e;
        const mask = runMasker();
        for (const d of e.diagnostics) err(`${formatDiagnostic(d)}\n`);
        print({ formatVersion: 1, ok: false, target, error: mask(e.diagnostics.map((d) => d.message).join('; ')) });
        process.exitCode = e instanceof Interrupted ? signalExitCode(e.signal) : 1;
      } finally {
        interrupts.dispose();
        await conn?.close();
      }
    });
}

/** Print the JSON document (its strings were masked where they can hold secrets). */
function print(doc: PingDocument): void {
  printRendered('stdout', escapeJsonText(JSON.stringify(doc, null, 2)) + '\n');
}
