/** Connection settings: where the URL and the API key come from, and the warnings about how the key was given. */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_API_KEY_FILE_BYTES, resolveConnection } from '../../src/fusionauth/connection.js';
import { UserError } from '../../src/core/errors.js';

const KEY = 'key-from-file-0123456789';
let dir: string;
let privateFile: string;
let sharedFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kickstand-conn-'));
  privateFile = join(dir, 'private.key');
  sharedFile = join(dir, 'shared.key');
  await writeFile(privateFile, `  ${KEY}\n\n`);
  await chmod(privateFile, 0o600);
  await writeFile(sharedFile, `${KEY}\n`);
  await chmod(sharedFile, 0o644);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function userError(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

describe('resolveConnection', () => {
  it('takes URL and key from the environment', async () => {
    const r = await resolveConnection({}, { FUSIONAUTH_URL: 'https://env.example.com', FUSIONAUTH_API_KEY: 'env-key' });
    expect(r).toEqual({ url: 'https://env.example.com', apiKey: 'env-key', warnings: [] });
  });

  it('lets flags win over the environment', async () => {
    const r = await resolveConnection(
      { url: 'https://flag.example.com', apiKeyFile: privateFile },
      { FUSIONAUTH_URL: 'https://env.example.com', FUSIONAUTH_API_KEY: 'env-key' },
    );
    expect(r.url).toBe('https://flag.example.com');
    expect(r.apiKey).toBe(KEY);
  });

  it('trims the key file and does not warn about a private file', async () => {
    const r = await resolveConnection({ url: 'https://x.example.com', apiKeyFile: privateFile }, {});
    expect(r.apiKey).toBe(KEY);
    expect(r.warnings).toEqual([]);
  });

  it('warns about a key file readable by group or others', async () => {
    const r = await resolveConnection({ url: 'https://x.example.com', apiKeyFile: sharedFile }, {});
    expect(r.apiKey).toBe(KEY);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]?.severity).toBe('warning');
    expect(r.warnings[0]?.message).toMatch(/readable by its group and others \(mode 644\).*chmod 600/);
    expect(r.warnings[0]?.message).not.toContain(KEY);
  });

  it('accepts --api-key with a warning about shell history', async () => {
    const r = await resolveConnection({ url: 'https://x.example.com', apiKey: 'cli-key-123456' }, { FUSIONAUTH_API_KEY: 'env-key' });
    expect(r.apiKey).toBe('cli-key-123456');
    expect(r.warnings.map((w) => w.message).join()).toMatch(/shell history/);
    expect(r.warnings.map((w) => w.message).join()).not.toContain('cli-key-123456');
  });

  it('refuses both key flags at once', async () => {
    const err = await userError(resolveConnection({ url: 'https://x.example.com', apiKey: 'a-key', apiKeyFile: privateFile }, {}));
    expect(err.message).toMatch(/not both/);
  });

  it('reports a missing URL and a missing key together, saying how to give them', async () => {
    const err = await userError(resolveConnection({}, { FUSIONAUTH_URL: '  ' }));
    expect(err.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/--url .*FUSIONAUTH_URL/),
      expect.stringMatching(/FUSIONAUTH_API_KEY.*--api-key-file/),
    ]);
  });

  it('reports an unreadable or empty key file by name', async () => {
    const missing = await userError(resolveConnection({ url: 'https://x.example.com', apiKeyFile: join(dir, 'nope') }, {}));
    expect(missing.message).toMatch(/--api-key-file .*nope does not exist/);
    const empty = join(dir, 'empty.key');
    await writeFile(empty, '\n');
    await chmod(empty, 0o600);
    const e2 = await userError(resolveConnection({ url: 'https://x.example.com', apiKeyFile: empty }, {}));
    expect(e2.message).toMatch(/is empty/);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['a FIFO (a plain read would block forever)', async () => {
      const p = join(dir, 'key.fifo');
      execFileSync('mkfifo', [p]);
      return p;
    }, /is a FIFO \(named pipe\), not a regular file/],
    ['/dev/zero (a plain read would never end)', async () => '/dev/zero', /is a device, not a regular file|is a kernel file/],
    ['/proc/self/environ (the environment, not a key file)', async () => '/proc/self/environ', /is a kernel file/],
    ['a symbolic link to /dev/zero', async () => {
      const p = join(dir, 'zero-link.key');
      await symlink('/dev/zero', p);
      return p;
    }, /is a device, not a regular file|is a kernel file/],
    ['a file over the limit', async () => {
      const p = join(dir, 'big.key');
      await writeFile(p, `${KEY}${' '.repeat(MAX_API_KEY_FILE_BYTES)}`);
      await chmod(p, 0o600);
      return p;
    }, new RegExp(`is over the limit of ${MAX_API_KEY_FILE_BYTES} bytes \\(an API key is one short line`)],
    ['a folder', async () => {
      const p = join(dir, 'folder.key');
      await mkdir(p);
      return p;
    }, /is a folder, not a file/],
  ])('refuses %s at once, naming the flag and the file', async (_name, make, reason) => {
    const file = await make();
    const err = await userError(resolveConnection({ url: 'https://x.example.com', apiKeyFile: file }, {}));
    expect(err.message.startsWith(`--api-key-file ${file} `)).toBe(true);
    expect(err.message).toMatch(reason);
  });

  it('accepts a key file of exactly the limit', async () => {
    const p = join(dir, 'full.key');
    await writeFile(p, `${KEY}${' '.repeat(MAX_API_KEY_FILE_BYTES - KEY.length)}`);
    await chmod(p, 0o600);
    expect((await resolveConnection({ url: 'https://x.example.com', apiKeyFile: p }, {})).apiKey).toBe(KEY);
  });

  it('refuses a key file of several lines or with control characters, without printing it', async () => {
    for (const [name, text] of [['two-lines.key', `${KEY}\nsecond-line-value`], ['nul.key', `${KEY}\u0000rest`], ['esc.key', `${KEY}\u001b[2J`]] as const) {
      const p = join(dir, name);
      await writeFile(p, text);
      await chmod(p, 0o600);
      const err = await userError(resolveConnection({ url: 'https://x.example.com', apiKeyFile: p }, {}));
      expect(err.message).toBe(`--api-key-file ${p} holds more than one line or a control character; it must hold only the API key`);
      expect(err.message).not.toContain(KEY);
    }
  });
});
