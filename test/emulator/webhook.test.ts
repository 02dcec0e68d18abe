/**
 * Webhooks (reference §7, [SITE:docs/apis/webhooks.mdx], the decompiled DefaultWebhookService and KeyValidator), and
 * their association with tenants, which the tenant API writes too (TenantRequest.webhookIds; fusionauth-issues #2411,
 * #2413; decompiled DefaultTenantService._update).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../../src/fusionauth/wire.js';
import { allCodes, codes, start, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await start();
});
afterAll(() => c.e.stop());

const hook = (over: Record<string, unknown> = {}) => ({ webhook: { url: 'https://hooks.example/fusionauth', connectTimeout: 1000, readTimeout: 2000, ...over } });
const newTenant = async (name: string): Promise<string> => {
  const r = await c.post('/api/tenant', { tenant: { name } });
  expect(r.status, r.text).toBe(200);
  return r.body.tenant.id as string;
};
const tenantIdsOf = async (id: string): Promise<string[]> => (await c.get(`/api/webhook/${id}`)).body.webhook.tenantIds;

describe('webhook create and read', () => {
  it('fills the server defaults: empty data, events, headers and tenants, not global, signing off', async () => {
    const r = await c.post('/api/webhook', hook());
    expect(r.status, r.text).toBe(200);
    expect(r.body.webhook).toMatchObject({ data: {}, eventsEnabled: {}, global: false, headers: {}, signatureConfiguration: { enabled: false }, tenantIds: [] });
    expect((await c.get(`/api/webhook/${r.body.webhook.id}`)).body).toEqual(r.body);
    expect((await c.get('/api/webhook')).body.webhooks.map((w: { id: string }) => w.id)).toContain(r.body.webhook.id);
  });

  it('returns the HTTP password and header values in clear (reference §11.2)', async () => {
    const r = await c.post('/api/webhook', hook({ httpAuthenticationUsername: 'u', httpAuthenticationPassword: 'cnry-pass', headers: { Authorization: 'Bearer cnry-token' } }));
    const got = (await c.get(`/api/webhook/${r.body.webhook.id}`)).body.webhook;
    expect(got).toMatchObject({ httpAuthenticationPassword: 'cnry-pass', headers: { Authorization: 'Bearer cnry-token' } });
  });

  it('accepts every event name FusionAuth has, and refuses one it does not ([invalidJSON]: the map is keyed by EventType)', async () => {
    const all = Object.fromEntries(WEBHOOK_EVENT_TYPES.map((e) => [e, true]));
    expect((await c.post('/api/webhook', hook({ eventsEnabled: all }))).status).toBe(200);
    expect(codes(await c.post('/api/webhook', hook({ eventsEnabled: { 'user.created': true } })), 'webhook.eventsEnabled')).toEqual(['[invalidJSON]']);
  });
});

describe('validation ([DEC-WEBHOOK] validate)', () => {
  it.each([
    [{ url: undefined }, 'webhook.url: [missing]webhook.url'],
    [{ url: 'hooks.example/x' }, 'webhook.url: [invalid]webhook.url'],
    [{ url: 'ftp://hooks.example/x' }, 'webhook.url: [invalid]webhook.url'],
    [{ connectTimeout: undefined }, 'webhook.connectTimeout: [missing]webhook.connectTimeout'],
    [{ readTimeout: 0 }, 'webhook.readTimeout: [invalid]webhook.readTimeout'],
    [{ description: 'd'.repeat(256) }, 'webhook.description: [tooLong]webhook.description'],
    [{ httpAuthenticationPassword: 'p'.repeat(256) }, 'webhook.httpAuthenticationPassword: [tooLong]webhook.httpAuthenticationPassword'],
    [{ signatureConfiguration: { enabled: true } }, 'webhook.signatureConfiguration.signingKeyId: [missing]webhook.signatureConfiguration.signingKeyId'],
    [{ signatureConfiguration: { enabled: true, signingKeyId: '5f2b8c1e-9d3a-4b6f-8e2d-7c1a0b9e8d7f' } }, 'webhook.signatureConfiguration.signingKeyId: [invalid]webhook.signatureConfiguration.signingKeyId'],
    [{ tenantIds: ['5f2b8c1e-9d3a-4b6f-8e2d-7c1a0b9e8d7f'] }, 'webhook.tenantIds[0]: [invalid]webhook.tenantIds'],
    [{ sslCertificate: 'PEM', sslCertificateKeyId: '092dbedc-30af-4149-9c61-b578f2c72f59' }, 'webhook.sslCertificate: [notMissing]webhook.sslCertificate'],
  ])('%j → %s', async (over, code) => {
    const r = await c.post('/api/webhook', JSON.parse(JSON.stringify(hook(over))));
    expect(r.status).toBe(400);
    expect(allCodes(r)).toContain(code);
  });

  it('a global webhook takes no tenantIds ([notEmpty]webhook.tenantIds)', async () => {
    const r = await c.post('/api/webhook', hook({ global: true, tenantIds: [c.e.defaultTenantId] }));
    expect(codes(r, 'webhook.tenantIds')).toEqual(['[notEmpty]webhook.tenantIds']);
  });

  it('the signing key must sign ([cannotSign] for a certificate only) and not be a shadow key ([onlyIdToken]); a TLS key needs a certificate ([noCertificate])', async () => {
    const cert = (JSON.parse(readFileSync(new URL('../data/api-examples/keys/rsa-response.json', import.meta.url), 'utf8')) as { key: { certificate: string } }).key.certificate;
    const verifyOnly = (await c.post('/api/key/import', { key: { name: 'verify only', certificate: cert } })).body.key.id;
    const hmac = (await c.post('/api/key/generate', { key: { name: 'hmac for webhooks', algorithm: 'HS256' } })).body.key.id;
    const field = 'webhook.signatureConfiguration.signingKeyId';
    expect(codes(await c.post('/api/webhook', hook({ signatureConfiguration: { enabled: true, signingKeyId: verifyOnly } })), field)).toEqual([`[cannotSign]${field}`]);
    expect(codes(await c.post('/api/webhook', hook({ signatureConfiguration: { enabled: true, signingKeyId: '092dbedc-30af-4149-9c61-b578f2c72f59' } })), field)).toEqual([`[onlyIdToken]${field}`]);
    expect((await c.post('/api/webhook', hook({ signatureConfiguration: { enabled: true, signingKeyId: hmac } }))).status).toBe(200);
    expect(codes(await c.post('/api/webhook', hook({ sslCertificateKeyId: hmac })), 'webhook.sslCertificateKeyId')).toEqual(['[noCertificate]webhook.sslCertificateKeyId']);
    expect((await c.post('/api/webhook', hook({ sslCertificateKeyId: verifyOnly }))).status).toBe(200);
  });
});

describe('tenant associations', () => {
  it('a tenant update without webhookIds detaches the tenant from its webhooks, PATCH and PUT alike (#2411, #2413)', async () => {
    const t = await newTenant('Detached on update');
    const id = (await c.post('/api/webhook', hook({ tenantIds: [t, c.e.defaultTenantId] }))).body.webhook.id as string;
    expect(await tenantIdsOf(id)).toEqual([t, c.e.defaultTenantId]);
    expect((await c.patch(`/api/tenant/${t}`, { tenant: { name: 'Detached on update (patched)' } }, { contentType: 'application/merge-patch+json' })).status).toBe(200);
    expect(await tenantIdsOf(id)).toEqual([c.e.defaultTenantId]);
    // The tenant's GET never shows the association.
    expect(JSON.stringify((await c.get(`/api/tenant/${t}`)).body)).not.toContain(id);
  });

  it('a tenant update with webhookIds keeps or makes exactly those associations; an unknown id is [invalid]webhookIds', async () => {
    const t = await newTenant('Attached on update');
    const a = (await c.post('/api/webhook', hook({ tenantIds: [t] }))).body.webhook.id as string;
    const b = (await c.post('/api/webhook', hook())).body.webhook.id as string;
    expect((await c.patch(`/api/tenant/${t}`, { tenant: { name: 'Attached on update 2' }, webhookIds: [a, b] }, { contentType: 'application/merge-patch+json' })).status).toBe(200);
    expect([await tenantIdsOf(a), await tenantIdsOf(b)]).toEqual([[t], [t]]);
    expect((await c.put(`/api/tenant/${t}`, { tenant: { name: 'Attached on update 3' }, webhookIds: [b] })).status).toBe(200);
    expect([await tenantIdsOf(a), await tenantIdsOf(b)]).toEqual([[], [t]]);
    const bad = await c.patch(`/api/tenant/${t}`, { tenant: {}, webhookIds: ['5f2b8c1e-9d3a-4b6f-8e2d-7c1a0b9e8d7f'] }, { contentType: 'application/merge-patch+json' });
    expect(codes(bad, 'webhookIds[0]')).toEqual(['[invalid]webhookIds']);
  });

  it('deleting a tenant removes it from the webhooks that list it; it is never "in use"', async () => {
    const t = await newTenant('Deleted with a webhook');
    const id = (await c.post('/api/webhook', hook({ tenantIds: [t] }))).body.webhook.id as string;
    expect((await c.del(`/api/tenant/${t}`)).status).toBe(200);
    expect(await tenantIdsOf(id)).toEqual([]);
  });
});

describe('update, delete, search', () => {
  it('PUT replaces, PATCH merges, DELETE removes', async () => {
    const id = (await c.post('/api/webhook', hook({ description: 'first', headers: { A: '1' } }))).body.webhook.id as string;
    const put = await c.put(`/api/webhook/${id}`, hook({ description: 'second' }));
    expect(put.body.webhook).toMatchObject({ description: 'second', headers: {} });
    const patched = await c.patch(`/api/webhook/${id}`, { webhook: { eventsEnabled: { 'user.create': true } } }, { contentType: 'application/merge-patch+json' });
    expect(patched.body.webhook).toMatchObject({ description: 'second', eventsEnabled: { 'user.create': true } });
    expect((await c.del(`/api/webhook/${id}`)).status).toBe(200);
    expect((await c.get(`/api/webhook/${id}`)).status).toBe(404);
  });

  it('searches by url and description (wildcards) and by tenant', async () => {
    const t = await newTenant('Searched');
    await c.post('/api/webhook', hook({ url: 'https://search.example/one', description: 'Searchable one', tenantIds: [t] }));
    const byUrl = await c.get('/api/webhook/search?url=search.example');
    expect(byUrl.body.webhooks.map((w: { url: string }) => w.url)).toEqual(['https://search.example/one']);
    const byTenant = await c.post('/api/webhook/search', { search: { tenantId: t } });
    expect(byTenant.body).toMatchObject({ total: 1, webhooks: [{ description: 'Searchable one' }] });
  });
});
