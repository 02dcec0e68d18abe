/**
 * The user and registration kinds' real rules through plan and apply against the emulator (issue 13): a user created
 * once with its password and registrations, found again by id or by its login ids within its tenant, its password and
 * create options never compared (one warning, never a change) unless the entry asks for a reset, its verification
 * state seeded at create and never changed afterwards, registrations matched by (user, application) with roles as a
 * set, the FusionAuth admin application named `fusionauth`, the offline rules, and the safety rules (never deleted, a
 * literal admin password against a remote server warned about).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/core/plan.js';
import { plan } from '../../src/engine.js';
import type { JsonObject } from '../../src/core/types.js';
import { FUSIONAUTH_APP_ID } from '../../src/fusionauth/wire.js';
import { loadConfig } from '../../src/config/load.js';
import { isLoopbackTarget } from '../../src/kinds/user.js';
import { KINDS } from '../../src/kinds/index.js';
import { renderPlanHuman } from '../../src/render/human.js';
import { renderPlanJson } from '../../src/render/json.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { loadErrors, tmpFiles } from '../config/helpers.js';
import { liveOf } from '../core/helpers.js';
import { againstEmulator } from '../support/against-emulator.js';

const { emu, client, files, planOf, applyOf } = againstEmulator();

const ADMIN = (extra = '', registrations = '      - applicationId: fusionauth\n        roles: [admin]\n') => `users:
  - key: admin
    email: Admin@Example.com
    password: "first password 1"
    firstName: Ada
${extra}    registrations:
${registrations}`;

/** Every user the emulator holds (through its search API, as kickstand reads them). */
async function users(): Promise<JsonObject[]> {
  const res = await client().request<JsonObject>({ method: 'POST', path: '/api/user/search', body: { search: { queryString: '*', numberOfResults: 100 } } });
  return (res.body?.users ?? []) as JsonObject[];
}
const userNamed = async (email: string) => (await users()).find((u) => u.email === email)!;

/** `POST /api/login`: the status FusionAuth answers (200/202/212… authenticated, 404 wrong password). */
async function login(loginId: string, password: string): Promise<number> {
  try {
    return (await client().request({ method: 'POST', path: '/api/login', body: { loginId, password, applicationId: FUSIONAUTH_APP_ID }, noRetry: true })).status;
  } catch (e) {
    return (e as { status: number }).status;
  }
}

const changes = (p: { changes: Array<{ action: string; kind: string; key: string }> }) => p.changes.filter((c) => c.action !== 'noop').map((c) => `${c.kind}:${c.key} ${c.action}`);

describe('create, then nothing to do', () => {
  it('creates the user with its password and its registration to the FusionAuth admin application (applicationId: fusionauth), then plans nothing', async () => {
    const { plan } = await applyOf(ADMIN());
    expect(changes(plan)).toEqual(['user:admin create']);
    const admin = await userNamed('admin@example.com');
    expect(admin.firstName).toBe('Ada');
    expect(admin.tenantId).toBe(emu().defaultTenantId);
    expect((admin.registrations as JsonObject[]).map((r) => [r.applicationId, r.roles])).toEqual([[FUSIONAUTH_APP_ID, ['admin']]]);
    expect(await login('admin@example.com', 'first password 1')).toBe(200);
    const again = await planOf(ADMIN());
    expect(changes(again)).toEqual([]);
    expect(again.changes.map((c) => `${c.kind}:${c.key} ${c.match}`)).toEqual(['user:admin derived-id', 'userRegistration:admin/fusionauth child-key']);
  });

  it('a user and registrations to an application of the files: the user goes to the application\'s tenant (no tenantId written)', async () => {
    const yaml = `tenants:
  - key: acme
    name: Acme
applications:
  - key: portal
    name: Portal
    tenantId: acme
    roles:
      - name: viewer
      - name: editor
users:
  - key: bob
    username: bob
    password: "bob password 1"
    registrations:
      - applicationId: portal
        roles: [viewer, editor]
        data: { plan: gold }
`;
    const { plan } = await applyOf(yaml);
    const acme = emu().snapshot().tenants.find((t) => t.name === 'Acme')!.id;
    expect(plan.changes.find((c) => c.kind === 'user')!.tenantId).toBe(acme);
    const bob = (await users()).find((u) => u.username === 'bob')!;
    expect(bob.tenantId).toBe(acme);
    expect(changes(await planOf(yaml))).toEqual([]);
    // Roles are a set: another order is no change.
    expect(changes(await planOf(yaml.replace('[viewer, editor]', '[editor, viewer]')))).toEqual([]);
  });
});

