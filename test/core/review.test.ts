/**
 * What a plan tells its reviewer besides the changes: the consequences of a replace or a delete (from the kinds), the
 * live objects the files do not manage (`showUnmanaged`), and the names of the objects its messages refer to.
 */
import { describe, expect, it } from 'vitest';
import { annotateIds, ObjectDirectory, planIdLabels } from '../../src/core/describe.js';
import { derivedId } from '../../src/core/match.js';
import { computePlan } from '../../src/core/plan.js';
import type { JsonObject } from '../../src/core/types.js';
import { FUSIONAUTH_APP_ID } from '../../src/fusionauth/wire.js';
import { KINDS } from '../../src/kinds/index.js';
import { DEFAULT_TENANT, desiredOf, liveOf, NS, PLAN, res } from './helpers.js';

const opts = { ...PLAN, target: 'http://localhost:9011' };
const id = (kind: string, key: string) => derivedId(kind, key, NS);
const adminApp = { id: FUSIONAUTH_APP_ID, name: 'FusionAuth', tenantId: DEFAULT_TENANT, active: true };
const defaultTenant = { id: DEFAULT_TENANT, name: 'Default' };
const twilio = { type: 'Twilio', url: 'https://api.twilio.com', accountSID: 'AC1', authToken: 'tok-123456', fromPhoneNumber: '+15550100' };

describe('consequences', () => {
  it('a replace carries its kind\'s replace consequence; creates, updates and noops carry none', () => {
    const live = liveOf({
      tenant: [defaultTenant, { id: id('tenant', 'acme'), name: 'Acme' }],
      application: [adminApp, { id: id('application', 'web'), name: 'Web', tenantId: DEFAULT_TENANT, active: true }],
      messenger: [{ id: id('messenger', 'sms'), name: 'SMS', type: 'Generic', url: 'https://relay.example', connectTimeout: 1, readTimeout: 1 }],
    }, { defaultTenantId: DEFAULT_TENANT });
    const plan = computePlan(desiredOf([
      res('tenant', 'acme', { name: 'Acme', data: { x: 1 } }),
      res('application', 'web', { name: 'Web', tenantId: 'acme' }, { refs: [{ path: 'tenantId', kind: 'tenant', key: 'acme' }] }),
      res('messenger', 'sms', { name: 'SMS', ...twilio }),
      res('messenger', 'new', { name: 'New', ...twilio }),
    ]), live, { ...opts, allowReplace: true });
    expect(plan.diagnostics).toEqual([]);
    const byKey = new Map(plan.changes.map((c) => [c.key, c]));
    const kind = (n: string) => KINDS.find((k) => k.name === n)!;
    expect(byKey.get('web')).toMatchObject({ action: 'replace', consequence: kind('application').consequences!.replace });
    expect(byKey.get('sms')).toMatchObject({ action: 'replace', consequence: kind('messenger').consequences!.replace });
    expect(byKey.get('web')!.consequence).toMatch(/registration/);
    for (const key of ['acme', 'new']) expect(byKey.get(key)!.consequence, key).toBeUndefined();
  });

  it('a replace of a kind that says only what its delete does shows that (a replace deletes first)', () => {
    const messenger = KINDS.find((k) => k.name === 'messenger')!;
    const kinds = KINDS.map((k) => (k === messenger ? { ...k, consequences: { delete: 'deleting it stops the messages' } } : k));
    const live = liveOf({ messenger: [{ id: id('messenger', 'sms'), name: 'SMS', type: 'Generic' }] });
    const plan = computePlan(desiredOf([res('messenger', 'sms', { name: 'SMS', ...twilio })]), live, { ...opts, kinds, allowReplace: true });
    expect(plan.changes[0]).toMatchObject({ action: 'replace', consequence: 'deleting it stops the messages' });
  });

  it('each consequence is written as sentences for the plan (a capital first, a full stop last, one line)', () => {
    const texts = KINDS.flatMap((k) => [k.consequences?.delete, k.consequences?.replace].filter((t): t is string => t !== undefined).map((t) => [k.name, t] as const));
    expect(texts.length).toBeGreaterThan(0);
    for (const [name, t] of texts) expect(t, name).toMatch(/^[A-Z][^\n]*\.$/);
  });
});

