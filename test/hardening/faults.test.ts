/**
 * Fault injection: the emulator fails 20% of requests (500, 503, 429 with Retry-After, connection resets before and
 * after the request was applied, 409 [retryableConflict]); an apply of a 50-resource file through the library
 * converges to exactly the state a clean apply produces, and no request is tried more often than the retry bound.
 * When retries run out the error says so, the CLI exits 1, and a re-run with faults off converges.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apply, plan } from '../../src/engine.js';
import { startEmulator, type Emulator, type FaultKind, type RequestLogEntry } from '../../src/emulator/index.js';
import { createClient, type RetryInfo } from '../../src/fusionauth/client.js';
import { ApiError, ConnectionError } from '../../src/fusionauth/errors.js';
import { DEFAULT_TENANT_ID, duplicates, generateConfig, normalize, runInProcess, WRITES, writeConfig } from './helpers.js';

const FILE = writeConfig(generateConfig({ messengers: 5, templates: 5, tenants: 10, applications: 30 }));
const ATTEMPTS = 8;
/** Cap on a Retry-After wait, so the test is quick; the emulator asks for 1 s. */
const RETRY_AFTER_CAP_MS = 5;

let reference: ReturnType<typeof normalize>;
let emu: Emulator | undefined;

beforeAll(async () => {
  const clean = await startEmulator({ licensed: true, defaultTenantId: DEFAULT_TENANT_ID });
  try {
    const client = createClient({ url: clean.url, apiKey: clean.apiKey, retry: { attempts: 1 } });
    const { result } = await apply({ files: [FILE], client });
    expect(result.summary).toEqual({ applied: 50, failed: 0, skipped: 0 });
    reference = normalize(clean.snapshot());
  } finally {
    await clean.stop();
  }
});
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

