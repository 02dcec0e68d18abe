/**
 * A configuration graph as a Mermaid flowchart (`flowchart LR`), which GitHub and GitLab draw from a ```mermaid block
 * in markdown. Pure: it renders the graph data only. Node ids are generated (`n1`, `n2`, …) so that no key can be a
 * Mermaid keyword; every label is quoted and made inert (see `mermaidLabel`). In a plan's graph of changes, each
 * action has its own class (fill and border colours, a dashed border for deletes) and its symbol before the label, so
 * the changes stand apart without colour too.
 */
import type { ChangeAction, ConfigGraph, GraphNode } from '../core/types.js';
import { SYMBOL } from './common.js';
import { escapeControls } from './text.js';

/** The class of each action that changes something, and its style (GitHub's diff colours). */
const CLASSES: Record<Exclude<ChangeAction, 'noop'>, { name: string; style: string }> = {
  create: { name: 'toCreate', style: 'fill:#dafbe1,stroke:#1a7f37,color:#0d1117' },
  update: { name: 'toUpdate', style: 'fill:#fff8c5,stroke:#9a6700,color:#0d1117' },
  replace: { name: 'toReplace', style: 'fill:#ffebe9,stroke:#cf222e,stroke-width:3px,color:#0d1117' },
  delete: { name: 'toDelete', style: 'fill:#ffebe9,stroke:#cf222e,stroke-dasharray:5 5,color:#0d1117' },
};

/** The class of an object the files refer to by id but do not declare. */
const EXTERNAL = { name: 'external', style: 'stroke-dasharray:3 3' };

/**
 * Text for a quoted Mermaid label, inert: control and bidirectional characters become visible `\uXXXX` escapes, and
 * the characters Mermaid or the HTML it produces would read — `"` (ends the label), `#` (starts an entity code),
 * `<`, `>`, `&` (HTML), and the backtick (a markdown label, and a way out of the ```mermaid fence) — become Mermaid's
 * numeric entity codes (`#34;`), which it draws as the character itself.
 */
export function mermaidLabel(text: string): string {
  return escapeControls(text).replace(/["#<>&`]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** `tenant: acme (Acme Corp)`, `+ application: web`; an object known by its id only: `lambda: 1b2c…`. */
function nodeText(n: GraphNode): string {
  const symbol = n.action && n.action !== 'noop' ? `${SYMBOL[n.action]} ` : '';
  // A child's key already ends with its name (`web/admin`).
  const shown = n.name !== undefined && n.name !== n.key && !(n.key ?? '').endsWith(`/${n.name}`);
  const name = shown ? ` (${n.name!})` : '';
  return `${symbol}${n.title}: ${n.key ?? n.id ?? n.ref}${name}`;
}

/**
 * The flowchart: one node per graph node, `A --> B` where A refers to B, `C -.-> P` where the child C is written in
 * its parent P, and `classDef`/`class` lines for the changed and the external nodes. Ends with a newline.
 */
export function renderMermaid(graph: ConfigGraph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.ref, `n${i + 1}`]));
  const lines = ['flowchart LR'];
  for (const n of graph.nodes) lines.push(`  ${ids.get(n.ref)!}["${mermaidLabel(nodeText(n))}"]`);
  for (const e of graph.edges) {
    const from = ids.get(e.from), to = ids.get(e.to);
    if (from === undefined || to === undefined) continue;
    lines.push(`  ${from} ${e.via === 'parent' ? '-.->' : '-->'} ${to}`);
  }
  const members = new Map<string, { style: string; ids: string[] }>();
  for (const n of graph.nodes) {
    const cls = n.action && n.action !== 'noop' ? CLASSES[n.action] : n.external ? EXTERNAL : undefined;
    if (!cls) continue;
    const m = members.get(cls.name) ?? { style: cls.style, ids: [] };
    members.set(cls.name, m);
    m.ids.push(ids.get(n.ref)!);
  }
  for (const [name, m] of members) {
    lines.push(`  classDef ${name} ${m.style}`);
    lines.push(`  class ${m.ids.join(',')} ${name}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Mermaid's default limits (mermaid's config: `maxTextSize` 50,000 characters, `maxEdges` 500): a larger diagram is
 * not drawn but replaced by an error, on GitHub too. A markdown plan leaves such a graph out and says why.
 */
export const MERMAID_LIMITS = { maxTextSize: 50_000, maxEdges: 500 } as const;

/** Why Mermaid would not draw this diagram with its default limits, or undefined when it would. */
export function mermaidTooLarge(text: string, graph: ConfigGraph): string | undefined {
  if (graph.edges.length > MERMAID_LIMITS.maxEdges) return `it has ${graph.edges.length} edges, more than the ${MERMAID_LIMITS.maxEdges} Mermaid draws`;
  if (text.length > MERMAID_LIMITS.maxTextSize) return `it is ${text.length} characters long, more than the ${MERMAID_LIMITS.maxTextSize} Mermaid draws`;
  return undefined;
}
