/**
 * The embedded emulator's flags: `--emulator-reset` keeps the license setting, an unlicensed emulator refusing paid
 * features says how to license it, `--emulator-dir` that is not a folder (or holds a broken state file) is a user
 * error, and the JSON plan against the embedded emulator is byte-stable (no random port in `target`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../config/helpers.js';
import { tmpDir } from '../hardening/helpers.js';

const EXAMPLE = 'examples/phone-gating';

describe('--emulator-reset', () => {
  it('keeps the license the emulator was given: the quick start still applies after a reset', async () => {
    const dir = tmpDir();
    const emu = ['--emulator', '--emulator-dir', dir, '--no-color'];
    expect((await runCli(['plan', EXAMPLE, ...emu, '--emulator-licensed'])).code).toBe(0);
    expect((await runCli(['apply', EXAMPLE, ...emu, '--auto-approve'])).code).toBe(0);
    const reset = await runCli(['apply', EXAMPLE, ...emu, '--emulator-reset', '--auto-approve']);
    expect(reset.code, reset.stdout + reset.stderr).toBe(0);
    // The state was reset (everything is created again) and the emulator is still licensed (Gated accepted).
    expect(reset.stdout).toContain('Plan: 5 to create');
    expect(reset.stdout).toContain('FusionAuth 1.69.0 at embedded-emulator (licensed)');
  });

  it('an unlicensed emulator refusing paid features says how to license it', async () => {
    const dir = tmpDir();
    const r = await runCli(['plan', EXAMPLE, '--emulator', '--emulator-dir', dir, '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`the embedded emulator is unlicensed and these files use paid FusionAuth features: pass --emulator-licensed to make it licensed (remembered in ${dir})`);
  });

  it('no such hint when the plan fails for another reason and the files use no paid feature', async () => {
    const dir = tmpDir();
    // A pinned id for the name the Default tenant holds: a plan error that a license does not lift.
    writeFileSync(join(dir, 'k.yaml'), 'tenants:\n  - key: t\n    id: 11111111-2222-4333-8444-555555555555\n    name: Default\n');
    const r = await runCli(['plan', join(dir, 'k.yaml'), '--emulator', '--emulator-dir', join(dir, 'state'), '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('a tenant named "Default" already exists');
    expect(r.stdout + r.stderr).not.toContain('--emulator-licensed');
  });
});

describe('--emulator-dir', () => {
  it('a file, a path inside a file and a broken state file are user errors naming the flag, never a stack trace', async () => {
    const dir = tmpDir();
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const onFile = await runCli(['plan', EXAMPLE, '--emulator', '--emulator-dir', file]);
    expect(onFile.code).toBe(1);
    expect(onFile.stderr).toBe(`error: --emulator-dir ${file} is a file, not a folder: give a folder for the embedded emulator's state (default .kickstand)\n`);
    const inside = await runCli(['plan', EXAMPLE, '--emulator', '--emulator-dir', join(file, 'sub')]);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toBe(`error: --emulator-dir ${join(file, 'sub')} is inside a file, not a folder: the embedded emulator keeps its state there\n`);
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'emulator-state.json'), '{ not json');
    const bad = await runCli(['plan', EXAMPLE, '--emulator', '--emulator-dir', broken]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: emulator state file .*emulator-state\.json is not valid JSON.*; start over with --emulator-reset\n$/);
    for (const r of [onFile, inside, bad]) expect(r.stderr).not.toMatch(/internal error| {4}at /);
    // The reset recovers from the broken state.
    expect((await runCli(['plan', EXAMPLE, '--emulator', '--emulator-dir', broken, '--emulator-reset', '--emulator-licensed'])).code).toBe(0);
  });
});

describe('the JSON plan against the embedded emulator', () => {
  it('is byte-stable: target "embedded-emulator", the same document from fresh emulators and from one state twice', async () => {
    const plans: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['plan', EXAMPLE, '--emulator', '--emulator-licensed', '--emulator-dir', tmpDir(), '--format', 'json']);
      expect(r.code).toBe(0);
      plans.push(r.stdout);
    }
    expect(plans[1]).toBe(plans[0]);
    expect(JSON.parse(plans[0]!)).toMatchObject({ target: 'embedded-emulator' });

    const dir = tmpDir();
    const emu = ['--emulator', '--emulator-licensed', '--emulator-dir', dir];
    expect((await runCli(['apply', EXAMPLE, ...emu, '--auto-approve'])).code).toBe(0);
    const again = [await runCli(['plan', EXAMPLE, ...emu, '--format', 'json']), await runCli(['plan', EXAMPLE, ...emu, '--format', 'json'])];
    expect(again[1]!.stdout).toBe(again[0]!.stdout);
    expect(JSON.parse(again[0]!.stdout)).toMatchObject({ target: 'embedded-emulator', summary: { noop: 6 } });
    // The emulator's address is nowhere in the document.
    expect(again[0]!.stdout).not.toMatch(/http:\/\/127\.0\.0\.1/);
  });
});
