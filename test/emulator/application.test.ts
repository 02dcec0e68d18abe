/** Applications (reference §5): server-owned fields, tenancy, validation, deletes, roles. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCodes, anEmailTemplate, codes, FA_APP, ID, smsTemplate, start, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await start({ defaultTenantId: ID.defaultTenant });
});
afterAll(() => c.e.stop());

const app = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ application: { name, ...extra } });

describe('single tenant', () => {
  it('creates without a tenant header while only one tenant exists; server-owned fields set', async () => {
    const r = await c.post(`/api/application/${ID.app1}`, app('First', { roles: [{ name: 'user', isDefault: true }, { name: 'admin', description: 'Admins', isSuperRole: true }] }));
    expect(r.status).toBe(200);
    const a = r.body.application;
    expect(a).toMatchObject({ id: ID.app1, tenantId: ID.defaultTenant, active: true, state: 'Active' });
    expect(a.oauthConfiguration.clientId).toBe(ID.app1);
    expect(a.oauthConfiguration.clientSecret).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(a.oauthConfiguration).toMatchObject({ clientAuthenticationPolicy: 'Required', requireClientAuthentication: true });
    expect(a.registrationConfiguration.type).toBe('basic');
    expect(a.loginConfiguration.requireAuthentication).toBe(true);
    expect(a.roles.map((x: { name: string }) => x.name)).toEqual(['admin', 'user']);
    for (const role of a.roles) {
      expect(role.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof role.insertInstant).toBe('number');
    }
    expect(a.roles[1]).toMatchObject({ name: 'user', isDefault: true, isSuperRole: false });
    expect(a.roles[0]).toMatchObject({ name: 'admin', description: 'Admins', isDefault: false, isSuperRole: true });
  });
  it('ignores a client-sent clientId: it always equals the id', async () => {
    const r = await c.post('/api/application', app('Client id', { oauthConfiguration: { clientId: 'mine' } }));
    expect(r.body.application.oauthConfiguration.clientId).toBe(r.body.application.id);
  });
  it('[duplicate]applicationId on reuse', async () => {
    expect(codes(await c.post(`/api/application/${ID.app1}`, app('Other')), 'applicationId')).toEqual(['[duplicate]applicationId']);
  });
});

describe('validation ([DEC-APP] commonValidation, reference §5.4)', () => {
  it('[blank]application.name and [startsWithUnderscore]application.name', async () => {
    expect(codes(await c.post('/api/application', app(' ')), 'application.name')).toEqual(['[blank]application.name']);
    expect(codes(await c.post('/api/application', app('_hidden')), 'application.name')).toEqual(['[startsWithUnderscore]application.name']);
  });
  it('[duplicate]application.name within a tenant', async () => {
    expect(codes(await c.post('/api/application', app('First')), 'application.name')).toEqual(['[duplicate]application.name']);
  });
  it('redirect URLs: relative or wildcard without AllowWildcards → [invalidURL] on the index; custom schemes and OOB accepted', async () => {
    const r = await c.post('/api/application', app('Redirects', { oauthConfiguration: { authorizedRedirectURLs: ['https://ok.example.com/cb', '/relative', 'https://*.example.com/cb', 'com.example.app:/cb', 'urn:ietf:wg:oauth:2.0:oob'] } }));
    expect(allCodes(r)).toEqual([
      'application.oauthConfiguration.authorizedRedirectURLs[1]: [invalidURL]application.oauthConfiguration.authorizedRedirectURLs',
      'application.oauthConfiguration.authorizedRedirectURLs[2]: [invalidURL]application.oauthConfiguration.authorizedRedirectURLs',
    ]);
    const ok = await c.post('/api/application', app('Wildcards', { oauthConfiguration: { authorizedURLValidationPolicy: 'AllowWildcards', authorizedRedirectURLs: ['https://*.example.com/cb'] } }));
    expect(ok.status).toBe(200);
  });
  it('origin URLs must not carry a path → [invalidOriginURL]', async () => {
    const r = await c.post('/api/application', app('Origins', { oauthConfiguration: { authorizedOriginURLs: ['https://ok.example.com', 'https://bad.example.com/path'] } }));
    expect(allCodes(r)).toEqual(['application.oauthConfiguration.authorizedOriginURLs[1]: [invalidOriginURL]application.oauthConfiguration.authorizedOriginURLs']);
  });
  it('unknown grants → [invalid]…enabledGrants (the short device_code name is not the wire value)', async () => {
    const r = await c.post('/api/application', app('Grants', { oauthConfiguration: { enabledGrants: ['authorization_code', 'device_code'] } }));
    expect(allCodes(r)).toEqual(['application.oauthConfiguration.enabledGrants: [invalid]application.oauthConfiguration.enabledGrants']);
  });
  it('the device grant needs deviceVerificationURL', async () => {
    const r = await c.post('/api/application', app('Device', { oauthConfiguration: { enabledGrants: ['urn:ietf:params:oauth:grant-type:device_code'] } }));
    expect(allCodes(r)).toEqual(['application.oauthConfiguration.deviceVerificationURL: [missing]application.oauthConfiguration.deviceVerificationURL']);
    const ok = await c.post('/api/application', app('Device ok', { oauthConfiguration: { enabledGrants: ['urn:ietf:params:oauth:grant-type:device_code'], deviceVerificationURL: 'https://example.com/device' } }));
    expect(ok.status).toBe(200);
  });
  it('phone and MFA template overrides must exist → [invalid]…', async () => {
    const r = await c.post('/api/application', app('Overrides', { phoneConfiguration: { verificationTemplateId: ID.missing }, multiFactorConfiguration: { sms: { templateId: ID.missing } } }));
    expect(allCodes(r).sort()).toEqual([
      'application.multiFactorConfiguration.sms.templateId: [invalid]application.multiFactorConfiguration.sms.templateId',
      'application.phoneConfiguration.verificationTemplateId: [invalid]application.phoneConfiguration.verificationTemplateId',
    ]);
    const tpl = (await c.post('/api/message/template', smsTemplate('App override'))).body.messageTemplate;
    expect((await c.post('/api/application', app('Overrides ok', { phoneConfiguration: { verificationTemplateId: tpl.id } }))).status).toBe(200);
  });
  it('unlicensed: themeId and advanced registration → [notLicensed]; advanced needs a form', async () => {
    const r = await c.post('/api/application', app('Paid', { themeId: '75a068fd-e94b-451a-9aeb-3ddb9a3b5987', registrationConfiguration: { enabled: true, type: 'advanced' } }));
    expect(allCodes(r).sort()).toEqual([
      'application.registrationConfiguration.formId: [missing]application.registrationConfiguration.formId',
      'application.registrationConfiguration.type: [notLicensed]application.registrationConfiguration.type',
      'application.themeId: [notLicensed]application.themeId',
    ]);
  });
  it('unlicensed: Gated registration verification → [notLicensed]application.unverified.behavior', async () => {
    const r = await c.post('/api/application', app('Gated reg', { verifyRegistration: true, verificationEmailTemplateId: await anEmailTemplate(c), unverified: { behavior: 'Gated' } }));
    expect(allCodes(r)).toEqual(['application.unverified.behavior: [notLicensed]application.unverified.behavior']);
  });
  it('verifyRegistration needs verificationEmailTemplateId; JWT TTLs must be > 0', async () => {
    const r = await c.post('/api/application', app('Misc', { verifyRegistration: true, jwtConfiguration: { enabled: true, timeToLiveInSeconds: 0 } }));
    expect(allCodes(r).sort()).toEqual([
      'application.jwtConfiguration.timeToLiveInSeconds: [tooSmall]application.jwtConfiguration.timeToLiveInSeconds',
      'application.verificationEmailTemplateId: [missing]application.verificationEmailTemplateId',
    ]);
  });
  it('role rules on create: [blank]role.name at application.roles[i], duplicate names', async () => {
    const r = await c.post('/api/application', app('Bad roles', { roles: [{ name: 'a' }, { name: '' }, { name: 'a' }] }));
    expect(allCodes(r).sort()).toEqual(['application.roles.name: [duplicate]application.roles.name', 'application.roles[1]: [blank]role.name']);
  });
});

describe('update', () => {
  it('PUT ignores roles, keeps clientId, keeps the secret when sent blank, replaces it when sent', async () => {
    const before = (await c.get(`/api/application/${ID.app1}`)).body.application;
    const put = await c.put(`/api/application/${ID.app1}`, app('First', { roles: [{ name: 'ignored' }], oauthConfiguration: { clientSecret: '' } }));
    expect(put.status).toBe(200);
    const a = put.body.application;
    expect(a.roles).toEqual(before.roles);
    expect(a.oauthConfiguration.clientId).toBe(ID.app1);
    expect(a.oauthConfiguration.clientSecret).toBe(before.oauthConfiguration.clientSecret);
    expect(a.insertInstant).toBe(before.insertInstant);
    const replaced = await c.put(`/api/application/${ID.app1}`, app('First', { oauthConfiguration: { clientSecret: 'my-own-secret' } }));
    expect(replaced.body.application.oauthConfiguration.clientSecret).toBe('my-own-secret');
  });
  it('PUT replaces: omitted blocks return to defaults', async () => {
    const id = (await c.post('/api/application', app('Replace me', { oauthConfiguration: { authorizedRedirectURLs: ['https://a.example.com/cb'], generateRefreshTokens: true } }))).body.application.id;
    const a = (await c.put(`/api/application/${id}`, app('Replace me'))).body.application;
    expect(a.oauthConfiguration.authorizedRedirectURLs).toEqual([]);
    expect(a.oauthConfiguration.generateRefreshTokens).toBe(false);
  });
  it('tenantId is immutable: copied from the stored application', async () => {
    const id = (await c.post('/api/application', app('Stays'))).body.application.id;
    const a = (await c.put(`/api/application/${id}`, app('Stays', { tenantId: ID.missing }))).body.application;
    expect(a.tenantId).toBe(ID.defaultTenant);
  });
  // OAuth2Configuration (FusionAuth/fusionauth-java-client): authorizedRedirectURLs is @JsonMerge(OptBoolean.FALSE).
  it('PATCH application/json replaces redirect URL lists (@JsonMerge(OptBoolean.FALSE), reference §1.7); merge-patch replaces', async () => {
    const id = (await c.post('/api/application', app('Append', { oauthConfiguration: { authorizedRedirectURLs: ['https://a.example.com/cb'] } }))).body.application.id;
    const p1 = await c.patch(`/api/application/${id}`, app('Append', { oauthConfiguration: { authorizedRedirectURLs: ['https://c.example.com/cb'] } }));
    expect(p1.body.application.oauthConfiguration.authorizedRedirectURLs).toEqual(['https://c.example.com/cb']);
    const p2 = await c.patch(`/api/application/${id}`, { application: { oauthConfiguration: { authorizedRedirectURLs: ['https://b.example.com/cb'] } } }, { contentType: 'application/merge-patch+json' });
    expect(p2.body.application.oauthConfiguration.authorizedRedirectURLs).toEqual(['https://b.example.com/cb']);
  });
  it('PATCH ignores roles too', async () => {
    const before = (await c.get(`/api/application/${ID.app1}`)).body.application.roles;
    const r = await c.patch(`/api/application/${ID.app1}`, { application: { roles: [{ name: 'sneaky' }] } });
    expect(r.body.application.roles).toEqual(before);
  });
  it('CleanSpeak ([DEC-APP] _create/_update): enabled is the integration\'s (off); the API key and URL survive the create and no update', async () => {
    const cs = { enabled: true, apiKey: 'cs-key-1', url: 'https://cleanspeak.example', applicationIds: [ID.app2] };
    const created = (await c.post('/api/application', app('Moderated', { cleanSpeakConfiguration: cs }))).body.application;
    expect(created.cleanSpeakConfiguration).toMatchObject({ enabled: false, apiKey: 'cs-key-1', url: 'https://cleanspeak.example', applicationIds: [ID.app2] });
    expect((await c.get(`/api/application/${created.id}`)).body.application.cleanSpeakConfiguration.apiKey).toBe('cs-key-1');
    for (const write of [
      () => c.put(`/api/application/${created.id}`, app('Moderated', { cleanSpeakConfiguration: cs })),
      () => c.patch(`/api/application/${created.id}`, { application: { cleanSpeakConfiguration: cs } }, { contentType: 'application/merge-patch+json' }),
      () => c.patch(`/api/application/${created.id}`, { application: { name: 'Moderated' } }, { contentType: 'application/merge-patch+json' }),
    ]) {
      const r = await write();
      expect(r.status, r.text).toBe(200);
      const stored = (await c.get(`/api/application/${created.id}`)).body.application.cleanSpeakConfiguration;
      expect(stored).toEqual({ enabled: false, applicationIds: [ID.app2], usernameModeration: { enabled: false } });
    }
    // The FusionAuth application's update goes through the same step.
    const fa = await c.patch(`/api/application/${FA_APP}`, { application: { cleanSpeakConfiguration: cs } }, { contentType: 'application/merge-patch+json' });
    expect(fa.body.application.cleanSpeakConfiguration).toEqual({ enabled: false, applicationIds: [ID.app2], usernameModeration: { enabled: false } });
  });
  it('policy sync: clientAuthenticationPolicy NotRequired sets requireClientAuthentication false', async () => {
    const a = (await c.post('/api/application', app('PKCE', { oauthConfiguration: { clientAuthenticationPolicy: 'NotRequired' } }))).body.application;
    expect(a.oauthConfiguration.requireClientAuthentication).toBe(false);
  });
});

describe('delete, inactive applications, reactivate', () => {
  it('soft delete: 200, active false and state Inactive; listed only with ?inactive=true; name stays taken', async () => {
    const id = (await c.post('/api/application', app('Soft'))).body.application.id;
    const d = await c.del(`/api/application/${id}`);
    expect(d.status).toBe(200);
    expect(d.text).toBe('');
    expect((await c.get(`/api/application/${id}`)).body.application).toMatchObject({ active: false, state: 'Inactive' });
    expect((await c.get('/api/application')).body.applications.some((x: { id: string }) => x.id === id)).toBe(false);
    const inactive = (await c.get('/api/application?inactive=true')).body.applications;
    expect(inactive.map((x: { id: string }) => x.id)).toEqual([id]);
    expect(codes(await c.post('/api/application', app('Soft')), 'application.name')).toEqual(['[inactive]application.name']);
  });
  it('PUT on an inactive application → [inactive]applicationId; PUT ?reactivate=true reactivates', async () => {
    const id = (await c.post('/api/application', app('Reactivate me'))).body.application.id;
    await c.del(`/api/application/${id}`);
    expect(codes(await c.put(`/api/application/${id}`, app('Reactivate me')), 'applicationId')).toEqual(['[inactive]applicationId']);
    const r = await c.put(`/api/application/${id}?reactivate=true`);
    expect(r.status).toBe(200);
    expect(r.body.application).toMatchObject({ active: true, state: 'Active' });
  });
  it('hardDelete=true removes it (also when inactive); the name is free again', async () => {
    const id = (await c.post('/api/application', app('Hard'))).body.application.id;
    await c.del(`/api/application/${id}`);
    expect((await c.del(`/api/application/${id}`)).status).toBe(404);
    expect((await c.del(`/api/application/${id}?hardDelete=true`)).status).toBe(200);
    expect((await c.get(`/api/application/${id}`)).status).toBe(404);
    expect((await c.post('/api/application', app('Hard'))).status).toBe(200);
  });
  it('the FusionAuth application cannot be deleted: [fusionAuth]applicationId', async () => {
    expect(codes(await c.del(`/api/application/${FA_APP}`), 'applicationId')).toEqual(['[fusionAuth]applicationId']);
    expect(codes(await c.del(`/api/application/${FA_APP}?hardDelete=true`), 'applicationId')).toEqual(['[fusionAuth]applicationId']);
  });
  it('a PUT of the FusionAuth application cannot change its OAuth settings', async () => {
    const before = (await c.get(`/api/application/${FA_APP}`)).body.application;
    const r = await c.put(`/api/application/${FA_APP}`, { application: { ...before, oauthConfiguration: { ...before.oauthConfiguration, authorizedRedirectURLs: ['https://evil.example.com'] }, data: { note: 'x' } } });
    expect(r.status).toBe(200);
    expect(r.body.application.oauthConfiguration.authorizedRedirectURLs).toEqual(before.oauthConfiguration.authorizedRedirectURLs);
    expect(r.body.application.data).toEqual({ note: 'x' });
  });
});

describe('roles endpoints (reference §5.1)', () => {
  it('POST /role creates a role with defaults; client id via /role/{roleId}', async () => {
    const r = await c.post(`/api/application/${ID.app1}/role`, { role: { name: 'editor' } });
    expect(r.status).toBe(200);
    expect(r.body.role).toMatchObject({ name: 'editor', isDefault: false, isSuperRole: false });
    const withId = await c.post(`/api/application/${ID.app1}/role/${ID.role1}`, { role: { name: 'viewer', description: 'Read only' } });
    expect(withId.body.role.id).toBe(ID.role1);
    const names = (await c.get(`/api/application/${ID.app1}`)).body.application.roles.map((x: { name: string }) => x.name);
    expect(names).toEqual(['admin', 'editor', 'user', 'viewer']);
  });
  it('[duplicate]role.name, [duplicate]roleId, [blank]role.name, [tooLong]role.description', async () => {
    expect(codes(await c.post(`/api/application/${ID.app1}/role`, { role: { name: 'editor' } }), 'role.name')).toEqual(['[duplicate]role.name']);
    expect(codes(await c.post(`/api/application/${ID.app1}/role/${ID.role1}`, { role: { name: 'other' } }), 'roleId')).toEqual(['[duplicate]roleId']);
    expect(codes(await c.post(`/api/application/${ID.app1}/role`, { role: { name: '' } }), 'role.name')).toEqual(['[blank]role.name']);
    expect(codes(await c.post(`/api/application/${ID.app1}/role`, { role: { name: 'long', description: 'x'.repeat(256) } }), 'role.description')).toEqual(['[tooLong]role.description']);
  });
  it('PUT and PATCH update a role; DELETE removes it', async () => {
    const put = await c.put(`/api/application/${ID.app1}/role/${ID.role1}`, { role: { name: 'viewer', description: 'Changed', isDefault: true } });
    expect(put.body.role).toMatchObject({ id: ID.role1, description: 'Changed', isDefault: true });
    const patch = await c.patch(`/api/application/${ID.app1}/role/${ID.role1}`, { role: { description: 'Patched' } });
    expect(patch.body.role).toMatchObject({ name: 'viewer', description: 'Patched', isDefault: true });
    expect((await c.del(`/api/application/${ID.app1}/role/${ID.role1}`)).status).toBe(200);
    expect((await c.del(`/api/application/${ID.app1}/role/${ID.role1}`)).status).toBe(404);
    expect((await c.put(`/api/application/${ID.app1}/role/${ID.role1}`, { role: { name: 'x' } })).status).toBe(404);
  });
  it('roles of the FusionAuth application cannot change: [fusionAuth]applicationId; missing app → [invalid]applicationId', async () => {
    expect(codes(await c.post(`/api/application/${FA_APP}/role`, { role: { name: 'x' } }), 'applicationId')).toEqual(['[fusionAuth]applicationId']);
    expect(codes(await c.post(`/api/application/${ID.missing}/role`, { role: { name: 'x' } }), 'applicationId')).toEqual(['[invalid]applicationId']);
  });
});

describe('several tenants (reference §1.2)', () => {
  let d: Client;
  beforeAll(async () => {
    d = await start({ defaultTenantId: ID.defaultTenant });
    await d.post(`/api/tenant/${ID.tenant2}`, { tenant: { name: 'Second' } });
  });
  afterAll(() => d.e.stop());

  it('create without the header → 400 [TenantIdRequired] general error', async () => {
    const r = await d.post('/api/application', app('Where?'));
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ generalErrors: [{ code: '[TenantIdRequired]', message: expect.any(String) }] });
  });
  it('create with the header puts the app in that tenant; the same name may exist in another tenant', async () => {
    const a = await d.post('/api/application', app('Shared name'), { tenantId: ID.tenant2 });
    expect(a.body.application.tenantId).toBe(ID.tenant2);
    const b = await d.post('/api/application', app('Shared name'), { tenantId: ID.defaultTenant });
    expect(b.status).toBe(200);
  });
  it('an unknown tenant in the header → [invalid]tenantId', async () => {
    expect(codes(await d.post('/api/application', app('Nowhere'), { tenantId: ID.missing }), 'tenantId')).toEqual(['[invalid]tenantId']);
  });
  it('GET /api/application without the header lists every tenant’s apps; with it, that tenant’s only', async () => {
    const all = (await d.get('/api/application')).body.applications.map((x: { tenantId: string }) => x.tenantId);
    // The universal Tenant manager application of a fresh 1.58+ instance belongs to no tenant.
    expect(new Set(all)).toEqual(new Set([ID.defaultTenant, ID.tenant2, undefined]));
    const scoped = (await d.get('/api/application', { tenantId: ID.tenant2 })).body.applications;
    expect(scoped.map((x: { name: string }) => x.name)).toEqual(['Shared name']);
  });
  it('by-id requests with another tenant in the header → 404', async () => {
    const id = (await d.post('/api/application', app('Scoped'), { tenantId: ID.tenant2 })).body.application.id;
    expect((await d.get(`/api/application/${id}`, { tenantId: ID.defaultTenant })).status).toBe(404);
    expect((await d.put(`/api/application/${id}`, app('Scoped'), { tenantId: ID.defaultTenant })).status).toBe(404);
    expect((await d.get(`/api/application/${id}`, { tenantId: ID.tenant2 })).status).toBe(200);
    expect((await d.get(`/api/application/${id}`)).status).toBe(200);
  });
  describe('universal applications (1.58+, [DEC-APP])', () => {
    const universal = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => app(name, { universalConfiguration: { universal: true }, ...extra });
    it('create needs no tenant header although several tenants exist; the app has no tenantId and is visible from every tenant', async () => {
      const r = await d.post('/api/application', universal('Everywhere'));
      expect(r.status).toBe(200);
      expect(r.body.application.universalConfiguration).toEqual({ universal: true });
      expect(r.body.application).not.toHaveProperty('tenantId');
      const id = r.body.application.id;
      expect((await d.get(`/api/application/${id}`, { tenantId: ID.tenant2 })).status).toBe(200);
      expect((await d.get(`/api/application/${id}`, { tenantId: ID.defaultTenant })).status).toBe(200);
    });
    it('a universal application carrying a tenantId → 400 [notMissing]application.tenantId (field and general error)', async () => {
      const r = await d.post('/api/application', universal('Tenanted universal', { tenantId: ID.tenant2 }));
      expect(r.status).toBe(400);
      expect(allCodes(r)).toEqual(['application.tenantId: [notMissing]application.tenantId', '[notMissing]application.tenantId']);
    });
    it('names: a universal app collides with any tenant’s app, and a tenant app with a universal one → [duplicate]application.name', async () => {
      await d.post('/api/application', app('Taken in second'), { tenantId: ID.tenant2 });
      expect(codes(await d.post('/api/application', universal('Taken in second')), 'application.name')).toEqual(['[duplicate]application.name']);
      await d.post('/api/application', universal('Taken universally'));
      expect(codes(await d.post('/api/application', app('Taken universally'), { tenantId: ID.defaultTenant }), 'application.name')).toEqual(['[duplicate]application.name']);
    });
    it('PUT keeps a universal application tenantless and universal (reference §5.3: universal is immutable)', async () => {
      const id = (await d.post('/api/application', universal('Put universal'))).body.application.id;
      const r = await d.put(`/api/application/${id}`, app('Put universal renamed', { universalConfiguration: { universal: false } }));
      expect(r.status).toBe(200);
      expect(r.body.application).not.toHaveProperty('tenantId');
      expect(r.body.application.universalConfiguration).toEqual({ universal: true });
    });
  });
});
