/**
 * `--allow-unknown-fields` against a server that drops the fields it does not know. FusionAuth's JSON binding ignores
 * unknown properties (live 1.46 evidence: leo-technologies-llc/fusion_auth test/fusion_auth/applications_test.exs),
 * and so does the emulator now (src/emulator/shape.ts): such a field is sent on create and never returned. The plan
 * must then say once that it cannot be compared, in every format, instead of showing an update on every plan.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../config/helpers.js';
import { tmpDir } from '../hardening/helpers.js';

const FILE = `tenants:
  - key: acme
    name: Acme
    brandNewField: 1
    phoneConfiguration:
      newPhoneSetting: true
applications:
  - key: portal
    name: Portal
    tenantId: acme
    roles:
      - name: admin
        colour: red
`;

/** The fields a plan names as not comparable (`kind key path`, with the line), from its JSON document. */
function notComparable(json: string): string[] {
  const plan = JSON.parse(json) as { diagnostics: Array<{ severity: string; message: string; where?: { kind?: string; key?: string; path?: string; line?: number } }> };
  return plan.diagnostics
    .filter((d) => d.severity === 'warning' && d.message.startsWith('cannot be compared'))
    .map((d) => `${d.where?.kind} ${d.where?.key} ${d.where?.path} line ${d.where?.line}`)
    .sort();
}

describe('--allow-unknown-fields against a server that drops unknown fields', () => {
  it('apply sends them; the next plan shows no change and names each field, once, as not comparable (human, markdown, JSON)', async () => {
    const dir = tmpDir();
    const file = join(dir, 'k.yaml');
    writeFileSync(file, FILE);
    const emu = ['--emulator', '--emulator-dir', join(dir, 'state'), '--no-color', '--allow-unknown-fields'];

    const strict = await runCli(['plan', file, '--emulator', '--emulator-dir', join(dir, 'state'), '--no-color']);
    expect(strict.code, 'without the flag an unknown field is an error').toBe(1);

    const applied = await runCli(['apply', file, ...emu, '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('to create');

    const json = await runCli(['plan', file, ...emu, '--format', 'json']);
    expect(json.code, json.stdout + json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as { summary: Record<string, number>; changes: Array<{ action: string; key: string }> };
    expect(plan.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(notComparable(json.stdout)).toEqual([
      'applicationRole portal/admin colour line 13',
      'tenant acme brandNewField line 4',
      'tenant acme phoneConfiguration.newPhoneSetting line 6',
    ]);

    const human = await runCli(['plan', file, ...emu]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('No changes');
    for (const [line, path] of [[4, 'brandNewField'], [6, 'phoneConfiguration.newPhoneSetting'], [13, 'colour']] as const) {
      const lines = human.stdout.split('\n').filter((l) => l.includes(`k.yaml:${line}:`) && l.includes(`${path}  warning: cannot be compared`));
      expect(lines, `${path} in:\n${human.stdout}`).toHaveLength(1);
    }
    expect(human.stdout.match(/warning: cannot be compared/g)).toHaveLength(3);

    const markdown = await runCli(['plan', file, ...emu, '--format', 'markdown']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(/k\.yaml:4:5 {2}brandNewField {2}cannot be compared: FusionAuth does not return this field/);
    expect(markdown.stdout).toContain('No changes.');
  });
});
