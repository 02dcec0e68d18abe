import { describe, expect, it } from 'vitest';
import type { ApiClient, ApiRequest, ApiResponse } from '../../src/fusionauth/types.js';
import { fetchLiveState } from '../../src/state/fetch.js';
import { FUSIONAUTH_APP_ID } from '../../src/fusionauth/wire.js';

const T = '7d3e1f2a-1111-4b2c-9a0d-6f4e2b1c0a99';

function fake(routes: Record<string, unknown>, fail: string[] = []) {
  const requests: ApiRequest[] = [];
  const client: ApiClient = {
    baseUrl: 'http://fake',
    async request<T>(req: ApiRequest): Promise<ApiResponse<T>> {
      requests.push(req);
      const k = `${req.method} ${req.path}${req.query ? `?${new URLSearchParams(req.query).toString()}` : ''}`;
      if (fail.includes(k)) throw new Error(`404 ${k}`);
      if (!(k in routes)) throw new Error(`unexpected ${k}`);
      return { status: 200, body: routes[k] as T };
    },
  };
  return { client, requests };
}

const base = { 'GET /api/system/version': { version: '1.69.0' }, 'GET /api/reactor': { status: { licensed: true, advancedRegistration: 'ACTIVE' } } };

describe('fetchLiveState', () => {
  it('lists each kind once per list query, plus version and license, and finds the Default tenant from the admin app', async () => {
    const f = fake({
      ...base,
      'GET /api/messenger': { messengers: [{ id: 'A0000000-0000-4000-8000-000000000001', name: 'SMS' }] },
      'GET /api/application': { applications: [{ id: FUSIONAUTH_APP_ID, name: 'FusionAuth', tenantId: T.toUpperCase() }, { id: 'b0000000-0000-4000-8000-000000000001', name: 'Web', tenantId: T }] },
      'GET /api/application?inactive=true': { applications: [{ id: 'b0000000-0000-4000-8000-000000000002', name: 'Old', active: false }, { id: 'B0000000-0000-4000-8000-000000000001', name: 'Web', tenantId: T }] },
    });
    const live = await fetchLiveState(f.client, ['messenger', 'application', 'messenger']);
    expect(live.serverVersion).toBe('1.69.0');
    expect(live.licensed).toBe(true);
    expect(live.defaults.tenant).toBe(T);
    expect(live.objects.messenger).toHaveLength(1);
    // Active and inactive lists are merged, without duplicates.
    expect(live.objects.application?.map((a) => a.name)).toEqual(['FusionAuth', 'Web', 'Old']);
    expect(f.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /api/application', 'GET /api/application', 'GET /api/messenger', 'GET /api/reactor', 'GET /api/system/version',
    ]);
    // Never the tenant header on a retrieve-all: with a global key FusionAuth lists every tenant's objects.
    expect(f.requests.every((r) => r.tenantId === undefined)).toBe(true);
  });

  it('reads the admin application once when tenants are planned without applications', async () => {
    const f = fake({ ...base, 'GET /api/tenant': { tenants: [] }, [`GET /api/application/${FUSIONAUTH_APP_ID}`]: { application: { id: FUSIONAUTH_APP_ID, tenantId: T } } });
    const live = await fetchLiveState(f.client, ['tenant']);
    expect(live.defaults.tenant).toBe(T);
    expect(live.objects).toEqual({ tenant: [] });
    expect(f.requests).toHaveLength(4);
  });

  it('plans without a Default tenant when the admin application cannot be read, and reports unlicensed servers', async () => {
    const f = fake({ 'GET /api/system/version': { version: '1.59.1' }, 'GET /api/reactor': { status: { licensed: false } }, 'GET /api/tenant': { tenants: [] } }, [`GET /api/application/${FUSIONAUTH_APP_ID}`]);
    const live = await fetchLiveState(f.client, ['tenant']);
    expect(live).toEqual({ serverVersion: '1.59.1', licensed: false, defaults: {}, objects: { tenant: [] }, parentIds: {} });
  });

  it('does not read the admin application for messengers and templates only', async () => {
    const f = fake({ ...base, 'GET /api/messenger': { messengers: [] }, 'GET /api/message/template': { messageTemplates: [] } });
    const live = await fetchLiveState(f.client, ['messenger', 'messageTemplate']);
    expect(live.defaults.tenant).toBeUndefined();
    expect(f.requests).toHaveLength(4);
  });

  it('passes client errors through', async () => {
    const f = fake({ 'GET /api/reactor': { status: { licensed: true } } }, ['GET /api/system/version']);
    await expect(fetchLiveState(f.client, [])).rejects.toThrow(/404/);
  });
});
