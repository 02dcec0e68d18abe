/**
 * Secret canaries: a distinct value in every secret field (Twilio authToken, Generic httpAuthenticationPassword and
 * header values, an application's clientSecret, a tenant's SMTP password and captcha secret, an API key's value, a key's
 * HMAC secret and private key, a webhook's password and header values, users' passwords), in sensitive variables (from a default, --var,
 * --var-file and the env helper, used in ordinary fields and inside a multi-line theme template; themes have no secret
 * fields of their own) and as the API key. Every command
 * runs — help, version, schema, validate, plan and apply in every format, success and failure paths (a 400 whose
 * messages echo the request body and the API key, a non-JSON 200 holding secrets, refused connections, retries,
 * garbage live data, key file warnings, an update whose before and after are both secrets) — and no canary, nor a
 * fragment of one, may appear on stdout, stderr or in any file kickstand writes (the embedded emulator's state file is
 * the server's storage, so it may hold them).
 *
 * Each run gets fresh module state, so a run that forgot to register its secrets cannot be covered by an earlier one.
 * `kickstand emulator` is not run here: it prints its own API key at start by design.
 */
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { interceptingProxy, runInProcess, tmpDir, type CliRun, type ProxiedRequest } from './helpers.js';

/**
 * A private key to import, per version of the file: a real one (the server parses it), whose first base64 line is the
 * canary — random, so that neither it nor its fragment can appear by chance.
 */
const PRIVATE_KEYS = Object.fromEntries(['1', '2'].map((v) => {
  const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trim();
  return [v, { pem, line: pem.split('\n')[1]! }];
})) as Record<string, { pem: string; line: string }>;

/** Canaries of one version of the file; the last 8 characters of each are its fragment, searched for too. */
function canaries(v: string) {
  return {
    hmacSecret: `cnry-hmac-secret-${v}e7f9a1b3`,
    privateKeyLine: PRIVATE_KEYS[v]!.line,
    webhookPassword: `cnry-webhook-pass-${v}f8a0b2c4`,
    webhookHeader: `cnry-webhook-header-${v}a9b1c3d5`,
    twilioToken: `cnry-twilio-token-${v}a1f3e5c7`,
    genericPassword: `cnry-generic-pass-${v}b2e4d6f8`,
    headerValue: `cnry-header-value-${v}c3d5e7a9`,
    clientSecret: `cnry-client-secret-${v}d4c6f8b0`,
    smtpPassword: `cnry-smtp-pass-${v}e5b7a9c1`,
    captchaKey: `cnry-captcha-key-${v}f6a8b0d2`,
    defaultVar: `cnry-default-var-${v}a7b9c1e3`,
    flagVar: `cnry-flag-var-${v}b8c0d2f4`,
    fileVar: `cnry-file-var-${v}c9d1e3a5`,
    envVar: `cnry-env-var-${v}d0e2f4b6`,
    userPassword: `cnry-user-pass-${v}e1a3c5f7`,
    adminPassword: `cnry-admin-pass-${v}f2b4d6a8`,
  };
}
type Canaries = ReturnType<typeof canaries>;
const V1 = canaries('1');
const V2 = canaries('2');
const API_KEY = 'cnry-api-key-e1f3a5b7c9d1e3f5';
/** The value of an API key the files declare (the same in both versions: a new value means a new key). */
const API_KEY_VALUE = 'cnry-apikey-value-f2a4c6e8a0b2';
const ALL = [...Object.values(V1), ...Object.values(V2), API_KEY, API_KEY_VALUE];
const FRAGMENTS = ALL.map((c) => c.slice(-8));

