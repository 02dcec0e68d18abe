/**
 * Concurrent runs: two applies of the same file started together, as two CLI processes (behind a proxy that holds
 * writes until both have planned, so they truly overlap) and as two library calls in one process, against one emulator. Neither may leave a duplicate; each either succeeds or fails cleanly (a
 * `[duplicate]` refusal for the object the other run created first, exit 1, no internal error); a re-run converges to
 * the state of a single clean apply.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apply, plan } from '../../src/engine.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import { DEFAULT_TENANT_ID, duplicates, generateConfig, normalize, runInProcess, spawnCli, writeConfig, type CliRun } from './helpers.js';

const BIG = writeConfig(generateConfig({ messengers: 5, templates: 5, tenants: 10, applications: 30 }));
const V1 = writeConfig(generateConfig({ messengers: 2, templates: 2, tenants: 3, applications: 3 }));
const V2 = writeConfig(generateConfig({ messengers: 3, templates: 3, tenants: 3, applications: 6, variant: 1, extraRoles: 2 }));

let refBig: ReturnType<typeof normalize>;
let refV2: ReturnType<typeof normalize>;
let emu: Emulator | undefined;

async function start(latencyMs = 0): Promise<Emulator> {
  emu = await startEmulator({ licensed: true, defaultTenantId: DEFAULT_TENANT_ID, latencyMs });
  return emu;
}
const clientOf = (e: Emulator) => createClient({ url: e.url, apiKey: e.apiKey, retry: { attempts: 3, minDelayMs: 1 } });

beforeAll(async () => {
  const e = await startEmulator({ licensed: true, defaultTenantId: DEFAULT_TENANT_ID });
  const c = clientOf(e);
  await apply({ files: [BIG], client: c });
  refBig = normalize(e.snapshot());
  e.reset();
  await apply({ files: [V1], client: c });
  await apply({ files: [V2], client: c });
  refV2 = normalize(e.snapshot());
  await e.stop();
});
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

/**
 * A proxy in front of the emulator that holds every write until `reads` plan reads (`GET /api/application`, the
 * last kind a plan reads) were answered: both runs then plan against the same live state before either writes, so
 * every create and role POST really races. Gives up holding after 20 s so a broken run cannot hang the test.
 */
async function gate(target: Emulator, reads: number): Promise<{ url: string; close(): Promise<void> }> {
  let answered = 0;
  const waiting: Array<() => void> = [];
  const release = () => waiting.splice(0).forEach((go) => go());
  const timer = setTimeout(release, 20_000);
  const server: Server = createServer((req, res) => {
    const forward = () => {
      const up = httpRequest(`${target.url}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
        upRes.on('end', () => {
          if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/api/application' && ++answered >= reads) release();
        });
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (req.method === 'GET' || answered >= reads) forward();
    else {
      req.pause();
      waiting.push(forward);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => { clearTimeout(timer); server.close(() => r()); server.closeAllConnections(); }),
  };
}

/** A run either succeeded or failed cleanly: exit 1, a `[duplicate]` refusal named with its file position, no crash. */
function expectCleanEnd(r: CliRun): void {
  expect(r.stderr, r.stderr).not.toContain('internal error');
  expect([0, 1], r.stdout + r.stderr).toContain(r.code);
  if (r.code === 1) expect(r.stdout + r.stderr).toMatch(/^ {4}\S+\.json:\d+:\d+ .*error: .*\[duplicate\]/m);
}

/** After the runs: no duplicates; a re-run exits 0; the state equals the clean reference; nothing left to plan. */
async function expectConverges(e: Emulator, file: string, reference: ReturnType<typeof normalize>): Promise<void> {
  expect(duplicates(e.snapshot())).toEqual([]);
  const env = { FUSIONAUTH_API_KEY: e.apiKey };
  const rerun = await runInProcess(['apply', file, '--url', e.url, '--auto-approve'], env);
  expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
  const snap = e.snapshot();
  expect(duplicates(snap)).toEqual([]);
  expect(normalize(snap)).toEqual(reference);
  const again = await plan({ files: [file], client: clientOf(e) });
  expect(again.plan.changes.every((c) => c.action === 'noop')).toBe(true);
}

describe('two applies of the same file started together', () => {
  it('two CLI processes creating 50 objects', async () => {
    const e = await start(1);
    const proxy = await gate(e, 4);
    const env = { FUSIONAUTH_API_KEY: e.apiKey };
    const args = ['apply', BIG, '--url', proxy.url, '--auto-approve'];
    const [a, b] = await Promise.all([spawnCli(args, { env }).done, spawnCli(args, { env }).done]).finally(() => proxy.close());
    // Both planned all 50 creates: the runs really overlapped.
    expect(a.stdout + b.stdout).toMatch(/Plan: 50 to create[^]*Plan: 50 to create/);
    expectCleanEnd(a);
    expectCleanEnd(b);
    await expectConverges(e, BIG, refBig);
  }, 60_000);

  it('two CLI processes updating objects and adding the same roles', async () => {
    const e = await start(1);
    await apply({ files: [V1], client: clientOf(e) });
    const proxy = await gate(e, 4);
    const env = { FUSIONAUTH_API_KEY: e.apiKey };
    const args = ['apply', V2, '--url', proxy.url, '--auto-approve'];
    const [a, b] = await Promise.all([spawnCli(args, { env }).done, spawnCli(args, { env }).done]).finally(() => proxy.close());
    // Roles are changes of their own: 5 objects and 6 roles to create, 10 objects and 3 roles to update.
    expect(a.stdout + b.stdout).toMatch(/Plan: 11 to create, 13 to update[^]*Plan: 11 to create, 13 to update/);
    expectCleanEnd(a);
    expectCleanEnd(b);
    await expectConverges(e, V2, refV2);
  }, 60_000);

  it('two library calls planned against the same live state, then applied at once: one wins each create, no duplicates', async () => {
    const e = await start(1);
    await apply({ files: [V1], client: clientOf(e) });
    // Both plans are computed before either writes: the worst case, every create and role POST races.
    const [p1, p2] = await Promise.all([plan({ files: [V2], client: clientOf(e) }), plan({ files: [V2], client: clientOf(e) })]);
    expect(p1.plan.summary).toEqual(p2.plan.summary);
    const [r1, r2] = await Promise.all([
      apply({ plan: p1.plan, desired: p1.desired, client: clientOf(e) }),
      apply({ plan: p2.plan, desired: p2.desired, client: clientOf(e) }),
    ]);
    for (const r of [r1.result, r2.result]) {
      for (const o of r.outcomes.filter((x) => x.status === 'failed')) {
        expect(o.error?.map((d) => d.message).join('; ')).toMatch(/\[duplicate\]/);
      }
    }
    await expectConverges(e, V2, refV2);
  });
});
