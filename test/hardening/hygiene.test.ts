/**
 * Dependency floors (issue 5, security hygiene): the versions package.json allows and the versions package-lock.json
 * installs are at least those that fixed the advisories the README's "Security notes" list — yaml ≥ 2.8.4 (stack
 * overflow on deep nesting, GHSA-48c2-rrv3-qjmp), ajv ≥ 8.18.0 (ReDoS with `$data`, CVE-2025-69873), handlebars ≥
 * 4.7.9 (the March 2026 fixes). The API key file warning is tested in test/fusionauth/connection.test.ts and through
 * the CLI in canaries.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const FLOORS: Record<string, string> = { yaml: '2.8.4', ajv: '8.18.0', handlebars: '4.7.9' };

/** Compare dotted versions numerically: negative when a < b. */
function compare(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean }> };

describe('dependency floors', () => {
  it.each(Object.entries(FLOORS))('%s: the range in package.json starts at or above %s', (name, floor) => {
    const range = pkg.dependencies[name];
    expect(range, `${name} is a runtime dependency`).toMatch(/^[\^~]?\d+\.\d+\.\d+$/);
    expect(compare(range!.replace(/^[\^~]/, ''), floor)).toBeGreaterThanOrEqual(0);
  });

  it.each(Object.entries(FLOORS))('%s: every runtime copy in package-lock.json is at or above %s', (name, floor) => {
    const copies = Object.entries(lock.packages).filter(([path, p]) => path.endsWith(`node_modules/${name}`) && !p.dev);
    expect(copies.length).toBeGreaterThan(0);
    for (const [path, p] of copies) expect(compare(p.version ?? '0', floor), `${path}@${p.version}`).toBeGreaterThanOrEqual(0);
  });
});
