/**
 * Integration over real HTTP against the test target (the emulator by default; a real FusionAuth when
 * KICKSTAND_TEST_URL and KICKSTAND_TEST_API_KEY are set — see test/support/target.ts). Everything is counted from
 * what kickstand sends, so these assertions hold for both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { apply, plan } from '../../src/engine.js';
import type { JsonObject } from '../../src/core/types.js';
import { exampleCopy, openTarget, type Target } from '../support/target.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/phone-gating', import.meta.url));
let target: Target;

beforeAll(async () => {
  target = await openTarget();
});
afterAll(async () => {
  await target.stop();
});

describe(`integration against the target`, () => {
  it('applies examples/phone-gating, then plans no changes and writes nothing', async () => {
    const dir = await exampleCopy(target, EXAMPLE);
    const desired = await loadConfig([dir]);
    const first = await apply({ desired, client: target.client });
    expect(first.result.outcomes.map((o) => `${o.kind}:${o.status}`)).toEqual([
      'messenger:applied', 'messageTemplate:applied', 'tenant:applied', 'application:applied', 'user:applied',
    ]);
    target.clear();
    const again = await apply({ desired, client: target.client });
    expect(again.plan.changes.map((c) => c.action)).toEqual(['noop', 'noop', 'noop', 'noop', 'noop', 'noop']);
    expect(target.writes()).toEqual([]);
  });

  it('changes one nested field with exactly one merge PATCH carrying only that field', async () => {
    const dir = await exampleCopy(target, EXAMPLE);
    await apply({ desired: await loadConfig([dir]), client: target.client });
    const changed = await loadConfig([dir], { vars: { phoneCodeTtl: '300' } });
    target.clear();
    const { plan: p, result } = await apply({ desired: changed, client: target.client });
    expect(p.changes.filter((c) => c.action !== 'noop').map((c) => c.kind)).toEqual(['tenant']);
    expect(result.summary).toEqual({ applied: 1, failed: 0, skipped: 0 });
    const writes = target.writes();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'PATCH', contentType: 'application/merge-patch+json' });
    // The update repeats the webhooks attached to the tenant (none here), or FusionAuth would detach them (src/kinds/tenant.ts).
    expect(writes[0]!.body).toEqual({ webhookIds: [], tenant: { externalIdentifierConfiguration: { phoneVerificationIdTimeToLiveInSeconds: 300 } } });
  });

  it('creates applications in a second tenant with the tenant header, and they converge', async () => {
    const dir = await exampleCopy(target, EXAMPLE);
    const desired = await loadConfig([dir]);
    await apply({ desired, client: target.client });
    // Now at least two tenants exist: an application created in the Default tenant must name it in the header.
    const extra = { ...desired, resources: [...desired.resources] };
    const app = desired.resources.find((r) => r.kind === 'application')!;
    const defaultApp = { ...app, key: 'default-tenant-app', body: { name: `Default-tenant app ${target.suffix}` } as JsonObject, refs: [] };
    extra.resources.push(defaultApp);
    target.clear();
    const { plan: p, result } = await apply({ desired: extra, client: target.client });
    expect(result.summary.failed).toBe(0);
    const create = target.writes().find((r) => r.method === 'POST' && r.path.startsWith('/api/application/'));
    expect(create?.tenantId).toBeDefined();
    expect(p.changes.find((c) => c.key === 'default-tenant-app')?.tenantId).toBe(create?.tenantId);
    target.clear();
    expect((await plan({ desired: extra, client: target.client })).plan.changes.every((c) => c.action === 'noop')).toBe(true);
  });

  it('plans with a constant number of requests from 10 to 1,000 applications', async () => {
    const dir = await exampleCopy(target, EXAMPLE);
    const base = await loadConfig([dir]);
    const app = base.resources.find((r) => r.kind === 'application')!;
    const withApps = (n: number) => ({
      ...base,
      resources: [...base.resources, ...Array.from({ length: n }, (_, i) => ({ ...app, key: `bulk-${i}`, body: { ...app.body, name: `Bulk ${i} ${target.suffix}` } }))],
    });
    const count = async (n: number) => {
      target.clear();
      await plan({ desired: withApps(n), client: target.client });
      return target.sent.length;
    };
    const ten = await count(10);
    const thousand = await count(1000);
    expect(thousand).toBe(ten);
    // One list per kind (applications twice: active and inactive; the seeded user one search page, its registration
    // inside it), the version and the license.
    expect(ten).toBeLessThanOrEqual(5 + 1 + 2);
  });
});
