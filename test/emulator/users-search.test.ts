/**
 * The user search API of the emulator (src/emulator/users/search.ts), real HTTP: the database search engine's forms,
 * paging and limits, each test naming its source.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { codes, start, type Client } from './helpers.js';

let c: Client | undefined;
afterEach(async () => {
  await c?.e.stop();
  c = undefined;
});

const PASSWORD = 'password';

/** An emulator with `n` users `user<i>@example.com` / `user<i>` (names `First<i> Last<i>`), created in order. */
async function withUsers(n: number, tenantId?: string): Promise<{ c: Client; ids: string[] }> {
  c = await start();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await c.post('/api/user', { user: { email: `user${i}@example.com`, username: `user${i}`, firstName: `First${i}`, lastName: `Last${i}`, password: PASSWORD } }, tenantId ? { tenantId } : {});
    expect(r.status, r.text).toBe(200);
    ids.push(r.body.user.id as string);
  }
  return { c, ids };
}

describe('user search — ids (docs: search.mdx "Search for Users by Id")', () => {
  it('GET /api/user/search?ids=…&ids=… returns exactly those users, total their count (typescript client test searchUsersByIds)', async () => {
    const { c, ids } = await withUsers(3);
    const r = await c.get(`/api/user/search?ids=${ids[0]}&ids=${ids[2]}`);
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(2);
    expect((r.body.users as Array<{ id: string }>).map((u) => u.id).sort()).toEqual([ids[0], ids[2]].sort());
  });

  it('was served by GET /api/user/{id} before (issue 11: [couldNotConvert]userId); a bad id is [couldNotConvert]ids', async () => {
    const { c } = await withUsers(1);
    const r = await c.get('/api/user/search?ids=not-a-uuid');
    expect(r.status).toBe(400);
    expect(codes(r, 'ids')).toEqual(['[couldNotConvert]ids']);
  });

  it('POST {search: {ids}} takes precedence over queryString and is neither paged nor sorted (docs: "listed here in order of precedence")', async () => {
    const { c, ids } = await withUsers(3);
    const r = await c.post('/api/user/search', { search: { ids, queryString: 'user1', numberOfResults: 1, startRow: 2 } });
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(3);
    expect(r.body.users).toHaveLength(3);
  });
});

describe('user search — queryString, database engine (docs: search.mdx "Limitations"; BaseSearchCriteria.toSearchString)', () => {
  it('matches firstName, lastName, fullName, email, phoneNumber and username, case-insensitively, anywhere in the field', async () => {
    const { c } = await withUsers(2);
    await c.post('/api/user', { user: { phoneNumber: '+13035551212', fullName: 'Pied Piper', password: PASSWORD } });
    const byName = await c.get('/api/user/search?queryString=FIRST1');
    expect(byName.body.total).toBe(1);
    expect(byName.body.users[0].email).toBe('user1@example.com');
    expect((await c.get('/api/user/search?queryString=last0')).body.users[0].username).toBe('user0');
    expect((await c.get('/api/user/search?queryString=piper')).body.total).toBe(1);
    expect((await c.get('/api/user/search?queryString=5551212')).body.total).toBe(1);
    expect((await c.get('/api/user/search?queryString=example.com')).body.total).toBe(2);
  });

  it('* matches any run of characters at any place; * alone and "" match everyone (live 1.46: queryString "" → total 2)', async () => {
    const { c } = await withUsers(3);
    expect((await c.post('/api/user/search', { search: { queryString: '*' } })).body.total).toBe(3);
    expect((await c.post('/api/user/search', { search: { queryString: '' } })).body.total).toBe(3);
    expect((await c.get('/api/user/search?queryString=user*%40example.com')).body.total).toBe(3);
    expect((await c.get('/api/user/search?queryString=*2%40example.com')).body.total).toBe(1);
    // With a wildcard the term is anchored: `user` followed by anything must match a whole field.
    expect((await c.get('/api/user/search?queryString=xuser*')).body.total).toBe(0);
  });

  it('no field syntax on the database engine: email:… is a literal term that matches nothing', async () => {
    const { c } = await withUsers(2);
    const r = await c.get('/api/user/search?queryString=email%3Auser1%40example.com');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(0);
    // FusionAuth leaves empty lists out of its responses (netcore client test: refreshTokens null when none).
    expect(r.body.users).toBeUndefined();
  });
});

