/**
 * The plan as a pull-request comment: capped at a number of characters with whole elements only (valid markdown at any
 * cap), a stable hidden marker per title, and what a reviewer must see in every format — the consequences of a
 * replace or a delete, and the live objects the files do not manage.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { computePlan } from '../../src/core/plan.js';
import type { Change, Plan } from '../../src/core/types.js';
import { FUSIONAUTH_APP_ID } from '../../src/fusionauth/wire.js';
import { KINDS } from '../../src/kinds/index.js';
import { renderPlanHuman } from '../../src/render/human.js';
import { renderPlanJson } from '../../src/render/json.js';
import { DEFAULT_MAX_CHARS, planMarker, renderPlanMarkdown } from '../../src/render/markdown.js';
import { liveOf } from '../core/helpers.js';
import { generateConfig, writeConfig } from '../hardening/helpers.js';
import { change, plan } from './fixtures.js';
import { checkMarkdown, checkMermaid } from './structure.js';

/** A plan of about 3,000 creates (the size of the issue's 3.37 MB plan), through the real loader and planner. */
async function bigPlan(): Promise<Plan> {
  const file = writeConfig(generateConfig({ messengers: 500, templates: 500, tenants: 500, applications: 1520 }));
  const desired = await loadConfig([file], { env: {} });
  const tenant = '0d0d0d0d-0000-4000-8000-00000000000d';
  const live = liveOf({ messenger: [], messageTemplate: [], tenant: [{ id: tenant, name: 'Default' }], application: [{ id: FUSIONAUTH_APP_ID, name: 'FusionAuth', tenantId: tenant, active: true }] }, { defaultTenantId: tenant });
  return computePlan(desired, live, { kinds: KINDS, target: 'https://auth.example.com', showUnmanaged: true, graph: true });
}

const big = await bigPlan();
const uncapped = renderPlanMarkdown(big);

/** The number of change rows in the table of a markdown plan. */
const tableRows = (md: string): number => md.split('\n').filter((l) => /^\| (create|update|replace|delete|no change)/.test(l)).length;
/** A count in the note of a capped plan (`2,980 more changes`), 0 when the note does not mention it. */
function omitted(md: string, what: 'changes' | 'diagnostics' | 'unmanaged'): number {
  const note = md.split('\n').find((l) => /^_.* not shown: this comment is capped/.test(l)) ?? '';
  const m = new RegExp(`([\\d,]+) more ${what === 'unmanaged' ? 'unmanaged objects?' : `${what.slice(0, -1)}s?`}\\b`).exec(note);
  return m ? Number(m[1]!.replace(/,/g, '')) : 0;
}

