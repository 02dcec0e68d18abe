/**
 * What a freshly started emulator holds, over HTTP: exactly the objects a fresh FusionAuth of the version it reports has
 * (database bootstrap run, no setup wizard, no Kickstart; /work/notes/builtins.md), each with the ids and rules of the
 * real one — the Default tenant's key pairing, the Tenant manager application (1.58+) and its update and delete rules,
 * the version-dependent roles and templates, and every fixed or random id the boot objects hand out naming an object.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { allCodes, FA_APP, start, type Client } from './helpers.js';

const SHADOW_256 = '092dbedc-30af-4149-9c61-b578f2c72f59';
const TM_SHADOW = '80ccfe1e-209e-1725-bb37-6c4214dea375';
const TM_ADMIN_ROLE = '631ecd9d-8d40-4c13-8277-80cedb823714';
const DEFAULT_THEME = '75a068fd-e94b-451a-9aeb-3ddb9a3b5987';
const SIMPLE_THEME = '3c717291-5d83-4014-bd51-97c76475dc86';
const CONNECTOR = 'e3306678-a53a-4964-9040-1c96f36dda72';

/** Every item of a list reply, by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- why: tests dig into reply JSON
async function byName(c: Client, path: string, plural: string): Promise<Map<string, any>> {
  // An empty list is left out of the reply (crud.ts `many`, fusionauth-issues #1275).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- why: as above
  return new Map((((await c.get(path)).body[plural] ?? []) as any[]).map((o) => [o.name, o]));
}

describe('a fresh 1.69 instance', () => {
  let c: Client;
  beforeAll(async () => {
    c = await start();
  });
  afterAll(() => c.e.stop());

  it('the Default tenant signs access tokens with the Default signing key and id tokens with the OIDC HS256 shadow key', async () => {
    const tenant = (await c.get(`/api/tenant/${c.e.defaultTenantId}`)).body.tenant;
    const keys = await byName(c, '/api/key', 'keys');
    expect(tenant.jwtConfiguration.accessTokenKeyId).toBe(keys.get('Default signing key').id);
    expect(tenant.jwtConfiguration.idTokenKeyId).toBe(SHADOW_256);
    // A new tenant copies both from the Default tenant (reference §4.3).
    const t = await c.post('/api/tenant', { tenant: { name: 'Copies' } });
    expect(t.body.tenant.jwtConfiguration).toMatchObject({ accessTokenKeyId: keys.get('Default signing key').id, idTokenKeyId: SHADOW_256 });
  });

  it('holds two applications: the FusionAuth application (38 roles) and the universal Tenant manager application', async () => {
    const apps = await byName(c, '/api/application', 'applications');
    expect([...apps.keys()].sort()).toEqual(['FusionAuth', 'Tenant manager']);
    const fa = apps.get('FusionAuth');
    expect(fa.id).toBe(FA_APP);
    expect(fa.roles).toHaveLength(38);
    expect(fa.roles.find((r: { name: string }) => r.name === 'webhook_event_log_viewer')).toMatchObject({ id: '631ecd9d-8d40-4c13-8277-80cedb823713', isSuperRole: false });
    const tm = apps.get('Tenant manager');
    expect(tm.id).toBe(c.e.tenantManagerApplicationId);
    expect(tm).not.toHaveProperty('tenantId');
    expect(tm).toMatchObject({
      active: true,
      universalConfiguration: { universal: true },
      oauthConfiguration: { clientId: tm.id, authorizedRedirectURLs: ['/tenant-manager'], logoutURL: '/tenant-manager/single-logout', consentMode: 'AlwaysPrompt' },
      jwtConfiguration: { enabled: true, idTokenKeyId: TM_SHADOW },
      formConfiguration: { adminRegistrationFormId: fa.formConfiguration.adminRegistrationFormId },
      roles: [{ id: TM_ADMIN_ROLE, name: 'admin', description: 'Admin', isSuperRole: true, isDefault: false }],
    });
    expect(typeof tm.oauthConfiguration.clientSecret).toBe('string');
    const keys = await byName(c, '/api/key', 'keys');
    expect(tm.jwtConfiguration.accessTokenKeyId).toBe(keys.get('Tenant manager signing key').id);
    expect(keys.get('Tenant manager OpenID Connect compliant HMAC using SHA-256').id).toBe(TM_SHADOW);
    // Universal: visible from every tenant.
    expect((await c.get(`/api/application/${tm.id}`, { tenantId: c.e.defaultTenantId })).status).toBe(200);
    // Its keys are in use ([DEC-KEY] validateDelete) or shadow keys.
    expect(allCodes(await c.del(`/api/key/${tm.jwtConfiguration.accessTokenKeyId}`))).toEqual(['keyId: [inUse]keyId']);
    expect(allCodes(await c.del(`/api/key/${TM_SHADOW}`))).toEqual(['keyId: [shadow]keyId']);
  });

  it('holds six keys, both themes and the system configuration; no email template, lambda, message template, messenger or webhook', async () => {
    expect([...(await byName(c, '/api/key', 'keys')).keys()].sort()).toEqual([
      'Default signing key', 'OpenID Connect compliant HMAC using SHA-256', 'OpenID Connect compliant HMAC using SHA-384',
      'OpenID Connect compliant HMAC using SHA-512', 'Tenant manager OpenID Connect compliant HMAC using SHA-256', 'Tenant manager signing key',
    ]);
    const themes = await byName(c, '/api/theme', 'themes');
    expect(themes.get('FusionAuth').id).toBe(DEFAULT_THEME);
    expect(themes.get('FusionAuth - Simple').id).toBe(SIMPLE_THEME);
    expect(themes.size).toBe(2);
    expect((await c.get('/api/system-configuration')).body.systemConfiguration.reportTimezone).toBe('America/Denver');
    // No envelope key for an empty list (crud.ts `many`, fusionauth-issues #1275).
    expect((await c.get('/api/email/template')).body).toEqual({});
    expect((await c.get('/api/lambda')).body).toEqual({});
    // Migration_1_68_0 removes "Default Two Factor Request"; a 1.68+ bootstrap has none (defaults/boot.ts).
    expect((await c.get('/api/message/template')).body).toEqual({});
    expect((await c.get('/api/messenger')).body).toEqual({});
    expect((await c.get('/api/webhook')).body).toEqual({});
  });

  it('the ids the boot objects hand out name objects: a new object may reference each', async () => {
    const tenant = (await c.get(`/api/tenant/${c.e.defaultTenantId}`)).body.tenant;
    const fa = (await c.get(`/api/application/${FA_APP}`)).body.application;
    const t = await c.post('/api/tenant', {
      tenant: {
        name: 'References', themeId: SIMPLE_THEME, formConfiguration: { adminUserFormId: tenant.formConfiguration.adminUserFormId },
        connectorPolicies: [{ connectorId: CONNECTOR, domains: ['*'] }], jwtConfiguration: { accessTokenKeyId: tenant.jwtConfiguration.accessTokenKeyId, idTokenKeyId: SHADOW_256 },
      },
    });
    expect(t.status, t.text).toBe(200);
    const a = await c.post('/api/application', { application: { name: 'References', formConfiguration: { adminRegistrationFormId: fa.formConfiguration.adminRegistrationFormId } } }, { tenantId: c.e.defaultTenantId });
    expect(a.status, a.text).toBe(200);
  });
});

describe('the Tenant manager application', () => {
  let c: Client;
  let id: string;
  beforeAll(async () => {
    c = await start({ licensed: true, tenantManagerApplicationId: '7e0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b' });
    id = c.e.tenantManagerApplicationId!;
  });
  afterAll(() => c.e.stop());

  it('takes a configured id, as Kickstart\'s tenantManagerApplicationId (1.60+) does', () => {
    expect(id).toBe('7e0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b');
  });

  it('an update applies only the settings _updateTenantManager copies, keeps the rest, and answers with the stored application', async () => {
    const before = (await c.get(`/api/application/${id}`)).body.application;
    const sent = {
      ...before,
      name: 'Managers',
      themeId: SIMPLE_THEME,
      jwtConfiguration: { ...before.jwtConfiguration, timeToLiveInSeconds: 300, refreshTokenUsagePolicy: 'Reusable' },
      oauthConfiguration: { ...before.oauthConfiguration, authorizedRedirectURLs: ['https://elsewhere.example/cb'], consentMode: 'NeverPrompt' },
      passwordlessConfiguration: { enabled: true },
      data: { mine: true },
      registrationConfiguration: { enabled: true },
    };
    const put = await c.put(`/api/application/${id}`, { application: sent });
    expect(put.status, put.text).toBe(200);
    const stored = (await c.get(`/api/application/${id}`)).body.application;
    expect(put.body.application).toEqual(stored);
    expect(stored).toMatchObject({ name: 'Managers', themeId: SIMPLE_THEME, jwtConfiguration: { timeToLiveInSeconds: 300, refreshTokenUsagePolicy: 'OneTimeUse' }, passwordlessConfiguration: { enabled: true } });
    expect(stored.oauthConfiguration).toEqual(before.oauthConfiguration);
    expect(stored.data).toEqual(before.data);
    expect(stored.registrationConfiguration).toEqual(before.registrationConfiguration);
    expect(stored.lastUpdateInstant).toBeGreaterThanOrEqual(before.lastUpdateInstant);
    // A copied setting the request lacks is removed (Java assigns null), not kept.
    const { themeId: _themeId, ...withoutTheme } = stored;
    const again = await c.put(`/api/application/${id}`, { application: withoutTheme });
    expect(again.status).toBe(200);
    expect((await c.get(`/api/application/${id}`)).body.application).not.toHaveProperty('themeId');
  });

  it('a PATCH goes through the same rule', async () => {
    const r = await c.patch(`/api/application/${id}`, { application: { name: 'Patched', oauthConfiguration: { logoutURL: 'https://elsewhere.example/logout' } } }, { contentType: 'application/merge-patch+json' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.application.name).toBe('Patched');
    expect(r.body.application.oauthConfiguration.logoutURL).toBe('/tenant-manager/single-logout');
  });

  it('its roles are not refused (validateRole* refuse only the FusionAuth application\'s)', async () => {
    const r = await c.post(`/api/application/${id}/role`, { role: { name: 'auditor' } });
    expect(r.status, r.text).toBe(200);
  });

  it('a hard delete is refused with [tenantManager]applicationId; a soft delete goes through, and the application can be reactivated', async () => {
    const hard = await c.del(`/api/application/${id}?hardDelete=true`);
    expect(allCodes(hard)).toEqual(['applicationId: [tenantManager]applicationId']);
    expect((await c.del(`/api/application/${id}`)).status).toBe(200);
    expect((await c.get(`/api/application/${id}`)).body.application).toMatchObject({ active: false, state: 'Inactive' });
    expect((await c.put(`/api/application/${id}?reactivate=true`)).status).toBe(200);
    expect((await c.get(`/api/application/${id}`)).body.application.active).toBe(true);
  });
});

describe('the version the emulator reports decides what it boots', () => {
  it.each([
    ['1.50.1', { tmApp: false, roles: 37, simpleTheme: false, templates: ['Default Two Factor Request'], keys: 4 }],
    ['1.52.0', { tmApp: false, roles: 37, simpleTheme: true, templates: ['Default Two Factor Request'], keys: 4 }],
    ['1.57.1', { tmApp: false, roles: 38, simpleTheme: true, templates: ['Default Two Factor Request'], keys: 4 }],
    ['1.60.2', { tmApp: true, roles: 38, simpleTheme: true, templates: ['Default Two Factor Request'], keys: 6 }],
    ['1.68.0', { tmApp: true, roles: 38, simpleTheme: true, templates: [], keys: 6 }],
  ])('%s', async (version, want) => {
    const c = await start({ version });
    try {
      const apps = await byName(c, '/api/application', 'applications');
      expect(apps.has('Tenant manager')).toBe(want.tmApp);
      expect(c.e.tenantManagerApplicationId !== undefined).toBe(want.tmApp);
      expect(apps.get('FusionAuth').roles).toHaveLength(want.roles);
      expect((await c.get(`/api/theme/${SIMPLE_THEME}`)).status).toBe(want.simpleTheme ? 200 : 404);
      expect([...(await byName(c, '/api/message/template', 'messageTemplates')).values()].map((t) => [t.name, t.defaultTemplate]))
        .toEqual(want.templates.map((n) => [n, 'Two Factor Code: ${code}']));
      expect((await c.get('/api/key')).body.keys).toHaveLength(want.keys);
    } finally {
      await c.e.stop();
    }
  });

  it('refuses a Tenant manager id before 1.58 and an id that is not a UUID', async () => {
    await expect(startEmulator({ version: '1.57.0', tenantManagerApplicationId: '7e0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b' }))
      .rejects.toThrow('tenantManagerApplicationId needs version 1.58.0 or later: FusionAuth 1.57.0 has no Tenant manager application');
    await expect(startEmulator({ tenantManagerApplicationId: 'manager' })).rejects.toThrow('tenantManagerApplicationId must be a UUID, got "manager"');
  });
});

describe('a state file', () => {
  it('keeps the Tenant manager application\'s id (it wins over the option, like the Default tenant\'s) and the ids of the three bootstrap forms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kickstand-boot-'));
    try {
      const statePath = join(dir, 'state.json');
      const a = await start({ statePath });
      const id = a.e.tenantManagerApplicationId!;
      const tenant = (await a.get(`/api/tenant/${a.e.defaultTenantId}`)).body.tenant;
      const fa = (await a.get(`/api/application/${FA_APP}`)).body.application;
      await a.e.stop();
      const file = JSON.parse(readFileSync(statePath, 'utf8')) as { tenantManagerApplicationId: string; knownIds: Record<string, string[]> };
      expect(file.tenantManagerApplicationId).toBe(id);
      expect(file.knownIds.forms).toHaveLength(3);
      expect(file.knownIds.forms).toEqual(expect.arrayContaining([tenant.formConfiguration.adminUserFormId, fa.formConfiguration.adminRegistrationFormId]));

      const b = await start({ statePath, tenantManagerApplicationId: '7e0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b' });
      try {
        expect(b.e.tenantManagerApplicationId).toBe(id);
        expect(allCodes(await b.del(`/api/application/${id}?hardDelete=true`))).toEqual(['applicationId: [tenantManager]applicationId']);
      } finally {
        await b.e.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
