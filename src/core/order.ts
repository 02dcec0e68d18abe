/** Dependency levels: the order in which kinds are written (a kind after every kind it depends on). */

/** A node of the dependency graph: a name and the names it depends on. */
export interface DependencyNode<N extends string = string> {
  name: N;
  dependsOn: readonly N[];
}

/**
 * Topological levels: a node with no dependencies is level 0, any other node is one more than the highest level of
 * its dependencies. Throws when the graph has a cycle (naming it) or a dependency on an unknown node — both are bugs
 * in the kind definitions, not user errors.
 */
export function topoLevels<N extends string>(nodes: readonly DependencyNode<N>[]): Map<N, number> {
  const byName = new Map<N, DependencyNode<N>>(nodes.map((n) => [n.name, n]));
  const levels = new Map<N, number>();
  const visiting: N[] = [];
  const visit = (name: N): number => {
    const known = levels.get(name);
    if (known !== undefined) return known;
    const at = visiting.indexOf(name);
    if (at >= 0) throw new Error(`dependency cycle: ${[...visiting.slice(at), name].join(' -> ')}`);
    const node = byName.get(name);
    if (!node) throw new Error(`unknown dependency ${name} (declared by ${visiting[visiting.length - 1] ?? '?'})`);
    visiting.push(name);
    let level = 0;
    for (const d of node.dependsOn) level = Math.max(level, visit(d) + 1);
    visiting.pop();
    levels.set(name, level);
    return level;
  };
  for (const n of nodes) visit(n.name);
  return levels;
}
