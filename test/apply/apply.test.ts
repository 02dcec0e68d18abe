import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { computePlan } from '../../src/core/plan.js';
import type { Change, ChangeOutcome, JsonObject, Plan } from '../../src/core/types.js';
import { ApiError, ConnectionError } from '../../src/fusionauth/errors.js';
import type { ApiClient, ApiRequest, ApiResponse } from '../../src/fusionauth/types.js';
import { DEFAULT_TENANT, desiredOf, liveOf, NS, PLAN, res } from '../core/helpers.js';
import { derivedId } from '../../src/core/match.js';
import { kindByName } from '../../src/kinds/index.js';

/** A fake client: records every request, lets a handler decide the answer, and yields to the event loop so that
 *  concurrent requests really overlap. */
function fakeClient(handler: (req: ApiRequest, n: number) => unknown = () => ({})) {
  const requests: ApiRequest[] = [];
  const events: string[] = [];
  let inFlight = 0, maxInFlight = 0;
  const client: ApiClient = {
    baseUrl: 'http://fake',
    async request<T>(req: ApiRequest): Promise<ApiResponse<T>> {
      const n = requests.push(req);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      events.push(`start ${req.method} ${req.path}`);
      try {
        for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
        const body = handler(req, n);
        return { status: 200, body: body as T };
      } finally {
        inFlight--;
        events.push(`end ${req.method} ${req.path}`);
      }
    },
  };
  return { client, requests, events, maxInFlight: () => maxInFlight };
}

const messengers = (n: number) => Array.from({ length: n }, (_, i) => res('messenger', `m${String(i).padStart(2, '0')}`, { name: `M${i}`, type: 'Generic', url: 'https://x', connectTimeout: 1, readTimeout: 1 }));

/** A bare change of a kind, for hand-made plans. */
function change(kind: string, key: string, id: string, level: number): Change {
  const k = kindByName(kind);
  return { action: 'noop', kind, title: k.title, key, id, match: 'derived-id', level, fields: [], secretPaths: [] };
}

function planOf(resources: ReturnType<typeof res>[], live: Parameters<typeof liveOf>[0] = {}, allowReplace = false): Plan {
  return computePlan(desiredOf(resources), liveOf(live, { defaultTenantId: DEFAULT_TENANT }), { ...PLAN, target: 'http://fake', allowReplace });
}

