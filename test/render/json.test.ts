import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/types.js';
import { renderApplyJson, renderPlanJson } from '../../src/render/json.js';
import { applyResult, change, plan } from './fixtures.js';

describe('renderPlanJson', () => {
  const p = plan([
    change({
      action: 'update', kind: 'tenant', key: 'acme', name: 'Acme', tenantId: undefined,
      before: { name: 'Acme', phoneConfiguration: { verifyPhoneNumber: true, unverified: { behavior: 'Allow' } }, emailConfiguration: { password: 'smtp-secret-1' } },
      after: { phoneConfiguration: { unverified: { behavior: 'Gated' } } },
      fields: [{ path: 'phoneConfiguration.unverified.behavior', before: 'Allow', after: 'Gated', sensitive: false }],
    }),
  ]);

  it('is formatVersion 2, two-space indented, with a trailing newline', () => {
    const text = renderPlanJson(p);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "formatVersion": 2,');
    expect(JSON.parse(text).formatVersion).toBe(2);
  });

  it('gives the same bytes whatever the key order of its input', () => {
    const reversed = JSON.parse(JSON.stringify(p, (_k, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)) as Plan;
    expect(Object.keys(reversed)[0]).not.toBe('formatVersion');
    expect(renderPlanJson(reversed)).toBe(renderPlanJson(p));
  });

  it('orders kickstand objects by a fixed list and resource data alphabetically', () => {
    const out = JSON.parse(renderPlanJson(p)) as Record<string, unknown> & { changes: Array<Record<string, unknown> & { before: Record<string, unknown> }> };
    expect(Object.keys(out)).toEqual(['formatVersion', 'target', 'serverVersion', 'licensed', 'summary', 'diagnostics', 'changes']);
    expect(Object.keys(out.changes[0]!)).toEqual(['action', 'kind', 'title', 'key', 'id', 'name', 'match', 'level', 'secretPaths', 'fields', 'before', 'after']);
    expect(Object.keys(out.changes[0]!.before)).toEqual(['emailConfiguration', 'name', 'phoneConfiguration']);
  });

  it('masks secrets and keeps fields added to the types later, after the known ones', () => {
    const extended = { ...p, generatedBy: 'test', changes: [{ ...p.changes[0]!, zExtra: { b: 1, a: 2 } }] } as unknown as Plan;
    const out = JSON.parse(renderPlanJson(extended)) as { generatedBy: string; changes: Array<Record<string, unknown>> };
    expect(out.generatedBy).toBe('test');
    expect(Object.keys(out.changes[0]!).at(-1)).toBe('zExtra');
    expect(Object.keys(out.changes[0]!.zExtra as object)).toEqual(['a', 'b']);
    expect(renderPlanJson(extended)).not.toContain('smtp-secret-1');
  });
});

describe('renderApplyJson', () => {
  it('renders outcomes with a fixed key order', () => {
    const text = renderApplyJson(applyResult([{ status: 'applied', action: 'create', id: 'x', key: 'sms', kind: 'messenger', durationMs: 5 }]));
    const out = JSON.parse(text) as { outcomes: object[] };
    expect(Object.keys(out)).toEqual(['formatVersion', 'summary', 'diagnostics', 'outcomes']);
    expect(Object.keys(out.outcomes[0]!)).toEqual(['kind', 'key', 'id', 'action', 'status', 'durationMs']);
    expect(text.endsWith('}\n')).toBe(true);
  });
});
