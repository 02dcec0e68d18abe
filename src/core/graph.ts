/**
 * The configuration's dependency graph (`kickstand graph`, `plan --graph`): a node per entry of the files, an edge per
 * reference from one entry to another (every field FusionAuth's wire facts list as holding an object's id, written as
 * a key or a UUID) and from each child to the parent it is written in. An id that names no entry of the files becomes
 * an external node (a lambda, theme or key the files use but do not manage). Generic over the registry; pure.
 */
import type { KindDef } from './kind.js';
import { derivedId } from './match.js';
import { own } from './normalize.js';
import { topoLevels } from './order.js';
import type { Change, ChangeAction, ConfigGraph, DesiredState, GraphEdge, GraphNode, Json, JsonObject, KindName } from './types.js';
import { isUuid } from './uuid.js';

/**
 * The values at a wire reference path (`*` stands for every item of a list or value of a map), each with its concrete
 * dotted path (`connectorPolicies[0].connectorId`). Absent values are left out.
 */
export function refValues(body: JsonObject, pattern: string | readonly string[]): Array<{ path: string; value: Json }> {
  const out: Array<{ path: string; value: Json }> = [];
  const segs = typeof pattern === 'string' ? pattern.split('.') : pattern;
  const walk = (v: Json | undefined, i: number, path: string): void => {
    if (v === undefined) return;
    if (i === segs.length) {
      out.push({ path, value: v });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    const seg = segs[i]!;
    if (seg !== '*') {
      if (!Array.isArray(v)) walk(own(v, seg), i + 1, path === '' ? seg : `${path}.${seg}`);
      return;
    }
    if (Array.isArray(v)) v.forEach((x, j) => walk(x, i + 1, `${path}[${j}]`));
    else for (const [k, x] of Object.entries(v)) walk(x, i + 1, `${path}.${k}`);
  };
  walk(body, 0, '');
  return out;
}

/** `emailTemplate` → `email template`: the words for a wire kind kickstand does not manage (it has no title). */
function words(kind: string): string {
  return kind.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}

/** The graph address of an entry, or of an object known by its id only. */
const entryRef = (kind: KindName, key: string): string => `${kind}:${key}`;

/**
 * The dependency graph of the loaded files. Nodes: every entry (sorted by dependency level, kind and key), preceded by
 * the external objects the entries refer to by an id no entry has (sorted by kind and id). Edges: `from` uses `to`,
 * once per pair, in node order.
 */
export function configGraph(desired: Pick<DesiredState, 'resources' | 'idNamespace'>, kinds: readonly KindDef[]): ConfigGraph {
  const byName = new Map(kinds.map((k) => [k.name, k]));
  const title = (kind: KindName): string => byName.get(kind)?.title ?? words(kind);
  const levels = topoLevels(kinds);
  const order = (k: KindName): number => kinds.findIndex((d) => d.name === k);
  const entries = [...desired.resources].sort((a, b) =>
    (levels.get(a.kind)! - levels.get(b.kind)!) || (order(a.kind) - order(b.kind)) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const nodes = new Map<string, GraphNode>();
  // The entry each id addresses, by kind then lowercase id: a reference written as a UUID may name an entry.
  const byId = new Map<KindName, Map<string, string>>();
  for (const r of entries) {
    const kind = byName.get(r.kind);
    const id = kind?.wire.singleton ? undefined : (r.id?.toLowerCase() ?? derivedId(r.kind, r.key, desired.idNamespace));
    const name = kind ? r.body[kind.nameField] : undefined;
    const ref = entryRef(r.kind, r.key);
    nodes.set(ref, { ref, kind: r.kind, title: title(r.kind), key: r.key, ...(id ? { id } : {}), ...(typeof name === 'string' ? { name } : {}) });
    if (id) {
      const ids = byId.get(r.kind) ?? new Map<string, string>();
      byId.set(r.kind, ids);
      ids.set(id, ref);
    }
  }

  const external = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const link = (from: string, to: string, via: GraphEdge['via']): void => {
    if (from === to) return;
    const k = `${from}\n${to}\n${via}`;
    if (!edges.has(k)) edges.set(k, { from, to, via });
  };
  // Each kind's reference paths split once (a plan of thousands of entries walks them all for each entry).
  const splitRefs = new Map(kinds.map((k) => [k.name, k.wire.refs.map((x) => ({ kind: x.kind, segs: x.path.split('.') }))]));
  for (const r of entries) {
    const from = entryRef(r.kind, r.key);
    if (r.parent) link(from, entryRef(r.parent.kind, r.parent.key), 'parent');
    const byKey = new Map(r.refs.map((x) => [x.path, x]));
    for (const wireRef of splitRefs.get(r.kind) ?? []) {
      // Skip at once a reference whose top-level field the entry does not write.
      if (own(r.body, wireRef.segs[0]!) === undefined) continue;
      for (const { path, value } of refValues(r.body, wireRef.segs)) {
        const keyed = byKey.get(path);
        if (keyed) {
          const to = entryRef(keyed.kind, keyed.key);
          // A key no entry declares is the loader's error; drawn all the same, as an object outside the files.
          if (!nodes.has(to) && !external.has(to)) external.set(to, { ref: to, kind: keyed.kind, title: title(keyed.kind), key: keyed.key, external: true });
          link(from, to, 'ref');
          continue;
        }
        if (typeof value !== 'string' || !isUuid(value)) continue;
        const id = value.toLowerCase();
        const entry = byId.get(wireRef.kind)?.get(id);
        if (entry) {
          link(from, entry, 'ref');
          continue;
        }
        const to = entryRef(wireRef.kind, id);
        if (!external.has(to)) external.set(to, { ref: to, kind: wireRef.kind, title: title(wireRef.kind), id, external: true });
        link(from, to, 'ref');
      }
    }
  }

  const outside = [...external.values()].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  const all = [...outside, ...nodes.values()];
  const index = new Map(all.map((n, i) => [n.ref, i]));
  const sortedEdges = [...edges.values()].sort((a, b) => (index.get(a.from)! - index.get(b.from)!) || (index.get(a.to)! - index.get(b.to)!) || (a.via < b.via ? -1 : a.via > b.via ? 1 : 0));
  return { nodes: all, edges: sortedEdges };
}

/**
 * The part of a configuration graph a plan changes: every object with a change that writes (a delete's object added
 * when the files no longer hold it), the objects it refers to and that refer to it (context, without an action), and
 * the edges that touch a changed object. A child written in a parent that is created or replaced travels in the
 * parent's create body (it is no change of its own): it is shown as created.
 */
export function changeGraph(full: ConfigGraph, changes: readonly Change[]): ConfigGraph {
  const actions = new Map<string, Change>();
  for (const c of changes) if (c.action !== 'noop') actions.set(entryRef(c.kind, c.key), c);
  const nodes = new Map(full.nodes.map((n) => [n.ref, n]));
  const created = (ref: string): boolean => {
    const a = actions.get(ref)?.action;
    return a === 'create' || a === 'replace';
  };
  const childOfCreated = new Set(full.edges.filter((e) => e.via === 'parent' && created(e.to) && !actions.has(e.from)).map((e) => e.from));
  const actionOf = (ref: string): ChangeAction | undefined => actions.get(ref)?.action ?? (childOfCreated.has(ref) ? 'create' : undefined);
  const changed = (ref: string): boolean => actionOf(ref) !== undefined;

  const edges = full.edges.filter((e) => changed(e.from) || changed(e.to));
  const keep = new Set<string>([...full.nodes.filter((n) => changed(n.ref)).map((n) => n.ref), ...edges.flatMap((e) => [e.from, e.to])]);
  const out: GraphNode[] = [];
  for (const n of full.nodes) {
    if (!keep.has(n.ref)) continue;
    const action = actionOf(n.ref);
    const c = actions.get(n.ref);
    out.push({ ...n, ...(c?.id ? { id: c.id } : {}), ...(c?.name !== undefined ? { name: c.name } : {}), ...(action ? { action } : {}) });
  }
  // A delete's object is no longer an entry of the files: it is added from its change.
  for (const [ref, c] of actions) {
    if (nodes.has(ref)) continue;
    out.push({ ref, kind: c.kind, title: c.title, key: c.key, ...(c.id ? { id: c.id } : {}), ...(c.name !== undefined ? { name: c.name } : {}), action: c.action });
  }
  return { nodes: out, edges };
}
