/**
 * Matching a file entry to a live object: its pinned id; else its derived id (UUIDv5 of `kind:key` in the file's
 * namespace, so repeated and retried runs address the same object); else a unique live object with the same name
 * (adoption; applications only within their tenant); else it will be created with the derived id.
 */
import { describeLive } from './describe.js';
import { resourceWhere } from './diagnostics.js';
import { getPath, splitPath, type KindDef } from './kind.js';
import { cloneJson, setIn } from './normalize.js';
import type { Change, DesiredResource, DesiredState, Diagnostic, JsonObject, KindName } from './types.js';
import { sameId, uuidV5 } from './uuid.js';

/** Derived ids computed so far (namespace, then `kind:key`); emptied when it reaches `DERIVED_MEMO_MAX` entries. */
const derivedMemo = new Map<string, string>();
const DERIVED_MEMO_MAX = 50_000;

/**
 * The derived id of a file entry: stable across runs for the same namespace, kind and key. Remembered, because a
 * plan asks for each entry's id twice (claiming ids, then matching) and a SHA-1 per call was ~5 µs.
 */
export function derivedId(kind: string, key: string, namespace: string): string {
  const memoKey = `${namespace}\n${kind}:${key}`;
  const known = derivedMemo.get(memoKey);
  if (known !== undefined) return known;
  const id = uuidV5(`${kind}:${key}`, namespace);
  if (derivedMemo.size >= DERIVED_MEMO_MAX) derivedMemo.clear();
  derivedMemo.set(memoKey, id);
  return id;
}

/**
 * The ids the files address, by kind: each entry's pinned id, else its derived id (lowercase). What a kind that
 * FusionAuth cannot list reads (src/kinds/api.ts `addressedCollection`).
 */
export function addressedIds(desired: Pick<DesiredState, 'resources' | 'idNamespace'>): Partial<Record<KindName, string[]>> {
  const out: Partial<Record<KindName, string[]>> = {};
  for (const r of desired.resources) (out[r.kind] ??= []).push(r.id?.toLowerCase() ?? derivedId(r.kind, r.key, desired.idNamespace));
  return out;
}

/**
 * Each addressed id's entry in words (`entry "ci" at kickstand.yaml:12`), by kind: for a message about reading the
 * object of a kind that can only be read by id.
 */
export function addressedEntries(desired: Pick<DesiredState, 'resources' | 'idNamespace'>): Partial<Record<KindName, Map<string, string>>> {
  const out: Partial<Record<KindName, Map<string, string>>> = {};
  for (const r of desired.resources) {
    const id = r.id?.toLowerCase() ?? derivedId(r.kind, r.key, desired.idNamespace);
    (out[r.kind] ??= new Map()).set(id, `entry "${r.key}" at ${r.source.entry.file}:${r.source.entry.line}`);
  }
  return out;
}

/**
 * The bodies of the files' entries by kind and addressed id (pinned or derived, lowercase), each reference to a
 * declared entry written as that entry's addressed id: what a kind's listing may look its objects up by before the plan
 * has matched anything (`ListContext.addressedBody`). A reference to an entry adopted by name or match field is the
 * entry's derived id here, not yet the live object's. Built on the first call, one copy per entry of the kind asked for.
 */
export function addressedBodies(desired: Pick<DesiredState, 'resources' | 'idNamespace'>): (kind: KindName, id: string) => JsonObject | undefined {
  const idOf = (r: DesiredResource): string => r.id?.toLowerCase() ?? derivedId(r.kind, r.key, desired.idNamespace);
  let byKey: Map<string, DesiredResource> | undefined;
  const built = new Map<KindName, Map<string, JsonObject>>();
  return (kind, id) => {
    let bodies = built.get(kind);
    if (!bodies) {
      byKey ??= new Map(desired.resources.map((r) => [`${r.kind}\n${r.key}`, r]));
      bodies = new Map();
      for (const r of desired.resources) {
        if (r.kind !== kind) continue;
        const body = cloneJson(r.body);
        for (const ref of r.refs) {
          const target = byKey.get(`${ref.kind}\n${ref.key}`);
          if (target) setIn(body, splitPath(ref.path), idOf(target));
        }
        bodies.set(idOf(r), body);
      }
      built.set(kind, bodies);
    }
    return bodies.get(id.toLowerCase());
  };
}

/** How one file entry matched. `id` is undefined only when matching failed (see diagnostics). */
export interface MatchResult {
  id?: string;
  match: Change['match'];
  live?: JsonObject;
  diagnostics: Diagnostic[];
}

