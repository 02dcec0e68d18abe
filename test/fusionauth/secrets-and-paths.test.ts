/**
 * What the client refuses to print and to send: user:password from the server URL in any shape, the API key in any
 * spelling (whatever a server echoes back), the query and fragment of a redirect target; request paths whose segments
 * could address another endpoint (checked before anything is sent, against a real local server that counts hits);
 * and --ca-file files that are not small regular files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, MAX_CA_FILE_BYTES, pathProblem, REDACTED } from '../../src/fusionauth/client.js';
import { ApiError, ConnectionError } from '../../src/fusionauth/errors.js';
import { UserError } from '../../src/core/errors.js';
import type { HttpMethod } from '../../src/fusionauth/types.js';
import { listenLocal, type LocalServer } from '../support/local-server.js';

const KEY = 'sk-live-THE-API-KEY-0123456789abcdef';

/** Every text an error can be printed or logged as. */
function texts(err: unknown): string[] {
  const e = err as Error;
  return [String(e), e.message, e.stack ?? '', JSON.stringify(e), inspect(e, { depth: 10 }), JSON.stringify((e as UserError).diagnostics ?? [])];
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => {
    throw new Error('expected the request to fail');
  }, (e: unknown) => e);
}

describe('credentials in the server URL are never printed', () => {
  const USER = 'alice-user';
  const TAIL = 'Zebra-pw';
  // 12345 first, so that a password cut at its special character still parses as a port: the trap of
  // `https://u:12345/Zebra-pw@host`, which is host `u`, port 12345, path `/Zebra-pw@host`.
  const specials = ['/', '@', '#', '?', ':', '%2F', '\\', ' ', '%', '[', ']'];
  const shapes: Array<(userinfo: string) => string> = [
    (ui) => `https://${ui}@fa.example.com`,
    (ui) => `https://${ui}@fa.example.com:8443/auth/`,
    (ui) => `http://${ui}@fa.example.com`,
    (ui) => `http://${ui}@10.0.0.1:9011`,
    (ui) => `https://${ui}@[2001:db8::1]:9011`,
    (ui) => `http://${ui}@[::2]`,
    (ui) => `http://${ui}@[::1]:9011`,
    (ui) => `${ui}@fa.example.com`,
    (ui) => `//${ui}@fa.example.com`,
    (ui) => `ftp://${ui}@fa.example.com`,
    (ui) => `https://${ui}@`,
    (ui) => `https://${ui}@fa.example.com:99999`,
    (ui) => `https:/${ui}@fa.example.com`,
    (ui) => ` https://${ui}@fa.example.com `,
    (ui) => `HTTPS://${ui}@FA.EXAMPLE.COM`,
  ];
  const cases = specials.flatMap((c) => shapes.map((shape) => [c, shape(`${USER}:12345${c}${TAIL}`)] as const));

  it.each(cases)('password with %j: %s', (_c, url) => {
    const err = thrown(() => createClient({ url, apiKey: KEY }));
    const out = err === undefined ? [createClient({ url, apiKey: KEY }).baseUrl] : texts(err);
    if (err !== undefined) expect(err).toBeInstanceOf(UserError);
    for (const text of out) {
      for (const secret of [USER, '12345', TAIL, KEY]) expect(text).not.toContain(secret);
    }
  });

  it('says what is wrong without echoing the URL', () => {
    expect(String(thrown(() => createClient({ url: 'alice:pw/x@fa.example.com', apiKey: KEY })))).toContain(
      'the FusionAuth URL does not start with https:// or http://',
    );
    expect(String(thrown(() => createClient({ url: 'fa.example.com', apiKey: KEY })))).toContain('the FusionAuth URL "fa.example.com" has no scheme: did you mean https://fa.example.com?');
    expect(String(thrown(() => createClient({ url: 'fa example com', apiKey: KEY })))).toContain('is not a valid URL: it does not start with https:// or http://');
    expect(String(thrown(() => createClient({ url: 'https://u:12345/pw@fa.example.com', apiKey: KEY })))).toMatch(/has an "@" after its host part.*percent-encode the password/);
    expect(String(thrown(() => createClient({ url: 'ftp://fa.example.com', apiKey: KEY })))).toContain('not ftp://');
  });

  it('drops credentials that parse cleanly, percent-encoded or not', () => {
    expect(createClient({ url: 'https://alice:p%2Fw%40x@fa.example.com/auth/', apiKey: KEY }).baseUrl).toBe('https://fa.example.com/auth');
    expect(createClient({ url: 'https://alice:p@w:x@[2001:db8::1]:9011', apiKey: KEY }).baseUrl).toBe('https://[2001:db8::1]:9011');
  });

  it('never prints the API key given as the URL, or inside it, in any letter case', () => {
    for (const url of [KEY, `https://${KEY}`, `http://${KEY}.example.com`, `http://fa.example.com/${KEY}`, `https://${KEY}@fa.example.com`, `${KEY}://x`]) {
      const err = thrown(() => createClient({ url, apiKey: KEY }));
      const out = err === undefined ? [createClient({ url, apiKey: KEY }).baseUrl] : texts(err);
      for (const text of out) expect(text.toLowerCase()).not.toContain(KEY.toLowerCase());
    }
    const refused = thrown(() => createClient({ url: `http://${KEY}.example.com`, apiKey: KEY }));
    expect(refused).toBeInstanceOf(ConnectionError);
    expect(String(refused)).toContain(`refusing plain http:// to ${REDACTED}.example.com`);
  });
});