describe('matching', () => {
  it('adopts a user made elsewhere by email, case-insensitively, and compares its declared fields', async () => {
    await client().request({ method: 'POST', path: '/api/user', body: { user: { email: 'admin@example.com', password: 'made elsewhere 1', firstName: 'Someone' } } });
    const p = await planOf(ADMIN());
    const user = p.changes.find((c) => c.kind === 'user')!;
    expect([user.action, user.match]).toEqual(['update', 'adopted-by-name']);
    expect(user.fields.map((f) => [f.path, f.before, f.after])).toEqual([['firstName', 'Someone', 'Ada']]);
    // Its registration is new: the user exists, so it is a change of its own.
    expect(changes(p)).toEqual(['user:admin update', 'userRegistration:admin/fusionauth create']);
  });

  it('by username, then by phone number, when the entry writes no email', async () => {
    await client().request({ method: 'POST', path: '/api/user', body: { user: { username: 'Carol', password: 'carol password 1' } } });
    await client().request({ method: 'POST', path: '/api/user', body: { user: { phoneNumber: '+13035550101', password: 'dave password 1' } } });
    const p = await planOf(`users:
  - key: carol
    username: carol
  - key: dave
    phoneNumber: "+13035550101"
`);
    expect(p.changes.map((c) => `${c.key} ${c.action} ${c.match}`)).toEqual(['carol update adopted-by-name', 'dave noop adopted-by-name']);
    // carol's username differs in case only: compared like any declared field.
    expect(p.changes[0]!.fields.map((f) => [f.path, f.after])).toEqual([['username', 'carol']]);
  });

  it('only within the user\'s tenant: the same email in another tenant is another user', async () => {
    const yaml = `tenants:
  - key: acme
    name: Acme
users:
  - key: ada
    email: ada@example.com
    tenantId: acme
`;
    await client().request({ method: 'POST', path: '/api/user', body: { user: { email: 'ada@example.com', password: 'default tenant 1' } } });
    const p = await planOf(yaml);
    expect(p.changes.map((c) => `${c.kind}:${c.key} ${c.action} ${c.match}`)).toEqual(['tenant:acme create new', 'user:ada create new']);
  });

  it('a pinned id whose login id another user holds is an error, not a failed create', async () => {
    await client().request({ method: 'POST', path: '/api/user', body: { user: { email: 'admin@example.com', password: 'made elsewhere 1' } } });
    const p = await planOf(ADMIN('    id: 0c0f0a1e-5e5e-4c0f-8a11-c0f0a1e5e5e5\n'));
    expect(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      expect.stringContaining('a user with this email already exists with id'),
    ]);
  });
});

