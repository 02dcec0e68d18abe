import { describe, expect, it } from 'vitest';
import { derivedId } from '../../src/core/match.js';
import { computePlan } from '../../src/core/plan.js';
import type { DesiredResource, JsonObject } from '../../src/core/types.js';
import { FUSIONAUTH_APP_ID } from '../../src/fusionauth/wire.js';
import { DEFAULT_TENANT, desiredOf, liveOf, NS, PLAN, res } from './helpers.js';

const opts = { ...PLAN, target: 'http://localhost:9011' };
const id = (kind: string, key: string) => derivedId(kind, key, NS);

function scenario(): DesiredResource[] {
  return [
    res('application', 'web', { name: 'Web', roles: [{ name: 'admin', isSuperRole: true }] }),
    res('tenant', 'acme', {
      name: 'Acme',
      phoneConfiguration: { messengerId: 'sms', verificationTemplateId: 'verify', verifyPhoneNumber: true, unverified: { behavior: 'Gated' } },
    }, {
      refs: [{ path: 'phoneConfiguration.messengerId', kind: 'messenger', key: 'sms' }, { path: 'phoneConfiguration.verificationTemplateId', kind: 'messageTemplate', key: 'verify' }],
      lines: { phoneConfiguration: 20, 'phoneConfiguration.unverified.behavior': 24 },
    }),
    res('messageTemplate', 'verify', { name: 'Verify', type: 'SMS', defaultTemplate: 'Code ${code}' }),
    res('messenger', 'sms', { name: 'SMS', type: 'Twilio', url: 'https://api.twilio.com', accountSID: 'AC1', authToken: 'tw-secret-token', fromPhoneNumber: '+15550100' }),
  ];
}

const adminApp = { id: FUSIONAUTH_APP_ID, name: 'FusionAuth', tenantId: DEFAULT_TENANT, active: true };