describe('the markdown cap', () => {
  it('a 3,000-resource plan is megabytes uncapped; at the default cap it fits a GitHub comment and stays valid markdown', () => {
    expect(big.changes.length).toBeGreaterThanOrEqual(3000);
    expect(uncapped.length).toBeGreaterThan(1_000_000);
    checkMarkdown(uncapped);
    const md = renderPlanMarkdown(big, { maxChars: DEFAULT_MAX_CHARS });
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MAX_CHARS);
    // GitHub's limit under every reading: code points, and UTF-8 bytes for issue comments.
    expect([...md].length).toBeLessThanOrEqual(65_536);
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(262_144);
    checkMarkdown(md);
    expect(md.startsWith('<!-- kickstand-plan -->\n### kickstand plan\n')).toBe(true);
    const rows = tableRows(md);
    expect(rows).toBeGreaterThan(50);
    expect(rows + omitted(md, 'changes')).toBe(big.changes.length);
    expect(md).toMatch(/more changes and [\d,]+ more unmanaged objects are not shown: this comment is capped at 65,000 characters\. The full plan is in the job's artifacts \(`--format json`\)\._\n$/);
    // The graph of 3,000 changes is too large for Mermaid to draw: a line says so instead.
    expect(md).toMatch(/_The graph of changes is not shown: it has [\d]+ edges, more than the 500 Mermaid draws\./);
    expect(md).not.toContain('```mermaid');
  });

  it('at any cap from 1,000 characters: never longer than the cap, whole elements only, and the note accounts for what is left out', () => {
    for (const cap of [1000, 1500, 3001, 8000, 21_000]) {
      const md = renderPlanMarkdown(big, { maxChars: cap });
      expect(md.length, `cap ${cap}`).toBeLessThanOrEqual(cap);
      checkMarkdown(md);
      // Every section shown is whole: as many <details> sections as changed rows in the table.
      expect(md.split('\n').filter((l) => l.startsWith('<details><summary><code>')).length).toBe(tableRows(md));
      expect(tableRows(md) + omitted(md, 'changes')).toBe(big.changes.length);
    }
  });

  it('keeps the plan whole when it fits, and without a cap', () => {
    const small = plan([change({ action: 'create', kind: 'tenant', key: 'acme', name: 'Acme', after: { name: 'Acme' } })]);
    expect(renderPlanMarkdown(small, { maxChars: 1000 })).toBe(renderPlanMarkdown(small));
    expect(renderPlanMarkdown(big, { maxChars: Infinity })).toBe(uncapped);
    expect(uncapped).not.toMatch(/are not shown/);
  });

  it('diagnostics come first: a plan of many warnings shows those that fit, then says how many more there are', () => {
    const diagnostics = Array.from({ length: 500 }, (_, i) => ({ severity: 'warning' as const, message: `unknown field number ${i} (a long explanation of why it is unknown)`, where: { file: 'k.yaml', line: i + 1, column: 1 } }));
    const changes = Array.from({ length: 20 }, (_, i) => change({ action: 'create', kind: 'messenger', key: `m${i}`, after: { name: `M${i}` } }));
    const md = renderPlanMarkdown(plan(changes, { diagnostics }), { maxChars: 5000 });
    expect(md.length).toBeLessThanOrEqual(5000);
    checkMarkdown(md);
    const shown = md.split('\n').filter((l) => l.startsWith('- **warning:**')).length;
    expect(shown).toBeGreaterThan(10);
    expect(shown + omitted(md, 'diagnostics')).toBe(500);
    expect(md).toMatch(/more diagnostics and 20 more changes are not shown/);
  });

  it('counts characters as JavaScript does (UTF-16 code units), which is never less than the code points GitHub counts', () => {
    const changes = Array.from({ length: 200 }, (_, i) => change({ action: 'create', kind: 'tenant', key: `t${i}`, name: '🚀'.repeat(40), after: { name: '🚀'.repeat(40) } }));
    const md = renderPlanMarkdown(plan(changes), { maxChars: 4000 });
    expect(md.length).toBeLessThanOrEqual(4000);
    expect([...md].length).toBeLessThan(md.length);
    checkMarkdown(md);
  });
});

describe('the hidden marker and the title', () => {
  it('marks every markdown plan, and with a title marks and heads it with the title', () => {
    const p = plan([change({ action: 'create', kind: 'tenant', key: 'acme', after: { name: 'Acme' } })]);
    expect(renderPlanMarkdown(p).split('\n').slice(0, 2)).toEqual(['<!-- kickstand-plan -->', '### kickstand plan']);
    expect(renderPlanMarkdown(p, { title: 'production' }).split('\n').slice(0, 2)).toEqual(['<!-- kickstand-plan: production -->', '### kickstand plan: production']);
    // Two environments keep two comments; the same title always gives the same marker.
    expect(planMarker('staging')).not.toBe(planMarker('production'));
    expect(renderPlanMarkdown(plan([]), { title: 'production' }).split('\n')[0]).toBe('<!-- kickstand-plan: production -->');
  });

  it('no title can end the hidden comment early, inject HTML or forge a line', () => {
    for (const title of ['prod --> <script>alert(1)</script>', 'a--!>b', '<!-- x', 'x <!-', 'two\nlines', 'bidi \u202E x', '100% <eu>']) {
      const marker = planMarker(title);
      expect(marker, title).toMatch(/^<!-- kickstand-plan: [^<>!\n\u202E]* -->$/);
      expect(marker.indexOf('-->'), title).toBe(marker.length - 3);
      const heading = renderPlanMarkdown(plan([]), { title }).split('\n')[1]!;
      expect(heading, title).not.toMatch(/<(?!!)|\u202E/);
    }
    expect(planMarker('100% <eu>')).toBe('<!-- kickstand-plan: 100%25 %3Ceu%3E -->');
  });
});