describe('passwords and create options are create-only', () => {
  it('a changed password in the file is no change: one warning for the plan, and the password stays', async () => {
    await applyOf(ADMIN('    skipVerification: true\n'));
    const p = await planOf(ADMIN('    skipVerification: true\n').replace('first password 1', 'second password 2'));
    expect(changes(p)).toEqual([]);
    expect(p.diagnostics).toEqual([{
      severity: 'warning',
      message: 'password, skipVerification: used only when kickstand creates a user, so not compared for 1 existing user (admin); write resetPassword: true on an entry to set password again',
      where: { kind: 'user' },
    }]);
    expect(await login('admin@example.com', 'first password 1')).toBe(200);
  });

  it('sendSetPasswordEmail: true without a password creates the user (FusionAuth asks them to set one), then plans nothing', async () => {
    const invited = 'users:\n  - key: invited\n    email: invited@example.com\n    sendSetPasswordEmail: true\n';
    const { plan: p, result } = await applyOf(invited);
    expect(changes(p)).toEqual(['user:invited create']);
    expect(result.summary).toMatchObject({ applied: 1, failed: 0 });
    expect((await userNamed('invited@example.com')).passwordLastUpdateInstant).toBeUndefined();
    expect(changes(await planOf(invited))).toEqual([]);
  });

  it('resetPassword: true sends the password again, shown as a change of the masked password', async () => {
    await applyOf(ADMIN());
    const reset = ADMIN('    resetPassword: true\n').replace('first password 1', 'second password 2');
    const { plan } = await applyOf(reset);
    const user = plan.changes.find((c) => c.kind === 'user')!;
    expect([user.action, user.fields.map((f) => [f.path, f.sensitive])]).toEqual(['update', [['password', true]]]);
    for (const text of [renderPlanHuman(plan, { color: false }), renderPlanJson(plan), renderPlanMarkdown(plan)]) {
      expect(text).toContain('password');
      expect(text).not.toContain('second password 2');
    }
    expect(await login('admin@example.com', 'second password 2')).toBe(200);
  });

  it('the story: after the user changed their own password and name, a second apply changes nothing the file does not declare and never resets the password', async () => {
    const yaml = `users:
  - key: ada
    email: ada@example.com
    password: "seeded password 1"
    data: { team: core }
    registrations:
      - applicationId: fusionauth
        roles: [user_support_viewer]
`;
    await applyOf(yaml);
    const ada = await userNamed('ada@example.com');
    // Out of band: the user renames themselves and changes their password.
    await client().request({ method: 'PATCH', path: `/api/user/${String(ada.id)}`, body: { user: { firstName: 'Ada L.', password: 'my own password 9' } } });
    const { plan } = await applyOf(yaml);
    expect(changes(plan)).toEqual([]);
    expect(emu().requests.filter((r) => r.method !== 'GET' && r.path !== '/api/user/search' && r.path !== '/api/login').map((r) => `${r.method} ${r.path}`).slice(-1)).toEqual([`PATCH /api/user/${String(ada.id)}`]);
    const after = await userNamed('ada@example.com');
    expect(after.firstName).toBe('Ada L.');
    expect(await login('ada@example.com', 'my own password 9')).toBe(200);
    expect(await login('ada@example.com', 'seeded password 1')).toBe(404);
  });
});

describe('verification state is seeded at create, never changed afterwards', () => {
  it('verified: true imports the user with verified identities (reason Import); the next plan changes nothing', async () => {
    const yaml = `users:
  - key: vera
    email: vera@example.com
    phoneNumber: "+13035550199"
    password: "vera password 1"
    verified: true
    registrations:
      - applicationId: fusionauth
        verified: true
`;
    const { plan } = await applyOf(yaml);
    expect(emu().requests.some((r) => r.method === 'POST' && r.path === '/api/user/import')).toBe(true);
    expect(plan.changes.map((c) => c.kind)).toEqual(['user']);
    const vera = await userNamed('vera@example.com');
    expect((vera.identities as JsonObject[]).map((i) => [i.type, i.verified, i.verifiedReason]).sort()).toEqual([
      ['email', true, 'Import'], ['phoneNumber', true, 'Import'],
    ]);
    expect((vera.registrations as JsonObject[])[0]!.verified).toBe(true);
    expect(changes(await planOf(yaml))).toEqual([]);
  });

  it('an unverified phone identity (Pending or Disabled, as the tenant decides) stays as the server keeps it: the plan never "changes" it', async () => {
    const yaml = `users:
  - key: pat
    phoneNumber: "+13035550142"
    password: "pat password 1"
    verified: false
`;
    await applyOf(yaml);
    const pat = (await users()).find((u) => u.phoneNumber === '+13035550142')!;
    const phone = (pat.identities as JsonObject[]).find((i) => i.type === 'phoneNumber')!;
    expect(phone.verified).toBe(false);
    expect(changes(await planOf(yaml))).toEqual([]);
  });
});

