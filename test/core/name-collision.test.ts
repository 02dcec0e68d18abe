/**
 * Names FusionAuth keeps unique (KindDef.uniqueName) are checked at plan time against the live objects: an entry whose
 * create, replace or rename would take a name another object keeps is a plan error at its `name` line, before any
 * write. Without it the apply stops half-way on [duplicate]<kind>.name.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { derivedId } from '../../src/core/match.js';
import { computePlan } from '../../src/core/plan.js';
import type { Diagnostic, JsonObject, KindName } from '../../src/core/types.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import type { ApiClient } from '../../src/fusionauth/types.js';
import { KINDS } from '../../src/kinds/index.js';
import { fetchLiveState } from '../../src/state/fetch.js';
import { DEFAULT_TENANT, desiredOf, liveOf, NS, PLAN, res } from './helpers.js';

const opts = { ...PLAN, target: 'http://localhost:9011' };
const id = (kind: string, key: string) => derivedId(kind, key, NS);
const OTHER = 'aaaaaaaa-1111-4111-8111-000000000001';
const PINNED = 'aaaaaaaa-1111-4111-8111-000000000002';
const TENANT_B = 'bbbbbbbb-2222-4222-8222-000000000001';

const errors = (diags: Diagnostic[]) => diags.filter((d) => d.severity === 'error');
const messenger = (name: string): JsonObject => ({ name, type: 'Twilio', url: 'https://api.twilio.com', accountSID: 'AC1', authToken: 't', fromPhoneNumber: '+15550100' });

describe('uniqueName is data on every kind', () => {
  it('tenants, messengers, message and email templates, keys, themes and API keys are unique globally, applications per tenant, roles per application; lambda and webhook names repeat; users are matched by their login ids and registrations by their application instead', () => {
    expect(Object.fromEntries(KINDS.map((k) => [k.name, k.uniqueName ?? 'not unique']))).toEqual({
      systemConfiguration: 'not unique', lambda: 'not unique', emailTemplate: 'global',
      messenger: 'global', messageTemplate: 'global', key: 'global', theme: 'global', tenant: 'global', application: 'perTenant', applicationRole: 'perParent',
      webhook: 'not unique', apiKey: 'global', user: 'not unique', userRegistration: 'not unique', family: 'not unique',
    });
  });
});

describe('name collisions at plan time', () => {
  it('two entries that would adopt the same live object: the second would create a duplicate, an error at its name line', () => {
    const live = liveOf({ tenant: [{ id: OTHER, name: 'Acme' }] });
    const a = res('tenant', 'acme-a', { name: 'Acme' }, { lines: { name: 41 } });
    const b = res('tenant', 'acme-b', { name: 'Acme' }, { lines: { name: 51 } });
    const plan = computePlan(desiredOf([a, b]), live, opts);
    expect(plan.changes.map((c) => `${c.key} ${c.action} ${c.match}`)).toEqual(['acme-a noop adopted-by-name', 'acme-b create new']);
    expect(errors(plan.diagnostics)).toEqual([{
      severity: 'error',
      message: `creating tenant "Acme" would take a name in use: tenant "Acme" (id ${OTHER}) has it and entry "acme-a" (kickstand.yaml:${a.source.entry.line}) keeps it; ` +
        'FusionAuth keeps tenant names unique and would refuse it with [duplicate]tenant.name after the changes before it were applied',
      where: { file: 'kickstand.yaml', line: 51, column: 5, path: 'name', kind: 'tenant', key: 'acme-b' },
    }]);
  });

  it('an entry pinned to a live object while another entry names its object the same: the other is refused', () => {
    const live = liveOf({ messenger: [{ id: PINNED, ...messenger('SMS') }] });
    const pinned = res('messenger', 'pinned', messenger('SMS'), { id: PINNED });
    const other = res('messenger', 'other', messenger('SMS'), { lines: { name: 12 } });
    const plan = computePlan(desiredOf([pinned, other]), live, opts);
    expect(errors(plan.diagnostics).map((d) => [d.where?.key, d.where?.line, d.message])).toEqual([
      ['other', 12, expect.stringMatching(new RegExp(`^creating messenger "SMS" would take a name in use: messenger "SMS" \\(id ${PINNED}\\) has it and entry "pinned" .* keeps it; .*\\[duplicate\\]messenger\\.name`))],
    ]);
  });

  it('…but not when the pinned entry renames that object away', () => {
    const live = liveOf({ messenger: [{ id: PINNED, ...messenger('SMS') }] });
    const pinned = res('messenger', 'pinned', messenger('SMS (old)'), { id: PINNED });
    const other = res('messenger', 'other', messenger('SMS'));
    const plan = computePlan(desiredOf([pinned, other]), live, opts);
    expect(plan.diagnostics).toEqual([]);
    expect(plan.changes.map((c) => `${c.key} ${c.action}`)).toEqual(['other create', 'pinned update']);
  });

  it('a rename to a name a live object no entry manages has is refused', () => {
    const live = liveOf({ tenant: [{ id: id('tenant', 'one'), name: 'One' }, { id: OTHER, name: 'Two' }] });
    const one = res('tenant', 'one', { name: 'Two' }, { lines: { name: 7 } });
    const plan = computePlan(desiredOf([one]), live, opts);
    expect(errors(plan.diagnostics)).toEqual([{
      severity: 'error',
      message: `renaming tenant "One" (key one, id ${id('tenant', 'one')}) to "Two" would take a name in use: tenant "Two" (id ${OTHER}) has it and no entry of these files renames it; ` +
        'FusionAuth keeps tenant names unique and would refuse it with [duplicate]tenant.name after the changes before it were applied',
      where: { file: 'kickstand.yaml', line: 7, column: 5, path: 'name', kind: 'tenant', key: 'one' },
    }]);
  });

  it('a rename into a name another entry creates or renames to first: the later entry is refused', () => {
    const live = liveOf({ tenant: [{ id: id('tenant', 'a'), name: 'A' }, { id: id('tenant', 'b'), name: 'B' }] });
    const plan = computePlan(desiredOf([
      res('tenant', 'a', { name: 'Same' }),
      res('tenant', 'b', { name: 'Same' }),
      res('tenant', 'c', { name: 'Same' }),
    ]), live, opts);
    expect(errors(plan.diagnostics).map((d) => [d.where?.key, d.message.split(' would')[0], d.message.split(': ')[1]!.split(';')[0]])).toEqual([
      ['b', `renaming tenant "B" (key b, id ${id('tenant', 'b')}) to "Same"`, `entry "a" (kickstand.yaml:${plan.changes[0]!.source!.line}) renames tenant "A" (id ${id('tenant', 'a')}) to it first`],
      ['c', 'creating tenant "Same"', `entry "a" (kickstand.yaml:${plan.changes[0]!.source!.line}) renames tenant "A" (id ${id('tenant', 'a')}) to it first`],
    ]);
  });

  it('a replace (--allow-replace) that keeps the name of the object it replaces is fine; one into a taken name is not', () => {
    const live = liveOf({ messenger: [{ id: id('messenger', 'sms'), ...messenger('SMS'), type: 'Generic' }, { id: OTHER, ...messenger('Taken') }] });
    const same = computePlan(desiredOf([res('messenger', 'sms', messenger('SMS'))]), live, { ...opts, allowReplace: true });
    expect(same.diagnostics).toEqual([]);
    expect(same.changes[0]!.action).toBe('replace');
    const taken = computePlan(desiredOf([res('messenger', 'sms', messenger('Taken'))]), live, { ...opts, allowReplace: true });
    expect(errors(taken.diagnostics).map((d) => d.message)).toEqual([expect.stringMatching(/^replacing messenger "SMS" \(key sms, id \S+\) by one named "Taken" would take a name in use: messenger "Taken" \(id \S+\) has it/)]);
  });

  it('a name taken by a soft-deleted application says so', () => {
    const live = liveOf({ application: [
      { id: id('application', 'web'), name: 'Web', tenantId: DEFAULT_TENANT, active: true },
      { id: OTHER, name: 'Old', tenantId: DEFAULT_TENANT, active: false, state: 'Inactive' },
    ] }, { defaultTenantId: DEFAULT_TENANT });
    const plan = computePlan(desiredOf([res('application', 'web', { name: 'Old' })]), live, opts);
    expect(errors(plan.diagnostics).map((d) => d.message)).toEqual([expect.stringContaining(`application "Old" (id ${OTHER}) has it (soft-deleted: it keeps its name until it is deleted permanently) and no entry`)]);
  });

  it('applications: the same name in two tenants is fine, in one tenant (written as a key and as a UUID) is not', () => {
    const live = liveOf({ tenant: [{ id: TENANT_B, name: 'B' }], application: [] }, { defaultTenantId: DEFAULT_TENANT });
    const b = res('tenant', 'b', { name: 'B' }, { id: TENANT_B });
    const inB = res('application', 'in-b', { name: 'Web', tenantId: 'b' }, { refs: [{ path: 'tenantId', kind: 'tenant', key: 'b' }] });
    const inDefault = res('application', 'in-default', { name: 'Web' });
    expect(errors(computePlan(desiredOf([b, inB, inDefault]), live, opts).diagnostics)).toEqual([]);
    // The loader compares tenants as written (a key and a UUID differ); the planner knows both are tenant B.
    const alsoB = res('application', 'z-also-b', { name: 'Web', tenantId: TENANT_B }, { lines: { name: 99 } });
    const plan = computePlan(desiredOf([b, inB, inDefault, alsoB]), live, opts);
    expect(errors(plan.diagnostics).map((d) => [d.where?.key, d.where?.line, d.message])).toEqual([
      ['z-also-b', 99, expect.stringMatching(/^creating application "Web" would take a name in use: entry "in-b" \(.*\) creates a application with it first; FusionAuth keeps application names unique within a tenant/)],
    ]);
  });

  it('a universal application (no tenant) collides with the same name in any tenant, both ways', () => {
    const universal = { id: OTHER, name: 'Portal', universalConfiguration: { universal: true }, active: true };
    const live = liveOf({ application: [universal] }, { defaultTenantId: DEFAULT_TENANT });
    const inTenant = computePlan(desiredOf([res('application', 'portal', { name: 'Portal' })]), live, opts);
    expect(errors(inTenant.diagnostics).map((d) => d.message)).toEqual([
      expect.stringMatching(/^creating application "Portal" would take a name in use: .*no entry of these files renames it \(one of them belongs to no tenant, so its name is taken in every tenant\)/),
    ]);
    // A new universal application named like a tenant application another entry keeps (an unmanaged one it would adopt).
    const tenantApp = { id: id('application', 'b-portal'), name: 'Portal', tenantId: TENANT_B, active: true };
    const kept = res('application', 'b-portal', { name: 'Portal', tenantId: TENANT_B });
    const newUniversal = res('application', 'portal', { name: 'Portal', universalConfiguration: { universal: true } });
    const plan = computePlan(desiredOf([kept, newUniversal]), liveOf({ application: [tenantApp] }, { defaultTenantId: DEFAULT_TENANT }), opts);
    expect(errors(plan.diagnostics).map((d) => [d.where?.key, d.message])).toEqual([
      ['portal', expect.stringMatching(/^creating application "Portal" would take a name in use: application "Portal" \(id \S+\) has it and entry "b-portal" .* keeps it \(one of them belongs to no tenant, so its name is taken in every tenant\)/)],
    ]);
  });

  it('unchanged names are never reported, even where the server already holds a clash', () => {
    // A tenant application and a universal one may share a name on a server (renamed before 1.58's rule): not ours to fix.
    const live = liveOf({ application: [
      { id: id('application', 'a'), name: 'X', tenantId: DEFAULT_TENANT, active: true },
      { id: OTHER, name: 'X', universalConfiguration: { universal: true }, active: true },
    ] }, { defaultTenantId: DEFAULT_TENANT });
    expect(computePlan(desiredOf([res('application', 'a', { name: 'X', description: 'y' })]), live, opts).diagnostics).toEqual([]);
  });

  it('an entry whose matching already failed gets that error only', () => {
    // Pinned to an id that does not exist while the name is held: matching reports it at `id`.
    const live = liveOf({ tenant: [{ id: OTHER, name: 'Acme' }] });
    const plan = computePlan(desiredOf([res('tenant', 'acme', { name: 'Acme' }, { id: PINNED })]), live, opts);
    expect(errors(plan.diagnostics).map((d) => d.where?.path)).toEqual(['id']);
  });
});

describe('against the emulator: a rename into a taken name writes nothing', () => {
  let emu: Emulator;
  let client: ApiClient;
  beforeEach(async () => {
    emu = await startEmulator({ licensed: true });
    client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
  });
  afterEach(async () => {
    await emu.stop();
  });

  const planOf = async (resources: ReturnType<typeof res>[]) => {
    const desired = desiredOf(resources);
    const kinds = [...new Set(resources.map((r) => r.kind))] as KindName[];
    return { desired, plan: computePlan(desired, await fetchLiveState(client, kinds), { ...PLAN, target: emu.url }) };
  };

  it('the plan fails before any write instead of 1 applied, 1 failed on [duplicate]tenant.name', async () => {
    const first = await planOf([res('tenant', 'a', { name: 'A' })]);
    expect((await applyPlan(first.plan, client, { desired: first.desired })).summary).toEqual({ applied: 1, failed: 0, skipped: 0 });
    await client.request({ method: 'POST', path: '/api/tenant', body: { tenant: { name: 'Other' } } });
    const writesBefore = emu.requests.filter((r) => r.method !== 'GET').length;

    // Without the check, `b` would be created and `a`'s rename refused: the apply would stop half-way.
    const next = await planOf([res('tenant', 'a', { name: 'Other' }), res('tenant', 'b', { name: 'B' })]);
    expect(errors(next.plan.diagnostics).map((d) => d.message)).toEqual([expect.stringMatching(/^renaming tenant "A" \(key a, id \S+\) to "Other" would take a name in use: tenant "Other" \(id \S+\) has it and no entry of these files renames it/)]);
    const result = await applyPlan(next.plan, client, { desired: next.desired });
    expect(result.summary).toEqual({ applied: 0, failed: 0, skipped: 2 });
    expect(emu.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
  });
});