describe('messages never carry the API key, whatever the server echoes', () => {
  const BASE = 'https://fa.example.com';
  // Characters that every encoding treats differently: / + = & space " % and a non-ASCII letter.
  const ODD_KEY = 'Key/With+Plus=Eq&Amp Sp"Qu%41é';
  const spellings = [
    ODD_KEY,
    encodeURIComponent(ODD_KEY),
    encodeURIComponent(ODD_KEY).toLowerCase(),
    encodeURI(ODD_KEY),
    new URLSearchParams({ k: ODD_KEY }).toString().slice(2),
    JSON.stringify(ODD_KEY).slice(1, -1),
    ODD_KEY.toUpperCase(),
  ];
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  const c = () => createClient({ url: BASE, apiKey: ODD_KEY, retry: { attempts: 1 } });
  function expectClean(err: unknown): void {
    for (const text of texts(err)) {
      for (const s of spellings) expect(text).not.toContain(s);
    }
  }

  it.each(spellings)('in an error code, a redirect target and a content type: %s', async (spelling) => {
    nock(BASE).get('/api/tenant').reply(400, { generalErrors: [{ code: `[invalid]${spelling}`, message: spelling }] });
    const e1 = await rejection(c().request({ method: 'GET', path: '/api/tenant' }));
    expect(e1).toBeInstanceOf(ApiError);
    expect((e1 as ApiError).message).toContain(`[invalid]${REDACTED}`);
    // `errors` keeps the server's envelope for the CLI, which masks messages; only the message texts are checked here.
    for (const text of [String(e1), (e1 as Error).stack ?? '']) for (const s of spellings) expect(text).not.toContain(s);

    nock(BASE).get('/api/messenger').reply(302, '', { location: `https://elsewhere.example.com/k/${spelling}/login?key=${spelling}#${spelling}` });
    const e2 = await rejection(c().request({ method: 'GET', path: '/api/messenger' }));
    expectClean(e2);
    expect(String(e2)).toContain('https://elsewhere.example.com/k/');

    nock(BASE).get('/api/message/template').reply(200, 'not json', { 'content-type': `text/${spelling}` });
    expectClean(await rejection(c().request({ method: 'GET', path: '/api/message/template' })));
  });

  it('in a network error and a refused path', async () => {
    nock(BASE).get('/api/tenant').replyWithError(Object.assign(new Error(`socket hang up near ${ODD_KEY}`), { code: 'ECONNRESET' }));
    expectClean(await rejection(c().request({ method: 'GET', path: '/api/tenant' })));
    const refused = await rejection(c().request({ method: 'DELETE', path: `/api/tenant/${'x'.repeat(190)}${ODD_KEY}` }));
    expect(refused).toBeInstanceOf(UserError);
    expectClean(refused);
  });
});

describe('redirect targets are printed without credentials, query and fragment', () => {
  const BASE = 'https://fa.example.com';
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it.each([
    ['https://bob:hunter2@elsewhere.example.com/login?token=abc#frag', 'to https://elsewhere.example.com/login)'],
    ['https://bob:12/hunter2@elsewhere.example.com/login', 'to a location not shown (it may hold credentials))'],
    ['https://bob:hunter2@elsewhere.example.com:8443/p@th', 'to a location not shown (it may hold credentials))'],
    ['/login?next=%2Fapi&token=abc', 'to https://fa.example.com/login)'],
    ['//bob:pw@[2001:db8::1]:8443/x?token=abc', 'to https://[2001:db8::1]:8443/x)'],
    ['http://[::1', 'to a location that is not a URL)'],
    ['https://elsewhere.example.com/a b"c\u00e9?token=abc', 'to https://elsewhere.example.com/a%20b%22c%C3%A9)'],
  ])('%s', async (location, expected) => {
    nock(BASE).get('/api/tenant').reply(307, '', { location });
    const err = await rejection(createClient({ url: BASE, apiKey: KEY }).request({ method: 'GET', path: '/api/tenant' }));
    expect(err).toBeInstanceOf(ApiError);
    const text = String(err);
    expect(text).toContain(expected);
    for (const secret of ['bob', 'hunter2', 'token', 'abc', 'frag', KEY]) expect(text).not.toContain(secret);
  });
});

