/**
 * The generic shapes a kind can take beyond a plain collection, planned with kinds built here for the purpose (the
 * registered kinds that use them have their own tests): a singleton (one object, no id), write-only fields, a kind's
 * plan check, and references inside lists.
 */
import { describe, expect, it } from 'vitest';
import type { KindDef, WireFacts } from '../../src/core/kind.js';
import { setIn } from '../../src/core/normalize.js';
import { computePlan } from '../../src/core/plan.js';
import type { DesiredState, JsonObject, LiveState } from '../../src/core/types.js';
import { defineKind } from '../../src/kinds/define.js';
import { restCollection, singletonResource } from '../../src/kinds/api.js';
import { NS, res } from './helpers.js';

const SINGLE: WireFacts = { path: '/api/single', singular: 'single', idField: 'singleId', refs: [], singleton: true };
const COLL: WireFacts = { path: '/api/thing', singular: 'thing', plural: 'things', idField: 'thingId', refs: [] };

const single: KindDef = { ...defineKind({ name: 'single', section: 'single', title: 'single thing', wire: SINGLE, api: singletonResource(SINGLE), openapi: { schema: 'X' } }), refs: [], dependsOn: [] };
const thing: KindDef = {
  ...defineKind({
    name: 'thing', section: 'things', title: 'thing', wire: COLL, api: restCollection(COLL), openapi: { schema: 'Y' },
    secretFields: ['secret'], writeOnlyFields: ['secret', 'sourceId'],
    checkPlan: (changes, ctx) => changes.filter((c) => c.kind === 'thing' && c.after?.name === ctx.apiKey)
      .map((c) => ({ severity: 'error' as const, message: `thing ${c.key} is named like the API key`, where: { kind: 'thing', key: c.key } })),
  }),
  refs: [],
  dependsOn: [],
};
const KINDS = [single, thing];

const desired = (...resources: DesiredState['resources']): DesiredState => ({ resources, idNamespace: NS, secrets: [], diagnostics: [], files: ['kickstand.yaml'] });
const live = (objects: LiveState['objects']): LiveState => ({ serverVersion: '1.69.0', licensed: true, defaults: {}, objects, parentIds: {} });
const plan = (d: DesiredState, l: LiveState, apiKey?: string) => computePlan(d, l, { target: 'http://fa', kinds: KINDS, ...(apiKey ? { apiKey } : {}) });

describe('a singleton kind', () => {
  const server: JsonObject = { cors: { enabled: false, allowedOrigins: ['https://a.example', 'https://b.example'] }, timezone: 'UTC', other: 1 };

  it('updates the one live object with a merge patch of the declared fields; a declared list is sent whole', () => {
    const p = plan(desired(res('single', 'single', { cors: { enabled: true, allowedOrigins: ['https://b.example'] } })), live({ single: [server] }));
    expect(p.diagnostics).toEqual([]);
    expect(p.changes).toHaveLength(1);
    const c = p.changes[0]!;
    expect(c).toMatchObject({ action: 'update', match: 'singleton', kind: 'single' });
    expect(c.id).toBeUndefined();
    expect(c.after).toEqual({ cors: { enabled: true, allowedOrigins: ['https://b.example'] } });
  });

  it('is unchanged when the declared fields hold the live values, whatever else the server holds', () => {
    const p = plan(desired(res('single', 'single', { timezone: 'UTC' })), live({ single: [server] }));
    expect(p.changes.map((c) => c.action)).toEqual(['noop']);
  });

  it('is never created: a server that answered without it is an error at the section', () => {
    const p = plan(desired(res('single', 'single', { timezone: 'UTC' })), live({ single: [] }));
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('FusionAuth returned no single thing') })]);
  });
});