describe('consequences in every format', () => {
  const withConsequence = KINDS.filter((k) => k.consequences);
  const changesOf = (action: 'delete' | 'replace'): Change[] => withConsequence.map((k) => {
    const text = action === 'replace' ? (k.consequences!.replace ?? k.consequences!.delete!) : k.consequences!.delete!;
    return change({ action, kind: k.name, key: `${k.name}-x`, consequence: text, before: { name: 'X' }, ...(action === 'replace' ? { after: { name: 'X' } } : {}) });
  });

  it('a replace or a delete shows what FusionAuth does beyond the object, in the human, markdown and JSON plans', () => {
    for (const action of ['delete', 'replace'] as const) {
      const p = plan(changesOf(action));
      const human = renderPlanHuman(p, { color: false });
      const md = renderPlanMarkdown(p);
      const json = JSON.parse(renderPlanJson(p)) as Plan;
      for (const c of p.changes) {
        expect(human, `${action} ${c.kind}`).toContain(`  ! ${c.consequence!}`);
        // In markdown outside the collapsed section, so that it is read without unfolding anything.
        const before = md.split(`<details><summary><code>${action === 'delete' ? '-' : '-/+'}</code> ${c.title} ${c.key}`)[0]!;
        expect(before.split('\n').filter((l) => l.startsWith('> **Warning:**')).pop(), `${action} ${c.kind}`).toContain(c.consequence!.slice(0, 40));
        expect(json.changes.find((x) => x.key === c.key)!.consequence).toBe(c.consequence);
      }
      checkMarkdown(md);
    }
  });
});

describe('unmanaged objects in every format', () => {
  const p = plan([change({ action: 'noop', kind: 'tenant', key: 'acme', match: 'derived-id' })], {
    unmanaged: [
      { kind: 'tenant', title: 'tenant', id: '0d0d0d0d-0000-4000-8000-00000000000d', name: 'Default', builtIn: true },
      { kind: 'application', title: 'application', id: '1e1e1e1e-0000-4000-8000-00000000001e', name: 'Old <b>app</b> | x', inactive: true },
      { kind: 'applicationRole', title: 'application role', id: '2f2f2f2f-0000-4000-8000-00000000002f', name: 'legacy', parent: { kind: 'application', title: 'application', key: 'web', id: '3a3a3a3a-0000-4000-8000-00000000003a' } },
    ],
    unmanagedUnknown: [{ kind: 'apiKey', title: 'API key' }],
  });

  it('lists them apart from the changes, built-in and inactive ones marked, the kinds that cannot be listed named', () => {
    const human = renderPlanHuman(p, { color: false });
    expect(human).toContain([
      'Not managed by these files (kept as they are): 3 live objects.',
      '  = tenant "Default" (id 0d0d0d0d-0000-4000-8000-00000000000d, built-in)',
      '  = application "Old <b>app</b> | x" (id 1e1e1e1e-0000-4000-8000-00000000001e, inactive)',
      '  = application role "legacy" in application web (id 2f2f2f2f-0000-4000-8000-00000000002f)',
      '  FusionAuth cannot list API key objects: only those these files address were read, others are not shown.',
    ].join('\n'));
    const md = renderPlanMarkdown(p);
    checkMarkdown(md);
    expect(md).toContain('<details><summary>Not managed by these files (kept as they are): 3 live objects.</summary>');
    expect(md).toContain('- application "Old &lt;b&gt;app&lt;/b&gt; \\| x" (id 1e1e1e1e-0000-4000-8000-00000000001e, inactive)');
    expect(md).toContain('- application role "legacy" in application web');
    const json = JSON.parse(renderPlanJson(p)) as Plan;
    expect(json.unmanaged).toEqual(p.unmanaged);
    expect(json.unmanagedUnknown).toEqual([{ kind: 'apiKey', title: 'API key' }]);
    expect(Object.keys(json)).toEqual(['formatVersion', 'target', 'serverVersion', 'licensed', 'summary', 'diagnostics', 'changes', 'unmanaged', 'unmanagedUnknown']);
  });

  it('says so when every live object is managed; says nothing without the option', () => {
    const none = plan([change({ action: 'noop', kind: 'tenant', key: 'acme' })], { unmanaged: [] });
    expect(renderPlanHuman(none, { color: false })).toContain('Every live object of these kinds is managed by these files.');
    expect(renderPlanMarkdown(none)).toContain('Every live object of these kinds is managed by these files.');
    const without = plan([change({ action: 'noop', kind: 'tenant', key: 'acme' })]);
    expect(renderPlanHuman(without, { color: false })).not.toMatch(/managed by these files/);
    expect(renderPlanMarkdown(without)).not.toMatch(/managed by these files/);
  });
});

