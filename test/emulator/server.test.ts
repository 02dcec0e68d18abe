/** Wire behaviour common to every endpoint: authentication, 404/405, JSON errors, system endpoints, boot state, log. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FA_APP, ID, start, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await start({ defaultTenantId: ID.defaultTenant, version: '1.62.1' });
});
afterAll(() => c.e.stop());

describe('authentication (reference §1.1)', () => {
  it('answers 401 with an empty body when the key is missing', async () => {
    const r = await c.get('/api/tenant', { key: null });
    expect(r.status).toBe(401);
    expect(r.text).toBe('');
  });
  it('answers 401 with an empty body for a wrong key, and does not accept a Bearer prefix', async () => {
    expect((await c.get('/api/messenger', { key: 'nope' })).status).toBe(401);
    const bearer = await c.get('/api/messenger', { key: `Bearer ${c.e.apiKey}` });
    expect(bearer.status).toBe(401);
    expect(bearer.text).toBe('');
  });
  it('accepts HTTP Basic apikey:<key> on /api/system/version but not on resource endpoints', async () => {
    const basic = `Basic ${Buffer.from(`apikey:${c.e.apiKey}`).toString('base64')}`;
    expect((await c.get('/api/system/version', { key: basic })).body).toEqual({ version: '1.62.1' });
    expect((await c.get('/api/tenant', { key: basic })).status).toBe(401);
  });
});

describe('statuses with empty bodies (reference §1.5)', () => {
  it('404 for an unknown path and for a missing object, empty body', async () => {
    const a = await c.get('/api/nothing-here');
    expect(a.status).toBe(404);
    expect(a.text).toBe('');
    const b = await c.get(`/api/tenant/${ID.missing}`);
    expect(b.status).toBe(404);
    expect(b.text).toBe('');
  });
  it('405 for a known path with another method', async () => {
    const r = await c.del('/api/tenant');
    expect(r.status).toBe(405);
    expect(r.text).toBe('');
  });
  it('400 [invalidJSON] for a body that is not JSON', async () => {
    const r = await c.post('/api/tenant', undefined, { raw: '{"tenant": ' });
    expect(r.status).toBe(400);
    expect(r.body.generalErrors[0].code).toBe('[invalidJSON]');
  });
  it('400 [missing]<singular> when the envelope is missing', async () => {
    const r = await c.post('/api/tenant', { name: 'no envelope' });
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors.tenant[0].code).toBe('[missing]tenant');
  });
  // leo-technologies-llc/fusion_auth (live 1.46): 404 with an empty body, not fusionauth-issues #534's [couldNotConvert].
  it('404 with an empty body for a numeric id (it converts to a UUID that names nothing); 400 [couldNotConvert] for one that does not convert', async () => {
    const r = await c.get('/api/messenger/67890');
    expect(r.status).toBe(404);
    expect(r.text).toBe('');
    const bad = await c.get('/api/messenger/not-a-uuid');
    expect([bad.status, bad.body.fieldErrors?.messengerId?.[0]?.code]).toEqual([400, '[couldNotConvert]messengerId']);
  });
});

describe('system endpoints (reference §1.10)', () => {
  it('GET /api/system/version returns the configured version', async () => {
    const r = await c.get('/api/system/version');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ version: '1.62.1' });
  });
  it('GET /api/status: {"status":"ok"} without a key, the version with one', async () => {
    expect((await c.get('/api/status', { key: null })).body).toEqual({ status: 'ok' });
    expect((await c.get('/api/status')).body.version).toBe('1.62.1');
  });
  it('GET /api/reactor says unlicensed by default and licensed after setLicensed', async () => {
    const r = await c.get('/api/reactor');
    expect(r.body.status.licensed).toBe(false);
    expect(r.body.status.breachedPasswordDetection).toBe('UNKNOWN');
    c.e.setLicensed(true);
    const l = await c.get('/api/reactor');
    expect(l.body.status.licensed).toBe(true);
    expect(l.body.status.advancedRegistration).toBe('ACTIVE');
    c.e.setLicensed(false);
  });
  it('GET /api/reactor needs the key', async () => {
    expect((await c.get('/api/reactor', { key: null })).status).toBe(401);
  });
});

describe('boot state (reference §10.1)', () => {
  it('holds exactly the Default tenant, with the configured id', async () => {
    const r = await c.get('/api/tenant');
    expect(r.body.tenants).toHaveLength(1);
    const t = r.body.tenants[0];
    expect(t).toMatchObject({ id: ID.defaultTenant, name: 'Default', issuer: 'acme.com', themeId: '75a068fd-e94b-451a-9aeb-3ddb9a3b5987', state: 'Active', configured: true });
    expect(typeof t.insertInstant).toBe('number');
  });
  it('holds the FusionAuth admin application in the Default tenant', async () => {
    const r = await c.get(`/api/application/${FA_APP}`);
    expect(r.status).toBe(200);
    expect(r.body.application).toMatchObject({ id: FA_APP, name: 'FusionAuth', tenantId: ID.defaultTenant, active: true, state: 'Active' });
    expect(r.body.application.oauthConfiguration.clientId).toBe(FA_APP);
    expect(r.body.application.roles.some((x: { name: string }) => x.name === 'admin')).toBe(true);
  });
  it('holds the bootstrap\'s one message template, "Default Two Factor Request" (this emulator reports 1.62.1)', async () => {
    const names = (await c.get('/api/message/template')).body.messageTemplates.map((t: { name: string }) => t.name);
    expect(names).toEqual(['Default Two Factor Request']);
  });
  it('has no messengers: an empty list is left out of the reply (fusionauth-issues #1275)', async () => {
    expect((await c.get('/api/messenger')).body).toEqual({});
  });
  it('gives the Default tenant a random id when none is configured', async () => {
    const a = await start();
    const b = await start();
    try {
      const ta = (await a.get('/api/tenant')).body.tenants[0].id;
      const tb = (await b.get('/api/tenant')).body.tenants[0].id;
      expect(ta).toMatch(/^[0-9a-f-]{36}$/);
      expect(ta).not.toBe(tb);
      expect(a.e.defaultTenantId).toBe(ta);
    } finally {
      await a.e.stop();
      await b.e.stop();
    }
  });
});

describe('request log', () => {
  it('records method, path, query, status, content type and tenant header, in order', async () => {
    c.e.clearLog();
    await c.get('/api/application?inactive=true');
    await c.patch(`/api/tenant/${ID.defaultTenant}`, { tenant: { data: { x: 1 } } }, { contentType: 'application/merge-patch+json' });
    await c.get(`/api/tenant/${ID.missing}`, { tenantId: ID.defaultTenant });
    const log = c.e.requests.map(({ durationMs: _d, ...rest }) => rest);
    expect(log).toEqual([
      { method: 'GET', path: '/api/application', query: 'inactive=true', status: 200 },
      { method: 'PATCH', path: `/api/tenant/${ID.defaultTenant}`, query: '', status: 200, contentType: 'application/merge-patch+json' },
      { method: 'GET', path: `/api/tenant/${ID.missing}`, query: '', status: 404, tenantId: ID.defaultTenant },
    ]);
    expect(c.e.requests.every((r) => typeof r.durationMs === 'number' && r.durationMs >= 0)).toBe(true);
  });
  it('calls the log option once per request, without the key', async () => {
    const lines: string[] = [];
    const d = await start({ log: (l) => lines.push(l) });
    try {
      await d.get('/api/tenant');
      await d.get('/api/tenant', { key: null });
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^GET \/api\/tenant 200 \d+ms$/);
      expect(lines[1]).toMatch(/^GET \/api\/tenant 401 /);
      expect(lines.join('\n')).not.toContain(d.e.apiKey);
    } finally {
      await d.e.stop();
    }
  });
});

describe('/_emulator endpoints (not part of FusionAuth)', () => {
  it('serve the request log without logging themselves, and clear it', async () => {
    c.e.clearLog();
    await c.get('/api/tenant');
    const r = await c.get('/_emulator/requests');
    expect(r.body.requests).toHaveLength(1);
    expect(c.e.requests).toHaveLength(1);
    await c.del('/_emulator/requests');
    expect(c.e.requests).toHaveLength(0);
  });
  it('need the key', async () => {
    expect((await c.get('/_emulator/requests', { key: null })).status).toBe(401);
  });
  it('toggle the license', async () => {
    await c.put('/_emulator/license', { licensed: true });
    expect((await c.get('/api/reactor')).body.status.licensed).toBe(true);
    await c.put('/_emulator/license', { licensed: false });
    expect((await c.get('/api/reactor')).body.status.licensed).toBe(false);
  });
  it('reset to the boot state, keeping the Default tenant id', async () => {
    const d = await start();
    try {
      await d.post('/api/tenant', { tenant: { name: 'Other' } });
      expect((await d.get('/api/tenant')).body.tenants).toHaveLength(2);
      await d.post('/_emulator/reset');
      const tenants = (await d.get('/api/tenant')).body.tenants;
      expect(tenants).toHaveLength(1);
      expect(tenants[0].id).toBe(d.e.defaultTenantId);
    } finally {
      await d.e.stop();
    }
  });
});