describe('request paths are checked before anything is sent', () => {
  let local: LocalServer;
  let base: string;
  let hits: string[] = [];
  beforeAll(async () => {
    local = await listenLocal((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    base = local.url;
  });
  afterAll(async () => {
    await local.close();
  });

  const bad: Array<[string, RegExp]> = [
    ['/api/tenant/../../api/system/version?x=', /a "\.\." segment/],
    ['/api/tenant/..', /a "\.\." segment/],
    ['/api/./tenant', /a "\." segment/],
    ['/api//tenant', /an empty segment/],
    ['/api/tenant/', /an empty segment/],
    ['/', /an empty segment/],
    ['', /an empty segment/],
    ['/api/tenant?x=1', /"\?" \(query parameters go in the request's query/],
    ['/api/tenant#frag', /"#"/],
    ['/api/tenant/%2e%2e', /"%"/],
    ['/api/tenant/..%2F..%2Fapi', /"%"/],
    ['/api/tenant\\..\\system', /contains "\\"/],
    ['/api/tenant/a b', /U\+0020/],
    ['/api/tenant/a\tb', /U\+0009/],
    ['/api/tenant/a\r\nX-Injected: 1', /U\+000D/],
    ['/api/tenant/a\u0000b', /U\+0000/],
    ['/api/tenant/a\u007fb', /U\+007F/],
    ['/api/tenant/a\u0085b', /U\+0085/],
    ['/api/tenant/a\u00a0b', /U\+00A0/],
    ['/api/tenant/a\u2028b', /U\+2028/],
    ['/api/tenant/a\u3000b', /U\+3000/],
  ];
  const methods: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

  it.each(bad)('refuses %j', async (path, reason) => {
    hits = [];
    const client = createClient({ url: base, apiKey: KEY });
    for (const method of methods) {
      const err = await rejection(client.request({ method, path, body: method === 'GET' || method === 'DELETE' ? undefined : { tenant: {} } }));
      expect(err).toBeInstanceOf(UserError);
      expect(err).not.toBeInstanceOf(ApiError);
      expect(err).not.toBeInstanceOf(ConnectionError);
      const message = (err as Error).message;
      expect(message).toMatch(new RegExp(`^refusing to send ${method} `));
      expect(message).toMatch(reason);
      // The path is shown escaped: nothing but printable ASCII reaches a terminal.
      expect(message).toMatch(/^[\x20-\x7e]*$/);
    }
    expect(hits).toEqual([]);
  });

  it('sends ordinary paths, with the query in `query`', async () => {
    hits = [];
    const client = createClient({ url: base, apiKey: KEY });
    await client.request({ method: 'GET', path: '/api/application', query: { inactive: 'true' } });
    await client.request({ method: 'PATCH', path: '/api/application/6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9/role/0b8e1c3a-5d4f-4e2a-9b1c-7d6e5f4a3b2c', body: {} });
    await client.request({ method: 'GET', path: 'api/message/template' });
    expect(hits).toEqual([
      'GET /api/application?inactive=true',
      'PATCH /api/application/6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9/role/0b8e1c3a-5d4f-4e2a-9b1c-7d6e5f4a3b2c',
      'GET /api/message/template',
    ]);
    expect(pathProblem('/api/system/version')).toBeUndefined();
  });

  it('cuts a very long refused path', async () => {
    const client = createClient({ url: base, apiKey: KEY });
    const err = await rejection(client.request({ method: 'GET', path: `/api/tenant/${'a'.repeat(100_000)}?` }));
    expect((err as Error).message.length).toBeLessThan(400);
  });
});

describe('--ca-file is read bounded', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kickstand-ca-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  it.each([
    ['a FIFO', () => {
      const p = join(dir, 'fifo.pem');
      execFileSync('mkfifo', [p]);
      return p;
    }, /is a FIFO \(named pipe\), not a regular file/],
    ['/dev/zero', () => '/dev/zero', /is a device, not a regular file|is a kernel file/],
    ['/proc/self/environ', () => '/proc/self/environ', /is a kernel file/],
    ['a symbolic link to /dev/zero', () => {
      const p = join(dir, 'link.pem');
      execFileSync('ln', ['-s', '/dev/zero', p]);
      return p;
    }, /is a device, not a regular file|is a kernel file/],
    ['a file over the limit', () => {
      const p = join(dir, 'big.pem');
      writeFileSync(p, pem + ' '.repeat(MAX_CA_FILE_BYTES));
      return p;
    }, new RegExp(`is over the limit of ${MAX_CA_FILE_BYTES} bytes \\(a CA bundle is a few hundred KB at most`)],
    ['a folder', () => {
      const p = join(dir, 'folder.pem');
      mkdirSync(p);
      return p;
    }, /is a folder, not a file/],
    ['a missing file', () => join(dir, 'missing.pem'), /does not exist/],
  ])('refuses %s, naming the flag and the file', (_name, make, reason) => {
    const file = make();
    const err = thrown(() => createClient({ url: 'https://fa.example.com', apiKey: KEY, caFile: file }));
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message.startsWith(`--ca-file ${file} `)).toBe(true);
    expect((err as Error).message).toMatch(reason);
  });

  it('accepts a bundle up to the limit', () => {
    const p = join(dir, 'ok.pem');
    writeFileSync(p, pem + ' '.repeat(MAX_CA_FILE_BYTES - pem.length));
    expect(createClient({ url: 'https://fa.example.com', apiKey: KEY, caFile: p }).baseUrl).toBe('https://fa.example.com');
  });
});
