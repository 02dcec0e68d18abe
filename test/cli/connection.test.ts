/**
 * The connection experience, through the CLI against real local servers and the emulator: a refused connection fails
 * once with one line, an https URL for a plain-http port says so in one line, a URL without a scheme or with a path
 * gets a suggestion, `--wait-for-server` waits for a server that starts late (refused, then 503) and gives up at its
 * deadline, and `kickstand ping` reports the version and license.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ApiError } from '../../src/fusionauth/errors.js';
import { createClient, waitForServer } from '../../src/fusionauth/client.js';
import { runInProcess, tmpDir } from '../hardening/helpers.js';
import { listenLocal } from '../support/local-server.js';

/** An API key no server here accepts (long enough not to be masked inside ordinary words). */
const KEY = 'connection-test-key-0001';

let emu: Emulator;
let file: string;
beforeAll(async () => {
  emu = await startEmulator({ version: '1.69.0', licensed: true });
  const dir = tmpDir();
  file = join(dir, 'k.yaml');
  writeFileSync(file, 'messageTemplates:\n  - key: t\n    name: T\n    type: SMS\n    defaultTemplate: hi\n');
});
afterAll(async () => {
  await emu.stop();
});

/** A loopback port nothing listens on (taken from the system, then released). */
async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Stderr lines that are not empty. */
const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

describe('a refused connection', () => {
  it('fails at once with one line naming the URL, without retry lines, for plan, apply and ping', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    for (const argv of [['plan', file], ['apply', file, '--auto-approve'], ['ping']]) {
      const r = await runInProcess([...argv, '--url', url], { FUSIONAUTH_API_KEY: KEY });
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toEqual([`error: nothing is listening at ${url} — is FusionAuth running?`]);
    }
  });
});

describe('https:// for a plain-http port', () => {
  it('says so in one line and names the http:// URL, with no OpenSSL internals', async () => {
    const plain = await listenLocal((_req, res) => res.end('{}'));
    try {
      const https = plain.url.replace('http:', 'https:');
      const r = await runInProcess(['plan', file, '--url', https], { FUSIONAUTH_API_KEY: KEY });
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toEqual([`error: ${https} answered in plain HTTP, not TLS: this port does not speak https; use ${plain.url}`]);
      expect(r.stderr).not.toMatch(/SSL routines|openssl|EPROTO/i);
    } finally {
      await plain.close();
    }
  });
});

describe('a URL without a scheme', () => {
  it('suggests http:// for a loopback host and https:// for another, and contacts nothing', async () => {
    const local = await runInProcess(['plan', file, '--url', emu.url.replace('http://', '')], { FUSIONAUTH_API_KEY: emu.apiKey });
    expect(local.code).toBe(1);
    expect(local.stderr).toContain(`has no scheme: did you mean ${emu.url}?`);
    const remote = await runInProcess(['ping', '--url', 'auth.example.com'], { FUSIONAUTH_API_KEY: KEY });
    expect(remote.stderr).toContain('the FusionAuth URL "auth.example.com" has no scheme: did you mean https://auth.example.com?');
    const withPort = await runInProcess(['ping', '--url', 'localhost:9011'], { FUSIONAUTH_API_KEY: KEY });
    expect(withPort.stderr).toContain('did you mean http://localhost:9011?');
  });
});

