/**
 * The planner: desired state + live state → Plan. PURE: no I/O, no clock, no randomness — the same inputs always give
 * the same plan, which is what makes `plan` and `apply` share one engine and makes golden tests possible.
 */
import { resourceWhere, sortDiagnostics } from './diagnostics.js';
import { diffChildren, diffOverlay, flattenBody, type DiffRules } from './diff.js';
import { getPath, splitPath, type KindDef } from './kind.js';
import { derivedId, liveById, matchResource, type MatchResult } from './match.js';
import { cloneJson, dropNulls, omitPaths, setIn } from './normalize.js';
import { kindLevels } from './order.js';
import { preflight } from './preflight.js';
import type { Change, DesiredResource, DesiredState, Diagnostic, JsonObject, KindName, Plan, SubChange } from './types.js';
import { isUuid } from './uuid.js';
import { KINDS, kindByName } from '../kinds/index.js';
import type { LiveState } from '../state/fetch.js';

/** Options of a plan. */
export interface PlanOptions {
  /** Server URL without credentials, shown in the plan. */
  target: string;
  /** Turn a change of an immutable field into delete-and-create instead of an error (`--allow-replace`). */
  allowReplace?: boolean;
}

const refKey = (kind: KindName, key: string) => `${kind}:${key}`;

/**
 * The tenant a resource of a tenant-scoped kind belongs to: its `tenantField` (a key reference resolved through
 * `ids`, or a UUID), else the Default tenant — an application written without `tenantId` goes to the Default tenant.
 */
function tenantOf(r: DesiredResource, kind: KindDef, ids: ReadonlyMap<string, string>, defaultTenantId: string | undefined): string | undefined {
  const field = kind.tenantField;
  if (!field || kind.tenantless?.(r.body)) return undefined;
  const ref = r.refs.find((x) => x.path === field);
  if (ref) return ids.get(refKey(ref.kind, ref.key));
  const v = r.body[field];
  if (isUuid(v)) return v.toLowerCase();
  return v === undefined || v === null ? defaultTenantId : undefined;
}

/** The live object with the declared defaults of absent immutable fields filled in (a copy when anything is filled). */
function withImmutableDefaults(kind: KindDef, live: JsonObject): JsonObject {
  const missing = kind.immutableFields.filter((f) => f.default !== undefined && getPath(live, f.path) === undefined);
  if (missing.length === 0) return live;
  const copy = cloneJson(live);
  for (const f of missing) setIn(copy, splitPath(f.path), f.default!);
  return copy;
}

/**
 * The secret-field patterns of one resource: its kind's secret fields and the paths where the file substituted a
 * sensitive variable or an environment value (`a[0].b` written as the pattern `a.0.b`).
 */
function secretPatterns(kind: KindDef, r: DesiredResource): readonly string[] {
  if (!r.sensitivePaths) return kind.secretFields;
  return [...kind.secretFields, ...r.sensitivePaths.map((p) => splitPath(p).join('.'))];
}

