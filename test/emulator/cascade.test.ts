/**
 * What goes with a deleted object in other collections (state.ts `Cascade`), over real HTTP: a tenant's users, a
 * hard-deleted application's registrations and refresh tokens, a deleted role's grants. Each rule cites its source.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { start, type Client } from './helpers.js';

let c: Client | undefined;
let dir: string | undefined;
afterEach(async () => {
  await c?.e.stop();
  c = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const PASSWORD = 'password';

/** Create an application (in the given tenant) with roles admin and user; returns its id. */
async function app(c: Client, name: string, tenantId?: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await c.post('/api/application', { application: { name, roles: [{ name: 'admin' }, { name: 'user' }], ...extra } }, tenantId ? { tenantId } : {});
  expect(r.status, r.text).toBe(200);
  return r.body.application.id as string;
}

/** Create a user registered to `appId` with `roles`; returns the user id. */
async function registered(c: Client, email: string, appId: string, roles: string[], tenantId?: string): Promise<string> {
  const r = await c.post('/api/user/registration', { user: { email, password: PASSWORD }, registration: { applicationId: appId, roles } }, tenantId ? { tenantId } : {});
  expect(r.status, r.text).toBe(200);
  return r.body.user.id as string;
}

describe('a tenant delete takes its users (decompiled DefaultTenantService.delete → userService.deleteAllByTenantId; OpenAPI: "everything under the tenant (applications, users, etc)")', () => {
  it('removes the tenant\'s users and their registrations, and leaves other tenants\' users alone', async () => {
    c = await start();
    const t = await c.post('/api/tenant', { tenant: { name: 'Doomed' } });
    expect(t.status, t.text).toBe(200);
    const tenantId = t.body.tenant.id as string;
    const doomedApp = await app(c, 'Doomed app', tenantId);
    const doomed = await registered(c, 'doomed@example.com', doomedApp, ['admin'], tenantId);
    const plain = await c.post('/api/user', { user: { email: 'plain@example.com', password: PASSWORD } }, { tenantId });
    expect(plain.status, plain.text).toBe(200);
    const keptApp = await app(c, 'Kept app', c.e.defaultTenantId);
    const kept = await registered(c, 'kept@example.com', keptApp, ['user'], c.e.defaultTenantId);

    const del = await c.del(`/api/tenant/${tenantId}`);
    expect(del.status, del.text).toBe(200);
    for (const id of [doomed, plain.body.user.id as string]) {
      const gone = await c.get(`/api/user/${id}`);
      expect(gone.status).toBe(404);
      expect(gone.text).toBe('');
    }
    const search = await c.get(`/api/user/search?ids=${doomed}&ids=${kept}`);
    expect(search.status, search.text).toBe(200);
    expect((search.body.users as Array<{ id: string }>).map((u) => u.id)).toEqual([kept]);
    const stillThere = await c.get(`/api/user/registration/${kept}/${keptApp}`);
    expect(stillThere.status).toBe(200);
  });

  it('an async delete (?async=true) takes them once it completes', async () => {
    let now = 1_700_000_000_000;
    c = await start({ now: () => now, asyncDeleteMs: 1000 });
    const t = await c.post('/api/tenant', { tenant: { name: 'Later' } });
    const tenantId = t.body.tenant.id as string;
    const user = await c.post('/api/user', { user: { email: 'later@example.com', password: PASSWORD } }, { tenantId });
    const userId = user.body.user.id as string;
    expect((await c.del(`/api/tenant/${tenantId}?async=true`)).status).toBe(202);
    // Still pending: the user is there.
    expect((await c.get(`/api/user/${userId}`)).status).toBe(200);
    now += 1000;
    expect((await c.get(`/api/user/${userId}`)).status).toBe(404);
  });
});

