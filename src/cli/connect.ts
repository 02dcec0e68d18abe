/**
 * Turning connection flags into a client: a real FusionAuth (URL and API key from flags or the environment) or
 * the embedded emulator (`--emulator`), whose state persists in `.kickstand/` so that a second apply sees the first.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Diagnostic } from '../core/types.js';
import type { Emulator } from '../emulator/index.js';
import { createClient, DEFAULT_MAX_RESPONSE_BYTES, waitForServer } from '../fusionauth/client.js';
import { readFileBounded } from '../io/files.js';
import { resolveConnection } from '../fusionauth/connection.js';
import type { ApiClient } from '../fusionauth/types.js';
import { intOption, type ConnectionOptionFlags } from './options.js';
import { err, setSecrets } from './output.js';

/** Bytes in a mebibyte (`--max-response-mb`). */
const MIB = 1024 * 1024;

/** A client and how to close what was opened for it. */
export interface Connected {
  client: ApiClient;
  /** The API key the client sends: for plan checks that must recognise it (never printed; it is a run secret). */
  apiKey: string;
  warnings: Diagnostic[];
  close(): Promise<void>;
}

/** Settings of the embedded emulator remembered between runs. */
interface EmbeddedSettings {
  licensed: boolean;
}

/**
 * The plan's `target` for the embedded emulator. Why not its URL: the emulator listens on a random port, which made
 * the JSON plan of the same files and state differ from run to run.
 */
export const EMBEDDED_TARGET = 'embedded-emulator';

/** How often a line says that kickstand is still waiting for the server (`--wait-for-server`). */
export const WAIT_PROGRESS_EVERY_MS = 5_000;

/** A file-system failure while preparing the emulator's folder, as a user error naming the flag and the path. */
function folderError(dir: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  const why = code === 'EACCES' || code === 'EPERM' ? 'is not writable' : code === 'ENOTDIR' ? 'is inside a file, not a folder' : `cannot be used (${code})`;
  return new UserError(`--emulator-dir ${dir} ${why}: the embedded emulator keeps its state there`, { cause: e });
}

async function startEmbedded(flags: ConnectionOptionFlags): Promise<Emulator> {
  const dir = flags.emulatorDir ?? '.kickstand';
  const statePath = join(dir, 'emulator-state.json');
  const settingsPath = join(dir, 'emulator-settings.json');
  const existing = await stat(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw folderError(dir, e);
  });
  if (existing && !existing.isDirectory()) {
    throw new UserError(`--emulator-dir ${dir} is a file, not a folder: give a folder for the embedded emulator's state (default .kickstand)`);
  }
  let settings: EmbeddedSettings = { licensed: false };
  try {
    // A reset starts the emulated server over; the license setting is the user's choice of server, not its state, so
    // it is kept (the quick start makes the emulator licensed once; a reset that forgot it failed on `Gated`).
    if (flags.emulatorReset) await rm(statePath, { force: true });
    // The folder holds the emulated server's secrets: created private to the user. A `.kickstand` folder is kickstand's
    // own and is made private also when an older kickstand created it 0755; another existing folder given with
    // --emulator-dir (`.`, /tmp) is the user's and keeps its mode.
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (basename(resolve(dir)) === '.kickstand') await chmod(dir, 0o700);
    // A .gitignore inside the folder keeps the emulator's state (which holds secrets) out of the user's repository.
    await writeFile(join(dir, '.gitignore'), '*\n');
    try {
      // A few bytes of JSON; 64 KiB bounds a file that is not what it should be.
      settings = { ...settings, ...(JSON.parse((await readFileBounded(settingsPath, 64 * 1024)).toString('utf8')) as Partial<EmbeddedSettings>) };
    } catch {
      // No settings yet: an unlicensed emulator, as a fresh FusionAuth is.
    }
    if (flags.emulatorLicensed && !settings.licensed) {
      settings.licensed = true;
    }
    await writeFile(settingsPath, JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 });
    await chmod(settingsPath, 0o600);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw folderError(dir, e);
  }
  // Loaded only for --emulator: a plan or apply against a real server never needs the emulator's modules.
  const { startEmulator } = await import('../emulator/index.js');
  try {
    return await startEmulator({ statePath, licensed: settings.licensed, apiKey: randomBytes(24).toString('hex') });
  } catch (e) {
    // A state file that is not one (edited by hand, truncated, from another program) is the user's to fix.
    if (e instanceof Error && e.message.includes(statePath)) throw new UserError(`${e.message}; start over with --emulator-reset`, { cause: e });
    throw e;
  }
}

/**
 * Connect as the flags say. With `--wait-for-server`, a real server is probed until it answers (progress on stderr
 * every few seconds); `signal` stops that waiting.
 */
export async function connect(flags: ConnectionOptionFlags, env: NodeJS.ProcessEnv = process.env, signal?: AbortSignal): Promise<Connected> {
  const waitSeconds = intOption(flags.waitForServer, '--wait-for-server', 0, MAX_WAIT_SECONDS);
  const common = {
    connectTimeoutMs: intOption(flags.connectTimeout, '--connect-timeout'),
    readTimeoutMs: intOption(flags.readTimeout, '--read-timeout'),
    retry: { attempts: intOption(flags.retries, '--retries', 1, 100), maxTimeMs: intOption(flags.retryMaxTime, '--retry-max-time') },
    // At most 512 MiB: a longer reply could not become one JavaScript string (V8's limit is just under 512 Mi characters).
    maxResponseBytes: (intOption(flags.maxResponseMb, '--max-response-mb', 1, 512) ?? DEFAULT_MAX_RESPONSE_BYTES / MIB) * MIB,
    onRetry: (i: { method: string; path: string; attempt: number; reason: string; delayMs: number }) =>
      err(`retrying ${i.method} ${i.path} after ${i.reason} (attempt ${i.attempt}, waiting ${i.delayMs} ms)\n`),
  };
  if (flags.emulator) {
    const emu = await startEmbedded(flags);
    setSecrets([emu.apiKey]);
    const real = createClient({ url: emu.url, apiKey: emu.apiKey, ...common });
    const client: ApiClient = { baseUrl: EMBEDDED_TARGET, request: (req) => real.request(req) };
    return { client, apiKey: emu.apiKey, warnings: [], close: () => emu.stop() };
  }
  const resolved = await resolveConnection(flags, env);
  setSecrets([resolved.apiKey]);
  const client = createClient({
    url: resolved.url,
    apiKey: resolved.apiKey,
    ...(flags.allowHttp ? { allowHttp: true } : {}),
    ...(flags.caFile ? { caFile: flags.caFile } : {}),
    ...common,
  });
  if (waitSeconds !== undefined && waitSeconds > 0) {
    let printedAt = -Infinity;
    await waitForServer(client, {
      timeoutMs: waitSeconds * 1000,
      ...(signal ? { signal } : {}),
      onWaiting: ({ elapsedMs, reason }) => {
        if (elapsedMs - printedAt < WAIT_PROGRESS_EVERY_MS) return;
        printedAt = elapsedMs;
        err(`waiting for FusionAuth at ${client.baseUrl} (${reason === 'ECONNREFUSED' ? 'nothing listening yet' : reason}): ${Math.floor(elapsedMs / 1000)} s of ${waitSeconds} s\n`);
      },
    });
  }
  return { client, apiKey: resolved.apiKey, warnings: resolved.warnings, close: async () => {} };
}

/** The longest `--wait-for-server`: one hour. */
export const MAX_WAIT_SECONDS = 3600;