describe('a URL with a path', () => {
  it('/admin and /api get the server root as a hint (the emulator, like FusionAuth, answers 404 there)', async () => {
    emu.clearLog();
    const admin = await runInProcess(['plan', file, '--url', `${emu.url}/admin`], { FUSIONAUTH_API_KEY: emu.apiKey });
    expect(admin.code).toBe(1);
    expect(admin.stderr).toContain(`/admin is FusionAuth's admin UI: the API is at the server root, use --url ${emu.url}`);
    const api = await runInProcess(['plan', file, '--url', `${emu.url}/api/`], { FUSIONAUTH_API_KEY: emu.apiKey });
    expect(api.code).toBe(1);
    expect(api.stderr).toContain(`FusionAuth's API is at the server root (kickstand adds /api/… itself): use --url ${emu.url}`);
    const other = await runInProcess(['plan', file, '--url', `${emu.url}/fusionauth`], { FUSIONAUTH_API_KEY: emu.apiKey });
    expect(other.stderr).toContain(`the URL has the path /fusionauth: FusionAuth's API is at the server root (--url ${emu.url}) unless a proxy serves it under this path`);
  });

  it('a redirect or a page that is not JSON under a path gets the hint too; the root URL does not', async () => {
    const ui = await listenLocal((req, res) => {
      if (req.url?.startsWith('/admin/')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>login</html>');
      } else {
        res.writeHead(302, { location: '/admin/login' });
        res.end();
      }
    });
    try {
      const html = await runInProcess(['ping', '--url', `${ui.url}/admin`], { FUSIONAUTH_API_KEY: KEY });
      expect(html.stderr).toMatch(/not valid JSON .*is the URL pointing at FusionAuth's API\?; \/admin is FusionAuth's admin UI/);
      const redirect = await runInProcess(['ping', '--url', `${ui.url}/x`], { FUSIONAUTH_API_KEY: KEY });
      expect(redirect.stderr).toMatch(/redirect \(302 to .*\/admin\/login\).*; the URL has the path \/x/);
      const root = await runInProcess(['ping', '--url', ui.url], { FUSIONAUTH_API_KEY: KEY });
      expect(root.stderr).toMatch(/redirect \(302/);
      expect(root.stderr).not.toMatch(/server root/);
    } finally {
      await ui.close();
    }
  });
});

describe('--wait-for-server', () => {
  it('waits for a server that starts listening after a delay, printing progress, then plans', async () => {
    const port = await freePort();
    let late: Emulator | undefined;
    // The emulator appears on the port a little after the first probes were refused.
    const starting = new Promise<void>((resolve) => setTimeout(() => {
      void startEmulator({ port, apiKey: emu.apiKey }).then((e) => {
        late = e;
        resolve();
      });
    }, 1500));
    try {
      const r = await runInProcess(['plan', file, '--url', `http://127.0.0.1:${port}`, '--wait-for-server', '30', '--format', 'json'], { FUSIONAUTH_API_KEY: emu.apiKey });
      await starting;
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ target: `http://127.0.0.1:${port}`, summary: { create: 1 } });
      expect(r.stderr).toContain(`waiting for FusionAuth at http://127.0.0.1:${port} (nothing listening yet): 0 s of 30 s`);
      // Progress is throttled: far fewer lines than probes.
      expect(lines(r.stderr).length).toBeLessThanOrEqual(2);
    } finally {
      await starting;
      await late?.stop();
    }
  });

  it('waits out 503 answers (a server still starting behind a proxy), then succeeds', async () => {
    let seen = 0;
    const proxy = await listenLocal((req, res) => {
      seen++;
      if (seen <= 2) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      const up = httpRequest(`${emu.url}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      req.pipe(up);
    });
    try {
      const r = await runInProcess(['ping', '--url', proxy.url, '--wait-for-server', '30', '--format', 'json'], { FUSIONAUTH_API_KEY: emu.apiKey });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ formatVersion: 1, ok: true, target: proxy.url, serverVersion: '1.69.0', licensed: true });
      expect(r.stderr).toContain(`waiting for FusionAuth at ${proxy.url} (503)`);
      expect(r.stderr).not.toMatch(/retrying/);
    } finally {
      await proxy.close();
    }
  });

  it('gives up at the deadline with the clear error, saying how long it waited', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await runInProcess(['plan', file, '--url', url, '--wait-for-server', '1'], { FUSIONAUTH_API_KEY: KEY });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`error: nothing is listening at ${url.replace(/\./g, '\\.')} — is FusionAuth running\\? \\(still failing after waiting 1(\\.\\d)? s\\)`));
    expect(lines(r.stderr).filter((l) => l.startsWith('waiting for FusionAuth'))).toHaveLength(1);
  });

  it('does not wait when the server answers something else (a rejected API key): that error at once', async () => {
    let hits = 0;
    const srv = await listenLocal((_req, res) => {
      hits++;
      res.writeHead(401);
      res.end();
    });
    try {
      const client = createClient({ url: srv.url, apiKey: 'wrong' });
      const e = await waitForServer(client, { timeoutMs: 30_000 }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).status).toBe(401);
      expect(hits).toBe(1);
    } finally {
      await srv.close();
    }
  });

  it('stops waiting when its signal aborts', async () => {
    const client = createClient({ url: `http://127.0.0.1:${await freePort()}`, apiKey: KEY });
    const controller = new AbortController();
    const waiting = waitForServer(client, { timeoutMs: 60_000, signal: controller.signal, onWaiting: () => controller.abort('SIGINT') });
    await expect(waiting).rejects.toBe('SIGINT');
  });

  it('is checked like the other numeric flags', async () => {
    const r = await runInProcess(['plan', file, '--url', emu.url, '--wait-for-server', '1e3'], { FUSIONAUTH_API_KEY: emu.apiKey });
    expect(r.stderr).toContain('--wait-for-server must be a whole number from 0 to 3600, got "1e3"');
  });
});

describe('kickstand ping', () => {
  it('reports the version and license of a server, in words and as JSON (exit 0)', async () => {
    const human = await runInProcess(['ping', '--url', emu.url], { FUSIONAUTH_API_KEY: emu.apiKey });
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(`FusionAuth 1.69.0 at ${emu.url}: answering, licensed\n`);
    const unlicensed = await startEmulator({ version: '1.62.1' });
    try {
      const json = await runInProcess(['ping', '--url', unlicensed.url, '--format', 'json'], { FUSIONAUTH_API_KEY: unlicensed.apiKey });
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({ formatVersion: 1, ok: true, target: unlicensed.url, serverVersion: '1.62.1', licensed: false });
    } finally {
      await unlicensed.stop();
    }
  });

  it('fails with exit 1 on a rejected key; the JSON document says why and never shows the key', async () => {
    const r = await runInProcess(['ping', '--url', emu.url, '--format', 'json'], { FUSIONAUTH_API_KEY: 'not-the-key-123' });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { ok: boolean; error: string; target: string };
    expect(doc).toMatchObject({ formatVersion: 1, ok: false, target: emu.url });
    expect(doc.error).toMatch(/rejected the API key \(401/);
    expect(r.stdout + r.stderr).not.toContain('not-the-key-123');
  });

  it('answers for the embedded emulator with a stable target', async () => {
    const dir = tmpDir();
    const r = await runInProcess(['ping', '--emulator', '--emulator-dir', dir, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, target: 'embedded-emulator', licensed: false });
  });
});
