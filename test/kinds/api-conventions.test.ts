/**
 * The API conventions of src/kinds/api.ts beyond a plain collection, as exact HTTP sequences (nock): a singleton read
 * and patched at its path, a collection read one addressed id at a time, a create made of several requests, an update
 * sent as a whole PUT.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WireFacts } from '../../src/core/kind.js';
import type { Change, JsonObject } from '../../src/core/types.js';
import type { ApiRequest } from '../../src/fusionauth/types.js';
import { createClient } from '../../src/fusionauth/client.js';
import { ApiError } from '../../src/fusionauth/errors.js';
import { addressedCollection, restCollection, singletonResource } from '../../src/kinds/api.js';
import { KINDS } from '../../src/kinds/index.js';
import { fetchLiveState } from '../../src/state/fetch.js';

const BASE = 'https://fa.test';
const client = () => createClient({ url: BASE, apiKey: 'conventions-test-key', retry: { attempts: 1 } });
const SINGLE: WireFacts = { path: '/api/single', singular: 'single', idField: 'singleId', refs: [], singleton: true };
const COLL: WireFacts = { path: '/api/thing', singular: 'thing', plural: 'things', idField: 'thingId', refs: [] };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const change = (c: Partial<Change>): Change => ({ action: 'update', kind: 'thing', title: 'thing', key: 'k', match: 'derived-id', level: 0, fields: [], secretPaths: [], ...c });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('singletonResource', () => {
  const api = singletonResource(SINGLE);

  it('lists the one object from one GET of its path', async () => {
    nock(BASE).get('/api/single').reply(200, { single: { a: 1 } });
    expect(await api.list(client(), {})).toEqual({ objects: [{ a: 1 }] });
  });

  it('refuses a reply without the object', async () => {
    nock(BASE).get('/api/single').reply(200, { single: [] });
    await expect(api.list(client(), {})).rejects.toThrow(/"single" is an array, not an object/);
  });

  it('updates with a JSON merge patch at its path', async () => {
    let sent: unknown;
    nock(BASE).patch('/api/single', (b: unknown) => ((sent = b), true)).matchHeader('content-type', /merge-patch/).reply(200, { single: {} });
    await api.write(client(), change({ action: 'update', after: { cors: { allowedOrigins: ['https://x'] } } }));
    expect(sent).toEqual({ single: { cors: { allowedOrigins: ['https://x'] } } });
  });

  it('is never created or deleted', async () => {
    await expect(api.write(client(), change({ action: 'create', after: {} }))).rejects.toThrow(/cannot be created/);
    await expect(api.write(client(), change({ action: 'delete' }))).rejects.toThrow(/cannot be deleted/);
  });
});

describe('addressedCollection', () => {
  const api = addressedCollection(COLL);

  it('reads each addressed id once, in id order, skipping the ones that do not exist', async () => {
    nock(BASE).get(`/api/thing/${id(1)}`).delay(20).reply(200, { thing: { id: id(1), name: 'one' } });
    nock(BASE).get(`/api/thing/${id(2)}`).reply(404);
    nock(BASE).get(`/api/thing/${id(3)}`).reply(200, { thing: { id: id(3).toUpperCase(), name: 'three' } });
    const listed = await api.list(client(), { ids: [id(3), id(1), id(2), id(1)] });
    expect(listed.objects.map((o) => o.name)).toEqual(['three', 'one']);
  });

  it('sends nothing when the files address nothing', async () => {
    expect(await api.list(client(), { ids: [] })).toEqual({ objects: [], addressedOnly: true });
  });

  it('says its list holds only the addressed objects, and the live state keeps that (unmanaged objects are unknown)', async () => {
    nock(BASE).get('/api/system/version').reply(200, { version: '1.69.0' });
    nock(BASE).get('/api/reactor').reply(200, { status: { licensed: true } });
    nock(BASE).get(`/api/thing/${id(1)}`).reply(200, { thing: { id: id(1), name: 'one' } });
    const kind = { ...KINDS.find((k) => k.name === 'messenger')!, name: 'thing', wire: COLL, api };
    const live = await fetchLiveState(client(), ['thing'], [kind], { ids: { thing: [id(1)] } });
    expect(live.addressedOnly).toEqual(['thing']);
    expect(live.objects.thing).toEqual([{ id: id(1), name: 'one' }]);
  });

  it('reads at most 8 at once', async () => {
    let inFlight = 0;
    let most = 0;
    for (let n = 1; n <= 30; n++) {
      nock(BASE).get(`/api/thing/${id(n)}`).reply(async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return [200, { thing: { id: id(n) } }];
      });
    }
    const listed = await api.list(client(), { ids: Array.from({ length: 30 }, (_, i) => id(i + 1)) });
    expect(listed.objects).toHaveLength(30);
    expect(most).toBe(8);
  });

  it('refuses an object that answers for another id', async () => {
    nock(BASE).get(`/api/thing/${id(1)}`).reply(200, { thing: { id: id(9) } });
    await expect(api.list(client(), { ids: [id(1)] })).rejects.toThrow(ApiError);
  });

  it('passes on errors other than 404', async () => {
    nock(BASE).get(`/api/thing/${id(1)}`).reply(401);
    await expect(api.list(client(), { ids: [id(1)] })).rejects.toMatchObject({ status: 401 });
  });
});

describe('restCollection options', () => {
  it('createRequests: the requests of a create in order, the tenant on each', async () => {
    const bodies: unknown[] = [];
    const api = restCollection({ ...COLL, tenantField: 'tenantId' }, {
      createRequests: (c, objectPath): ApiRequest[] => [
        { method: 'POST', path: `/api/thing/generate/${c.id!}`, body: { thing: { name: c.after!.name! } } },
        { method: 'PATCH', path: objectPath, body: { thing: { extra: true } }, contentType: 'application/merge-patch+json' },
      ],
    });
    const tenant = id(7);
    nock(BASE).matchHeader('x-fusionauth-tenantid', tenant).post(`/api/thing/generate/${id(1)}`, (b: unknown) => (bodies.push(b), true)).reply(200, { thing: {} });
    nock(BASE).matchHeader('x-fusionauth-tenantid', tenant).patch(`/api/thing/${id(1)}`, (b: unknown) => (bodies.push(b), true)).reply(200, { thing: {} });
    await api.write(client(), change({ action: 'create', id: id(1), tenantId: tenant, after: { name: 'N' } }));
    expect(bodies).toEqual([{ thing: { name: 'N' } }, { thing: { extra: true } }]);
  });

  it("update 'put': the live object with the patch merged in, without the server's fields", async () => {
    let sent: JsonObject | undefined;
    const api = restCollection(COLL, { update: 'put', putOmits: ['hasPrivateKey'] });
    nock(BASE).put(`/api/thing/${id(1)}`, (b: JsonObject) => ((sent = b), true)).reply(200, { thing: {} });
    const before = { id: id(1), insertInstant: 1, lastUpdateInstant: 2, hasPrivateKey: true, name: 'old', algorithm: 'RS256', data: { a: 1, b: 2 } };
    await api.write(client(), change({ action: 'update', id: id(1), before, after: { name: 'new', data: { b: null } } }));
    expect(sent).toEqual({ thing: { name: 'new', algorithm: 'RS256', data: { a: 1 } } });
  });
});

describe('requests: what write sends, without sending it', () => {
  /** A client recording each request and answering 200 with the envelope. */
  const recorder = () => {
    const sent: ApiRequest[] = [];
    return { sent, client: { baseUrl: BASE, request: async <T>(req: ApiRequest) => (sent.push(req), { status: 200, body: { thing: {}, single: {} } as T }) } };
  };
  const cases: Array<[string, ReturnType<typeof restCollection>, Change]> = [
    ['a create of several requests, with the tenant', restCollection({ ...COLL, tenantField: 'tenantId' }, {
      createRequests: (c, objectPath): ApiRequest[] => [{ method: 'POST', path: `/api/thing/generate/${c.id!}` }, { method: 'PATCH', path: objectPath }],
    }), change({ action: 'create', id: id(1), tenantId: id(7), after: { name: 'N' } })],
    ['a PUT update', restCollection(COLL, { update: 'put' }), change({ action: 'update', id: id(1), before: { id: id(1), a: 1 }, after: { b: 2 } })],
    ['a merge-patch update', restCollection(COLL), change({ action: 'update', id: id(1), after: { b: 2 } })],
    ['an empty update', restCollection(COLL), change({ action: 'update', id: id(1), after: {} })],
    ['a replace with a delete query', restCollection(COLL, { deleteQuery: { hardDelete: 'true' } }), change({ action: 'replace', id: id(1), after: { a: 1 } })],
    ['a singleton update', singletonResource(SINGLE), change({ action: 'update', after: { a: 1 } })],
  ];
  it.each(cases)('%s', async (_name, api, c) => {
    const { sent, client: rec } = recorder();
    await api.write(rec, c);
    expect(api.requests!(c)).toEqual(sent);
  });
});
