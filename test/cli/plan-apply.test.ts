/**
 * The plan and apply commands end to end, in-process, against the embedded emulator (`--emulator`): exit codes,
 * the unattended-apply refusal, the JSON document of apply, convergence across runs through the persisted state.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../config/helpers.js';

const EXAMPLE = 'examples/phone-gating';

function emulatorDir(): string {
  return mkdtempSync(join(tmpdir(), 'kickstand-cli-'));
}

describe('plan and apply on the embedded emulator', () => {
  it('plans changes (exit 2 with --detailed-exitcode), applies them, then finds nothing to do (exit 0)', async () => {
    const dir = emulatorDir();
    const emu = ['--emulator', '--emulator-dir', dir, '--no-color'];
    const first = await runCli(['plan', EXAMPLE, ...emu, '--emulator-licensed', '--detailed-exitcode']);
    expect(first.code).toBe(2);
    expect(first.stdout).toContain('Plan: 5 to create, 0 to update, 0 to replace. 0 unchanged.');

    const applied = await runCli(['apply', EXAMPLE, ...emu, '--auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 5 applied, 0 failed, 0 skipped.');
    // One progress line per change, not repeated in the summary.
    expect(applied.stdout.match(/ created \(/g)).toHaveLength(5);

    const again = await runCli(['plan', EXAMPLE, ...emu, '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes.');
    // The example's seeded test user: its password is create-only, said once and never a change.
    expect(again.stdout + again.stderr).toContain('warning: password: used only when kickstand creates a user, so not compared for 1 existing user (test-user)');
  });

  it('refuses to apply without --auto-approve when stdin is not a terminal, before contacting anything', async () => {
    const dir = emulatorDir();
    const r = await runCli(['apply', EXAMPLE, '--emulator', '--emulator-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--auto-approve');
    expect(r.stdout).toBe('');
  });

  it('prints one JSON document with the plan and the apply result on stdout', async () => {
    const dir = emulatorDir();
    const args = ['apply', EXAMPLE, '--emulator', '--emulator-dir', dir, '--emulator-licensed', '--auto-approve', '--format', 'json'];
    const r = await runCli(args);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { formatVersion: number; plan: { summary: { create: number } }; apply: { summary: { applied: number } } };
    expect(doc.formatVersion).toBe(2);
    expect(doc.plan.summary.create).toBe(5);
    expect(doc.apply.summary.applied).toBe(5);
    const second = JSON.parse((await runCli(args)).stdout) as { apply: unknown };
    expect(second.apply).toBeNull();
  });

  it('prints the same JSON document, with the plan errors in both halves, when the plan cannot be applied', async () => {
    const dir = emulatorDir();
    const r = await runCli(['apply', EXAMPLE, '--emulator', '--emulator-dir', dir, '--auto-approve', '--format', 'json']);
    expect(r.code).toBe(1);
    type Diag = { severity: string; message: string; where?: { path?: string } };
    const doc = JSON.parse(r.stdout) as {
      formatVersion: number; plan: { diagnostics: Diag[] }; apply: { summary: { applied: number }; outcomes: unknown[]; diagnostics: Diag[] };
    };
    expect(doc.formatVersion).toBe(2);
    const gated = (d: Diag) => d.severity === 'error' && d.where?.path === 'phoneConfiguration.unverified.behavior';
    expect(doc.plan.diagnostics.some(gated)).toBe(true);
    expect(doc.apply.summary.applied).toBe(0);
    // Nothing was written: every planned change is reported as skipped.
    expect((doc.apply.outcomes as Array<{ status: string }>).map((o) => o.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(doc.apply.diagnostics.some(gated)).toBe(true);
  });

  it('stops with exit 1 and names the file and line when the unlicensed emulator cannot take Gated', async () => {
    const dir = emulatorDir();
    const r = await runCli(['plan', EXAMPLE, '--emulator', '--emulator-dir', dir, '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/kickstand\.yaml:\d+:\d+ {2}phoneConfiguration\.unverified\.behavior {2}error: Gated/);
  });

  it('renders the markdown plan for a pull-request comment', async () => {
    const dir = emulatorDir();
    const r = await runCli(['plan', EXAMPLE, '--emulator', '--emulator-dir', dir, '--emulator-licensed', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| create |');
    expect(r.stdout).toContain('<details>');
    expect(r.stdout).not.toContain('placeholder-twilio-auth-token');
  });
});
