/**
 * The generic resource pipeline (src/emulator/crud.ts) as a unit, through tiny fake kinds with no rules of their own:
 * the codes FusionAuth's shared service code gives every kind are tested here once, for all kinds.
 */
import { describe, expect, it } from 'vitest';
import type { KindSpec } from '../../src/emulator/crud.js';
import { col } from '../../src/emulator/state.js';
import { isObject } from '../../src/emulator/values.js';
import { codesOf, kit, T0 } from './kit.js';

/** A global fake kind on the messenger wire row (`/api/messenger`, `messenger`/`messengers`, `messengerId`). */
const gadget: KindSpec = {
  kind: 'messenger',
  scope: 'global',
  serverOwned: ['id', 'insertInstant', 'lastUpdateInstant'],
  lists: { replaced: ['pinned'], sets: [{ path: 'tags', order: 'insertion' }] },
  keep: ['origin.region'],
  discriminator: { field: 'type', values: ['A', 'B'] },
  name: { unique: 'global', maxLength: 10 },
  fill: (body) => ({ tags: [], data: {}, ...body }),
};

/**
 * A tenant-scoped fake kind on the application wire row (tenant field `tenantId`); `universalConfiguration.universal`
 * makes it universal (a property of FusionAuth's Application: the JSON binding drops a made-up one, src/emulator/shape.ts).
 */
const thing: KindSpec = {
  kind: 'application',
  scope: 'tenant',
  serverOwned: ['id', 'insertInstant', 'lastUpdateInstant', 'tenantId'],
  name: {},
  fill: (body) => ({ ...body }),
  universal: (o) => isObject(o) && isObject(o.universalConfiguration) && o.universalConfiguration.universal === true,
};

const ID1 = '6b1d0000-0000-4000-8000-000000000001';
const ID2 = '6b1d0000-0000-4000-8000-000000000002';
const MISSING = 'eeeeeeee-0000-4000-8000-000000000000';
const T1 = '0b8e0000-0000-4000-8000-000000000001';

const body = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ messenger: { type: 'A', name, ...extra } });

describe('create and read', () => {
  it('without an id: 200, a fresh id, both instants from the clock, server-owned fields sent by the client dropped', async () => {
    const k = kit([gadget]);
    const r = await k.call('POST', '/api/messenger', body('one', { id: ID2, insertInstant: 5 }));
    expect(r.status).toBe(200);
    expect(r.body.messenger).toEqual({ type: 'A', name: 'one', tags: [], data: {}, id: expect.stringMatching(/^[0-9a-f-]{36}$/), insertInstant: k.clock.now, lastUpdateInstant: k.clock.now });
    expect(r.body.messenger.id).not.toBe(ID2);
    expect((await k.call('GET', `/api/messenger/${r.body.messenger.id}`)).body).toEqual(r.body);
    expect((await k.call('GET', '/api/messenger')).body).toEqual({ messengers: [r.body.messenger] });
  });
  it('with a client id (any letter case): stored lowercase; reusing it → [duplicate]<idField>, before the other errors', async () => {
    const k = kit([gadget]);
    expect((await k.call('POST', `/api/messenger/${ID1.toUpperCase()}`, body('one'))).body.messenger.id).toBe(ID1);
    await k.call('POST', '/api/messenger', body('two'));
    const again = await k.call('POST', `/api/messenger/${ID1}`, body('two'));
    expect(again.status).toBe(400);
    expect(codesOf(again)).toEqual(['messengerId: [duplicate]messengerId', 'messenger.name: [duplicate]messenger.name']);
  });
  // leo-technologies-llc/fusion_auth (live 1.46): a non-UUID path id is 404 with an empty body (crud.ts `pathId`).
  it('a path id that does not convert to a UUID → 400 [couldNotConvert]<idField> on every by-id endpoint; a number converts', async () => {
    const k = kit([gadget]);
    for (const method of ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'] as const) expect(codesOf(await k.call(method, '/api/messenger/not-a-uuid', body('x'))), method).toEqual(['messengerId: [couldNotConvert]messengerId']);
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) expect(await k.call(method, '/api/messenger/67890', body('x')), method).toEqual({ status: 404 });
  });
  it('an unknown id → 404 with no body on GET, PUT, PATCH and DELETE', async () => {
    const k = kit([gadget]);
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) expect(await k.call(method, `/api/messenger/${MISSING}`, body('x')), method).toEqual({ status: 404 });
  });
  it('a missing envelope → [missing]<singular> on create and PUT, and for a PATCH that removes it', async () => {
    const k = kit([gadget]);
    expect(codesOf(await k.call('POST', '/api/messenger', { name: 'x' }))).toEqual(['messenger: [missing]messenger']);
    const id = (await k.call('POST', '/api/messenger', body('one'))).body.messenger.id;
    expect(codesOf(await k.call('PUT', `/api/messenger/${id}`, { gadget: {} }))).toEqual(['messenger: [missing]messenger']);
    expect(codesOf(await k.call('PATCH', `/api/messenger/${id}`, { messenger: null }, { contentType: 'application/merge-patch+json' }))).toEqual(['messenger: [missing]messenger']);
  });
  it('the discriminator: missing or unknown → [invalidJSON] on <singular>.<field>', async () => {
    const k = kit([gadget]);
    expect(codesOf(await k.call('POST', '/api/messenger', { messenger: { name: 'x' } }))).toEqual(['messenger.type: [invalidJSON]']);
    expect(codesOf(await k.call('POST', '/api/messenger', body('x', { type: 'C' })))).toEqual(['messenger.type: [invalidJSON]']);
  });
});

