/**
 * Fields FusionAuth will not change on its protected built-in objects, over real HTTP against the emulator (which
 * mirrors the server's `_update` rules, [DEC-APP]). The whole class, found by probing rather than listed: every field of
 * the kind's OpenAPI schema is written to the built-in object and to an ordinary twin of it; a field the twin takes but
 * the built-in keeps, forces or refuses must be a plan error at that field (else it would plan as a change on every
 * run: the FusionAuth application's redirect URLs did), and a field both take must plan as a plain update (no
 * over-blocking). The FusionAuth application's roles are refused outright and must be plan errors too.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computePlan } from '../../src/core/plan.js';
import { getPath, splitPath, type KindDef } from '../../src/core/kind.js';
import { isJsonObject, patternMatches, setIn } from '../../src/core/normalize.js';
import type { Json, JsonObject, KindName, Plan } from '../../src/core/types.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import { FUSIONAUTH_APP_ID, WIRE } from '../../src/fusionauth/wire.js';
import type { ApiClient } from '../../src/fusionauth/types.js';
import { KINDS } from '../../src/kinds/index.js';
import { fetchLiveState } from '../../src/state/fetch.js';
import { desiredOf, PLAN, res } from '../core/helpers.js';

const DEFAULT_TENANT = '0a6c1d2e-3f40-4b5c-8d6e-7f8091a2b3c4';
/** The Tenant manager application's id (random on a real instance; fixed here, as Kickstart's `tenantManagerApplicationId` does). */
const TENANT_MANAGER = '7e0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b';
const SCHEMAS = (JSON.parse(readFileSync(new URL('../contract/openapi-schemas.json', import.meta.url), 'utf8')) as { definitions: Record<string, JsonObject> }).definitions;
const UUID_VALUE = 'c0ffee00-0000-4000-8000-00000000000a';

let emu: Emulator;
let client: ApiClient;

