/**
 * Connection settings: where FusionAuth is and which API key to use, from flags and the environment.
 * The key never appears in a message; only file names and variable names do.
 */
import { stat } from 'node:fs/promises';
import { UserError } from '../core/errors.js';
import { FileReadError, readFileBounded } from '../io/files.js';
import type { Diagnostic } from '../core/types.js';

/** The connection flags of the plan/apply/export commands, as commander parsed them. */
export interface ConnectionFlags {
  /** `--url` */
  url?: string;
  /** `--api-key-file`: a file holding the key (surrounding whitespace is trimmed). */
  apiKeyFile?: string;
  /** `--api-key`: accepted with a warning (shell history, process lists). */
  apiKey?: string;
  /** `--allow-http` (checked by `createClient`). */
  allowHttp?: boolean;
  /** `--ca-file` (read by `createClient`). */
  caFile?: string;
}

/** The resolved connection: ready for `createClient({ url, apiKey, allowHttp, caFile })`. */
export interface ResolvedConnection {
  url: string;
  apiKey: string;
  warnings: Diagnostic[];
}

/** Environment variable names kickstand reads for the connection. */
export const ENV_URL = 'FUSIONAUTH_URL';
export const ENV_API_KEY = 'FUSIONAUTH_API_KEY';

/**
 * Resolve the server URL and the API key.
 * - URL: `--url`, else `FUSIONAUTH_URL`.
 * - Key: an explicit flag wins over the environment, as for the URL: `--api-key-file`, else `--api-key` (with a
 *   warning), else `FUSIONAUTH_API_KEY`. Passing both key flags is an error (which one was meant?).
 * - A key file readable by group or others draws a warning (POSIX mode bits; not checked on Windows).
 * Missing URL or key, an unreadable or empty key file → `UserError` saying how to provide it.
 */
export async function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv): Promise<ResolvedConnection> {
  const warnings: Diagnostic[] = [];
  const url = nonEmpty(flags.url) ?? nonEmpty(env[ENV_URL]);
  const problems: string[] = [];
  if (!url) {
    problems.push(`no FusionAuth URL: pass --url https://auth.example.com or set ${ENV_URL}`);
  }

  if (flags.apiKeyFile !== undefined && flags.apiKey !== undefined) {
    throw new UserError('pass the API key once: --api-key-file or --api-key, not both');
  }

  let apiKey: string | undefined;
  if (flags.apiKeyFile !== undefined) {
    apiKey = await readKeyFile(flags.apiKeyFile, warnings);
  } else if (flags.apiKey !== undefined) {
    apiKey = nonEmpty(flags.apiKey);
    if (!apiKey) throw new UserError('--api-key is empty');
    warnings.push({
      severity: 'warning',
      message: `--api-key puts the key in your shell history and in the process list; prefer ${ENV_API_KEY} or --api-key-file`,
    });
  } else {
    apiKey = nonEmpty(env[ENV_API_KEY]);
  }
  if (!apiKey) {
    problems.push(`no API key: set ${ENV_API_KEY} or pass --api-key-file <file> (a FusionAuth API key, created under Settings → API Keys)`);
  }
  if (problems.length > 0 || !url || !apiKey) {
    throw new UserError(problems.map((message): Diagnostic => ({ severity: 'error', message })));
  }
  return { url, apiKey, warnings };
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/**
 * The largest --api-key-file read: 64 KiB. An API key is one short line (a generated key is a few dozen characters;
 * one chosen on create, reference §6, goes into an HTTP header on every request), so a real key file is far below this
 * even with stray whitespace, while a wrong path (a log, an archive) fails at once instead of being read into memory.
 */
export const MAX_API_KEY_FILE_BYTES = 64 * 1024;

/** Control characters (C0, DEL): a key holding one is not a key, and it must not reach an HTTP header. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHAR = /[\u0000-\u001f\u007f]/;

async function readKeyFile(file: string, warnings: Diagnostic[]): Promise<string> {
  let text: string;
  try {
    // why bounded: a FIFO would block a plain read forever, /dev/zero or a huge file would fill memory (src/io/files.ts).
    text = (await readFileBounded(file, MAX_API_KEY_FILE_BYTES)).toString('utf8');
  } catch (err) {
    if (!(err instanceof FileReadError)) throw err;
    const hint = err.reason === 'too-large' ? ' (an API key is one short line: is this the right file?)' : '';
    throw new UserError(`--api-key-file ${file} ${err.message}${hint}`, { cause: err });
  }
  const key = text.trim();
  if (!key) throw new UserError(`--api-key-file ${file} is empty`);
  if (CONTROL_CHAR.test(key)) {
    throw new UserError(`--api-key-file ${file} holds more than one line or a control character; it must hold only the API key`);
  }
  let mode: number;
  try {
    ({ mode } = await stat(file));
  } catch (err) {
    throw new UserError(`--api-key-file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  if (process.platform !== 'win32' && (mode & 0o044) !== 0) {
    warnings.push({
      severity: 'warning',
      message: `--api-key-file ${file} is readable by ${(mode & 0o040) !== 0 ? 'its group' : ''}${(mode & 0o044) === 0o044 ? ' and ' : ''}${(mode & 0o004) !== 0 ? 'others' : ''} (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${file}`,
      where: { file },
    });
  }
  return key;
}
