/**
 * Crash convergence: the real CLI is spawned to apply a file that needs 21 writes (creates, merge PATCHes, role
 * PATCHes and role POSTs) and is killed with SIGKILL right after the server completed its k-th write, for every k.
 * A re-run then converges: zero duplicate objects, a state equal to a clean apply's, and nothing left to plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/engine.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import type { ApiClient } from '../../src/fusionauth/types.js';
import { DEFAULT_TENANT_ID, duplicates, generateConfig, normalize, runInProcess, spawnCli, WRITES, writeConfig, type Spawned } from './helpers.js';

/** The state before the crashing run: 2 messengers, 2 templates, 3 tenants, 3 applications. */
const V1 = writeConfig(generateConfig({ messengers: 2, templates: 2, tenants: 3, applications: 3 }));
/** The crashing run's file: every V1 object changed (applications also gain a role), and 5 new objects. */
const V2 = writeConfig(generateConfig({ messengers: 3, templates: 3, tenants: 3, applications: 6, variant: 1, extraRoles: 1 }));

let emu: Emulator;
let client: ApiClient;
let reference: ReturnType<typeof normalize>;
let writesInV2 = 0;
/** Called by the emulator after each request; set while a child runs. */
let onWrite: ((ok: boolean) => void) | undefined;

const isOkWrite = (method: string, status: number) => WRITES.has(method) && status >= 200 && status < 300;

async function toV1(): Promise<void> {
  emu.reset();
  const { result } = await apply({ files: [V1], client });
  expect(result.summary).toEqual({ applied: 10, failed: 0, skipped: 0 });
  emu.clearLog();
}

beforeAll(async () => {
  emu = await startEmulator({
    licensed: true,
    defaultTenantId: DEFAULT_TENANT_ID,
    onRequest: (e) => onWrite?.(isOkWrite(e.method, e.status)),
  });
  client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
  await toV1();
  const { result } = await apply({ files: [V2], client });
  expect(result.summary.failed).toBe(0);
  writesInV2 = emu.requests.filter((r) => isOkWrite(r.method, r.status)).length;
  reference = normalize(emu.snapshot());
});
afterAll(async () => {
  await emu.stop();
});

describe('SIGKILL right after write k, then a re-run', () => {
  it('the file needs at least 20 writes: creates, object PATCHes, role PATCHes and role POSTs', () => {
    expect(writesInV2).toBeGreaterThanOrEqual(20);
  });

  it('converges for every k, with zero duplicates and the clean apply\'s state', async () => {
    const env = { FUSIONAUTH_API_KEY: emu.apiKey };
    const seen: number[] = [];
    for (let k = 1; k <= writesInV2; k++) {
      await toV1();
      let count = 0;
      const spawned: Spawned = spawnCli(['apply', V2, '--url', emu.url, '--auto-approve', '--parallelism', '1'], { env });
      // Set in the same tick as the spawn, long before the child's first request.
      onWrite = (ok) => {
        if (!ok || ++count !== k) return;
        // Synchronous: the signal is sent before the emulator handles anything else.
        spawned.child.kill('SIGKILL');
      };
      const end = await spawned.done;
      onWrite = undefined;
      // Killed right after write k (the last write may race the process's own exit, which then succeeded).
      if (k < writesInV2) expect(end.signal, `k=${k}: ${end.stderr}`).toBe('SIGKILL');
      else expect(end.signal === 'SIGKILL' || end.code === 0, `k=${k}: ${end.stderr}`).toBe(true);
      const writtenBeforeRerun = emu.requests.filter((r) => isOkWrite(r.method, r.status)).length;
      expect(writtenBeforeRerun).toBeGreaterThanOrEqual(k);
      seen.push(writtenBeforeRerun);
      expect(duplicates(emu.snapshot()), `k=${k}`).toEqual([]);

      const rerun = await runInProcess(['apply', V2, '--url', emu.url, '--auto-approve'], env);
      expect(rerun.code, `k=${k}: ${rerun.stdout}${rerun.stderr}`).toBe(0);
      const snap = emu.snapshot();
      expect(duplicates(snap), `k=${k}`).toEqual([]);
      expect(normalize(snap), `k=${k}`).toEqual(reference);
      // The crashed run plus the re-run wrote no more than a clean apply would (no write was repeated needlessly),
      // except for the one write that may have been in flight when the process died.
      const total = emu.requests.filter((r) => isOkWrite(r.method, r.status)).length;
      expect(total, `k=${k}`).toBeLessThanOrEqual(writesInV2 + 1);
      const again = await runInProcess(['plan', V2, '--url', emu.url, '--detailed-exitcode'], env);
      expect(again.code, `k=${k}: ${again.stdout}`).toBe(0);
    }
    // Every crash point was really hit once, in order.
    expect(seen.length).toBe(writesInV2);
  }, 180_000);
});
