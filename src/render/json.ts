/**
 * The JSON rendering of a plan and of an apply result, documented in docs/plan-format.md. Stable output: kickstand's
 * own objects keep a fixed key order (fields added later follow, sorted), resource data (`before`, `after`, field
 * values) has its keys sorted, so the same plan always gives the same bytes whatever order the server returned.
 */
import type { Masker } from '../core/mask.js';
import type { ApplyResult, Plan } from '../core/types.js';
import { redactApplyResult, redactPlan } from './redact.js';
import { escapeJsonText } from './text.js';

/** Options of the JSON renderings. */
export interface JsonOptions {
  /**
   * The run's secrets to mask by value in the data before it is serialised (see `HumanOptions.mask`): masking the
   * serialised text instead would miss a secret whose characters JSON escapes, and could rewrite keys or structure.
   */
  mask?: Masker;
}

/** The version of the JSON formats of this module. A breaking change to either format bumps it. */
export const FORMAT_VERSION = 2;

/** Resource data: keys sorted at every depth, arrays in order. */
function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortDeep((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

type Shape = { keys: string[]; children?: Record<string, (v: unknown) => unknown> };

/** An object with the listed keys first, in that order, then any other keys sorted; values shaped per key. */
function shaped(v: unknown, shape: Shape): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return sortDeep(v);
  const o = v as Record<string, unknown>;
  const rest = Object.keys(o).filter((k) => !shape.keys.includes(k)).sort();
  const out: Record<string, unknown> = {};
  for (const k of [...shape.keys, ...rest]) {
    if (!(k in o) || o[k] === undefined) continue;
    const child = shape.children?.[k];
    out[k] = child ? child(o[k]) : sortDeep(o[k]);
  }
  return out;
}

const list = (f: (v: unknown) => unknown) => (v: unknown) => (Array.isArray(v) ? v.map(f) : sortDeep(v));

const where = (v: unknown) => shaped(v, { keys: ['file', 'line', 'column', 'path', 'kind', 'key'] });
const diagnostic = (v: unknown) => shaped(v, { keys: ['severity', 'message', 'where'], children: { where } });
const field = (v: unknown) => shaped(v, { keys: ['path', 'sensitive', 'forcesReplacement', 'before', 'after'] });
const change = (v: unknown) =>
  shaped(v, {
    keys: ['action', 'kind', 'title', 'key', 'id', 'name', 'match', 'level', 'tenantId', 'parent', 'source', 'secretPaths', 'fields', 'before', 'after', 'consequence'],
    children: { source: where, fields: list(field), parent: (p) => shaped(p, { keys: ['kind', 'key', 'id'] }), secretPaths: (p) => p },
  });

const unmanaged = (v: unknown) =>
  shaped(v, { keys: ['kind', 'title', 'id', 'name', 'parent', 'builtIn', 'inactive'], children: { parent: (p) => shaped(p, { keys: ['kind', 'title', 'key', 'id'] }) } });
const graph = (v: unknown) =>
  shaped(v, {
    keys: ['nodes', 'edges'],
    children: {
      nodes: list((n) => shaped(n, { keys: ['ref', 'kind', 'title', 'key', 'id', 'name', 'action', 'external'] })),
      edges: list((e) => shaped(e, { keys: ['from', 'to', 'via'] })),
    },
  });

/** Two-space JSON with a trailing newline; characters that could act on a terminal are escaped (same meaning). */
function print(v: unknown): string {
  return `${escapeJsonText(JSON.stringify(v, null, 2))}\n`;
}

/** The plan (redacted) as a shaped object: formatVersion 1, stable key order. */
function planDocument(plan: Plan, mask: Masker | undefined): unknown {
  return shaped(
    { ...redactPlan(plan, mask), formatVersion: FORMAT_VERSION },
    {
      keys: ['formatVersion', 'target', 'serverVersion', 'licensed', 'summary', 'diagnostics', 'changes'],
      children: {
        summary: (s) => shaped(s, { keys: ['create', 'update', 'replace', 'delete', 'noop'] }),
        diagnostics: list(diagnostic),
        changes: list(change),
        unmanaged: list(unmanaged),
        unmanagedUnknown: list((k) => shaped(k, { keys: ['kind', 'title'] })),
        graph,
      },
    },
  );
}

/** The apply result as a shaped object: formatVersion 1, stable key order. */
function applyDocument(result: ApplyResult, mask: Masker | undefined): unknown {
  return shaped(
    { ...redactApplyResult(result, mask), formatVersion: FORMAT_VERSION },
    {
      keys: ['formatVersion', 'summary', 'diagnostics', 'outcomes', 'afterWrites'],
      children: {
        summary: (s) => shaped(s, { keys: ['applied', 'failed', 'skipped'] }),
        afterWrites: list((a) => shaped(a, { keys: ['kind', 'request', 'status'] })),
        diagnostics: list(diagnostic),
        outcomes: list((o) =>
          shaped(o, { keys: ['kind', 'title', 'key', 'id', 'match', 'action', 'status', 'durationMs', 'error'], children: { error: list(diagnostic) } }),
        ),
      },
    },
  );
}

/** The plan as JSON (redacted): formatVersion 1, stable key order, 2-space indent, trailing newline. */
export function renderPlanJson(plan: Plan, opts: JsonOptions = {}): string {
  return print(planDocument(plan, opts.mask));
}

/** The apply result as JSON: formatVersion 1, stable key order, 2-space indent, trailing newline. */
export function renderApplyJson(result: ApplyResult, opts: JsonOptions = {}): string {
  return print(applyDocument(result, opts.mask));
}

/**
 * What `kickstand apply --format json` prints: `{ "formatVersion": 1, "plan": …, "apply": … }`, the plan as
 * `renderPlanJson` and the result as `renderApplyJson` shape them; `apply` is null when nothing was to be done.
 */
export function renderPlanAndApplyJson(plan: Plan, result: ApplyResult | null, opts: JsonOptions = {}): string {
  return print({ formatVersion: FORMAT_VERSION, plan: planDocument(plan, opts.mask), apply: result ? applyDocument(result, opts.mask) : null });
}
