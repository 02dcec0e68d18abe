/**
 * The Family API ([SITE:docs/apis/families.mdx] and its _family-* includes, OpenAPI `/api/user/family*`, [JAVA]
 * `Family`/`FamilyMember`/`FamilyConfiguration`, FusionAuth's family examples fusionauth-example-family and
 * fusionauth-example-family-api, FusionAuth/fusionauth-issues #236, #727, #736, #737), over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCodes, codes, start, type Client } from './helpers.js';

let c: Client;
// A fixed clock: ages are computed against it.
const NOW = Date.UTC(2025, 0, 1);
let defaultTenant: string;
beforeAll(async () => {
  c = await start({ now: () => NOW });
  defaultTenant = (await c.get('/api/tenant')).body.tenants[0].id as string;
});
afterAll(() => c.e.stop());

let seq = 0;
async function user(birthDate?: string, extra: Record<string, unknown> = {}): Promise<string> {
  seq += 1;
  const r = await c.post('/api/user', { user: { email: `fam${seq}@example.com`, password: 'password-123', ...(birthDate ? { birthDate } : {}), ...extra } }, { tenantId: defaultTenant });
  expect(r.status, r.text).toBe(200);
  return r.body.user.id as string;
}
const member = (userId: string, role: string, owner?: boolean) => ({ familyMember: { userId, role, ...(owner === undefined ? {} : { owner }) } });
const ADULT = '1976-05-30';
const CHILD = '2015-01-18';

describe('creating a family (POST /api/user/family[/{familyId}])', () => {
  it('creates the family with its first Adult as owner, at the id given, and returns it as GET does (docs: "the first Adult user … will automatically be set as the owner")', async () => {
    const parent = await user(ADULT);
    const id = '0f0f0f0f-1111-4222-8333-444444444444';
    const r = await c.post(`/api/user/family/${id}`, member(parent, 'Adult'));
    expect(r.status, r.text).toBe(200);
    expect(r.body.family).toEqual({ id, insertInstant: NOW, lastUpdateInstant: NOW, members: [{ insertInstant: NOW, lastUpdateInstant: NOW, owner: true, role: 'Adult', userId: parent }] });
    expect((await c.get(`/api/user/family/${id}`)).body).toEqual(r.body);
  });

  it('generates an id without one', async () => {
    const r = await c.post('/api/user/family', member(await user(ADULT), 'Adult', true));
    expect(r.status, r.text).toBe(200);
    expect(r.body.family.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a first member who is not an Adult (docs: "When creating a family the first user must be an adult")', async () => {
    const r = await c.post('/api/user/family', member(await user(CHILD), 'Child'));
    expect(r.status).toBe(400);
    expect(codes(r, 'familyMember.role')).toEqual(['[invalid]familyMember.role']);
  });

  it('refuses a creator younger than the tenant minimumOwnerAge (21 by default), and one without a birth date as age -1 (fusionauth-issues #236)', async () => {
    const young = await c.post('/api/user/family', member(await user('2010-06-01'), 'Adult'));
    expect(young.status).toBe(400);
    expect(codes(young, 'familyMember.userId')).toEqual(['[invalid]familyMember.userId']);
    const noBirthDate = await c.post('/api/user/family', member(await user(), 'Adult'));
    expect(noBirthDate.status).toBe(400);
    expect(noBirthDate.body.fieldErrors['familyMember.userId'][0].message).toContain('The minimum configured age is [21] and this user is [-1]');
  });

  it('follows the tenant familyConfiguration.minimumOwnerAge, and does not require familyConfiguration.enabled (fusionauth-example-family-api kickstart)', async () => {
    const t = (await c.get(`/api/tenant/${defaultTenant}`)).body.tenant as { id: string; familyConfiguration: { enabled: boolean } };
    expect(t.familyConfiguration.enabled).toBe(false);
    const eighteen = await user('2006-06-01');
    expect((await c.post('/api/user/family', member(eighteen, 'Adult'))).status).toBe(400);
    expect((await c.patch(`/api/tenant/${t.id}`, { tenant: { familyConfiguration: { minimumOwnerAge: 18 } } })).status).toBe(200);
    try {
      expect((await c.post('/api/user/family', member(eighteen, 'Adult'))).status).toBe(200);
    } finally {
      await c.patch(`/api/tenant/${t.id}`, { tenant: { familyConfiguration: { minimumOwnerAge: 21 } } });
    }
  });

  it('validates the request: familyMember, userId and role required, the role an enum, the user existing', async () => {
    expect(allCodes(await c.post('/api/user/family', {}))).toEqual(['familyMember: [missing]familyMember']);
    expect(allCodes(await c.post('/api/user/family', { familyMember: {} })).sort()).toEqual(['familyMember.role: [missing]familyMember.role', 'familyMember.userId: [missing]familyMember.userId']);
    expect(allCodes(await c.post('/api/user/family', member(await user(ADULT), 'Parent')))).toEqual(['familyMember.role: [invalidJSON]']);
    expect(allCodes(await c.post('/api/user/family', member('9a9a9a9a-0000-4000-8000-000000000000', 'Adult')))).toEqual(['familyMember.userId: [invalid]familyMember.userId']);
  });
});

describe('adding and updating members', () => {
  it('adds a Child with PUT (fusionauth-example-family-api addChildToFamily.json) and a Teen with POST, ignoring owner for both (docs: "ignored if the user role is Teen or Child")', async () => {
    const f = (await c.post('/api/user/family', member(await user(ADULT), 'Adult'))).body.family.id as string;
    const child = await user(CHILD);
    const teen = await user('2010-03-03');
    const put = await c.put(`/api/user/family/${f}`, member(child, 'Child', true));
    expect(put.status, put.text).toBe(200);
    const post = await c.post(`/api/user/family/${f}`, member(teen, 'Teen', true));
    expect(post.status, post.text).toBe(200);
    expect(post.body.family.members.slice(1)).toEqual([
      { insertInstant: NOW, lastUpdateInstant: NOW, owner: false, role: 'Child', userId: child },
      { insertInstant: NOW, lastUpdateInstant: NOW, owner: false, role: 'Teen', userId: teen },
    ]);
  });

  it('lets a later Adult of any age be added and be an owner too (fusionauth-issues #736: only the creator is age-checked)', async () => {
    const f = (await c.post('/api/user/family', member(await user(ADULT), 'Adult'))).body.family.id as string;
    const r = await c.post(`/api/user/family/${f}`, member(await user('2012-01-01'), 'Adult', true));
    expect(r.status, r.text).toBe(200);
    expect(r.body.family.members.map((m: { owner: boolean }) => m.owner)).toEqual([true, true]);
  });

  it('updates a member role and owner status with PUT (docs: "You may only update the User\'s role or owner status")', async () => {
    const owner = await user(ADULT);
    const other = await user(ADULT);
    const f = (await c.post('/api/user/family', member(owner, 'Adult'))).body.family.id as string;
    await c.post(`/api/user/family/${f}`, member(other, 'Adult'));
    const r = await c.put(`/api/user/family/${f}`, member(other, 'Adult', true));
    expect(r.status, r.text).toBe(200);
    expect(r.body.family.members.find((m: { userId: string }) => m.userId === other)).toMatchObject({ owner: true, role: 'Adult' });
    const demoted = await c.put(`/api/user/family/${f}`, member(other, 'Teen', true));
    expect(demoted.body.family.members.find((m: { userId: string }) => m.userId === other)).toMatchObject({ owner: false, role: 'Teen' });
  });

  it('refuses an Adult already Adult in another family, but takes them as a Child there (docs overview; fusionauth-issues #737)', async () => {
    const a = await user(ADULT);
    await c.post('/api/user/family', member(a, 'Adult'));
    const f2 = (await c.post('/api/user/family', member(await user(ADULT), 'Adult'))).body.family.id as string;
    expect(allCodes(await c.post(`/api/user/family/${f2}`, member(a, 'Adult')))).toEqual(['familyMember.userId: [duplicate]familyMember.userId']);
    expect(allCodes(await c.post('/api/user/family', member(a, 'Adult')))).toEqual(['familyMember.userId: [duplicate]familyMember.userId']);
    expect((await c.post(`/api/user/family/${f2}`, member(a, 'Child'))).status).toBe(200);
  });

  it('lets a Child belong to several families (docs: "a teen or child may belong to one or more families")', async () => {
    const kid = await user(CHILD);
    for (let i = 0; i < 2; i++) {
      const f = (await c.post('/api/user/family', member(await user(ADULT), 'Adult'))).body.family.id as string;
      expect((await c.put(`/api/user/family/${f}`, member(kid, 'Child'))).status).toBe(200);
    }
    expect((await c.get(`/api/user/family?userId=${kid}`)).body.families).toHaveLength(2);
  });

  it('refuses a user already in the family on POST', async () => {
    const a = await user(ADULT);
    const f = (await c.post('/api/user/family', member(a, 'Adult'))).body.family.id as string;
    expect(allCodes(await c.post(`/api/user/family/${f}`, member(a, 'Adult')))).toEqual(['familyMember.userId: [duplicate]familyMember.userId']);
  });

  it('answers PUT to a family that does not exist, and a numeric id, with 404 and no body; an id that does not convert with 400 [couldNotConvert]familyId (crud.ts pathId: live 1.46 and 1.67.1)', async () => {
    const r = await c.put('/api/user/family/5b5b5b5b-0000-4000-8000-000000000000', member(await user(ADULT), 'Adult'));
    expect([r.status, r.text]).toEqual([404, '']);
    expect((await c.get('/api/user/family/12345')).status).toBe(404);
    const bad = await c.get('/api/user/family/not-a-uuid');
    expect([bad.status, bad.body.fieldErrors?.familyId?.[0]?.code]).toEqual([400, '[couldNotConvert]familyId']);
  });
});

describe('retrieving and removing', () => {
  it('retrieves a user\'s families, and {} for a user in none (fusionauth-example-family routes/index.js)', async () => {
    const a = await user(ADULT);
    const none = await c.get(`/api/user/family?userId=${a}`);
    expect([none.status, none.body]).toEqual([200, {}]);
    const f = (await c.post('/api/user/family', member(a, 'Adult'))).body.family;
    expect((await c.get(`/api/user/family?userId=${a}`)).body).toEqual({ families: [f] });
  });

  it('removes a member (200, no body), 404 for a non-member, and may leave a family without an Adult (fusionauth-issues #727)', async () => {
    const a = await user(ADULT);
    const kid = await user(CHILD);
    const f = (await c.post('/api/user/family', member(a, 'Adult'))).body.family.id as string;
    await c.put(`/api/user/family/${f}`, member(kid, 'Child'));
    const r = await c.del(`/api/user/family/${f}/${a}`);
    expect([r.status, r.text]).toEqual([200, '']);
    expect((await c.get(`/api/user/family/${f}`)).body.family.members.map((m: { userId: string }) => m.userId)).toEqual([kid]);
    expect((await c.del(`/api/user/family/${f}/${a}`)).status).toBe(404);
  });

  it('a user deleted for good leaves its families (a family left empty goes); a soft-deleted one stays a member', async () => {
    const a = await user(ADULT);
    const kid = await user(CHILD);
    const f = (await c.post('/api/user/family', member(a, 'Adult'))).body.family.id as string;
    await c.put(`/api/user/family/${f}`, member(kid, 'Child'));
    expect((await c.del(`/api/user/${kid}`)).status).toBe(200);
    expect((await c.get(`/api/user/family/${f}`)).body.family.members).toHaveLength(2);
    expect((await c.del(`/api/user/${kid}?hardDelete=true`)).status).toBe(200);
    expect((await c.get(`/api/user/family/${f}`)).body.family.members.map((m: { userId: string }) => m.userId)).toEqual([a]);
    expect((await c.del(`/api/user/${a}?hardDelete=true`)).status).toBe(200);
    expect((await c.get(`/api/user/family/${f}`)).status).toBe(404);
  });

  it('scopes by X-FusionAuth-TenantId: a family of another tenant is not found', async () => {
    const other = (await c.post('/api/tenant', { tenant: { name: 'family-scope' } })).body.tenant.id as string;
    const a = await user(ADULT);
    const f = (await c.post('/api/user/family', member(a, 'Adult'))).body.family.id as string;
    expect((await c.get(`/api/user/family/${f}`, { tenantId: other })).status).toBe(404);
    expect((await c.get(`/api/user/family?userId=${a}`, { tenantId: other })).body).toEqual({});
    expect((await c.put(`/api/user/family/${f}`, member(a, 'Adult'), { tenantId: other })).status).toBe(404);
    await c.del(`/api/tenant/${other}`);
  });

  it('lists the users pending parent approval: parentEmail matching, in no family yet', async () => {
    const parentEmail = 'Pending.Parent@example.com';
    const kid = await user(CHILD, { parentEmail });
    const r = await c.get(`/api/user/family/pending?parentEmail=${encodeURIComponent('pending.parent@example.com')}`);
    expect(r.status).toBe(200);
    expect(r.body.users.map((u: { id: string }) => u.id)).toEqual([kid]);
    const f = (await c.post('/api/user/family', member(await user(ADULT), 'Adult'))).body.family.id as string;
    await c.put(`/api/user/family/${f}`, member(kid, 'Child'));
    expect((await c.get(`/api/user/family/pending?parentEmail=${encodeURIComponent(parentEmail)}`)).body).toEqual({});
  });
});
