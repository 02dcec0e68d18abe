/** Tenants (reference §4): defaults, validation, licensing, PUT/PATCH, tenant header rules, deletes, search, copy. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCodes, anEmailTemplate, codes, ID, smsTemplate, start, twilio, type Client } from './helpers.js';

let c: Client;
let messengerId: string;
let templateId: string;
beforeAll(async () => {
  c = await start({ defaultTenantId: ID.defaultTenant });
  messengerId = (await c.post(`/api/messenger/${ID.m1}`, twilio())).body.messenger.id;
  templateId = (await c.post(`/api/message/template/${ID.t1}`, smsTemplate())).body.messageTemplate.id;
});
afterAll(() => c.e.stop());

const phone = (p: Record<string, unknown>, name = `Phone ${JSON.stringify(p)}`): Record<string, unknown> => ({ tenant: { name, phoneConfiguration: p } });

describe('create', () => {
  it('a minimal create returns the full object: server fields, defaults, and values copied from the Default tenant (§4.3)', async () => {
    const def = (await c.get(`/api/tenant/${ID.defaultTenant}`)).body.tenant;
    const r = await c.post('/api/tenant', { tenant: { name: 'Minimal' } });
    expect(r.status).toBe(200);
    const t = r.body.tenant;
    expect(t).toMatchObject({ name: 'Minimal', configured: true, state: 'Active', issuer: def.issuer, themeId: def.themeId });
    expect(t.jwtConfiguration.accessTokenKeyId).toBe(def.jwtConfiguration.accessTokenKeyId);
    expect(t.formConfiguration.adminUserFormId).toBe(def.formConfiguration.adminUserFormId);
    expect(t.phoneConfiguration).toMatchObject({ verifyPhoneNumber: false, verificationStrategy: 'ClickableLink', unverified: { behavior: 'Allow' } });
    expect(t.externalIdentifierConfiguration.phoneVerificationIdTimeToLiveInSeconds).toBe(86400);
    expect(t.insertInstant).toBe(t.lastUpdateInstant);
    expect(JSON.stringify(t)).not.toContain(':null');
    expect((await c.get(`/api/tenant/${t.id}`)).body.tenant).toEqual(t);
  });
  it('client-chosen id; reuse → [duplicate]tenantId', async () => {
    expect((await c.post(`/api/tenant/${ID.tenant1}`, { tenant: { name: 'Chosen' } })).body.tenant.id).toBe(ID.tenant1);
    expect(codes(await c.post(`/api/tenant/${ID.tenant1}`, { tenant: { name: 'Chosen again' } }), 'tenantId')).toEqual(['[duplicate]tenantId']);
  });
  it('[blank]tenant.name and [duplicate]tenant.name (names unique across tenants)', async () => {
    expect(codes(await c.post('/api/tenant', { tenant: { name: '' } }), 'tenant.name')).toEqual(['[blank]tenant.name']);
    expect(codes(await c.post('/api/tenant', { tenant: { name: 'Default' } }), 'tenant.name')).toEqual(['[duplicate]tenant.name']);
  });
  it('GET /api/tenant lists every tenant', async () => {
    const names = (await c.get('/api/tenant')).body.tenants.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(['Default', 'Minimal', 'Chosen']));
  });
});

describe('phone configuration rules ([DEC-TENANT], reference §4.4)', () => {
  it('verification on without a messenger → [missing]…messengerId', async () => {
    const r = await c.post('/api/tenant', phone({ verifyPhoneNumber: true, verificationTemplateId: ID.t1 }));
    expect(allCodes(r)).toEqual(['tenant.phoneConfiguration.messengerId: [missing]tenant.phoneConfiguration.messengerId']);
  });
  it('any phone template without a messenger → [missing]…messengerId', async () => {
    expect(codes(await c.post('/api/tenant', phone({ passwordlessTemplateId: ID.t1 })), 'tenant.phoneConfiguration.messengerId')).toEqual(['[missing]tenant.phoneConfiguration.messengerId']);
  });
  it('verification on without a verification template → [missing]…verificationTemplateId', async () => {
    expect(allCodes(await c.post('/api/tenant', phone({ verifyPhoneNumber: true, messengerId: ID.m1 })))).toEqual([
      'tenant.phoneConfiguration.verificationTemplateId: [missing]tenant.phoneConfiguration.verificationTemplateId',
    ]);
  });
  it('FormField with Allow → [invalid]…unverified.behavior', async () => {
    const r = await c.post('/api/tenant', phone({ verifyPhoneNumber: true, messengerId: ID.m1, verificationTemplateId: ID.t1, verificationStrategy: 'FormField' }));
    expect(allCodes(r)).toEqual(['tenant.phoneConfiguration.unverified.behavior: [invalid]tenant.phoneConfiguration.unverified.behavior']);
  });
  it('ids of missing messengers and templates → [invalid]…', async () => {
    const r = await c.post('/api/tenant', phone({ messengerId: ID.missing, verificationCompleteTemplateId: ID.missing }));
    expect(codes(r, 'tenant.phoneConfiguration.messengerId')).toEqual(['[invalid]tenant.phoneConfiguration.messengerId']);
    expect(codes(r, 'tenant.phoneConfiguration.verificationCompleteTemplateId')).toEqual(['[invalid]tenant.phoneConfiguration.verificationCompleteTemplateId']);
  });
  it('a complete ClickableLink configuration is accepted', async () => {
    const r = await c.post('/api/tenant', phone({ verifyPhoneNumber: true, messengerId, verificationTemplateId: templateId }, 'Phone ok'));
    expect(r.status).toBe(200);
    expect(r.body.tenant.phoneConfiguration).toMatchObject({ messengerId, verificationTemplateId: templateId, verifyPhoneNumber: true });
  });
});

describe('licensing (reference §4.5)', () => {
  const gated = (name: string): Record<string, unknown> =>
    phone({ verifyPhoneNumber: true, messengerId: ID.m1, verificationTemplateId: ID.t1, verificationStrategy: 'FormField', unverified: { behavior: 'Gated' } }, name);
  it('unlicensed: Gated with verification on → [notLicensed]tenant.phoneConfiguration.unverified.behavior', async () => {
    expect(allCodes(await c.post('/api/tenant', gated('Gated unlicensed')))).toEqual([
      'tenant.phoneConfiguration.unverified.behavior: [notLicensed]tenant.phoneConfiguration.unverified.behavior',
    ]);
  });
  it('unlicensed: Gated with verification off is accepted silently', async () => {
    expect((await c.post('/api/tenant', phone({ unverified: { behavior: 'Gated' } }, 'Gated but off'))).status).toBe(200);
  });
  it('licensed: Gated + FormField with verification on is accepted', async () => {
    c.e.setLicensed(true);
    try {
      const r = await c.post('/api/tenant', gated('Gated licensed'));
      expect(r.status).toBe(200);
      expect(r.body.tenant.phoneConfiguration.unverified.behavior).toBe('Gated');
    } finally {
      c.e.setLicensed(false);
    }
  });
  it('unlicensed: Gated email verification, SMS MFA, breach detection, unique usernames → [notLicensed]', async () => {
    const r = await c.post('/api/tenant', {
      tenant: {
        name: 'Paid features',
        emailConfiguration: { verifyEmail: true, verificationEmailTemplateId: await anEmailTemplate(c), unverified: { behavior: 'Gated' } },
        multiFactorConfiguration: { sms: { enabled: true, messengerId: ID.m1, templateId: ID.t1 } },
        passwordValidationRules: { breachDetection: { enabled: true } },
        usernameConfiguration: { unique: { enabled: true } },
      },
    });
    expect(allCodes(r).sort()).toEqual([
      'tenant.emailConfiguration.unverified.behavior: [notLicensed]tenant.emailConfiguration.unverified.behavior',
      'tenant.multiFactorConfiguration.sms.enabled: [notLicensed]tenant.multiFactorConfiguration.sms.enabled',
      'tenant.passwordValidationRules.breachDetection.enabled: [notLicensed]tenant.passwordValidationRules.breachDetection.enabled',
      'tenant.usernameConfiguration.unique.enabled: [notLicensed]tenant.usernameConfiguration.unique.enabled',
    ]);
  });
  it('a login policy other than Disabled with no MFA method enabled → [invalid]…loginPolicy (§4.4); Disabled is accepted', async () => {
    const f = 'tenant.multiFactorConfiguration.loginPolicy';
    const off = { authenticator: { enabled: false } };
    expect(allCodes(await c.post('/api/tenant', { tenant: { name: 'MFA none', multiFactorConfiguration: off } }))).toEqual([`${f}: [invalid]${f}`]);
    expect(allCodes(await c.post('/api/tenant', { tenant: { name: 'MFA none required', multiFactorConfiguration: { ...off, loginPolicy: 'Required' } } }))).toEqual([`${f}: [invalid]${f}`]);
    const ok = await c.post('/api/tenant', { tenant: { name: 'MFA none disabled', multiFactorConfiguration: { ...off, loginPolicy: 'Disabled' } } });
    expect(ok.status).toBe(200);
    expect(ok.body.tenant.multiFactorConfiguration).toMatchObject({ loginPolicy: 'Disabled', authenticator: { enabled: false } });
  });
  it('unlicensed: a risk-based login policy → [notLicensedFor]', async () => {
    expect(codes(await c.post('/api/tenant', { tenant: { name: 'Risk', multiFactorConfiguration: { loginPolicy: 'ChallengeOnHighRisk' } } }), 'tenant.multiFactorConfiguration.loginPolicy')).toEqual([
      '[notLicensedFor]tenant.multiFactorConfiguration.loginPolicy',
    ]);
  });
});

describe('other validation (reference §4.4)', () => {
  it('every TTL must be > 0 → [invalid]…', async () => {
    const r = await c.post('/api/tenant', { tenant: { name: 'TTL zero', externalIdentifierConfiguration: { phoneVerificationIdTimeToLiveInSeconds: 0, twoFactorIdTimeToLiveInSeconds: -5 } } });
    expect(allCodes(r).sort()).toEqual([
      'tenant.externalIdentifierConfiguration.phoneVerificationIdTimeToLiveInSeconds: [invalid]tenant.externalIdentifierConfiguration.phoneVerificationIdTimeToLiveInSeconds',
      'tenant.externalIdentifierConfiguration.twoFactorIdTimeToLiveInSeconds: [invalid]tenant.externalIdentifierConfiguration.twoFactorIdTimeToLiveInSeconds',
    ]);
  });
  it('authorizationGrantIdTimeToLiveInSeconds ≤ 600', async () => {
    const f = 'tenant.externalIdentifierConfiguration.authorizationGrantIdTimeToLiveInSeconds';
    expect(codes(await c.post('/api/tenant', { tenant: { name: 'Grant 601', externalIdentifierConfiguration: { authorizationGrantIdTimeToLiveInSeconds: 601 } } }), f)).toEqual([`[invalid]${f}`]);
    expect((await c.post('/api/tenant', { tenant: { name: 'Grant 600', externalIdentifierConfiguration: { authorizationGrantIdTimeToLiveInSeconds: 600 } } })).status).toBe(200);
  });
  it('a generator type must be a SecureGeneratorType', async () => {
    const f = 'tenant.externalIdentifierConfiguration.phoneVerificationOneTimeCodeGenerator.type';
    expect(codes(await c.post('/api/tenant', { tenant: { name: 'Gen', externalIdentifierConfiguration: { phoneVerificationOneTimeCodeGenerator: { length: 6, type: 'emoji' } } } }), f)).toEqual([`[invalid]${f}`]);
  });
  it('a generator keeps the default for a field the body leaves out', async () => {
    const r = await c.post('/api/tenant', { tenant: { name: 'Gen partial', externalIdentifierConfiguration: { phoneVerificationOneTimeCodeGenerator: { type: 'randomDigits' } } } });
    expect(r.body.tenant.externalIdentifierConfiguration.phoneVerificationOneTimeCodeGenerator).toEqual({ length: 6, type: 'randomDigits' });
  });
  it('MFA via SMS needs a messenger and template; their ids must exist', async () => {
    c.e.setLicensed(true);
    try {
      const r = await c.post('/api/tenant', { tenant: { name: 'MFA', multiFactorConfiguration: { sms: { enabled: true } } } });
      expect(allCodes(r).sort()).toEqual([
        'tenant.multiFactorConfiguration.sms.messengerId: [missing]tenant.multiFactorConfiguration.sms.messengerId',
        'tenant.multiFactorConfiguration.sms.templateId: [missing]tenant.multiFactorConfiguration.sms.templateId',
      ]);
      const bad = await c.post('/api/tenant', { tenant: { name: 'MFA bad', multiFactorConfiguration: { sms: { enabled: true, messengerId: ID.missing, templateId: ID.t1 } } } });
      expect(allCodes(bad)).toEqual(['tenant.multiFactorConfiguration.sms.messengerId: [invalid]tenant.multiFactorConfiguration.sms.messengerId']);
    } finally {
      c.e.setLicensed(false);
    }
  });
  it('themeId and admin user form must exist; baseURL must be an absolute http(s) URL', async () => {
    const r = await c.post('/api/tenant', { tenant: { name: 'Refs', themeId: ID.missing, formConfiguration: { adminUserFormId: ID.missing }, baseURL: 'auth.example.com' } });
    expect(allCodes(r).sort()).toEqual([
      'tenant.baseURL: [invalid]tenant.baseURL',
      'tenant.formConfiguration.adminUserFormId: [invalid]tenant.formConfiguration.adminUserFormId',
      'tenant.themeId: [invalid]tenant.themeId',
    ]);
  });
  it('SMTP port out of range → [invalid]; email verification without template → [missing]', async () => {
    const r = await c.post('/api/tenant', { tenant: { name: 'SMTP', emailConfiguration: { port: 70000, verifyEmail: true } } });
    expect(allCodes(r).sort()).toEqual([
      'tenant.emailConfiguration.port: [invalid]tenant.emailConfiguration.port',
      'tenant.emailConfiguration.verificationEmailTemplateId: [missing]tenant.emailConfiguration.verificationEmailTemplateId',
    ]);
  });
  it('webhookIds must name existing webhooks: [invalid]webhookIds on webhookIds[i]', async () => {
    const r = await c.post('/api/tenant', { tenant: { name: 'Hooks' }, webhookIds: [ID.missing] });
    expect(allCodes(r)).toEqual(['webhookIds[0]: [invalid]webhookIds']);
  });
});

describe('update', () => {
  it('PUT replaces the whole object: omitted blocks return to defaults; server fields kept', async () => {
    const created = (await c.post('/api/tenant', phone({ verifyPhoneNumber: true, messengerId, verificationTemplateId: templateId }, 'Put target'))).body.tenant;
    const r = await c.put(`/api/tenant/${created.id}`, { tenant: { name: 'Put target', issuer: 'https://put.example.com' } });
    expect(r.status).toBe(200);
    const t = r.body.tenant;
    expect(t.phoneConfiguration).toEqual({ implicitPhoneVerificationAllowed: true, unverified: { allowPhoneNumberChangeWhenGated: false, behavior: 'Allow' }, verificationStrategy: 'ClickableLink', verifyPhoneNumber: false });
    expect(t).toMatchObject({ id: created.id, insertInstant: created.insertInstant, configured: true, state: 'Active', issuer: 'https://put.example.com' });
  });
  it('PUT of a missing tenant → 404; PUT validates like create', async () => {
    expect((await c.put(`/api/tenant/${ID.missing}`, { tenant: { name: 'x' } })).status).toBe(404);
    const t = (await c.post('/api/tenant', { tenant: { name: 'Put invalid' } })).body.tenant;
    expect(codes(await c.put(`/api/tenant/${t.id}`, { tenant: { name: 'Default' } }), 'tenant.name')).toEqual(['[duplicate]tenant.name']);
  });
  it('PATCH application/json merges into the stored object and keeps the rest', async () => {
    const t = (await c.post('/api/tenant', phone({ verifyPhoneNumber: true, messengerId, verificationTemplateId: templateId }, 'Patch json'))).body.tenant;
    const r = await c.patch(`/api/tenant/${t.id}`, { tenant: { externalIdentifierConfiguration: { phoneVerificationIdTimeToLiveInSeconds: 600 } } });
    expect(r.body.tenant.externalIdentifierConfiguration.phoneVerificationIdTimeToLiveInSeconds).toBe(600);
    expect(r.body.tenant.phoneConfiguration.verifyPhoneNumber).toBe(true);
  });
  it('PATCH merge-patch: null deletes (the default comes back), arrays replaced', async () => {
    const t = (await c.post('/api/tenant', { tenant: { name: 'Patch merge', issuer: 'custom', connectorPolicies: [] } })).body.tenant;
    const r = await c.patch(`/api/tenant/${t.id}`, { tenant: { issuer: null } }, { contentType: 'application/merge-patch+json' });
    expect(r.body.tenant.issuer).toBe('acme.com');
  });
  it('PATCH json-patch applies RFC 6902 operations to the request document', async () => {
    const t = (await c.post('/api/tenant', { tenant: { name: 'Patch ops', data: { a: 1 } } })).body.tenant;
    const ops = [
      { op: 'test', path: '/tenant/name', value: 'Patch ops' },
      { op: 'replace', path: '/tenant/name', value: 'Patch ops 2' },
      { op: 'add', path: '/tenant/data/b~1c', value: 2 },
      { op: 'remove', path: '/tenant/data/a' },
    ];
    const r = await c.patch(`/api/tenant/${t.id}`, ops, { contentType: 'application/json-patch+json' });
    expect(r.status).toBe(200);
    expect(r.body.tenant.name).toBe('Patch ops 2');
    expect(r.body.tenant.data).toEqual({ 'b/c': 2 });
  });
  it('a failing json-patch test changes nothing → 400', async () => {
    const t = (await c.post('/api/tenant', { tenant: { name: 'Patch test fails' } })).body.tenant;
    const r = await c.patch(`/api/tenant/${t.id}`, [{ op: 'replace', path: '/tenant/name', value: 'X' }, { op: 'test', path: '/tenant/name', value: 'nope' }], { contentType: 'application/json-patch+json' });
    expect(r.status).toBe(400);
    expect((await c.get(`/api/tenant/${t.id}`)).body.tenant.name).toBe('Patch test fails');
  });
  it('the patched result is validated as a whole', async () => {
    const t = (await c.post('/api/tenant', { tenant: { name: 'Patch validated' } })).body.tenant;
    const r = await c.patch(`/api/tenant/${t.id}`, { tenant: { phoneConfiguration: { verifyPhoneNumber: true } } }, { contentType: 'application/merge-patch+json' });
    expect(allCodes(r).sort()).toEqual([
      'tenant.phoneConfiguration.messengerId: [missing]tenant.phoneConfiguration.messengerId',
      'tenant.phoneConfiguration.verificationTemplateId: [missing]tenant.phoneConfiguration.verificationTemplateId',
    ]);
  });
  it('an unknown PATCH media type → 400', async () => {
    const r = await c.patch(`/api/tenant/${ID.defaultTenant}`, { tenant: {} }, { contentType: 'text/plain' });
    expect(r.status).toBe(400);
  });
});

describe('tenant header (reference §1.2) and restricted reads ([DEC-TENANT] validateGet)', () => {
  it('GET /api/tenant with a tenant header → [restricted]', async () => {
    const r = await c.get('/api/tenant', { tenantId: ID.defaultTenant });
    expect(r.status).toBe(400);
    expect(r.body.generalErrors[0].code).toBe('[restricted]');
  });
  it('GET /api/tenant/{id} with another tenant in the header → 404; with its own → 200', async () => {
    expect((await c.get(`/api/tenant/${ID.tenant1}`, { tenantId: ID.defaultTenant })).status).toBe(404);
    expect((await c.get(`/api/tenant/${ID.tenant1}`, { tenantId: ID.tenant1 })).status).toBe(200);
  });
  it('an unknown tenant id in the header → [invalid]tenantId', async () => {
    expect(codes(await c.get(`/api/tenant/${ID.tenant1}`, { tenantId: ID.missing }), 'tenantId')).toEqual(['[invalid]tenantId']);
  });
});

describe('delete (reference §4.1)', () => {
  it('the Default tenant cannot be deleted: [fusionAuth]tenantId', async () => {
    const r = await c.del(`/api/tenant/${ID.defaultTenant}`);
    expect(r.status).toBe(400);
    expect(codes(r, 'tenantId')).toEqual(['[fusionAuth]tenantId']);
  });
  it('a tenant-scoped request cannot delete its own tenant: [restricted]tenantId', async () => {
    const t = (await c.post('/api/tenant', { tenant: { name: 'Self delete' } })).body.tenant;
    expect(codes(await c.del(`/api/tenant/${t.id}`, { tenantId: t.id }), 'tenantId')).toEqual(['[restricted]tenantId']);
  });
  it('sync delete: 200, empty body, its applications are gone too', async () => {
    const t = (await c.post('/api/tenant', { tenant: { name: 'Sync delete' } })).body.tenant;
    const app = (await c.post('/api/application', { application: { name: 'Goes with it' } }, { tenantId: t.id })).body.application;
    const r = await c.del(`/api/tenant/${t.id}`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect((await c.get(`/api/tenant/${t.id}`)).status).toBe(404);
    expect((await c.get(`/api/application/${app.id}`)).status).toBe(404);
    expect((await c.del(`/api/tenant/${t.id}`)).status).toBe(404);
  });
});

describe('async delete with an injected clock', () => {
  it('?async=true → 202, state PendingDelete until asyncDeleteMs passed, then gone with its applications', async () => {
    let now = 1_700_000_000_000;
    const d = await start({ now: () => now, asyncDeleteMs: 1000 });
    try {
      const t = (await d.post('/api/tenant', { tenant: { name: 'Async' } })).body.tenant;
      expect(t.insertInstant).toBe(1_700_000_000_000);
      const app = (await d.post('/api/application', { application: { name: 'A' } }, { tenantId: t.id })).body.application;
      const r = await d.del(`/api/tenant/${t.id}?async=true`);
      expect(r.status).toBe(202);
      expect(r.text).toBe('');
      expect((await d.get(`/api/tenant/${t.id}`)).body.tenant.state).toBe('PendingDelete');
      now += 999;
      expect((await d.get(`/api/tenant/${t.id}`)).status).toBe(200);
      now += 1;
      expect((await d.get(`/api/tenant/${t.id}`)).status).toBe(404);
      expect((await d.get(`/api/application/${app.id}`)).status).toBe(404);
    } finally {
      await d.e.stop();
    }
  });
  it('a JSON body {"async": true} also deletes asynchronously', async () => {
    const now = 1_700_000_000_000;
    const d = await start({ now: () => now, asyncDeleteMs: 1000 });
    try {
      const t = (await d.post('/api/tenant', { tenant: { name: 'Async body' } })).body.tenant;
      expect((await d.del(`/api/tenant/${t.id}`, { body: { async: true } })).status).toBe(202);
      expect((await d.get(`/api/tenant/${t.id}`)).body.tenant.state).toBe('PendingDelete');
    } finally {
      await d.e.stop();
    }
  });
});

describe('search and copy', () => {
  it('GET /api/tenant/search matches names with implicit wildcards, omits the SMTP password, reports total', async () => {
    await c.post('/api/tenant', { tenant: { name: 'Searchable Alpha', emailConfiguration: { password: 'smtp-secret' } } });
    await c.post('/api/tenant', { tenant: { name: 'Searchable Beta' } });
    const r = await c.get('/api/tenant/search?name=searchable&numberOfResults=1');
    expect(r.body.total).toBe(2);
    expect(r.body.tenants.map((t: { name: string }) => t.name)).toEqual(['Searchable Alpha']);
    expect(r.body.tenants[0].emailConfiguration.password).toBeUndefined();
    const post = await c.post('/api/tenant/search', { search: { name: 'Searchable*', orderBy: 'name DESC' } });
    expect(post.body.tenants.map((t: { name: string }) => t.name)).toEqual(['Searchable Beta', 'Searchable Alpha']);
  });
  it('copies a tenant with sourceTenantId', async () => {
    const src = (await c.post('/api/tenant', { tenant: { name: 'Copy source', issuer: 'copy.example.com' } })).body.tenant;
    const r = await c.post('/api/tenant', { sourceTenantId: src.id, tenant: { name: 'Copy target' } });
    expect(r.status).toBe(200);
    expect(r.body.tenant).toMatchObject({ name: 'Copy target', issuer: 'copy.example.com' });
    expect(r.body.tenant.id).not.toBe(src.id);
    expect(codes(await c.post('/api/tenant', { sourceTenantId: ID.missing, tenant: { name: 'Copy none' } }), 'sourceTenantId')).toEqual(['[invalid]sourceTenantId']);
  });
});

/** Rules of [DEC-TENANT] `validate` the review found missing (issue 3 fidelity); one test per rule. */
describe('further [DEC-TENANT] validate rules', () => {
  const bad = async (name: string, tenant: Record<string, unknown>): Promise<string[]> => {
    const r = await c.post('/api/tenant', { tenant: { name, ...tenant } });
    expect(r.status).toBe(400);
    return allCodes(r);
  };
  it('emailConfiguration.defaultFromEmail must be an email address → [notEmail]', async () => {
    const f = 'tenant.emailConfiguration.defaultFromEmail';
    expect(await bad('From', { emailConfiguration: { defaultFromEmail: 'no-reply at example' } })).toEqual([`${f}: [notEmail]${f}`]);
    expect((await c.post('/api/tenant', { tenant: { name: 'From ok', emailConfiguration: { defaultFromEmail: 'no-reply@example.com' } } })).status).toBe(200);
  });
  it('connectorPolicies must hold the FusionAuth connector → [invalid]tenant.connectorPolicies; other connectors must exist', async () => {
    const codesOf = await bad('Connectors', { connectorPolicies: [{ connectorId: ID.missing, domains: ['example.com'] }] });
    expect(codesOf.sort()).toEqual([
      'tenant.connectorPolicies: [invalid]tenant.connectorPolicies',
      'tenant.connectorPolicies[0].connectorId: [invalid]tenant.connectorPolicies.connectorId',
    ]);
    // An empty list gets the FusionAuth connector (Tenant.normalize) and passes.
    const ok = await c.post('/api/tenant', { tenant: { name: 'Connectors empty', connectorPolicies: [] } });
    expect(ok.status).toBe(200);
    expect(ok.body.tenant.connectorPolicies).toEqual([{ connectorId: 'e3306678-a53a-4964-9040-1c96f36dda72', domains: ['*'], migrate: false }]);
  });
  it('OneTimeUse refresh tokens: gracePeriodInSeconds in 0..86400 → [tooSmall] / [tooLarge]; ignored for Reusable', async () => {
    const f = 'tenant.jwtConfiguration.refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds';
    const jwt = (grace: number, policy = 'OneTimeUse'): Record<string, unknown> => ({ jwtConfiguration: { refreshTokenUsagePolicy: policy, refreshTokenOneTimeUseConfiguration: { gracePeriodInSeconds: grace } } });
    expect(await bad('Grace low', jwt(-1))).toEqual([`${f}: [tooSmall]${f}`]);
    expect(await bad('Grace high', jwt(86401))).toEqual([`${f}: [tooLarge]${f}`]);
    expect((await c.post('/api/tenant', { tenant: { name: 'Grace max', ...jwt(86400) } })).status).toBe(200);
    expect((await c.post('/api/tenant', { tenant: { name: 'Grace reusable', ...jwt(86401, 'Reusable') } })).status).toBe(200);
  });
  it('SlidingWindowWithMaximumLifetime: maximumTimeToLiveInMinutes < refreshTokenTimeToLiveInMinutes → [tooSmall]', async () => {
    const f = 'tenant.jwtConfiguration.refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes';
    const jwt = { refreshTokenExpirationPolicy: 'SlidingWindowWithMaximumLifetime', refreshTokenTimeToLiveInMinutes: 600, refreshTokenSlidingWindowConfiguration: { maximumTimeToLiveInMinutes: 599 } };
    expect(await bad('Sliding', { jwtConfiguration: jwt })).toEqual([`${f}: [tooSmall]${f}`]);
  });
  it('maximumPasswordAge enabled with days ≤ 0 → [tooSmall]…maximumPasswordAge.days; disabled is not checked', async () => {
    const f = 'tenant.maximumPasswordAge.days';
    expect(await bad('Max age', { maximumPasswordAge: { enabled: true, days: 0 } })).toEqual([`${f}: [tooSmall]${f}`]);
    expect((await c.post('/api/tenant', { tenant: { name: 'Max age off', maximumPasswordAge: { enabled: false, days: 0 } } })).status).toBe(200);
  });
  it('minimumPasswordAge enabled with seconds ≤ 0 → [tooSmall]…minimumPasswordAge.seconds', async () => {
    const f = 'tenant.minimumPasswordAge.seconds';
    expect(await bad('Min age', { minimumPasswordAge: { enabled: true, seconds: -1 } })).toEqual([`${f}: [tooSmall]${f}`]);
  });
  it('passwordValidationRules.maxLength ≤ 0 → [tooSmall]', async () => {
    const f = 'tenant.passwordValidationRules.maxLength';
    expect(await bad('Max length', { passwordValidationRules: { maxLength: 0 } })).toEqual([`${f}: [tooSmall]${f}`]);
  });
  it('userDeletePolicy.unverified enabled with numberOfDaysToRetain ≤ 0 → [tooSmall]', async () => {
    const f = 'tenant.userDeletePolicy.unverified.numberOfDaysToRetain';
    expect(await bad('Retain', { userDeletePolicy: { unverified: { enabled: true, numberOfDaysToRetain: 0 } } })).toEqual([`${f}: [tooSmall]${f}`]);
  });
  it('failedAuthenticationConfiguration numbers must be > 0 → [tooSmall]', async () => {
    const f = (k: string): string => `tenant.failedAuthenticationConfiguration.${k}: [tooSmall]tenant.failedAuthenticationConfiguration.${k}`;
    const codesOf = await bad('Failed auth', { failedAuthenticationConfiguration: { actionDuration: 0, tooManyAttempts: 0, resetCountInSeconds: -1 } });
    expect(codesOf.sort()).toEqual([f('actionDuration'), f('resetCountInSeconds'), f('tooManyAttempts')]);
  });
  it('family enabled: ages and retention days must be > 0 → [invalid]', async () => {
    const f = (k: string): string => `tenant.familyConfiguration.${k}: [invalid]tenant.familyConfiguration.${k}`;
    const codesOf = await bad('Family zero', { familyConfiguration: { enabled: true, maximumChildAge: 0, minimumOwnerAge: 21, deleteOrphanedAccountsDays: 0 } });
    expect(codesOf.sort()).toEqual([f('deleteOrphanedAccountsDays'), f('maximumChildAge')]);
  });
  it('family enabled: minimumOwnerAge must exceed maximumChildAge → [tooSmall]…minimumOwnerAge; disabled is not checked', async () => {
    const f = 'tenant.familyConfiguration.minimumOwnerAge';
    expect(await bad('Family ages', { familyConfiguration: { enabled: true, maximumChildAge: 18, minimumOwnerAge: 18 } })).toEqual([`${f}: [tooSmall]${f}`]);
    expect((await c.post('/api/tenant', { tenant: { name: 'Family off', familyConfiguration: { enabled: false, maximumChildAge: 18, minimumOwnerAge: 18 } } })).status).toBe(200);
  });
  it('CAPTCHA enabled without site key or secret key → [blank] on each', async () => {
    c.e.setLicensed(true);
    try {
      const f = (k: string): string => `tenant.captchaConfiguration.${k}: [blank]tenant.captchaConfiguration.${k}`;
      const codesOf = await bad('Captcha', { captchaConfiguration: { enabled: true, siteKey: ' ' } });
      expect(codesOf.sort()).toEqual([f('secretKey'), f('siteKey')]);
    } finally {
      c.e.setLicensed(false);
    }
  });
  it('an enabled rate limit needs limit and timePeriodInSeconds > 0 → [invalid]; a disabled one is not checked', async () => {
    const f = 'tenant.rateLimitConfiguration.failedLogin.limit';
    const rl = { failedLogin: { enabled: true, limit: 0 }, forgotPassword: { enabled: false, timePeriodInSeconds: 0 } };
    expect(await bad('Rate limit', { rateLimitConfiguration: rl })).toEqual([`${f}: [invalid]${f}`]);
  });
});