/** How often each request (method, path and query) was sent. */
function triesPerRequest(log: RequestLogEntry[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of log) {
    const k = `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

describe('apply through 20% injected faults', () => {
  const cases: Array<{ name: string; seed: number; kinds?: FaultKind[] }> = [
    { name: 'the issue\'s mix (500, 503, 429, reset, 409)', seed: 7 },
    { name: 'every kind, including a reset after the write was applied', seed: 20250, kinds: ['500', '503', '429', 'reset', 'reset-after', '409'] },
  ];

  it.each(cases)('$name: converges to the clean state, each request tried at most 8 times', async ({ seed, kinds }) => {
    emu = await startEmulator({ licensed: true, defaultTenantId: DEFAULT_TENANT_ID, faults: { rate: 0.2, seed, ...(kinds ? { kinds } : {}) } });
    const retries: RetryInfo[] = [];
    const client = createClient({
      url: emu.url, apiKey: emu.apiKey,
      retry: { attempts: ATTEMPTS, minDelayMs: 1, maxRetryAfterMs: RETRY_AFTER_CAP_MS },
      onRetry: (i) => retries.push(i),
    });
    const { result } = await apply({ files: [FILE], client });
    expect(result.outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
    expect(result.summary).toEqual({ applied: 50, failed: 0, skipped: 0 });

    // Faults really happened, of every kind asked for, and each was retried.
    const faulted = emu.requests.filter((r) => r.fault);
    expect(faulted.length).toBeGreaterThanOrEqual(5);
    expect(new Set(faulted.map((r) => r.fault))).toEqual(new Set(kinds ?? ['500', '503', '429', 'reset', '409']));
    expect(retries.length).toBe(faulted.length);

    // Bounds: no request was sent more than ATTEMPTS times; Retry-After (1 s) was honoured up to the cap.
    const tries = triesPerRequest(emu.requests);
    expect(Math.max(...tries.values())).toBeLessThanOrEqual(ATTEMPTS);
    const throttled = retries.filter((r) => r.reason === '429' || r.reason === '503');
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((r) => r.delayMs === RETRY_AFTER_CAP_MS)).toBe(true);

    // The same state as a clean apply, no duplicates, and a plan (still under faults) has nothing left to do.
    const snap = emu.snapshot();
    expect(duplicates(snap)).toEqual([]);
    expect(normalize(snap)).toEqual(reference);
    const again = await plan({ files: [FILE], client });
    // 50 objects and their 60 roles (each role is a resource of its own), all unchanged.
    expect(again.plan.summary).toEqual({ create: 0, update: 0, replace: 0, delete: 0, noop: 110 });
    expect(again.plan.changes.filter((c) => c.kind === 'applicationRole')).toHaveLength(60);
  });
});

describe('when retries run out', () => {
  it('the library error names the request, the status and the attempts, and each request was tried exactly the bound', async () => {
    emu = await startEmulator({ licensed: true, faults: { rate: 1, seed: 1, kinds: ['503'], retryAfterSeconds: 0 } });
    const client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 3, minDelayMs: 1 } });
    const err = await apply({ files: [FILE], client }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.retriesExhausted).toBe(true);
    expect(e.attempts).toBe(3);
    expect(e.message).toMatch(/^FusionAuth answered 503 to GET \/api\/\S+ \(gave up after 3 attempts\)$/);
    // The request that failed was tried exactly 3 times; reads running beside it (the plan reads kinds in parallel)
    // never more.
    const tries = triesPerRequest(emu.requests);
    expect(tries.get(`GET ${e.path}`)).toBe(3);
    expect(Math.max(...tries.values())).toBeLessThanOrEqual(3);
    expect(emu.requests.some((r) => WRITES.has(r.method))).toBe(false);
  });

  it('connection resets: a ConnectionError saying it gave up', async () => {
    emu = await startEmulator({ licensed: true, faults: { rate: 1, seed: 2, kinds: ['reset'] } });
    const client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 2, minDelayMs: 1 } });
    const err = await plan({ files: [FILE], client }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).message).toMatch(/^could not reach FusionAuth at http:\/\/127\.0\.0\.1:\d+ \(GET \/api\/\S+\): .*\(gave up after 2 attempts\)$/);
  });

  it('the CLI exits 1 with a clear message when every request fails, and has written nothing', async () => {
    emu = await startEmulator({ licensed: true, faults: { rate: 1, seed: 3, kinds: ['500', 'reset'] } });
    const r = await runInProcess(['apply', FILE, '--url', emu.url, '--auto-approve', '--retries', '2'], { FUSIONAUTH_API_KEY: emu.apiKey });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).toMatch(/^error: (FusionAuth answered 500 to|could not reach FusionAuth at) .*\(gave up after 2 attempts\)$/m);
    expect(r.stderr).toMatch(/^retrying GET \/api\/\S+ after (500|ECONNRESET) \(attempt 1, waiting \d+ ms\)$/m);
    expect(emu.requests.some((x) => WRITES.has(x.method))).toBe(false);
  });

  it('the CLI exits 1 when a write runs out of retries mid-apply, reporting that change; a re-run with faults off converges', async () => {
    // Faults start with the first write (the plan is read cleanly), at a rate that exhausts 2 attempts within a few writes.
    let armed = false;
    emu = await startEmulator({
      licensed: true, defaultTenantId: DEFAULT_TENANT_ID,
      onRequest: (entry) => {
        if (!armed && WRITES.has(entry.method)) {
          armed = true;
          emu!.setFaults({ rate: 0.6, seed: 11, kinds: ['500', '503', 'reset', 'reset-after', '409'], retryAfterSeconds: 0 });
        }
      },
    });
    const env = { FUSIONAUTH_API_KEY: emu.apiKey };
    const r = await runInProcess(['apply', FILE, '--url', emu.url, '--auto-approve', '--retries', '2', '--parallelism', '1'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('internal error');
    // The failed change is named with its file position, and the run says what it did not do.
    expect(r.stdout).toMatch(/failed/);
    expect(r.stdout).toMatch(/^ {4}\S*kickstand\.json:\d+:\d+ {2}\w+ \S+ {2}error: .*\(gave up after 2 attempts\)$/m);
    expect(r.stdout).toMatch(/kickstand\.json:\d+:\d+/);
    const written = emu.snapshot();
    expect(duplicates(written)).toEqual([]);
    expect(normalize(written)).not.toEqual(reference);

    emu.setFaults(undefined);
    const rerun = await runInProcess(['apply', FILE, '--url', emu.url, '--auto-approve'], env);
    // stderr carries only the progress lines: no retry notice, no error.
    expect(rerun.stderr).not.toMatch(/retrying|error|failed/);
    expect(rerun.code).toBe(0);
    const snap = emu.snapshot();
    expect(duplicates(snap)).toEqual([]);
    expect(normalize(snap)).toEqual(reference);
    const third = await runInProcess(['plan', FILE, '--url', emu.url, '--detailed-exitcode'], env);
    expect(third.code).toBe(0);
  });

  it('a write refused with 409 [retryableConflict] until retries ran out says that kickstand gave up', async () => {
    let armed = false;
    emu = await startEmulator({
      licensed: true,
      onRequest: (entry) => {
        if (!armed && WRITES.has(entry.method)) {
          armed = true;
          emu!.setFaults({ rate: 1, seed: 5, kinds: ['409'] });
        }
      },
    });
    const r = await runInProcess(['apply', FILE, '--url', emu.url, '--auto-approve', '--retries', '2', '--parallelism', '1'], { FUSIONAUTH_API_KEY: emu.apiKey });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Apply failed: 1 applied, 1 failed, 48 skipped.');
    expect(r.stdout).toMatch(/^ {4}\S*kickstand\.json:\d+:\d+ {2}messenger m1 {2}error: .*\[retryableConflict\].*\(gave up after 2 attempts\)$/m);
  });
});