describe('the graph of changes in the markdown plan', () => {
  it('is drawn as a ```mermaid block before the table when the plan carries one', () => {
    const changes = [change({ action: 'create', kind: 'messenger', key: 'sms', after: { name: 'SMS' } }), change({ action: 'update', kind: 'tenant', key: 'acme', fields: [] })];
    const graph = {
      nodes: [{ ref: 'messenger:sms', kind: 'messenger', title: 'messenger', key: 'sms', action: 'create' as const }, { ref: 'tenant:acme', kind: 'tenant', title: 'tenant', key: 'acme', action: 'update' as const }],
      edges: [{ from: 'tenant:acme', to: 'messenger:sms', via: 'ref' as const }],
    };
    const md = renderPlanMarkdown(plan(changes, { graph }));
    checkMarkdown(md);
    const block = /```mermaid\n([\s\S]*?)```/.exec(md)![1]!;
    const chart = checkMermaid(block);
    expect(chart.nodes.map((n) => n.label)).toEqual(['+ messenger: sms', '~ tenant: acme']);
    expect(md.indexOf('```mermaid')).toBeLessThan(md.indexOf('| Action |'));
  });

  it('is left out, with a line saying why, when the cap leaves no room for it after the changes', () => {
    const changes = Array.from({ length: 12 }, (_, i) => change({ action: 'create', kind: 'messenger', key: `sms-${i}`, name: `Messenger number ${i}`, after: { name: `Messenger number ${i}` } }));
    const graph = { nodes: changes.map((c) => ({ ref: `messenger:${c.key}`, kind: 'messenger', title: 'messenger', key: c.key, name: c.name!, action: 'create' as const })), edges: [] };
    const whole = renderPlanMarkdown(plan(changes, { graph }));
    expect(whole).toContain('```mermaid');
    const cap = whole.length - 100;
    const tight = renderPlanMarkdown(plan(changes, { graph }), { maxChars: cap });
    expect(tight.length).toBeLessThanOrEqual(cap);
    checkMarkdown(tight);
    expect(tight).not.toContain('```mermaid');
    expect(tight).toContain('_The graph of changes is not shown: it does not fit in this comment.');
    // The changes came first: all of them are still there.
    expect(tableRows(tight)).toBe(12);
    expect(tight).not.toMatch(/more changes/);
  });
});