describe('unmanaged objects (showUnmanaged)', () => {
  const role = (rid: string, name: string) => ({ id: rid, name, isDefault: false, isSuperRole: false });
  const live = () => liveOf({
    tenant: [defaultTenant, { id: id('tenant', 'acme'), name: 'Acme' }, { id: '4b0c1d2e-0000-4000-8000-0000000000a1', name: 'Zeta' }, { id: '4b0c1d2e-0000-4000-8000-0000000000a2', name: 'Beta' }],
    application: [
      adminApp,
      { id: id('application', 'web'), name: 'Web', tenantId: id('tenant', 'acme'), active: true, roles: [role('6c000000-0000-4000-8000-000000000001', 'admin'), role('6c000000-0000-4000-8000-000000000002', 'legacy')] },
      { id: '6d000000-0000-4000-8000-000000000001', name: 'Old', tenantId: DEFAULT_TENANT, active: false, state: 'Inactive', roles: [role('6c000000-0000-4000-8000-000000000003', 'x')] },
    ],
  }, { defaultTenantId: DEFAULT_TENANT });
  const files = () => desiredOf([
    res('tenant', 'acme', { name: 'Acme' }),
    res('application', 'web', { name: 'Web', tenantId: 'acme', roles: [{ name: 'admin' }] }, { refs: [{ path: 'tenantId', kind: 'tenant', key: 'acme' }] }),
  ]);

  it('lists the unmatched live objects of the declared kinds and the unmentioned roles of managed applications, built-in and inactive ones marked', () => {
    const plan = computePlan(files(), live(), { ...opts, showUnmanaged: true });
    expect(plan.diagnostics).toEqual([]);
    expect(plan.unmanaged).toEqual([
      { kind: 'tenant', title: 'tenant', id: '4b0c1d2e-0000-4000-8000-0000000000a2', name: 'Beta' },
      { kind: 'tenant', title: 'tenant', id: DEFAULT_TENANT, name: 'Default', builtIn: true },
      { kind: 'tenant', title: 'tenant', id: '4b0c1d2e-0000-4000-8000-0000000000a1', name: 'Zeta' },
      { kind: 'application', title: 'application', id: FUSIONAUTH_APP_ID, name: 'FusionAuth', builtIn: true },
      { kind: 'application', title: 'application', id: '6d000000-0000-4000-8000-000000000001', name: 'Old', inactive: true },
      // The role of the inactive application, which no entry manages, goes with it: only a managed parent's are listed.
      {
        kind: 'applicationRole', title: 'application role', id: '6c000000-0000-4000-8000-000000000002', name: 'legacy',
        parent: { kind: 'application', title: 'application', key: 'web', id: id('application', 'web') },
      },
    ]);
    expect(plan.unmanagedUnknown).toBeUndefined();
  });

  it('is absent without the option, and empty when the files manage every live object of their kinds', () => {
    expect(computePlan(files(), live(), opts).unmanaged).toBeUndefined();
    const onlyAcme = liveOf({ tenant: [{ id: id('tenant', 'acme'), name: 'Acme' }] });
    expect(computePlan(desiredOf([res('tenant', 'acme', { name: 'Acme' })]), onlyAcme, { ...opts, showUnmanaged: true }).unmanaged).toEqual([]);
  });

  it('leaves out the roles of an application the plan replaces: the replace does not keep them', () => {
    const moved = desiredOf([
      res('tenant', 'acme', { name: 'Acme' }),
      res('application', 'web', { name: 'Web', roles: [{ name: 'admin' }] }),
    ]);
    const plan = computePlan(moved, live(), { ...opts, showUnmanaged: true, allowReplace: true });
    expect(plan.changes.find((c) => c.key === 'web')!.action).toBe('replace');
    expect(plan.unmanaged!.filter((u) => u.kind === 'applicationRole')).toEqual([]);
  });

  it('says which declared kinds cannot be listed (their unmanaged objects are unknown) instead of listing none', () => {
    const state = { ...liveOf({ messenger: [{ id: id('messenger', 'sms'), name: 'SMS', ...twilio }] }), addressedOnly: ['messenger'] };
    const plan = computePlan(desiredOf([res('messenger', 'sms', { name: 'SMS', ...twilio })]), state, { ...opts, showUnmanaged: true });
    expect(plan.unmanaged).toEqual([]);
    expect(plan.unmanagedUnknown).toEqual([{ kind: 'messenger', title: 'messenger' }]);
  });
});