describe('write-only fields', () => {
  const id = 'a1b2c3d4-0000-4000-8000-000000000001';

  it('are sent on create', () => {
    const p = plan(desired(res('thing', 't', { name: 'T', secret: 's3cr3t-value', sourceId: 'b1b2c3d4-0000-4000-8000-000000000002' }, { id })), live({ thing: [] }));
    expect(p.changes[0]).toMatchObject({ action: 'create', after: { name: 'T', secret: 's3cr3t-value', sourceId: 'b1b2c3d4-0000-4000-8000-000000000002' } });
  });

  it('are not compared while the server does not return them', () => {
    const p = plan(desired(res('thing', 't', { name: 'T', secret: 'new-secret-value', sourceId: 'b1b2c3d4-0000-4000-8000-000000000002' }, { id })), live({ thing: [{ id, name: 'T' }] }));
    expect(p.changes.map((c) => c.action)).toEqual(['noop']);
  });

  it('are compared, and masked, when the server returns them', () => {
    const p = plan(desired(res('thing', 't', { name: 'T', secret: 'new-secret-value' }, { id })), live({ thing: [{ id, name: 'T', secret: 'old-secret-value' }] }));
    expect(p.changes[0]).toMatchObject({ action: 'update', after: { secret: 'new-secret-value' } });
    expect(p.changes[0]!.fields).toEqual([expect.objectContaining({ path: 'secret', sensitive: true })]);
  });
});

describe('unknown fields kept with --allow-unknown-fields (DesiredResource.unknownPaths)', () => {
  const id = 'a1b2c3d4-0000-4000-8000-000000000003';
  const body: JsonObject = { name: 'T', newTop: 1, nested: { newInner: true }, items: [{ name: 'a', newInItem: 'x' }] };
  const unknownPaths = ['newTop', 'nested.newInner', 'items[0].newInItem'];
  // The API key of the run, named by no thing (the thing kind's plan check compares them).
  const KEY = 'the-api-key';
  const withUnknown = () => ({ ...res('thing', 't', body, { id }), unknownPaths });

  it('are sent on create', () => {
    const p = plan(desired(withUnknown()), live({ thing: [] }), KEY);
    expect(p.changes[0]).toMatchObject({ action: 'create', after: body });
    expect(p.diagnostics).toEqual([]);
  });

  it('are not compared, and each is named once as not comparable, while the server does not return them (a FusionAuth that does not know them drops them)', () => {
    const p = plan(desired(withUnknown()), live({ thing: [{ id, name: 'T', nested: {}, items: [{ name: 'a' }] }] }), KEY);
    expect(p.changes.map((c) => c.action)).toEqual(['noop']);
    expect(p.diagnostics.map((d) => [d.severity, d.where?.path, d.message.split(':')[0]])).toEqual(
      unknownPaths.map((path) => ['warning', path, 'cannot be compared']),
    );
  });

  it('are compared when the server returns them (a FusionAuth newer than the schema knows them)', () => {
    const p = plan(desired(withUnknown()), live({ thing: [{ id, name: 'T', newTop: 2, nested: { newInner: true }, items: [{ name: 'a', newInItem: 'x' }] }] }), KEY);
    expect(p.changes[0]).toMatchObject({ action: 'update', after: { newTop: 1 } });
    expect(p.diagnostics).toEqual([]);
  });
});

describe("a kind's plan check", () => {
  it('sees every change and the API key of the run', () => {
    const d = desired(res('thing', 'a', { name: 'the-api-key' }), res('thing', 'b', { name: 'other' }));
    expect(plan(d, live({ thing: [] }), 'the-api-key').diagnostics.map((x) => x.message)).toEqual(['thing a is named like the API key']);
    expect(plan(d, live({ thing: [] })).diagnostics).toEqual([]);
  });
});

describe('setIn', () => {
  it('sets an item of a list in place (a reference resolved inside `tenantIds`), and nothing outside the list', () => {
    const body: JsonObject = { tenantIds: ['a', 'b'], nested: [{ x: 'k' }] };
    setIn(body, ['tenantIds', '1'], 'B');
    setIn(body, ['nested', '0', 'x'], 'K');
    setIn(body, ['tenantIds', '5'], 'nope');
    setIn(body, ['tenantIds', 'x'], 'nope');
    expect(body).toEqual({ tenantIds: ['a', 'B'], nested: [{ x: 'K' }] });
  });

  it('still creates the objects on its way', () => {
    const body: JsonObject = {};
    setIn(body, ['a', 'b', 'c'], 1);
    expect(body).toEqual({ a: { b: { c: 1 } } });
  });
});
