/**
 * The client's exact HTTP sequences, with nock: headers, the retry decision and its bounds, Retry-After, the
 * idempotent-create read-back, error envelopes, malformed replies, and that no error ever carries the API key or a
 * body. Real sockets are covered by integration.test.ts.
 */
import { inspect } from 'node:util';
import nock from 'nock';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { createClient, isLoopbackHost, MAX_RESPONSE_DEPTH, nestingDepth, isRetryable, parseRetryAfter, type ClientOptions, type RetryInfo } from '../../src/fusionauth/client.js';
import { ApiError, ConnectionError } from '../../src/fusionauth/errors.js';
import { UserError } from '../../src/core/errors.js';

const BASE = 'https://fa.example.com';
const KEY = 'sk-live-THE-API-KEY-0123456789abcdef';
const TENANT_ID = '0b8e1c3a-5d4f-4e2a-9b1c-7d6e5f4a3b2c';
const APP_ID = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

function client(extra: Partial<ClientOptions> = {}, retries: RetryInfo[] = []) {
  return createClient({
    url: BASE,
    apiKey: KEY,
    retry: { minDelayMs: 1, ...extra.retry },
    onRetry: (i) => retries.push(i),
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'retry')),
  });
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the request to fail');
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('headers and bodies', () => {
  it('sends the raw API key, Accept, and the tenant header when asked', async () => {
    let seen: Record<string, unknown> = {};
    nock(BASE)
      .get('/api/application')
      .query({ inactive: 'true' })
      .reply(function () {
        seen = this.req.headers;
        return [200, { applications: [] }];
      });
    const res = await client().request({ method: 'GET', path: '/api/application', query: { inactive: 'true' }, tenantId: TENANT_ID });
    expect(res).toEqual({ status: 200, body: { applications: [] } });
    expect(seen.authorization).toBe(KEY);
    expect(seen.accept).toBe('application/json');
    expect(seen['x-fusionauth-tenantid']).toBe(TENANT_ID);
    expect(seen['content-type']).toBeUndefined();
    expect(String(seen['user-agent'])).toMatch(/^kickstand/);
  });

  it('omits the tenant header when no tenant is given', async () => {
    let seen: Record<string, unknown> = {};
    nock(BASE).get('/api/tenant').reply(function () {
      seen = this.req.headers;
      return [200, { tenants: [] }];
    });
    await client().request({ method: 'GET', path: '/api/tenant' });
    expect(seen).not.toHaveProperty('x-fusionauth-tenantid');
  });

  it('sends JSON bodies as application/json by default and the patch content types when asked', async () => {
    const types: string[] = [];
    const bodies: unknown[] = [];
    nock(BASE)
      .post(`/api/tenant/${TENANT_ID}`)
      .reply(function (_uri, body) {
        types.push(String(this.req.headers['content-type']));
        bodies.push(body);
        return [200, { tenant: { id: TENANT_ID } }];
      })
      .patch(`/api/tenant/${TENANT_ID}`)
      .times(2)
      .reply(function (_uri, body) {
        types.push(String(this.req.headers['content-type']));
        bodies.push(body);
        return [200, { tenant: { id: TENANT_ID } }];
      });
    const c = client();
    await c.request({ method: 'POST', path: `/api/tenant/${TENANT_ID}`, body: { tenant: { name: 'a' } } });
    await c.request({ method: 'PATCH', path: `/api/tenant/${TENANT_ID}`, body: { tenant: { name: 'b' } }, contentType: 'application/merge-patch+json' });
    await c.request({ method: 'PATCH', path: `/api/tenant/${TENANT_ID}`, body: [{ op: 'remove', path: '/tenant/x' }], contentType: 'application/json-patch+json' });
    expect(types).toEqual(['application/json', 'application/merge-patch+json', 'application/json-patch+json']);
    expect(bodies[0]).toEqual({ tenant: { name: 'a' } });
    expect(bodies[2]).toEqual([{ op: 'remove', path: '/tenant/x' }]);
  });

  it('returns undefined for an empty body', async () => {
    nock(BASE).delete(`/api/tenant/${TENANT_ID}`).reply(200, '');
    expect(await client().request({ method: 'DELETE', path: `/api/tenant/${TENANT_ID}` })).toEqual({ status: 200, body: undefined });
  });

  it('keeps a path prefix, tolerates a trailing slash and drops credentials from the URL', async () => {
    nock(BASE).get('/auth/api/system/version').reply(200, { version: '1.69.0' });
    const c = createClient({ url: 'https://user:pw@fa.example.com/auth/', apiKey: KEY });
    expect(c.baseUrl).toBe('https://fa.example.com/auth');
    expect((await c.request({ method: 'GET', path: '/api/system/version' })).body).toEqual({ version: '1.69.0' });
  });

  it('treats a malformed JSON reply on a 2xx as an error, without retrying and without printing the body', async () => {
    nock(BASE).get('/api/tenant').reply(200, '<html>secret-in-body-9876</html>', { 'content-type': 'text/html' });
    nock(BASE).get('/api/tenant').reply(200, { tenants: [] });
    const err = await failure(client().request({ method: 'GET', path: '/api/tenant' }));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(200);
    expect((err as ApiError).path).toBe('/api/tenant');
    expect(String(err)).toMatch(/not valid JSON/);
    expect(String(err)).not.toContain('secret-in-body');
    expect(nock.pendingMocks()).toHaveLength(1);
  });

  it('refuses a reply nested deeper than any FusionAuth object, without retrying', async () => {
    let deep = '"leaf"';
    for (let i = 0; i < MAX_RESPONSE_DEPTH + 1; i++) deep = `{"a":${deep}}`;
    nock(BASE).get('/api/messenger').reply(200, `{"messengers":[${deep}]}`, { 'content-type': 'application/json' });
    const err = await failure(client().request({ method: 'GET', path: '/api/messenger' }));
    expect(err).toBeInstanceOf(ApiError);
    expect(String(err)).toMatch(/nested deeper than 64 levels/);
    expect(nestingDepth({ a: [{ b: 1 }] })).toBe(3);
  });

  it('does not follow redirects (they would resend the key)', async () => {
    nock(BASE).get('/api/tenant').reply(302, '', { location: 'https://elsewhere.example.com/login?token=abc' });
    const err = await failure(client().request({ method: 'GET', path: '/api/tenant' }));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(302);
    expect(String(err)).toContain('https://elsewhere.example.com/login');
    expect(String(err)).not.toContain('token=abc');
  });
});

