/**
 * API keys in kickstand files, over real HTTP against the emulator: the value spelled `keyValue`; the offline rules
 * through `kickstand validate`; matching by id only (FusionAuth cannot list API keys), one read per declared key;
 * endpoint permissions stated in full; create-only fields; and the run's own key — never changed or deleted, and a
 * plan its permissions cannot finish refused, saying which entry lacks what, without printing the key.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Diagnostic, JsonObject, Plan } from '../../src/core/types.js';
import { apply, plan } from '../../src/engine.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import { ApiError } from '../../src/fusionauth/errors.js';
import { permissionEndpoint } from '../../src/kinds/apiKey.js';
import { kindByName } from '../../src/kinds/index.js';
import { loadErrors, runCli, tmpFiles } from '../config/helpers.js';
import { renderPlanHuman } from '../../src/render/human.js';
import { renderPlanJson } from '../../src/render/json.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { emulatorWithKeys } from '../support/api-keys.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

const file = (yaml: string): string => join(tmpFiles({ 'kickstand.yaml': yaml }), 'kickstand.yaml');
const errors = (p: Plan): Diagnostic[] => p.diagnostics.filter((d) => d.severity === 'error');

/** Plan (and apply when asked) a file against the emulator with `key` as the run's API key (default the bootstrap key). */
async function run(path: string, o: { key?: string; apply?: boolean; allowReplace?: boolean } = {}) {
  const apiKey = o.key ?? emu!.apiKey;
  const client = createClient({ url: emu!.url, apiKey, retry: { attempts: 1 } });
  const desired = await loadConfig([path], { env: {} });
  const planned = await plan({ desired, client, apiKey, allowReplace: o.allowReplace ?? false });
  if (!o.apply) return { plan: planned.plan };
  const { result } = await apply({ plan: planned.plan, desired, client, apiKey });
  return { plan: planned.plan, result };
}

