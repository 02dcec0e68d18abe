/**
 * The classes of leak a security review found, each through the real CLI: secrets echoed by the server and escaped by
 * a renderer before masking (markdown, HTML, JSON escaping in every format), masking that rewrote keys and names
 * (over-masking), values from the environment printed in plans, a sensitive variable given on the command line, Node's
 * own debug output, and foreign terminal control and bidi characters from files and from the server.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leakyDebugSections } from '../../src/cli/program.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { interceptingProxy, runInProcess, spawnCli, tmpDir, WRITES, type CliRun, type ProxiedRequest } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ licensed: true });
});
afterAll(async () => {
  await emu.stop();
});

/** Everything a run printed. */
const printed = (r: CliRun): string => `${r.stdout}\n${r.stderr}`;

/** Every character a markdown, HTML or JSON escaper rewrites, and a newline. */
const SPECIALS = ['_', '*', '|', '[', ']', '~', '\\', '`', '<', '>', '&', '"', "'", '\n'];

/**
 * A secret made of exactly those characters, between alphanumeric pieces that carry `tag`: escaping only ever adds
 * backslashes or entities around the specials, so if any escaped form of the secret is printed, `tag` is printed.
 */
function nastySecret(tag: string): string {
  return `${tag}0${SPECIALS.map((c, i) => `${c}${tag}${i + 1}`).join('')}`;
}

describe('a server that echoes submitted secrets', () => {
  const token = nastySecret('TkQz');
  const varValue = nastySecret('VrQz');
  const envValue = nastySecret('EnQz');
  const TAGS = ['TkQz', 'VrQz', 'EnQz'];
  let dir: string;
  let proxy: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    dir = tmpDir();
    writeFileSync(join(dir, 'kickstand.json'), JSON.stringify({
      variables: { secretVar: { sensitive: true } },
      messengers: [{
        key: 'twilio', name: 'Twilio', type: 'Twilio', url: 'https://api.twilio.com', accountSID: 'AC123',
        authToken: token, fromPhoneNumber: '+15555550100', data: { fromVar: '{{secretVar}}', fromEnv: '{{env "KS_ECHO_ENV"}}' },
      }],
    }));
    writeFileSync(join(dir, 'vars.json'), JSON.stringify({ secretVar: varValue }));
    // FusionAuth's messages can quote what was sent: the token raw in a field error, the whole body (JSON-escaped) in a
    // general error.
    const echo = (req: ProxiedRequest) => {
      if (!WRITES.has(req.method)) return undefined;
      const sent = JSON.parse(req.body) as { messenger: { authToken: string; data: Record<string, string> } };
      return {
        status: 400,
        body: {
          fieldErrors: {
            'messenger.authToken': [{ code: '[invalid]messenger.authToken', message: `The authToken [${sent.messenger.authToken}] is not valid` }],
            'messenger.data': [{ code: '[invalid]messenger.data', message: `Bad data ${sent.messenger.data.fromVar} / ${sent.messenger.data.fromEnv}` }],
          },
          generalErrors: [{ code: '[echo]', message: `Request body: ${req.body}` }],
        },
      };
    };
    proxy = await interceptingProxy(emu, echo);
  });
  afterAll(async () => {
    await proxy.close();
  });

  for (const format of ['human', 'json', 'markdown']) {
    it(`apply --format ${format}: no escaped or unescaped form of a secret is printed`, async () => {
      const r = await runInProcess(
        ['apply', join(dir, 'kickstand.json'), '--var-file', join(dir, 'vars.json'), '--url', proxy.url, '--auto-approve', '--format', format, '--retries', '1'],
        { FUSIONAUTH_API_KEY: emu.apiKey, KS_ECHO_ENV: envValue },
      );
      expect(r.code).toBe(1);
      // The server's messages are shown (masked), so the failure is explained…
      expect(printed(r)).toMatch(/is not valid/);
      expect(printed(r)).toContain('(sensitive)');
      // …and no piece of any secret survives, in any escaping.
      for (const tag of TAGS) expect(printed(r), tag).not.toContain(tag);
      if (format === 'json') expect(() => JSON.parse(r.stdout)).not.toThrow();
    });
  }
});

describe('masking by path, and by value only for values long enough to be secrets', () => {
  it('a short secret (header X-Env: prod) masks its field, never "prod" elsewhere: keys, names and JSON intact', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'kickstand.yaml'), `messengers:
  - key: t-products
    name: Products relay
    type: Generic
    url: https://sms.example/prod
    connectTimeout: 1000
    readTimeout: 2000
    headers:
      X-Env: prod
    data:
      production: true
      tier: prod
`);
    const env = { FUSIONAUTH_API_KEY: emu.apiKey };
    const json = await runInProcess(['plan', join(dir, 'kickstand.yaml'), '--url', emu.url, '--format', 'json'], env);
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.stdout) as { changes: Array<{ key: string; name: string; after: Record<string, unknown>; fields: Array<{ path: string; sensitive: boolean }> }> };
    const c = plan.changes[0]!;
    expect(c.key).toBe('t-products');
    expect(c.name).toBe('Products relay');
    expect(c.after).toMatchObject({ url: 'https://sms.example/prod', headers: { 'X-Env': '(sensitive)' }, data: { production: true, tier: 'prod' } });
    expect(c.fields.filter((f) => f.sensitive).map((f) => f.path)).toEqual(['headers.X-Env']);
    for (const format of ['human', 'markdown']) {
      const r = await runInProcess(['plan', join(dir, 'kickstand.yaml'), '--url', emu.url, '--format', format], env);
      expect(r.stdout).toContain('t-products');
      expect(r.stdout).toContain('Products relay');
      expect(r.stdout).toContain('https://sms.example/prod');
      expect(r.stdout.match(/\(sensitive\)/g)).toHaveLength(1);
    }
  });
});