/** Compute the plan. See the module comment; the rules are those of issue 4 ("Matching", "The diff", "Preflight"). */
export function computePlan(desired: DesiredState, live: LiveState, options: PlanOptions): Plan {
  const levels = kindLevels(KINDS);
  const kindOrder = (k: KindName) => KINDS.findIndex((d) => d.name === k);
  const ordered = [...desired.resources].sort((a, b) =>
    (levels.get(a.kind)! - levels.get(b.kind)!) || (kindOrder(a.kind) - kindOrder(b.kind)) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const declared = new Set(ordered.map((r) => refKey(r.kind, r.key)));
  const diagnostics: Diagnostic[] = [];
  const liveOf = (k: KindName) => live.objects[k] ?? [];

  // Ids addressed by pinned or derived ids are claimed first, so that adoption by name never takes an object another
  // entry owns by id.
  const claimed = new Map<KindName, Set<string>>();
  for (const r of ordered) {
    const id = r.id?.toLowerCase() ?? derivedId(r.kind, r.key, desired.idNamespace);
    const set = claimed.get(r.kind) ?? new Set<string>();
    claimed.set(r.kind, set);
    if (liveById(liveOf(r.kind)).has(id)) set.add(id);
  }

  // Match in level order: an application's tenant (which scopes its name) is matched before the application.
  const ids = new Map<string, string>();
  const matches = new Map<DesiredResource, MatchResult>();
  for (const r of ordered) {
    const kind = kindByName(r.kind);
    const tenantId = tenantOf(r, kind, ids, live.defaultTenantId);
    const set = claimed.get(r.kind)!;
    const m = matchResource(r, { kind, idNamespace: desired.idNamespace, live: liveOf(r.kind), claimed: set, ...(tenantId ? { tenantId } : {}) });
    matches.set(r, m);
    diagnostics.push(...m.diagnostics);
    if (m.id) {
      ids.set(refKey(r.kind, r.key), m.id);
      if (m.match === 'adopted-by-name') set.add(m.id);
    }
  }

  const changes: Change[] = [];
  for (const r of ordered) {
    const kind = kindByName(r.kind);
    const m = matches.get(r)!;
    const resolved = cloneJson(r.body);
    for (const ref of r.refs) {
      const id = ids.get(refKey(ref.kind, ref.key));
      if (id) setIn(resolved, splitPath(ref.path), id);
      else if (!declared.has(refKey(ref.kind, ref.key))) {
        diagnostics.push({ severity: 'error', message: `refers to ${ref.kind} "${ref.key}", which is not declared in the files`, where: resourceWhere(r, ref.path) });
      }
      // A declared target whose matching failed already carries its own error.
    }
    const body = omitPaths(resolved, kind.serverFields);
    const tenantId = tenantOf(r, kind, ids, live.defaultTenantId);
    if (!m.id) {
      diagnostics.push(...preflight({ resource: r, kind, body }, { version: live.serverVersion, licensed: live.licensed }));
      continue;
    }
    const rules: DiffRules = {
      serverFields: kind.serverFields, setFields: kind.setFields, secretFields: secretPatterns(kind, r), secrets: desired.secrets,
      skip: (kind.children ?? []).map((c) => c.field),
    };
    const change: Change = {
      action: 'noop', kind: r.kind, key: r.key, id: m.id, match: m.match, level: levels.get(r.kind)!, fields: [], source: r.source.entry,
    };
    const name = body[kind.nameField] ?? m.live?.[kind.nameField];
    if (typeof name === 'string') change.name = name;
    if (kind.tenantField && tenantId) change.tenantId = tenantId;

    if (!m.live) {
      change.action = 'create';
      change.after = dropNulls(body);
      change.fields = flattenBody(change.after, rules);
    } else {
      change.before = cloneJson(m.live);
      // The implied tenant of an application written without tenantId is compared too: it decides where it lives.
      const effective: JsonObject = kind.tenantField && tenantId && body[kind.tenantField] === undefined ? { ...body, [kind.tenantField]: tenantId } : body;
      const { fields, patch } = diffOverlay(effective, withImmutableDefaults(kind, m.live), rules);
      const subChanges: SubChange[] = (kind.children ?? []).flatMap((c) => diffChildren(c, body[c.field], m.live![c.field], rules));
      const immutable = fields.filter((f) => kind.immutableFields.some((i) => f.path === i.path || f.path.startsWith(`${i.path}.`)));
      const isProtected = kind.isProtected(m.live, live.defaultTenantId ? { defaultTenantId: live.defaultTenantId } : {});
      if (immutable.length > 0 && options.allowReplace && !isProtected) {
        change.action = 'replace';
        change.after = dropNulls(body);
        change.fields = fields;
      } else {
        for (const f of immutable) {
          const rule = kind.immutableFields.find((i) => f.path === i.path || f.path.startsWith(`${i.path}.`))!;
          const values = f.sensitive ? '' : ` from ${JSON.stringify(f.before ?? null)} to ${JSON.stringify(f.after ?? null)}`;
          const fix = isProtected
            ? ` This ${kind.title} is protected: kickstand never deletes or replaces it.`
            : ` Run with --allow-replace to delete the ${kind.title} and create it again (its id is kept).`;
          diagnostics.push({ severity: 'error', message: `${f.path} cannot change${values}: ${rule.reason}.${fix}`, where: resourceWhere(r, f.path) });
        }
        if (fields.length > 0 || subChanges.length > 0) {
          change.action = 'update';
          change.after = patch;
          change.fields = fields;
          if (subChanges.length > 0) change.subChanges = subChanges;
        }
      }
    }
    changes.push(change);
    diagnostics.push(...preflight({ resource: r, kind, body, change }, { version: live.serverVersion, licensed: live.licensed }));
  }

  const summary = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const c of changes) summary[c.action]++;
  return {
    formatVersion: 1,
    target: options.target,
    serverVersion: live.serverVersion,
    licensed: live.licensed,
    changes,
    summary,
    diagnostics: sortDiagnostics(diagnostics),
  };
}
