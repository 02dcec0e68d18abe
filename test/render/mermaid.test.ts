/**
 * The Mermaid rendering of a graph: valid flowchart syntax (checked by `checkMermaid`), labels that hostile keys and
 * names cannot break out of (and that read back as written), and changes styled apart by action.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigGraph, GraphNode } from '../../src/core/types.js';
import { mermaidLabel, mermaidTooLarge, renderMermaid } from '../../src/render/mermaid.js';
import { escapeControls } from '../../src/render/text.js';
import { checkMarkdown, checkMermaid } from './structure.js';

const node = (ref: string, extra: Partial<GraphNode> = {}): GraphNode => {
  const [kind, key] = ref.split(':') as [string, string];
  return { ref, kind, title: kind, key, ...extra };
};

/** Names no label may be broken by: quotes, brackets, HTML, entity codes, backticks, a fence, controls, unicode. */
const HOSTILE = [
  'Acme "Corp"',
  'a]b["c"]',
  '<img src=x onerror=alert(1)>',
  '#quot; & #35; &amp;',
  '```\nflowchart TB',
  '`**bold**`',
  'end',
  'x --> y; click n1 "https://evil.example"',
  'Ünïcødé 日本 🚀',
  'a\u202Eb\u001b[2J',
  '%% comment',
];

describe('renderMermaid', () => {
  it('is a valid flowchart whose labels read back exactly as written, whatever the keys and names hold', () => {
    const nodes = HOSTILE.map((name, i) => node(`tenant:t${i}`, { name: `${name}!`, key: `web/${name}` }));
    const graph: ConfigGraph = { nodes, edges: nodes.slice(1).map((n) => ({ from: n.ref, to: nodes[0]!.ref, via: 'ref' as const })) };
    const text = renderMermaid(graph);
    const chart = checkMermaid(text);
    expect(chart.nodes.map((n) => n.label)).toEqual(HOSTILE.map((name) => `tenant: web/${mermaidLabelText(name)} (${mermaidLabelText(name)}!)`));
    expect(chart.edges).toHaveLength(HOSTILE.length - 1);
    // A ```mermaid block around it stays one block: no label can close the fence.
    expect(() => checkMarkdown(`\`\`\`mermaid\n${text}\`\`\`\n`)).not.toThrow();
    expect(text.split('\n').filter((l) => l.startsWith('```'))).toEqual([]);
  });

  it('makes control and bidirectional characters visible instead of passing them on', () => {
    expect(mermaidLabel('a\u202Eb\u001b')).toBe('a\\u202eb\\u001b');
    expect(mermaidLabel('"<&>#`')).toBe('#34;#60;#38;#62;#35;#96;');
  });

  it('styles each action apart (class and symbol), external objects dashed, context nodes plain', () => {
    const graph: ConfigGraph = {
      nodes: [
        node('lambda:1b2c3d4e-0000-4000-8000-000000000001', { key: undefined, id: '1b2c3d4e-0000-4000-8000-000000000001', external: true }),
        node('messenger:a', { action: 'create' }),
        node('messenger:b', { action: 'update' }),
        node('messenger:c', { action: 'replace' }),
        node('messenger:d', { action: 'delete' }),
        node('tenant:t'),
      ],
      edges: [
        { from: 'tenant:t', to: 'messenger:a', via: 'ref' },
        { from: 'tenant:t', to: 'lambda:1b2c3d4e-0000-4000-8000-000000000001', via: 'ref' },
        { from: 'messenger:b', to: 'tenant:t', via: 'parent' },
      ],
    };
    const chart = checkMermaid(renderMermaid(graph));
    const byLabel = new Map(chart.nodes.map((n) => [n.label, n.id]));
    const members = (cls: string) => chart.classes.get(cls)?.members.map((id) => chart.nodes.find((n) => n.id === id)!.label);
    expect(members('toCreate')).toEqual(['+ messenger: a']);
    expect(members('toUpdate')).toEqual(['~ messenger: b']);
    expect(members('toReplace')).toEqual(['-/+ messenger: c']);
    expect(members('toDelete')).toEqual(['- messenger: d']);
    expect(members('external')).toEqual(['lambda: 1b2c3d4e-0000-4000-8000-000000000001']);
    // Four different styles for the four actions; the delete dashed, the replace with a thicker border.
    const styles = ['toCreate', 'toUpdate', 'toReplace', 'toDelete'].map((c) => chart.classes.get(c)!.style);
    expect(new Set(styles).size).toBe(4);
    expect(styles[3]).toMatch(/stroke-dasharray/);
    expect(styles[2]).toMatch(/stroke-width/);
    expect([...chart.classes.values()].flatMap((c) => c.members)).not.toContain(byLabel.get('tenant: t'));
    expect(chart.edges).toEqual([
      { from: byLabel.get('tenant: t'), to: byLabel.get('+ messenger: a'), dotted: false },
      { from: byLabel.get('tenant: t'), to: byLabel.get('lambda: 1b2c3d4e-0000-4000-8000-000000000001'), dotted: false },
      { from: byLabel.get('~ messenger: b'), to: byLabel.get('tenant: t'), dotted: true },
    ]);
  });

  it('says when Mermaid would refuse to draw a graph with its default limits (500 edges, 50,000 characters)', () => {
    const nodes = Array.from({ length: 502 }, (_, i) => node(`tenant:t${i}`));
    const many: ConfigGraph = { nodes, edges: nodes.slice(1).map((n) => ({ from: n.ref, to: nodes[0]!.ref, via: 'ref' as const })) };
    expect(mermaidTooLarge(renderMermaid(many), many)).toMatch(/501 edges, more than the 500/);
    const few: ConfigGraph = { nodes: nodes.slice(0, 3), edges: many.edges.slice(0, 2) };
    expect(mermaidTooLarge(renderMermaid(few), few)).toBeUndefined();
    const long: ConfigGraph = { nodes: Array.from({ length: 400 }, (_, i) => node(`tenant:t${i}`, { name: 'x'.repeat(150) })), edges: [] };
    expect(mermaidTooLarge(renderMermaid(long), long)).toMatch(/characters long, more than the 50000/);
  });
});

/** What a label shows for `text`: as written, except controls and bidi characters, which read as `\uXXXX`. */
function mermaidLabelText(text: string): string {
  return escapeControls(text);
}
