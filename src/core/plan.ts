/**
 * The planner: desired state + live state → Plan. PURE: no I/O, no clock, no randomness — the same inputs always give
 * the same plan, which is what makes `plan` and `apply` share one engine and makes golden tests possible.
 */
import { describeLive, ObjectDirectory } from './describe.js';
import { resourceWhere, sortDiagnostics } from './diagnostics.js';
import { diffOverlay, flattenBody, type DiffRules, type KeyedList } from './diff.js';
import { changeGraph, configGraph } from './graph.js';
import { getPath, splitPath, type KindDef, type LockedField, type PlanContext } from './kind.js';
import { derivedId, liveById, matchResource, type MatchResult } from './match.js';
import { NameRegistry, type NameScope } from './names.js';
import { cloneJson, dropNulls, omitPaths, patternMatches, setIn } from './normalize.js';
import { entryLevels, type LevelledEntry } from './order.js';
import { preflight } from './preflight.js';
import type { Change, DesiredResource, DesiredState, Diagnostic, Json, JsonObject, KindName, LiveState, Plan } from './types.js';
import { unmanagedObjects, type Managed } from './unmanaged.js';
import { isUuid, sameId } from './uuid.js';

/** Options of a plan. */
export interface PlanOptions {
  /** Server URL without credentials, shown in the plan. */
  target: string;
  /** Turn a change of an immutable field into delete-and-create instead of an error (`--allow-replace`). */
  allowReplace?: boolean;
  /** The registry of kinds (src/kinds/index.ts): the planner knows no kind by name. */
  kinds: readonly KindDef[];
  /** The API key the plan will be applied with, for kinds' plan checks (`KindDef.checkPlan`); never printed. */
  apiKey?: string;
  /** The requests apply will send for a change, for kinds' plan checks (`PlanContext.requests`). */
  requests?: PlanContext['requests'];
  /** List the live objects the files do not manage (`Plan.unmanaged`, `--show-unmanaged`). */
  showUnmanaged?: boolean;
  /** Add the graph of what changes (`Plan.graph`, `--graph`). */
  graph?: boolean;
}

const refKey = (kind: KindName, key: string) => `${kind}:${key}`;

/**
 * The tenant a resource of a tenant-scoped kind belongs to: its `tenantField` (a key reference resolved through
 * `ids`, or a UUID), else the Default tenant — an application written without `tenantId` goes to the Default tenant.
 */
function tenantOf(r: DesiredResource, kind: KindDef, ids: ReadonlyMap<string, string>, defaults: LiveState['defaults'], implied?: ImpliedTenant): string | undefined {
  const field = kind.tenantField;
  if (!field || kind.tenantless?.(r.body)) return undefined;
  const ref = r.refs.find((x) => x.path === field);
  if (ref) return ids.get(refKey(ref.kind, ref.key));
  const v = r.body[field];
  if (isUuid(v)) return v.toLowerCase();
  if (v === undefined || v === null) {
    const fromChild = kind.impliedTenant && implied ? implied(r, kind.impliedTenant) : undefined;
    // null: the child names an object whose tenant the plan cannot know (an application referred to by id only); the
    // server then decides from the object, so no tenant is assumed.
    if (fromChild !== undefined) return fromChild ?? undefined;
  }
  // The field refers to the tenant kind (its wire reference); absent, the object goes to that kind's designated one.
  const target = kind.wire.refs.find((x) => x.path === field)?.kind;
  return v === undefined || v === null ? (target ? defaults[target] : undefined) : undefined;
}

/**
 * The tenant an entry's first child refers to (`KindDef.impliedTenant`): its id; null when the child names an object
 * whose tenant is not known here; undefined when there is no such child.
 */
type ImpliedTenant = (r: DesiredResource, how: NonNullable<KindDef['impliedTenant']>) => string | null | undefined;

/**
 * The create-only fields of an entry of an existing object (`KindDef.createOnlyFields`) that the plan leaves alone,
 * and the body without them (and without the reset switch, which is never sent). With the reset switch on, the fields
 * it names stay in the body and are compared (and sent) like any other.
 */
function withoutCreateOnly(kind: KindDef, body: JsonObject): { body: JsonObject; skipped: string[] } {
  const reset = kind.createOnlyReset;
  const resetOn = reset !== undefined && body[reset.field] === true;
  const left = (kind.createOnlyFields ?? []).filter((p) => !(resetOn && reset.fields.includes(p)));
  const skipped = left.filter((p) => getPath(body, p) !== undefined);
  const compared = withoutResetSwitch(kind, body);
  return { body: skipped.length > 0 ? omitPaths(compared, skipped) : compared, skipped };
}