describe('retries', () => {
  it('retries 500 then 503 and returns the 200', async () => {
    nock(BASE).get('/api/tenant').reply(500).get('/api/tenant').reply(503).get('/api/tenant').reply(200, { tenants: [] });
    const retries: RetryInfo[] = [];
    const res = await client({}, retries).request({ method: 'GET', path: '/api/tenant' });
    expect(res.body).toEqual({ tenants: [] });
    expect(retries.map((r) => [r.attempt, r.reason])).toEqual([[1, '500'], [2, '503']]);
    expect(nock.isDone()).toBe(true);
  });

  it('retries 502 and 504', async () => {
    nock(BASE).get('/api/messenger').reply(502).get('/api/messenger').reply(504).get('/api/messenger').reply(200, { messengers: [] });
    expect((await client().request({ method: 'GET', path: '/api/messenger' })).status).toBe(200);
    expect(nock.isDone()).toBe(true);
  });

  it('retries a connection reset', async () => {
    nock(BASE)
      .get('/api/tenant')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .get('/api/tenant')
      .reply(200, { tenants: [] });
    const retries: RetryInfo[] = [];
    expect((await client({}, retries).request({ method: 'GET', path: '/api/tenant' })).status).toBe(200);
    expect(retries.map((r) => r.reason)).toEqual(['ECONNRESET']);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    nock(BASE).get('/api/tenant').reply(429, '', { 'retry-after': '1' }).get('/api/tenant').reply(200, { tenants: [] });
    const retries: RetryInfo[] = [];
    await client({}, retries).request({ method: 'GET', path: '/api/tenant' });
    expect(retries).toEqual([{ method: 'GET', path: '/api/tenant', attempt: 1, reason: '429', delayMs: 1000 }]);
  });

  it('caps Retry-After', async () => {
    nock(BASE).get('/api/tenant').reply(429, '', { 'retry-after': '3600' }).get('/api/tenant').reply(200, { tenants: [] });
    const retries: RetryInfo[] = [];
    await client({ retry: { maxRetryAfterMs: 20 } }, retries).request({ method: 'GET', path: '/api/tenant' });
    expect(retries.map((r) => r.delayMs)).toEqual([20]);
  });

  it('honours Retry-After as an HTTP date (a past date means now)', async () => {
    nock(BASE).get('/api/tenant').reply(503, '', { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }).get('/api/tenant').reply(200, {});
    const retries: RetryInfo[] = [];
    await client({}, retries).request({ method: 'GET', path: '/api/tenant' });
    expect(retries.map((r) => r.delayMs)).toEqual([0]);
  });

  it('retries a 409 carrying [retryableConflict]', async () => {
    nock(BASE)
      .put(`/api/tenant/${TENANT_ID}`)
      .reply(409, { generalErrors: [{ code: '[retryableConflict]', message: 'try again' }] })
      .put(`/api/tenant/${TENANT_ID}`)
      .reply(200, { tenant: { id: TENANT_ID } });
    const retries: RetryInfo[] = [];
    const res = await client({}, retries).request({ method: 'PUT', path: `/api/tenant/${TENANT_ID}`, body: { tenant: {} } });
    expect(res.status).toBe(200);
    expect(retries.map((r) => r.reason)).toEqual(['409 [retryableConflict]']);
  });

  it('does not retry any other 409', async () => {
    nock(BASE)
      .put(`/api/tenant/${TENANT_ID}`)
      .reply(409, { generalErrors: [{ code: '[conflict]', message: 'no' }] })
      .put(`/api/tenant/${TENANT_ID}`)
      .reply(200, {});
    const err = await failure(client().request({ method: 'PUT', path: `/api/tenant/${TENANT_ID}`, body: { tenant: {} } }));
    expect((err as ApiError).status).toBe(409);
    expect((err as ApiError).retriesExhausted).toBe(false);
    expect(nock.pendingMocks()).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 405, 422])('never retries %i', async (status) => {
    nock(BASE).get('/api/tenant').reply(status, '').get('/api/tenant').reply(200, { tenants: [] });
    const retries: RetryInfo[] = [];
    const err = await failure(client({}, retries).request({ method: 'GET', path: '/api/tenant' }));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(status);
    expect((err as ApiError).attempts).toBe(1);
    expect(retries).toEqual([]);
    expect(nock.pendingMocks()).toHaveLength(1);
  });

  it('stops after the configured number of attempts and says so', async () => {
    nock(BASE).get('/api/tenant').times(4).reply(503);
    const err = await failure(client({ retry: { attempts: 3 } }).request({ method: 'GET', path: '/api/tenant' }));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).retriesExhausted).toBe(true);
    expect((err as ApiError).attempts).toBe(3);
    expect(String(err)).toMatch(/gave up after 3 attempts/);
    expect(nock.pendingMocks()).toHaveLength(1); // the 4th reply was never requested
  });

  it('stops when the next wait would pass the total time budget', async () => {
    // Waits are at least 50, 100, 200 ms: a third retry cannot fit in 300 ms whatever the jitter.
    nock(BASE).get('/api/tenant').times(20).reply(500);
    const err = await failure(client({ retry: { attempts: 20, maxTimeMs: 300, minDelayMs: 50 } }).request({ method: 'GET', path: '/api/tenant' }));
    expect((err as ApiError).retriesExhausted).toBe(true);
    expect((err as ApiError).attempts).toBeLessThanOrEqual(3);
  });

  it('reports network failures after retries as ConnectionError', async () => {
    nock(BASE).get('/api/tenant').times(2).replyWithError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    const err = await failure(client({ retry: { attempts: 2 } }).request({ method: 'GET', path: '/api/tenant' }));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toBeInstanceOf(UserError);
    expect((err as ConnectionError).code).toBe('ECONNRESET');
    expect((err as ConnectionError).retriesExhausted).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('does not retry a refused connection: nothing listens, and backoff does not start a server', async () => {
    nock(BASE).get('/api/tenant').times(2).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const retries: unknown[] = [];
    const err = await failure(client({ retry: { attempts: 5 }, onRetry: (i) => retries.push(i) }).request({ method: 'GET', path: '/api/tenant' }));
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).attempts).toBe(1);
    expect((err as Error).message).toBe(`nothing is listening at ${BASE} — is FusionAuth running?`);
    expect(retries).toEqual([]);
    expect(nock.pendingMocks()).toHaveLength(1);
  });

  it('does not repeat a POST without a client-chosen id after a 503 (it may have been applied)', async () => {
    nock(BASE).post('/api/application/' + APP_ID + '/role').reply(503).post('/api/application/' + APP_ID + '/role').reply(200, {});
    const err = await failure(client().request({ method: 'POST', path: `/api/application/${APP_ID}/role`, body: { role: { name: 'admin' } } }));
    expect((err as ApiError).status).toBe(503);
    expect(nock.pendingMocks()).toHaveLength(1);
  });

  it('does repeat such a POST after a 429 (the server did not act on it)', async () => {
    nock(BASE).post('/api/tenant').reply(429).post('/api/tenant').reply(200, { tenant: {} });
    expect((await client().request({ method: 'POST', path: '/api/tenant', body: { tenant: {} } })).status).toBe(200);
  });
});

