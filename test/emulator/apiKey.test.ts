/**
 * The emulator's API keys over real HTTP: every request authenticates against the stored API key objects (the
 * bootstrap key among them), with FusionAuth's rules — endpoint permissions per method, the key manager flag for the
 * API key API, equal-or-lesser authority, the tenant lock, expiry — and the API key API's own rules (generated value,
 * retrievable, unique name and value, create-only fields, no retrieve-all, copy, the tenant cascade). Keys FusionAuth
 * only lets the admin UI or Kickstart make (other key managers) are seeded through a state file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '../../src/core/types.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { emulatorWithKeys, TENANT_B } from '../support/api-keys.js';

const LIMITED_MANAGER = { id: 'a1000000-0000-4000-8000-000000000001', key: 'limited-manager-value-0001', keyManager: true, retrievable: true, permissions: { endpoints: { '/api/tenant': ['GET', 'POST'], '/api/system/version': ['GET'] } } };
const TENANT_MANAGER = { id: 'a2000000-0000-4000-8000-000000000002', key: 'tenant-manager-value-0002', keyManager: true, retrievable: true, tenantId: TENANT_B };

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

interface Reply { status: number; body?: JsonObject }

async function call(method: string, path: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const r = await fetch(`${emu!.url}${path}`, {
    method,
    headers: { ...(key !== undefined ? { authorization: key } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return text ? { status: r.status, body: JSON.parse(text) as JsonObject } : { status: r.status };
}
const root = (): string => emu!.apiKey;
const apiKeyOf = (r: Reply): JsonObject => r.body!.apiKey as JsonObject;
const codes = (r: Reply): string[] => Object.values((r.body?.fieldErrors ?? {}) as Record<string, Array<{ code: string }>>).flat().map((e) => e.code);

const seeded = emulatorWithKeys;

describe('the bootstrap key', () => {
  it('is an API key of the store: a super key and key manager, retrievable by its id, no name (as Kickstart makes it)', async () => {
    emu = await startEmulator();
    const r = await call('GET', `/api/api-key/${emu.apiKeyId}`, root());
    expect(r.status).toBe(200);
    expect(apiKeyOf(r)).toMatchObject({ id: emu.apiKeyId, key: emu.apiKey, keyManager: true, retrievable: true });
    expect(apiKeyOf(r).permissions).toBeUndefined();
    expect(apiKeyOf(r).name).toBeUndefined();
  });

  it('takes the value given at start when a state file is loaded; the other keys stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kickstand-apikeys-'));
    const statePath = join(dir, 'state.json');
    emu = await startEmulator({ statePath, apiKey: 'first-value' });
    const made = await call('POST', '/api/api-key', root(), { apiKey: { name: 'kept', key: 'kept-value' } });
    expect(made.status).toBe(200);
    await emu.stop();
    emu = await startEmulator({ statePath, apiKey: 'second-value' });
    expect((await call('GET', '/api/tenant', 'first-value')).status).toBe(401);
    expect((await call('GET', '/api/tenant', 'second-value')).status).toBe(200);
    expect((await call('GET', '/api/tenant', 'kept-value')).status).toBe(200);
  });

  it('deleted, it no longer authenticates; the emulator\'s own reset still answers its value and brings it back', async () => {
    emu = await startEmulator();
    expect((await call('DELETE', `/api/api-key/${emu.apiKeyId}`, root())).status).toBe(200);
    expect((await call('GET', '/api/tenant', root())).status).toBe(401);
    expect((await call('POST', '/_emulator/reset', root())).status).toBe(200);
    expect((await call('GET', '/api/tenant', root())).status).toBe(200);
  });
});

describe('the API key API', () => {
  it('has no retrieve-all: GET /api/api-key answers 404 with an empty body', async () => {
    emu = await startEmulator();
    expect(await call('GET', '/api/api-key', root())).toEqual({ status: 404 });
  });

  it('generates a secure random value when none is sent, never makes a key manager, and retrievable defaults to true', async () => {
    emu = await startEmulator();
    const r = await call('POST', '/api/api-key', root(), { apiKey: { keyManager: true, metaData: { attributes: { description: 'd' } } } });
    expect(r.status).toBe(200);
    expect(apiKeyOf(r).key).toMatch(/^[A-Za-z0-9_-]{56}$/);
    expect(apiKeyOf(r)).toMatchObject({ keyManager: false, retrievable: true, metaData: { attributes: { description: 'd' } } });
    const second = await call('POST', '/api/api-key', root(), { apiKey: {} });
    expect(apiKeyOf(second).key).not.toBe(apiKeyOf(r).key);
    // The generated value authenticates.
    expect((await call('GET', '/api/tenant', apiKeyOf(r).key as string)).status).toBe(200);
  });

  it('retrievable false: a name is required, the value shows in the create reply only, and an update keeps it', async () => {
    emu = await startEmulator();
    expect(codes(await call('POST', '/api/api-key', root(), { apiKey: { retrievable: false } }))).toEqual(['[blank]apiKey.name']);
    const made = await call('POST', '/api/api-key', root(), { apiKey: { name: 'hidden', key: 'hidden-value', retrievable: false } });
    expect(apiKeyOf(made).key).toBe('hidden-value');
    const id = apiKeyOf(made).id as string;
    const got = await call('GET', `/api/api-key/${id}`, root());
    expect(apiKeyOf(got)).not.toHaveProperty('key');
    const put = await call('PUT', `/api/api-key/${id}`, root(), { apiKey: { ...apiKeyOf(got), name: 'renamed', retrievable: true } });
    expect(put.status).toBe(200);
    expect(apiKeyOf(put)).not.toHaveProperty('key');
    expect(apiKeyOf(put)).toMatchObject({ name: 'renamed', retrievable: false });
    expect((await call('GET', '/api/tenant', 'hidden-value')).status).toBe(200);
  });

  it('keeps the value, the tenant, keyManager and retrievable on update; an update without expirationInstant clears it', async () => {
    emu = await startEmulator();
    const made = await call('POST', '/api/api-key', root(), { apiKey: { key: 'v1', tenantId: emu.defaultTenantId, expirationInstant: 4_102_444_800_000 } });
    const id = apiKeyOf(made).id as string;
    const put = await call('PUT', `/api/api-key/${id}`, root(), { apiKey: { key: 'v2', tenantId: '00000000-0000-4000-8000-000000000000', keyManager: true, retrievable: false, name: 'n' } });
    expect(put.status).toBe(200);
    expect(apiKeyOf(put)).toMatchObject({ key: 'v1', tenantId: emu.defaultTenantId, keyManager: false, retrievable: true, name: 'n' });
    expect(apiKeyOf(put)).not.toHaveProperty('expirationInstant');
    // A key of no tenant stays one.
    const global = await call('POST', '/api/api-key', root(), { apiKey: { key: 'g1' } });
    const moved = await call('PUT', `/api/api-key/${apiKeyOf(global).id as string}`, root(), { apiKey: { tenantId: emu.defaultTenantId } });
    expect(apiKeyOf(moved)).not.toHaveProperty('tenantId');
  });

  it('endpoint methods come back deduplicated in Java HashSet order, on create, update and read (the documented responses: DELETE, POST, GET, PUT, PATCH)', async () => {
    emu = await startEmulator();
    const sent = { '/api/application': ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'GET'], '/api/user': ['PUT', 'GET', 'POST'] };
    const hashOrder = { '/api/application': ['DELETE', 'POST', 'GET', 'PUT', 'PATCH'], '/api/user': ['POST', 'GET', 'PUT'] };
    const endpointsOf = (r: Reply): Json | undefined => (apiKeyOf(r).permissions as JsonObject).endpoints;
    const made = await call('POST', '/api/api-key', root(), { apiKey: { key: 'methods', permissions: { endpoints: sent } } });
    expect(endpointsOf(made)).toEqual(hashOrder);
    const id = apiKeyOf(made).id as string;
    expect(endpointsOf(await call('GET', `/api/api-key/${id}`, root()))).toEqual(hashOrder);
    const put = await call('PUT', `/api/api-key/${id}`, root(), { apiKey: { permissions: { endpoints: { '/api/tenant': ['PATCH', 'GET', 'DELETE'] } } } });
    expect(endpointsOf(put)).toEqual({ '/api/tenant': ['DELETE', 'GET', 'PATCH'] });
  });

  it('names and values are unique; the duplicate-value error never echoes the value', async () => {
    emu = await startEmulator();
    await call('POST', '/api/api-key', root(), { apiKey: { name: 'one', key: 'secret-one' } });
    const r = await call('POST', '/api/api-key', root(), { apiKey: { name: 'one', key: 'secret-one' } });
    expect(codes(r).sort()).toEqual(['[duplicate]apiKey.key', '[duplicate]apiKey.name']);
    expect(JSON.stringify(r.body)).not.toContain('secret-one');
    // Nor may a key take the bootstrap key's value.
    expect(codes(await call('POST', '/api/api-key', root(), { apiKey: { key: root() } }))).toEqual(['[duplicate]apiKey.key']);
  });

  it('checks the tenant reference, gates IP access control lists by license, and drops /api/api-key from the permissions', async () => {
    emu = await startEmulator({ licensed: false });
    const bad = await call('POST', '/api/api-key', root(), { apiKey: { tenantId: TENANT_B, ipAccessControlListId: 'c0000000-0000-4000-8000-00000000000c' } });
    expect(codes(bad).sort()).toEqual(['[invalid]apiKey.ipAccessControlListId', '[invalid]apiKey.tenantId', '[notLicensed]apiKey.ipAccessControlListId']);
    const r = await call('POST', '/api/api-key', root(), { apiKey: { key: 'perm', permissions: { endpoints: { '/api/api-key': ['GET'], '/api/tenant': ['GET'] } } } });
    expect(apiKeyOf(r).permissions).toEqual({ endpoints: { '/api/tenant': ['GET'] } });
    // An endpoint permission never opens the API key API: only the key manager flag does.
    expect((await call('GET', `/api/api-key/${emu.apiKeyId}`, 'perm')).status).toBe(401);
  });

  it('copies a key (sourceKeyId): the same permissions and tenant, a new value; a key manager cannot be copied', async () => {
    emu = await startEmulator();
    const src = await call('POST', '/api/api-key', root(), { apiKey: { name: 'src', key: 'src-value', permissions: { endpoints: { '/api/tenant': ['GET'] } } } });
    const copy = await call('POST', '/api/api-key', root(), { sourceKeyId: apiKeyOf(src).id, apiKey: { name: 'copy' } });
    expect(copy.status).toBe(200);
    expect(apiKeyOf(copy)).toMatchObject({ name: 'copy', permissions: { endpoints: { '/api/tenant': ['GET'] } }, keyManager: false });
    expect(apiKeyOf(copy).key).not.toBe('src-value');
    expect(codes(await call('POST', '/api/api-key', root(), { sourceKeyId: emu.apiKeyId, apiKey: { name: 'x' } }))).toEqual(['[invalid]sourceKeyId']);
  });

  it('deleting a tenant deletes the keys locked to it', async () => {
    emu = await startEmulator();
    await call('POST', `/api/tenant/${TENANT_B}`, root(), { tenant: { name: 'B' } });
    const k = await call('POST', '/api/api-key', root(), { apiKey: { key: 'b-key', tenantId: TENANT_B } });
    expect((await call('DELETE', `/api/tenant/${TENANT_B}`, root())).status).toBe(200);
    expect((await call('GET', `/api/api-key/${apiKeyOf(k).id as string}`, root())).status).toBe(404);
    expect((await call('GET', '/api/system/version', 'b-key')).status).toBe(401);
  });
});

describe('every request is authorised by its key', () => {
  it('a missing or unknown key is 401 with an empty body; HTTP Basic works where FusionAuth allows it', async () => {
    emu = await startEmulator();
    expect(await call('GET', '/api/tenant', undefined)).toEqual({ status: 401 });
    expect(await call('GET', '/api/tenant', 'nope')).toEqual({ status: 401 });
    await call('POST', '/api/api-key', root(), { apiKey: { key: 'basic-key' } });
    const basic = `Basic ${Buffer.from('apikey:basic-key').toString('base64')}`;
    expect((await call('GET', '/api/system/version', basic)).status).toBe(200);
    expect((await call('GET', '/api/tenant', basic)).status).toBe(401);
  });

  it('endpoint permissions are per method; an endpoint is the path without its ids; none at all make a super key', async () => {
    emu = await startEmulator();
    await call('POST', '/api/api-key', root(), { apiKey: { key: 'limited', permissions: { endpoints: { '/api/tenant': ['GET'], '/api/application/role': ['POST'] } } } });
    expect((await call('GET', '/api/tenant', 'limited')).status).toBe(200);
    expect((await call('GET', `/api/tenant/${emu.defaultTenantId}`, 'limited')).status).toBe(200);
    expect((await call('POST', '/api/tenant', 'limited', { tenant: { name: 'x' } })).status).toBe(401);
    expect((await call('GET', '/api/messenger', 'limited')).status).toBe(401);
    expect((await call('GET', '/api/system/version', 'limited')).status).toBe(401);
    // /api/application/{id}/role is the endpoint /api/application/role.
    const app = await call('POST', '/api/application', root(), { application: { name: 'A' } });
    const appId = (app.body!.application as JsonObject).id as string;
    expect((await call('POST', `/api/application/${appId}/role`, 'limited', { role: { name: 'r' } })).status).toBe(200);
    expect((await call('GET', `/api/application/${appId}`, 'limited')).status).toBe(401);
  });

  it('an expired key is 401; before its expiration instant it works', async () => {
    const clock = { now: 1_800_000_000_000 };
    emu = await startEmulator({ now: () => clock.now });
    await call('POST', '/api/api-key', root(), { apiKey: { key: 'expiring', expirationInstant: clock.now + 1000 } });
    expect((await call('GET', '/api/tenant', 'expiring')).status).toBe(200);
    clock.now += 1000;
    expect((await call('GET', '/api/tenant', 'expiring')).status).toBe(401);
  });

  it('the API key API answers key managers only', async () => {
    emu = await startEmulator();
    await call('POST', '/api/api-key', root(), { apiKey: { key: 'plain-super' } });
    expect((await call('GET', `/api/api-key/${emu.apiKeyId}`, 'plain-super')).status).toBe(401);
    expect((await call('POST', '/api/api-key', 'plain-super', { apiKey: {} })).status).toBe(401);
  });
});

describe('a key manager acts only on keys of equal or lesser authority', () => {
  it('a limited key manager creates and reads keys within its own permissions, nothing more', async () => {
    emu = await seeded([LIMITED_MANAGER]);
    const k = LIMITED_MANAGER.key;
    const lesser = await call('POST', '/api/api-key', k, { apiKey: { key: 'lesser', permissions: { endpoints: { '/api/tenant': ['GET'] } } } });
    expect(lesser.status).toBe(200);
    expect((await call('GET', `/api/api-key/${apiKeyOf(lesser).id as string}`, k)).status).toBe(200);
    expect((await call('POST', '/api/api-key', k, { apiKey: { permissions: { endpoints: { '/api/messenger': ['GET'] } } } })).status).toBe(401);
    expect((await call('POST', '/api/api-key', k, { apiKey: { permissions: { endpoints: { '/api/tenant': ['DELETE'] } } } })).status).toBe(401);
    // A super key (no permissions) has more authority than any limited key.
    expect((await call('POST', '/api/api-key', k, { apiKey: {} })).status).toBe(401);
    expect((await call('GET', `/api/api-key/${emu.apiKeyId}`, k)).status).toBe(401);
    expect((await call('DELETE', `/api/api-key/${emu.apiKeyId}`, k)).status).toBe(401);
    // An update may not raise a key above the caller either.
    const id = apiKeyOf(lesser).id as string;
    expect((await call('PUT', `/api/api-key/${id}`, k, { apiKey: { permissions: { endpoints: { '/api/user': ['GET'] } } } })).status).toBe(401);
  });

  it('a key manager locked to a tenant makes keys of its tenant only, and sees no other key', async () => {
    emu = await seeded([TENANT_MANAGER]);
    const k = TENANT_MANAGER.key;
    const own = await call('POST', '/api/api-key', k, { apiKey: { key: 'tenant-b-key' } });
    expect(own.status).toBe(200);
    expect(apiKeyOf(own).tenantId).toBe(TENANT_B);
    expect((await call('POST', '/api/api-key', k, { apiKey: { tenantId: emu.defaultTenantId } })).status).toBe(401);
    expect((await call('GET', `/api/api-key/${emu.apiKeyId}`, k)).status).toBe(404);
    expect((await call('DELETE', `/api/api-key/${emu.apiKeyId}`, k)).status).toBe(404);
  });
});

describe('a key locked to a tenant', () => {
  it('refuses global-only endpoints, scopes tenant-scoped requests to its tenant, and refuses another tenant in the header', async () => {
    emu = await seeded([{ id: 'a3000000-0000-4000-8000-000000000003', key: 'tenant-b-plain', keyManager: false, retrievable: true, tenantId: TENANT_B }]);
    const k = 'tenant-b-plain';
    expect((await call('GET', '/api/messenger', k)).status).toBe(401);
    expect((await call('GET', '/api/tenant/search', k)).status).toBe(401);
    // A create of an application needs no header: the key's tenant is the request's (two tenants exist).
    const app = await call('POST', '/api/application', k, { application: { name: 'In B' } });
    expect(app.status).toBe(200);
    expect((app.body!.application as JsonObject).tenantId).toBe(TENANT_B);
    const listed = await call('GET', '/api/application', k);
    expect((listed.body!.applications as JsonObject[]).map((a) => a.tenantId)).toEqual([TENANT_B]);
    expect((await call('GET', '/api/application', k, undefined, { 'x-fusionauth-tenantid': emu.defaultTenantId })).status).toBe(401);
    expect((await call('GET', '/api/application', k, undefined, { 'x-fusionauth-tenantid': TENANT_B })).status).toBe(200);
  });
});
