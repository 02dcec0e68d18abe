/**
 * The client over real sockets (no nock in this file): against the emulator, against a bare `http.createServer`
 * for connection resets and refusals, and against an https server with a self-signed certificate for --ca-file.
 * The certificate in fixtures/ is a throwaway made for these tests only (CN=localhost, IP 127.0.0.1, 100 years).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient, type RetryInfo } from '../../src/fusionauth/client.js';
import { ApiError, ConnectionError } from '../../src/fusionauth/errors.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('against the emulator', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ apiKey: 'emulator-key-0123456789' });
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('reads and writes over real HTTP with the raw key', async () => {
    const client = createClient({ url: emu.url, apiKey: emu.apiKey });
    const version = await client.request<{ version: string }>({ method: 'GET', path: '/api/system/version' });
    expect(version.body?.version).toMatch(/^\d+\.\d+\.\d+$/);
    const tenants = await client.request<{ tenants: { id: string }[] }>({ method: 'GET', path: '/api/tenant' });
    expect(tenants.body?.tenants.map((t) => t.id)).toContain(emu.defaultTenantId);
  });

  it('gets 401 with a wrong key', async () => {
    const client = createClient({ url: emu.url, apiKey: 'wrong-key-0000' });
    await expect(client.request({ method: 'GET', path: '/api/tenant' })).rejects.toMatchObject({ status: 401 });
  });

  it('reads back a create whose response was lost (connection dropped after the server applied it)', async () => {
    emu.clearLog();
    emu.setFaults({ rate: 1, kinds: ['reset-after'] });
    const id = 'c0ffee00-1111-4222-8333-444455556666';
    const retries: RetryInfo[] = [];
    const client = createClient({
      url: emu.url,
      apiKey: emu.apiKey,
      retry: { minDelayMs: 1 },
      onRetry: (info) => {
        retries.push(info);
        emu.setFaults(undefined); // only the first request loses its response
      },
    });
    const res = await client.request<{ tenant: { id: string; name: string } }>({
      method: 'POST',
      path: `/api/tenant/${id}`,
      body: { tenant: { name: 'Lost response' } },
      idempotentCreate: { readBack: `/api/tenant/${id}` },
    });
    expect(res.status).toBe(200);
    expect(res.body?.tenant).toMatchObject({ id, name: 'Lost response' });
    expect(retries.map((r) => r.reason)).toEqual(['ECONNRESET']);
    expect(emu.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `POST /api/tenant/${id} 0`,
      `POST /api/tenant/${id} 400`,
      `GET /api/tenant/${id} 200`,
    ]);
    expect(emu.snapshot().tenants.filter((t) => t.name === 'Lost response')).toHaveLength(1);
  });

  it('retries the emulator’s 409 [retryableConflict] and 503 with Retry-After', async () => {
    emu.setFaults({ rate: 1, kinds: ['409'] });
    const retries: RetryInfo[] = [];
    const client = createClient({
      url: emu.url,
      apiKey: emu.apiKey,
      retry: { minDelayMs: 1, maxRetryAfterMs: 5 },
      onRetry: (info) => {
        retries.push(info);
        emu.setFaults(retries.length === 1 ? { rate: 1, kinds: ['503'], retryAfterSeconds: 1 } : undefined);
      },
    });
    const res = await client.request({ method: 'GET', path: '/api/messenger' });
    expect(res.status).toBe(200);
    expect(retries.map((r) => [r.reason, r.delayMs <= 5])).toEqual([['409 [retryableConflict]', true], ['503', true]]);
    expect(retries[1]?.delayMs).toBe(5); // Retry-After 1 s, capped at 5 ms
  });

  it('maps a validation error to ApiError with field errors', async () => {
    emu.setFaults(undefined);
    const client = createClient({ url: emu.url, apiKey: emu.apiKey });
    const err = await client.request({ method: 'POST', path: '/api/tenant', body: { tenant: {} } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).fieldErrors().map((e) => e.code)).toContain('[blank]tenant.name');
  });
});

describe('against a bare HTTP server', () => {
  let server: Server;
  let host: string;
  let hits = 0;
  let behaviour: (req: IncomingMessage, res: ServerResponse, n: number) => void = () => undefined;
  beforeAll(async () => {
    server = createServer((req, res) => behaviour(req, res, ++hits));
    host = await listen(server);
  });
  afterAll(async () => {
    await close(server);
  });

  it('retries after the server resets the connection', async () => {
    hits = 0;
    behaviour = (req, res, n) => {
      if (n === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ auth: req.headers.authorization }));
    };
    const retries: RetryInfo[] = [];
    const client = createClient({ url: `http://${host}`, apiKey: 'plain-key', retry: { minDelayMs: 1 }, onRetry: (i) => retries.push(i) });
    const res = await client.request({ method: 'GET', path: '/api/tenant' });
    expect(res.body).toEqual({ auth: 'plain-key' });
    expect(retries.map((r) => r.reason)).toEqual(['ECONNRESET']);
    expect(hits).toBe(2);
  });

  it('times out a server that never answers, and retries that', async () => {
    hits = 0;
    behaviour = () => undefined; // never respond
    const client = createClient({ url: `http://${host}`, apiKey: 'plain-key', readTimeoutMs: 50, retry: { attempts: 2, minDelayMs: 1 } });
    const err = await client.request({ method: 'GET', path: '/api/tenant' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).code).toBe('ETIMEDOUT');
    expect((err as ConnectionError).attempts).toBe(2);
    expect(hits).toBe(2);
  });

  it('reports a refused connection at once, without retrying it', async () => {
    const gone = createServer();
    const goneHost = await listen(gone);
    await close(gone);
    const client = createClient({ url: `http://${goneHost}`, apiKey: 'plain-key', retry: { attempts: 2, minDelayMs: 1 } });
    const err = await client.request({ method: 'GET', path: '/api/tenant' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).code).toBe('ECONNREFUSED');
    expect((err as ConnectionError).attempts).toBe(1);
    expect((err as ConnectionError).message).toBe(`nothing is listening at http://${goneHost} — is FusionAuth running?`);
  });
});

describe('TLS with a private CA', () => {
  let server: Server;
  let host: string;
  let hits = 0;
  beforeAll(async () => {
    server = createHttpsServer(
      { key: readFileSync(fixture('test-only-localhost.key.pem')), cert: readFileSync(fixture('test-only-localhost.cert.pem')) },
      (_req, res) => {
        hits++;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":"1.69.0"}');
      },
    );
    host = await listen(server);
  });
  afterAll(async () => {
    await close(server);
  });

  it('refuses an untrusted certificate without retrying, and points at --ca-file', async () => {
    hits = 0;
    const client = createClient({ url: `https://${host}`, apiKey: 'tls-key', retry: { minDelayMs: 1 } });
    const err = await client.request({ method: 'GET', path: '/api/system/version' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect((err as ConnectionError).attempts).toBe(1);
    expect(String(err)).toContain('--ca-file');
    expect(hits).toBe(0);
  });

  it('trusts the certificate given with caFile', async () => {
    const client = createClient({ url: `https://${host}`, apiKey: 'tls-key', caFile: fixture('test-only-localhost.cert.pem') });
    expect((await client.request({ method: 'GET', path: '/api/system/version' })).body).toEqual({ version: '1.69.0' });
  });

  it('rejects a CA file that holds no certificate', () => {
    expect(() => createClient({ url: `https://${host}`, apiKey: 'k', caFile: fixture('test-only-localhost.key.pem') })).toThrow(/no PEM certificate/);
  });
});