/** The entry's body as sent on a create or replace: without the reset switch of create-only fields, the file's alone. */
function withoutResetSwitch(kind: KindDef, body: JsonObject): JsonObject {
  const reset = kind.createOnlyReset?.field;
  return reset !== undefined && body[reset] !== undefined ? omitPaths(body, [reset]) : body;
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
 * The locked field a change at `path` touches: the same path, one below it, or one above it (a whole block), unless the
 * change is at or below one of the lock's exceptions.
 */
function lockAt(locked: readonly LockedField[], path: string): LockedField | undefined {
  const under = (p: string, q: string): boolean => p === q || p.startsWith(`${q}.`);
  return locked.find((l) => (l.path === '' || under(path, l.path) || l.path.startsWith(`${path}.`)) && !(l.except ?? []).some((e) => under(path, e)));
}

/**
 * Errors for the changes of one entry that FusionAuth would not make (`KindDef.lockedFields`): a changed field of a
 * locked object, or any write to a child of a parent whose child collection is locked. Why an error and not a silent
 * skip: the file asks for a state the server never reaches; left alone the change would be "applied" on every run and
 * planned again on every plan (the FusionAuth application's redirect URLs, [DEC-APP] `_update`).
 */
function lockedDiagnostics(r: DesiredResource, kind: KindDef, change: Change, live: JsonObject | undefined, parentLock: LockedField | undefined): Diagnostic[] {
  if (change.action === 'noop') return [];
  if (parentLock) {
    const what = `${kind.title}${change.name !== undefined ? ` "${change.name}"` : ''}`;
    return [{
      severity: 'error',
      message: `${what} cannot be ${change.action === 'create' ? 'added' : 'changed'}: ${parentLock.reason}; remove it from this entry`,
      where: resourceWhere(r, ''),
    }];
  }
  if (!live || change.action !== 'update') return [];
  const locked = kind.lockedFields(live);
  if (locked.length === 0) return [];
  const out: Diagnostic[] = [];
  for (const f of change.fields) {
    const lock = lockAt(locked, f.path);
    if (!lock) continue;
    const values = f.sensitive ? '' : ` from ${JSON.stringify(f.before ?? null)} to ${JSON.stringify(f.after ?? null)}`;
    out.push({
      severity: 'error',
      message: `${f.path} cannot change${values}: ${lock.reason}; remove it from this entry`,
      where: resourceWhere(r, f.path),
    });
  }
  return out;
}

/**
 * The secret-field patterns of one resource: its kind's secret fields and the paths where the file substituted a
 * sensitive variable or an environment value (`a[0].b` written as the pattern `a.0.b`).
 */
function secretPatterns(kind: KindDef, r: DesiredResource): readonly string[] {
  if (!r.sensitivePaths) return kind.secretFields;
  return [...kind.secretFields, ...r.sensitivePaths.map((p) => splitPath(p).join('.'))];
}

/** Who holds a name on the server once the plan is applied, for `nameCollisions`. */
interface NameHolder {
  scope: NameScope;
  /** The live object that has (or keeps) the name; absent for an object the plan creates. */
  live?: JsonObject;
  /** The entry that gives (or keeps) the name; absent for a live object no entry manages. */
  entry?: DesiredResource;
  /** What the plan does to the name: nothing (`keeps`), or writes it with a create, replace or rename (update). */
  action: 'keeps' | 'create' | 'replace' | 'update';
}

/**
 * Names the plan would leave taken twice where FusionAuth keeps them unique (`KindDef.uniqueName`). Each entry whose
 * create, replace or rename gives its object a name that another object keeps after the plan — a live object no entry
 * renames away (also one another entry adopted or is pinned to), or an object another entry creates or renames to
 * that name first — is an error at its `name` line. Why: FusionAuth refuses it with [duplicate]<kind>.name only when
 * the write is sent, after the changes before it were applied. Entries whose matching already failed are left to that
 * error. Names are compared exactly, as the emulator's resources do.
 */
function nameCollisions(ordered: DesiredResource[], matches: Map<DesiredResource, MatchResult>, changes: Change[], live: LiveState, kinds: readonly KindDef[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const entryOf = new Map(ordered.map((r) => [refKey(r.kind, r.key), r]));
  for (const kind of kinds) {
    // A child is identified by its name within its parent: its name cannot move onto another child's.
    if (!kind.uniqueName || kind.uniqueName === 'perParent') continue;
    const perTenant = kind.uniqueName === 'perTenant' && kind.tenantField !== undefined;
    // A tenant-scoped object's scope: its tenant, or every tenant when it belongs to none; undefined when unknown.
    const scopeOf = (obj: JsonObject, tenantId: unknown): NameScope | undefined => {
      if (!perTenant) return { global: true };
      if (kind.tenantless?.(obj) === true) return { everyTenant: true };
      return typeof tenantId === 'string' ? { tenant: tenantId.toLowerCase() } : undefined;
    };
    const liveTenant = (o: JsonObject) => (kind.tenantField ? o[kind.tenantField] : undefined);
    const mine = changes.filter((c) => c.kind === kind.name);
    const byId = new Map(mine.filter((c) => c.before).map((c) => [c.id, c]));
    const holders: Array<{ name: string; holder: NameHolder }> = [];
    // Objects that keep their name are claimed first: a live object no entry manages, or one whose entry leaves its name.
    for (const o of live.objects[kind.name] ?? []) {
      const name = o[kind.nameField];
      const scope = scopeOf(o, liveTenant(o));
      const c = typeof o.id === 'string' ? byId.get(o.id.toLowerCase()) : undefined;
      if (typeof name !== 'string' || !scope) continue;
      if (!c) holders.push({ name, holder: { scope, live: o, action: 'keeps' } });
      else if (c.action !== 'replace' && c.name === name) holders.push({ name, holder: { scope, live: o, entry: entryOf.get(refKey(c.kind, c.key))!, action: 'keeps' } });
    }
    for (const c of mine) {
      const r = entryOf.get(refKey(c.kind, c.key))!;
      if (c.name === undefined || (c.before && c.action !== 'replace' && c.before[kind.nameField] === c.name)) continue;
      if ((matches.get(r)?.diagnostics.length ?? 0) > 0) continue;
      // A created object goes to the tenant the plan sends it to; an existing one stays in its own (tenantId is immutable).
      const scope = c.action === 'create' || c.action === 'replace' ? scopeOf(r.body, c.tenantId) : scopeOf(c.before!, liveTenant(c.before!));
      const action = c.action === 'create' || c.action === 'replace' ? c.action : 'update';
      if (scope) holders.push({ name: c.name, holder: { scope, ...(c.before ? { live: c.before } : {}), entry: r, action } });
    }
    const registry = new NameRegistry<NameHolder>();
    for (const { name, holder } of holders) {
      const clash = registry.claim(name, holder.scope, holder);
      if (!clash || holder.action === 'keeps' || !holder.entry) continue;
      out.push({ severity: 'error', message: collisionMessage(kind, name, holder, clash, perTenant), where: resourceWhere(holder.entry, kind.nameField) });
    }
  }
  return out;
}

/** The message of a name collision: what this entry does, who holds the name, and what FusionAuth would answer. */
function collisionMessage(kind: KindDef, name: string, holder: NameHolder, clash: NameHolder, perTenant: boolean): string {
  // A live object as the message names it: its current name and id, and the key of the entry that manages it.
  const label = (h: NameHolder) => describeLive(kind, h.live, h.entry?.key);
  const doing = holder.action === 'create' ? `creating ${kind.title} "${name}"`
    : holder.action === 'replace' ? `replacing ${label(holder)} by one named "${name}"`
      : `renaming ${label(holder)} to "${name}"`;
  const at = (r: DesiredResource) => `${r.source.entry.file}:${r.source.entry.line}`;
  let held: string;
  if (clash.action !== 'keeps' && clash.entry) {
    held = `entry "${clash.entry.key}" (${at(clash.entry)}) ${clash.action === 'update' ? `renames ${describeLive(kind, clash.live)} to it` : `creates a ${kind.title} with it`} first`;
  } else if (clash.entry) {
    held = `${describeLive(kind, clash.live)} has it and entry "${clash.entry.key}" (${at(clash.entry)}) keeps it`;
  } else {
    const inactive = clash.live && kind.isInactive?.(clash.live) === true ? ' (soft-deleted: it keeps its name until it is deleted permanently)' : '';
    held = `${describeLive(kind, clash.live)} has it${inactive} and no entry of these files renames it`;
  }
  const everywhere = 'everyTenant' in holder.scope || 'everyTenant' in clash.scope ? ' (one of them belongs to no tenant, so its name is taken in every tenant)' : '';
  return `${doing} would take a name in use: ${held}${everywhere}; FusionAuth keeps ${kind.title} names unique${perTenant ? ' within a tenant' : ''} ` +
    `and would refuse it with [duplicate]${kind.wire.singular}.${kind.nameField} after the changes before it were applied`;
}

/**
 * The live objects of a child kind grouped by their parent's id, once per plan (grouping for each child would make a
 * plan of many roles quadratic).
 */
function childrenByParent(kind: KindDef, live: LiveState): Map<string, JsonObject[]> {
  const out = new Map<string, JsonObject[]>();
  const parents = live.parentIds[kind.name];
  for (const o of live.objects[kind.name] ?? []) {
    const parentId = typeof o.id === 'string' ? parents?.get(o.id.toLowerCase()) : undefined;
    if (parentId === undefined) continue;
    const list = out.get(parentId);
    if (list) list.push(o);
    else out.set(parentId, [o]);
  }
  return out;
}

/**
 * Match a child entry within its parent's live children: by pinned id, by derived id, else by its key field (a
 * role's name), which is how FusionAuth itself tells a parent's children apart. Never an adoption: the key field is
 * the child's identity, and a child the files do not mention is left alone.
 */
function matchChild(r: DesiredResource, kind: KindDef, children: readonly JsonObject[], idNamespace: string, ids: ReadonlyMap<string, string>): MatchResult {
  const byId = liveById(children);
  const pinned = r.id?.toLowerCase();
  const derived = derivedId(kind.name, r.key, idNamespace);
  const found = (pinned !== undefined ? byId.get(pinned) : undefined) ?? byId.get(derived);
  if (found) return { id: (found.id as string).toLowerCase(), match: pinned !== undefined ? 'pinned-id' : 'derived-id', live: found, diagnostics: [] };
  const keyField = kind.parent!.keyField;
  // A key field that is a reference (a registration's application) is compared as the id it resolves to.
  const ref = r.refs.find((x) => x.path === keyField);
  const key = ref ? ids.get(refKey(ref.kind, ref.key)) : r.body[keyField];
  const same = children.find((o) => (isUuid(key) ? sameId(o[keyField], key) : o[keyField] === key));
  if (same) return { id: (same.id as string).toLowerCase(), match: 'child-key', live: same, diagnostics: [] };
  return { id: pinned ?? derived, match: 'new', diagnostics: [] };
}

/**
 * Match the entry of a singleton kind (system configuration) to the one object the server holds: it always exists,
 * so a server that answered without it is an error, never a create.
 */
function matchSingleton(r: DesiredResource, kind: KindDef, live: readonly JsonObject[]): MatchResult {
  const obj = live[0];
  if (obj) return { match: 'singleton', live: obj, diagnostics: [] };
  return {
    match: 'singleton',
    diagnostics: [{ severity: 'error', message: `FusionAuth returned no ${kind.title}, which every server has; kickstand cannot create one`, where: resourceWhere(r) }],
  };
}

/** Compute the plan. See the module comment; the rules are those of issue 4 ("Matching", "The diff", "Preflight"). */
export function computePlan(desired: DesiredState, live: LiveState, options: PlanOptions): Plan {
  const kinds = options.kinds;
  const kindByName = (name: KindName): KindDef => {
    const k = kinds.find((d) => d.name === name);
    if (!k) throw new Error(`unknown kind ${name}`);
    return k;
  };
  // Write levels: kinds after the kinds they refer to, and an entry after the entries of its own kind it refers to (a
  // theme copied from another theme the plan may create first).
  const levelled = new Map<DesiredResource, LevelledEntry>(desired.resources.map((r) => [r, { kind: r.kind, key: r.key, sameKindRefs: r.refs.filter((x) => x.kind === r.kind).map((x) => x.key) }]));
  const { level: entryLevel, cycles } = entryLevels(kinds, [...levelled.values()]);
  const levelOf = (r: DesiredResource): number => entryLevel(levelled.get(r)!);
  const kindOrder = (k: KindName) => kinds.findIndex((d) => d.name === k);
  const ordered = [...desired.resources].sort((a, b) =>
    (levelOf(a) - levelOf(b)) || (kindOrder(a.kind) - kindOrder(b.kind)) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const declared = new Set(ordered.map((r) => refKey(r.kind, r.key)));
  const diagnostics: Diagnostic[] = [];
  const resourceOf = new Map([...levelled].map(([r, e]) => [e, r]));
  for (const { entry, through } of cycles) {
    const r = resourceOf.get(entry)!;
    const ref = r.refs.find((x) => x.kind === r.kind && x.key === through[1]);
    diagnostics.push({
      severity: 'error',
      message: `${kindByName(r.kind).title} entries refer to each other in a cycle (${through.join(' → ')}): none of them can be written first`,
      where: resourceWhere(r, ref?.path ?? ''),
    });
  }
  const liveOf = (k: KindName) => live.objects[k] ?? [];

  // Ids addressed by pinned or derived ids are claimed first, so that adoption by name never takes an object another
  // entry owns by id.
  const claimed = new Map<KindName, Set<string>>();
  for (const r of ordered) {
    if (kindByName(r.kind).wire.singleton) continue;
    const id = r.id?.toLowerCase() ?? derivedId(r.kind, r.key, desired.idNamespace);
    const set = claimed.get(r.kind) ?? new Set<string>();
    claimed.set(r.kind, set);
    if (liveById(liveOf(r.kind)).has(id)) set.add(id);
  }

  // Match in level order: an application's tenant (which scopes its name) is matched before the application, a parent
  // before its children.
  const ids = new Map<string, string>();
  const matches = new Map<DesiredResource, MatchResult>();
  const byRef = new Map(ordered.map((r) => [refKey(r.kind, r.key), r]));
  // The child entries of each parent entry, in the order written (a parent's create body carries them).
  const childrenOf = new Map<string, DesiredResource[]>();
  for (const r of ordered) {
    if (!r.parent) continue;
    const k = refKey(r.parent.kind, r.parent.key);
    const list = childrenOf.get(k);
    if (list) list.push(r);
    else childrenOf.set(k, [r]);
  }
  const fileOrder = (a: DesiredResource, b: DesiredResource) => a.source.entry.line - b.source.entry.line || a.source.entry.column - b.source.entry.column;
  for (const list of childrenOf.values()) list.sort(fileOrder);
  const implied: ImpliedTenant = (r, how) => {
    const first = (childrenOf.get(refKey(r.kind, r.key)) ?? []).find((c) => c.kind === how.childKind);
    const targetKind = first ? kindByName(how.childKind).wire.refs.find((x) => x.path === how.ref)?.kind : undefined;
    const target = targetKind !== undefined ? kinds.find((k) => k.name === targetKind) : undefined;
    if (!first || !target?.tenantField) return undefined;
    const ref = first.refs.find((x) => x.path === how.ref);
    if (ref) {
      const entry = byRef.get(refKey(ref.kind, ref.key));
      return (entry ? tenantOf(entry, target, ids, live.defaults) : undefined) ?? null;
    }
    const v = first.body[how.ref];
    if (!isUuid(v)) return undefined;
    const id = v.toLowerCase();
    // The object whose tenant is a kind's designated one (the FusionAuth admin application: the Default tenant).
    const designating = kinds.find((k) => k.designated?.kind === target.name && k.designated.id === id && k.designated.field === target.tenantField);
    if (designating) return live.defaults[designating.name] ?? null;
    const t = liveById(liveOf(target.name)).get(id)?.[target.tenantField];
    return typeof t === 'string' && isUuid(t) ? t.toLowerCase() : null;
  };
  const liveChildren = new Map(kinds.filter((k) => k.parent).map((k) => [k.name, childrenByParent(k, live)]));
  for (const r of ordered) {
    const kind = kindByName(r.kind);
    let m: MatchResult;
    if (kind.wire.singleton) {
      m = matchSingleton(r, kind, liveOf(r.kind));
    } else if (kind.parent && r.parent) {
      const parentEntry = byRef.get(refKey(r.parent.kind, r.parent.key));
      const parent = parentEntry ? matches.get(parentEntry) : undefined;
      const siblings = parent?.live && parent.id ? liveChildren.get(kind.name)?.get(parent.id) ?? [] : [];
      m = matchChild(r, kind, siblings, desired.idNamespace, ids);
    } else {
      const tenantId = tenantOf(r, kind, ids, live.defaults, implied);
      const set = claimed.get(r.kind)!;
      const found = live.found?.[r.kind];
      m = matchResource(r, { kind, idNamespace: desired.idNamespace, live: liveOf(r.kind), claimed: set, ...(tenantId ? { tenantId } : {}), ...(found ? { found } : {}) });
      if (m.id && m.match === 'adopted-by-name') set.add(m.id);
    }
    matches.set(r, m);
    diagnostics.push(...m.diagnostics);
    if (m.id) ids.set(refKey(r.kind, r.key), m.id);
  }

  // The names messages give the ids they show (built on the first message that needs it).
  let directory: ObjectDirectory | undefined;
  const names = (): ObjectDirectory => {
    directory ??= new ObjectDirectory(
      ordered.flatMap((r) => {
        const id = ids.get(refKey(r.kind, r.key));
        const name = r.body[kindByName(r.kind).nameField];
        return id ? [{ kind: r.kind, key: r.key, id, ...(typeof name === 'string' ? { name } : {}) }] : [];
      }),
      live,
      kinds,
    );
    return directory;
  };

  const changes: Change[] = [];
  const changeOf = new Map<string, Change>();
  /** The entry's body with its references resolved to ids (a reference whose target matched nowhere is left as written). */
  const resolvedBody = (r: DesiredResource): JsonObject => {
    const resolved = cloneJson(r.body);
    for (const ref of r.refs) {
      const id = ids.get(refKey(ref.kind, ref.key));
      if (id) setIn(resolved, splitPath(ref.path), id);
    }
    return resolved;
  };
  // Create-only fields that existing objects' entries write, by kind: said once per kind (see `KindDef.createOnlyFields`).
  const createOnlySkipped = new Map<KindName, { fields: Set<string>; keys: string[] }>();
  for (const r of ordered) {
    const kind = kindByName(r.kind);
    const m = matches.get(r)!;
    const resolved = resolvedBody(r);
    for (const ref of r.refs) {
      if (!ids.has(refKey(ref.kind, ref.key)) && !declared.has(refKey(ref.kind, ref.key))) {
        diagnostics.push({ severity: 'error', message: `refers to ${ref.kind} "${ref.key}", which is not declared in the files`, where: resourceWhere(r, ref.path) });
      }
      // A declared target whose matching failed already carries its own error.
    }
    const stripped = omitPaths(resolved, kind.serverFields);
    // What the server would store of it (its own normalisation, e.g. trimmed texts): compared and sent as such.
    const body = kind.normalize ? kind.normalize(stripped) : stripped;
    const server = { version: live.serverVersion, licensed: live.licensed };
    if (kind.wire.singleton ? !m.live : !m.id) {
      diagnostics.push(...preflight({ resource: r, kind, body }, server));
      continue;
    }
    const parentChange = r.parent ? changeOf.get(refKey(r.parent.kind, r.parent.key)) : undefined;
    if (kind.parent && (parentChange === undefined || parentChange.action === 'create' || parentChange.action === 'replace')) {
      // A child of a parent being created travels in the parent's create body (added below); a child of a parent
      // whose matching failed has nothing to be written to.
      if (parentChange) diagnostics.push(...preflight({ resource: r, kind, body }, server));
      continue;
    }
    const tenantId = tenantOf(r, kind, ids, live.defaults, implied);
    const secretPaths = [...secretPatterns(kind, r)];
    const rules: DiffRules = { serverFields: kind.serverFields, setFields: kind.setFields, secretFields: secretPaths, secrets: desired.secrets, ...(kind.exactFields ? { exactFields: kind.exactFields } : {}), ...(kind.keyedLists ? { keyedLists: keyedListsOf(kind, body) } : {}) };
    const change: Change = {
      action: 'noop', kind: r.kind, title: kind.title, key: r.key, ...(m.id ? { id: m.id } : {}), match: m.match, level: levelOf(r), fields: [],
      source: r.source.entry, secretPaths,
    };
    const name = body[kind.nameField] ?? m.live?.[kind.nameField];
    if (typeof name === 'string') change.name = name;
    if (kind.tenantField && tenantId) change.tenantId = tenantId;
    if (parentChange?.id) change.parent = { kind: parentChange.kind, key: parentChange.key, id: parentChange.id };

    if (!m.live) {
      change.action = 'create';
      change.after = dropNulls(withoutResetSwitch(kind, body));
    } else {
      change.before = cloneJson(m.live);
      const createOnly = withoutCreateOnly(kind, body);
      if (createOnly.skipped.length > 0) {
        const seen = createOnlySkipped.get(kind.name) ?? { fields: new Set<string>(), keys: [] };
        for (const f of createOnly.skipped) seen.fields.add(f);
        seen.keys.push(r.key);
        createOnlySkipped.set(kind.name, seen);
      }
      const compared = createOnly.body;
      // The implied tenant of an application written without tenantId is compared too: it decides where it lives.
      const withTenant: JsonObject = kind.tenantField && tenantId && compared[kind.tenantField] === undefined ? { ...compared, [kind.tenantField]: tenantId } : compared;
      // A write-only field the server does not return cannot be compared: only a create or a replace sends it.
      const current = m.live;
      const unreadable = kind.writeOnlyFields.filter((p) => getPath(current, p) === undefined);
      // A field kickstand's schema does not know (kept with --allow-unknown-fields) that the live object lacks: a
      // FusionAuth that does not know a field ignores it and never returns it (its Jackson binding drops unknown
      // properties: live 1.46 evidence in src/emulator/shape.ts), so comparing it would show the same update on every
      // plan. It is left out of the comparison and named once, as a warning, as a field that cannot be compared.
      const unreturned = (r.unknownPaths ?? []).filter((p) => getPath(current, p) === undefined && getPath(withTenant, p) !== undefined);
      for (const p of unreturned) {
        diagnostics.push({
          severity: 'warning',
          message: `cannot be compared: FusionAuth does not return this field, which kickstand's schema does not know (a FusionAuth that does not know a field ignores it); it is sent only when the ${kind.title} is created or replaced`,
          where: resourceWhere(r, p),
        });
      }
      const readable = unreturned.length > 0 ? withoutPaths(withTenant, unreturned) : withTenant;
      const effective = unreadable.length > 0 ? omitPaths(readable, unreadable) : readable;
      const { fields, patch } = diffOverlay(effective, withImmutableDefaults(kind, m.live), rules);
      const isImmutable = (path: string) => kind.immutableFields.find((i) => path === i.path || path.startsWith(`${i.path}.`));
      const immutable = fields.filter((f) => isImmutable(f.path));
      const isProtected = kind.neverRemoved === true || kind.isProtected(m.live, { defaults: live.defaults });
      if (immutable.length > 0 && options.allowReplace && !isProtected) {
        change.action = 'replace';
        change.after = dropNulls(withoutResetSwitch(kind, body));
        change.fields = fields.map((f) => (isImmutable(f.path) ? { ...f, forcesReplacement: true } : f));
      } else {
        for (const f of immutable) {
          const rule = isImmutable(f.path)!;
          // A reference field's ids are shown as the objects they name (`tenant "Acme" (key acme, id …)`).
          const target = refTarget(kind, f.path);
          const show = (v: Json | undefined) => (target !== undefined ? names().value(target, v) : JSON.stringify(v ?? null));
          const values = f.sensitive ? '' : ` from ${show(f.before)} to ${show(f.after)}`;
          const fix = isProtected
            ? ` This ${kind.title} is protected: kickstand never deletes or replaces it.`
            : ` Run with --allow-replace to delete the ${kind.title} and create it again (its id is kept).`;
          diagnostics.push({ severity: 'error', message: `${f.path} cannot change${values}: ${rule.reason}.${fix}`, where: resourceWhere(r, f.path) });
        }
        if (fields.length > 0) {
          change.action = 'update';
          change.after = patch;
          change.fields = fields;
        }
      }
    }
    // A child of a live parent whose child collection FusionAuth locks (the FusionAuth application's roles).
    const parentEntry = r.parent ? byRef.get(refKey(r.parent.kind, r.parent.key)) : undefined;
    const parentLive = parentEntry ? matches.get(parentEntry)?.live : undefined;
    const parentLock = kind.parent && parentLive ? lockAt(kindByName(kind.parent.kind).lockedFields(parentLive), kind.parent.field) : undefined;
    diagnostics.push(...lockedDiagnostics(r, kind, change, m.live, parentLock));
    const consequence = change.action === 'replace' ? kind.consequences?.replace ?? kind.consequences?.delete
      : change.action === 'delete' ? kind.consequences?.delete : undefined;
    if (consequence !== undefined) change.consequence = consequence;
    if (change.action === 'create' || change.action === 'replace') addChildrenToCreate(change, childrenOf.get(refKey(r.kind, r.key)) ?? [], kinds, resolvedBody);
    // A create lists every field it writes; a replace keeps the field changes that explain it.
    if (change.action === 'create') change.fields = flattenBody(change.after!, rules);
    changes.push(change);
    changeOf.set(refKey(r.kind, r.key), change);
    diagnostics.push(...preflight({ resource: r, kind, body, change }, server));
  }

  for (const [name, { fields, keys }] of createOnlySkipped) diagnostics.push(createOnlyNote(kindByName(name), [...fields], keys));
  diagnostics.push(...nameCollisions(ordered, matches, changes, live, kinds));
  const ctx: PlanContext = {
    live, resources: desired.resources, target: options.target,
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}), ...(options.requests ? { requests: options.requests } : {}),
  };
  for (const kind of kinds) {
    if (kind.checkPlan) diagnostics.push(...kind.checkPlan(changes, ctx));
  }

  const summary = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const c of changes) summary[c.action]++;
  const plan: Plan = {
    formatVersion: 2,
    target: options.target,
    serverVersion: live.serverVersion,
    licensed: live.licensed,
    changes,
    summary,
    diagnostics: sortDiagnostics(diagnostics),
  };
  if (options.showUnmanaged) Object.assign(plan, unmanagedObjects(kinds, live, managedBy(ordered, matches, changes)));
  if (options.graph) plan.graph = changeGraph(configGraph(desired, kinds), changes);
  return plan;
}

