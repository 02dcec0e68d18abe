/**
 * Property: planning a desired state against a server that already holds it is empty (all noop) — also when the live
 * objects carry fields the file never wrote (server defaults), list set fields in another order, and return ids in
 * lowercase where the file has uppercase.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivedId } from '../../src/core/match.js';
import { isJsonObject } from '../../src/core/normalize.js';
import { computePlan } from '../../src/core/plan.js';
import type { Json, JsonObject } from '../../src/core/types.js';
import { isUuid } from '../../src/core/uuid.js';
import { DEFAULT_TENANT, desiredOf, liveOf, NS, PLAN, res } from './helpers.js';

const key = fc.string({ minLength: 1, maxLength: 8 });
const scalar: fc.Arbitrary<Json> = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.uuid().map((u) => u.toUpperCase()));
const value: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(key, tie('v'), { maxKeys: 4 }),
  ),
})).v;
const defaults = fc.dictionary(key.map((k) => `zzDefault_${k}`), scalar, { maxKeys: 3 });

/** What FusionAuth would return for a desired value: nulls omitted, ids lowercase, extra fields inside objects. */
function toLive(v: Json, extra: JsonObject): Json | undefined {
  if (v === null) return undefined;
  if (typeof v === 'string') return isUuid(v) ? v.toLowerCase() : v;
  if (Array.isArray(v)) return v.map((x) => toLive(x, extra) ?? null);
  if (isJsonObject(v)) {
    const out: JsonObject = { ...extra };
    for (const [k, x] of Object.entries(v)) {
      const l = toLive(x, extra);
      if (l !== undefined) Object.defineProperty(out, k, { value: l, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

const messageTypes = fc.subarray(['SMS', 'Voice'], { minLength: 1 });

describe('computePlan(x, live already in state x)', () => {
  it('is all noop', () => {
    fc.assert(fc.property(
      fc.dictionary(key, value, { maxKeys: 5 }), fc.dictionary(key, value, { maxKeys: 4 }), messageTypes, defaults, fc.boolean(),
      fc.array(fc.record({ name: fc.string({ minLength: 1, maxLength: 6 }), description: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }) }), { maxLength: 3 }),
      (data, tenantData, types, extra, reverse, rolesRaw) => {
        const roles = rolesRaw.filter((r, i) => rolesRaw.findIndex((x) => x.name === r.name) === i)
          .map((r): JsonObject => (r.description === undefined ? { name: r.name } : { name: r.name, description: r.description }));
        const messenger: JsonObject = { name: 'sms', type: 'Generic', url: 'https://m.example', connectTimeout: 1000, readTimeout: 1000, messageTypes: types, data };
        const tenant: JsonObject = { name: 'Acme', data: tenantData, phoneConfiguration: { messengerId: 'sms' } };
        const app: JsonObject = { name: 'Web', data, roles, oauthConfiguration: { enabledGrants: ['authorization_code', 'refresh_token'] } };
        const desired = desiredOf([
          res('messenger', 'sms', messenger),
          res('tenant', 'acme', tenant, { refs: [{ path: 'phoneConfiguration.messengerId', kind: 'messenger', key: 'sms' }] }),
          res('application', 'web', app),
        ]);
        const ids = { m: derivedId('messenger', 'sms', NS), t: derivedId('tenant', 'acme', NS), a: derivedId('application', 'web', NS) };
        const liveMessenger = { ...(toLive(messenger, extra) as JsonObject), id: ids.m, transport: 'sms', messageTypes: reverse ? [...types].reverse() : types };
        const liveTenant = { ...(toLive(tenant, extra) as JsonObject), id: ids.t, phoneConfiguration: { messengerId: ids.m, verificationStrategy: 'ClickableLink' } };
        const liveApp: JsonObject = {
          ...(toLive(app, extra) as JsonObject), id: ids.a, tenantId: DEFAULT_TENANT, active: true,
          roles: roles.map((r, i) => ({ ...r, id: `b0000000-0000-4000-8000-00000000000${i}`, isDefault: false, isSuperRole: false })),
          oauthConfiguration: { clientId: ids.a, clientSecret: 'generated', enabledGrants: reverse ? ['refresh_token', 'authorization_code'] : ['authorization_code', 'refresh_token'] },
        };
        const plan = computePlan(desired, liveOf({ messenger: [liveMessenger], tenant: [liveTenant], application: [liveApp] }, { defaultTenantId: DEFAULT_TENANT }), { ...PLAN, target: 't' });
        expect(plan.diagnostics).toEqual([]);
        expect(plan.changes.filter((c) => c.kind !== 'applicationRole').map((c) => [c.key, c.action, c.fields])).toEqual([
          ['sms', 'noop', []], ['acme', 'noop', []], ['web', 'noop', []],
        ]);
        expect(plan.changes.filter((c) => c.action !== 'noop')).toEqual([]);
      },
    ), { numRuns: 300 });
  });

  it('applying the planned patch to the live object makes the next plan empty', () => {
    fc.assert(fc.property(fc.dictionary(key, value, { maxKeys: 5 }), fc.dictionary(key, value, { maxKeys: 5 }), defaults, (before, after, extra) => {
      const id = derivedId('messenger', 'sms', NS);
      const live = { ...(toLive({ data: before }, extra) as JsonObject), id, name: 'sms', type: 'Generic' };
      const desired = desiredOf([res('messenger', 'sms', { name: 'sms', data: after })]);
      const first = computePlan(desired, liveOf({ messenger: [live] }), { ...PLAN, target: 't' });
      const change = first.changes[0]!;
      const next = change.action === 'update' ? mergePatch(live, change.after!) as JsonObject : live;
      const second = computePlan(desired, liveOf({ messenger: [next] }), { ...PLAN, target: 't' });
      expect(second.changes[0]!.action).toBe('noop');
    }), { numRuns: 300 });
  });
});

/** RFC 7396, written independently of the implementation under test. */
function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isJsonObject(patch)) return patch;
  const out: JsonObject = {};
  if (isJsonObject(target)) for (const [k, v] of Object.entries(target)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else Object.defineProperty(out, k, { value: mergePatch(Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined, v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
