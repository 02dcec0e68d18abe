/**
 * The refresh of FusionAuth's user search index after an apply that wrote users (src/kinds/user.ts
 * `USER_SEARCH_REFRESH`, apply's `afterWrites`): with the Elasticsearch engine the index is eventually consistent
 * (FusionAuth/fusionauth-issues#407), so without it a plan right after the apply could miss the users just created and
 * create them again. Exact HTTP sequences with nock; the emulator's answer and a key without the permission end to end.
 */
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/types.js';
import { apply, plan } from '../../src/engine.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import { renderApplyJson } from '../../src/render/json.js';
import { runCli, tmpFiles } from '../config/helpers.js';
import { emulatorWithKeys } from '../support/api-keys.js';

const BASE = 'https://fa.test';
const TENANT = 'a0000000-0000-4000-8000-00000000000a';
const USER = 'b0000000-0000-4000-8000-00000000000b';
const APP = 'c0000000-0000-4000-8000-00000000000c';

const file = (yaml: string): string => join(tmpFiles({ 'kickstand.yaml': yaml }), 'kickstand.yaml');
const userFile = (registrations = true) =>
  `users:\n  - key: ada\n    id: ${USER}\n    tenantId: ${TENANT}\n    email: ada@example.com\n    firstName: Ada\n` +
  (registrations ? `    registrations:\n      - applicationId: ${APP}\n        roles: [user]\n` : '');
/** The user as the search returns it once it exists. */
const liveUser = (registrations: unknown[] = []) => ({
  id: USER, tenantId: TENANT, email: 'ada@example.com', firstName: 'Ada', active: true, insertInstant: 1, lastUpdateInstant: 1,
  ...(registrations.length > 0 ? { registrations } : {}),
});

/** Every request nock sees, `METHOD /path`, in the order sent. */
let sent: string[] = [];

/** Answer `method path` with this status and body, recording each request in `sent`. */
function answer(scope: nock.Scope, method: string, path: string | RegExp, reply: (uri: string) => [number, unknown?]): void {
  scope.intercept(path, method).reply((uri) => {
    sent.push(`${method} ${uri.split('?')[0]}`);
    const [status, body] = reply(uri);
    return body === undefined ? [status] : [status, body as nock.Body];
  });
}