describe('name rules', () => {
  it('[blank], [tooLong] past maxLength, [duplicate] among the kind’s objects; an update does not collide with itself', async () => {
    const k = kit([gadget]);
    expect(codesOf(await k.call('POST', '/api/messenger', body(' ')))).toEqual(['messenger.name: [blank]messenger.name']);
    expect(codesOf(await k.call('POST', '/api/messenger', body('x'.repeat(11))))).toEqual(['messenger.name: [tooLong]messenger.name']);
    const id = (await k.call('POST', '/api/messenger', body('one'))).body.messenger.id;
    await k.call('POST', '/api/messenger', body('two'));
    expect(codesOf(await k.call('POST', '/api/messenger', body('one')))).toEqual(['messenger.name: [duplicate]messenger.name']);
    expect((await k.call('PUT', `/api/messenger/${id}`, body('one'))).status).toBe(200);
    expect(codesOf(await k.call('PUT', `/api/messenger/${id}`, body('two')))).toEqual(['messenger.name: [duplicate]messenger.name']);
  });
  it('the kind’s own errors follow the common ones, and nothing is stored when there are errors', async () => {
    const strict: KindSpec = { ...gadget, validate: (w, e) => void (w.obj.size === undefined && e.field('messenger.size', '[missing]', 'size')) };
    const k = kit([strict]);
    expect(codesOf(await k.call('POST', '/api/messenger', body('')))).toEqual(['messenger.name: [blank]messenger.name', 'messenger.size: [missing]messenger.size']);
    expect(k.state.store.list(col('messenger'))).toEqual([]);
  });
});

describe('update and delete', () => {
  it('PUT replaces: omitted fields go back to the defaults; the discriminator, `keep` paths and insertInstant stay', async () => {
    const k = kit([gadget]);
    const created = (await k.call('POST', '/api/messenger', body('one', { tags: ['a'], data: { x: 1 }, origin: { region: 'eu' } }))).body.messenger;
    k.clock.now += 1000;
    const r = await k.call('PUT', `/api/messenger/${created.id}`, body('one', { type: 'B', origin: { region: 'us', zone: 2 } }));
    expect(r.status).toBe(200);
    expect(r.body.messenger).toEqual({ type: 'A', name: 'one', tags: [], data: {}, origin: { region: 'eu', zone: 2 }, id: created.id, insertInstant: created.insertInstant, lastUpdateInstant: created.insertInstant + 1000 });
  });
  it('the three PATCH flavours; the original one appends to arrays, replaces the `replaced` ones, collapses duplicates in sets', async () => {
    const k = kit([gadget]);
    const id = (await k.call('POST', '/api/messenger', body('one', { tags: ['a', 'a'], list: [1], pinned: [1] }))).body.messenger.id;
    const original = await k.call('PATCH', `/api/messenger/${id}`, { messenger: { tags: ['a', 'b'], list: [1], pinned: [2] } });
    expect(original.body.messenger).toMatchObject({ tags: ['a', 'b'], list: [1, 1], pinned: [2] });
    const merge = await k.call('PATCH', `/api/messenger/${id}`, { messenger: { list: [2], data: null } }, { contentType: 'application/merge-patch+json' });
    // A null deletes the field, and the defaults fill it again (a PATCH result is validated and filled like a PUT).
    expect(merge.body.messenger).toMatchObject({ list: [2], data: {} });
    const ops = await k.call('PATCH', `/api/messenger/${id}`, [{ op: 'replace', path: '/messenger/name', value: 'renamed' }], { contentType: 'application/json-patch+json' });
    expect(ops.body.messenger.name).toBe('renamed');
  });
  it('PATCH with another media type, without a body, or with a patch that does not apply → [invalidJSON], nothing changed', async () => {
    const k = kit([gadget]);
    const created = (await k.call('POST', '/api/messenger', body('one'))).body.messenger;
    expect(codesOf(await k.call('PATCH', `/api/messenger/${created.id}`, { messenger: {} }, { contentType: 'text/plain' }))).toEqual(['[invalidJSON]']);
    expect(codesOf(await k.call('PATCH', `/api/messenger/${created.id}`, undefined))).toEqual(['[invalidJSON]']);
    const failing = [{ op: 'test', path: '/messenger/name', value: 'other' }];
    expect(codesOf(await k.call('PATCH', `/api/messenger/${created.id}`, failing, { contentType: 'application/json-patch+json' }))).toEqual(['[invalidJSON]']);
    expect((await k.call('GET', `/api/messenger/${created.id}`)).body.messenger).toEqual(created);
  });
  it('DELETE → 200 with no body, then 404', async () => {
    const k = kit([gadget]);
    const id = (await k.call('POST', '/api/messenger', body('one'))).body.messenger.id;
    expect(await k.call('DELETE', `/api/messenger/${id}`)).toEqual({ status: 200 });
    expect(await k.call('GET', `/api/messenger/${id}`)).toEqual({ status: 404 });
    expect(await k.call('DELETE', `/api/messenger/${id}`)).toEqual({ status: 404 });
  });
});

