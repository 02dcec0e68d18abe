/** Hand-built desired and live state for reconciler unit tests (the config loader is not involved). */
import type { DesiredResource, DesiredState, JsonObject, KindName, ResourceRef, SourceMap, SourcePos } from '../../src/core/types.js';
import type { LiveState } from '../../src/state/fetch.js';

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

/** A desired state of these resources. */
export function desiredOf(resources: DesiredResource[], secrets: string[] = []): DesiredState {
  return { resources, idNamespace: NS, secrets, diagnostics: [], files: ['kickstand.yaml'] };
}

/** A live state: licensed 1.69.0 unless told otherwise. */
export function liveOf(objects: LiveState['objects'], opts: Partial<Omit<LiveState, 'objects'>> = {}): LiveState {
  return { serverVersion: '1.69.0', licensed: true, ...opts, objects };
}

/** The default tenant id used by the tests. */
export const DEFAULT_TENANT = '7d3e1f2a-1111-4b2c-9a0d-6f4e2b1c0a99';
