/** `kickstand emulator`: flag handling, and a real process that answers, then exits 0 on SIGTERM. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emulatorOptions } from '../../src/cli/commands/emulator.js';
import { UserError } from '../../src/core/errors.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const base = { port: '9011', host: '127.0.0.1', fusionauthVersion: '1.69.0' };

describe('flags', () => {
  it('maps every flag to an emulator option', () => {
    expect(
      emulatorOptions({ ...base, port: '0', apiKey: 'k', licensed: true, state: 's.json', latency: '5', jitter: '2', faultRate: '0.1', faultSeed: '7', fusionauthVersion: '1.60.0', defaultTenantId: '0b8e0000-0000-4000-8000-000000000001', maxConnections: '8' }),
    ).toEqual({ host: '127.0.0.1', port: 0, apiKey: 'k', licensed: true, statePath: 's.json', latencyMs: 5, jitterMs: 2, faults: { rate: 0.1, seed: 7 }, version: '1.60.0', defaultTenantId: '0b8e0000-0000-4000-8000-000000000001', maxConnections: 8 });
  });
  it('defaults: port 9011, unlicensed, no faults', () => {
    expect(emulatorOptions(base)).toEqual({ host: '127.0.0.1', port: 9011, licensed: false, version: '1.69.0' });
  });
  it('rejects bad values as user errors', () => {
    for (const f of [{ port: 'x' }, { port: '70000' }, { faultRate: '2' }, { faultSeed: '1' }, { latency: '-1' }, { defaultTenantId: 'nope' }, { apiKey: ' ' }, { maxConnections: '0' }, { maxConnections: 'many' }, { maxConnections: '1.5' }]) {
      expect(() => emulatorOptions({ ...base, ...f })).toThrow(UserError);
    }
  });
});

describe('the process', () => {
  it('prints its URL and key, answers /api/tenant with the key, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--port', '0', '--api-key', 'cli-test-key', '--max-connections', '16'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(stdout);
        if (m && stdout.includes('Press Ctrl+C')) resolve(m[1] as string);
      });
      child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
    });
    expect(stdout).toContain('API key: cli-test-key');
    const ok = await fetch(`${url}/api/tenant`, { headers: { Authorization: 'cli-test-key' } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { tenants: unknown[] }).tenants).toHaveLength(1);
    expect((await fetch(`${url}/api/tenant`)).status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/GET \/api\/tenant 200 \d+ms/);
    expect(stderr).not.toContain('cli-test-key');
  });
});