describe('registrations', () => {
  it('a registration added to an existing user is created on its own; a role added is a patch of the registration', async () => {
    await applyOf(ADMIN());
    const yaml = ADMIN('', '      - applicationId: fusionauth\n        roles: [admin, user_manager]\n');
    const { plan } = await applyOf(yaml);
    const reg = plan.changes.find((c) => c.kind === 'userRegistration')!;
    expect([reg.action, reg.fields.map((f) => f.path)]).toEqual(['update', ['roles']]);
    const admin = await userNamed('admin@example.com');
    expect(((admin.registrations as JsonObject[])[0]!.roles as string[]).sort()).toEqual(['admin', 'user_manager']);
    expect(changes(await planOf(yaml))).toEqual([]);
  });

  it('a registration the files leave out is left alone', async () => {
    await applyOf(ADMIN());
    const p = await planOf(`users:
  - key: admin
    email: admin@example.com
`);
    expect(changes(p)).toEqual([]);
    expect((await userNamed('admin@example.com')).registrations).toHaveLength(1);
  });
});

describe('offline rules (kickstand validate)', () => {
  const errors = async (yaml: string) => (await loadErrors([join(tmpFiles({ 'k.yaml': yaml }), 'k.yaml')])).errors.map((d) => `${d.where?.path}: ${d.message}`);

  it('a role the application of the files does not declare', async () => {
    expect(await errors(`applications:
  - key: portal
    name: Portal
    roles:
      - name: viewer
users:
  - key: bob
    username: bob
    registrations:
      - applicationId: portal
        roles: [viewer, owner]
`)).toEqual(['users[0].registrations[0].roles[1]: unknown role "owner": application "portal" declares the roles viewer; FusionAuth would refuse the registration']);
  });

  it('a role the FusionAuth admin application does not have', async () => {
    const [e] = await errors(ADMIN('', '      - applicationId: fusionauth\n        roles: [superuser]\n'));
    expect(e).toMatch(/^users\[0\]\.registrations\[0\]\.roles\[0\]: unknown role "superuser": the FusionAuth admin application has the roles acl_deleter, acl_manager, admin, /);
  });

  it('no login id, a phone number not in E.164, a birth date not YYYY-MM-DD, a password beside sendSetPasswordEmail, the same application twice, resetPassword without a password', async () => {
    expect(await errors(`users:
  - key: a
    firstName: Nobody
  - key: b
    phoneNumber: 303-555-1212
    birthDate: 30/05/1976
  - key: d
    username: d
    password: "ignored password 1"
    sendSetPasswordEmail: true
  - key: c
    username: c
    resetPassword: true
    registrations:
      - applicationId: fusionauth
      - applicationId: ${FUSIONAUTH_APP_ID}
`)).toEqual([
      'users[0]: a user needs a login id: email, username or phoneNumber',
      'users[1].phoneNumber: write the phone number in E.164 (for example +13035551212): FusionAuth stores it so, and any other spelling would differ on every plan',
      'users[1].birthDate: must be a date written YYYY-MM-DD',
      'users[2].password: FusionAuth ignores the password of a user created with sendSetPasswordEmail: true (the user sets one from the email): write one or the other',
      'users[3].resetPassword: resetPassword sets the password written in password: write one',
      expect.stringMatching(/^users\[3\]\.registrations\[1\]\.applicationId: the user is registered to this application twice: here and at .*k\.yaml:\d+:\d+; FusionAuth registers a user once per application$/),
    ]);
  });
});