describe('an application hard delete takes every registration to it (decompiled DefaultApplicationService.delete → userMapper.deleteRegistrationsForApplication; OpenAPI hardDelete description)', () => {
  it('removes the registration from every user, leaves their other registrations and the users themselves', async () => {
    c = await start();
    const doomedApp = await app(c, 'Doomed');
    const otherApp = await app(c, 'Other');
    const a = await registered(c, 'a@example.com', doomedApp, ['admin']);
    const b = await registered(c, 'b@example.com', doomedApp, ['user']);
    expect((await c.post(`/api/user/registration/${a}`, { registration: { applicationId: otherApp, roles: ['user'] } })).status).toBe(200);
    const before = (await c.get(`/api/user/${a}`)).body.user;

    const del = await c.del(`/api/application/${doomedApp}?hardDelete=true`);
    expect(del.status, del.text).toBe(200);
    const gone = await c.get(`/api/user/registration/${a}/${doomedApp}`);
    expect(gone.status).toBe(404);
    expect(gone.text).toBe('');
    const userA = (await c.get(`/api/user/${a}`)).body.user;
    expect((userA.registrations as Array<{ applicationId: string }>).map((r) => r.applicationId)).toEqual([otherApp]);
    // A plain SQL delete of the registration rows: the user itself is not updated.
    expect(userA.lastUpdateInstant).toBe(before.lastUpdateInstant);
    const userB = (await c.get(`/api/user/${b}`)).body.user;
    expect(userB.registrations ?? []).toEqual([]);
    // The user stays and can still log in.
    expect((await c.post('/api/login', { loginId: 'b@example.com', password: PASSWORD })).status).toBe(200);
  });

  it('removes the refresh tokens issued for the application (DefaultApplicationService.delete → refreshTokenMapper.deleteByApplicationId), and a user hard delete removes the user\'s', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kickstand-cascade-'));
    const statePath = join(dir, 'state.json');
    c = await start({ statePath });
    const doomedApp = await app(c, 'Tokens', undefined, { loginConfiguration: { generateRefreshTokens: true } });
    const keptApp = await app(c, 'Kept tokens', undefined, { loginConfiguration: { generateRefreshTokens: true } });
    await registered(c, 'tok@example.com', doomedApp, []);
    const other = await registered(c, 'other@example.com', keptApp, []);
    for (const [loginId, applicationId] of [['tok@example.com', doomedApp], ['other@example.com', keptApp]]) {
      const login = await c.post('/api/login', { loginId, password: PASSWORD, applicationId });
      expect(login.status, login.text).toBe(200);
      expect(login.body.refreshToken).toEqual(expect.any(String));
    }
    const tokens = (): Array<{ applicationId: string; userId: string }> => JSON.parse(readFileSync(statePath, 'utf8')).collections.refreshTokens ?? [];
    expect(tokens().map((t) => t.applicationId).sort()).toEqual([doomedApp, keptApp].sort());

    expect((await c.del(`/api/application/${doomedApp}?hardDelete=true`)).status).toBe(200);
    expect(tokens().map((t) => t.applicationId)).toEqual([keptApp]);
    expect((await c.del(`/api/user/${other}?hardDelete=true`)).status).toBe(200);
    expect(tokens()).toEqual([]);
  });

  it('a soft delete (deactivation) keeps the registrations, which users still show (fusionauth-site PR #563 for fusionauth-issues #1163; #2684), and a reactivation finds them intact', async () => {
    c = await start();
    const appId = await app(c, 'Sleeping');
    const userId = await registered(c, 'sleep@example.com', appId, ['admin']);
    const reg = (await c.get(`/api/user/registration/${userId}/${appId}`)).body.registration;

    expect((await c.del(`/api/application/${appId}`)).status).toBe(200);
    const user = (await c.get(`/api/user/${userId}`)).body.user;
    expect(user.registrations).toEqual([reg]);
    expect((await c.get(`/api/user/registration/${userId}/${appId}`)).body.registration).toEqual(reg);

    expect((await c.put(`/api/application/${appId}?reactivate=true`)).status).toBe(200);
    expect((await c.get(`/api/user/registration/${userId}/${appId}`)).body.registration).toEqual(reg);
  });
});

describe('a role delete removes the role from the registrations that granted it (decompiled DefaultApplicationService.deleteRole → applicationMapper.deleteRolesFromUsers; OpenAPI: "permanently removes the given role from all users that had it")', () => {
  it('by id and by name; other roles and other applications\' roles of the same name stay', async () => {
    c = await start();
    const appId = await app(c, 'Roles');
    const twin = await app(c, 'Twin');
    const userId = await registered(c, 'roles@example.com', appId, ['admin', 'user']);
    expect((await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: twin, roles: ['admin'] } })).status).toBe(200);
    const roles = (await c.get(`/api/application/${appId}`)).body.application.roles as Array<{ id: string; name: string }>;
    const admin = roles.find((r) => r.name === 'admin');

    expect((await c.del(`/api/application/${appId}/role/${admin?.id ?? ''}`)).status).toBe(200);
    expect((await c.get(`/api/user/registration/${userId}/${appId}`)).body.registration.roles).toEqual(['user']);
    expect((await c.get(`/api/user/registration/${userId}/${twin}`)).body.registration.roles).toEqual(['admin']);

    expect((await c.del(`/api/application/${appId}/role?name=user`)).status).toBe(200);
    expect((await c.get(`/api/user/registration/${userId}/${appId}`)).body.registration.roles).toEqual([]);
  });
});

describe('a renamed role shows under its new name on the registrations that hold it (grants are keyed by role id: deleteRolesFromUsers takes role ids)', () => {
  it('PUT and PATCH of the name; the list stays sorted; other applications\' roles of the old name stay', async () => {
    c = await start();
    const appId = await app(c, 'Renames');
    const twin = await app(c, 'Twin renames');
    const userId = await registered(c, 'rename@example.com', appId, ['admin', 'user']);
    expect((await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: twin, roles: ['admin'] } })).status).toBe(200);
    const roles = (await c.get(`/api/application/${appId}`)).body.application.roles as Array<{ id: string; name: string }>;
    const admin = roles.find((r) => r.name === 'admin')?.id ?? '';

    const put = await c.put(`/api/application/${appId}/role/${admin}`, { role: { name: 'zeta' } });
    expect(put.status, put.text).toBe(200);
    expect((await c.get(`/api/user/registration/${userId}/${appId}`)).body.registration.roles).toEqual(['user', 'zeta']);
    expect((await c.patch(`/api/application/${appId}/role/${admin}`, { role: { name: 'alpha' } })).status).toBe(200);
    expect((await c.get(`/api/user/${userId}`)).body.user.registrations.find((r: { applicationId: string }) => r.applicationId === appId).roles).toEqual(['alpha', 'user']);
    expect((await c.get(`/api/user/registration/${userId}/${twin}`)).body.registration.roles).toEqual(['admin']);
  });
});
