/**
 * `kickstand validate` and `kickstand schema` through the real CLI (`run` from src/cli/program.ts), with output
 * captured: exit codes, the diagnostic line format, the JSON format, and secrets never printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpFiles } from './helpers.js';

const SECRET = 'tw1l10-auth-token-canary';

/** A Twilio messenger whose token comes from a sensitive variable; `extra` makes the file invalid when given. */
function messengerFile(extra = ''): string {
  return (
    'variables:\n  token:\n    sensitive: true\n    default: "{{env \\"KS_CLI_TOKEN\\" \\"fallback-token\\"}}"\n' +
    'messengers:\n  - key: twilio\n    name: Twilio\n    type: Twilio\n    url: https://api.twilio.com\n    accountSID: AC1\n' +
    '    authToken: "{{token}}"\n    fromPhoneNumber: "+15555550100"\n' +
    extra
  );
}

describe('kickstand validate', () => {
  it('exits 0 on the phone-gating example and prints the summary', async () => {
    const r = await runCli(['validate', 'examples/phone-gating']);
    expect(r).toEqual({ code: 0, stdout: 'valid: 6 resources in 2 files\n', stderr: '' });
  });

  it('merges positional paths and -f, and prints warnings on a valid run', async () => {
    const dir = tmpFiles({ 'a.yaml': 'tenants:\n  - key: t\n    name: T\n', 'b.yaml': 'applications:\n  - key: a\n    name: A\n    tenantId: t\n', 'c.yaml': 'x: 1\n' });
    const r = await runCli(['validate', join(dir, 'a.yaml'), '-f', join(dir, 'b.yaml'), '--var-file', join(dir, 'c.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${join(dir, 'c.yaml')}:1:1  x  warning: variable "x" is not declared in any file's variables block; ignored; no variables are declared in these files\n` +
        'valid: 2 resources in 2 files (1 warning)\n',
    );
  });

  it('exits 1 on invalid files, one sorted line per diagnostic as file:line:column  path  message, and a count', async () => {
    const dir = tmpFiles({
      'b.yaml': 'tenants:\n  - key: t\n    name: T\n    phoneConfiguration:\n      unverified:\n        behavior: Gatd\n    isuer: x\n',
      'a.yaml': 'applications:\n  - key: a\n    name: A\n    tenantId: nope\n',
    });
    const r = await runCli(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `${join(dir, 'a.yaml')}:4:5  applications[0].tenantId  error: unknown tenant "nope": not a UUID and no tenant with this key is declared; declared tenants: t`,
      `${join(dir, 'b.yaml')}:6:9  tenants[0].phoneConfiguration.unverified.behavior  error: must be one of: Allow, Gated (got "Gatd")`,
      `${join(dir, 'b.yaml')}:7:5  tenants[0].isuer  error: unknown field "isuer"; did you mean "issuer"?`,
      '3 errors',
      '',
    ]);
  });

  it('--format json gives formatVersion, valid, resources and the diagnostics', async () => {
    const ok = await runCli(['validate', '--format', 'json', 'examples/phone-gating']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ formatVersion: 1, valid: true, resources: 6, diagnostics: [] });
    const dir = tmpFiles({ 'k.yaml': 'tenants:\n  - key: T\n    name: T\n' });
    const bad = await runCli(['validate', '--format', 'json', dir]);
    expect(bad.code).toBe(1);
    const parsed = JSON.parse(bad.stdout);
    expect(parsed).toMatchObject({ formatVersion: 1, valid: false, resources: 0 });
    expect(parsed.diagnostics).toEqual([
      { severity: 'error', message: expect.stringContaining('must be a key'), where: { file: join(dir, 'k.yaml'), line: 2, column: 5, path: 'tenants[0].key' } },
    ]);
  });

  it('--var and --var-file reach the files', async () => {
    const dir = tmpFiles({
      'k.yaml': 'variables:\n  ttl: 60\ntenants:\n  - key: t\n    name: T\n    externalIdentifierConfiguration:\n      phoneVerificationIdTimeToLiveInSeconds: "{{ttl}}"\n',
      'v.env': 'ttl=abc\n',
    });
    expect((await runCli(['validate', join(dir, 'k.yaml'), '--var-file', join(dir, 'v.env')])).code).toBe(1);
    expect((await runCli(['validate', join(dir, 'k.yaml'), '--var-file', join(dir, 'v.env'), '--var', 'ttl=0'])).stdout).toContain('must be greater than 0 seconds');
    expect((await runCli(['validate', join(dir, 'k.yaml'), '--var-file', join(dir, 'v.env'), '--var', 'ttl=30'])).code).toBe(0);
  });

  it('needs at least one path', async () => {
    const r = await runCli(['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no kickstand file given');
  });

  it('has help with examples', async () => {
    const r = await runCli(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: kickstand validate [options] [paths...]');
    expect(r.stdout).toContain('$ kickstand validate examples/phone-gating');
  });
});

describe('a sensitive variable never appears in validate output', () => {
  const cases: Array<[string, string]> = [
    ['valid', ''],
    // Invalid, and the secret itself is the offending value in two places.
    ['invalid', 'tenants:\n  - key: t\n    name: T\n    phoneConfiguration:\n      unverified:\n        behavior: "{{token}}"\napplications:\n  - key: a\n    name: A\n    oauthConfiguration:\n      authorizedRedirectURLs: ["{{token}}"]\n    tenantId: "{{token}}"\n'],
  ];
  for (const [name, extra] of cases) {
    for (const format of ['human', 'json']) {
      for (const source of ['env', 'var']) {
        it(`${name} files, ${format} format, secret from ${source === 'env' ? 'the environment' : '--var'}`, async () => {
          const dir = tmpFiles({ 'k.yaml': messengerFile(extra) });
          const args = ['validate', dir, '--format', format, ...(source === 'var' ? ['--var', `token=${SECRET}`] : [])];
          const r = await runCli(args, source === 'env' ? { KS_CLI_TOKEN: SECRET } : undefined);
          expect(r.code).toBe(name === 'valid' ? 0 : 1);
          if (name === 'invalid') expect(r.stdout).toContain('(sensitive)');
          expect(r.stdout + r.stderr).not.toContain(SECRET);
          expect(r.stdout + r.stderr).not.toContain(JSON.stringify(SECRET).slice(1, -1).slice(0, 12));
        });
      }
    }
  }
});

describe('kickstand schema', () => {
  it('prints schema/kickstand.schema.json exactly', async () => {
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync('schema/kickstand.schema.json', 'utf8'));
    expect(JSON.parse(r.stdout).$id).toBe('https://cdn.jsdelivr.net/npm/kickstand-cli/schema/kickstand.schema.json');
  });
});
