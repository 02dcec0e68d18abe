import { describe, expect, it } from 'vitest';
import { entryLevels, topoLevels, type LevelledEntry } from '../../src/core/order.js';
import { KINDS } from '../../src/kinds/index.js';

describe('dependency levels', () => {
  it('puts the system configuration, lambdas, templates, messengers, keys and themes first, then tenants, then applications, webhooks, API keys and users, then roles and registrations (dependsOn derived from the wire references and the parent)', () => {
    const levels = topoLevels(KINDS);
    expect(Object.fromEntries(levels)).toEqual({
      systemConfiguration: 0, lambda: 0, emailTemplate: 0, messenger: 0, messageTemplate: 0, key: 0, theme: 0, tenant: 1, application: 2, applicationRole: 3,
      webhook: 2, apiKey: 2, user: 2, userRegistration: 3, family: 3,
    });
    expect(Object.fromEntries(KINDS.map((k) => [k.name, k.dependsOn]))).toEqual({
      systemConfiguration: [], lambda: [], emailTemplate: [], messenger: [], messageTemplate: [], key: [], theme: [],
      tenant: ['messenger', 'messageTemplate', 'emailTemplate', 'theme', 'key', 'lambda'], application: ['tenant', 'messageTemplate', 'emailTemplate', 'theme', 'key', 'lambda'],
      applicationRole: ['application'],
      webhook: ['tenant', 'key'],
      apiKey: ['tenant'],
      user: ['tenant'], userRegistration: ['application', 'user'], family: ['user'],
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

describe('entry levels (an entry after the entries of its own kind it refers to)', () => {
  const kinds = [{ name: 'theme', dependsOn: [] }, { name: 'tenant', dependsOn: ['theme'] }, { name: 'app', dependsOn: ['tenant'] }];
  const e = (kind: string, key: string, ...refs: string[]): LevelledEntry => ({ kind, key, sameKindRefs: refs });

  it('are the kind levels when no entry refers to its own kind', () => {
    const entries = [e('theme', 'a'), e('tenant', 't'), e('app', 'x')];
    const { level, cycles } = entryLevels(kinds, entries);
    expect(entries.map(level)).toEqual([0, 1, 2]);
    expect(cycles).toEqual([]);
  });

  it('put a copy one level after its source, a copy of the copy one more, and every later kind after all of them', () => {
    const entries = [e('theme', 'copy2', 'copy1'), e('theme', 'copy1', 'base'), e('theme', 'base'), e('theme', 'other'), e('tenant', 't'), e('app', 'x')];
    const { level } = entryLevels(kinds, entries);
    expect(Object.fromEntries(entries.map((x) => [x.key, level(x)]))).toEqual({ base: 0, other: 0, copy1: 1, copy2: 2, t: 3, x: 4 });
  });

  it('ignore references to keys that are not declared (reported elsewhere)', () => {
    const entries = [e('theme', 'a', 'missing')];
    expect(entries.map(entryLevels(kinds, entries).level)).toEqual([0]);
  });

  it('report a cycle once, through its members', () => {
    const entries = [e('theme', 'a', 'b'), e('theme', 'b', 'c'), e('theme', 'c', 'a'), e('theme', 'self', 'self')];
    const { cycles } = entryLevels(kinds, entries);
    expect(cycles.map((c) => c.through)).toEqual([['a', 'b', 'c', 'a'], ['self', 'self']]);
  });

  it('level a chain of 100,000 copies (no recursion: the call stack is not the limit)', () => {
    const n = 100_000;
    const entries = Array.from({ length: n }, (_, i) => e('theme', `t${i}`, ...(i > 0 ? [`t${i - 1}`] : [])));
    const { level } = entryLevels(kinds, entries);
    expect(level(entries[n - 1]!)).toBe(n - 1);
  });
});