describe('safety', () => {
  it('users are never deleted or replaced: a new tenantId is an error even with --allow-replace', async () => {
    await applyOf(ADMIN());
    const p = await planOf(`tenants:
  - key: acme
    name: Acme
${ADMIN('    tenantId: acme\n')}`, true);
    expect(p.changes.some((c) => c.action === 'replace' || c.action === 'delete')).toBe(false);
    expect(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      expect.stringContaining('tenantId cannot change'),
    ]);
  });

  describe('a literal password for a user of the FusionAuth admin application, against a server not on this machine', () => {
    const planFor = async (yaml: string, target: string, env: Record<string, string> = {}) => {
      const desired = await loadConfig([join(tmpFiles({ 'k.yaml': yaml }), 'k.yaml')], { env });
      const live = liveOf({ tenant: [{ id: '0f3b7a52-6c1e-4d8a-9b2f-5e4d3c2b1a00', name: 'Default' }], user: [] }, { defaultTenantId: '0f3b7a52-6c1e-4d8a-9b2f-5e4d3c2b1a00' });
      return computePlan(desired, live, { target, kinds: KINDS });
    };
    const warnings = (p: Awaited<ReturnType<typeof planFor>>) => p.diagnostics.filter((d) => d.severity === 'warning' && d.message.includes('FusionAuth admin application'));

    it('draws a warning at the password, which it never prints', async () => {
      const [w] = warnings(await planFor(ADMIN(), 'https://auth.example.com'));
      expect(w).toMatchObject({ where: { path: 'password', kind: 'user', key: 'admin' } });
      expect(w!.message).toContain('user "admin" is registered to the FusionAuth admin application with a password written in the file, and https://auth.example.com is not this machine');
      expect(w!.message).not.toContain('first password 1');
    });

    it('not on this machine, nor from the environment, nor for a user of another application', async () => {
      for (const target of ['http://localhost:9011', 'http://127.0.0.1:9011', 'http://[::1]:9011']) expect(warnings(await planFor(ADMIN(), target))).toEqual([]);
      expect(warnings(await planFor(ADMIN().replace('"first password 1"', '"{{env \\"ADMIN_PASSWORD\\"}}"'), 'https://auth.example.com', { ADMIN_PASSWORD: 'from the env 1' }))).toEqual([]);
      expect(warnings(await planFor(ADMIN('', '      - applicationId: 1b2c3d4e-0000-4000-8000-000000000001\n'), 'https://auth.example.com'))).toEqual([]);
      expect(isLoopbackTarget('https://auth.example.com')).toBe(false);
    });
  });
});

describe('a registration created on its own', () => {
  it('takes the id the plan shows (registration.id of the create request)', async () => {
    await applyOf(ADMIN());
    const tenantManager = String(emu().snapshot().applications.find((a) => a.name === 'Tenant manager')!.id);
    const { plan } = await applyOf(ADMIN('', `      - applicationId: fusionauth\n        roles: [admin]\n      - applicationId: ${tenantManager}\n`));
    const created = plan.changes.find((c) => c.kind === 'userRegistration' && c.action === 'create')!;
    const admin = await userNamed('admin@example.com');
    expect((admin.registrations as JsonObject[]).find((r) => r.applicationId === tenantManager)?.id).toBe(created.id);
  });
});

describe('active', () => {
  it('active: false deactivates (a DELETE without hardDelete: the user stays), active: true reactivates; each converges', async () => {
    const yaml = (active: boolean) => `users:
  - key: ada
    email: ada@example.com
    password: "ada password 1"
    active: ${active}
`;
    await applyOf(yaml(false));
    const ada = await userNamed('ada@example.com');
    expect(ada.active).toBe(false);
    expect(emu().requests.filter((r) => r.method === 'DELETE').map((r) => `${r.path}?${r.query}`)).toEqual([`/api/user/${String(ada.id)}?`]);
    expect(changes(await planOf(yaml(false)))).toEqual([]);
    const { plan } = await applyOf(yaml(true));
    expect(plan.changes[0]!.fields.map((f) => [f.path, f.before, f.after])).toEqual([['active', false, true]]);
    expect((await userNamed('ada@example.com')).active).toBe(true);
    expect(emu().requests.some((r) => r.method === 'PUT' && r.query === 'reactivate=true')).toBe(true);
    expect(changes(await planOf(yaml(true)))).toEqual([]);
    await applyOf(yaml(false));
    expect((await userNamed('ada@example.com')).active).toBe(false);
  });
});

