/**
 * The reconciler over real HTTP: the FusionAuth client against the in-process emulator. Apply then plan is empty with
 * zero writes; one changed nested field is exactly one merge PATCH carrying only that field; applications in a second
 * tenant get the tenant header; the plan's request count does not grow with the number of applications.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { applyPlan } from '../../src/apply/apply.js';
import { computePlan } from '../../src/core/plan.js';
import type { DesiredState, JsonObject, KindName, Plan } from '../../src/core/types.js';
import { loadConfig } from '../../src/config/load.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import type { ApiClient, ApiRequest } from '../../src/fusionauth/types.js';
import { WIRE } from '../../src/fusionauth/wire.js';
import { fetchLiveState } from '../../src/state/fetch.js';
import { desiredOf, PLAN, res } from '../core/helpers.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/phone-gating', import.meta.url));
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A request that changes something: the user search is a POST that only reads (the example seeds a test user). */
const isWrite = (r: { method: string; path: string }) => WRITES.has(r.method) && r.path !== WIRE.user.searchPath;

let emu: Emulator;
let sent: ApiRequest[];
let client: ApiClient;

/** The real client, recording what it sends (the emulator's log has no bodies). */
function recording(inner: ApiClient): ApiClient {
  return { baseUrl: inner.baseUrl, request: (req) => { sent.push(req); return inner.request(req); } };
}

async function plan(desired: DesiredState, allowReplace = false): Promise<Plan> {
  const kinds = [...new Set(desired.resources.map((r) => r.kind))] as KindName[];
  return computePlan(desired, await fetchLiveState(client, kinds), { ...PLAN, target: emu.url, allowReplace });
}

const writes = () => emu.requests.filter(isWrite);

beforeEach(async () => {
  emu = await startEmulator({ licensed: true });
  sent = [];
  client = recording(createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } }));
});
afterEach(async () => {
  await emu.stop();
});