/** What matching one resource needs besides the resource itself. */
export interface MatchContext {
  kind: KindDef;
  idNamespace: string;
  /** The live objects of the kind. */
  live: readonly JsonObject[];
  /** Lowercase ids of live objects already matched to other file entries: never adopted twice. */
  claimed: ReadonlySet<string>;
  /** For kinds whose names are unique per tenant: the tenant the entry belongs to (when known). */
  tenantId?: string;
  /** Live objects the kind's listing found for addressed ids by a lookup of its own (`LiveState.found`). */
  found?: ReadonlyMap<string, string>;
}

const liveId = (o: JsonObject): string | undefined => (typeof o.id === 'string' ? o.id.toLowerCase() : undefined);

const indexes = new WeakMap<readonly JsonObject[], { size: number; byId: Map<string, JsonObject> }>();

/**
 * The live objects of a kind by lowercase id (the first object of each id, as a linear search would find it). Built
 * once per list and reused: matching each of n entries by scanning n live objects made planning quadratic (5,000
 * resources: 25 million comparisons). Rebuilt if the list grew or shrank since.
 */
export function liveById(live: readonly JsonObject[]): ReadonlyMap<string, JsonObject> {
  let index = indexes.get(live);
  if (!index || index.size !== live.length) {
    const byId = new Map<string, JsonObject>();
    for (const o of live) {
      const id = liveId(o);
      if (id !== undefined && !byId.has(id)) byId.set(id, o);
    }
    index = { size: live.length, byId };
    indexes.set(live, index);
  }
  return index.byId;
}

function inactiveError(r: DesiredResource, kind: KindDef, id: string, live: JsonObject): Diagnostic {
  return {
    severity: 'error',
    message: `${describeLive(kind, live)} is soft-deleted (inactive) in FusionAuth; it cannot be updated until it is reactivated (PUT ${kind.wire.path ?? ''}/${id}?reactivate=true) or deleted permanently`,
    where: resourceWhere(r),
  };
}

/** Match one file entry (see the module comment). Pure. */
export function matchResource(r: DesiredResource, ctx: MatchContext): MatchResult {
  const { kind, live } = ctx;
  const byId = (id: string) => liveById(live).get(id.toLowerCase());
  const nameValue = r.body[kind.nameField];
  const sameName = (o: JsonObject) =>
    typeof nameValue === 'string' && o[kind.nameField] === nameValue
    && (kind.uniqueName !== 'perTenant' || !kind.tenantField || ctx.tenantId === undefined || sameId(o[kind.tenantField], ctx.tenantId));

  if (r.id) {
    const id = r.id.toLowerCase();
    const found = byId(id);
    if (found) {
      return { id, match: 'pinned-id', live: found, diagnostics: kind.isInactive?.(found) ? [inactiveError(r, kind, id, found)] : [] };
    }
    const other = foundFor(id, ctx);
    if (other) {
      return {
        id, match: 'new',
        diagnostics: [{
          severity: 'error',
          message: `the ${kind.title} this entry describes already exists with id ${liveId(other) ?? '?'} (${kind.foundBy ?? 'found by the kind\'s own lookup'}), but the file pins id ${id}; pin ${liveId(other) ?? '?'} or remove the pinned id to adopt it`,
          where: resourceWhere(r, 'id'),
        }],
      };
    }
    if (kind.matchFields) {
      // A login id another object holds: creating this entry with its pinned id would fail with [duplicate].
      const held = matchByFields(r, ctx, id);
      if (!held.live) return { id, match: 'new', diagnostics: held.diagnostics };
      const field = held.field!;
      return {
        id, match: 'new',
        diagnostics: [{
          severity: 'error',
          message: `a ${kind.title} with this ${field} already exists with id ${liveId(held.live) ?? '?'}, but the file pins id ${id}; remove the pinned id to adopt the existing ${kind.title}, or choose another ${field}`,
          where: resourceWhere(r, 'id'),
        }],
      };
    }
    // FusionAuth keeps names unique (tenants and messengers globally, applications per tenant, reference §11.4):
    // creating this entry with its pinned id would fail with [duplicate]…name.
    const clash = live.find((o) => sameName(o) && !ctx.claimed.has(liveId(o) ?? ''));
    const diagnostics: Diagnostic[] = clash ? [{
      severity: 'error',
      message: `a ${kind.title} named "${String(nameValue)}" already exists with id ${liveId(clash) ?? '?'}, but the file pins id ${id}; remove the pinned id to adopt the existing ${kind.title}, or choose another name`,
      where: resourceWhere(r, 'id'),
    }] : [];
    return { id, match: 'new', diagnostics };
  }

  const derived = derivedId(kind.name, r.key, ctx.idNamespace);
  const found = byId(derived);
  if (found) {
    return { id: derived, match: 'derived-id', live: found, diagnostics: kind.isInactive?.(found) ? [inactiveError(r, kind, derived, found)] : [] };
  }
  const other = foundFor(derived, ctx);
  if (other) return { id: liveId(other)!, match: 'adopted-by-name', live: other, diagnostics: [] };
  if (kind.matchFields) return matchByFields(r, ctx, derived);

  const candidates = live.filter((o) => sameName(o) && !ctx.claimed.has(liveId(o) ?? ''));
  const active = candidates.filter((o) => !kind.isInactive?.(o));
  if (active.length === 1) return { id: liveId(active[0]!)!, match: 'adopted-by-name', live: active[0]!, diagnostics: [] };
  if (active.length > 1) {
    return {
      match: 'adopted-by-name',
      diagnostics: [{
        severity: 'error',
        message: `${active.length} live ${kind.wire.plural} are named "${String(nameValue)}" (ids ${active.map((o) => liveId(o)).join(', ')}); kickstand cannot tell which one this entry means: pin one with \`id\``,
        where: resourceWhere(r, kind.nameField),
      }],
    };
  }
  if (candidates.length > 0) {
    return {
      id: derived,
      match: 'new',
      diagnostics: [{
        severity: 'error',
        message: `the name "${String(nameValue)}" is held by the soft-deleted ${kind.title} ${liveId(candidates[0]!) ?? '?'}; reactivate or permanently delete it first (FusionAuth keeps an inactive ${kind.title}'s name reserved)`,
        where: resourceWhere(r, kind.nameField),
      }],
    };
  }
  return { id: derived, match: 'new', diagnostics: [] };
}