/** One HTTP call to the emulator with its key; the parsed body (or undefined) and the status. */
async function call(method: string, path: string, body?: JsonObject, contentType = 'application/json'): Promise<{ status: number; body: JsonObject }> {
  const headers: Record<string, string> = { Authorization: emu.apiKey };
  // Once the tenant twin exists there are two tenants: application creates name theirs; tenant requests must not
  // carry the header (reference §1.2).
  if (path.startsWith('/api/application')) headers['X-FusionAuth-TenantId'] = DEFAULT_TENANT;
  if (body) headers['Content-Type'] = contentType;
  const r = await fetch(`${emu.url}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await r.text();
  return { status: r.status, body: text === '' ? {} : (JSON.parse(text) as JsonObject) };
}

function resolve(schema: JsonObject): JsonObject {
  let s = schema;
  for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) s = SCHEMAS[s.$ref.split('/').pop()!]!;
  return s;
}

/** An object holding only `value` at the dotted `path` (several pairs merged into one). */
function bodyOf(pairs: ReadonlyArray<{ path: string; value: Json }>): JsonObject {
  const body: JsonObject = {};
  for (const p of pairs) setIn(body, splitPath(p.path), p.value);
  return body;
}

/** Equal as JSON, arrays compared as sets (FusionAuth serialises some lists, e.g. enabledGrants, in its own order). */
function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  const norm = (v: Json | undefined): string => (Array.isArray(v) ? JSON.stringify(v.map((x) => JSON.stringify(x)).sort()) : JSON.stringify(v ?? null));
  return norm(a) === norm(b);
}

/**
 * The ids of the live objects of every kind the emulator lists, by wire kind: a reference field is given one of them,
 * since the emulator (like FusionAuth) refuses an id that names no object.
 */
async function liveIds(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [name, w] of Object.entries(WIRE)) {
    if (!w.path || !w.plural || w.parent) continue;
    const r = await call('GET', w.path);
    const list = r.status === 200 ? r.body[w.plural] : undefined;
    if (Array.isArray(list)) out.set(name, list.map((o) => (o as JsonObject).id as string));
  }
  return out;
}

/**
 * A value for every leaf of the schema that differs from the live one: booleans flipped, numbers plus one, another enum
 * value, a URL for URL-like strings, another existing object's id for a reference (a fixed UUID when none exists), a
 * one-key map. Lists of objects (children, policies) are not generated.
 */
function candidates(kind: KindDef, live: JsonObject, ids: Map<string, string[]>): Array<{ path: string; value: Json }> {
  const refKind = new Map(kind.wire.refs.map((r) => [r.path, r.kind]));
  const out: Array<{ path: string; value: Json }> = [];
  const walk = (schema: JsonObject, path: string[], depth: number): void => {
    const s = resolve(schema);
    const dotted = path.join('.');
    if (path.length > 0 && (kind.serverFields.some((p) => patternMatches(p, path)) || path[0] === kind.parent?.field)) return;
    if (s.type === 'object' && isJsonObject(s.properties)) {
      if (depth < 8) for (const [k, v] of Object.entries(s.properties)) walk(v as JsonObject, [...path, k], depth + 1);
      return;
    }
    const current = getPath(live, dotted) as Json | undefined;
    const leaf = path[path.length - 1] ?? '';
    let value: Json | undefined;
    if (Array.isArray(s.enum)) value = (s.enum as Json[]).find((e) => e !== current);
    else if (s.type === 'boolean') value = current !== true;
    else if (s.type === 'integer' || s.type === 'number') value = (typeof current === 'number' ? current : 0) + 1;
    else if (s.type === 'string' && s.format === 'uuid') value = ids.get(refKind.get(dotted) ?? '')?.find((id) => id !== current) ?? UUID_VALUE;
    else if (s.type === 'string') value = /ur[li]$/i.test(leaf) ? `https://kickstand.example/${leaf}` : `kickstand-${leaf}`;
    else if (s.type === 'object') value = { kickstand: 'x' };
    else if (s.type === 'array') {
      const items = resolve((s.items ?? {}) as JsonObject);
      if (Array.isArray(items.enum)) {
        const have = Array.isArray(current) ? current : [];
        const extra = (items.enum as Json[]).find((e) => !have.includes(e));
        value = extra === undefined ? have.slice(1) : [...have, extra];
      } else if (items.type === 'string') {
        // Origins take no path (reference §5.4: [invalidOriginURL]).
        value = [items.format === 'uuid' ? UUID_VALUE : /origin/i.test(leaf) ? 'https://kickstand.example' : `https://kickstand.example/${leaf}`];
      }
    }
    if (value !== undefined && !sameJson(value, current)) out.push({ path: dotted, value });
  };
  walk(SCHEMAS[kind.openapi.schema]!, [], 0);
  return out;
}

/** What the emulator does with a merge patch of one field: takes it, keeps (or forces) the old value, or refuses. */
async function probe(kind: KindDef, id: string, original: JsonObject, path: string, value: Json): Promise<'applied' | 'kept' | 'refused' | 'other'> {
  const base = `${kind.wire.path!}/${id}`;
  const one = kind.wire.singular;
  const r = await call('PATCH', base, { [one]: bodyOf([{ path, value }]) }, 'application/merge-patch+json');
  let outcome: 'applied' | 'kept' | 'refused' | 'other';
  if (r.status !== 200) outcome = 'refused';
  else {
    const after = (await call('GET', base)).body[one] as JsonObject;
    const now = getPath(after, path) as Json | undefined;
    outcome = sameJson(now, value) ? 'applied' : sameJson(now, getPath(original, path) as Json | undefined) ? 'kept' : 'other';
  }
  if (outcome === 'applied' || outcome === 'other') {
    const restore = await call('PUT', base, { [one]: original });
    expect(restore.status, `restoring ${id} after ${path}`).toBe(200);
  }
  return outcome;
}

