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

/** An entry for `entryLevels`: its kind, its key, and the entries of its own kind it refers to (by key). */
export interface LevelledEntry<N extends string = string> {
  kind: N;
  key: string;
  sameKindRefs: readonly string[];
}

/**
 * The write level of each entry, and the cycles among entries of one kind. Kinds come level by level as in
 * `topoLevels`; an entry that refers to another entry of its own kind (a theme copied from another theme of the files)
 * comes after it, one level per step of such references, and every later kind moves down by as many levels. Without
 * references inside a kind the levels are exactly `topoLevels`. An entry on a cycle of such references (two themes
 * copying each other) is reported once per cycle, its first member by the entries' order, and its depth counts from
 * there. Linear in the entries and their references.
 */
export function entryLevels<N extends string>(
  nodes: readonly DependencyNode<N>[],
  entries: readonly LevelledEntry<N>[],
): { level: (e: LevelledEntry<N>) => number; cycles: Array<{ entry: LevelledEntry<N>; through: string[] }> } {
  const kindLevels = topoLevels(nodes);
  const byKey = new Map<string, LevelledEntry<N>>(entries.map((e) => [`${e.kind}:${e.key}`, e]));
  const depth = new Map<LevelledEntry<N>, number>();
  const cycles: Array<{ entry: LevelledEntry<N>; through: string[] }> = [];
  // Depth-first with an explicit stack (a chain of copies must not exhaust the call stack): each frame is an entry on
  // the current path, the index of its next reference and the deepest depth found below it so far.
  const visit = (root: LevelledEntry<N>): void => {
    if (depth.has(root)) return;
    const path: Array<{ e: LevelledEntry<N>; next: number; d: number }> = [{ e: root, next: 0, d: 0 }];
    const onPath = new Map<LevelledEntry<N>, number>([[root, 0]]);
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      if (top.next < top.e.sameKindRefs.length) {
        const target = byKey.get(`${top.e.kind}:${top.e.sameKindRefs[top.next++]!}`);
        if (!target) continue;
        const known = depth.get(target);
        if (known !== undefined) {
          top.d = Math.max(top.d, known + 1);
          continue;
        }
        const at = onPath.get(target);
        if (at !== undefined) {
          // A cycle: reported at the member where it closes; the reference counts as leading nowhere.
          cycles.push({ entry: target, through: [...path.slice(at).map((f) => f.e.key), target.key] });
          continue;
        }
        onPath.set(target, path.length);
        path.push({ e: target, next: 0, d: 0 });
        continue;
      }
      path.pop();
      onPath.delete(top.e);
      depth.set(top.e, top.d);
      const parent = path[path.length - 1];
      if (parent) parent.d = Math.max(parent.d, top.d + 1);
    }
  };
  // Deepest entry of each kind: the number of levels the kind spans is one more.
  const span = new Map<N, number>();
  for (const e of entries) {
    visit(e);
    span.set(e.kind, Math.max(span.get(e.kind) ?? 0, depth.get(e)!));
  }
  // A kind starts after every kind it depends on has spanned its levels; kinds in `topoLevels` order.
  const start = new Map<N, number>();
  for (const n of [...nodes].sort((a, b) => kindLevels.get(a.name)! - kindLevels.get(b.name)!)) {
    let s = 0;
    for (const d of n.dependsOn) s = Math.max(s, start.get(d)! + (span.get(d) ?? 0) + 1);
    start.set(n.name, s);
  }
  return { level: (e) => start.get(e.kind)! + (depth.get(e) ?? 0), cycles };
}