/** A value of a match field as compared: case folded when the field says so (`KindDef.matchFields`). */
function matchValue(v: unknown, fold: boolean | undefined): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  return fold ? v.toLowerCase() : v;
}

/** Per live list and field, the live objects by compared value (built once per plan: matching n entries stays linear). */
const fieldIndexes = new WeakMap<readonly JsonObject[], Map<string, Map<string, JsonObject[]>>>();

function byFieldValue(live: readonly JsonObject[], path: string, fold: boolean | undefined): Map<string, JsonObject[]> {
  let perList = fieldIndexes.get(live);
  if (!perList) fieldIndexes.set(live, (perList = new Map()));
  const key = `${path}\n${fold ? 1 : 0}\n${live.length}`;
  let index = perList.get(key);
  if (!index) {
    index = new Map();
    for (const o of live) {
      const v = matchValue(getPath(o, path), fold);
      if (v === undefined) continue;
      const list = index.get(v);
      if (list) list.push(o);
      else index.set(v, [o]);
    }
    perList.set(key, index);
  }
  return index;
}

/**
 * Adoption by the kind's match fields (a user's email, else username, else phone number), within the entry's tenant:
 * the first field the entry writes that a live object holds decides. Several live objects with the value (in one tenant
 * FusionAuth keeps login ids unique, so only when the tenant is unknown) is an error naming them.
 */
function matchByFields(r: DesiredResource, ctx: MatchContext, fallbackId: string): MatchResult & { field?: string } {
  const { kind } = ctx;
  const inTenant = (o: JsonObject) => !kind.tenantField || ctx.tenantId === undefined || sameId(o[kind.tenantField], ctx.tenantId);
  for (const f of kind.matchFields ?? []) {
    const want = matchValue(getPath(r.body, f.path), f.fold);
    if (want === undefined) continue;
    const candidates = (byFieldValue(ctx.live, f.path, f.fold).get(want) ?? []).filter((o) => inTenant(o) && !ctx.claimed.has(liveId(o) ?? ''));
    if (candidates.length === 1) return { id: liveId(candidates[0]!)!, match: 'adopted-by-name', live: candidates[0]!, diagnostics: [], field: f.path };
    if (candidates.length > 1) {
      return {
        match: 'adopted-by-name',
        diagnostics: [{
          severity: 'error',
          message: `${candidates.length} live ${kind.wire.plural ?? kind.title} have this ${f.path} (ids ${candidates.map((o) => liveId(o)).join(', ')}); kickstand cannot tell which one this entry means: pin one with \`id\` or write tenantId`,
          where: resourceWhere(r, f.path),
        }],
      };
    }
  }
  return { id: fallbackId, match: 'new', diagnostics: [] };
}

/** The live object the kind's listing found for an addressed id (`MatchContext.found`), unless another entry has it. */
function foundFor(id: string, ctx: MatchContext): JsonObject | undefined {
  const liveIdFound = ctx.found?.get(id);
  if (liveIdFound === undefined || ctx.claimed.has(liveIdFound)) return undefined;
  return liveById(ctx.live).get(liveIdFound);
}
