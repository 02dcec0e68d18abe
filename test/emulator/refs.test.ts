/**
 * References derived from the wire table (src/emulator/refs.ts) as a unit: `[invalid]` on write, "in use" on delete and
 * the tenant cascade, through fake kinds with no rules of their own on real wire rows, so that every behaviour seen
 * here comes from src/fusionauth/wire.ts and the generic code, the same for every kind.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THEME_ID, FUSIONAUTH_CONNECTOR_ID } from '../../src/fusionauth/wire.js';
import type { KindSpec } from '../../src/emulator/crud.js';
import { rememberRefs, removeNow, valuesAt } from '../../src/emulator/refs.js';
import { col } from '../../src/emulator/state.js';
import { codesOf, kit } from './kit.js';

const fake = (kind: KindSpec['kind'], scope: KindSpec['scope'] = 'global', extra: Partial<KindSpec> = {}): KindSpec => ({
  kind,
  scope,
  serverOwned: ['id', 'insertInstant', 'lastUpdateInstant', 'tenantId'],
  fill: (body) => ({ ...body }),
  ...extra,
});
const messenger = fake('messenger');
const tenant = fake('tenant');
const application = fake('application', 'tenant');

const M1 = '6b1d0000-0000-4000-8000-000000000001';
const T1 = '0b8e0000-0000-4000-8000-000000000001';
const T2 = '0b8e0000-0000-4000-8000-000000000002';
const FORM = 'f0000000-0000-4000-8000-00000000000f';
const MISSING = 'eeeeeeee-0000-4000-8000-000000000000';

describe('valuesAt', () => {
  it('reads a dotted path, absent values included', () => {
    expect(valuesAt({ a: { b: 'x' } }, 'a.b')).toEqual([{ path: 'a.b', value: 'x', inItem: false }]);
    expect(valuesAt({ a: 1 }, 'a.b')).toEqual([{ path: 'a.b', value: undefined, inItem: false }]);
  });
  it('expands `*` over list items and map values; an object item without the field is reported, a non-object item is skipped', () => {
    expect(valuesAt({ l: [{ id: 'a' }, {}, 'scalar'] }, 'l.*.id')).toEqual([
      { path: 'l[0].id', value: 'a', inItem: true },
      { path: 'l[1].id', value: undefined, inItem: true },
    ]);
    expect(valuesAt({ m: { x: 'a', y: 'b' } }, 'm.*')).toEqual([
      { path: 'm.x', value: 'a', inItem: true },
      { path: 'm.y', value: 'b', inItem: true },
    ]);
  });
});

describe('[invalid] on write', () => {
  it('a served kind resolves in the store; a missing id or a non-UUID → [invalid]<singular>.<path> with the kind in words', async () => {
    const k = kit([messenger, tenant]);
    k.seed('messenger', { id: M1, name: 'm' });
    const ok = await k.call('POST', '/api/tenant', { tenant: { name: 'a', phoneConfiguration: { messengerId: M1.toUpperCase() } } });
    expect(ok.status).toBe(200);
    const bad = await k.call('POST', '/api/tenant', { tenant: { name: 'b', phoneConfiguration: { messengerId: MISSING }, multiFactorConfiguration: { sms: { templateId: 'nope' } } } });
    expect(codesOf(bad)).toEqual([
      'tenant.phoneConfiguration.messengerId: [invalid]tenant.phoneConfiguration.messengerId',
      'tenant.multiFactorConfiguration.sms.templateId: [invalid]tenant.multiFactorConfiguration.sms.templateId',
    ]);
    expect(bad.body.fieldErrors['tenant.multiFactorConfiguration.sms.templateId'][0].message).toBe('The message template [nope] does not exist.');
  });
  it('a kind the emulator does not serve resolves through its fixed ids and the known ids, nothing else', async () => {
    const k = kit([tenant]);
    k.state.store.addKnownId(col('form'), FORM);
    const ok = await k.call('POST', '/api/tenant', { tenant: { name: 'a', themeId: DEFAULT_THEME_ID, formConfiguration: { adminUserFormId: FORM } } });
    expect(ok.status).toBe(200);
    const bad = await k.call('POST', '/api/tenant', { tenant: { name: 'b', themeId: MISSING, formConfiguration: { adminUserFormId: MISSING } } });
    expect(codesOf(bad)).toEqual(['tenant.themeId: [invalid]tenant.themeId', 'tenant.formConfiguration.adminUserFormId: [invalid]tenant.formConfiguration.adminUserFormId']);
  });
  it('in list items: the WithCode form (field with the index, code without), and an item that lacks the field is invalid too', async () => {
    const k = kit([tenant]);
    const r = await k.call('POST', '/api/tenant', { tenant: { name: 'a', connectorPolicies: [{ connectorId: FUSIONAUTH_CONNECTOR_ID }, { connectorId: MISSING }, { domains: ['*'] }] } });
    expect(codesOf(r)).toEqual([
      'tenant.connectorPolicies[1].connectorId: [invalid]tenant.connectorPolicies.connectorId',
      'tenant.connectorPolicies[2].connectorId: [invalid]tenant.connectorPolicies.connectorId',
    ]);
  });
  it('every reference is checked except the paths a spec leaves unchecked', async () => {
    const k = kit([fake('tenant', 'global', { refs: { unchecked: ['themeId', 'formConfiguration.adminUserFormId'] } })]);
    const r = await k.call('POST', '/api/tenant', { tenant: { name: 'a', themeId: MISSING, phoneConfiguration: { messengerId: MISSING }, formConfiguration: { adminUserFormId: MISSING } } });
    expect(codesOf(r)).toEqual(['tenant.phoneConfiguration.messengerId: [invalid]tenant.phoneConfiguration.messengerId']);
  });
});

describe('in use on delete', () => {
  it('each field of each object that names it stops the delete: [inUse]<idField> naming the holder and field', async () => {
    const k = kit([messenger, tenant]);
    k.seed('messenger', { id: M1, name: 'm' });
    const t = (await k.call('POST', '/api/tenant', { tenant: { name: 'holder', phoneConfiguration: { messengerId: M1 }, multiFactorConfiguration: { voice: { messengerId: M1 } } } })).body.tenant;
    const r = await k.call('DELETE', `/api/messenger/${M1}`);
    expect(codesOf(r)).toEqual(['messengerId: [inUse]messengerId', 'messengerId: [inUse]messengerId']);
    expect(r.body.fieldErrors.messengerId.map((x: { message: string }) => x.message)).toEqual([
      `The messenger is in use: tenant [holder] with Id [${t.id}] assigned to [tenant.phoneConfiguration.messengerId].`,
      `The messenger is in use: tenant [holder] with Id [${t.id}] assigned to [tenant.multiFactorConfiguration.voice.messengerId].`,
    ]);
    await k.call('DELETE', `/api/tenant/${t.id}`);
    expect((await k.call('DELETE', `/api/messenger/${M1}`)).status).toBe(200);
  });
  it('a kind may word the refusal its own way (`inUse`)', async () => {
    const k = kit([fake('messenger', 'global', { inUse: (users, e) => void e.general('[used]', `${users.length} users`) }), tenant]);
    k.seed('messenger', { id: M1, name: 'm' });
    k.seed('tenant', { id: T1, name: 't', phoneConfiguration: { messengerId: M1 } });
    expect((await k.call('DELETE', `/api/messenger/${M1}`)).body).toEqual({ fieldErrors: {}, generalErrors: [{ code: '[used]', message: '1 users' }] });
  });
});

describe('the tenant cascade', () => {
  it('deleting an object removes the objects whose tenant field names it, and theirs only; a tenant field is not "in use"', async () => {
    const k = kit([tenant, application]);
    k.seed('tenant', { id: T1, name: 'one' });
    k.seed('tenant', { id: T2, name: 'two' });
    const a1 = (await k.call('POST', '/api/application', { application: { name: 'a1' } }, { tenantId: T1 })).body.application;
    const a2 = (await k.call('POST', '/api/application', { application: { name: 'a2' } }, { tenantId: T2 })).body.application;
    expect((await k.call('DELETE', `/api/tenant/${T1}`)).status).toBe(200);
    expect(k.state.store.list(col('application')).map((a) => a.id)).toEqual([a2.id]);
    expect(k.state.store.get(col('application'), a1.id)).toBeUndefined();
  });
  it('removeNow also drops a pending (async) delete of the object', () => {
    const k = kit([tenant, application]);
    k.seed('tenant', { id: T1, name: 'one' });
    k.state.pendingDeletes.set(T1, { kind: 'tenant', due: 0 });
    removeNow(k.state, 'tenant', T1);
    expect(k.state.pendingDeletes.size).toBe(0);
  });
});

describe('rememberRefs', () => {
  it('records the ids an object names among kinds the emulator does not serve, and not those of served kinds', () => {
    const k = kit([messenger, tenant]);
    rememberRefs(k.state, 'tenant', { themeId: MISSING, phoneConfiguration: { messengerId: M1 }, jwtConfiguration: { idTokenKeyId: 'not-a-uuid' } });
    expect(k.state.store.isKnownId(col('theme'), MISSING)).toBe(true);
    expect([...k.state.store.knownIds.keys()]).toEqual(['themes']);
  });
});