describe('idempotent create', () => {
  const path = `/api/tenant/${TENANT_ID}`;
  const duplicate = { fieldErrors: { tenantId: [{ code: '[duplicate]tenantId', message: 'A Tenant with Id exists.' }] } };

  it('reads the object back when a retried create finds its id taken', async () => {
    let readTenant: unknown;
    nock(BASE)
      .post(path)
      .reply(503)
      .post(path)
      .reply(400, duplicate)
      .get(path)
      .reply(function () {
        readTenant = this.req.headers['x-fusionauth-tenantid'];
        return [200, { tenant: { id: TENANT_ID, name: 'Acme' } }];
      });
    const res = await client().request({ method: 'POST', path, body: { tenant: { name: 'Acme' } }, tenantId: TENANT_ID, idempotentCreate: { readBack: path } });
    expect(res).toEqual({ status: 200, body: { tenant: { id: TENANT_ID, name: 'Acme' } } });
    expect(readTenant).toBe(TENANT_ID);
    expect(nock.isDone()).toBe(true);
  });

  it('works for any kind whose code ends in Id, e.g. [duplicate]applicationId', async () => {
    const appPath = `/api/application/${APP_ID}`;
    nock(BASE)
      .post(appPath)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .post(appPath)
      .reply(400, { fieldErrors: { applicationId: [{ code: '[duplicate]applicationId', message: 'taken' }] } })
      .get(appPath)
      .reply(200, { application: { id: APP_ID } });
    expect((await client().request({ method: 'POST', path: appPath, body: { application: {} }, idempotentCreate: { readBack: appPath } })).body).toEqual({ application: { id: APP_ID } });
  });

  it('counts a retried create whose id is taken as done when there is nothing to read back (an application role)', async () => {
    const rolePath = `/api/application/${APP_ID}/role/${TENANT_ID}`;
    nock(BASE).post(rolePath).reply(503).post(rolePath).reply(400, { fieldErrors: { roleId: [{ code: '[duplicate]roleId', message: 'taken' }] } });
    expect(await client().request({ method: 'POST', path: rolePath, body: { role: { name: 'a' } }, idempotentCreate: {} })).toEqual({ status: 200, body: undefined });
    expect(nock.isDone()).toBe(true);
  });

  it('never guesses from the URL: a POST to an id-shaped path without idempotentCreate is not repeated after a 503', async () => {
    // /api/user/registration/{userId} creates a registration, not an object with that id: repeating it could duplicate.
    const regPath = `/api/user/registration/${TENANT_ID}`;
    nock(BASE).post(regPath).reply(503).post(regPath).reply(200, {});
    const err = await failure(client().request({ method: 'POST', path: regPath, body: { registration: {} } }));
    expect((err as ApiError).status).toBe(503);
    expect(nock.pendingMocks()).toHaveLength(1);
  });

  it('treats a duplicate id on the first attempt as a real error (someone else holds the id)', async () => {
    nock(BASE).post(path).reply(400, duplicate).get(path).reply(200, { tenant: { id: TENANT_ID } });
    const err = await failure(client().request({ method: 'POST', path, body: { tenant: { name: 'Acme' } }, idempotentCreate: { readBack: path } }));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).fieldErrors()).toEqual([{ field: 'tenantId', code: '[duplicate]tenantId', message: 'A Tenant with Id exists.' }]);
    expect(nock.pendingMocks()).toHaveLength(1); // no GET
  });

  it('does not read back for a duplicate name on a retry', async () => {
    nock(BASE)
      .post(path)
      .reply(500)
      .post(path)
      .reply(400, { fieldErrors: { 'tenant.name': [{ code: '[duplicate]tenant.name', message: 'taken' }] } });
    const err = await failure(client().request({ method: 'POST', path, body: { tenant: { name: 'Acme' } }, idempotentCreate: { readBack: path } }));
    expect((err as ApiError).status).toBe(400);
  });

  it('treats a 404 on a retried DELETE as done', async () => {
    nock(BASE).delete(path).reply(503).delete(path).reply(404);
    expect(await client().request({ method: 'DELETE', path })).toEqual({ status: 200, body: undefined });
  });
});

