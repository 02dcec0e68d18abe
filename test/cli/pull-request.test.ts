/**
 * The pull-request features through the real CLI: `kickstand graph` offline, the plan's flags (`--show-unmanaged`,
 * `--graph`, `--title`, `--max-chars`) against the embedded emulator, and a failed apply whose FusionAuth message names
 * the objects behind its ids.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/types.js';
import { runCli, tmpFiles } from '../config/helpers.js';
import { checkMarkdown, checkMermaid } from '../render/structure.js';

const EXAMPLE = 'examples/phone-gating';
const emulator = (): string[] => ['--emulator', '--emulator-dir', mkdtempSync(join(tmpdir(), 'kickstand-cli-')), '--emulator-licensed', '--no-color'];

describe('kickstand graph', () => {
  it('prints the example\'s dependency graph as a valid Mermaid flowchart, offline', async () => {
    const r = await runCli(['graph', EXAMPLE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const chart = checkMermaid(r.stdout);
    const label = new Map(chart.nodes.map((n) => [n.id, n.label]));
    expect(chart.nodes.map((n) => n.label)).toEqual([
      'messenger: twilio (Twilio SMS)', 'message template: phone-verification (Phone verification code)', 'tenant: phone-gated (Phone gated)', 'application: phone-app (Phone app)',
      'user: test-user', 'registration: test-user/phone-app',
    ]);
    expect(chart.edges.map((e) => `${label.get(e.from)!.split(' (')[0]!} -> ${label.get(e.to)!.split(' (')[0]!}`)).toEqual([
      'tenant: phone-gated -> messenger: twilio', 'tenant: phone-gated -> message template: phone-verification', 'application: phone-app -> tenant: phone-gated',
      'registration: test-user/phone-app -> application: phone-app', 'registration: test-user/phone-app -> user: test-user',
    ]);
  });

  it('--format markdown wraps it in a ```mermaid block; invalid files fail with their diagnostics', async () => {
    const md = await runCli(['graph', EXAMPLE, '--format', 'markdown']);
    expect(md.code).toBe(0);
    checkMarkdown(md.stdout);
    expect(md.stdout).toMatch(/^```mermaid\nflowchart LR\n[\s\S]*\n```\n$/);
    const dir = tmpFiles({ 'k.yaml': 'tenants:\n  - key: t\n    name: 5\n' });
    const bad = await runCli(['graph', join(dir, 'k.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/k\.yaml:3:\d+ .*must be a string/);
    expect(bad.stdout).toBe('');
  });

  it('labels hostile role names inertly: the diagram stays valid', async () => {
    const dir = tmpFiles({
      'k.yaml': 'applications:\n  - key: web\n    name: \'Web "<b>" `x` #quot;\'\n    roles:\n      - name: \'admin"]; click n1 "https://evil.example\'\n      - name: \'日本 🚀\'\n',
    });
    const r = await runCli(['graph', join(dir, 'k.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    const chart = checkMermaid(r.stdout);
    expect(chart.nodes.map((n) => n.label)).toEqual([
      'application: web (Web "<b>" `x` #quot;)', 'application role: web/admin"]; click n1 "https://evil.example', 'application role: web/日本 🚀',
    ]);
    expect(chart.edges.filter((e) => e.dotted)).toHaveLength(2);
  });
});

describe('plan flags for pull requests', () => {
  it('refuses --title and --max-chars outside markdown, --graph in the human format, and a cap too small to hold a plan', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--title', 'prod'], /--title applies to --format markdown only/],
      [['--format', 'json', '--max-chars', '5000'], /--max-chars applies to --format markdown only/],
      [['--graph'], /--graph needs --format markdown .* or --format json/],
      [['--format', 'markdown', '--max-chars', '999'], /--max-chars must be 0 \(no cap\) or at least 1000, got 999/],
      [['--format', 'markdown', '--max-chars', '1e5'], /--max-chars must be a whole number/],
      [['--format', 'markdown', '--title', 'a'.repeat(101)], /--title must be 1 to 100 characters on one line/],
    ];
    for (const [flags, message] of cases) {
      const r = await runCli(['plan', EXAMPLE, '--emulator', '--emulator-dir', mkdtempSync(join(tmpdir(), 'kickstand-cli-')), ...flags]);
      expect(r.code, flags.join(' ')).toBe(1);
      expect(r.stderr, flags.join(' ')).toMatch(message);
      expect(r.stdout, flags.join(' ')).toBe('');
    }
  });

  it('a markdown plan with --title, --graph and --show-unmanaged: marker, graph, and the roles the files no longer mention', async () => {
    const emu = emulator();
    const setup = tmpFiles({
      'k.yaml': 'applications:\n  - key: web\n    name: Web\n    roles:\n      - name: admin\n      - name: legacy\n',
    });
    expect((await runCli(['apply', join(setup, 'k.yaml'), ...emu, '--auto-approve'])).code).toBe(0);
    // The files now declare the application without any role: its roles are read all the same, and listed.
    const now = tmpFiles({ 'k.yaml': 'applications:\n  - key: web\n    name: Web\n    data:\n      team: shop\n' });
    const r = await runCli(['plan', join(now, 'k.yaml'), ...emu, '--format', 'markdown', '--title', 'staging', '--graph', '--show-unmanaged']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    checkMarkdown(r.stdout);
    expect(r.stdout.length).toBeLessThanOrEqual(65_000);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['<!-- kickstand-plan: staging -->', '### kickstand plan: staging']);
    checkMermaid(/```mermaid\n([\s\S]*?)```/.exec(r.stdout)![1]!);
    expect(r.stdout).toContain('- application role "admin" in application web (id ');
    expect(r.stdout).toContain('- application role "legacy" in application web (id ');
    expect(r.stdout).toMatch(/- application "FusionAuth" \(id 3c219e58-ed0e-4b18-ad48-f4f92793ae32, built-in\)/);

    const json = await runCli(['plan', join(now, 'k.yaml'), ...emu, '--format', 'json', '--show-unmanaged', '--graph']);
    const doc = JSON.parse(json.stdout) as Plan;
    expect(doc.unmanaged!.map((u) => `${u.title} ${u.name!}${u.builtIn ? ' (built-in)' : ''}`)).toEqual([
      'application FusionAuth (built-in)', 'application Tenant manager (built-in)', 'application role admin', 'application role legacy',
    ]);
    expect(doc.graph!.nodes.map((n) => `${n.ref} ${n.action ?? ''}`)).toEqual(['application:web update']);
    // Without the flags the plan holds neither.
    const plain = JSON.parse((await runCli(['plan', join(now, 'k.yaml'), ...emu, '--format', 'json'])).stdout) as Plan;
    expect(plain.unmanaged).toBeUndefined();
    expect(plain.graph).toBeUndefined();
  });
});

describe('a failed apply names the objects behind the ids of FusionAuth\'s message', () => {
  it('a messenger replace refused because a tenant uses it says which tenant, by name and key', async () => {
    const emu = emulator();
    const messenger = (type: string) => type === 'Generic'
      ? '  - key: sms\n    name: SMS\n    type: Generic\n    url: https://relay.example/send\n    connectTimeout: 1000\n    readTimeout: 1000\n'
      : '  - key: sms\n    name: SMS\n    type: Twilio\n    url: https://api.twilio.com\n    accountSID: AC1\n    authToken: token-123456\n    fromPhoneNumber: \'+15555550100\'\n';
    const tenant = 'tenants:\n  - key: acme\n    name: Acme\n    phoneConfiguration:\n      messengerId: sms\n';
    const before = tmpFiles({ 'k.yaml': `messengers:\n${messenger('Generic')}${tenant}` });
    expect((await runCli(['apply', join(before, 'k.yaml'), ...emu, '--auto-approve'])).code).toBe(0);
    const after = tmpFiles({ 'k.yaml': `messengers:\n${messenger('Twilio')}${tenant}` });
    const plan = await runCli(['plan', join(after, 'k.yaml'), ...emu, '--allow-replace']);
    expect(plan.stdout).toContain('  ! FusionAuth deletes the messenger and creates it again under the same id');
    const r = await runCli(['apply', join(after, 'k.yaml'), ...emu, '--auto-approve', '--allow-replace']);
    expect(r.code).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toMatch(/The messenger is used by the tenants \[[0-9a-f-]{36} \(tenant "Acme", key acme\)\]/);
  });
});
