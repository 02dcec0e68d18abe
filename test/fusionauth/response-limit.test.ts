/**
 * The reply size limit (`maxResponseBytes`) over real sockets: compressed bombs in every encoding the client asks for
 * (gzip, deflate, br), plain replies with and without Content-Length, the exact boundary, no retry, and — in a child
 * process, so that its peak memory is its own — a 2 GiB gzip bomb against the real default limit.
 */
import { execFile } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompressSync, constants as zlibConstants, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_DEFAULTS, createClient, DEFAULT_MAX_RESPONSE_BYTES } from '../../src/fusionauth/client.js';
import { ApiError } from '../../src/fusionauth/errors.js';
import { listenLocal, type LocalServer } from '../support/local-server.js';

const LIMIT = 1024 * 1024;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A JSON body of exactly `size` bytes: `{"tenants":[]}` padded with spaces (valid JSON). */
function jsonOfSize(size: number): Buffer {
  const head = Buffer.from('{"tenants":[]}');
  return Buffer.concat([head, Buffer.alloc(size - head.length, 0x20)]);
}

const ENCODERS: Record<string, (b: Buffer) => Buffer> = {
  gzip: (b) => gzipSync(b, { level: 9 }),
  deflate: (b) => deflateSync(b, { level: 9 }),
  br: (b) => brotliCompressSync(b, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } }),
};

let local: LocalServer;
let base: string;
let hits = 0;
let behaviour: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;

/** Write `body` in 64 KiB pieces, respecting backpressure, ignoring the client hanging up part-way. */
function stream(res: ServerResponse, body: Buffer): void {
  let offset = 0;
  res.on('error', () => undefined);
  const write = (): void => {
    while (offset < body.length) {
      const piece = body.subarray(offset, offset + 64 * 1024);
      offset += piece.length;
      if (!res.write(piece)) {
        res.once('drain', write);
        return;
      }
    }
    res.end();
  };
  write();
}

beforeAll(async () => {
  local = await listenLocal((req, res) => {
    hits++;
    behaviour(req, res);
  });
  base = local.url;
});
afterAll(async () => {
  await local.close();
});