describe('errors', () => {
  it('parses the error envelope with fieldErrors keyed by path', async () => {
    nock(BASE)
      .post(`/api/tenant/${TENANT_ID}`)
      .reply(400, {
        fieldErrors: {
          'tenant.name': [{ code: '[blank]tenant.name', message: 'Required' }],
          'tenant.phoneConfiguration.messengerId': [{ code: '[missing]tenant.phoneConfiguration.messengerId', message: 'Missing' }],
        },
        generalErrors: [{ code: '[TenantIdRequired]', message: 'A Tenant Id is required' }],
      });
    const err = (await failure(client().request({ method: 'POST', path: `/api/tenant/${TENANT_ID}`, body: { tenant: {} } }))) as ApiError;
    expect(err.status).toBe(400);
    expect(err.method).toBe('POST');
    expect(err.fieldErrors().map((e) => [e.field, e.code])).toEqual([
      ['tenant.name', '[blank]tenant.name'],
      ['tenant.phoneConfiguration.messengerId', '[missing]tenant.phoneConfiguration.messengerId'],
    ]);
    expect(err.generalErrors()).toEqual([{ code: '[TenantIdRequired]', message: 'A Tenant Id is required' }]);
    expect(err.message).toContain('[blank]tenant.name');
    expect(err.message).toContain('[TenantIdRequired]');
  });

  it('tolerates fieldErrors as an array (the shape the OpenAPI file wrongly documents)', async () => {
    nock(BASE).post('/api/messenger').reply(400, { fieldErrors: [{ code: '[blank]messenger.name', message: 'Required' }] });
    const err = (await failure(client().request({ method: 'POST', path: '/api/messenger', body: { messenger: {} } }))) as ApiError;
    expect(err.fieldErrors()).toEqual([{ field: 'messenger.name', code: '[blank]messenger.name', message: 'Required' }]);
  });

  it('says the API key was rejected on a 401, without the key', async () => {
    nock(BASE).get('/api/tenant').reply(401, '');
    const err = (await failure(client().request({ method: 'GET', path: '/api/tenant' }))) as ApiError;
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/rejected the API key/);
    expect(err.errors).toBeUndefined();
  });

  it('gives 404 as status 404', async () => {
    nock(BASE).get(`/api/tenant/${TENANT_ID}`).reply(404, '');
    const err = (await failure(client().request({ method: 'GET', path: `/api/tenant/${TENANT_ID}` }))) as ApiError;
    expect(err.status).toBe(404);
    expect(err).toBeInstanceOf(UserError);
  });

  it('never puts the API key or a body into an error (message, stack, JSON, inspect)', async () => {
    const secretIn = 'twilio-auth-token-SENT-4242';
    const secretOut = 'client-secret-RETURNED-4343';
    const body = { messenger: { authToken: secretIn } };
    const c = client({ retry: { attempts: 2 } });
    const errs: unknown[] = [];
    nock(BASE).post('/api/messenger').reply(400, { fieldErrors: { 'messenger.authToken': [{ code: '[invalid]messenger.authToken', message: `bad value ${secretIn}` }] } });
    errs.push(await failure(c.request({ method: 'POST', path: '/api/messenger', body })));
    nock(BASE).post(`/api/messenger/${TENANT_ID}`).times(2).reply(500, { secret: secretOut });
    errs.push(await failure(c.request({ method: 'POST', path: `/api/messenger/${TENANT_ID}`, body })));
    nock(BASE).get('/api/application').reply(200, `{"clientSecret":"${secretOut}"`);
    errs.push(await failure(c.request({ method: 'GET', path: '/api/application' })));
    nock(BASE).get('/api/tenant').reply(401, '');
    errs.push(await failure(c.request({ method: 'GET', path: '/api/tenant' })));
    nock(BASE).put(`/api/messenger/${TENANT_ID}`).times(2).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    errs.push(await failure(c.request({ method: 'PUT', path: `/api/messenger/${TENANT_ID}`, body })));
    expect(errs.map((e) => (e as Error).name)).toEqual(['ApiError', 'ApiError', 'ApiError', 'ApiError', 'ConnectionError']);
    for (const [i, err] of errs.entries()) {
      const e = err as Error;
      const inspected = inspect(e, { depth: 10 });
      for (const text of [String(e), e.stack ?? '', inspected, JSON.stringify(e)]) {
        expect(text).not.toContain(KEY);
        expect(text).not.toContain(secretOut);
        // The server's own field messages may echo a sent value; they are kept on `errors` (the CLI masks them),
        // so only the first error's JSON/inspect may contain it — never its message or stack.
        if (i !== 0 || text === String(e) || text === e.stack) expect(text).not.toContain(secretIn);
      }
    }
  });
});