/**
 * A copy of `obj` without the values at `paths`: concrete dotted paths whose `[n]` segments step into list items
 * (`connectorPolicies[0].newField`), unlike `omitPaths`' patterns, which stop at lists.
 */
function withoutPaths(obj: JsonObject, paths: readonly string[]): JsonObject {
  const out = cloneJson(obj) as JsonObject;
  for (const p of paths) {
    const segs = splitPath(p);
    const last = segs.pop();
    let cur: Json | undefined = out;
    for (const seg of segs) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, Json>)[seg] : undefined;
    if (last !== undefined && cur !== null && typeof cur === 'object' && !Array.isArray(cur)) delete cur[last];
  }
  return out;
}

/** The kind a reference field of `kind` points to (a wire reference, `*` matching any segment), if `path` is one. */
function refTarget(kind: KindDef, path: string): KindName | undefined {
  const segs = splitPath(path);
  return kind.wire.refs.find((r) => patternMatches(r.path, segs))?.kind;
}

/** The live objects the entries matched, by kind, with the managing entry's key (for `unmanagedObjects`). */
function managedBy(ordered: readonly DesiredResource[], matches: ReadonlyMap<DesiredResource, MatchResult>, changes: readonly Change[]): Managed {
  const ids = new Map<KindName, Set<string>>();
  const keys = new Map<KindName, Map<string, string>>();
  const removed = new Map<KindName, Set<string>>();
  for (const c of changes) {
    if ((c.action !== 'replace' && c.action !== 'delete') || c.id === undefined) continue;
    if (!removed.has(c.kind)) removed.set(c.kind, new Set());
    removed.get(c.kind)!.add(c.id.toLowerCase());
  }
  for (const r of ordered) {
    const live = matches.get(r)?.live;
    if (!live || typeof live.id !== 'string') continue;
    const id = live.id.toLowerCase();
    if (!ids.has(r.kind)) ids.set(r.kind, new Set());
    if (!keys.has(r.kind)) keys.set(r.kind, new Map());
    ids.get(r.kind)!.add(id);
    keys.get(r.kind)!.set(id, r.key);
  }
  return { declared: new Set(ordered.map((r) => r.kind)), ids, keys, removed };
}