describe('user search — paging and sorting (BaseSearchCriteria, UserSearchCriteria.DatabaseSortableFields)', () => {
  it('numberOfResults defaults to 25; startRow pages; total is exact (no 10,000 cap on the database engine)', async () => {
    const { c } = await withUsers(30);
    const first = await c.get('/api/user/search?queryString=*');
    expect(first.body.users).toHaveLength(25);
    expect(first.body.total).toBe(30);
    const rest = await c.post('/api/user/search', { search: { queryString: '*', startRow: 25, numberOfResults: 25, accurateTotal: true } });
    expect(rest.body.users).toHaveLength(5);
    expect(rest.body.total).toBe(30);
    const all = new Set([...first.body.users, ...rest.body.users].map((u: { id: string }) => u.id));
    expect(all.size).toBe(30);
  });

  it('sortFields name/order in both forms; an unsortable field is [invalid]', async () => {
    const { c } = await withUsers(3);
    const desc = await c.get('/api/user/search?queryString=*&sortFields%5B0%5D.name=email&sortFields%5B0%5D.order=desc');
    expect(desc.body.users.map((u: { email: string }) => u.email)).toEqual(['user2@example.com', 'user1@example.com', 'user0@example.com']);
    const asc = await c.post('/api/user/search', { search: { queryString: '*', sortFields: [{ name: 'username' }] } });
    expect(asc.body.users.map((u: { username: string }) => u.username)).toEqual(['user0', 'user1', 'user2']);
    const bad = await c.post('/api/user/search', { search: { queryString: '*', sortFields: [{ name: 'registrations.roles' }] } });
    expect(bad.status).toBe(400);
    expect(codes(bad, 'search.sortFields[0].name')).toEqual(['[invalid]search.sortFields[0].name']);
  });

  it('a GET number that is not one is [couldNotConvert]; a POST one of the wrong type [invalidJSON]', async () => {
    const { c } = await withUsers(1);
    expect(codes(await c.get('/api/user/search?queryString=*&numberOfResults=ten'), 'numberOfResults')).toEqual(['[couldNotConvert]numberOfResults']);
    expect(codes(await c.post('/api/user/search', { search: { queryString: '*', startRow: 'two' } }), 'search.startRow')).toEqual(['[invalidJSON]']);
  });

  it('expand: [] leaves registrations and memberships out (docs: expand, 1.48)', async () => {
    const { c } = await withUsers(0);
    const app = await c.post('/api/application', { application: { name: 'App' } });
    await c.post('/api/user/registration', { user: { email: 'r@example.com', password: PASSWORD }, registration: { applicationId: app.body.application.id } });
    expect((await c.post('/api/user/search', { search: { queryString: '*' } })).body.users[0].registrations).toHaveLength(1);
    expect((await c.post('/api/user/search', { search: { queryString: '*' }, expand: [] })).body.users[0].registrations).toBeUndefined();
  });
});

describe('user search — what the database engine refuses', () => {
  it('neither ids nor queryString: 400 general [invalid] with the live 1.46 message (users_test.exs)', async () => {
    const { c } = await withUsers(1);
    const r = await c.post('/api/user/search', { search: { invalidBody: 'invalid' } });
    expect(r.status).toBe(400);
    expect(r.body.generalErrors).toEqual([{ code: '[invalid]', message: 'You must specify either the [ids], [queryString], or [query] property.' }]);
  });

  it('an Elasticsearch query or nextResults token alone is refused too (docs list them for the Elasticsearch engine only)', async () => {
    const { c } = await withUsers(1);
    const query = JSON.stringify({ bool: { must: [{ match: { email: 'user0@example.com' } }] } });
    const r = await c.post('/api/user/search', { search: { query } });
    expect(r.status).toBe(400);
    expect(r.body.generalErrors[0].code).toBe('[invalid]');
    expect((await c.get('/api/user/search?nextResults=abc')).status).toBe(400);
  });
});

describe('user search — tenant scope (docs: X-FusionAuth-TenantId scoped operation; netcore client test groups())', () => {
  it('the header limits the search to its tenant; without it every tenant is searched; an unknown tenant is 400', async () => {
    const { c } = await withUsers(2);
    const t2 = await c.post('/api/tenant', { tenant: { name: 'Second' } });
    const t2id = t2.body.tenant.id as string;
    await c.post('/api/user', { user: { email: 'other@example.com', password: PASSWORD } }, { tenantId: t2id });
    expect((await c.get('/api/user/search?queryString=*')).body.total).toBe(3);
    const scoped = await c.get('/api/user/search?queryString=*', { tenantId: t2id });
    expect(scoped.body.total).toBe(1);
    expect(scoped.body.users[0].email).toBe('other@example.com');
    expect((await c.get('/api/user/search?queryString=*', { tenantId: '40602225-d65c-4801-8696-9654e731b5da' })).status).toBe(400);
  });
});
