/**
 * The webhook kind's real rules through plan and apply against the emulator: attachment to tenants from the webhook
 * side, kept across tenant updates (FusionAuth's tenant update detaches every webhook its request does not list in
 * `webhookIds`: fusionauth-issues #2411, #2413), `tenantIds` compared as a set, signing by a key entry, the offline rules.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadErrors, tmpFiles } from '../config/helpers.js';
import { againstEmulator } from '../support/against-emulator.js';

const { emu, planOf, applyOf } = againstEmulator();

const FILE = (tenantName: string, tenantIds = '[acme, beta]') => `keys:
  - key: hooks
    name: Webhook signing
    algorithm: ES256
tenants:
  - key: acme
    name: ${tenantName}
  - key: beta
    name: Beta
webhooks:
  - key: events
    description: Events to the audit service
    url: https://audit.example/fusionauth
    connectTimeout: 1000
    readTimeout: 2000
    tenantIds: ${tenantIds}
    eventsEnabled:
      user.create: true
      user.login.success: true
    signatureConfiguration:
      enabled: true
      signingKeyId: hooks
    headers:
      Authorization: Bearer cnry-audit-token-51ce
`;

const hook = () => emu().snapshot().webhooks.find((w) => w.description === 'Events to the audit service')!;
const tenantId = (name: string) => emu().snapshot().tenants.find((t) => t.name === name)!.id;

describe('attachment to tenants', () => {
  it('is written on the webhook (tenantIds by key), after the tenants and the signing key', async () => {
    const { plan: p } = await applyOf(FILE('Acme'));
    expect(p.changes.map((c) => `${c.kind}:${c.key} ${c.action} level ${c.level}`)).toEqual([
      'key:hooks create level 0', 'tenant:acme create level 1', 'tenant:beta create level 1', 'webhook:events create level 2',
    ]);
    expect(hook().tenantIds).toEqual([tenantId('Acme'), tenantId('Beta')]);
    expect((hook().signatureConfiguration as { signingKeyId: string }).signingKeyId).toBe(emu().snapshot().keys.find((k) => k.name === 'Webhook signing')!.id);
    expect((await planOf(FILE('Acme'))).changes.every((c) => c.action === 'noop')).toBe(true);
  });

  it('survives an update of the tenant: kickstand repeats the attached webhooks, so the next plan is empty', async () => {
    await applyOf(FILE('Acme'));
    const { plan: p } = await applyOf(FILE('Acme Corp'));
    expect(p.changes.filter((c) => c.action !== 'noop').map((c) => `${c.kind}:${c.key} ${c.action}`)).toEqual(['tenant:acme update']);
    // The tenant update carried webhookIds (a sibling of `tenant`), read from the webhooks just before it.
    expect(emu().requests.filter((r) => r.method === 'GET' && r.path === '/api/webhook').length).toBeGreaterThan(0);
    expect((hook().tenantIds as string[]).sort()).toEqual([tenantId('Acme Corp'), tenantId('Beta')].sort());
    expect((await planOf(FILE('Acme Corp'))).changes.every((c) => c.action === 'noop')).toBe(true);
  });

  it('compares tenantIds as a set: the order written does not matter', async () => {
    await applyOf(FILE('Acme'));
    expect((await planOf(FILE('Acme', '[beta, acme]'))).changes.every((c) => c.action === 'noop')).toBe(true);
  });

  it('detaches a tenant when the webhook no longer lists it', async () => {
    await applyOf(FILE('Acme'));
    await applyOf(FILE('Acme', '[beta]'));
    expect(hook().tenantIds).toEqual([tenantId('Beta')]);
  });
});

describe('offline rules', () => {
  it('a tenant entry cannot write webhookIds (even with unknown fields allowed): the message says to use the webhook\'s tenantIds', async () => {
    const dir = tmpFiles({ 't.yaml': 'tenants:\n  - key: acme\n    name: Acme\n    webhookIds: [5f2b8c1e-9d3a-4b6f-8e2d-7c1a0b9e8d7f]\n' });
    const { errors } = await loadErrors([join(dir, 't.yaml')], { allowUnknownFields: true });
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/not a tenant field.*webhooks\[\]\.tenantIds/), where: expect.objectContaining({ path: 'tenants[0].webhookIds', line: 4 }) })]);
  });

  const base = { url: 'https://hooks.example/x', connectTimeout: 1000, readTimeout: 2000 };
  it('url, connectTimeout and readTimeout are required', async () => {
    const dir = tmpFiles({ 'w.json': JSON.stringify({ webhooks: [{ key: 'w' }] }) });
    const { errors } = await loadErrors([join(dir, 'w.json')]);
    expect(errors.map((e) => e.message).sort()).toEqual(['missing required field "connectTimeout"', 'missing required field "readTimeout"', 'missing required field "url"']);
  });

  it.each([
    [{ url: 'hooks.example/x' }, 'url', /absolute http or https URL/],
    [{ readTimeout: 0 }, 'readTimeout', /greater than 0/],
    [{ global: true, tenantIds: ['5f2b8c1e-9d3a-4b6f-8e2d-7c1a0b9e8d7f'] }, 'tenantIds', /global webhook is sent for every tenant/],
    [{ signatureConfiguration: { enabled: true } }, 'signatureConfiguration.signingKeyId', /need signingKeyId/],
    [{ sslCertificate: 'PEM', sslCertificateKeyId: '5f2b8c1e-9d3a-4b6f-8e2d-7c1a0b9e8d7f' }, 'sslCertificate', /not both/],
    [{ eventsEnabled: { 'user.created': true } }, 'eventsEnabled', /unknown event "user\.created"/],
  ])('%j: %s', async (over, path, message) => {
    const entry = JSON.parse(JSON.stringify({ key: 'w', ...base, ...over })) as Record<string, unknown>;
    const dir = tmpFiles({ 'w.json': JSON.stringify({ webhooks: [entry] }) });
    const { errors } = await loadErrors([join(dir, 'w.json')]);
    expect(errors).toContainEqual(expect.objectContaining({ message: expect.stringMatching(message), where: expect.objectContaining({ path: `webhooks[0].${path}` }) }));
  });
});