async function plan(kind: KindName, id: string, body: JsonObject): Promise<Plan> {
  const desired = desiredOf([res(kind, 'builtin', body, { id })]);
  const kinds = [kind, ...KINDS.filter((k) => k.parent?.kind === kind).map((k) => k.name)];
  return computePlan(desired, await fetchLiveState(client, kinds), { ...PLAN, target: emu.url });
}

beforeAll(async () => {
  emu = await startEmulator({ licensed: true, defaultTenantId: DEFAULT_TENANT, tenantManagerApplicationId: TENANT_MANAGER });
  client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
  // Objects for the reference fields to name: a fresh instance has no email template, message template or lambda.
  const made = [
    await call('POST', '/api/email/template', { emailTemplate: { name: 'Probe', defaultSubject: 's', defaultHtmlTemplate: 'h', defaultTextTemplate: 't' } }),
    await call('POST', '/api/message/template', { messageTemplate: { type: 'SMS', name: 'Probe', defaultTemplate: 'Code ${code}' } }),
    await call('POST', '/api/lambda', { lambda: { name: 'Probe', type: 'JWTPopulate', body: 'function populate(jwt, user, registration) {}' } }),
  ];
  expect(made.map((r) => r.status)).toEqual([200, 200, 200]);
});
afterAll(async () => {
  await emu.stop();
});

/** An ordinary copy of a built-in application: its relative admin URLs and fixed role ids do not pass for an ordinary one. */
function appTwin(name: string): (live: JsonObject) => JsonObject {
  return (live) => {
    const { id: _id, roles: _roles, ...rest } = live;
    const oauth = { ...(rest.oauthConfiguration as JsonObject) };
    delete oauth.authorizedRedirectURLs;
    delete oauth.logoutURL;
    return { ...rest, name, oauthConfiguration: oauth };
  };
}

/**
 * Each protected built-in object the emulator boots, how to make an ordinary twin of it (a copy under another name),
 * how many fields the built-in must at least take (the probe reached the kind's updatable fields), and a sample of the
 * fields it must keep (the probe found the class).
 */
const BUILTINS: Array<{ kind: KindName; id: string; twin: (live: JsonObject) => JsonObject; minFree: number; keeps: string[]; entry?: Array<{ path: string; value: Json }> }> = [
  {
    kind: 'application',
    id: FUSIONAUTH_APP_ID,
    twin: appTwin('Twin'),
    minFree: 50,
    // The reported case: the admin UI's OAuth settings are kept.
    keeps: [
      'oauthConfiguration.authorizedRedirectURLs', 'oauthConfiguration.authorizedOriginURLs', 'oauthConfiguration.enabledGrants',
      'oauthConfiguration.logoutURL', 'jwtConfiguration.refreshTokenUsagePolicy', 'unverified.behavior', 'registrationConfiguration.enabled',
    ],
  },
  // The Tenant manager application (1.58+, universal): an update takes a short list of settings and keeps the rest
  // ([DEC-APP] `_updateTenantManager`); its twin is an ordinary universal application.
  {
    kind: 'application',
    id: TENANT_MANAGER,
    twin: appTwin('Twin manager'),
    minFree: 20,
    // An entry for a universal application says so; else it would belong to the Default tenant.
    entry: [{ path: 'universalConfiguration.universal', value: true }],
    keeps: [
      'oauthConfiguration.authorizedRedirectURLs', 'oauthConfiguration.consentMode', 'oauthConfiguration.enabledGrants', 'jwtConfiguration.refreshTokenUsagePolicy',
      'registrationConfiguration.enabled', 'data', 'samlv2Configuration.enabled', 'cleanSpeakConfiguration.applicationIds', 'lambdaConfiguration.accessTokenPopulateId',
    ],
  },
  // FusionAuth's tenant update has no case for the Default tenant ([DEC-TENANT] `_update`).
  { kind: 'tenant', id: DEFAULT_TENANT, twin: ({ id: _id, ...rest }) => ({ ...rest, name: 'Twin' }), minFree: 50, keeps: [] },
];

