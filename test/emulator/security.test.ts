/**
 * The emulator as a server others run in CI: prototype keys in request bodies are refused and cannot switch
 * authentication off; a request is routed and authenticated from its headers before its body is read; the number of
 * connections is capped.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { forbiddenKeyPath } from '../../src/emulator/server.js';
import { ID, prototypeGuard, start, type Client } from './helpers.js';

/** One HTTP/1.1 response read off a raw socket. */
interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A raw TCP connection to the emulator: writes exactly what a test says, reads responses (interim 100 included). */
class Raw {
  private buf = '';
  private waiters: Array<() => void> = [];
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buf += d;
      this.wake();
    });
    // A refused connection may be reset rather than closed: both end it.
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.ended = true;
        resolve();
        this.wake();
      }),
    );
  }

  static async open(url: string): Promise<Raw> {
    const u = new URL(url);
    const s = connect(Number(u.port), u.hostname);
    await once(s, 'connect');
    return new Raw(s);
  }

  write(text: string): void {
    if (!this.ended) this.socket.write(text);
  }

  end(): void {
    this.socket.end();
  }

  /** The next complete response, or undefined when the connection closed before one arrived. */
  async response(): Promise<RawResponse | undefined> {
    for (;;) {
      const r = this.take();
      if (r) return r;
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private take(): RawResponse | undefined {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine = '', ...lines] = this.buf.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const l of lines) headers[l.slice(0, l.indexOf(':')).trim().toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
    const length = Number(headers['content-length'] ?? 0);
    if (this.buf.length < end + 4 + length) return undefined;
    const body = this.buf.slice(end + 4, end + 4 + length);
    this.buf = this.buf.slice(end + 4 + length);
    return { status: Number(statusLine.split(' ')[1]), headers, body };
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** The head of a request, with the key when given. */
function head(method: string, path: string, headers: Record<string, string | number>, key?: string): string {
  const all: Record<string, string | number> = { Host: 'emulator.test', ...headers };
  if (key !== undefined) all.Authorization = key;
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

describe('prototype keys in request bodies', () => {
  let c: Client;
  const guard = prototypeGuard();
  beforeAll(async () => {
    c = await start({ defaultTenantId: ID.defaultTenant });
  });
  afterAll(() => c.e.stop());
  afterEach(() => guard.restore());

  const tenantPath = `/api/tenant/${ID.defaultTenant}`;
  // Raw JSON text: an object literal's `__proto__` would set the prototype of the test's own object instead.
  const cases: Array<{ name: string; method: string; path: string; raw: string; contentType?: string }> = [
    { name: 'PUT, top level of the object', method: 'PUT', path: tenantPath, raw: '{"tenant":{"name":"Default","__proto__":{"auth":"none"}}}' },
    { name: 'POST, nested in data', method: 'POST', path: '/api/tenant', raw: '{"tenant":{"name":"Polluter","data":{"__proto__":{"auth":"none"}}}}' },
    { name: 'POST, constructor.prototype at the top', method: 'POST', path: '/api/messenger', raw: '{"constructor":{"prototype":{"auth":"none"}}}' },
    { name: 'POST, inside an array element', method: 'POST', path: '/api/application', raw: '{"application":{"name":"A","roles":[{"name":"r","prototype":{"auth":"none"}}]}}' },
    { name: 'PATCH application/json (the reported exploit)', method: 'PATCH', path: tenantPath, raw: '{"tenant":{"__proto__":{"auth":"none"}}}', contentType: 'application/json' },
    { name: 'PATCH merge-patch+json', method: 'PATCH', path: tenantPath, raw: '{"tenant":{"__proto__":{"auth":"none"}}}', contentType: 'application/merge-patch+json' },
    { name: 'PATCH merge-patch+json, constructor', method: 'PATCH', path: tenantPath, raw: '{"tenant":{"constructor":{"prototype":{"auth":"none"}}}}', contentType: 'application/merge-patch+json' },
    { name: 'PATCH json-patch+json, pointer /tenant/__proto__/auth', method: 'PATCH', path: tenantPath, raw: '[{"op":"add","path":"/tenant/__proto__/auth","value":"none"}]', contentType: 'application/json-patch+json' },
    { name: 'PATCH json-patch+json, pointer /tenant/constructor/prototype/auth', method: 'PATCH', path: tenantPath, raw: '[{"op":"add","path":"/tenant/constructor/prototype/auth","value":"none"}]', contentType: 'application/json-patch+json' },
    { name: 'PATCH json-patch+json, key in the value', method: 'PATCH', path: tenantPath, raw: '[{"op":"add","path":"/tenant/data","value":{"__proto__":{"auth":"none"}}}]', contentType: 'application/json-patch+json' },
    { name: 'POST /api/user', method: 'POST', path: '/api/user', raw: '{"user":{"email":"p@example.com","password":"password123","__proto__":{"auth":"none"}}}' },
    { name: 'POST /api/login (optional auth)', method: 'POST', path: '/api/login', raw: '{"loginId":"p@example.com","__proto__":{"auth":"none"}}' },
    { name: 'PUT /_emulator/license', method: 'PUT', path: '/_emulator/license', raw: '{"licensed":true,"__proto__":{"auth":"none"}}' },
    { name: 'POST /_emulator/reset', method: 'POST', path: '/_emulator/reset', raw: '{"__proto__":{"auth":"none"}}' },
  ];

  it.each(cases)('$name: 400 [invalidJSON], nothing polluted or changed, and a request without the key still gets 401', async ({ method, path, raw, contentType }) => {
    const before = c.e.snapshot();
    const r = await c.call(method, path, undefined, { raw, contentType: contentType ?? 'application/json' });
    expect(r.status).toBe(400);
    expect(r.body.generalErrors[0].code).toBe('[invalidJSON]');
    guard.assertClean();
    expect(c.e.snapshot()).toEqual(before);
    expect((await c.get('/api/tenant', { key: null })).status).toBe(401);
    expect((await c.post('/_emulator/reset', undefined, { key: null })).status).toBe(401);
    expect((await c.call('PATCH', tenantPath, undefined, { key: null, raw: '{"tenant":{"name":"x"}}', contentType: 'application/json' })).status).toBe(401);
  });

  it('the message names where the key was, and the same body without it is accepted', async () => {
    const r = await c.post('/api/tenant', undefined, { raw: '{"tenant":{"name":"Named","data":{"a":[{"__proto__":1}]}}}' });
    expect(r.body.generalErrors[0].message).toContain('[tenant.data.a[0].__proto__]');
    expect((await c.post('/api/tenant', { tenant: { name: 'Named', data: { a: [{ proto: 1 }] } } })).status).toBe(200);
  });

  it('even a polluted Object.prototype cannot switch authentication off (routes are read from own properties)', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.auth = 'none';
    try {
      expect((await c.get('/api/tenant', { key: null })).status).toBe(401);
      expect((await c.post('/_emulator/reset', undefined, { key: null })).status).toBe(401);
      expect((await c.get('/_emulator/requests', { key: null })).status).toBe(401);
    } finally {
      delete proto.auth;
    }
  });
});

describe('forbiddenKeyPath', () => {
  it('finds the first prototype key anywhere and gives its path', () => {
    expect(forbiddenKeyPath({ tenant: { name: 'x', data: { list: [1, { ok: true }] } } })).toBeUndefined();
    expect(forbiddenKeyPath(JSON.parse('{"tenant":{"data":{"__proto__":{}}}}'))).toBe('tenant.data.__proto__');
    expect(forbiddenKeyPath(JSON.parse('[{"op":"add","value":{"constructor":1}}]'))).toBe('[0].value.constructor');
    expect(forbiddenKeyPath(JSON.parse('{"a":[[{"prototype":null}]]}'))).toBe('a[0][0].prototype');
    expect(forbiddenKeyPath('__proto__')).toBeUndefined();
  });
  it('walks a body nested 100,000 deep without exhausting the stack', () => {
    const depth = 100_000;
    expect(forbiddenKeyPath(JSON.parse(`${'['.repeat(depth)}{"__proto__":1}${']'.repeat(depth)}`))).toBe(`${'[0]'.repeat(depth)}.__proto__`);
  });
});

describe('the body is read only after routing and authentication', () => {
  let c: Client;
  beforeAll(async () => {
    c = await start();
  });
  afterAll(() => c.e.stop());

  it('a request without the key gets its 401 while its body is still incomplete, and the connection is closed', async () => {
    for (const path of ['/api/tenant', '/_emulator/reset', `/api/tenant/${ID.tenant1}`]) {
      const r = await Raw.open(c.e.url);
      r.write(head('POST', path, { 'Content-Type': 'application/json', 'Content-Length': 15_000_000 }) + '{"tenant":');
      const res = await r.response();
      expect(res?.status).toBe(401);
      expect(res?.headers.connection).toBe('close');
      await r.closed;
    }
    // Logged as today: the FusionAuth requests with their 401, the /_emulator one not at all.
    expect(c.e.requests.map((x) => [x.method, x.path, x.status])).toEqual([
      ['POST', '/api/tenant', 401],
      ['POST', `/api/tenant/${ID.tenant1}`, 401],
    ]);
  });

  it('with a wrong key, an unknown path or another method the body is not waited for either (401, 404, 405)', async () => {
    const cases: Array<[string, string, string | undefined, number]> = [
      ['PUT', `/api/tenant/${ID.tenant1}`, 'wrong-key', 401],
      ['POST', '/api/nothing-here', c.e.apiKey, 404],
      ['PUT', '/api/tenant', c.e.apiKey, 405],
    ];
    for (const [method, path, key, status] of cases) {
      const r = await Raw.open(c.e.url);
      r.write(head(method, path, { 'Content-Length': 15_000_000 }, key) + '{');
      expect((await r.response())?.status).toBe(status);
      await r.closed;
    }
  });

  it('an authenticated body declared over 16 MB gets 413 before it is sent', async () => {
    const r = await Raw.open(c.e.url);
    r.write(head('POST', '/api/tenant', { 'Content-Type': 'application/json', 'Content-Length': 16 * 1024 * 1024 + 1 }, c.e.apiKey) + '{');
    expect((await r.response())?.status).toBe(413);
    await r.closed;
  });

  it('Expect: 100-continue: the body is asked for only once the headers passed', async () => {
    const body = '{"tenant":{"name":"Continued"}}';
    const refused = await Raw.open(c.e.url);
    refused.write(head('POST', '/api/tenant', { 'Content-Type': 'application/json', 'Content-Length': body.length, Expect: '100-continue' }));
    expect((await refused.response())?.status).toBe(401);
    refused.end();

    const accepted = await Raw.open(c.e.url);
    accepted.write(head('POST', '/api/tenant', { 'Content-Type': 'application/json', 'Content-Length': body.length, Expect: '100-continue' }, c.e.apiKey));
    expect((await accepted.response())?.status).toBe(100);
    accepted.write(body);
    const done = await accepted.response();
    expect(done?.status).toBe(200);
    expect(JSON.parse(done?.body ?? '').tenant.name).toBe('Continued');
    accepted.end();
  });

  it('an authenticated request with faults on still gets its fault after the body was read, as before', async () => {
    c.e.setFaults({ rate: 1, seed: 1, kinds: ['503'] });
    try {
      const r = await c.post('/api/tenant', { tenant: { name: 'Faulted' } });
      expect(r.status).toBe(503);
      expect(c.e.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/tenant', status: 503, fault: '503' });
    } finally {
      c.e.setFaults(undefined);
    }
  });
});

describe('connection cap', () => {
  it('closes connections beyond maxConnections as they arrive, and serves again once one closed', async () => {
    const e = await startEmulator({ apiKey: 'k', maxConnections: 2 });
    const open: Raw[] = [];
    try {
      // Two connections in the middle of a request (100 Continue proves the server holds them).
      const body = '{"tenant":{"name":"Held"}}';
      for (let i = 0; i < 2; i++) {
        const r = await Raw.open(e.url);
        open.push(r);
        r.write(head('POST', '/api/tenant', { 'Content-Type': 'application/json', 'Content-Length': body.length, Expect: '100-continue' }, 'k'));
        expect((await r.response())?.status).toBe(100);
      }
      const extra = await Raw.open(e.url);
      open.push(extra);
      extra.write(head('GET', '/api/tenant', {}, 'k'));
      expect(await extra.response()).toBeUndefined();
      await extra.closed;

      // The held connections are unaffected.
      const first = open[0] as Raw;
      first.write(body);
      expect((await first.response())?.status).toBe(200);
      first.end();
      await first.closed;

      // Once the server saw that one close, a new connection is served (polled: when is not asserted).
      let served: RawResponse | undefined;
      for (let attempt = 0; attempt < 200 && served === undefined; attempt++) {
        const r = await Raw.open(e.url);
        open.push(r);
        r.write(head('GET', '/api/tenant', { Connection: 'close' }, 'k'));
        served = await r.response();
        if (served === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(served?.status).toBe(200);
    } finally {
      for (const r of open) r.end();
      await e.stop();
    }
  });

  it('refuses a maxConnections that is not a positive integer', async () => {
    for (const maxConnections of [0, -1, 1.5]) await expect(startEmulator({ maxConnections })).rejects.toThrow(/maxConnections must be a positive integer/);
  });
});