describe('http refusal', () => {
  it('refuses plain http to a non-loopback host and names --allow-http', () => {
    let err: unknown;
    try {
      createClient({ url: 'http://fa.example.com', apiKey: KEY });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).code).toBe('HTTP_REFUSED');
    expect(String(err)).toContain('--allow-http');
  });

  it.each(['http://localhost:9011', 'http://127.0.0.1:9011', 'http://127.8.9.10', 'http://[::1]:9011', 'http://LOCALHOST'])('allows %s', (url) => {
    expect(createClient({ url, apiKey: KEY }).baseUrl).toBe(new URL(url).toString().replace(/\/$/, ''));
  });

  it.each(['http://localhost.example.com', 'http://127.0.0.1.nip.io', 'http://10.0.0.1', 'http://[::2]'])('refuses %s', (url) => {
    expect(() => createClient({ url, apiKey: KEY })).toThrow(/--allow-http/);
  });

  it('allows any http host with allowHttp', () => {
    expect(createClient({ url: 'http://fa.internal:9011', apiKey: KEY, allowHttp: true }).baseUrl).toBe('http://fa.internal:9011');
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => createClient({ url: 'ftp://fa.example.com', apiKey: KEY })).toThrow(UserError);
    expect(() => createClient({ url: 'not a url', apiKey: KEY })).toThrow(/not a valid URL/);
  });
});

describe('isRetryable, parseRetryAfter, isLoopbackHost', () => {
  it('decides by status and network code', () => {
    for (const s of [429, 500, 502, 503, 504]) expect(isRetryable({ kind: 'http', status: s })).toBe(true);
    for (const s of [200, 400, 401, 403, 404, 405, 409, 412, 501]) expect(isRetryable({ kind: 'http', status: s })).toBe(false);
    expect(isRetryable({ kind: 'http', status: 409, errors: { fieldErrors: { x: [{ code: '[retryableConflict]x', message: '' }] } } })).toBe(true);
    expect(isRetryable({ kind: 'http', status: 400, errors: { generalErrors: [{ code: '[retryableConflict]', message: '' }] } })).toBe(false);
    for (const c of ['ECONNRESET', 'ETIMEDOUT', 'EPIPE']) expect(isRetryable({ kind: 'network', code: c })).toBe(true);
    for (const c of ['ECONNREFUSED', 'ENOTFOUND', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'EPROTO']) expect(isRetryable({ kind: 'network', code: c })).toBe(false);
  });

  it('parses Retry-After', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
  });

  it('knows loopback by name only', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost.')).toBe(true);
    expect(isLoopbackHost('127.0.0.256')).toBe(false);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});
