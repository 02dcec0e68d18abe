/**
 * Managing FusionAuth's built-in objects by name, end to end through `plan` and `apply` on the embedded emulator: the
 * FusionAuth application's redirect URLs (which FusionAuth never changes) stop the plan with the file, line and field
 * instead of "updating" forever; a setting FusionAuth does change converges after one apply.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../config/helpers.js';

/** A kickstand file in a fresh folder, and a fresh emulator state folder beside it. */
function setup(yaml: string): { file: string; emu: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'kickstand-builtins-'));
  const file = join(dir, 'kickstand.yaml');
  writeFileSync(file, yaml);
  return { file, emu: ['--emulator', '--emulator-dir', join(dir, '.kickstand'), '--no-color'] };
}

describe('the FusionAuth application, addressed by its name', () => {
  it('a redirect URL change is a plan error at its line, and apply writes nothing', async () => {
    const { file, emu } = setup([
      'applications:',
      '  - key: admin',
      '    name: FusionAuth',
      '    oauthConfiguration:',
      '      authorizedRedirectURLs:',
      '        - https://admin.example.com/admin/login',
      '',
    ].join('\n'));
    const plan = await runCli(['plan', file, ...emu]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain(`${file}:5:7  oauthConfiguration.authorizedRedirectURLs  error: oauthConfiguration.authorizedRedirectURLs cannot change from ["/admin/login"] to ["https://admin.example.com/admin/login"]: FusionAuth never changes this setting of its own admin application`);
    const apply = await runCli(['apply', file, ...emu, '--auto-approve']);
    expect(apply.code).toBe(1);
    expect(apply.stdout).not.toContain('updated');
  });

  it('a setting FusionAuth does change is applied once, then the plan is empty', async () => {
    const { file, emu } = setup([
      'applications:',
      '  - key: admin',
      '    name: FusionAuth',
      '    jwtConfiguration:',
      '      timeToLiveInSeconds: 300',
      '',
    ].join('\n'));
    const apply = await runCli(['apply', file, ...emu, '--auto-approve']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('adopted by name');
    expect(apply.stdout).toContain('Apply complete: 1 applied, 0 failed, 0 skipped.');
    const again = await runCli(['plan', file, ...emu, '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes.');
  });
});