describe('names instead of bare ids in messages', () => {
  it('an application\'s tenant change names both tenants: the live one by name, the entry\'s by name and key', () => {
    const live = liveOf({
      tenant: [defaultTenant, { id: id('tenant', 'acme'), name: 'Acme Corp' }],
      application: [adminApp, { id: id('application', 'web'), name: 'Web', tenantId: DEFAULT_TENANT, active: true }],
    }, { defaultTenantId: DEFAULT_TENANT });
    const plan = computePlan(desiredOf([
      res('tenant', 'acme', { name: 'Acme Corp' }),
      res('application', 'web', { name: 'Web', tenantId: 'acme' }, { refs: [{ path: 'tenantId', kind: 'tenant', key: 'acme' }] }),
    ]), live, opts);
    expect(plan.diagnostics.map((d) => d.message)).toEqual([
      `tenantId cannot change from tenant "Default" (id ${DEFAULT_TENANT}) to tenant "Acme Corp" (key acme, id ${id('tenant', 'acme')}): ` +
        "FusionAuth copies an application's tenant from the stored object on every update; an application cannot move between tenants. " +
        'Run with --allow-replace to delete the application and create it again (its id is kept).',
    ]);
  });

  it('a tenant to be created is named by its entry; one the plan did not read is shown by its id', () => {
    const unknown = '7a7a7a7a-0000-4000-8000-000000000007';
    const live = liveOf({ tenant: [], application: [adminApp, { id: id('application', 'web'), name: 'Web', tenantId: unknown, active: true }] }, { defaultTenantId: DEFAULT_TENANT });
    const plan = computePlan(desiredOf([
      res('tenant', 'fresh', { name: 'Fresh' }),
      res('application', 'web', { name: 'Web', tenantId: 'fresh' }, { refs: [{ path: 'tenantId', kind: 'tenant', key: 'fresh' }] }),
    ]), live, opts);
    expect(plan.diagnostics[0]!.message).toMatch(new RegExp(`^tenantId cannot change from tenant ${unknown} to tenant "Fresh" \\(key fresh, id ${id('tenant', 'fresh')}\\):`));
  });

  it('a soft-deleted application is named in the error that refuses to update it', () => {
    const live = liveOf({ application: [{ id: id('application', 'web'), name: 'Old web', tenantId: DEFAULT_TENANT, active: false }] }, { defaultTenantId: DEFAULT_TENANT });
    const plan = computePlan(desiredOf([res('application', 'web', { name: 'Web' })]), live, opts);
    expect(plan.diagnostics[0]!.message).toMatch(new RegExp(`^application "Old web" \\(id ${id('application', 'web')}\\) is soft-deleted`));
  });

  it('ObjectDirectory: an entry by name and key, a live object by name, a kind-only or unknown id by itself', () => {
    const live: Record<string, JsonObject[]> = { tenant: [{ id: DEFAULT_TENANT.toUpperCase(), name: 'Default' }] };
    const dir = new ObjectDirectory([{ kind: 'tenant', key: 'acme', id: id('tenant', 'acme'), name: 'Acme' }, { kind: 'tenant', key: 'bare', id: id('tenant', 'bare') }], { objects: live }, KINDS);
    expect(dir.describe('tenant', id('tenant', 'acme'))).toBe(`tenant "Acme" (key acme, id ${id('tenant', 'acme')})`);
    expect(dir.describe('tenant', id('tenant', 'bare'))).toBe(`tenant bare (id ${id('tenant', 'bare')})`);
    expect(dir.describe('tenant', DEFAULT_TENANT)).toBe(`tenant "Default" (id ${DEFAULT_TENANT})`);
    expect(dir.describe('messenger', DEFAULT_TENANT)).toBe(`messenger ${DEFAULT_TENANT}`);
    expect(dir.describe(undefined, 'not-a-uuid')).toBe('"not-a-uuid"');
    expect(dir.value('tenant', 42)).toBe('42');
  });

  it('annotateIds: each id of a server message that names an object of the plan is followed by what it is', () => {
    const plan = computePlan(desiredOf([res('tenant', 'acme', { name: 'Acme' })]), liveOf({ tenant: [] }), opts);
    const labels = planIdLabels(plan);
    const acme = id('tenant', 'acme');
    expect(annotateIds(`The messenger is used by the tenants [${acme.toUpperCase()}, 7a7a7a7a-0000-4000-8000-000000000007].`, labels))
      .toBe(`The messenger is used by the tenants [${acme.toUpperCase()} (tenant "Acme", key acme), 7a7a7a7a-0000-4000-8000-000000000007].`);
    expect(annotateIds('no ids here', labels)).toBe('no ids here');
  });
});
