/**
 * Wrong-shaped replies stop the plan, through the real client over real HTTP: a local server answers each request of
 * `fetchLiveState` with a chosen status and raw body. A list reply that is empty, not an object, or holds anything but
 * objects with UUID ids is an `ApiError` naming the request, the status and the problem — never "the server has
 * nothing" — while `{}` (FusionAuth omits empty collections) is an empty list. Version and reactor replies must carry
 * a version number and a boolean `licensed`. End to end: a hostile id in a live list never becomes a write.
 */
import { pluralOf } from '../../src/core/kind.js';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apply } from '../../src/engine.js';
import { startEmulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import { ApiError } from '../../src/fusionauth/errors.js';
import { KINDS } from '../../src/kinds/index.js';
import { FUSIONAUTH_APP_ID } from '../../src/fusionauth/wire.js';
import { fetchLiveState } from '../../src/state/fetch.js';
import type { KindName } from '../../src/core/types.js';
import { interceptingProxy } from '../hardening/helpers.js';
import { listenLocal, type LocalServer } from '../support/local-server.js';

const T = '7d3e1f2a-1111-4b2c-9a0d-6f4e2b1c0a99';
const M = 'a0000000-0000-4000-8000-000000000001';

/** A reply: status and raw body text (undefined: no body). */
type Reply = { status: number; body?: string };
const json = (v: unknown, status = 200): Reply => ({ status, body: JSON.stringify(v) });

let local: LocalServer;
let base: string;
let routes: Record<string, Reply>;
let seen: string[];

const defaults = (): Record<string, Reply> => ({
  'GET /api/system/version': json({ version: '1.69.0' }),
  'GET /api/reactor': json({ status: { licensed: true } }),
  'GET /api/tenant': json({ tenants: [{ id: T, name: 'Default' }] }),
  'GET /api/messenger': json({ messengers: [] }),
  'GET /api/message/template': json({ messageTemplates: [] }),
  'GET /api/application': json({ applications: [{ id: FUSIONAUTH_APP_ID, name: 'FusionAuth', tenantId: T }] }),
  'GET /api/application?inactive=true': json({ applications: [] }),
  [`GET /api/application/${FUSIONAUTH_APP_ID}`]: json({ application: { id: FUSIONAUTH_APP_ID, tenantId: T } }),
});

beforeAll(async () => {
  local = await listenLocal((req, res) => {
    const key = `${req.method} ${req.url}`;
    seen.push(key);
    const reply = routes[key] ?? { status: 404 };
    res.writeHead(reply.status, reply.body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(reply.body);
  });
  base = local.url;
});
afterAll(async () => {
  await local.close();
});
beforeEach(() => {
  routes = defaults();
  seen = [];
});

const live = (kinds: KindName[]) => fetchLiveState(createClient({ url: base, apiKey: 'shape-test-key', retry: { attempts: 1 } }), kinds);

async function refusal(kinds: KindName[]): Promise<ApiError> {
  const err = await live(kinds).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

/**
 * Kinds with a list envelope that are not read with `GET <path>`: families are read through each entry's first Adult
 * (`GET /api/user/family?userId=`) and by id (test/kinds/family.test.ts checks those replies).
 */
const READ_OTHERWISE: ReadonlySet<string> = new Set(['family']);

describe('list replies of the wrong shape stop the plan', () => {
  const cases: Array<[string, Reply, string]> = [
    ['an empty 200 body', { status: 200 }, 'with 200 but an empty body'],
    ['a 204', { status: 204 }, 'with 204 but an empty body'],
    ['whitespace only', { status: 200, body: ' \n ' }, 'with 200 but an empty body'],
    ['a JSON array', json([]), 'a body that is an array, not an object'],
    ['a JSON string', json('tenants'), 'a body that is a string, not an object'],
    ['a JSON number', json(42), 'a body that is a number, not an object'],
    ['null', json(null), 'a body that is null, not an object'],
    ['the envelope holding a string', json({ tenants: 'garbage' }), '"tenants" is a string, not a list'],
    ['the envelope holding an object', json({ tenants: { id: T } }), '"tenants" is an object, not a list'],
    ['the envelope holding null', json({ tenants: null }), '"tenants" is null, not a list'],
    ['a number item', json({ tenants: [{ id: T }, 1] }), 'item 1 of "tenants" is a number, not a tenant object'],
    ['a null item', json({ tenants: [null] }), 'item 0 of "tenants" is null, not a tenant object'],
    ['a string item', json({ tenants: [T] }), 'item 0 of "tenants" is a string, not a tenant object'],
    ['an array item', json({ tenants: [[]] }), 'item 0 of "tenants" is an array, not a tenant object'],
    ['an item without id', json({ tenants: [{ name: 'x' }] }), 'item 0 of "tenants" has the id nothing, not a UUID'],
    ['an item with a numeric id', json({ tenants: [{ id: 7 }] }), 'item 0 of "tenants" has the id a number, not a UUID'],
    ['a path-traversing id', json({ tenants: [{ id: '../../api/system/version?x=' }] }), 'item 0 of "tenants" has the id "../../api/system/version?x=", not a UUID'],
    ['an id with a newline', json({ tenants: [{ id: `${T}\n` }] }), `has the id "${T}\\n", not a UUID`],
    ['an id with a terminal escape', json({ tenants: [{ id: '\u001b[2J' }] }), 'has the id "\\u001b[2J", not a UUID'],
    ['an empty id', json({ tenants: [{ id: '' }] }), 'has the id "", not a UUID'],
  ];

  it.each(cases)('%s', async (_name, reply, problem) => {
    routes['GET /api/tenant'] = reply;
    const err = await refusal(['tenant']);
    expect(err.message).toContain(`FusionAuth answered GET /api/tenant with ${reply.status} but `);
    expect(err.message).toContain(problem);
    expect(err.message).toContain('expected {"tenants": [...]} listing tenant objects');
    expect(err).toMatchObject({ method: 'GET', path: '/api/tenant', status: reply.status });
  });

  it.each(KINDS.filter((k) => !k.parent && !k.wire.searchPath && !READ_OTHERWISE.has(k.name) && (k.wire.plural !== undefined || k.wire.singleton)).map((k) => [k.name, k] as const))('for every kind, from its definition: %s', async (_name, kind) => {
    if (kind.wire.singleton) {
      // A singleton is read whole at its path: its envelope must hold an object.
      routes = defaults();
      routes[`GET ${kind.wire.path!}`] = json({ [kind.wire.singular]: 'garbage' });
      const err = await refusal([kind.name]);
      expect(err.message).toContain(`GET ${kind.wire.path!} with 200 but "${kind.wire.singular}" is a string, not an object`);
      return;
    }
    for (const query of kind.wire.listQueries ?? [{}]) {
      routes = defaults();
      const qs = Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
      routes[`GET ${kind.wire.path!}${qs}`] = json({ [pluralOf(kind.wire)]: 'garbage' });
      const err = await refusal([kind.name]);
      expect(err.message).toContain(`GET ${kind.wire.path!}${qs} with 200 but "${pluralOf(kind.wire)}" is a string, not a list`);
    }
  });

  it('families: the replies of the read through an entry\'s first Adult and of the read by id are checked too', async () => {
    const F = 'b0000000-0000-4000-8000-000000000002';
    const U = 'c0000000-0000-4000-8000-000000000003';
    const bodies = (_kind: KindName, id: string) => (id === F ? { members: [{ userId: U, role: 'Adult' }] } : undefined);
    const read = (): Promise<unknown> => fetchLiveState(createClient({ url: base, apiKey: 'shape-test-key', retry: { attempts: 1 } }), ['family'], KINDS, { ids: { family: [F] }, bodies })
      .then(() => undefined, (e: unknown) => e);
    const byOwner = `GET /api/user/family?userId=${U}`;
    for (const [reply, problem] of [
      [json({ families: 'garbage' }), `${byOwner.slice(4)} with 200 but "families" is a string, not a list`],
      [json({ families: [{ id: '../x' }] }), 'item 0 of "families" has the id "../x", not a UUID'],
      [json([]), 'a body that is an array, not an object'],
    ] as const) {
      routes = defaults();
      routes[byOwner] = reply;
      const err = await read();
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).message).toContain(problem);
    }
    routes = defaults();
    routes[byOwner] = json({});
    routes[`GET /api/user/family/${F}`] = json({ family: 'garbage' });
    const err = await read();
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toContain('"family" is a string, not an object');
  });

  // A kind listed through its search API (users): each page is checked like a list, and its paging fields too.
  it.each(KINDS.filter((k) => k.wire.searchPath).map((k) => [k.name, k] as const))('for every kind listed by search, from its definition: %s', async (_name, kind) => {
    const plural = pluralOf(kind.wire);
    for (const [reply, problem] of [
      [json({ [plural]: 'garbage' }), `"${plural}" is a string, not a list`],
      [json([]), 'a body that is an array, not an object'],
      [json({ [plural]: [{ id: '../x' }] }), `item 0 of "${plural}" has the id "../x", not a UUID`],
      [json({ [plural]: [], total: 'many' }), '"total" is a string, not a count'],
      [json({ [plural]: [], total: 0, nextResults: 7 }), '"nextResults" is a number, not a string'],
    ] as const) {
      routes = defaults();
      routes[`POST ${kind.wire.searchPath!}`] = reply;
      const err = await refusal([kind.name]);
      expect(err.message).toContain(`POST ${kind.wire.searchPath!} with 200 but `);
      expect(err.message).toContain(problem);
    }
  });

  // A kind FusionAuth cannot list (API keys) is read by the ids the files address: each reply is checked as well.
  it.each(KINDS.filter((k) => !k.parent && k.wire.plural === undefined && !k.wire.singleton).map((k) => [k.name, k] as const))(
    'for every kind read by id, from its definition: %s', async (_name, kind) => {
      const read = (): Promise<unknown> => fetchLiveState(createClient({ url: base, apiKey: 'shape-test-key', retry: { attempts: 1 } }), [kind.name], KINDS, { ids: { [kind.name]: [M] } })
        .then(() => undefined, (e: unknown) => e);
      for (const [reply, problem] of [
        [json({ [kind.wire.singular]: 'garbage' }), `"${kind.wire.singular}" is a string, not an object`],
        [json([]), 'a body that is an array, not an object'],
        [json({ [kind.wire.singular]: { id: T } }), `the ${kind.wire.singular} has the id "${T}"`],
      ] as const) {
        routes = defaults();
        routes[`GET ${kind.wire.path!}/${M}`] = reply;
        const err = await read();
        expect(err).toBeInstanceOf(ApiError);
        expect((err as ApiError).message).toContain(problem);
      }
    });

  it('a child kind is read from its parents: a parent whose children are not a list of objects with UUID ids is refused', async () => {
    routes['GET /api/application'] = json({ applications: [{ id: FUSIONAUTH_APP_ID, tenantId: T, roles: [{ id: '../role', name: 'x' }] }] });
    const err = await refusal(['applicationRole']);
    expect(err.message).toContain('item 0 of "roles" of application 3c219e58-ed0e-4b18-ad48-f4f92793ae32 has the id "../role", not a UUID');
  });

  it('names the list query of the inactive applications', async () => {
    routes['GET /api/application?inactive=true'] = json({ applications: [{ id: 'not-a-uuid' }] });
    const err = await refusal(['application']);
    expect(err.message).toContain('GET /api/application?inactive=true with 200 but item 0 of "applications" has the id "not-a-uuid", not a UUID');
  });

  it('cuts a long id and escapes everything outside printable ASCII', async () => {
    routes['GET /api/messenger'] = json({ messengers: [{ id: `\u202e${'x'.repeat(10_000)}` }] });
    const err = await refusal(['messenger']);
    expect(err.message.length).toBeLessThan(400);
    expect(err.message).toMatch(/^[\x20-\x7e…]*$/);
  });
});

describe('empty collections', () => {
  it('reads {} without the envelope key as an empty list (FusionAuth omits empty collections)', async () => {
    for (const k of KINDS.filter((x) => !x.parent)) for (const q of k.wire.listQueries ?? [{}]) routes[`GET ${k.wire.path!}${Object.keys(q).length > 0 ? `?${new URLSearchParams(q).toString()}` : ''}`] = json({});
    routes[`GET /api/application/${FUSIONAUTH_APP_ID}`] = json({ application: { id: FUSIONAUTH_APP_ID, tenantId: T } });
    const state = await live(['messenger', 'messageTemplate', 'application']);
    expect(state.objects).toEqual({ messenger: [], messageTemplate: [], application: [] });
    const tenants = await live(['tenant']);
    expect(tenants.objects).toEqual({ tenant: [] });
    expect(tenants.defaults.tenant).toBe(T);
  });

  it('reads an empty list and uppercase UUIDs, deduplicated across list queries', async () => {
    const A = 'b0000000-0000-4000-8000-000000000001';
    routes['GET /api/messenger'] = json({ messengers: [] });
    routes['GET /api/application'] = json({ applications: [{ id: A.toUpperCase(), name: 'Web' }] });
    routes['GET /api/application?inactive=true'] = json({ applications: [{ id: A, name: 'Web' }, { id: M, name: 'Old', active: false }] });
    const state = await live(['messenger', 'application']);
    expect(state.objects.messenger).toEqual([]);
    expect(state.objects.application?.map((a) => a.name)).toEqual(['Web', 'Old']);
  });
});

describe('version and license replies', () => {
  it.each<[string, Reply, string]>([
    ['an empty body', { status: 200 }, 'an empty body'],
    ['a 204', { status: 204 }, 'an empty body'],
    ['{}', json({}), '"version" is nothing, not a string'],
    ['a number', json({ version: 1.69 }), '"version" is a number, not a string'],
    ['an empty string', json({ version: '' }), 'the version is not a version number'],
    ['a word', json({ version: 'latest' }), 'the version is not a version number'],
    ['a terminal escape', json({ version: '1.69.0\u001b[2J' }), 'the version is not a version number'],
    ['an array body', json(['1.69.0']), 'a body that is an array, not an object'],
  ])('a version reply with %s is an error (preflight must not be skipped)', async (_name, reply, problem) => {
    routes['GET /api/system/version'] = reply;
    const err = await refusal(['messenger']);
    expect(err.message).toContain(`FusionAuth answered GET /api/system/version with ${reply.status} but ${problem}`);
    expect(err.message).toContain('expected {"version": "1.69.0"}');
  });

  it.each(['1.69.0', '1.50.0-SNAPSHOT', '1.9'])('accepts the version %s', async (version) => {
    routes['GET /api/system/version'] = json({ version });
    expect((await live(['messenger'])).serverVersion).toBe(version);
  });

  it.each<[string, Reply, string]>([
    ['an empty body', { status: 200 }, 'an empty body'],
    ['{}', json({}), '"status" is nothing, not an object'],
    ['a string status', json({ status: 'ok' }), '"status" is a string, not an object'],
    ['no licensed', json({ status: { advancedRegistration: 'ACTIVE' } }), '"status.licensed" is nothing, not true or false'],
    ['a string licensed', json({ status: { licensed: 'true' } }), '"status.licensed" is a string, not true or false'],
  ])('a reactor reply with %s is an error (it decides the license checks)', async (_name, reply, problem) => {
    routes['GET /api/reactor'] = reply;
    const err = await refusal(['messenger']);
    expect(err.message).toContain(`FusionAuth answered GET /api/reactor with ${reply.status} but ${problem}`);
  });

  it('reads licensed false and true', async () => {
    routes['GET /api/reactor'] = json({ status: { licensed: false } });
    expect((await live(['messenger'])).licensed).toBe(false);
    routes['GET /api/reactor'] = json({ status: { licensed: true, expiration: '2030-01-01' } });
    expect((await live(['messenger'])).licensed).toBe(true);
  });
});

describe('the FusionAuth application (Default tenant)', () => {
  it('tolerates an API key that may not read it', async () => {
    routes[`GET /api/application/${FUSIONAUTH_APP_ID}`] = { status: 401 };
    const state = await live(['tenant']);
    expect(state.defaults.tenant).toBeUndefined();
  });

  it.each<[string, Reply, string]>([
    ['{}', json({}), '"application" is nothing, not an object'],
    ['an empty body', { status: 200 }, 'an empty body'],
    ['a hostile tenantId', json({ application: { id: FUSIONAUTH_APP_ID, tenantId: '../tenant' } }), `the application ${FUSIONAUTH_APP_ID} has the tenantId "../tenant", not a UUID`],
  ])('refuses a 200 with %s', async (_name, reply, problem) => {
    routes[`GET /api/application/${FUSIONAUTH_APP_ID}`] = reply;
    const err = await refusal(['tenant']);
    expect(err.message).toContain(`GET /api/application/${FUSIONAUTH_APP_ID} with 200 but ${problem}`);
  });

  it('refuses a hostile tenantId of the FusionAuth application in the application list', async () => {
    routes['GET /api/application'] = json({ applications: [{ id: FUSIONAUTH_APP_ID, tenantId: 'x?y' }] });
    const err = await refusal(['application']);
    expect(err.message).toContain(`GET /api/application with 200 but the application ${FUSIONAUTH_APP_ID} has the tenantId "x?y", not a UUID`);
  });

  it('sends only the reads, and nothing after a refusal', async () => {
    routes['GET /api/tenant'] = json({ tenants: [{ id: '../../api/system/version?x=' }] });
    await refusal(['tenant']);
    expect(seen.every((s) => s.startsWith('GET '))).toBe(true);
  });
});

describe('end to end: a hostile live id never becomes a write', () => {
  it('stops apply when a live messenger has the id ../../api/system/version?x=', async () => {
    const emu = await startEmulator({ licensed: true });
    const EXAMPLE = fileURLToPath(new URL('../../examples/phone-gating', import.meta.url));
    try {
      await apply({ files: [EXAMPLE], client: createClient({ url: emu.url, apiKey: emu.apiKey }) });
      const real = emu.snapshot().messengers.find((m) => m.name === 'Twilio SMS')!;
      // The proxy serves the messenger list with the object's id replaced and a field changed, so that the plan, if it
      // believed the list, would adopt it by name and PATCH /api/messenger/../../api/system/version?x=.
      const proxy = await interceptingProxy(emu, (req) => (req.method === 'GET' && req.path === '/api/messenger'
        ? { status: 200, body: { messengers: [{ ...real, id: '../../api/system/version?x=', fromPhoneNumber: '+15555550199' }] } }
        : undefined));
      try {
        emu.clearLog();
        const err = await apply({ files: [EXAMPLE], client: createClient({ url: proxy.url, apiKey: emu.apiKey }) }).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(ApiError);
        expect(String(err)).toContain('GET /api/messenger with 200 but item 0 of "messengers" has the id "../../api/system/version?x=", not a UUID');
        expect(emu.requests.filter((r) => r.method !== 'GET')).toEqual([]);
      } finally {
        await proxy.close();
      }
    } finally {
      await emu.stop();
    }
  });
});
