/**
 * Structural checks of what kickstand writes for GitHub and GitLab to draw, shared by the tests.
 *
 * `checkMermaid`: a validator of the Mermaid subset `renderMermaid` writes (`flowchart LR`, quoted node labels, `-->`
 * and `-.->` edges, `classDef` and `class` lines), strict enough that a label able to end its quotes, start a markdown
 * string, inject HTML or close a ```mermaid fence fails. Why not Mermaid's own parser: the flowchart grammar is not in
 * `@mermaid-js/parser` (it covers info, packet, pie, architecture, gitGraph, radar and treemap), that package needs
 * Node 22.12 (kickstand supports 20), and `mermaid` itself parses in a browser (DOMPurify, d3).
 *
 * `checkMarkdown`: every fenced code block closes with a fence of its own length, and `<details>` elements outside
 * code blocks are balanced and never closed before they open.
 */

/** A node of a checked flowchart: its id and its label decoded from Mermaid's entity codes. */
export interface MermaidNode {
  id: string;
  label: string;
}

/** What a valid flowchart holds, for assertions. */
export interface MermaidChart {
  nodes: MermaidNode[];
  edges: Array<{ from: string; to: string; dotted: boolean }>;
  /** Class name → its style and the node ids in it. */
  classes: Map<string, { style: string; members: string[] }>;
}

/** Throws with the line number when `text` is not a flowchart of the subset; returns its content otherwise. */
export function checkMermaid(text: string): MermaidChart {
  const lines = text.split('\n');
  if (lines[lines.length - 1] !== '') throw new Error('the chart must end with a newline');
  lines.pop();
  if (lines[0] !== 'flowchart LR') throw new Error(`line 1: expected "flowchart LR", got ${JSON.stringify(lines[0])}`);
  const chart: MermaidChart = { nodes: [], edges: [], classes: new Map() };
  const ids = new Set<string>();
  const styles = new Map<string, string>();
  lines.slice(1).forEach((line, i) => {
    const at = `line ${i + 2}`;
    let m: RegExpExecArray | null;
    if ((m = /^ {2}(n\d+)\["([^"]*)"\]$/.exec(line))) {
      const [, id, raw] = m as unknown as [string, string, string];
      if (ids.has(id)) throw new Error(`${at}: node ${id} defined twice`);
      // Inside quotes: no HTML, no backtick (markdown string, fence), no newline; every # starts an entity code.
      if (/[<>`\n\r]/.test(raw)) throw new Error(`${at}: raw <, >, backtick or newline in a label: ${raw}`);
      if (/#(?!\d+;)/.test(raw)) throw new Error(`${at}: a # that starts no entity code: ${raw}`);
      ids.add(id);
      chart.nodes.push({ id, label: raw.replace(/#(\d+);/g, (_s, n: string) => String.fromCodePoint(Number(n))) });
    } else if ((m = /^ {2}(n\d+) (-->|-\.->) (n\d+)$/.exec(line))) {
      const [, from, arrow, to] = m as unknown as [string, string, string, string];
      if (!ids.has(from) || !ids.has(to)) throw new Error(`${at}: an edge to an undefined node: ${line}`);
      chart.edges.push({ from, to, dotted: arrow === '-.->' });
    } else if ((m = /^ {2}classDef ([A-Za-z][A-Za-z0-9]*) ([a-z-]+:[^,;]+(?:,[a-z-]+:[^,;]+)*)$/.exec(line))) {
      const [, name, style] = m as unknown as [string, string, string];
      if (styles.has(name)) throw new Error(`${at}: class ${name} defined twice`);
      styles.set(name, style);
    } else if ((m = /^ {2}class (n\d+(?:,n\d+)*) ([A-Za-z][A-Za-z0-9]*)$/.exec(line))) {
      const [, list, name] = m as unknown as [string, string, string];
      const style = styles.get(name);
      if (style === undefined) throw new Error(`${at}: class ${name} used before its classDef`);
      const members = list.split(',');
      for (const id of members) if (!ids.has(id)) throw new Error(`${at}: class of an undefined node ${id}`);
      chart.classes.set(name, { style, members });
    } else {
      throw new Error(`${at}: not a line of the flowchart subset: ${JSON.stringify(line)}`);
    }
  });
  return chart;
}

/** Throws when a fence or a `<details>` element of `text` is left open or closed without being opened. */
export function checkMarkdown(text: string): void {
  let fence: string | undefined;
  let depth = 0;
  text.split('\n').forEach((line, i) => {
    if (fence !== undefined) {
      if (line === fence) fence = undefined;
      return;
    }
    const open = /^(`{3,})[^`]*$/.exec(line);
    if (open) {
      fence = open[1]!;
      return;
    }
    depth += (line.match(/<details>/g) ?? []).length;
    depth -= (line.match(/<\/details>/g) ?? []).length;
    if (depth < 0) throw new Error(`line ${i + 1}: </details> without <details>`);
  });
  if (fence !== undefined) throw new Error(`a ${fence} fence is not closed`);
  if (depth !== 0) throw new Error(`${depth} <details> not closed`);
}