async function call(method: string, path: string, body?: unknown): Promise<JsonObject | undefined> {
  const r = await fetch(`${emu!.url}${path}`, { method, headers: { authorization: emu!.apiKey, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await r.text();
  return text ? (JSON.parse(text) as JsonObject) : undefined;
}

describe('API keys in a file', () => {
  it('keyValue is FusionAuth\'s key: loaded under that name, a secret of the run; keyManager is the server\'s, not writable', async () => {
    const desired = await loadConfig([file('apiKeys:\n  - key: ci\n    keyValue: ci-value-0001\n    name: CI\n')], { env: {} });
    expect(desired.resources[0]!.body).toEqual({ key: 'ci-value-0001', name: 'CI' });
    expect(desired.secrets).toContain('ci-value-0001');
    const { errors: e } = await loadErrors([file('apiKeys:\n  - key: ci\n    keyManager: true\n')]);
    expect(e.map((d) => d.where?.path)).toEqual(['apiKeys[0].keyManager']);
  });

  it('kickstand validate catches the offline rules, at the fields as the file spells them', async () => {
    const path = file([
      'apiKeys:',
      '  - key: hidden',
      '    retrievable: false',
      '  - key: empty',
      '    keyValue: "  "',
      '  - key: manager',
      '    permissions:',
      '      endpoints:',
      '        /api/api-key: [GET]',
      '  - key: bad-method',
      '    permissions:',
      '      endpoints:',
      '        /api/user: [FETCH]',
      '',
    ].join('\n'));
    const r = await runCli(['validate', path, '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { diagnostics: Diagnostic[] };
    const at = (p: string) => out.diagnostics.find((d) => d.where?.path === p)?.message;
    expect(at('apiKeys[0].name')).toMatch(/not retrievable .* needs a name/);
    expect(at('apiKeys[1].keyValue')).toMatch(/must not be empty: leave keyValue out/);
    expect(at('apiKeys[2].permissions.endpoints')).toMatch(/\/api\/api-key cannot be granted/);
    expect(out.diagnostics.some((d) => d.where?.path?.startsWith('apiKeys[3].permissions.endpoints'))).toBe(true);
  });

  it('an endpoint permission is the request path without its ids', () => {
    expect(permissionEndpoint('/api/application/3c219e58-ed0e-4b18-ad48-f4f92793ae32/role/631ecd9d-8d40-4c13-8277-80cedb8236e2')).toBe('/api/application/role');
    expect(permissionEndpoint('/api/key/generate/092dbedc-30af-4149-9c61-b578f2c72f59')).toBe('/api/key/generate');
    expect(permissionEndpoint('/api/system-configuration')).toBe('/api/system-configuration');
  });
});

describe('plan and apply', () => {
  const CREATE = [
    'tenants:',
    '  - key: acme',
    '    name: Acme',
    'apiKeys:',
    '  - key: ci',
    '    name: CI',
    '    keyValue: ci-value-0001',
    '    tenantId: acme',
    '    retrievable: false',
    '    permissions:',
    '      endpoints:',
    '        /api/user: [POST, GET]',
    '  - key: reader',
    '    name: Reader',
    '    metaData:',
    '      attributes:',
    '        description: reads tenants',
    '    permissions:',
    '      endpoints:',
    '        /api/tenant: [GET]',
    '',
  ].join('\n');

  it('creates keys (the tenant first), then plans nothing; one read per declared key and never a list', async () => {
    emu = await startEmulator({ licensed: true });
    const path = file(CREATE);
    const first = await run(path, { apply: true });
    expect(errors(first.plan)).toEqual([]);
    expect(first.plan.changes.map((c) => `${c.kind}:${c.key} ${c.action}`)).toEqual(['tenant:acme create', 'apiKey:ci create', 'apiKey:reader create']);
    expect(first.result!.outcomes.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    const ci = first.plan.changes.find((c) => c.key === 'ci')!;
    const stored = (await call('GET', `/api/api-key/${ci.id!}`))!.apiKey as JsonObject;
    expect(stored).toMatchObject({ name: 'CI', tenantId: first.plan.changes[0]!.id, retrievable: false });
    expect(stored).not.toHaveProperty('key');

    emu.clearLog();
    const second = await run(path);
    expect(errors(second.plan)).toEqual([]);
    expect(second.plan.changes.map((c) => c.action)).toEqual(['noop', 'noop', 'noop']);
    const reads = emu.requests.filter((r) => r.path.startsWith('/api/api-key'));
    expect(reads.map((r) => `${r.method} ${r.path}`).sort()).toEqual(second.plan.changes.filter((c) => c.kind === 'apiKey').map((c) => `GET /api/api-key/${c.id!}`).sort());
  });

  it('states endpoint permissions in full: an endpoint the file leaves out is removed, the methods compare as a set', async () => {
    emu = await startEmulator({ licensed: true });
    const path = file(CREATE);
    const { plan: first } = await run(path, { apply: true });
    const id = first.changes.find((c) => c.key === 'reader')!.id!;
    const live = (await call('GET', `/api/api-key/${id}`))!.apiKey as JsonObject;
    await call('PUT', `/api/api-key/${id}`, { apiKey: { ...live, permissions: { endpoints: { '/api/tenant': ['GET'], '/api/messenger': ['GET', 'DELETE'] } } } });
    const { plan: drift, result } = await run(path, { apply: true });
    const change = drift.changes.find((c) => c.key === 'reader')!;
    expect(change.action).toBe('update');
    expect(change.fields.map((f) => [f.path, f.after])).toEqual([['permissions.endpoints./api/messenger', null]]);
    expect(result!.outcomes.find((o) => o.key === 'reader')!.status).toBe('applied');
    expect(((await call('GET', `/api/api-key/${id}`))!.apiKey as JsonObject).permissions).toEqual({ endpoints: { '/api/tenant': ['GET'] } });
    // Another order of the same methods is no change.
    await call('PUT', `/api/api-key/${first.changes.find((c) => c.key === 'ci')!.id!}`, { apiKey: { name: 'CI', permissions: { endpoints: { '/api/user': ['GET', 'POST'] } } } });
    expect((await run(path)).plan.changes.map((c) => c.action)).toEqual(['noop', 'noop', 'noop']);
  });

  it('matches by id only: a key made outside kickstand is not adopted by its name, and is managed once its id is pinned', async () => {
    emu = await startEmulator({ licensed: true });
    const made = (await call('POST', '/api/api-key', { apiKey: { name: 'Outside', metaData: { attributes: { description: 'old' } } } }))!.apiKey as JsonObject;
    const unpinned = await run(file('apiKeys:\n  - key: outside\n    name: Outside\n'), { apply: true });
    expect(unpinned.plan.changes.map((c) => `${c.action} ${c.match}`)).toEqual(['create new']);
    // FusionAuth keeps names unique: the create fails, at the entry's name.
    expect(unpinned.result!.outcomes[0]!.error?.map((d) => [d.where?.path, d.message])).toEqual([['name', expect.stringContaining('[duplicate]apiKey.name')]]);
    const pinned = await run(file(`apiKeys:\n  - key: outside\n    id: ${made.id as string}\n    name: Outside\n    metaData:\n      attributes:\n        description: new\n`), { apply: true });
    expect(pinned.plan.changes.map((c) => `${c.action} ${c.match}`)).toEqual(['update pinned-id']);
    expect(pinned.result!.outcomes[0]!.status).toBe('applied');
  });

  it('the value, the tenant and retrievable are create-only: a change is an error, or a replace with --allow-replace', async () => {
    emu = await startEmulator({ licensed: true });
    await run(file('apiKeys:\n  - key: k\n    keyValue: value-one\n'), { apply: true });
    const path = file('apiKeys:\n  - key: k\n    keyValue: value-two\n');
    const refused = await run(path);
    expect(errors(refused.plan).map((d) => d.message)).toEqual([expect.stringMatching(/^key cannot change: FusionAuth sets an API key's value only when it creates the key\. Run with --allow-replace/)]);
    expect(errors(refused.plan)[0]!.where?.path).toBe('keyValue');
    for (const text of [renderPlanHuman(refused.plan, { color: false }), renderPlanJson(refused.plan), renderPlanMarkdown(refused.plan)]) expect(text).not.toContain('value-one');
    const replaced = await run(path, { apply: true, allowReplace: true });
    expect(replaced.plan.changes.map((c) => c.action)).toEqual(['replace']);
    expect(replaced.result!.outcomes[0]!.status).toBe('applied');
    expect((await fetch(`${emu.url}/api/tenant`, { headers: { authorization: 'value-two' } })).status).toBe(200);
  });

  it('an IP access control list needs a license; name and retrievable need 1.56, expirationInstant 1.55', async () => {
    emu = await startEmulator({ licensed: false, version: '1.54.0' });
    const { plan: p } = await run(file('apiKeys:\n  - key: k\n    name: N\n    retrievable: true\n    expirationInstant: 4102444800000\n    ipAccessControlListId: c0000000-0000-4000-8000-00000000000c\n'));
    const messages = errors(p).map((d) => `${d.where?.path ?? ''}: ${d.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ipAccessControlListId: .*license/), expect.stringMatching(/^name: .*1\.56\.0/),
      expect.stringMatching(/^retrievable: .*1\.56\.0/), expect.stringMatching(/^expirationInstant: .*1\.55\.0/),
    ]));
  });
});

describe('the API key of the run', () => {
  const LIMITED = 'limited-manager-value-0001';
  const LIMITED_ID = 'a1000000-0000-4000-8000-000000000001';
  const limitedKey = (endpoints: Record<string, string[]>): JsonObject => ({ id: LIMITED_ID, key: LIMITED, keyManager: true, retrievable: true, name: 'Limited', permissions: { endpoints } });
  const limitedEntry = (endpoints: Record<string, string[]>): string =>
    `apiKeys:\n  - key: self\n    id: ${LIMITED_ID}\n    name: Limited\n    permissions:\n      endpoints:\n${Object.entries(endpoints).map(([e, m]) => `        ${e}: [${m.join(', ')}]`).join('\n')}\n`;
  /** Neither a message nor any rendering of the plan shows the key (the plan object holds it, masked by path). */
  const noSecret = (p: Plan, secret: string) => {
    for (const text of [JSON.stringify(p.diagnostics), renderPlanHuman(p, { color: false }), renderPlanJson(p), renderPlanMarkdown(p)]) expect(text).not.toContain(secret);
  };

  it('is never changed: an update of it is an error at its entry, and nothing is applied', async () => {
    emu = await startEmulator();
    const path = file(`apiKeys:\n  - key: self\n    id: ${emu.apiKeyId}\n    metaData:\n      attributes:\n        description: changed\n`);
    const { plan: p, result } = await run(path, { apply: true });
    expect(p.changes.map((c) => c.action)).toEqual(['update']);
    expect(errors(p)).toEqual([expect.objectContaining({
      message: expect.stringMatching(/^this plan would change it \(metaData\.attributes\.description\), but this entry is the API key this run authenticates with: kickstand never changes or deletes the key it is using/),
      where: expect.objectContaining({ file: path, line: 2, key: 'self' }),
    })]);
    expect(result!.summary.applied).toBe(0);
    noSecret(p, emu.apiKey);
  });

  it('is never deleted and re-created, recognised by the value the entry writes when the server does not show it', async () => {
    emu = await emulatorWithKeys([{ id: LIMITED_ID, key: LIMITED, keyManager: true, retrievable: false, name: 'Hidden' }]);
    const { plan: p } = await run(file(`apiKeys:\n  - key: self\n    id: ${LIMITED_ID}\n    name: Hidden\n    keyValue: ${LIMITED}\n    retrievable: true\n`), { key: LIMITED, allowReplace: true });
    expect(p.changes.map((c) => c.action)).toEqual(['replace']);
    expect(errors(p).map((d) => d.message)).toEqual([expect.stringMatching(/^this plan would delete and re-create it, but this entry is the API key this run authenticates with/)]);
    noSecret(p, LIMITED);
  });

  it('a change of it that takes away a permission the rest of the plan needs says which, and for whom', async () => {
    emu = await emulatorWithKeys([limitedKey({ '/api/tenant': ['GET', 'POST'], '/api/system/version': ['GET'], '/api/reactor': ['GET'] })]);
    const path = file(`tenants:\n  - key: acme\n    name: Acme\n${limitedEntry({ '/api/tenant': ['GET'], '/api/system/version': ['GET'], '/api/reactor': ['GET'] })}`);
    const { plan: p } = await run(path, { key: LIMITED });
    expect(errors(p).map((d) => d.message)).toEqual([
      expect.stringMatching(/it would also take away POST \/api\/tenant \(needed for tenant "acme"\), which the rest of this plan needs, so the apply would stop half-way with 401/),
    ]);
    noSecret(p, LIMITED);
  });

  it('a plan it has no permission to finish is refused at the entries that need more, naming the missing permission', async () => {
    const endpoints = { '/api/tenant': ['GET'], '/api/messenger': ['GET'], '/api/system/version': ['GET'], '/api/reactor': ['GET'] };
    emu = await emulatorWithKeys([limitedKey(endpoints)]);
    const path = file(`messengers:\n  - key: sms\n    name: SMS\n    type: Twilio\n    url: https://api.twilio.com\n    accountSID: AC1\n    authToken: t\n    fromPhoneNumber: '+15555550100'\n${limitedEntry(endpoints)}`);
    const { plan: p, result } = await run(path, { key: LIMITED, apply: true });
    expect(errors(p)).toEqual([expect.objectContaining({
      message: 'applying this plan sends POST /api/messenger (for messenger "sms"), but the API key this run authenticates with (entry "self") has no POST permission on /api/messenger: FusionAuth would refuse it with 401 half-way through the apply',
      where: expect.objectContaining({ key: 'sms', line: 2 }),
    })]);
    expect(result!.summary.applied).toBe(0);
  });

  it('its value under another entry\'s id is a create FusionAuth would refuse: pin the existing key\'s id', async () => {
    emu = await startEmulator();
    const { plan: p } = await run(file(`apiKeys:\n  - key: self\n    keyValue: ${emu.apiKey}\n`));
    expect(errors(p)).toEqual([expect.objectContaining({ message: expect.stringMatching(/pin the existing key's id with `id` to manage it$/), where: expect.objectContaining({ path: 'keyValue' }) })]);
    noSecret(p, emu.apiKey);
  });

  it('not a key manager: reading the declared keys fails saying which entry and that a key manager is needed', async () => {
    emu = await startEmulator();
    await call('POST', '/api/api-key', { apiKey: { key: 'plain-super-value' } });
    const path = file('apiKeys:\n  - key: ci\n    name: CI\n');
    const e = await run(path, { key: 'plain-super-value' }).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).message).toMatch(new RegExp(`^FusionAuth refused GET /api/api-key/[0-9a-f-]{36} \\(entry "ci" at ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2\\) with 401: the API key API answers only a key manager`));
    expect((e as ApiError).message).not.toContain('plain-super-value');
  });

  it('a key manager of lesser authority: the create FusionAuth refuses fails saying why, at its entry', async () => {
    const endpoints = { '/api/system/version': ['GET'], '/api/reactor': ['GET'] };
    emu = await emulatorWithKeys([limitedKey(endpoints)]);
    const { result } = await run(file('apiKeys:\n  - key: super\n    name: Super\n'), { key: LIMITED, apply: true });
    expect(result!.outcomes[0]!.error).toEqual([expect.objectContaining({
      message: expect.stringMatching(/^FusionAuth refused POST \/api\/api-key\/[0-9a-f-]{36} \(API key "Super", key super\) with 401: the API key API answers only a key manager .* only for keys with no more permissions than its own/),
      where: expect.objectContaining({ key: 'super', line: 2 }),
    })]);
  });
});

describe('the requests of a change', () => {
  it('are what apply sends: an API key is created with POST and updated with PUT at its id', () => {
    const api = kindByName('apiKey').api;
    const id = 'a9000000-0000-4000-8000-000000000009';
    const base = { kind: 'apiKey', title: 'API key', key: 'k', id, match: 'new' as const, level: 2, fields: [], secretPaths: [] };
    expect(api.requests!({ ...base, action: 'create', after: { name: 'n' } }).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /api/api-key/${id}`]);
    expect(api.requests!({ ...base, action: 'update', before: { id, name: 'n', keyManager: false }, after: { name: 'm' } }))
      .toEqual([{ method: 'PUT', path: `/api/api-key/${id}`, body: { apiKey: { name: 'm' } } }]);
    expect(api.requests!({ ...base, action: 'replace', before: { id }, after: {} }).map((r) => r.method)).toEqual(['DELETE', 'POST']);
  });
});