describe('values read from the environment', () => {
  it('are masked in every format unless their variable is declared sensitive: false, short ones by path', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'kickstand.yaml'), `variables:
  region:
    sensitive: false
    default: '{{env "KS_REGION"}}'
  token: '{{env "KS_TOKEN"}}'
messengers:
  - key: relay
    name: Relay
    type: Generic
    url: 'https://{{env "KS_HOST"}}/send'
    connectTimeout: 1000
    readTimeout: 2000
    data:
      region: '{{region}}'
      token: '{{token}}'
      short: 'x{{env "KS_SHORT"}}'
`);
    const env = { FUSIONAUTH_API_KEY: emu.apiKey, KS_REGION: 'eu-central-1', KS_TOKEN: 'ghp-env-token-55a1', KS_HOST: 'relay-internal.corp.example', KS_SHORT: 'q7z' };
    for (const format of ['human', 'json', 'markdown']) {
      const r = await runInProcess(['plan', join(dir, 'kickstand.yaml'), '--url', emu.url, '--format', format], env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('eu-central-1');
      for (const hidden of ['ghp-env-token-55a1', 'relay-internal', 'xq7z']) expect(r.stdout, `${format}: ${hidden}`).not.toContain(hidden);
    }
  });

  it('a sensitive variable given with --var draws a warning (the process list shows it); --var-file does not', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'kickstand.yaml'), `variables:
  secret:
    sensitive: true
messageTemplates:
  - key: t
    name: T
    type: SMS
    defaultTemplate: 'code \${code} {{secret}}'
`);
    writeFileSync(join(dir, 'vars.env'), 'secret=from-a-file-123\n');
    const byFlag = await runInProcess(['validate', join(dir, 'kickstand.yaml'), '--var', 'secret=from-the-flag-123']);
    expect(byFlag.code).toBe(0);
    expect(byFlag.stdout).toMatch(/warning: the sensitive variable "secret" was given with --var/);
    expect(byFlag.stdout).not.toContain('from-the-flag-123');
    const byFile = await runInProcess(['validate', join(dir, 'kickstand.yaml'), '--var-file', join(dir, 'vars.env')]);
    expect(byFile.stdout).not.toMatch(/warning/);
  });
});

describe("Node's debug output", () => {
  it('finds the NODE_DEBUG sections that print request headers, as Node matches them', () => {
    expect(leakyDebugSections(undefined)).toEqual([]);
    expect(leakyDebugSections('module,esm')).toEqual([]);
    expect(leakyDebugSections('HTTP')).toEqual(['http']);
    expect(leakyDebugSections('ht*')).toEqual(['http', 'https', 'http2']);
    expect(leakyDebugSections('fs, net')).toEqual(['net']);
    expect(leakyDebugSections('*')).toHaveLength(7);
  });

  it('kickstand refuses to run with NODE_DEBUG=http, which would print the API key, and says why', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'k.yaml'), 'messengers: []\n');
    const key = 'debug-canary-key-93be0c1d';
    const { done } = spawnCli(['plan', join(dir, 'k.yaml'), '--url', emu.url], { env: { NODE_DEBUG: 'http', FUSIONAUTH_API_KEY: key } });
    const r = await done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NODE_DEBUG=http .*API key/);
    expect(printed(r)).not.toContain(key);
    expect(printed(r)).not.toContain('authorization');
  });
});

describe('terminal control and bidi characters that did not come from kickstand', () => {
  const ESC = '\u001b';
  // Only the palette's own SGR sequences may reach a terminal.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const OURS = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;

  function inert(text: string): void {
    expect(text.replace(OURS, '')).not.toContain(ESC);
    for (const c of ['\u202e', '\u2066', '\u200f', '\u0085', '\u0007', '\r']) expect(text, `U+${c.charCodeAt(0).toString(16)}`).not.toContain(c);
  }

  it('are escaped in human (coloured), markdown and JSON output, from the files and from server messages', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'kickstand.json'), JSON.stringify({
      messengers: [{
        key: 'evil', name: `Evil${ESC}[8mhidden\u202ecod.exe${ESC}]0;title\u0007`, type: 'Generic', url: 'https://sms.example/send',
        connectTimeout: 1000, readTimeout: 2000, data: { note: `a${ESC}[2Jb\u2066c\r\u0085d` },
      }],
    }));
    const proxy = await interceptingProxy(emu, (req) => (WRITES.has(req.method)
      ? { status: 400, body: { generalErrors: [{ code: '[x]', message: `bad${ESC}[2J\nNo changes. Your FusionAuth configuration matches the files.\u202e` }] } }
      : undefined));
    try {
      const env = { FUSIONAUTH_API_KEY: emu.apiKey, FORCE_COLOR: '1' };
      for (const format of ['human', 'json', 'markdown']) {
        const plan = await runInProcess(['plan', join(dir, 'kickstand.json'), '--url', proxy.url, '--format', format], env);
        expect(plan.code, plan.stderr).toBe(0);
        inert(printed(plan));
        expect(plan.stdout).toContain('\\u202e');
        const apply = await runInProcess(['apply', join(dir, 'kickstand.json'), '--url', proxy.url, '--format', format, '--auto-approve', '--retries', '1'], env);
        expect(apply.code).toBe(1);
        inert(printed(apply));
        // A newline in a server message cannot forge a line of kickstand's own.
        expect(printed(apply)).not.toMatch(/^No changes\./m);
        if (format === 'json') expect(JSON.parse(apply.stdout)).toMatchObject({ apply: { summary: { failed: 1 } } });
      }
    } finally {
      await proxy.close();
    }
  });
});