describe('applyPlan', () => {
  it('sends creates as POST {apiPath}/{id} with the enveloped body, the tenant header for applications', async () => {
    const plan = planOf([
      res('messenger', 'sms', { name: 'SMS', type: 'Generic', url: 'https://x', connectTimeout: 1, readTimeout: 1 }),
      res('application', 'web', { name: 'Web', roles: [{ name: 'admin' }] }),
    ]);
    const f = fakeClient();
    const result = await applyPlan(plan, f.client);
    expect(result.summary).toEqual({ applied: 2, failed: 0, skipped: 0 });
    const mPath = `/api/messenger/${derivedId('messenger', 'sms', NS)}`, aPath = `/api/application/${derivedId('application', 'web', NS)}`;
    // A create names its id, so it may be retried: a retry that finds the id taken reads the object back.
    expect(f.requests).toEqual([
      { method: 'POST', path: mPath, body: { messenger: { name: 'SMS', type: 'Generic', url: 'https://x', connectTimeout: 1, readTimeout: 1 } }, idempotentCreate: { readBack: mPath } },
      // A new application carries its roles.
      { method: 'POST', path: aPath, body: { application: { name: 'Web', roles: [{ name: 'admin' }] } }, tenantId: DEFAULT_TENANT, idempotentCreate: { readBack: aPath } },
    ]);
  });

  it('sends updates as merge patches, role changes through the role endpoints after their application, replaces as hard delete + create', async () => {
    const appId = derivedId('application', 'web', NS), mId = derivedId('messenger', 'sms', NS);
    const plan = planOf([
      res('messenger', 'sms', { name: 'SMS', type: 'Generic', url: 'https://x', connectTimeout: 1, readTimeout: 1 }),
      // universal: false equals the server's assumption for an absent value: not a change of the immutable field.
      res('application', 'web', { name: 'Web 2', roles: [{ name: 'admin', description: 'Admins' }, { name: 'new' }], universalConfiguration: { universal: false } }),
    ], {
      messenger: [{ id: mId, name: 'SMS', type: 'Twilio', url: 'https://x' }],
      application: [{ id: appId, name: 'Web', tenantId: DEFAULT_TENANT, roles: [{ id: 'b0000000-0000-4000-8000-000000000001', name: 'admin' }] }],
    }, true);
    expect(plan.changes.map((c) => `${c.action} ${c.key}`)).toEqual(['replace sms', 'update web', 'update web/admin', 'create web/new']);
    const f = fakeClient();
    const result = await applyPlan(plan, f.client);
    expect(result.summary.failed).toBe(0);
    const newRole = derivedId('applicationRole', 'web/new', NS);
    expect(f.requests).toEqual([
      { method: 'DELETE', path: `/api/messenger/${mId}` },
      { method: 'POST', path: `/api/messenger/${mId}`, body: { messenger: { name: 'SMS', type: 'Generic', url: 'https://x', connectTimeout: 1, readTimeout: 1 } }, idempotentCreate: { readBack: `/api/messenger/${mId}` } },
      { method: 'PATCH', path: `/api/application/${appId}`, body: { application: { name: 'Web 2' } }, contentType: 'application/merge-patch+json', tenantId: DEFAULT_TENANT },
      { method: 'PATCH', path: `/api/application/${appId}/role/b0000000-0000-4000-8000-000000000001`, body: { role: { description: 'Admins' } }, contentType: 'application/merge-patch+json' },
      { method: 'POST', path: `/api/application/${appId}/role/${newRole}`, body: { role: { name: 'new' } }, idempotentCreate: {} },
    ]);
  });

  it('writes creates and updates level by level, then deletes in reverse level order (dependents first)', async () => {
    const ids = { t: derivedId('tenant', 'old', NS), m: derivedId('messenger', 'old', NS), a: derivedId('application', 'old', NS), n: derivedId('messenger', 'new', NS) };
    const del = (kind: string, key: string, id: string, level: number) => ({ ...change(kind, key, id, level), action: 'delete' as const });
    const plan: Plan = {
      formatVersion: 2, target: 't', serverVersion: '1.69.0', licensed: true, diagnostics: [],
      summary: { create: 1, update: 0, replace: 0, delete: 3, noop: 0 },
      changes: [del('messenger', 'old', ids.m, 0), { ...change('messenger', 'new', ids.n, 0), action: 'create', after: { name: 'N' } }, del('tenant', 'old', ids.t, 1), del('application', 'old', ids.a, 2)],
    };
    const f = fakeClient();
    await applyPlan(plan, f.client, { parallelism: 1 });
    expect(f.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /api/messenger/${ids.n}`, `DELETE /api/application/${ids.a}`, `DELETE /api/tenant/${ids.t}`, `DELETE /api/messenger/${ids.m}`,
    ]);
  });

  it('replaces an application with a hard delete so that its id and name are freed', async () => {
    const appId = derivedId('application', 'web', NS);
    const plan = planOf([res('application', 'web', { name: 'Web', universalConfiguration: { universal: true } })], {
      application: [{ id: appId, name: 'Web', tenantId: DEFAULT_TENANT, universalConfiguration: { universal: false } }],
    }, true);
    const f = fakeClient();
    await applyPlan(plan, f.client);
    expect(f.requests[0]).toEqual({ method: 'DELETE', path: `/api/application/${appId}`, query: { hardDelete: 'true' } });
    expect(f.requests[1]?.method).toBe('POST');
  });

  it('applies level by level and never exceeds the parallelism within a level', async () => {
    const plan = planOf([...messengers(10), res('tenant', 'acme', { name: 'Acme' })]);
    const f = fakeClient();
    const seen: ChangeOutcome[] = [];
    const result = await applyPlan(plan, f.client, { parallelism: 3, onOutcome: (o) => seen.push(o) });
    expect(result.summary).toEqual({ applied: 11, failed: 0, skipped: 0 });
    expect(f.maxInFlight()).toBe(3);
    // The tenant (level 1) starts only after every messenger (level 0) has finished.
    const tenantStart = f.events.indexOf(`start POST /api/tenant/${derivedId('tenant', 'acme', NS)}`);
    const lastMessengerEnd = Math.max(...f.events.map((e, i) => (e.startsWith('end POST /api/messenger/') ? i : -1)));
    expect(tenantStart).toBeGreaterThan(lastMessengerEnd);
    expect(seen).toHaveLength(11);
    expect(result.outcomes.map((o) => o.key)).toEqual(plan.changes.map((c) => c.key));
  });

  it('defaults to 4 writes in flight', async () => {
    const f = fakeClient();
    await applyPlan(planOf(messengers(9)), f.client);
    expect(f.maxInFlight()).toBe(4);
  });

  it('on the first failure stops scheduling, lets in-flight writes finish, and marks the rest skipped', async () => {
    const plan = planOf([...messengers(8), res('tenant', 'acme', { name: 'Acme' })]);
    const failing = `/api/messenger/${derivedId('messenger', 'm01', NS)}`;
    const f = fakeClient((req) => {
      if (req.path === failing) {
        throw new ApiError('FusionAuth rejected the request (400)', 400, { method: 'POST', path: req.path, errors: { generalErrors: [{ code: '[invalid]x', message: 'bad' }] } });
      }
      return {};
    });
    const seen: ChangeOutcome[] = [];
    const result = await applyPlan(plan, f.client, { parallelism: 2, onOutcome: (o) => seen.push(o) });
    // m00 and m01 start together; m01 fails while m00 (or m02, scheduled when m00 finished first) is in flight.
    expect(result.summary.failed).toBe(1);
    expect(result.summary.applied + result.summary.failed + result.summary.skipped).toBe(9);
    expect(f.requests.length).toBeLessThanOrEqual(3);
    expect(f.requests.some((r) => r.path.startsWith('/api/tenant'))).toBe(false);
    expect(result.outcomes.find((o) => o.kind === 'tenant')?.status).toBe('skipped');
    expect(result.summary.skipped).toBe(9 - f.requests.length);
    expect(seen).toHaveLength(9);
    const failed = result.outcomes.find((o) => o.status === 'failed')!;
    expect(failed).toMatchObject({ key: 'm01', action: 'create' });
    expect(failed.error?.[0]?.message).toBe('bad ([invalid]x)');
  });

  it('maps FusionAuth field errors back to file:line:column', async () => {
    const tenant = res('tenant', 'acme', { name: 'Acme', phoneConfiguration: { messengerId: 'a1000000-0000-4000-8000-000000000001' } }, { lines: { 'phoneConfiguration.messengerId': 14 } });
    const desired = desiredOf([tenant]);
    const plan = computePlan(desired, liveOf({ tenant: [] }), { ...PLAN, target: 't' });
    const f = fakeClient((req) => {
      throw new ApiError('FusionAuth rejected the request (400)', 400, { method: req.method, path: req.path, errors: {
        fieldErrors: { 'tenant.phoneConfiguration.messengerId': [{ code: '[invalid]tenant.phoneConfiguration.messengerId', message: 'The messenger does not exist.' }] },
      } });
    });
    const result = await applyPlan(plan, f.client, { desired });
    expect(result.outcomes[0]!.error).toEqual([{
      severity: 'error',
      message: 'The messenger does not exist. ([invalid]tenant.phoneConfiguration.messengerId)',
      where: { kind: 'tenant', key: 'acme', path: 'phoneConfiguration.messengerId', file: 'kickstand.yaml', line: 14, column: 5 },
    }]);
  });

  it('maps a role error to the role in the file', async () => {
    const appId = derivedId('application', 'web', NS);
    const app = res('application', 'web', { name: 'Web', roles: [{ name: 'a' }, { name: 'b', description: 'x' }] }, { lines: { roles: 3, 'roles[1]': 5 } });
    const desired = desiredOf([app]);
    const plan = computePlan(desired, liveOf({ application: [{ id: appId, name: 'Web', tenantId: DEFAULT_TENANT, roles: [{ id: 'b0000000-0000-4000-8000-000000000001', name: 'a' }] }] }, { defaultTenantId: DEFAULT_TENANT }), { ...PLAN, target: 't' });
    const f = fakeClient((req) => {
      throw new ApiError('rejected', 400, { method: req.method, path: req.path, errors: { fieldErrors: { 'role.description': [{ code: '[tooLong]role.description', message: 'too long' }] } } });
    });
    const result = await applyPlan(plan, f.client, { desired });
    // The role is a change of its own; its field error points at the role's line in the application's entry.
    expect(result.outcomes.map((o) => `${o.action} ${o.key}`)).toEqual(['create web/b']);
    expect(result.outcomes[0]!.error).toEqual([{
      severity: 'error', message: 'too long ([tooLong]role.description)',
      where: { kind: 'applicationRole', key: 'web/b', path: 'description', file: 'kickstand.yaml', line: 5, column: 5 },
    }]);
  });

  it('reports a connection failure as a failed outcome instead of throwing', async () => {
    const f = fakeClient((req) => { throw new ConnectionError('cannot connect to http://fake: ECONNREFUSED', 'ECONNREFUSED', { method: req.method, path: req.path }); });
    const result = await applyPlan(planOf(messengers(1)), f.client);
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', error: [{ severity: 'error', message: 'cannot connect to http://fake: ECONNREFUSED' }] });
  });

  it('writes nothing when the plan has errors, and nothing for noop changes', async () => {
    const mId = derivedId('messenger', 'sms', NS);
    const bad = planOf([res('messenger', 'sms', { name: 'SMS', type: 'Generic' })], { messenger: [{ id: mId, name: 'SMS', type: 'Twilio' }] });
    expect(bad.diagnostics.length).toBeGreaterThan(0);
    const f = fakeClient();
    const result = await applyPlan(bad, f.client);
    expect(f.requests).toEqual([]);
    expect(result.summary).toEqual({ applied: 0, failed: 0, skipped: 1 });
    expect(result.diagnostics[0]!.message).toBe('the plan has 1 error; nothing was applied');

    const noop = planOf([res('messenger', 'sms', { name: 'SMS' })], { messenger: [{ id: mId, name: 'SMS', type: 'Twilio' }] });
    const r2 = await applyPlan(noop, f.client);
    expect(f.requests).toEqual([]);
    expect(r2.outcomes).toEqual([]);
  });

  it('rethrows bugs (errors not coming from the client)', async () => {
    const plan = planOf(messengers(1));
    const broken = { ...plan, changes: plan.changes.map((c): Change => ({ ...c, kind: 'nope' as Change['kind'] })) };
    await expect(applyPlan(broken, fakeClient().client)).rejects.toThrow(/unknown kind/);
  });
});

describe('applyPlan body shapes', () => {
  it('never puts the id in a create body', async () => {
    const f = fakeClient();
    await applyPlan(planOf([res('tenant', 'acme', { name: 'Acme' }, { id: 'C0000000-0000-4000-8000-0000000000AA' })]), f.client);
    expect(f.requests[0]!.path).toBe('/api/tenant/c0000000-0000-4000-8000-0000000000aa');
    expect((f.requests[0]!.body as JsonObject).tenant).toEqual({ name: 'Acme' });
  });
});