/** A kickstand file with every secret field and four sensitive variables, each used in an ordinary field. */
function kickstandFile(c: Canaries): string {
  return `variables:
  fromDefault:
    sensitive: true
    default: ${c.defaultVar}
  fromFlag:
    sensitive: true
  fromFile:
    sensitive: true
  fromEnv:
    sensitive: true
    default: '{{env "KS_CANARY_ENV"}}'
messengers:
  - key: twilio
    name: Twilio
    type: Twilio
    url: https://api.twilio.com
    accountSID: '{{fromDefault}}'
    authToken: ${c.twilioToken}
    fromPhoneNumber: '+15555550100'
  - key: generic
    name: Generic
    type: Generic
    url: https://sms.example/send
    connectTimeout: 1000
    readTimeout: 2000
    httpAuthenticationUsername: '{{fromFlag}}'
    httpAuthenticationPassword: ${c.genericPassword}
    headers:
      X-Api-Key: ${c.headerValue}
themes:
  # Sensitive variables inside a multi-line template: the plans show long text as a summary or changed lines.
  - key: brand
    name: Brand
    sourceThemeId: 75a068fd-e94b-451a-9aeb-3ddb9a3b5987
    templates:
      index: "[#ftl/]\\n<p>{{fromFile}}</p>\\n<p>{{fromDefault}}</p>\\n"
tenants:
  - key: acme
    name: Acme
    data:
      note: 'file var {{fromFile}}'
    emailConfiguration:
      host: smtp.example
      port: 587
      username: mailer
      password: ${c.smtpPassword}
    captchaConfiguration:
      secretKey: ${c.captchaKey}
applications:
  - key: web
    name: Web
    tenantId: acme
    data:
      env: '{{fromEnv}}'
    oauthConfiguration:
      clientSecret: ${c.clientSecret}
      enabledGrants: [authorization_code]
      authorizedRedirectURLs: ['https://web.example/cb']
apiKeys:
  - key: ci
    name: CI
    keyValue: ${API_KEY_VALUE}
    tenantId: acme
    metaData:
      attributes:
        description: 'version ${c.twilioToken.slice(-9, -8)}'
    permissions:
      endpoints:
        /api/user: [GET]
keys:
  - key: partner
    name: Partner HMAC
    type: HMAC
    algorithm: HS256
    secret: ${c.hmacSecret}
  - key: signer
    name: Imported signer
    privateKey: |
${Object.values(PRIVATE_KEYS).find((k) => k.line === c.privateKeyLine)!.pem.split('\n').map((l) => `      ${l}`).join('\n')}
webhooks:
  - key: audit
    description: Audit
    url: https://audit.example/hook
    connectTimeout: 1000
    readTimeout: 2000
    tenantIds: [acme]
    httpAuthenticationUsername: fusionauth
    httpAuthenticationPassword: ${c.webhookPassword}
    headers:
      X-Audit-Key: ${c.webhookHeader}
users:
  # A password is sent on create only; V2's are never compared (a warning, not a change).
  - key: admin
    email: admin@acme.example
    password: ${c.adminPassword}
    registrations:
      - applicationId: fusionauth
        roles: [admin]
  - key: member
    username: member
    password: ${c.userPassword}
    registrations:
      - applicationId: web
        data:
          note: '{{fromFlag}}'
`;
}

const dir = tmpDir();
const files = (c: Canaries, name: string) => {
  writeFileSync(join(dir, `${name}.yaml`), kickstandFile(c));
  writeFileSync(join(dir, `${name}.env`), `fromFile=${c.fileVar}\n`);
  return { file: join(dir, `${name}.yaml`), args: ['--var', `fromFlag=${c.flagVar}`, '--var-file', join(dir, `${name}.env`)], env: { KS_CANARY_ENV: c.envVar } };
};
const F1 = files(V1, 'v1');
const F2 = files(V2, 'v2');
/** A file whose sensitive variable lands in an enum field and a number field: the error messages echo values. */
writeFileSync(join(dir, 'bad.yaml'), kickstandFile(V1).replace("type: Generic", "type: '{{fromDefault}}'").replace('connectTimeout: 1000', "connectTimeout: '{{fromFile}}'"));
const KEY_FILE = join(dir, 'api-key');
writeFileSync(KEY_FILE, `${API_KEY}\n`);
chmodSync(KEY_FILE, 0o644);

let emu: Emulator;
const transcript: string[] = [];

/** Run the CLI with fresh modules and the API key in the environment; keep everything it printed for the final scan. */
async function cli(argv: string[], env: Record<string, string> = {}): Promise<CliRun> {
  vi.resetModules();
  // Each fresh copy of src/cli/output.ts adds its EPIPE listener to process.stdout; drop them after the run.
  const listeners = new Set(process.stdout.listeners('error'));
  const r = await runInProcess(argv, { FUSIONAUTH_API_KEY: API_KEY, ...env }).finally(() => {
    for (const l of process.stdout.listeners('error')) if (!listeners.has(l)) process.stdout.off('error', l as (e: Error) => void);
  });
  transcript.push(`${r.stdout}\n${r.stderr}`);
  expectNoCanary(`${r.stdout}\n${r.stderr}`, argv.join(' '));
  return r;
}

function expectNoCanary(text: string, where: string): void {
  const leaked = [...ALL, ...FRAGMENTS].filter((c) => text.includes(c));
  expect(leaked, `${where} printed a secret`).toEqual([]);
}

const withFile = (f: typeof F1, cmd: string, url: string, extra: string[] = []) => [cmd, f.file, ...f.args, '--url', url, ...extra];

beforeAll(async () => {
  emu = await startEmulator({ licensed: true, apiKey: API_KEY });
});
afterAll(async () => {
  await emu.stop();
});