describe('fields FusionAuth will not change on a protected built-in object', () => {
  for (const b of BUILTINS) {
    it(`${b.kind} ${b.id}: a field the twin takes but the built-in does not is a plan error there; the others plan as updates`, async () => {
      const kind = KINDS.find((k) => k.name === b.kind)!;
      const one = kind.wire.singular;
      const original = (await call('GET', `${kind.wire.path!}/${b.id}`)).body[one] as JsonObject;
      expect(kind.isProtected(original, { defaults: { tenant: DEFAULT_TENANT } })).toBe(true);
      const created = await call('POST', kind.wire.path!, { [one]: b.twin(original) });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      const twin = created.body[one] as JsonObject;

      const locked: Array<{ path: string; value: Json }> = [];
      const free: Array<{ path: string; value: Json }> = [];
      const cands = candidates(kind, original, await liveIds());
      for (const c of cands) {
        if ((await probe(kind, twin.id as string, twin, c.path, c.value)) !== 'applied') continue;
        ((await probe(kind, b.id, original, c.path, c.value)) === 'applied' ? free : locked).push(c);
      }
      // The generator reaches most of the schema; the twin takes most values.
      expect(cands.length).toBeGreaterThan(100);
      expect(free.length).toBeGreaterThan(b.minFree);

      const lockedPlan = await plan(b.kind, b.id, bodyOf([...(b.entry ?? []), ...locked]));
      // A map value (`data`) shows as its key below the written path.
      const under = (p: string | undefined, c: string): boolean => p === c || (p ?? '').startsWith(`${c}.`);
      const errorPaths = lockedPlan.diagnostics.filter((d) => d.severity === 'error').map((d) => d.where?.path);
      expect(locked.map((c) => c.path).filter((c) => !errorPaths.some((p) => under(p, c))), 'locked fields planned without an error').toEqual([]);

      const freePlan = await plan(b.kind, b.id, bodyOf([...(b.entry ?? []), ...free]));
      expect(freePlan.diagnostics, 'fields FusionAuth changes must not be blocked').toEqual([]);
      expect(freePlan.changes.map((c) => c.action)).toEqual(['update']);
      const planned = freePlan.changes[0]!.fields.map((f) => f.path);
      expect(free.map((c) => c.path).filter((c) => !planned.some((p) => under(p, c))), 'fields FusionAuth changes, not planned').toEqual([]);

      // Proof the probe found the class.
      if (b.keeps.length === 0) expect(locked).toEqual([]);
      else expect(locked.map((c) => c.path)).toEqual(expect.arrayContaining(b.keeps));
    }, 120_000);
  }

  it('roles of the FusionAuth application: adding or changing one is a plan error at the role; an ordinary application takes both', async () => {
    const roles: Json[] = [{ name: 'admin', description: 'Changed' }, { name: 'auditor' }];
    const fa = await plan('application', FUSIONAUTH_APP_ID, { roles });
    expect(fa.diagnostics.map((d) => `${d.where?.key}: ${d.message.split(':')[0]}`)).toEqual([
      'builtin/admin: application role "admin" cannot be changed',
      'builtin/auditor: application role "auditor" cannot be added',
    ]);
    const app = await call('POST', '/api/application', { application: { name: 'Ordinary', roles: [{ name: 'admin', description: 'Global' }] } });
    const ordinary = await plan('application', (app.body.application as JsonObject).id as string, { roles });
    expect(ordinary.diagnostics).toEqual([]);
    expect(ordinary.changes.map((c) => `${c.action} ${c.kind}`)).toEqual(['noop application', 'update applicationRole', 'create applicationRole']);
  });

  it('writing the live value of a locked field is no change and no error', async () => {
    const p = await plan('application', FUSIONAUTH_APP_ID, { oauthConfiguration: { enabledGrants: ['refresh_token', 'authorization_code'] }, unverified: { behavior: 'Allow' } });
    expect(p.diagnostics).toEqual([]);
    expect(p.changes.map((c) => c.action)).toEqual(['noop']);
  });
});
