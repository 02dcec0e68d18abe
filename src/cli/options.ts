/** Option sets shared by several commands, and turning their parsed values into the library's inputs. */
import { Option, type Command } from 'commander';
import { UserError } from '../core/errors.js';

/** Collect a repeatable option into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Options of the commands that read kickstand files. */
export interface FileFlags {
  file?: string[];
  var?: string[];
  varFile?: string[];
  allowFilesOutside?: boolean;
  allowUnknownFields?: boolean;
}

/** `[paths...]`, `-f/--file`, `--var`, `--var-file`. */
export function addFileOptions(cmd: Command): Command {
  return cmd
    .argument('[paths...]', 'kickstand files or folders (every *.yaml, *.yml, *.json inside)')
    .option('-f, --file <path>', 'a kickstand file or folder (repeatable; merged with the paths)', collect)
    .option('--var <name=value>', 'set a declared variable (repeatable; wins over --var-file, KICKSTAND_VAR_<name> and the defaults)', collect)
    .option('--var-file <path>', 'read variables from a YAML or JSON file, or a dotenv file named .env, .env.<name> or <name>.env (repeatable; later wins)', collect)
    .option('--allow-files-outside', 'let {{file}} and folder symlinks read files outside the folder of the files given')
    .option('--allow-unknown-fields', 'accept fields the schema does not know (warnings, not errors), for FusionAuth versions newer than kickstand');
}

/** The loader's options from the file flags: variables, and the two opt-outs. */
export function loadOptionsFrom(flags: FileFlags): { vars: Record<string, string>; varFiles: string[]; allowFilesOutside: boolean; allowUnknownFields: boolean } {
  return {
    vars: varsFrom(flags),
    varFiles: flags.varFile ?? [],
    allowFilesOutside: flags.allowFilesOutside === true,
    allowUnknownFields: flags.allowUnknownFields === true,
  };
}

/** The files to load: positional paths then `-f` ones; at least one is required. */
export function filesFrom(paths: string[], flags: FileFlags): string[] {
  const all = [...paths, ...(flags.file ?? [])];
  if (all.length === 0) throw new UserError('no kickstand file given: pass a file or folder, e.g. `kickstand validate examples/phone-gating`');
  return all;
}

/** Parse `--var name=value` pairs. */
export function varsFrom(flags: FileFlags): Record<string, string> {
  const vars: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of flags.var ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UserError(`--var expects name=value, got "${pair.slice(0, 40)}"`);
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return vars;
}

/** Options of the commands that talk to FusionAuth. */
export interface ConnectionOptionFlags {
  url?: string;
  apiKeyFile?: string;
  apiKey?: string;
  allowHttp?: boolean;
  caFile?: string;
  connectTimeout?: string;
  readTimeout?: string;
  retries?: string;
  retryMaxTime?: string;
  maxResponseMb?: string;
  emulator?: boolean;
  emulatorLicensed?: boolean;
  emulatorReset?: boolean;
  emulatorDir?: string;
  waitForServer?: string;
}

/** Connection, retry and embedded-emulator options. */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'FusionAuth URL (default: $FUSIONAUTH_URL)')
    .option('--api-key-file <path>', 'read the API key from this file (default: $FUSIONAUTH_API_KEY)')
    .addOption(new Option('--api-key <key>', 'the API key itself (discouraged: it ends up in shell history; prefer $FUSIONAUTH_API_KEY)'))
    .option('--allow-http', 'allow plain http:// to a host other than loopback')
    .option('--ca-file <path>', 'PEM file of extra CA certificates to trust')
    .option('--connect-timeout <ms>', 'connect timeout in milliseconds', '5000')
    .option('--read-timeout <ms>', 'time allowed for a response, in milliseconds', '30000')
    .option('--retries <n>', 'total tries per request for network errors, 429, 5xx and retryable conflicts', '5')
    .option('--retry-max-time <ms>', 'give up retrying a request after this many milliseconds', '60000')
    .option('--max-response-mb <n>', 'largest reply accepted from FusionAuth, in MiB after decompression (1..512)', '256')
    .option('--wait-for-server <seconds>', 'wait up to this long for FusionAuth to start answering (refused connections, 502/503/504), e.g. beside docker compose (0..3600)')
    .option('--emulator', 'run against kickstand\'s embedded FusionAuth emulator (state kept in .kickstand/)')
    .option('--emulator-licensed', 'with --emulator: make the embedded emulator licensed (remembered)')
    .option('--emulator-reset', 'with --emulator: start the embedded emulator from a fresh state (its license setting is kept)')
    .option('--emulator-dir <dir>', 'with --emulator: where its state lives', '.kickstand');
}

/**
 * Parse a whole-number option within `min..max`. Why a maximum: Node's timers take at most 2^31 − 1 ms and turn
 * anything larger into 1 ms (`--read-timeout 2147483648` was a 1 ms timeout), and `Number()` reads `1e3` and
 * `0x10` as numbers, so only plain digits are accepted.
 */
export function intOption(value: string | undefined, name: string, min = 1, max = MAX_TIMER_MS): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UserError(`${name} must be a whole number from ${min} to ${max}, got "${value.slice(0, 20)}"`);
  }
  return n;
}

/** The largest delay Node's timers accept (2^31 − 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

/** Output options shared by plan and apply. */
export interface OutputFlags {
  format?: string;
  color?: boolean;
}

/** `--format` and `--no-color`. */
export function addOutputOptions(cmd: Command, formats: string[]): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format').choices(formats).default('human'))
    .option('--no-color', 'no colours (also: NO_COLOR=1)');
}