describe('no secret reaches any output', () => {
  it('help, version and schema', async () => {
    for (const argv of [['--help'], ['--version'], ['help', 'apply'], ['plan', '--help'], ['apply', '--help'], ['validate', '--help'], ['schema']]) {
      expect((await cli(argv)).code).toBe(0);
    }
  });

  it('validate, valid and invalid, human and JSON — including errors that echo a sensitive variable\'s value', async () => {
    for (const format of ['human', 'json']) {
      expect((await cli(['validate', F1.file, ...F1.args, '--format', format], F1.env)).code).toBe(0);
      const bad = await cli(['validate', join(dir, 'bad.yaml'), ...F1.args, '--format', format], F1.env);
      expect(bad.code).toBe(1);
      expect(bad.stdout + bad.stderr).toMatch(/must be one of: Twilio, Generic, Kafka \(got "\(sensitive\)"\)|must be one of/);
    }
  });

  it('plan in every format, with the key from the environment, a world-readable key file and --api-key', async () => {
    emu.reset();
    for (const format of ['human', 'json', 'markdown']) {
      const r = await cli(withFile(F1, 'plan', emu.url, ['--format', format]), F1.env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('(sensitive)');
    }
    const keyFile = await cli([...withFile(F1, 'plan', emu.url), '--api-key-file', KEY_FILE], { ...F1.env, FUSIONAUTH_API_KEY: '' });
    expect(keyFile.code).toBe(0);
    expect(keyFile.stdout + keyFile.stderr).toMatch(/readable by .*chmod 600/);
    const flag = await cli([...withFile(F1, 'plan', emu.url), '--api-key', API_KEY], { ...F1.env, FUSIONAUTH_API_KEY: '' });
    expect(flag.code).toBe(0);
    expect(flag.stdout + flag.stderr).toMatch(/--api-key puts the key in your shell history/);
  });

  it('apply in every format, then an update whose before and after are both secrets, then a plan with nothing to do', async () => {
    for (const format of ['human', 'json', 'markdown']) {
      emu.reset();
      const r = await cli(withFile(F1, 'apply', emu.url, ['--auto-approve', '--format', format]), F1.env);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    // The server now holds V1's secrets in cleartext (GET returns them, reference §2); the plan to V2 compares them.
    for (const format of ['human', 'json', 'markdown']) {
      const r = await cli(withFile(F2, 'plan', emu.url, ['--format', format]), F2.env);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/update|~/);
    }
    const up = await cli(withFile(F2, 'apply', emu.url, ['--auto-approve', '--format', 'json']), F2.env);
    expect(up.code, up.stderr).toBe(0);
    const none = await cli(withFile(F2, 'plan', emu.url, ['--detailed-exitcode']), F2.env);
    expect(none.code).toBe(0);
  });

  it('a 400 whose messages echo the request body and the API key, in every format', async () => {
    const echo = (req: ProxiedRequest) => {
      if (req.method === 'GET') return undefined;
      return {
        status: 400,
        body: {
          fieldErrors: { 'messenger.authToken': [{ code: '[invalid]messenger.authToken', message: `The value in [${req.body}] is invalid for key [${API_KEY}]` }] },
          generalErrors: [{ code: '[echo]', message: `Request body: ${req.body}` }],
        },
      };
    };
    const proxy = await interceptingProxy(emu, echo);
    try {
      for (const format of ['human', 'json', 'markdown']) {
        emu.reset();
        const r = await cli(withFile(F1, 'apply', proxy.url, ['--auto-approve', '--format', format]), F1.env);
        expect(r.code).toBe(1);
        expect(r.stdout + r.stderr).toMatch(/\[invalid\]messenger\.authToken/);
      }
    } finally {
      await proxy.close();
    }
  });

  it('the server echoing the API key while reading, a non-JSON 200 holding secrets, garbage and absurdly deep live data', async () => {
    emu.reset();
    const proxy = await interceptingProxy(emu, (req) => {
      if (req.path === '/api/tenant') return { status: 401, body: { generalErrors: [{ code: '[unauthorized]', message: `API key [${API_KEY}] is not allowed` }] } };
      return undefined;
    });
    const page = await interceptingProxy(emu, (req) => (req.path === '/api/reactor' ? { status: 200, raw: `<html>${API_KEY} ${V1.twilioToken}</html>` } : undefined));
    const garbage = await interceptingProxy(emu, (req) => (req.path === '/api/messenger' && req.method === 'GET'
      ? { status: 200, body: { messengers: [{ id: 'fada7c31-dc34-5213-a2d4-1b7e6c69a48a', name: { weird: V1.twilioToken }, type: 7, authToken: [V1.twilioToken, API_KEY], headers: V1.headerValue }] } }
      : undefined));
    // A live object nested 20,000 deep: the client refuses it (every later step is recursive), and says so masked.
    let deep = `"${V1.twilioToken}"`;
    for (let i = 0; i < 20_000; i++) deep = `{"a":${deep}}`;
    const nested = await interceptingProxy(emu, (req) => (req.path === '/api/messenger' && req.method === 'GET'
      ? { status: 200, raw: `{"messengers":[{"id":"fada7c31-dc34-5213-a2d4-1b7e6c69a48a","name":"Twilio","type":"Twilio","authToken":"${V1.twilioToken}","data":${deep}}]}` }
      : undefined));
    try {
      const deepRun = await cli(withFile(F1, 'plan', nested.url), F1.env);
      expect(deepRun.code).toBe(1);
      expect(deepRun.stderr).toContain('nested deeper than');
      expect(deepRun.stderr).not.toContain('internal error');
      expect((await cli(withFile(F1, 'plan', proxy.url), F1.env)).code).toBe(1);
      expect((await cli(withFile(F1, 'plan', page.url, ['--format', 'json']), F1.env)).code).toBe(1);
      const g = await cli(withFile(F1, 'plan', garbage.url), F1.env);
      expect([0, 1]).toContain(g.code);
      expect((await cli(withFile(F1, 'apply', garbage.url, ['--auto-approve', '--format', 'markdown']), F1.env)).code).toBeLessThanOrEqual(1);
    } finally {
      await Promise.all([proxy.close(), page.close(), garbage.close(), nested.close()]);
    }
  });

  it('refused connections and retries (their log lines on stderr)', async () => {
    const closed = await startEmulator();
    const url = closed.url;
    await closed.stop();
    const refused = await cli(withFile(F1, 'apply', url, ['--auto-approve', '--retries', '2']), F1.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/nothing is listening at .* — is FusionAuth running\?/);

    emu.reset();
    emu.setFaults({ rate: 0.3, seed: 4, kinds: ['500', 'reset', 'reset-after', '409'] });
    try {
      const r = await cli(withFile(F1, 'apply', emu.url, ['--auto-approve', '--retries', '10', '--format', 'json']), F1.env);
      expect(r.stderr).toMatch(/^retrying /m);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    } finally {
      emu.setFaults(undefined);
    }
  });

  it('the embedded emulator: output and every file kickstand writes, except the emulated server\'s own state', async () => {
    const emuDir = join(dir, 'embedded');
    for (const cmd of ['plan', 'apply', 'plan']) {
      const r = await cli([cmd, F1.file, ...F1.args, '--emulator', '--emulator-licensed', '--emulator-dir', emuDir, ...(cmd === 'apply' ? ['--auto-approve'] : [])], F1.env);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    const written = readdirSync(emuDir).filter((f) => statSync(join(emuDir, f)).isFile());
    expect(written).toContain('emulator-state.json');
    // The state file is the emulated server's database: it holds the secrets, as FusionAuth's would.
    expect(readFileSync(join(emuDir, 'emulator-state.json'), 'utf8')).toContain(V1.twilioToken);
    for (const f of written.filter((x) => x !== 'emulator-state.json')) expectNoCanary(readFileSync(join(emuDir, f), 'utf8'), f);
    // Nothing else appeared beside the inputs.
    expect(readdirSync(dir).sort()).toEqual(['api-key', 'bad.yaml', 'embedded', 'v1.env', 'v1.yaml', 'v2.env', 'v2.yaml']);
  });

  it('the run\'s own API key written in a file: the plan refuses it at its entry, in every format, without printing it', async () => {
    const own = join(tmpDir(), 'own.yaml');
    writeFileSync(own, `apiKeys:\n  - key: self\n    keyValue: ${API_KEY}\n`);
    for (const format of ['human', 'json', 'markdown']) {
      const r = await cli(['plan', own, '--url', emu.url, '--format', format]);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/API key this run authenticates with/);
    }
  });

  it('the canaries were really in play: every one of them reached the server', async () => {
    const state = JSON.stringify(emu.snapshot());
    // Users' passwords are stored hashed: they reached the server when they sign the users in.
    const passwords = new Set([V1.adminPassword, V1.userPassword]);
    for (const c of [...Object.values(V1), API_KEY_VALUE]) if (!passwords.has(c)) expect(state, c).toContain(c);
    const web = emu.snapshot().applications.find((a) => a.name === 'Web')!.id as string;
    for (const [loginId, password, applicationId] of [['admin@acme.example', V1.adminPassword, '3c219e58-ed0e-4b18-ad48-f4f92793ae32'], ['member', V1.userPassword, web]] as const) {
      const r = await fetch(`${emu.url}/api/login`, { method: 'POST', headers: { authorization: API_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ loginId, password, applicationId }) });
      expect(r.status, `${loginId}: ${await r.text()}`).toBeLessThan(300);
    }
    expect(transcript.length).toBeGreaterThanOrEqual(37);
    expectNoCanary(transcript.join('\n'), 'the transcript');
  });
});