describe('computePlan', () => {
  it('creates everything in dependency order with ids in the path, not the body, and references resolved', () => {
    const desired = desiredOf(scenario(), ['tw-secret-token']);
    const plan = computePlan(desired, liveOf({ messenger: [], messageTemplate: [], tenant: [], application: [adminApp] }, { defaultTenantId: DEFAULT_TENANT }), opts);
    expect(plan.diagnostics).toEqual([]);
    expect(plan.changes.map((c) => `${c.level} ${c.kind} ${c.key} ${c.action} ${c.match}`)).toEqual([
      '0 messenger sms create new', '0 messageTemplate verify create new', '1 tenant acme create new', '2 application web create new',
    ]);
    expect(plan.summary).toEqual({ create: 4, update: 0, replace: 0, delete: 0, noop: 0 });
    const tenant = plan.changes[2]!;
    expect(tenant.id).toBe(id('tenant', 'acme'));
    expect(tenant.after).not.toHaveProperty('id');
    expect(tenant.after).toMatchObject({ phoneConfiguration: { messengerId: id('messenger', 'sms'), verificationTemplateId: id('messageTemplate', 'verify') } });
    const app = plan.changes[3]!;
    // An application without tenantId goes to the Default tenant, sent as X-FusionAuth-TenantId.
    expect(app.tenantId).toBe(DEFAULT_TENANT);
    expect(app.after).toEqual({ name: 'Web', roles: [{ name: 'admin', isSuperRole: true }] });
    expect(plan.changes[0]!.fields.find((f) => f.path === 'authToken')).toEqual({ path: 'authToken', after: 'tw-secret-token', sensitive: true });
  });

  it('is all noop against live objects that already hold the desired values plus server defaults', () => {
    const desired = desiredOf(scenario());
    const live = liveOf({
      messenger: [{ id: id('messenger', 'sms'), name: 'SMS', type: 'Twilio', url: 'https://api.twilio.com', accountSID: 'AC1', authToken: 'tw-secret-token', fromPhoneNumber: '+15550100', messageTypes: ['SMS'], transport: 'sms', debug: false }],
      messageTemplate: [{ id: id('messageTemplate', 'verify'), name: 'Verify', type: 'SMS', defaultTemplate: 'Code ${code}', insertInstant: 1 }],
      tenant: [{
        id: id('tenant', 'acme'), name: 'Acme', issuer: 'acme.com', configured: true,
        phoneConfiguration: { messengerId: id('messenger', 'sms'), verificationTemplateId: id('messageTemplate', 'verify'), verifyPhoneNumber: true, verificationStrategy: 'ClickableLink', unverified: { behavior: 'Gated' } },
      }],
      application: [adminApp, { id: id('application', 'web'), name: 'Web', tenantId: DEFAULT_TENANT, active: true, roles: [{ id: 'b0000000-0000-4000-8000-000000000001', name: 'admin', isSuperRole: true, isDefault: false }], oauthConfiguration: { clientId: id('application', 'web') } }],
    }, { defaultTenantId: DEFAULT_TENANT });
    const plan = computePlan(desired, live, opts);
    expect(plan.diagnostics).toEqual([]);
    expect(plan.changes.every((c) => c.action === 'noop')).toBe(true);
    expect(plan.summary.noop).toBe(5);
    expect(plan.changes.map((c) => c.match)).toEqual(['derived-id', 'derived-id', 'derived-id', 'derived-id', 'child-key']);
  });

  it('updates one nested field with a merge patch, adopts by name, and plans a role change as a child of its application', () => {
    const desired = desiredOf(scenario());
    const tenantLive = {
      id: 'c0000000-0000-4000-8000-0000000000aa', name: 'Acme',
      phoneConfiguration: { messengerId: id('messenger', 'sms'), verificationTemplateId: id('messageTemplate', 'verify'), verifyPhoneNumber: true, unverified: { behavior: 'Allow' } },
    };
    const live = liveOf({
      messenger: [{ id: id('messenger', 'sms'), name: 'SMS', type: 'Twilio', url: 'https://api.twilio.com', accountSID: 'AC1', authToken: 'tw-secret-token', fromPhoneNumber: '+15550100' }],
      messageTemplate: [{ id: id('messageTemplate', 'verify'), name: 'Verify', type: 'SMS', defaultTemplate: 'Code ${code}' }],
      tenant: [tenantLive],
      application: [adminApp, { id: id('application', 'web'), name: 'Web', tenantId: DEFAULT_TENANT, roles: [{ id: 'b0000000-0000-4000-8000-000000000001', name: 'admin', isSuperRole: false }] }],
    }, { defaultTenantId: DEFAULT_TENANT });
    const plan = computePlan(desired, live, opts);
    expect(plan.diagnostics).toEqual([]);
    const t = plan.changes.find((c) => c.kind === 'tenant')!;
    expect(t).toMatchObject({ action: 'update', match: 'adopted-by-name', id: 'c0000000-0000-4000-8000-0000000000aa', after: { phoneConfiguration: { unverified: { behavior: 'Gated' } } } });
    expect(t.before).toEqual(tenantLive);
    expect(t.before).not.toBe(tenantLive);
    const app = plan.changes.find((c) => c.kind === 'application')!;
    expect(app.action).toBe('noop');
    const role = plan.changes.find((c) => c.kind === 'applicationRole')!;
    expect(role).toMatchObject({
      action: 'update', key: 'web/admin', title: 'application role', match: 'child-key', id: 'b0000000-0000-4000-8000-000000000001',
      parent: { kind: 'application', key: 'web', id: app.id }, after: { isSuperRole: true }, level: app.level + 1,
    });
    expect(plan.summary).toEqual({ create: 0, update: 2, replace: 0, delete: 0, noop: 3 });
  });

  it('matches roles by name within their application: new ones are created, changed ones patched, unmentioned ones left alone; a new application carries its roles', () => {
    const live = liveOf({
      tenant: [],
      application: [adminApp, {
        id: id('application', 'web'), name: 'Web', tenantId: DEFAULT_TENANT, roles: [
          { id: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'admin', description: 'Admins', isDefault: false, isSuperRole: true, insertInstant: 1 },
          { id: 'a1b2c3d4-0000-4000-8000-000000000002', name: 'viewer', isDefault: true, isSuperRole: false },
          { id: 'a1b2c3d4-0000-4000-8000-000000000003', name: 'legacy', isDefault: false, isSuperRole: false },
        ],
      }],
    }, { defaultTenantId: DEFAULT_TENANT });
    const desired = desiredOf([
      res('application', 'web', { name: 'Web', roles: [{ name: 'viewer', isDefault: true }, { name: 'admin', description: 'Administrators' }, { name: 'editor', description: 'Edits', isDefault: null }] }),
      res('application', 'mobile', { name: 'Mobile', roles: [{ name: 'user', isDefault: true }] }),
    ]);
    const plan = computePlan(desired, live, opts);
    expect(plan.diagnostics).toEqual([]);
    const roles = plan.changes.filter((c) => c.kind === 'applicationRole').map((c) => ({ action: c.action, key: c.key, after: c.after, fields: c.fields }));
    expect(roles).toEqual([
      { action: 'update', key: 'web/admin', after: { description: 'Administrators' }, fields: [{ path: 'description', before: 'Admins', after: 'Administrators', sensitive: false }] },
      { action: 'create', key: 'web/editor', after: { name: 'editor', description: 'Edits' }, fields: [{ path: 'name', after: 'editor', sensitive: false }, { path: 'description', after: 'Edits', sensitive: false }] },
      { action: 'noop', key: 'web/viewer', after: undefined, fields: [] },
    ]);
    // The new application's role travels in its create body: no change of its own.
    const mobile = plan.changes.find((c) => c.key === 'mobile')!;
    expect(mobile).toMatchObject({ action: 'create', after: { name: 'Mobile', roles: [{ name: 'user', isDefault: true }] } });
    expect(plan.changes.some((c) => c.key === 'mobile/user')).toBe(false);
  });

  it('makes a changed immutable field an error explaining why, or a replace with allowReplace', () => {
    const desired = desiredOf([res('messenger', 'sms', { name: 'SMS', type: 'Generic', url: 'https://x', connectTimeout: 1000, readTimeout: 1000 }, { lines: { type: 4 } })]);
    const live = liveOf({ messenger: [{ id: id('messenger', 'sms'), name: 'SMS', type: 'Twilio', url: 'https://x' }] });
    const plan = computePlan(desired, live, opts);
    expect(plan.diagnostics).toHaveLength(1);
    expect(plan.diagnostics[0]).toMatchObject({ severity: 'error', where: { line: 4, path: 'type', kind: 'messenger', key: 'sms' } });
    expect(plan.diagnostics[0]!.message).toContain("type cannot change from \"Twilio\" to \"Generic\": FusionAuth fixes a messenger's type when it is created");
    expect(plan.diagnostics[0]!.message).toContain('--allow-replace');

    const replace = computePlan(desired, live, { ...opts, allowReplace: true });
    expect(replace.diagnostics).toEqual([]);
    expect(replace.changes[0]).toMatchObject({ action: 'replace', after: { name: 'SMS', type: 'Generic', url: 'https://x', connectTimeout: 1000, readTimeout: 1000 } });
    expect(replace.summary.replace).toBe(1);
  });

  it('never replaces a protected object (the FusionAuth admin application)', () => {
    const desired = desiredOf([res('application', 'fa', { name: 'FusionAuth', tenantId: 'c0000000-0000-4000-8000-0000000000aa' }, { id: FUSIONAUTH_APP_ID })]);
    const plan = computePlan(desired, liveOf({ application: [adminApp] }, { defaultTenantId: DEFAULT_TENANT }), { ...opts, allowReplace: true });
    expect(plan.changes[0]!.action).toBe('update');
    expect(plan.diagnostics[0]!.message).toMatch(/tenantId cannot change .*protected/);
  });

  it('reports features the server version lacks and merge patch on servers before 1.39, at the written position', () => {
    const desired = desiredOf([res('messenger', 'sms', { name: 'SMS', type: 'Twilio', messageTypes: ['SMS'] }, { lines: { messageTypes: 9 } })]);
    const old = computePlan(desired, liveOf({ messenger: [] }, { serverVersion: '1.60.2' }), opts);
    expect(old.diagnostics).toEqual([{ severity: 'error', message: 'messageTypes needs FusionAuth 1.65.0 or later; the server runs 1.60.2', where: { file: 'kickstand.yaml', line: 9, column: 5, path: 'messageTypes', kind: 'messenger', key: 'sms' } }]);
    expect(computePlan(desired, liveOf({ messenger: [] }, { serverVersion: '1.65.0' }), opts).diagnostics).toEqual([]);
    const update = desiredOf([res('messageTemplate', 't', { name: 'T', type: 'SMS', defaultTemplate: 'new' })]);
    const ancient = computePlan(update, liveOf({ messageTemplate: [{ id: id('messageTemplate', 't'), name: 'T', type: 'SMS', defaultTemplate: 'old' }] }, { serverVersion: '1.38.1' }), opts);
    expect(ancient.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('merge patch')]);
  });

  it('reports license-gated settings when the server is unlicensed, only for resources that write', () => {
    const desired = desiredOf(scenario());
    const unlicensed = computePlan(desired, liveOf({ messenger: [], messageTemplate: [], tenant: [], application: [adminApp] }, { licensed: false, defaultTenantId: DEFAULT_TENANT }), opts);
    expect(unlicensed.diagnostics).toHaveLength(1);
    expect(unlicensed.diagnostics[0]).toMatchObject({ severity: 'error', where: { line: 24, path: 'phoneConfiguration.unverified.behavior', kind: 'tenant', key: 'acme' } });
    expect(unlicensed.diagnostics[0]!.message).toMatch(/license/);
  });

  it('reports a reference to an undeclared key', () => {
    const desired = desiredOf([res('tenant', 'acme', { name: 'Acme', phoneConfiguration: { messengerId: 'nope' } }, { refs: [{ path: 'phoneConfiguration.messengerId', kind: 'messenger', key: 'nope' }] })]);
    const plan = computePlan(desired, liveOf({ tenant: [] }), opts);
    expect(plan.diagnostics[0]!.message).toContain('messenger "nope"');
  });

  it('does not mutate the desired or the live state', () => {
    const desired = desiredOf(scenario());
    const live = liveOf({ messenger: [{ id: id('messenger', 'sms'), name: 'SMS', type: 'Twilio' }], messageTemplate: [], tenant: [], application: [adminApp] }, { defaultTenantId: DEFAULT_TENANT });
    const before = JSON.stringify({ r: desired.resources.map((r) => [r.body, r.refs]), live });
    const plan = computePlan(desired, live, opts);
    (plan.changes[0]!.after as JsonObject).url = 'mutated';
    expect(JSON.stringify({ r: desired.resources.map((r) => [r.body, r.refs]), live })).toBe(before);
  });

  it('is deterministic', () => {
    const live = liveOf({ messenger: [], messageTemplate: [], tenant: [], application: [adminApp] }, { defaultTenantId: DEFAULT_TENANT });
    const resources = scenario();
    expect(computePlan(desiredOf(resources), live, opts)).toEqual(computePlan(desiredOf([...resources].reverse()), live, opts));
  });
});