/**
 * A parent being created (or re-created) carries its children in its create body, in the order written: FusionAuth
 * creates an application's roles from its create request (reference §5.3), one request instead of one per role.
 */
function addChildrenToCreate(change: Change, children: readonly DesiredResource[], kinds: readonly KindDef[], resolvedBody: (r: DesiredResource) => JsonObject): void {
  for (const child of kinds.filter((k) => k.parent?.kind === change.kind)) {
    const field = child.parent!.field;
    const entries = children.filter((c) => c.kind === child.name);
    if (entries.length === 0) continue;
    change.after = { ...change.after, [field]: entries.map((c) => dropNulls(omitPaths(resolvedBody(c), child.serverFields))) };
    // The children's secrets are the parent change's to mask now: `roles.2.description`, `roles.*.<secret field>`.
    change.secretPaths.push(...child.secretFields.map((p) => `${field}.*.${p}`));
    entries.forEach((c, i) => change.secretPaths.push(...(c.sensitivePaths ?? []).map((p) => `${field}.${i}.${splitPath(p).join('.')}`)));
  }
}

/**
 * The one warning of a plan about the create-only fields that entries of existing objects write (`KindDef.createOnlyFields`):
 * which fields, how many entries, and how to set them again where the kind allows it. Never a change: FusionAuth does
 * not return a password, and the other fields are create options or state the server owns after creation.
 */
function createOnlyNote(kind: KindDef, fields: readonly string[], keys: readonly string[]): Diagnostic {
  const shown = keys.slice(0, 3).join(', ') + (keys.length > 3 ? `, and ${keys.length - 3} more` : '');
  const reset = kind.createOnlyReset;
  const again = reset ? `; write ${reset.field}: true on an entry to set ${reset.fields.join(', ')} again` : '';
  const entries = keys.length === 1 ? `1 existing ${kind.title} (${shown})` : `${keys.length} existing ${kind.title}s (${shown})`;
  return {
    severity: 'warning',
    message: `${[...fields].sort().join(', ')}: used only when kickstand creates a ${kind.title}, so not compared for ${entries}${again}`,
    where: { kind: kind.name },
  };
}

/** A kind's keyed lists for one entry: complete where the entry's `completeField` says so (core/diff.ts `KeyedList`). */
function keyedListsOf(kind: KindDef, body: JsonObject): KeyedList[] {
  return (kind.keyedLists ?? []).map(({ completeField, ...list }) => ({ ...list, complete: completeField !== undefined && body[completeField] === true }));
}
