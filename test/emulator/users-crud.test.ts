/**
 * The User API of the emulator (src/emulator/users/users.ts), real HTTP: conformance of create, retrieve, update (PUT
 * and the three PATCH flavours), delete (soft and hard) and reactivate, each behaviour citing its source.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { validateAgainst } from '../contract/openapi.js';
import { allCodes, codes, start, type Client } from './helpers.js';

let c: Client | undefined;
afterEach(async () => {
  await c?.e.stop();
  c = undefined;
});

const PASSWORD = 'password';
const MISSING = 'd6624a85-f006-4f61-825f-0cf3df9ca140';

async function create(client: Client, user: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await client.post('/api/user', { user: { password: PASSWORD, ...user }, ...extra });
  expect(r.status, r.text).toBe(200);
  return r.body.user.id as string;
}

describe('user CRUD conformance', () => {
  it('create (with and without an id), retrieve, and the id converted from a number (live 1.46 converter)', async () => {
    c = await start();
    const id = await create(c, { email: 'Jane@Example.com ', firstName: ' Jane ', username: 'jane' });
    const got = await c.get(`/api/user/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.user).toMatchObject({ id, email: 'jane@example.com', firstName: 'Jane', username: 'jane', active: true, tenantId: c.e.defaultTenantId });
    const fixed = await c.post('/api/user/01e81e42-bb06-4e80-a370-a38eedc24dda', { user: { email: 'fixed@example.com', password: PASSWORD } });
    expect(fixed.body.user.id).toBe('01e81e42-bb06-4e80-a370-a38eedc24dda');
    expect(codes(await c.post('/api/user/01e81e42-bb06-4e80-a370-a38eedc24dda', { user: { email: 'again@example.com', password: PASSWORD } }), 'userId')).toEqual(['[duplicate]userId']);
    const numbered = await c.post('/api/user/42', { user: { email: 'n@example.com', password: PASSWORD } });
    expect(numbered.body.user.id).toBe('00000000-0000-0000-0000-00000000002a');
    expect((await c.get('/api/user/42')).body.user.email).toBe('n@example.com');
  });

  it('PUT replaces the user: omitted fields go, registrations and creation stay; PUT with only a username works (netcore, live 1.46)', async () => {
    c = await start();
    const app = await c.post('/api/application', { application: { name: 'App' } });
    const reg = await c.post('/api/user/registration', { user: { email: 'put@example.com', username: 'putter', firstName: 'Put', password: PASSWORD }, registration: { applicationId: app.body.application.id } });
    const id = reg.body.user.id as string;
    const put = await c.put(`/api/user/${id}`, { user: { username: 'updatedputter' } });
    expect(put.status, put.text).toBe(200);
    expect(put.body.user.username).toBe('updatedputter');
    expect(put.body.user.email).toBeUndefined();
    expect(put.body.user.firstName).toBeUndefined();
    expect(put.body.user.registrations).toHaveLength(1);
    expect(put.body.user.insertInstant).toBe(reg.body.user.insertInstant);
    expect(put.body.user.identities.map((i: { type: string }) => i.type)).toEqual(['username']);
    // The old email is free again; the old password still logs in (a PUT without a password keeps it).
    expect((await c.post('/api/login', { loginId: 'updatedputter', password: PASSWORD })).status).toBe(200);
  });

  it('PUT without any login id: [blank]user.email and [blank]user.username, no password needed (live 1.46 update_user)', async () => {
    c = await start();
    const id = await create(c, { email: 'blank@example.com', username: 'blank' });
    const r = await c.put(`/api/user/${id}`, { user: {} });
    expect(r.status).toBe(400);
    expect(allCodes(r).sort()).toEqual(['user.email: [blank]user.email', 'user.phoneNumber: [blank]user.phoneNumber', 'user.username: [blank]user.username']);
  });

  it('a password in a PUT changes it and is checked against the tenant rules', async () => {
    c = await start();
    const id = await create(c, { email: 'pw@example.com' });
    expect(codes(await c.put(`/api/user/${id}`, { user: { email: 'pw@example.com', password: 'short' } }), 'user.password')).toEqual(['[tooShort]user.password']);
    expect((await c.put(`/api/user/${id}`, { user: { email: 'pw@example.com', password: 'a-new-password' } })).status).toBe(200);
    expect((await c.post('/api/login', { loginId: 'pw@example.com', password: PASSWORD })).status).toBe(404);
    expect((await c.post('/api/login', { loginId: 'pw@example.com', password: 'a-new-password' })).status).toBe(200);
  });

  it('PATCH (typescript client test patchUser): plain JSON merges and appends preferredLanguages (deduplicated), null removes', async () => {
    c = await start();
    const id = await create(c, { email: 'nodejs@fusionauth.io', firstName: 'Jäne', lastName: 'Doe', preferredLanguages: ['en'] });
    const r = await c.patch(`/api/user/${id}`, { user: { firstName: 'Jan', lastName: null, preferredLanguages: ['fr', 'en'] } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.user.firstName).toBe('Jan');
    expect(r.body.user.lastName).toBeUndefined();
    expect(r.body.user.email).toBe('nodejs@fusionauth.io');
    expect(r.body.user.preferredLanguages).toEqual(['en', 'fr']);
  });

  it('PATCH merge-patch replaces lists; JSON Patch operations apply to {"user": …}; the result is validated like a PUT', async () => {
    c = await start();
    const id = await create(c, { email: 'm@example.com', preferredLanguages: ['en', 'de'] });
    const merge = await c.patch(`/api/user/${id}`, { user: { preferredLanguages: ['fr'] } }, { contentType: 'application/merge-patch+json' });
    expect(merge.body.user.preferredLanguages).toEqual(['fr']);
    const ops = await c.patch(`/api/user/${id}`, [{ op: 'replace', path: '/user/email', value: 'M2@example.com' }], { contentType: 'application/json-patch+json' });
    expect(ops.body.user.email).toBe('m2@example.com');
    const removed = await c.patch(`/api/user/${id}`, [{ op: 'remove', path: '/user/email' }], { contentType: 'application/json-patch+json' });
    expect(removed.status).toBe(400);
    expect(codes(removed, 'user.email')).toEqual(['[blank]user.email']);
  });

  it('DELETE is a soft delete (active false, still retrievable); PUT ?reactivate=true reactivates (live 1.46, netcore)', async () => {
    c = await start();
    const id = await create(c, { email: 'soft@example.com' });
    const del = await c.del(`/api/user/${id}`);
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
    expect((await c.get(`/api/user/${id}`)).body.user.active).toBe(false);
    const re = await c.put(`/api/user/${id}?reactivate=true`);
    expect(re.status).toBe(200);
    expect(re.body.user.active).toBe(true);
  });

  it('DELETE ?hardDelete=true (or {"hardDelete": true}) removes the user: retrieve, search and login find nothing (typescript client test)', async () => {
    c = await start();
    const a = await create(c, { email: 'hard1@example.com' });
    const b = await create(c, { email: 'hard2@example.com' });
    expect((await c.del(`/api/user/${a}?hardDelete=true`)).status).toBe(200);
    expect((await c.del(`/api/user/${b}`, { body: { hardDelete: true } })).status).toBe(200);
    for (const email of ['hard1@example.com', 'hard2@example.com']) expect((await c.get(`/api/user?email=${email}`)).status).toBe(404);
    expect((await c.get(`/api/user/search?ids=${a}&ids=${b}`)).body.total).toBe(0);
    expect((await c.post('/api/login', { loginId: 'hard1@example.com', password: PASSWORD })).status).toBe(404);
    // The login ids are free again.
    await create(c, { email: 'hard1@example.com' });
  });

  it('DELETE /api/user/bulk by userId with hardDelete answers the deleted ids (live 1.46 bulk_delete_users; docs bulk-delete.mdx)', async () => {
    c = await start();
    const a = await create(c, { email: 'bulk1@example.com', username: 'johndoe' });
    const b = await create(c, { email: 'bulk2@example.com', username: 'janedoe' });
    const keep = await create(c, { email: 'keep@example.com' });
    const r = await c.del(`/api/user/bulk?userId=${a}&userId=${b}&hardDelete=true`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ dryRun: false, hardDelete: true, total: 2 });
    expect([...r.body.userIds].sort()).toEqual([a, b].sort());
    expect((await c.get(`/api/user/${a}`)).status).toBe(404);
    expect((await c.get(`/api/user/${keep}`)).status).toBe(200);
  });

  it('bulk delete by a database-engine queryString deactivates; dryRun only reports; no user affected leaves userIds out', async () => {
    c = await start();
    const a = await create(c, { email: 'gone@example.com' });
    await create(c, { email: 'stays@example.org' });
    const dry = await c.del('/api/user/bulk', { body: { queryString: '*example.com', dryRun: true } });
    expect(dry.body).toEqual({ dryRun: true, hardDelete: false, total: 1, userIds: [a] });
    expect((await c.get(`/api/user/${a}`)).body.user.active).toBe(true);
    expect((await c.del('/api/user/bulk?queryString=*example.com')).body.total).toBe(1);
    expect((await c.get(`/api/user/${a}`)).body.user.active).toBe(false);
    expect((await c.del('/api/user/bulk?queryString=nobody')).body).toEqual({ dryRun: false, hardDelete: false, total: 0 });
    expect((await c.del('/api/user/bulk')).body.generalErrors[0].code).toBe('[invalid]');
  });

  it('an unknown user, or an id that is not a UUID: 404 with an empty body for GET, PUT, PATCH and DELETE (python/go client tests, live 1.46)', async () => {
    c = await start();
    for (const path of [`/api/user/${MISSING}`, '/api/user/not-a-uuid']) {
      for (const r of [await c.get(path), await c.put(path, { user: { email: 'x@example.com' } }), await c.patch(path, { user: { firstName: 'x' } }), await c.del(path)]) {
        expect(r.status).toBe(404);
        expect(r.text).toBe('');
      }
    }
  });

  it('no password, salt, hash or scheme in any returned user (User.secure(); python and go client tests)', async () => {
    c = await start();
    const created = await c.post('/api/user', { user: { email: 's@example.com', password: PASSWORD, salt: 'x', encryptionScheme: 'bcrypt', factor: 10 } });
    const id = created.body.user.id as string;
    const bodies = [created, await c.get(`/api/user/${id}`), await c.put(`/api/user/${id}`, { user: { email: 's@example.com', password: 'another-one' } }), await c.patch(`/api/user/${id}`, { user: { firstName: 'S' } }), await c.get(`/api/user/search?ids=${id}`)];
    for (const r of bodies) {
      expect(r.status).toBe(200);
      for (const secret of ['"password"', 'another-one', '"salt"', '"encryptionScheme"', '"factor"', 'bcrypt']) expect(r.text).not.toContain(secret);
    }
  });
});

describe('contract: the user side\'s responses validate against FusionAuth\'s OpenAPI schemas', () => {
  it('UserResponse, RegistrationResponse, User (each search hit) and Errors', async () => {
    c = await start();
    const app = await c.post('/api/application', { application: { name: 'App', roles: [{ name: 'admin' }] } });
    const appId = app.body.application.id as string;
    const reg = await c.post('/api/user/registration', { user: { email: 'k@example.com', username: 'k', phoneNumber: '+15555550127', birthDate: '1980-01-02', timezone: 'Europe/Paris', preferredLanguages: ['en'], data: { a: [1] }, password: PASSWORD }, registration: { applicationId: appId, roles: ['admin'], data: { b: 1 } } });
    expect(validateAgainst('RegistrationResponse', reg.body)).toEqual([]);
    const id = reg.body.user.id as string;
    for (const r of [await c.get(`/api/user/${id}`), await c.put(`/api/user/${id}`, { user: { email: 'k@example.com', firstName: 'K' } }), await c.patch(`/api/user/${id}`, { user: { lastName: 'L' } }), await c.put(`/api/user/${id}?reactivate=true`)]) {
      expect(r.status).toBe(200);
      expect(validateAgainst('UserResponse', r.body)).toEqual([]);
    }
    expect(validateAgainst('RegistrationResponse', (await c.get(`/api/user/registration/${id}/${appId}`)).body)).toEqual([]);
    expect(validateAgainst('RegistrationResponse', (await c.patch(`/api/user/registration/${id}/${appId}`, { registration: { timezone: 'UTC' } })).body)).toEqual([]);
    const found = await c.post('/api/user/search', { search: { queryString: '*' } });
    expect(typeof found.body.total).toBe('number');
    for (const u of found.body.users as unknown[]) expect(validateAgainst('User', u)).toEqual([]);
    expect(validateAgainst('Errors', (await c.post('/api/user', { user: {} })).body)).toEqual([]);
  });
});