describe('apply against the emulator', () => {
  it('applies the phone-gating example, then plans no changes with zero writes', async () => {
    const desired = await loadConfig([EXAMPLE]);
    const first = await plan(desired);
    expect(first.diagnostics).toEqual([]);
    expect(first.changes.map((c) => `${c.action} ${c.kind}`)).toEqual(['create messenger', 'create messageTemplate', 'create tenant', 'create application', 'create user']);
    const result = await applyPlan(first, client, { desired });
    expect(result.outcomes.map((o) => o.error ?? o.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);

    // The second tenant exists now: the application create carried the phone-gated tenant's id in the header.
    const tenantId = first.changes.find((c) => c.kind === 'tenant')!.id;
    const appCreate = emu.requests.find((r) => r.method === 'POST' && r.path.startsWith('/api/application/'))!;
    expect(appCreate.tenantId).toBe(tenantId);
    expect(emu.snapshot().applications.find((a) => a.name === 'Phone app')?.tenantId).toBe(tenantId);

    emu.clearLog();
    const second = await plan(desired);
    // The seeded user's password is create-only: said once, quietly, never a change.
    expect(second.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual([expect.stringMatching(/^warning: password: used only when kickstand creates a user, so not compared for 1 existing user \(test-user\)/)]);
    expect(second.changes.map((c) => c.action)).toEqual(['noop', 'noop', 'noop', 'noop', 'noop', 'noop']);
    expect(second.changes.map((c) => c.match)).toEqual(['derived-id', 'derived-id', 'derived-id', 'derived-id', 'derived-id', 'child-key']);
    const again = await applyPlan(second, client);
    expect(again.outcomes).toEqual([]);
    expect(writes()).toEqual([]);
    expect(emu.requests.every((r) => r.method === 'GET' || r.path === WIRE.user.searchPath)).toBe(true);
  });

  it('sends exactly one merge PATCH carrying only the changed nested field', async () => {
    const desired = await loadConfig([EXAMPLE]);
    await applyPlan(await plan(desired), client);
    const changed = await loadConfig([EXAMPLE], { vars: { phoneCodeTtl: '300' } });
    emu.clearLog();
    sent = [];
    const p = await plan(changed);
    expect(p.changes.map((c) => c.action)).toEqual(['noop', 'noop', 'update', 'noop', 'noop', 'noop']);
    expect(p.changes[2]!.fields).toEqual([{ path: 'externalIdentifierConfiguration.phoneVerificationIdTimeToLiveInSeconds', before: 600, after: 300, sensitive: false }]);
    const result = await applyPlan(p, client, { desired: changed });
    expect(result.summary).toEqual({ applied: 1, failed: 0, skipped: 0 });
    expect(writes()).toEqual([expect.objectContaining({ method: 'PATCH', path: `/api/tenant/${p.changes[2]!.id}`, contentType: 'application/merge-patch+json', status: 200 })]);
    // The tenant update repeats the webhooks attached to the tenant (none here): FusionAuth detaches those a tenant
    // update does not list (src/kinds/tenant.ts).
    expect(sent.filter((r) => isWrite(r)).map((r) => r.body)).toEqual([{ webhookIds: [], tenant: { externalIdentifierConfiguration: { phoneVerificationIdTimeToLiveInSeconds: 300 } } }]);
    // Everything else the server holds is untouched, and the next plan is empty.
    const stored = emu.snapshot().tenants.find((t) => t.id === p.changes[2]!.id)!;
    expect((stored.phoneConfiguration as JsonObject).verificationStrategy).toBe('FormField');
    expect((await plan(changed)).changes.every((c) => c.action === 'noop')).toBe(true);
  });

  it('refuses Gated phone verification on an unlicensed server before any write, naming the line', async () => {
    emu.setLicensed(false);
    const desired = await loadConfig([EXAMPLE]);
    const p = await plan(desired);
    const written = desired.resources.find((r) => r.kind === 'tenant')!.source.pos('phoneConfiguration.unverified.behavior');
    expect(p.diagnostics).toEqual([expect.objectContaining({ severity: 'error', where: expect.objectContaining({ path: 'phoneConfiguration.unverified.behavior', ...written, kind: 'tenant' }) })]);
    const result = await applyPlan(p, client);
    expect(result.summary.applied).toBe(0);
    expect(writes()).toEqual([]);
  });

  it('puts an application without tenantId in the Default tenant, and manages its roles through the role endpoints', async () => {
    const tenant = res('tenant', 'other', { name: 'Other' });
    const app = (roles: JsonObject[]) => res('application', 'web', { name: 'Web', roles });
    const v1 = desiredOf([tenant, app([{ name: 'admin', isSuperRole: true }, { name: 'viewer' }])]);
    const r1 = await applyPlan(await plan(v1), client, { desired: v1 });
    expect(r1.summary).toEqual({ applied: 2, failed: 0, skipped: 0 });
    const appCreate = emu.requests.find((r) => r.method === 'POST' && r.path.startsWith('/api/application/'))!;
    expect(appCreate.tenantId).toBe(emu.defaultTenantId);

    const v2 = desiredOf([tenant, app([{ name: 'admin', isSuperRole: true, description: 'Administrators' }, { name: 'editor' }])]);
    emu.clearLog();
    sent = [];
    const p2 = await plan(v2);
    const appChange = p2.changes.find((c) => c.kind === 'application')!;
    expect(appChange.action).toBe('noop');
    expect(p2.changes.filter((c) => c.kind === 'applicationRole' && c.action !== 'noop').map((c) => `${c.action} ${c.key}`)).toEqual(['update web/admin', 'create web/editor']);
    const r2 = await applyPlan(p2, client, { desired: v2 });
    expect(r2.outcomes.map((o) => o.error ?? o.status)).toEqual(['applied', 'applied']);
    // A role is created with its planned id (a retry cannot duplicate it) and patched by id.
    expect(writes().map((r) => `${r.method} ${r.path.replace(appChange.id!, 'ID').replace(/role\/[0-9a-f-]+$/, 'role/RID')}`)).toEqual([
      'PATCH /api/application/ID/role/RID', 'POST /api/application/ID/role/RID',
    ]);
    const roles = (emu.snapshot().applications.find((a) => a.id === appChange.id)!.roles as JsonObject[]).map((r) => `${String(r.name)}:${String(r.description ?? '')}`);
    // viewer is no longer in the file but kickstand never deletes roles.
    expect(roles.sort()).toEqual(['admin:Administrators', 'editor:', 'viewer:']);
    expect((await plan(v2)).changes.every((c) => c.action === 'noop')).toBe(true);
  });

  it('maps a server validation error to the file position and converges on re-run', async () => {
    const tenant = res('tenant', 'acme', { name: 'Acme', phoneConfiguration: { messengerId: 'a1000000-0000-4000-8000-000000000001', verifyPhoneNumber: false } }, { lines: { 'phoneConfiguration.messengerId': 17 } });
    const desired = desiredOf([res('messenger', 'sms', { name: 'SMS', type: 'Generic', url: 'https://m.example', connectTimeout: 1000, readTimeout: 1000 }), tenant]);
    const p = await plan(desired);
    expect(p.diagnostics).toEqual([]);
    const result = await applyPlan(p, client, { desired });
    expect(result.summary).toEqual({ applied: 1, failed: 1, skipped: 0 });
    const failed = result.outcomes.find((o) => o.status === 'failed')!;
    expect(failed.error?.[0]?.where).toMatchObject({ path: 'phoneConfiguration.messengerId', line: 17, kind: 'tenant', key: 'acme' });
    // The messenger is there now; fixing the file and re-running finishes the job.
    const fixed = desiredOf([desired.resources[0]!, res('tenant', 'acme', { name: 'Acme', phoneConfiguration: { messengerId: 'sms' } }, { refs: [{ path: 'phoneConfiguration.messengerId', kind: 'messenger', key: 'sms' }] })]);
    const p2 = await plan(fixed);
    expect(p2.changes.map((c) => `${c.action} ${c.kind}`)).toEqual(['noop messenger', 'create tenant']);
    expect((await applyPlan(p2, client)).summary).toEqual({ applied: 1, failed: 0, skipped: 0 });
    expect((await plan(fixed)).changes.every((c) => c.action === 'noop')).toBe(true);
  });

  it('plans with the same number of requests for 10 and 1,000 applications', async () => {
    const apps = (n: number) => desiredOf(Array.from({ length: n }, (_, i) => res('application', `app-${i}`, { name: `App ${i}` })));
    const count = async (n: number) => {
      const desired = apps(n);
      const result = await applyPlan(await plan(desired), client, { parallelism: 16 });
      expect(result.summary.failed).toBe(0);
      emu.clearLog();
      const p = await plan(desired);
      expect(p.changes.filter((c) => c.action === 'noop')).toHaveLength(n);
      return emu.requests.length;
    };
    const ten = await count(10);
    const thousand = await count(1000);
    expect(ten).toBe(4); // version, reactor, active and inactive applications
    expect(thousand).toBe(ten);
  }, 60_000);
});
