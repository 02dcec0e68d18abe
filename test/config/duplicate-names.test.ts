/**
 * Two entries whose objects FusionAuth could not hold under the same name are an error offline, at the second entry's
 * name, naming the first's file:line (the table-driven cases are in test/fixtures/invalid/duplicate-*-name.yaml).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadErrors, tmpFiles } from './helpers.js';

const TENANTS = 'tenants:\n  - key: main\n    name: Main\n    id: 6a0c5b7e-1d2f-4e3a-8b9c-0d1e2f3a4b5c\n  - key: other\n    name: Other\n';

describe('duplicate names offline', () => {
  it('across files: the error is at the second file and names the first file\'s line', async () => {
    const dir = tmpFiles({ 'a.yaml': 'tenants:\n  - key: a\n    name: Acme\n', 'b.yaml': '# b\ntenants:\n  - key: b\n    name: Acme\n' });
    const { errors } = await loadErrors([dir]);
    expect(errors.map((d) => [d.where?.file, d.where?.line, d.where?.path, d.where?.key, d.message])).toEqual([[
      join(dir, 'b.yaml'), 4, 'tenants[0].name', 'b',
      `tenant name "Acme" is used twice: here and at ${join(dir, 'a.yaml')}:3:5; FusionAuth keeps tenant names unique: the second would fail with [duplicate]tenant.name`,
    ]]);
  });

  it('every later duplicate is reported against the first', async () => {
    const dir = tmpFiles({ 'k.yaml': 'tenants:\n  - key: a\n    name: X\n  - key: b\n    name: X\n  - key: c\n    name: X\n' });
    const { errors } = await loadErrors([dir]);
    expect(errors.map((d) => [d.where?.key, d.message.split('; ')[0]])).toEqual([
      ['b', `tenant name "X" is used twice: here and at ${join(dir, 'k.yaml')}:3:5`],
      ['c', `tenant name "X" is used twice: here and at ${join(dir, 'k.yaml')}:3:5`],
    ]);
  });

  it('names of different kinds, different tenants, or differing in case are not duplicates', async () => {
    const dir = tmpFiles({
      'k.yaml': TENANTS +
        'messageTemplates:\n  - key: main\n    name: Main\n    type: SMS\n    defaultTemplate: x\n' +
        'applications:\n  - key: a\n    name: Web\n    tenantId: main\n  - key: b\n    name: Web\n    tenantId: other\n  - key: c\n    name: Web\n  - key: d\n    name: web\n    tenantId: main\n',
    });
    const state = await loadConfig([dir], { env: {} });
    expect(state.resources).toHaveLength(7);
  });

  it('a tenant written as a UUID is the same tenant whatever its case; a key and a UUID cannot be compared offline', async () => {
    const upper = tmpFiles({
      'k.yaml': TENANTS + 'applications:\n  - key: a\n    name: Web\n    tenantId: 6a0c5b7e-1d2f-4e3a-8b9c-0d1e2f3a4b5c\n  - key: b\n    name: Web\n    tenantId: 6A0C5B7E-1D2F-4E3A-8B9C-0D1E2F3A4B5C\n',
    });
    const { errors } = await loadErrors([upper]);
    expect(errors.map((d) => d.message)).toEqual([expect.stringContaining('in the same tenant (tenantId 6a0c5b7e-1d2f-4e3a-8b9c-0d1e2f3a4b5c)')]);
    // `main` pins that UUID, but the loader compares tenants as written: the planner catches this one (test/core/name-collision).
    const mixed = tmpFiles({
      'k.yaml': TENANTS + 'applications:\n  - key: a\n    name: Web\n    tenantId: main\n  - key: b\n    name: Web\n    tenantId: 6a0c5b7e-1d2f-4e3a-8b9c-0d1e2f3a4b5c\n',
    });
    await expect(loadConfig([mixed], { env: {} })).resolves.toBeDefined();
  });

  it('a field that already has an error gets no second one', async () => {
    const dir = tmpFiles({ 'k.yaml': 'applications:\n  - key: a\n    name: _Web\n  - key: b\n    name: _Web\n' });
    const { errors } = await loadErrors([dir]);
    expect(errors.map((d) => [d.where?.key, d.message])).toEqual([
      ['a', 'an application name must not start with an underscore'],
      ['b', 'an application name must not start with an underscore'],
    ]);
  });
});
