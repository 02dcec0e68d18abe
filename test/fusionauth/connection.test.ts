/** Connection settings: where the URL and the API key come from, and the warnings about how the key was given. */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/fusionauth/connection.js';
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
    expect(missing.message).toMatch(/cannot read --api-key-file .*nope: no such file/);
    const empty = join(dir, 'empty.key');
    await writeFile(empty, '\n');
    await chmod(empty, 0o600);
    const e2 = await userError(resolveConnection({ url: 'https://x.example.com', apiKeyFile: empty }, {}));
    expect(e2.message).toMatch(/is empty/);
  });
});
