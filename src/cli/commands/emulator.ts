/**
 * `kickstand emulator`: run the FusionAuth emulator as a standalone server (for your own CI and experiments).
 * It prints its URL and API key once at start, logs one line per request to stderr and stops cleanly on
 * SIGINT/SIGTERM (exit 0).
 */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { EmulatorOptions } from '../../emulator/index.js';
import { DEFAULT_MAX_CONNECTIONS } from '../../emulator/limits.js';
import { DEFAULT_VERSION } from '../../emulator/version.js';
import { err, out } from '../output.js';

interface Flags {
  port: string;
  host: string;
  apiKey?: string;
  licensed?: boolean;
  state?: string;
  latency?: string;
  jitter?: string;
  faultRate?: string;
  faultSeed?: string;
  fusionauthVersion: string;
  defaultTenantId?: string;
  maxConnections?: string;
}

function int(name: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`--${name} must be an integer between ${min} and ${max}, got "${v}"`);
  return n;
}

/** Turn the flags into emulator options (exported for tests). */
export function emulatorOptions(f: Flags): EmulatorOptions {
  const o: EmulatorOptions = { host: f.host, port: int('port', f.port, 0, 65535), licensed: f.licensed === true, version: f.fusionauthVersion };
  if (f.apiKey !== undefined) {
    if (f.apiKey.trim() === '') throw new UserError('--api-key must not be empty');
    o.apiKey = f.apiKey;
  }
  if (f.state !== undefined) o.statePath = f.state;
  if (f.latency !== undefined) o.latencyMs = int('latency', f.latency, 0, 600_000);
  if (f.jitter !== undefined) o.jitterMs = int('jitter', f.jitter, 0, 600_000);
  if (f.faultRate !== undefined) {
    const rate = Number(f.faultRate);
    if (!(rate >= 0 && rate <= 1)) throw new UserError(`--fault-rate must be a number between 0 and 1, got "${f.faultRate}"`);
    o.faults = { rate };
    if (f.faultSeed !== undefined) o.faults.seed = int('fault-seed', f.faultSeed, 0, 2 ** 32 - 1);
  } else if (f.faultSeed !== undefined) {
    throw new UserError('--fault-seed needs --fault-rate');
  }
  if (f.maxConnections !== undefined) o.maxConnections = int('max-connections', f.maxConnections, 1, 65535);
  if (f.defaultTenantId !== undefined) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(f.defaultTenantId)) throw new UserError(`--default-tenant-id must be a UUID, got "${f.defaultTenantId}"`);
    o.defaultTenantId = f.defaultTenantId;
  }
  return o;
}

/** Register `emulator` on the program. */
export function register(program: Command): void {
  program
    .command('emulator')
    .description('run a FusionAuth API emulator (messengers, message templates, tenants, applications) for tests and CI')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '9011')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--api-key <key>', 'API key clients must send in the Authorization header (default: a random key, printed at start)')
    .option('--licensed', 'behave as a licensed server (GET /api/reactor says licensed; paid features accepted)')
    .option('--state <file>', 'keep the state in this JSON file: loaded at start when present, rewritten after every change')
    .option('--latency <ms>', 'add this many milliseconds to every request')
    .option('--jitter <ms>', 'add a random 0..ms extra delay to every request')
    .option('--fault-rate <rate>', 'inject a fault (500, 503, 429 with Retry-After, connection reset, 409) into this fraction of requests (0..1)')
    .option('--fault-seed <n>', 'seed for fault injection and jitter, for repeatable runs')
    .option('--fusionauth-version <version>', 'version reported by /api/system/version and /api/status', DEFAULT_VERSION)
    .option('--default-tenant-id <uuid>', 'id of the Default tenant (default: random, as on a real install)')
    .option('--max-connections <n>', `most connections open at once; further ones are closed (default ${DEFAULT_MAX_CONNECTIONS})`)
    .addHelpText(
      'after',
      `
The API key is your own test key: it is printed once at start so that you can hand it to your tools.
The emulator also serves /_emulator/requests, /_emulator/reset, /_emulator/license, /_emulator/faults,
/_emulator/latency and /_emulator/outbox (the SMS messages it "sent"), which are not part of FusionAuth's API.

Examples:
  $ kickstand emulator --port 9011 --api-key my-test-key
  $ curl -H "Authorization: my-test-key" http://localhost:9011/api/tenant
  $ kickstand emulator --licensed --state .kickstand/emulator.json --fault-rate 0.05 --fault-seed 7`,
    )
    .action(async (flags: Flags) => {
      // Loaded here, not at the top: the other commands' start-up should not pay for the emulator's modules.
      const { startEmulator } = await import('../../emulator/index.js');
      const options = emulatorOptions(flags);
      options.log = (line) => err(`${line}\n`);
      let emulator;
      try {
        emulator = await startEmulator(options);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UserError(`port ${options.port} is already in use; pick another with --port`, { cause: e });
        if (code === 'EACCES') throw new UserError(`not allowed to listen on ${options.host}:${options.port}`, { cause: e });
        throw e;
      }
      out(`FusionAuth emulator listening on ${emulator.url}\n`);
      out(`API key: ${emulator.apiKey}\n`);
      out(`Default tenant: ${emulator.defaultTenantId} (FusionAuth ${options.version}, ${options.licensed ? 'licensed' : 'unlicensed'})\n`);
      out('Press Ctrl+C to stop.\n');
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await emulator.stop();
      err('emulator stopped\n');
      process.exitCode = 0;
    });
}