const client = () => createClient({ url: base, apiKey: 'limit-test-key', maxResponseBytes: LIMIT, retry: { minDelayMs: 1 } });

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('maxResponseBytes', () => {
  it('defaults to 256 MiB', () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(256 * 1024 * 1024);
    expect(CLIENT_DEFAULTS.maxResponseBytes).toBe(DEFAULT_MAX_RESPONSE_BYTES);
  });

  // A 64 MiB body of spaces after the JSON: a few KB compressed, 64 times the limit inflated.
  const bomb = jsonOfSize(64 * LIMIT);
  it.each(Object.keys(ENCODERS))('refuses a %s bomb that inflates past the limit, naming the request and the limit', async (encoding) => {
    const compressed = ENCODERS[encoding]!(bomb);
    expect(compressed.length).toBeLessThan(LIMIT);
    hits = 0;
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': compressed.length });
      stream(res, compressed);
    };
    const err = await failure(client().request({ method: 'GET', path: '/api/tenant' }));
    expect(err.message).toBe("FusionAuth's reply to GET /api/tenant (200) is larger than the limit of 1 MiB; refusing it (raise the limit with --max-response-mb if the server really holds that much)");
    expect(err).toMatchObject({ status: 200, method: 'GET', path: '/api/tenant', attempts: 1, retriesExhausted: false });
    expect(hits).toBe(1);
  });

  it.each(Object.keys(ENCODERS))('accepts a %s reply that inflates to exactly the limit', async (encoding) => {
    const compressed = ENCODERS[encoding]!(jsonOfSize(LIMIT));
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      stream(res, compressed);
    };
    expect((await client().request({ method: 'GET', path: '/api/tenant' })).body).toEqual({ tenants: [] });
  });

  it.each([
    ['with Content-Length', true],
    ['chunked, without Content-Length', false],
  ])('refuses a plain reply one byte over the limit (%s)', async (_name, withLength) => {
    const body = jsonOfSize(LIMIT + 1);
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ...(withLength ? { 'content-length': body.length } : {}) });
      stream(res, body);
    };
    const err = await failure(client().request({ method: 'GET', path: '/api/messenger' }));
    expect(err.message).toMatch(/^FusionAuth's reply to GET \/api\/messenger \(200\) is larger than the limit of 1 MiB/);
  });

  it.each([
    ['with Content-Length', true],
    ['chunked, without Content-Length', false],
  ])('accepts a plain reply of exactly the limit (%s)', async (_name, withLength) => {
    const body = jsonOfSize(LIMIT);
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ...(withLength ? { 'content-length': body.length } : {}) });
      stream(res, body);
    };
    expect((await client().request({ method: 'GET', path: '/api/tenant' })).body).toEqual({ tenants: [] });
  });

  it('refuses a Content-Length over the limit before reading the body', async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 100 * LIMIT });
      res.on('error', () => undefined);
      // The headers only; the body never comes. Without the early check the client would wait for it until its
      // timeout and fail with a ConnectionError instead.
      res.flushHeaders();
    };
    const err = await failure(client().request({ method: 'GET', path: '/api/tenant' }));
    expect(err.message).toMatch(/larger than the limit of 1 MiB/);
  });

  it('does not retry an oversized reply, even with a retryable status', async () => {
    hits = 0;
    const body = jsonOfSize(2 * LIMIT);
    behaviour = (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      stream(res, body);
    };
    const err = await failure(client().request({ method: 'GET', path: '/api/tenant' }));
    expect(err).toMatchObject({ status: 503, attempts: 1 });
    expect(err.message).toMatch(/GET \/api\/tenant \(503\) is larger than the limit of 1 MiB/);
    expect(hits).toBe(1);
  });

  it('states a limit that is not whole MiB in bytes', async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      stream(res, jsonOfSize(1000));
    };
    const small = createClient({ url: base, apiKey: 'limit-test-key', maxResponseBytes: 999 });
    expect((await failure(small.request({ method: 'GET', path: '/api/tenant' }))).message).toMatch(/the limit of 999 bytes/);
  });

  it('refuses a 2 GiB gzip bomb with the default limit while the process stays near the limit in memory', async () => {
    // A child process, so that its peak RSS is this request's alone (vitest's worker has run other tests before).
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/fusionauth/support/gzip-bomb-child.ts', '2'], { cwd: ROOT });
    const out = JSON.parse(stdout) as { name: string; message: string; served: number; compressedBytes: number; rssBeforeMiB: number; peakRssMiB: number };
    expect(out.name).toBe('ApiError');
    expect(out.message).toMatch(/^FusionAuth's reply to GET \/api\/tenant \(200\) is larger than the limit of 256 MiB/);
    expect(out.served).toBe(1);
    expect(out.compressedBytes).toBeLessThan(4 * 1024 * 1024);
    // Measured: the peak grows by ~270 MiB (the 256 MiB read before the limit trips). Reading the whole 2 GiB would
    // need over 2,048 MiB (in fact V8 dies first); twice the limit is a margin for the garbage collector's lag.
    expect(out.peakRssMiB - out.rssBeforeMiB).toBeLessThan(2 * 256);
  });
});

describe('maxResponseBytes values', () => {
  it.each([0, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (value) => {
    expect(() => createClient({ url: 'http://127.0.0.1:9011', apiKey: 'k', maxResponseBytes: value })).toThrow(/the reply size limit must be at least 1 byte/);
  });

  it('rounds a fractional limit down (e.g. from a fractional --max-response-mb)', async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      stream(res, jsonOfSize(1000));
    };
    const c = createClient({ url: base, apiKey: 'k', maxResponseBytes: 999.9 });
    expect((await failure(c.request({ method: 'GET', path: '/api/tenant' }))).message).toMatch(/the limit of 999 bytes/);
  });
});