describe('tenant scope (reference §1.2)', () => {
  const tenant = (id: string, name: string) => ({ id, name });
  const thingBody = (name: string, extra: Record<string, unknown> = {}) => ({ application: { name, ...extra } });

  it('a create goes to the only tenant; with two, the header picks one and none is [TenantIdRequired]; an unknown one is [invalid]tenantId', async () => {
    const k = kit([thing]);
    k.seed('tenant', tenant(T0, 'Default'));
    expect((await k.call('POST', '/api/application', thingBody('a'))).body.application.tenantId).toBe(T0);
    k.seed('tenant', tenant(T1, 'Second'));
    expect(codesOf(await k.call('POST', '/api/application', thingBody('b')))).toEqual(['[TenantIdRequired]']);
    expect((await k.call('POST', '/api/application', thingBody('b', { tenantId: T0 }), { tenantId: T1 })).body.application.tenantId).toBe(T1);
    expect(codesOf(await k.call('POST', '/api/application', thingBody('c'), { tenantId: MISSING }))).toEqual(['tenantId: [invalid]tenantId']);
  });
  it('by-id requests see the header tenant’s objects only (others → 404); the list holds them only; an update keeps the tenant', async () => {
    const k = kit([thing]);
    k.seed('tenant', tenant(T0, 'Default'));
    k.seed('tenant', tenant(T1, 'Second'));
    const a = (await k.call('POST', '/api/application', thingBody('a'), { tenantId: T0 })).body.application;
    const b = (await k.call('POST', '/api/application', thingBody('b'), { tenantId: T1 })).body.application;
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) expect((await k.call(method, `/api/application/${a.id}`, thingBody('a'), { tenantId: T1 })).status, method).toBe(404);
    expect((await k.call('GET', '/api/application', undefined, { tenantId: T1 })).body.applications.map((x: { id: string }) => x.id)).toEqual([b.id]);
    expect((await k.call('GET', '/api/application')).body.applications).toHaveLength(2);
    expect((await k.call('PUT', `/api/application/${a.id}`, thingBody('a', { tenantId: T1 }))).body.application.tenantId).toBe(T0);
  });
  it('a universal object needs no tenant, gets none, and is visible from every tenant', async () => {
    const k = kit([thing]);
    k.seed('tenant', tenant(T0, 'Default'));
    k.seed('tenant', tenant(T1, 'Second'));
    const u = await k.call('POST', '/api/application', thingBody('u', { universalConfiguration: { universal: true } }));
    expect(u.status).toBe(200);
    expect(u.body.application).not.toHaveProperty('tenantId');
    for (const t of [T0, T1]) expect((await k.call('GET', `/api/application/${u.body.application.id}`, undefined, { tenantId: t })).status).toBe(200);
  });
});
