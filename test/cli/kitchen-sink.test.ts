/**
 * examples/kitchen-sink: one configuration with every kind kickstand manages, referring to one another by key, with a
 * theme, templates, a lambda body and email bodies from files, users with their registrations — applied to the embedded emulator through the CLI, then
 * planned again with no changes. Its secrets come from the environment and never appear in what the CLI prints.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { startEmulator } from '../../src/emulator/index.js';
import { apply, plan } from '../../src/engine.js';
import { createClient } from '../../src/fusionauth/client.js';
import { KINDS, SECTION_KINDS } from '../../src/kinds/index.js';

const run = promisify(execFile);
const EXAMPLE = 'examples/kitchen-sink';
const SECRETS = {
  TWILIO_AUTH_TOKEN: 'ks-canary-twilio-3f9a1c7e',
  AUDIT_WEBHOOK_PASSWORD: 'ks-canary-webhook-8b2d4e6f',
  KITCHEN_SINK_CI_API_KEY: 'ks-canary-ci-api-key-0123456789abcdef5a7c',
  KITCHEN_SINK_ADMIN_PASSWORD: 'ks-canary-admin-password-6d0e',
};

/** Run the built CLI; its exit code, stdout and stderr (a non-zero exit is a result, not a failure). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/cli/main.js', ...args], { env: { ...process.env, ...SECRETS, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('examples/kitchen-sink', () => {
  it('writes every kind of the registry: each section, and the child kinds inside their parents', async () => {
    const doc = parse(readFileSync(join(EXAMPLE, 'kickstand.yaml'), 'utf8')) as Record<string, unknown>;
    expect(SECTION_KINDS.map((k) => k.section).filter((s) => doc[s!] === undefined)).toEqual([]);
    const desired = await loadConfig([EXAMPLE], { env: SECRETS });
    expect(KINDS.map((k) => k.name).filter((k) => !desired.resources.some((r) => r.kind === k))).toEqual([]);
  });

  it('refers from kind to kind by key: every kind but the system configuration is referred to or refers to another', async () => {
    const desired = await loadConfig([EXAMPLE], { env: SECRETS });
    const linked = new Set<string>();
    for (const r of desired.resources) {
      for (const ref of r.refs) {
        linked.add(r.kind);
        linked.add(ref.kind);
      }
      if (r.parent) linked.add(r.kind);
    }
    expect(KINDS.map((k) => k.name).filter((k) => !linked.has(k) && k !== 'systemConfiguration')).toEqual([]);
  });

  it('costs one read per kind present plus a constant, however many objects (API keys, which FusionAuth cannot list: one per entry)', async () => {
    const emu = await startEmulator({ licensed: true });
    try {
      const client = createClient({ url: emu.url, apiKey: emu.apiKey });
      const desired = await loadConfig([EXAMPLE], { env: SECRETS });
      await apply({ desired, client });
      emu.requests.splice(0, emu.requests.length);
      const { plan: p } = await plan({ desired, client });
      expect(p.changes.filter((c) => c.action !== 'noop')).toEqual([]);
      const reads = emu.requests.map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`);
      // Every read is a GET, or the search of a kind FusionAuth lists only through its search API (users).
      const searches = new Set(KINDS.flatMap((k) => (k.wire.searchPath ? [`POST ${k.wire.searchPath}`] : [])));
      expect(reads.every((r) => r.startsWith('GET ') || searches.has(r))).toBe(true);
      const kinds = new Set(desired.resources.filter((r) => !r.parent).map((r) => r.kind));
      const apiKeys = desired.resources.filter((r) => r.kind === 'apiKey').length;
      // The constant: the server's version and license, the inactive applications' list, the FusionAuth application
      // (for the Default tenant's id).
      expect(reads.length).toBeLessThanOrEqual(kinds.size - 1 + apiKeys + 4);
      expect(new Set(reads).size).toBe(reads.length);
    } finally {
      await emu.stop();
    }
  });

  it('applies to the embedded emulator, then plans no changes; its secrets are never printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kickstand-kitchen-sink-'));
    const emulator = ['--emulator', '--emulator-dir', dir];
    const applied = await cli(['apply', ...emulator, '--emulator-licensed', '--auto-approve', EXAMPLE]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete: \d+ applied, 0 failed, 0 skipped\./);

    const again = await cli(['plan', ...emulator, '--detailed-exitcode', EXAMPLE]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes. Your FusionAuth configuration matches the files.');

    const json = await cli(['plan', ...emulator, '--format', 'json', EXAMPLE]);
    expect((JSON.parse(json.stdout) as { changes: Array<{ action: string }> }).changes.filter((c) => c.action !== 'noop')).toEqual([]);

    for (const out of [applied, again, json]) {
      for (const secret of Object.values(SECRETS)) {
        expect(out.stdout).not.toContain(secret);
        expect(out.stderr).not.toContain(secret);
      }
    }
  }, 60_000);
});
