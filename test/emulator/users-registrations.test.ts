/**
 * The Registration API of the emulator (src/emulator/users/registrations.ts), real HTTP: conformance of create,
 * retrieve, update (PUT and the three PATCH flavours) and delete, and each rule with its source.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { codes, start, type Client } from './helpers.js';

let c: Client | undefined;
afterEach(async () => {
  await c?.e.stop();
  c = undefined;
});

const PASSWORD = 'password';

interface Env {
  c: Client;
  appId: string;
  userId: string;
}

/** An emulator with an application (roles admin, user — the default role — and viewer) and one unregistered user. */
async function setup(): Promise<Env> {
  c = await start();
  const app = await c.post('/api/application', { application: { name: 'App', roles: [{ name: 'admin' }, { name: 'user', isDefault: true }, { name: 'viewer' }] } });
  expect(app.status, app.text).toBe(200);
  const user = await c.post('/api/user', { user: { email: 'reg@example.com', password: PASSWORD } });
  expect(user.status, user.text).toBe(200);
  return { c, appId: app.body.application.id as string, userId: user.body.user.id as string };
}

describe('registration CRUD conformance', () => {
  it('create for an existing user, retrieve, PUT, delete; 404 with an empty body afterwards (netcore Register_Test, live 1.46)', async () => {
    const { c, appId, userId } = await setup();
    const created = await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: appId, username: 'reggie', data: { displayName: 'Reg' }, roles: ['viewer', 'admin'] } });
    expect(created.status, created.text).toBe(200);
    expect(created.body.registration).toMatchObject({ applicationId: appId, username: 'reggie', data: { displayName: 'Reg' }, roles: ['admin', 'viewer'] });
    expect(created.body.user.registrations).toHaveLength(1);

    const got = await c.get(`/api/user/registration/${userId}/${appId}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ registration: created.body.registration });

    const put = await c.put(`/api/user/registration/${userId}`, { registration: { applicationId: appId, username: 'reggie', usernameStatus: 'ACTIVE', cleanSpeakId: '9af3fc1d-9236-4793-93df-aeac5f67f23e' } });
    expect(put.status, put.text).toBe(200);
    // PUT replaces: roles and data not sent are gone; id and insertInstant stay.
    expect(put.body.registration).toMatchObject({ id: created.body.registration.id, insertInstant: created.body.registration.insertInstant, username: 'reggie', roles: [], cleanSpeakId: '9af3fc1d-9236-4793-93df-aeac5f67f23e' });
    expect(put.body.registration.data).toBeUndefined();

    const del = await c.del(`/api/user/registration/${userId}/${appId}`);
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
    const gone = await c.get(`/api/user/registration/${userId}/${appId}`);
    expect(gone.status).toBe(404);
    expect(gone.text).toBe('');
    expect((await c.del(`/api/user/registration/${userId}/${appId}`)).status).toBe(404);
  });

  it('PATCH in the three flavours: plain JSON appends roles (a sorted set), merge-patch replaces them, JSON Patch edits them', async () => {
    const { c, appId, userId } = await setup();
    await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: appId, roles: ['user'], data: { a: 1, b: 2 } } });
    const plain = await c.patch(`/api/user/registration/${userId}/${appId}`, { registration: { roles: ['admin', 'user'], data: { b: null, c: 3 } } });
    expect(plain.status, plain.text).toBe(200);
    expect(plain.body.registration.roles).toEqual(['admin', 'user']);
    expect(plain.body.registration.data).toEqual({ a: 1, c: 3 });
    const merge = await c.patch(`/api/user/registration/${userId}/${appId}`, { registration: { roles: ['viewer'] } }, { contentType: 'application/merge-patch+json' });
    expect(merge.body.registration.roles).toEqual(['viewer']);
    const ops = await c.patch(`/api/user/registration/${userId}/${appId}`, [{ op: 'add', path: '/registration/roles/-', value: 'admin' }], { contentType: 'application/json-patch+json' });
    expect(ops.body.registration.roles).toEqual(['admin', 'viewer']);
    // The patched registration is validated like a PUT.
    const bad = await c.patch(`/api/user/registration/${userId}/${appId}`, { registration: { roles: ['ghost'] } });
    expect(codes(bad, 'registration.roles')).toEqual(['[invalid]registration.roles']);
  });

  it('the application id on the URL wins over the body (docs: update-a-user-registration.mdx)', async () => {
    const { c, appId, userId } = await setup();
    await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: appId } });
    const r = await c.put(`/api/user/registration/${userId}/${appId}`, { registration: { applicationId: '00000000-0000-4000-8000-000000000000', username: 'x' } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.registration.applicationId).toBe(appId);
  });
});

describe('registration rules (live 1.46: leo-technologies-llc/fusion_auth registrations_test.exs)', () => {
  it('no applicationId: [missing]registration.applicationId on create and update', async () => {
    const { c, appId, userId } = await setup();
    const create = await c.post(`/api/user/registration/${userId}`, { registration: { data: { displayName: 'x' } } });
    expect(create.status).toBe(400);
    expect(create.body.fieldErrors['registration.applicationId']).toEqual([{ code: '[missing]registration.applicationId', message: 'You must specify the [registration.applicationId] property.' }]);
    await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: appId } });
    expect(codes(await c.put(`/api/user/registration/${userId}`, { registration: { data: {} } }), 'registration.applicationId')).toEqual(['[missing]registration.applicationId']);
  });

  it('no user object and no user id on the URL: [missing]userId "The Id of the User was not specified on the URL."', async () => {
    const { c, appId } = await setup();
    const r = await c.post('/api/user/registration', { registration: { applicationId: appId } });
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors.userId).toEqual([{ code: '[missing]userId', message: 'The Id of the User was not specified on the URL.' }]);
  });

  it('an unknown user: [invalid]userId; a number converts to a UUID as FusionAuth converts it (123456 → …00000001e240)', async () => {
    const { c, appId } = await setup();
    const r = await c.post('/api/user/registration/123456', { registration: { applicationId: appId } });
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors.userId).toEqual([{ code: '[invalid]userId', message: 'The user with Id [00000000-0000-0000-0000-00000001e240] does not exist.' }]);
  });

  it('retrieve, update and delete of an unknown user or application, or of ids that are not UUIDs: 404, empty body', async () => {
    const { c, appId, userId } = await setup();
    const missing = 'fd7857a7-166a-4043-a1ee-026499d0cce6';
    for (const r of [
      await c.get(`/api/user/registration/${userId}/12345`),
      await c.get(`/api/user/registration/12345/${appId}`),
      await c.get(`/api/user/registration/${userId}/${appId}`),
      await c.put(`/api/user/registration/${missing}`, { registration: { applicationId: appId } }),
      await c.del(`/api/user/registration/${missing}/${appId}`),
      await c.del(`/api/user/registration/12345/${appId}`),
    ]) {
      expect(r.status).toBe(404);
      expect(r.text).toBe('');
    }
  });

  it('a role the application does not have: [invalid]registration.roles (fusionauth-issues #1452, 1.30.2)', async () => {
    const { c, appId, userId } = await setup();
    const r = await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: appId, roles: ['admin', 'superuser'] } });
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors['registration.roles']).toEqual([{ code: '[invalid]registration.roles', message: 'The role [superuser] does not exist in the Application indicated by the [registration.applicationId] property.' }]);
    expect((await c.get(`/api/user/registration/${userId}/${appId}`)).status).toBe(404);
  });

  it('an application that does not exist, or belongs to another tenant: [invalid]registration.applicationId', async () => {
    const { c, userId } = await setup();
    expect(codes(await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: 'a0000000-0000-4000-8000-00000000dead' } }), 'registration.applicationId')).toEqual(['[invalid]registration.applicationId']);
    const t2 = await c.post('/api/tenant', { tenant: { name: 'Second' } });
    const other = await c.post('/api/application', { application: { name: 'Elsewhere' } }, { tenantId: t2.body.tenant.id });
    expect(codes(await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: other.body.application.id } }), 'registration.applicationId')).toEqual(['[invalid]registration.applicationId']);
  });

  it('a second registration to the same application: [duplicate]registration', async () => {
    const { c, appId, userId } = await setup();
    expect((await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: appId } })).status).toBe(200);
    const again = await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: appId } });
    expect(again.status).toBe(400);
    expect(codes(again, 'registration')).toEqual(['[duplicate]registration']);
  });

  it('roles default to the application\'s isDefault roles; roles are a sorted set (UserRegistration.roles is a TreeSet)', async () => {
    const { c, appId, userId } = await setup();
    const r = await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: appId } });
    expect(r.body.registration.roles).toEqual(['user']);
    const u2 = await c.post('/api/user/registration', { user: { email: 'two@example.com', password: PASSWORD }, registration: { applicationId: appId, roles: ['viewer', 'admin', 'viewer'] } });
    expect(u2.body.registration.roles).toEqual(['admin', 'viewer']);
  });

  it('a user\'s registrations are sorted by application id (User.sort())', async () => {
    const { c, userId } = await setup();
    const ids: string[] = [];
    for (const id of ['c0000000-0000-4000-8000-000000000003', 'a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000002']) {
      await c.post(`/api/application/${id}`, { application: { name: `App ${id}` } });
      ids.push(id);
      expect((await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: id } })).status).toBe(200);
    }
    const user = await c.get(`/api/user/${userId}`);
    expect(user.body.user.registrations.map((r: { applicationId: string }) => r.applicationId)).toEqual([...ids].sort());
  });
});

describe('user + registration create: the tenant (reference §13: live 1.46; netcore client test createUser())', () => {
  it('without a tenant header while several tenants exist, the application\'s tenant is taken (200, not [TenantIdRequired])', async () => {
    c = await start();
    const t2 = await c.post('/api/tenant', { tenant: { name: 'Second' } });
    const t2id = t2.body.tenant.id as string;
    const app = await c.post('/api/application', { application: { name: 'In second' } }, { tenantId: t2id });
    const r = await c.post('/api/user/registration', { user: { email: 'x@example.com', password: PASSWORD }, registration: { applicationId: app.body.application.id } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.user.tenantId).toBe(t2id);
    // A plain user create still needs the header once there are several tenants (reference §1.2).
    const plain = await c.post('/api/user', { user: { email: 'y@example.com', password: PASSWORD } });
    expect(plain.status).toBe(400);
    expect(plain.body.generalErrors[0].code).toBe('[TenantIdRequired]');
  });

  it('a tenant header that names no tenant is 400; another tenant\'s header on a by-id read is 404 (netcore groups())', async () => {
    const { c, appId, userId } = await setup();
    await c.post(`/api/user/registration/${userId}`, { registration: { applicationId: appId } });
    const bad = await c.get(`/api/user/registration/${userId}/${appId}`, { tenantId: '40602225-d65c-4801-8696-9654e731b5da' });
    expect(bad.status).toBe(400);
    const t2 = await c.post('/api/tenant', { tenant: { name: 'Second' } });
    const wrong = await c.get(`/api/user/registration/${userId}/${appId}`, { tenantId: t2.body.tenant.id });
    expect(wrong.status).toBe(404);
    expect(wrong.text).toBe('');
    expect((await c.get(`/api/user/${userId}`, { tenantId: t2.body.tenant.id })).status).toBe(404);
  });
});