/** Answer the reads of a plan (version, license, the user search with these users), the writes, and the refresh. */
function serve(users: unknown[], refresh = 200): void {
  const scope = nock(BASE).persist();
  answer(scope, 'GET', '/api/system/version', () => [200, { version: '1.62.1' }]);
  answer(scope, 'GET', '/api/reactor', () => [200, { status: { licensed: false } }]);
  answer(scope, 'POST', '/api/user/search', () => [200, users.length > 0 ? { users, total: users.length } : { total: 0 }]);
  answer(scope, 'GET', '/api/messenger', () => [200, {}]);
  answer(scope, 'PUT', '/api/user/search', () => [refresh]);
  answer(scope, 'POST', /^\/api\/(user|messenger)\//, (uri) => [200, uri.startsWith('/api/messenger') ? { messenger: {} } : { user: liveUser(), registration: { applicationId: APP } }]);
}

const run = (yaml: string, signal?: AbortSignal) =>
  apply({ files: [file(yaml)], load: { env: {} }, client: createClient({ url: BASE, apiKey: 'test-api-key-for-nock-0123456789', retry: { attempts: 1 } }), ...(signal ? { signal } : {}) });
const READS = ['GET /api/reactor', 'GET /api/system/version', 'POST /api/user/search'];
/** The requests after the plan's reads (which run concurrently: compared as a set). */
const afterReads = (n = READS.length) => {
  expect([...sent.slice(0, n)].sort()).toEqual(READS);
  return sent.slice(n);
};

describe('after an apply that wrote users, one PUT /api/user/search', () => {
  beforeEach(() => {
    sent = [];
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('a new user with a registration: its create, then one refresh, last', async () => {
    serve([]);
    const { result } = await run(userFile());
    expect(afterReads()).toEqual([`POST /api/user/registration/${USER}`, 'PUT /api/user/search']);
    expect(result.summary).toEqual({ applied: 1, failed: 0, skipped: 0 });
    expect(result.afterWrites).toEqual([{ kind: 'user', request: 'PUT /api/user/search', status: 'applied' }]);
    expect(result.diagnostics).toEqual([]);
  });

  it('only a registration of an existing user (a child kind): the registration, then one refresh', async () => {
    serve([liveUser()]);
    const { plan: p, result } = await run(userFile());
    expect(p.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${c.kind}`)).toEqual(['create userRegistration']);
    expect(afterReads()).toEqual([`POST /api/user/registration/${USER}`, 'PUT /api/user/search']);
    expect(result.afterWrites).toEqual([{ kind: 'user', request: 'PUT /api/user/search', status: 'applied' }]);
  });

  it('one refresh for many writes: two users and a registration', async () => {
    serve([liveUser()]);
    const other = 'd0000000-0000-4000-8000-00000000000d';
    await run(`${userFile()}  - key: bob\n    id: ${other}\n    tenantId: ${TENANT}\n    email: bob@example.com\n`);
    const writes = afterReads();
    expect(writes.filter((r) => r === 'PUT /api/user/search')).toHaveLength(1);
    expect(writes.at(-1)).toBe('PUT /api/user/search');
    expect(writes).toHaveLength(3);
  });

  it('nothing written, or only other kinds: no refresh', async () => {
    serve([liveUser([{ applicationId: APP, roles: ['user'], id: 'e0000000-0000-4000-8000-00000000000e' }])]);
    const unchanged = await run(userFile());
    expect(unchanged.plan.changes.every((c) => c.action === 'noop')).toBe(true);
    expect(afterReads()).toEqual([]);
    expect(unchanged.result.afterWrites).toBeUndefined();

    sent = [];
    const messengers = await run('messengers:\n  - key: sms\n    name: SMS\n    type: Generic\n    url: https://x.example\n    connectTimeout: 1\n    readTimeout: 1\n');
    expect(sent.filter((r) => r.startsWith('POST /api/messenger/'))).toHaveLength(1);
    expect(sent).not.toContain('PUT /api/user/search');
    expect(messengers.result.afterWrites).toBeUndefined();
  });

  it('a 401 on the refresh: the writes stand, a warning names the request and what it means, the apply succeeds', async () => {
    serve([], 401);
    const { result } = await run(userFile());
    expect(afterReads()).toEqual([`POST /api/user/registration/${USER}`, 'PUT /api/user/search']);
    expect(result.summary).toEqual({ applied: 1, failed: 0, skipped: 0 });
    expect(result.afterWrites).toEqual([{ kind: 'user', request: 'PUT /api/user/search', status: 'failed' }]);
    expect(result.diagnostics).toEqual([{
      severity: 'warning',
      where: { kind: 'user' },
      message: expect.stringMatching(/^after the writes, kickstand could not refresh FusionAuth's user search index \(PUT \/api\/user\/search\): FusionAuth rejected the API key \(401 on PUT \/api\/user\/search\).*; a plan right after this may not see the new users until FusionAuth's search index refreshes/),
    }]);
    const json = JSON.parse(renderApplyJson(result)) as { afterWrites: unknown; diagnostics: Array<{ severity: string }> };
    expect(json.afterWrites).toEqual([{ kind: 'user', request: 'PUT /api/user/search', status: 'failed' }]);
    expect(json.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });

  it('a user create that fails part-way still refreshes (the user may exist)', async () => {
    answer(nock(BASE), 'POST', `/api/user/registration/${USER}`, () => [400, { fieldErrors: { 'registration.roles': [{ code: '[invalid]registration.roles', message: 'no such role' }] } }]);
    serve([]);
    const { result } = await run(userFile());
    expect(afterReads()).toEqual([`POST /api/user/registration/${USER}`, 'PUT /api/user/search']);
    expect(result.summary.failed).toBe(1);
    expect(result.afterWrites).toEqual([{ kind: 'user', request: 'PUT /api/user/search', status: 'applied' }]);
  });

  it('none after an interrupt: no request starts after the signal', async () => {
    const stop = new AbortController();
    answer(nock(BASE), 'POST', `/api/user/registration/${USER}`, () => (stop.abort('SIGTERM'), [200, { user: liveUser() }]));
    serve([]);
    const { result } = await run(userFile(), stop.signal);
    expect(result.interrupted).toEqual({ signal: 'SIGTERM' });
    expect(afterReads()).toEqual([`POST /api/user/registration/${USER}`]);
    expect(result.afterWrites).toBeUndefined();
  });
});

describe('against the emulator', () => {
  let emu: Emulator | undefined;
  afterEach(async () => {
    await emu?.stop();
    emu = undefined;
  });
  const seedFile = 'users:\n  - key: ada\n    email: ada@example.com\n    password: correct-horse-battery\n    registrations:\n      - applicationId: fusionauth\n        roles: [user_support_viewer]\n';

  it('answers PUT /api/user/search as FusionAuth documents it: 200 without a body ([SITE:docs/apis/users/flush-search.mdx])', async () => {
    emu = await startEmulator();
    const r = await fetch(`${emu.url}/api/user/search`, { method: 'PUT', headers: { authorization: emu.apiKey } });
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('');
    // Like every API, it needs an API key ("401 … You did not supply a valid Authorization header").
    expect((await fetch(`${emu.url}/api/user/search`, { method: 'PUT' })).status).toBe(401);
  });

  it('an apply of users ends with one refresh; the plan right after it is empty', async () => {
    emu = await startEmulator();
    const client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
    const path = file(seedFile);
    emu.clearLog();
    const { result } = await apply({ files: [path], load: { env: {} }, client });
    const log = emu.requests.map((r) => `${r.method} ${r.path}`);
    expect(log.filter((r) => r === 'PUT /api/user/search')).toHaveLength(1);
    expect(log.at(-1)).toBe('PUT /api/user/search');
    expect(result.afterWrites).toEqual([{ kind: 'user', request: 'PUT /api/user/search', status: 'applied' }]);
    expect(result.diagnostics).toEqual([]);
    const again = await plan({ files: [path], load: { env: {} }, client });
    expect(again.plan.changes.filter((c) => c.action !== 'noop')).toEqual([]);
  });

  it('a key without PUT permission on /api/user/search: the plan is not refused, the apply warns and exits 0', async () => {
    const LIMITED = 'limited-key-value-0000000000000000000001';
    const LIMITED_ID = 'f0000000-0000-4000-8000-00000000000f';
    const endpoints = { '/api/system/version': ['GET'], '/api/reactor': ['GET'], '/api/application': ['GET'], '/api/user/search': ['POST'], '/api/user/registration': ['POST'] };
    emu = await emulatorWithKeys([{ id: LIMITED_ID, key: LIMITED, keyManager: true, retrievable: true, name: 'Limited', permissions: { endpoints } }]);
    // The key is declared, so the plan checks its permissions against every request of the plan (src/kinds/apiKey.ts).
    const keyEntry = `apiKeys:\n  - key: self\n    id: ${LIMITED_ID}\n    name: Limited\n    permissions:\n      endpoints:\n${Object.entries(endpoints).map(([e, m]) => `        ${e}: [${m.join(', ')}]`).join('\n')}\n`;
    const path = file(`${seedFile}${keyEntry}`);
    const r = await runCli(['apply', path, '--url', emu.url, '--auto-approve', '--format', 'json'], { FUSIONAUTH_API_KEY: LIMITED });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { plan: { diagnostics: Diagnostic[] }; apply: { summary: unknown; afterWrites: unknown; diagnostics: Diagnostic[] } };
    expect(doc.plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(doc.apply.summary).toEqual({ applied: 1, failed: 0, skipped: 0 });
    expect(doc.apply.afterWrites).toEqual([{ kind: 'user', request: 'PUT /api/user/search', status: 'failed' }]);
    expect(doc.apply.diagnostics).toEqual([expect.objectContaining({
      severity: 'warning',
      message: expect.stringMatching(/could not refresh FusionAuth's user search index \(PUT \/api\/user\/search\): FusionAuth rejected the API key \(401 on PUT \/api\/user\/search\).*a plan right after this may not see the new users/),
    })]);
    expect(r.stdout + r.stderr).not.toContain(LIMITED);
    // The human rendering says it too.
    const human = await runCli(['apply', file(seedFile.replace(/ada/g, 'bob')), '--url', emu.url, '--auto-approve'], { FUSIONAUTH_API_KEY: LIMITED });
    expect(human.code).toBe(0);
    expect(human.stdout + human.stderr).toMatch(/could not refresh FusionAuth's user search index \(PUT \/api\/user\/search\)/);
  });
});
