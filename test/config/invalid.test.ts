/**
 * Every bad file under test/fixtures/invalid/ is rejected with the expected message at the expected line
 * (expectations in expected.json beside the files), plus hostile inputs generated on the fly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadErrors, tmpFiles } from './helpers.js';

const DIR = 'test/fixtures/invalid';
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, { line: number; message: string }>;
const files = readdirSync(DIR).filter((f) => f !== 'expected.json').sort();

describe('invalid fixtures', () => {
  it('every fixture has an expectation and every expectation a fixture (at least 30)', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  it.each(files)('%s is rejected with its message at its line', async (file) => {
    const want = expected[file]!;
    const { errors } = await loadErrors([join(DIR, file)]);
    const hit = errors.find((d) => d.message.includes(want.message));
    expect(hit, `messages were:\n${errors.map((d) => `${d.where?.line}: ${d.message}`).join('\n')}`).toBeDefined();
    expect(hit!.where?.file).toBe(join(DIR, file));
    expect(hit!.where?.line).toBe(want.line);
    expect(hit!.where?.column).toBeGreaterThan(0);
  });
});

describe('hostile input generated at test time', () => {
  it('a file over the size limit is refused before it is read, naming the limit', async () => {
    const dir = tmpFiles({ 'big.yaml': `tenants:\n  - key: a\n    name: "${'x'.repeat(20_000)}"\n` });
    const { errors } = await loadErrors([join(dir, 'big.yaml')], { maxFileBytes: 10_000 });
    expect(errors[0]!.message).toMatch(/big\.yaml is \d+ bytes, over the limit of 10000 bytes/);
  });

  it('the default limit is 10 MB', async () => {
    const dir = tmpFiles({ 'huge.yaml': `# ${'x'.repeat(10 * 1024 * 1024)}\n` });
    const { errors } = await loadErrors([join(dir, 'huge.yaml')]);
    expect(errors[0]!.message).toContain('over the limit of 10485760 bytes');
  });

  it('deep block nesting is refused before the parser runs', async () => {
    let text = 'tenants:\n  - key: a\n    name: A\n    data:\n';
    for (let i = 0; i < 100; i++) text += `${' '.repeat(6 + 2 * i)}k${i}:\n`;
    const dir = tmpFiles({ 'deep.yaml': text });
    const { errors } = await loadErrors([join(dir, 'deep.yaml')]);
    expect(errors[0]!.message).toContain('deeper than the limit of 64 levels');
    expect(errors[0]!.where?.line).toBeGreaterThan(60);
  });

  it('a hundred thousand nested brackets fail fast with a message, not a crash', async () => {
    const dir = tmpFiles({ 'bomb.json': `{"tenants": ${'['.repeat(100_000)}${']'.repeat(100_000)}}` });
    const { errors } = await loadErrors([join(dir, 'bomb.json')]);
    expect(errors[0]!.message).toContain('deeper than the limit');
  });

  it('maxDepth is configurable', async () => {
    const dir = tmpFiles({ 'k.yaml': 'tenants:\n  - key: a\n    name: A\n    data: {a: {b: {c: 1}}}\n' });
    await expect(loadConfig([join(dir, 'k.yaml')], { env: {} })).resolves.toBeDefined();
    const { errors } = await loadErrors([join(dir, 'k.yaml')], { maxDepth: 4 });
    expect(errors[0]!.message).toContain('deeper than the limit of 4 levels');
  });

  it('__proto__ never pollutes Object.prototype, even through a JSON file', async () => {
    const dir = tmpFiles({ 'p.json': '{"tenants":[{"key":"a","name":"A","data":{"__proto__":{"polluted":"yes"}}}]}' });
    await loadErrors([join(dir, 'p.json')]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports every error of every file, not just the first', async () => {
    const dir = tmpFiles({
      'a.yaml': 'tenants:\n  - key: a\n    name: A\n    phoneConfiguration:\n      unverified:\n        behavior: Gatd\n',
      'b.yaml': 'applications:\n  - key: b\n    name: B\n    tenantId: nope\n  - name: no key\n',
      'c.yaml': 'tenants: [\n',
    });
    const { errors } = await loadErrors([dir]);
    const byFile = (f: string) => errors.filter((d) => d.where?.file?.endsWith(f)).length;
    expect(byFile('a.yaml')).toBe(1);
    expect(byFile('b.yaml')).toBe(2);
    expect(byFile('c.yaml')).toBeGreaterThanOrEqual(1);
  });
});