describe('unmanaged users', () => {
  it('are listed with --show-unmanaged as the files\' users would be, none of them built-in', async () => {
    await client().request({ method: 'POST', path: '/api/user', body: { user: { email: 'stranger@example.com', password: 'made elsewhere 1' } } });
    const out = await plan({ files: [files(ADMIN())], load: { env: {} }, client: client(), showUnmanaged: true });
    expect((out.plan.unmanaged ?? []).filter((u) => u.kind === 'user').map((u) => [u.name, u.builtIn ?? false])).toEqual([['stranger@example.com', false]]);
  });
});

describe('a user of another tenant than the Default', () => {
  it('is updated and registered later like any other (the registration API finds the user by id: its tenant header is optional, docs _x-fusionauth-tenant-id-header-scoped-operation.mdx)', async () => {
    const yaml = (roles: string, more = '') => `tenants:
  - key: acme
    name: Acme
applications:
  - key: portal
    name: Portal
    tenantId: acme
    roles:
      - name: viewer
      - name: editor
  - key: shop
    name: Shop
    tenantId: acme
users:
  - key: bob
    username: bob
    tenantId: acme
    password: "bob password 1"
    registrations:
      - applicationId: portal
        roles: ${roles}
${more}`;
    await applyOf(yaml('[viewer]'));
    const { plan } = await applyOf(yaml('[viewer, editor]', '      - applicationId: shop\n'));
    expect(changes(plan)).toEqual(['userRegistration:bob/portal update', 'userRegistration:bob/shop create']);
    expect(changes(await planOf(yaml('[viewer, editor]', '      - applicationId: shop\n')))).toEqual([]);
  });
});

describe('a registration without its application', () => {
  it('is a schema error at the registration, not an entry silently left out (a role without a name too)', async () => {
    const { errors } = await loadErrors([join(tmpFiles({ 'k.yaml': `applications:
  - key: portal
    name: Portal
    roles:
      - description: no name
users:
  - key: bob
    username: bob
    registrations:
      - roles: [viewer]
` }), 'k.yaml')]);
    expect(errors.map((d) => d.where?.path)).toEqual(['applications[0].roles[0]', 'users[0].registrations[0]']);
    expect(errors.map((d) => d.message).join('\n')).toMatch(/name[\s\S]*applicationId/);
  });
});

describe('the tenant of a user registered to an application the files do not declare', () => {
  it('is left to the server (no tenant header: FusionAuth takes the application\'s, reference §13), not assumed to be the Default tenant', async () => {
    const acme = await client().request<JsonObject>({ method: 'POST', path: '/api/tenant', body: { tenant: { name: 'Acme' } } });
    const tenantId = String((acme.body!.tenant as JsonObject).id);
    const app = await client().request<JsonObject>({ method: 'POST', path: '/api/application', body: { application: { name: 'Elsewhere' } }, tenantId });
    const appId = String((app.body!.application as JsonObject).id);
    const yaml = `users:
  - key: eve
    email: eve@example.com
    password: "eve password 1"
    registrations:
      - applicationId: ${appId}
`;
    const { plan } = await applyOf(yaml);
    expect(plan.changes[0]!.tenantId).toBeUndefined();
    expect((await userNamed('eve@example.com')).tenantId).toBe(tenantId);
    expect(changes(await planOf(yaml))).toEqual([]);
  });
});
