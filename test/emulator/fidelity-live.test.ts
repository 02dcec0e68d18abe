/**
 * Behaviours of messengers, message templates, keys, themes, API keys, webhooks and the system configuration that
 * test suites established against a **live** FusionAuth (reference §13), replayed against the emulator. Each test names
 * its source; the requests are written from what the source sends and asserts, not copied from it.
 *
 * Sources: FusionAuth/terraform-provider-fusionauth acceptance tests (`fusionauth/resource_fusionauth_*_test.go`, run
 * with TF_ACC against a live server; the provider's read functions set state from the server's GET, so an attribute
 * checked after a step is what the server returned); FusionAuth/fusionauth-typescript-client `test/FusionAuthClientTest.ts`
 * and FusionAuth/fusionauth-netcore-client `FusionAuthClientTest.cs` (FusionAuth's CI, live server); latte-java/fusionauth
 * `docs/fusionauth-openapi-spec-discrepancies.md` (a live 1.67.1 server); fusionauth-issues and terraform-provider
 * threads reporting a server's actual answer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { start, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await start({ licensed: true });
});
afterAll(async () => {
  await c.e.stop();
});
beforeEach(() => c.e.reset());

describe('messengers (terraform-provider-fusionauth TestAccGenericMessenger, TestAccTwilioMessenger)', () => {
  const generic = (v: { url: string; connectTimeout: number; password: string; username: string; name: string; readTimeout: number }) => ({
    messenger: {
      type: 'Generic', url: v.url, connectTimeout: v.connectTimeout, data: { 'important-key': 'important-value' }, debug: false,
      headers: { 'header-key-1': 'one', 'header-key-2': 'two' }, httpAuthenticationPassword: v.password, httpAuthenticationUsername: v.username,
      name: v.name, readTimeout: v.readTimeout,
    },
  });

  it('a Generic messenger with an http:// URL is created and updated; its password, headers and data read back as sent', async () => {
    const created = await c.post('/api/messenger', generic({ url: 'http://example-start.com', connectTimeout: 2048, password: 'super-secret-start', username: 'me', name: 'my-test-messenger', readTimeout: 1111 }));
    expect(created.status, created.text).toBe(200);
    const id = created.body.messenger.id as string;
    const read1 = (await c.get(`/api/messenger/${id}`)).body.messenger;
    expect(read1).toMatchObject({
      url: 'http://example-start.com', connectTimeout: 2048, data: { 'important-key': 'important-value' }, debug: false,
      headers: { 'header-key-1': 'one', 'header-key-2': 'two' }, httpAuthenticationPassword: 'super-secret-start', httpAuthenticationUsername: 'me',
      name: 'my-test-messenger', readTimeout: 1111,
    });
    const updated = await c.put(`/api/messenger/${id}`, generic({ url: 'http://example-end.com', connectTimeout: 4096, password: 'super-secret-end', username: 'me-too', name: 'my-new-test-messenger', readTimeout: 2222 }));
    expect(updated.status, updated.text).toBe(200);
    expect((await c.get(`/api/messenger/${id}`)).body.messenger).toMatchObject({
      url: 'http://example-end.com', connectTimeout: 4096, httpAuthenticationPassword: 'super-secret-end', httpAuthenticationUsername: 'me-too', name: 'my-new-test-messenger', readTimeout: 2222,
    });
  });

  it('a Twilio messenger reads back its auth token in clear, before and after an update that moves it to another Twilio URL', async () => {
    const body = (sid: string, token: string, from: string, name: string, url: string) => ({
      messenger: { type: 'Twilio', accountSID: sid, authToken: token, data: { 'important-key': 'important-value' }, debug: false, fromPhoneNumber: from, name, url },
    });
    const created = await c.post('/api/messenger', body('SID12345678', 'token-secret-start', '+15551234567', 'my-test-messenger', 'https://api.twilio.com'));
    expect(created.status, created.text).toBe(200);
    const id = created.body.messenger.id as string;
    expect((await c.get(`/api/messenger/${id}`)).body.messenger).toMatchObject({ accountSID: 'SID12345678', authToken: 'token-secret-start', fromPhoneNumber: '+15551234567', data: { 'important-key': 'important-value' } });
    expect((await c.put(`/api/messenger/${id}`, body('SID87654321', 'token-secret-end', '+15559876543', 'my-new-test-messenger', 'https://alt-api.twilio.com'))).status).toBe(200);
    expect((await c.get(`/api/messenger/${id}`)).body.messenger).toMatchObject({ accountSID: 'SID87654321', authToken: 'token-secret-end', url: 'https://alt-api.twilio.com', name: 'my-new-test-messenger' });
  });

  it('GET /api/messenger lists them under "messengers" (latte-java discrepancy #14, live 1.67.1: the retrieve-all the OpenAPI file lacks)', async () => {
    await c.post('/api/messenger', generic({ url: 'http://example.com', connectTimeout: 1000, password: 'p', username: 'u', name: 'listed', readTimeout: 1000 }));
    const r = await c.get('/api/messenger');
    expect(r.status).toBe(200);
    expect((r.body.messengers as Array<{ name: string }>).map((m) => m.name)).toContain('listed');
  });
});

describe('SMS message templates (terraform-provider-fusionauth TestAccSMSMessageTemplate)', () => {
  it('localizedTemplates and data read back as sent, after create and after update, and a read equals the write', async () => {
    const body = (name: string, text: string, fr: string, es: string) => ({
      messageTemplate: { type: 'SMS', name, defaultTemplate: text, data: { usage: 'verification', notes: 'Used for 2FA verification' }, localizedTemplates: { fr, es } },
    });
    const created = await c.post('/api/message/template', body('Test SMS Template', 'Your verification code is ${code}', 'Votre code de vérification est ${code}', 'Su código de verificación es ${code}'));
    expect(created.status, created.text).toBe(200);
    const id = created.body.messageTemplate.id as string;
    expect((await c.get(`/api/message/template/${id}`)).body.messageTemplate).toEqual(created.body.messageTemplate);
    const updated = await c.put(`/api/message/template/${id}`, body('Updated SMS Template', 'Your new verification code is ${code}', 'Votre nouveau code de vérification est ${code}', 'Su nuevo código de verificación es ${code}'));
    expect(updated.status, updated.text).toBe(200);
    const read = (await c.get(`/api/message/template/${id}`)).body.messageTemplate;
    expect(read).toEqual(updated.body.messageTemplate);
    expect(read).toMatchObject({
      name: 'Updated SMS Template', defaultTemplate: 'Your new verification code is ${code}', data: { usage: 'verification', notes: 'Used for 2FA verification' },
      localizedTemplates: { fr: 'Votre nouveau code de vérification est ${code}', es: 'Su nuevo código de verificación es ${code}' },
    });
  });
});

describe('API keys (terraform-provider-fusionauth TestAccAPIKey_basic, _withPermissions, _tenantScoped)', () => {
  const ID = 'bd4efbcc-0667-4946-8b99-fd1474f25540';

  it('a key created under a client id is retrievable with its value; a rename sent with the value read keeps it', async () => {
    // The provider always sends keyManager false and the description as metaData.attributes.description.
    const created = await c.post(`/api/api-key/${ID}`, { apiKey: { keyManager: false, metaData: { attributes: { description: 'Test API Key' } }, name: 'test-api-key', retrievable: true } });
    expect(created.status, created.text).toBe(200);
    const read = (await c.get(`/api/api-key/${ID}`)).body.apiKey;
    expect(read).toMatchObject({ id: ID, name: 'test-api-key', retrievable: true, keyManager: false, metaData: { attributes: { description: 'Test API Key' } } });
    expect(typeof read.key).toBe('string');
    const updated = await c.put(`/api/api-key/${ID}`, { apiKey: { key: read.key, keyManager: false, metaData: { attributes: { description: 'Updated Test API Key' } }, name: 'updated-test-api-key', retrievable: true } });
    expect(updated.status, updated.text).toBe(200);
    expect((await c.get(`/api/api-key/${ID}`)).body.apiKey).toMatchObject({ key: read.key, name: 'updated-test-api-key', metaData: { attributes: { description: 'Updated Test API Key' } } });
  });

  it('endpoint permissions read back per endpoint with the methods sent (as a set: the provider reads them into a TypeSet)', async () => {
    const r = await c.post('/api/api-key', { apiKey: { keyManager: false, name: 'test-api-key-permissions', retrievable: true, permissions: { endpoints: { '/api/user': ['GET', 'POST', 'PUT'], '/api/application': ['GET'] } } } });
    expect(r.status, r.text).toBe(200);
    const endpoints = (await c.get(`/api/api-key/${r.body.apiKey.id as string}`)).body.apiKey.permissions.endpoints as Record<string, string[]>;
    expect(Object.keys(endpoints).sort()).toEqual(['/api/application', '/api/user']);
    expect([...endpoints['/api/user']!].sort()).toEqual(['GET', 'POST', 'PUT']);
    expect(endpoints['/api/application']).toEqual(['GET']);
  });

  it('a key locked to a tenant is created with that tenant in the X-FusionAuth-TenantId header (the provider sets it) and reads back its tenantId', async () => {
    const tenantId = (await c.post('/api/tenant', { tenant: { name: 'API key tenant' } })).body.tenant.id as string;
    const r = await c.post('/api/api-key', { apiKey: { keyManager: false, name: 'test-tenant-api-key', retrievable: true, tenantId } }, { tenantId });
    expect(r.status, r.text).toBe(200);
    expect((await c.get(`/api/api-key/${r.body.apiKey.id as string}`)).body.apiKey.tenantId).toBe(tenantId);
  });
});

describe('keys (terraform-provider-fusionauth TestAccFusionauthKey_basic, _SetID, TestAccFusionauthImportedKey_Secret)', () => {
  it('generates RSA keys of the length asked, under a client id or not; the algorithm and length read back', async () => {
    const id = '1b9ad5b3-3b4a-4d0c-9c9b-6f3f7d3b2a10';
    const a = await c.post(`/api/key/generate/${id}`, { key: { name: 'test a', algorithm: 'RS256', length: 2048 } });
    expect(a.status, a.text).toBe(200);
    expect((await c.get(`/api/key/${id}`)).body.key).toMatchObject({ id, name: 'test a', algorithm: 'RS256', length: 2048 });
    // The provider replaces the key to change its algorithm or length (a key's PUT renames it only).
    const b = await c.post('/api/key/generate', { key: { name: 'test b', algorithm: 'RS512', length: 4096 } });
    expect(b.status, b.text).toBe(200);
    expect((await c.get(`/api/key/${b.body.key.id as string}`)).body.key).toMatchObject({ algorithm: 'RS512', length: 4096 });
  });

  it('imports a Secret (the lambda secret of Key Master): it reads back as type Secret', async () => {
    const r = await c.post('/api/key/import', { key: { name: 'test-acc secret', type: 'Secret', secret: 'super-secret-login-validation-value' } });
    expect(r.status, r.text).toBe(200);
    expect((await c.get(`/api/key/${r.body.key.id as string}`)).body.key).toMatchObject({ name: 'test-acc secret', type: 'Secret' });
  });

  it('GET /api/key/search and GET /api/webhook/search take their criteria as query parameters (latte-java discrepancy #13)', async () => {
    await c.post('/api/key/import', { key: { name: 'searchable secret', type: 'Secret', secret: 's' } });
    const keys = await c.get('/api/key/search?name=searchable');
    expect(keys.status).toBe(200);
    expect(keys.body.total).toBe(1);
    await c.post('/api/webhook', { webhook: { url: 'https://hooks.example.com/searchable', connectTimeout: 1000, readTimeout: 1000 } });
    const hooks = await c.get('/api/webhook/search?url=searchable');
    expect(hooks.status).toBe(200);
    expect(hooks.body.total).toBe(1);
  });
});

describe('themes (terraform-provider-fusionauth issue #172, PR #254; latte-java discrepancy #14)', () => {
  it('a copy (sourceThemeId) takes the source\'s templates: a template sent in the same request is ignored (#172, a live server in 2023)', async () => {
    const source = (await c.get('/api/theme/75a068fd-e94b-451a-9aeb-3ddb9a3b5987')).body.theme;
    const r = await c.post('/api/theme', { sourceThemeId: '75a068fd-e94b-451a-9aeb-3ddb9a3b5987', theme: { name: 'clone theme', templates: { helpers: '[#ftl/] custom helpers' } } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.theme.templates.helpers).toBe(source.templates.helpers);
  });

  it('an update naming sourceThemeId is refused (PR #254: "recent versions … throw an error if it is included")', async () => {
    const id = (await c.post('/api/theme', { sourceThemeId: '75a068fd-e94b-451a-9aeb-3ddb9a3b5987', theme: { name: 'copy' } })).body.theme.id as string;
    const theme = (await c.get(`/api/theme/${id}`)).body.theme;
    const r = await c.put(`/api/theme/${id}`, { sourceThemeId: '75a068fd-e94b-451a-9aeb-3ddb9a3b5987', theme });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.fieldErrors)).toEqual(['sourceThemeId']);
  });

  it('GET /api/theme lists them under "themes"', async () => {
    const r = await c.get('/api/theme');
    expect(r.status).toBe(200);
    expect((r.body.themes as Array<{ name: string }>).map((t) => t.name)).toContain('FusionAuth');
  });
});

describe('the system configuration (fusionauth-typescript-client and fusionauth-netcore-client test suites)', () => {
  it('is retrieved with 200, and the whole object PUT back with PATCH added to the CORS methods is accepted and kept', async () => {
    const got = await c.get('/api/system-configuration');
    expect(got.status).toBe(200);
    const sc = got.body.systemConfiguration;
    expect(Array.isArray(sc.corsConfiguration.allowedMethods)).toBe(true);
    sc.corsConfiguration.allowedMethods.push('PATCH');
    const put = await c.put('/api/system-configuration', { systemConfiguration: sc });
    expect(put.status, put.text).toBe(200);
    expect((await c.get('/api/system-configuration')).body.systemConfiguration.corsConfiguration.allowedMethods).toContain('PATCH');
  });
});
