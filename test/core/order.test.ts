import { describe, expect, it } from 'vitest';
import { topoLevels } from '../../src/core/order.js';
import { KINDS } from '../../src/kinds/index.js';

describe('dependency levels', () => {
  it('puts messengers, templates and keys first, then tenants, then applications and webhooks, then roles (dependsOn derived from the wire references and the parent)', () => {
    const levels = topoLevels(KINDS);
    expect(Object.fromEntries(levels)).toEqual({ messenger: 0, messageTemplate: 0, key: 0, tenant: 1, application: 2, webhook: 2, applicationRole: 3 });
    expect(Object.fromEntries(KINDS.map((k) => [k.name, k.dependsOn]))).toEqual({
      messenger: [], messageTemplate: [], key: [], tenant: ['messenger', 'messageTemplate', 'key'], application: ['tenant', 'messageTemplate', 'key'],
      applicationRole: ['application'], webhook: ['tenant', 'key'],
    });
  });
  it('uses the longest dependency chain', () => {
    const levels = topoLevels([
      { name: 'd', dependsOn: ['a', 'c'] }, { name: 'a', dependsOn: [] }, { name: 'b', dependsOn: ['a'] }, { name: 'c', dependsOn: ['b'] },
    ]);
    expect(levels.get('d')).toBe(3);
  });
  it('detects a cycle and names it', () => {
    expect(() => topoLevels([{ name: 'a', dependsOn: ['b'] }, { name: 'b', dependsOn: ['c'] }, { name: 'c', dependsOn: ['a'] }]))
      .toThrow('dependency cycle: a -> b -> c -> a');
  });
  it('rejects a dependency on an unknown node', () => {
    expect(() => topoLevels([{ name: 'a', dependsOn: ['zzz'] }])).toThrow(/unknown dependency zzz/);
  });
});
