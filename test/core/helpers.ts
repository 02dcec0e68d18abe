/** Hand-built desired and live state for reconciler unit tests (the config loader is not involved). */
import type { PlanOptions } from '../../src/core/plan.js';
import type { DesiredResource, DesiredState, JsonObject, KindName, LiveState, ResourceRef, SourceMap, SourcePos } from '../../src/core/types.js';
import { isJsonObject } from '../../src/core/normalize.js';
import { KINDS } from '../../src/kinds/index.js';

/** Plan options with the registry of kinds (what the engine passes), for `computePlan(desired, live, { ...PLAN, … })`. */
export const PLAN: Pick<PlanOptions, 'kinds'> = { kinds: KINDS };

/** The namespace the tests derive ids in. */
export const NS = '5b2a3a4e-9d0f-4c55-8a3e-0d6c3c1b7f10';

/**
 * A source map over a fake file: `lines` maps dotted paths to line numbers; like the loader's, a path that was not
 * written falls back to its nearest written ancestor, then to the entry.
 */
export function fakeSource(file: string, entryLine: number, lines: Record<string, number> = {}): SourceMap {
  const entry: SourcePos = { file, line: entryLine, column: 3 };
  return {
    file,
    entry,
    pos(path: string): SourcePos {
      let p = path;
      while (p !== '') {
        const line = lines[p];
        if (line !== undefined) return { file, line, column: 5 };
        const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        p = cut < 0 ? '' : p.slice(0, cut);
      }
      return entry;
    },
  };
}

let nextLine = 1;

/** One desired resource. */
export function res(kind: KindName, key: string, body: JsonObject, opts: { id?: string; refs?: ResourceRef[]; lines?: Record<string, number> } = {}): DesiredResource {
  const line = (nextLine += 10);
  const r: DesiredResource = { kind, key, body, refs: opts.refs ?? [], source: fakeSource('kickstand.yaml', line, opts.lines) };
  if (opts.id) r.id = opts.id;
  return r;
}

/**
 * A desired state of these resources. Children written inside a parent's body (an application's `roles`) become
 * resources of their child kind, as the loader makes them (keyed `<parent key>/<name>`).
 */
export function desiredOf(resources: DesiredResource[], secrets: string[] = []): DesiredState {
  const all: DesiredResource[] = [];
  for (const written of resources) {
    const children = KINDS.filter((k) => k.parent?.kind === written.kind);
    const body: JsonObject = { ...written.body };
    for (const child of children) delete body[child.parent!.field];
    const r: DesiredResource = children.length > 0 ? { ...written, body } : written;
    all.push(r);
    for (const child of children) {
      const field = child.parent!.field;
      const items = written.body[field];
      if (!Array.isArray(items)) continue;
      items.forEach((item, j) => {
        if (!isJsonObject(item) || typeof item[child.parent!.keyField] !== 'string') return;
        // Positions inside the parent's entry, as the loader's child source maps give them.
        const at = (p: string) => (p === '' ? `${field}[${j}]` : `${field}[${j}].${p}`);
        const source: SourceMap = { file: r.source.file, entry: r.source.pos(at('')), pos: (p) => r.source.pos(at(p)) };
        all.push({ kind: child.name, key: `${r.key}/${String(item[child.parent!.keyField])}`, body: { ...item }, refs: [], source, parent: { kind: r.kind, key: r.key } });
      });
    }
  }
  return { resources: all, idNamespace: NS, secrets, diagnostics: [], files: ['kickstand.yaml'] };
}

/**
 * A live state: licensed 1.69.0 unless told otherwise; `defaultTenantId` sets the designated tenant. The live children
 * of each child kind are read from their parents' objects, as the child kind's API does.
 */
export function liveOf(objects: LiveState['objects'], opts: Partial<Omit<LiveState, 'objects'>> & { defaultTenantId?: string } = {}): LiveState {
  const { defaultTenantId, ...rest } = opts;
  const state: LiveState = { serverVersion: '1.69.0', licensed: true, defaults: {}, parentIds: {}, ...rest, objects: { ...objects } };
  if (defaultTenantId) state.defaults = { ...state.defaults, tenant: defaultTenantId };
  for (const child of KINDS.filter((k) => k.parent)) {
    if (state.objects[child.name]) continue;
    const parentIds = new Map<string, string>();
    const children: JsonObject[] = [];
    for (const p of state.objects[child.parent!.kind] ?? []) {
      const items = p[child.parent!.field];
      if (!Array.isArray(items)) continue;
      for (const c of items) {
        if (!isJsonObject(c) || typeof c.id !== 'string') continue;
        children.push(c);
        parentIds.set(c.id.toLowerCase(), String(p.id).toLowerCase());
      }
    }
    state.objects[child.name] = children;
    state.parentIds[child.name] = parentIds;
  }
  return state;
}

/** The default tenant id used by the tests. */
export const DEFAULT_TENANT = '7d3e1f2a-1111-4b2c-9a0d-6f4e2b1c0a99';
