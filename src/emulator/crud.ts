/**
 * The one resource pipeline every emulated kind goes through: create (with or without a client-chosen id), retrieve,
 * retrieve all, PUT, the three PATCH flavours and delete, with the codes FusionAuth's shared service code gives every
 * kind in one place — 400 `[couldNotConvert]` for a path id that does not convert to a UUID (`pathId`), `[missing]<singular>` for a
 * missing envelope, `[duplicate]<idField>` for a client id in use, `[blank]`/`[tooLong]`/`[duplicate]` on unique
 * names, `[invalid]` on references (refs.ts), "in use" on delete, 404 with an empty body for an unknown id.
 *
 * A singleton kind (wire `singleton`: the system configuration) is one object at the path itself, without an id: GET,
 * PUT and the three PATCH flavours there, through the same steps (`singletonWrite`).
 *
 * A kind is a `KindSpec` (kinds/<kind>.ts): its wire row, its scope, its server-owned fields, its defaults, and only
 * its real rules as hooks. Handlers stay the size of the ones in google-cloud-go's `pstest` fake: read the path id,
 * look the object up, run the spec's hooks, store, reply.
 */
import { pluralOf } from '../core/kind.js';
import type { Json, JsonObject } from '../core/types.js';
import { WIRE, type WireKind } from '../fusionauth/wire.js';
import { bootDefaults, type BootDefaults, type DefaultsContext } from './defaults.js';
import { Errors, invalidJson } from './errors.js';
import type { EmulatorRequest, Reply, Route, RouteModule } from './http.js';
import { normaliseSets, replacedIn, type ListRules } from './lists.js';
import { applyJsonPatch, applyMergePatch, applyOriginalPatch, patchFlavour, PatchError } from './patch.js';
import { bindEnvelope } from './shape.js';
import { checkRefs, inUseErrors, rememberRefs, removeNow, usages, valuesAt, type RefSelection, type Usage } from './refs.js';
import { col, type EmulatorState } from './state.js';
import { tenantForCreate, tenantScope } from './tenancy.js';
import { at, blank, copy, isObject, isUuid, pathUuid, sameId, sameName, without, words } from './values.js';

/** What every hook sees of a request. */
export interface Call {
  state: EmulatorState;
  req: EmulatorRequest;
  spec: KindSpec;
  /** The request body as an object (`{}` when absent or not an object): the envelope's siblings live here. */
  body: JsonObject;
  /** The tenant the `X-FusionAuth-TenantId` header names, once the pipeline resolved it for a kind that reads it. */
  scope?: string;
}

/** A create or update on its way to the store. */
export interface Write extends Call {
  mode: 'create' | 'put' | 'patch';
  /** The client-chosen id of a create, or the id of the object updated. */
  id?: string;
  /** The stored object an update replaces. */
  existing?: JsonObject;
  /** The object in the request envelope (after a PATCH: the patched object) as sent; absent for a copy. */
  sent?: JsonObject;
  /** The object to validate and store: server-owned fields dropped, defaults filled. Hooks may change it. */
  obj: JsonObject;
  /** The tenant of a tenant-scoped object; absent for one that belongs to no tenant. */
  tenantId?: string;
}

/** A create that copies a stored object (`sourceTenantId`, `sourceApplicationId`). */
export interface CopyCall extends Call {
  /** The client-chosen id, if any. */
  id?: string;
  tenantId?: string;
  /** The object named by the copy field, when it exists. */
  source?: JsonObject;
}

/** A field the JSON binding converts (`KindSpec.bind`): its path (`*` for every item of a list) and what it accepts. */
export interface BindRule {
  path: string;
  accepts(v: Json): boolean;
  /** What the value must be, for the message (`one of All, OnlyConfigured`). */
  expected: string;
  /** Jackson's explanation for a refused value, when it is not "Cannot deserialize value …: expected …" (a map key). */
  detail?(v: Json): string;
}

/** The objects of a fresh instance (defaults/boot.ts), handed to each kind's `boot`. */
export type BootObjects = BootDefaults;

/** One emulated kind: data about it, and hooks for the rules that are its own. Every hook is optional. */
export interface KindSpec {
  /** Its row in src/fusionauth/wire.ts: path, envelope keys, id field, reference fields, tenant field. */
  kind: WireKind;
  /**
   * `global`: the objects belong to no tenant and the tenant header plays no part (global API key endpoints).
   * `tenant`: each object belongs to the tenant in its wire `tenantField`; by-id requests see only the header's
   * tenant's objects (404 otherwise, reference §1.2), a list only those, and a create needs a tenant.
   */
  scope: 'global' | 'tenant';
  /** Top-level fields the server owns: dropped from request bodies (a client may echo them from a GET). */
  serverOwned: readonly string[];
  /**
   * The kind's list-valued fields as FusionAuth's domain classes declare them (lists.ts): the lists a plain
   * `application/json` PATCH replaces (`@JsonMerge(OptBoolean.FALSE)`), and the `Set`-typed fields stored
   * deduplicated in their Java Set's order. Default: every list appended to by that PATCH, none a set.
   */
  lists?: ListRules;
  /** The order of a retrieve-all (default: the store's, which is insertion order). */
  listOrder?(a: JsonObject, b: JsonObject): number;
  /** Fields an update cannot change: after the defaults, the stored value is put back (when there is one). */
  keep?: readonly string[];
  /**
   * The polymorphic field that picks the server's class (Jackson's `type`): a missing or unknown value cannot be bound
   * (`[invalidJSON]` on it), and an update keeps the stored value ("defined by the concrete class and is not mutable").
   */
  discriminator?: { field: string; values: readonly string[] };
  /**
   * Fields FusionAuth's JSON binding converts to a Java type (an enum, a `ZoneId`, a `URI`): a value it cannot convert
   * fails the request with `[invalidJSON]` on the property before any validation runs, like the discriminator.
   */
  bind?: readonly BindRule[];
  /** The common name rules: `[blank]`, `[tooLong]` past `maxLength`, `[duplicate]` among all objects of the kind when `unique`. */
  name?: { unique?: 'global'; maxLength?: number };
  /** The reference fields a write checks (refs.ts); default every one of the wire row. */
  refs?: RefSelection;
  /** The server-filled defaults: a new object, the body deep-merged over the kind's defaults (defaults.ts). */
  fill(body: JsonObject, ctx: DefaultsContext): JsonObject;
  /** Fill the store with the kind's objects of a fresh instance (reference §10.1). */
  boot?(state: EmulatorState, b: BootObjects): void;
  /** After a state file was loaded: bring the objects the emulator's options decide up to date (the bootstrap API key). */
  afterLoad?(state: EmulatorState): void;

  /** A tenant-scoped object that belongs to no tenant (a universal application): no tenant on create, visible from all. */
  universal?(obj: Json | undefined): boolean;
  /** Whether a by-id read or update may see the object, beyond the tenant scope; the header is resolved for it. */
  visible?(c: Call, obj: JsonObject): boolean;
  /** Refuse a retrieve-all (a tenant-scoped request listing tenants). */
  guardList?(c: Call): Reply | undefined;
  /** Which stored objects a retrieve-all returns (besides the tenant scope). */
  listFilter?(c: Call, obj: JsonObject): boolean;
  /**
   * A create that copies a stored object named by `field` in the request body. `build` adds its errors and returns
   * the object to store, or undefined to reply with the errors; `validate` says whether the copy then goes through
   * the kind's whole validation or only the name rules.
   */
  copy?: { field: string; validate: 'all' | 'name'; build(c: CopyCall, e: Errors): JsonObject | undefined };
  /** Before an update reads its body: a reply ends the request (reactivation, refusing an inactive object). */
  beforeUpdate?(c: Call, existing: JsonObject): Reply | undefined;
  /** After the defaults, before validation: server values that depend on the request, errors of the create or update itself. */
  prepare?(w: Write, e: Errors): void;
  /** The kind's own validation rules, after the name rules and the reference checks. */
  validate?(w: Write, e: Errors): void;
  /** Server-managed values of the object about to be stored (id, tenant and instants are set already). */
  stamp?(w: Write, stored: JsonObject): void;
  /** After the object was stored. */
  afterStore?(w: Write, stored: JsonObject): void;
  /**
   * Refuse a request the caller's API key (`req.caller`) has no authority for, given the object it acts on: the object
   * found for a read, an update or a delete, and the object about to be stored for a create or an update (an API key
   * may only manage keys of no more authority than its own). Its reply ends the request (401, 404).
   */
  guard?(c: Call, obj: JsonObject, action: 'create' | 'read' | 'update' | 'delete'): Reply | undefined;
  /**
   * What a reply shows of a stored object, when the server keeps more than it returns: a key's private key and secret
   * (`Key.secure()`), a non-retrievable API key's value outside the create reply. Default: the stored object itself.
   */
  present?(obj: JsonObject, mode: ReplyMode): JsonObject;
  /** Refuse a delete before the object is looked up (the Default tenant, the FusionAuth application). */
  guardDelete?(c: Call, id: string): Reply | undefined;
  /** How "in use" is reported (default: one `[inUse]<idField>` per usage). */
  inUse?(users: Usage[], e: Errors): void;
  /** A delete other than removing the object now (a soft or async delete): its reply, or undefined to remove it. */
  remove?(c: Call, obj: JsonObject): Reply | undefined;
  /** The kind's endpoints beyond the common ones (search, child objects). */
  routes?: Route[];
  /**
   * Where FusionAuth creates objects of the kind, below its collection path, each with and without a client id (keys:
   * `/generate` and `/import`, reference §7); default the collection path itself. The hooks tell them apart by
   * `req.path`.
   */
  createAt?: readonly string[];
  /** False for a kind FusionAuth updates with PUT only (keys): PATCH of an object is then 405, as for any unserved method. */
  patch?: false;
}

/** Which reply shows an object: the reply of a create, a read, an update or a list. */
export type ReplyMode = 'create' | 'read' | 'put' | 'patch' | 'list';

/** The stored object as the kind's replies show it (`KindSpec.present`). */
export function shownOf(spec: KindSpec, obj: JsonObject, mode: ReplyMode): JsonObject {
  return spec.present ? spec.present(obj, mode) : obj;
}

// ---- request and reply helpers -------------------------------------------------------------------------------

/** The object inside the request envelope (`{"tenant": {...}}`), or a 400 `[missing]<singular>`. */
export function unwrap(req: EmulatorRequest, singular: string): { obj: JsonObject } | { reply: Reply } {
  const inner = isObject(req.body) ? req.body[singular] : undefined;
  if (!isObject(inner)) {
    return { reply: new Errors().field(singular, '[missing]', `Your request is missing the ${singular} object.`).reply() };
  }
  return { obj: copy(inner) };
}

/**
 * The id from the path, as FusionAuth's converter reads it (values.ts `pathUuid`: a UUID, or a decimal number as the
 * UUID holding it). A segment that does not convert is 400 `[couldNotConvert]<parameter>` "Invalid UUID": live 1.46
 * (leo-technologies-llc/fusion_auth registrations_test.exs: `invalid-app-id` → `[couldNotConvert]applicationId`
 * "Invalid UUID"), live 1.67.1 (latte-java/fusionauth docs/fusionauth-openapi-spec-discrepancies.md: "passing a
 * non-UUID to a UUID path param returns a 400 conversion error vs a 404 not-found"), and fusionauth-issues #534. The
 * same 1.46 suite's 404s with an empty body for role id `67890` and `GET /api/group/12345` are numbers, which convert
 * to ids that name nothing.
 */
export function pathId(req: EmulatorRequest, param: string, fieldName: string): { id: string } | { reply: Reply } {
  const id = pathUuid(req.params[param]);
  if (id === undefined) return { reply: new Errors().field(fieldName, '[couldNotConvert]', 'Invalid UUID').reply() };
  return { id };
}

/** A 200 reply wrapping one object in its envelope. */
export function one(singular: string, obj: JsonObject): Reply {
  return { status: 200, body: { [singular]: copy(obj) } };
}

/**
 * A 200 reply wrapping a list in its envelope; an empty list leaves the envelope key out (`{}`), as FusionAuth's
 * Jackson configuration does: fusionauth-issues #1275 (1.28, closed as a "current limitation": `GET /api/group` with no
 * groups answers `{}`; the maintainer: "We have it set to trim all empty lists and since groups is empty, it gets
 * removed") and the .NET client's suite against a live server (`Retrieve_RefreshTokens_Test`:
 * `Assert.IsNull(response.successResponse.refreshTokens)` for a user with none). Error bodies are not lists of a
 * response: they keep `"generalErrors": []` (errors.ts, live 1.46). The stored objects themselves, not copies: a reply
 * body is only ever serialised by the server (`JSON.stringify` in server.ts `send`, which does not mutate), and copying
 * every object of a large list first doubled the time to serve it (4,800 applications: ~270 → ~70 ms of CPU).
 */
export function many(plural: string, list: JsonObject[]): Reply {
  return { status: 200, body: list.length > 0 ? { [plural]: list } : {} };
}

/** A 200 search reply: one page in its envelope (left out when empty, as `many`) and the `total` of all matches. */
export function page(plural: string, list: JsonObject[], total: number): Reply {
  return { status: 200, body: { ...(list.length > 0 ? { [plural]: list } : {}), total } };
}

/**
 * Apply a PATCH request to a stored object. The patch operates on the request envelope `{singular: stored}`; the
 * result's inner object is returned for full validation (reference §1.7). Errors: a media type FusionAuth does not
 * take for PATCH, or an inapplicable patch → 400 `[invalidJSON]` (the code FusionAuth uses for request bodies it
 * cannot bind).
 */
export function patched(req: EmulatorRequest, singular: string, stored: JsonObject, lists?: ListRules): { obj: JsonObject } | { reply: Reply } {
  const flavour = patchFlavour(req.contentType);
  const invalid = (msg: string): { reply: Reply } => ({ reply: new Errors().general('[invalidJSON]', msg).reply() });
  if (!flavour) return invalid(`PATCH does not accept the content type [${req.contentType}]. Use application/json, application/merge-patch+json or application/json-patch+json.`);
  if (req.body === undefined) return invalid('The PATCH request has no body.');
  const doc: JsonObject = { [singular]: copy(stored) };
  let result: Json;
  try {
    if (flavour === 'original') {
      if (!isObject(req.body)) return invalid('The PATCH body must be a JSON object.');
      result = applyOriginalPatch(doc, req.body, replacedIn(singular, lists));
    } else if (flavour === 'merge') {
      result = applyMergePatch(doc, req.body);
    } else {
      result = applyJsonPatch(doc, req.body);
    }
  } catch (e) {
    if (e instanceof PatchError) return invalid(`Unable to apply the patch: ${e.message}`);
    throw e;
  }
  const inner = isObject(result) ? result[singular] : undefined;
  if (!isObject(inner)) return { reply: new Errors().field(singular, '[missing]', `The patch removed the ${singular} object.`).reply() };
  return { obj: inner };
}

/** "A tenant", "An application": the kind in words with its article. */
function aKind(kind: WireKind): string {
  const w = words(kind);
  return `${/^[aeiou]/.test(w) ? 'An' : 'A'} ${w}`;
}

// ---- the pipeline --------------------------------------------------------------------------------------------

function callOf(spec: KindSpec, req: EmulatorRequest, state: EmulatorState): Call {
  return { state, req, spec, body: isObject(req.body) ? req.body : {} };
}

/**
 * The stored object a by-id request may see (none: 404), or the reply to a bad tenant header. `read` applies the
 * kind's `visible` rule, which governs reads and updates.
 */
export function find(c: Call, id: string, read: boolean): { obj?: JsonObject } | { reply: Reply } {
  const { spec, state } = c;
  if (spec.scope === 'tenant' || (read && spec.visible)) {
    const s = tenantScope(state, c.req);
    if ('reply' in s) return s;
    if (s.tenantId !== undefined) c.scope = s.tenantId;
  }
  const obj = state.store.get(col(spec.kind), id);
  if (!obj) return {};
  const field = WIRE[spec.kind].tenantField;
  if (spec.scope === 'tenant' && field && c.scope && !spec.universal?.(obj) && !sameId(obj[field], c.scope)) return {};
  if (read && spec.visible && !spec.visible(c, obj)) return {};
  return { obj };
}

/** The common name rules of FusionAuth's services: not blank, not too long, unique among the kind's objects. */
function nameRules(w: Write, e: Errors): void {
  const rules = w.spec.name;
  if (!rules) return;
  const { singular } = WIRE[w.spec.kind];
  const name = w.obj.name;
  const selfId = w.existing ? String(w.existing.id) : w.id;
  if (blank(name)) e.field(`${singular}.name`, '[blank]', `The ${words(w.spec.kind)} name is required.`);
  else if (rules.maxLength !== undefined && typeof name === 'string' && name.length > rules.maxLength) e.field(`${singular}.name`, '[tooLong]', `The name must be at most ${rules.maxLength} characters.`);
  else if (rules.unique === 'global' && w.state.store.list(col(w.spec.kind)).some((o) => sameName(o.name, name) && String(o.id) !== selfId)) {
    e.field(`${singular}.name`, '[duplicate]', `${aKind(w.spec.kind)} with the name [${String(name)}] already exists.`);
  }
}

/** Validate, then store and reply: shared by create and update. `nameOnly` is a copy that only checks its name. */
function write(w: Write, e: Errors, nameOnly = false): Reply {
  const { spec, state } = w;
  const wire = WIRE[spec.kind];
  spec.prepare?.(w, e);
  const refused = spec.guard?.(w, w.obj, w.mode === 'create' ? 'create' : 'update');
  if (refused) return refused;
  const v = new Errors();
  nameRules(w, v);
  if (!nameOnly) {
    checkRefs(state, spec.kind, w.obj, v, spec.refs);
    spec.validate?.(w, v);
  }
  e.merge(v);
  if (!e.empty) return e.reply();
  const now = state.now();
  const stored: JsonObject = {
    ...w.obj,
    id: w.existing ? String(w.existing.id) : (w.id ?? state.newId()),
    ...(wire.tenantField && w.tenantId !== undefined ? { [wire.tenantField]: w.tenantId } : {}),
    insertInstant: w.existing ? (w.existing.insertInstant as number) : now,
    lastUpdateInstant: now,
  };
  spec.stamp?.(w, stored);
  normaliseSets(stored, spec.lists);
  state.store.put(col(spec.kind), stored);
  spec.afterStore?.(w, stored);
  return one(wire.singular, shownOf(spec, stored, w.mode));
}

/**
 * The object of a request envelope as FusionAuth's JSON binding leaves it, or the `[invalidJSON]` reply of the first
 * value it cannot bind: the discriminator first (Jackson reads the type id before the properties), then the kind's
 * domain class — unknown properties dropped, values converted or refused (shape.ts) — then the kind's own bound fields
 * (`KindSpec.bind`: enum names, zone ids).
 */
function bound(spec: KindSpec, obj: JsonObject): { obj: JsonObject } | { reply: Reply } {
  const { singular } = WIRE[spec.kind];
  const d = spec.discriminator;
  const v = d ? obj[d.field] : undefined;
  if (d && !(typeof v === 'string' && d.values.includes(v))) {
    return { reply: invalidJson(`${singular}.${d.field}`, `Could not resolve type id '${String(v)}' as a subtype: known type ids = [${d.values.join(', ')}]`) };
  }
  const b = bindEnvelope(spec.kind, singular, obj);
  if ('reply' in b) return b;
  for (const rule of spec.bind ?? []) {
    for (const f of valuesAt(b.obj, rule.path)) {
      if (f.value === undefined || f.value === null || rule.accepts(f.value)) continue;
      return { reply: invalidJson(`${singular}.${f.path}`, rule.detail?.(f.value) ?? `Cannot deserialize value ${JSON.stringify(f.value)}: expected ${rule.expected}`) };
    }
  }
  return b;
}

function create(spec: KindSpec, req: EmulatorRequest, state: EmulatorState): Reply {
  const c = callOf(spec, req, state);
  const wire = WIRE[spec.kind];
  let id: string | undefined;
  if (req.params.id !== undefined) {
    const p = pathId(req, 'id', wire.idField);
    if ('reply' in p) return p.reply;
    id = p.id;
  }
  const copyOf = spec.copy && c.body[spec.copy.field] !== undefined && c.body[spec.copy.field] !== null ? spec.copy : undefined;
  const named = copyOf ? c.body[copyOf.field] : undefined;
  const source = isUuid(named) ? state.store.get(col(spec.kind), named) : undefined;
  let tenantId: string | undefined;
  if (spec.scope === 'tenant') {
    const s = tenantScope(state, req);
    if ('reply' in s) return s.reply;
    if (s.tenantId !== undefined) c.scope = s.tenantId;
    if (!spec.universal?.(copyOf ? source : c.body[wire.singular])) {
      const t = tenantForCreate(state, req);
      if ('reply' in t) return t.reply;
      tenantId = t.tenantId;
    }
  }
  const e = new Errors();
  if (id !== undefined && state.store.get(col(spec.kind), id)) e.field(wire.idField, '[duplicate]', `${aKind(spec.kind)} with the Id [${id}] already exists.`);
  const w: Write = { ...c, mode: 'create', id, tenantId, obj: {} };
  if (copyOf) {
    const obj = copyOf.build({ ...c, id, tenantId, source }, e);
    if (!obj) return e.reply();
    w.obj = obj;
    return write(w, e, copyOf.validate === 'name');
  }
  const u = unwrap(req, wire.singular);
  if ('reply' in u) return u.reply;
  const b = bound(spec, u.obj);
  if ('reply' in b) return b.reply;
  w.sent = b.obj;
  w.obj = spec.fill(without(b.obj, spec.serverOwned), state.defaultsContext());
  return write(w, e);
}

/** Put the stored value of `path` back into `obj` (creating the objects on the way), when the stored object has one. */
function keepPath(obj: JsonObject, existing: JsonObject, path: string): void {
  const v = at(existing, path);
  if (v === undefined) return;
  const parts = path.split('.');
  const last = parts.pop() as string;
  let dst = obj;
  for (const k of parts) {
    if (!isObject(dst[k])) dst[k] = {};
    dst = dst[k] as JsonObject;
  }
  dst[last] = copy(v);
}

function update(spec: KindSpec, req: EmulatorRequest, state: EmulatorState, mode: 'put' | 'patch'): Reply {
  const c = callOf(spec, req, state);
  const wire = WIRE[spec.kind];
  const p = pathId(req, 'id', wire.idField);
  if ('reply' in p) return p.reply;
  const f = find(c, p.id, true);
  if ('reply' in f) return f.reply;
  const existing = f.obj;
  if (!existing) return { status: 404 };
  const early = spec.guard?.(c, existing, 'update') ?? spec.beforeUpdate?.(c, existing);
  if (early) return early;
  const body = mode === 'put' ? unwrap(req, wire.singular) : patched(req, wire.singular, existing, spec.lists);
  if ('reply' in body) return body.reply;
  const unowned = without(body.obj, spec.serverOwned);
  if (spec.discriminator) unowned[spec.discriminator.field] = existing[spec.discriminator.field] as Json;
  const b = bound(spec, unowned);
  if ('reply' in b) return b.reply;
  const sent = bindEnvelope(spec.kind, wire.singular, body.obj);
  const obj = spec.fill(b.obj, state.defaultsContext());
  for (const path of spec.keep ?? []) keepPath(obj, existing, path);
  const tenant = wire.tenantField ? existing[wire.tenantField] : undefined;
  return write({ ...c, mode, id: p.id, existing, sent: 'obj' in sent ? sent.obj : body.obj, obj, tenantId: typeof tenant === 'string' ? tenant : undefined }, new Errors());
}

function remove(spec: KindSpec, req: EmulatorRequest, state: EmulatorState): Reply {
  const c = callOf(spec, req, state);
  const p = pathId(req, 'id', WIRE[spec.kind].idField);
  if ('reply' in p) return p.reply;
  const guarded = spec.guardDelete?.(c, p.id);
  if (guarded) return guarded;
  const f = find(c, p.id, false);
  if ('reply' in f) return f.reply;
  if (!f.obj) return { status: 404 };
  const refused = spec.guard?.(c, f.obj, 'delete');
  if (refused) return refused;
  const users = usages(state, spec.kind, p.id);
  if (users.length > 0) {
    const e = new Errors();
    if (spec.inUse) spec.inUse(users, e);
    else inUseErrors(spec.kind, users, e);
    return e.reply();
  }
  const other = spec.remove?.(c, f.obj);
  if (other) return other;
  removeNow(state, spec.kind, p.id);
  return { status: 200 };
}

function list(spec: KindSpec, req: EmulatorRequest, state: EmulatorState): Reply {
  const c = callOf(spec, req, state);
  const wire = WIRE[spec.kind];
  const refused = spec.guardList?.(c);
  if (refused) return refused;
  let objs = state.store.list(col(spec.kind));
  if (spec.scope === 'tenant') {
    const s = tenantScope(state, req);
    if ('reply' in s) return s.reply;
    const scope = s.tenantId;
    // Without a header (and with a global key) every tenant's objects are listed; with one, that tenant's only.
    if (scope !== undefined && wire.tenantField) objs = objs.filter((o) => sameId(o[wire.tenantField as string], scope));
  }
  if (spec.listFilter) objs = objs.filter((o) => spec.listFilter?.(c, o));
  if (spec.listOrder) objs = [...objs].sort(spec.listOrder);
  return many(pluralOf(wire), spec.present ? objs.map((o) => shownOf(spec, o, 'list')) : objs);
}

function retrieve(spec: KindSpec, req: EmulatorRequest, state: EmulatorState): Reply {
  const p = pathId(req, 'id', WIRE[spec.kind].idField);
  if ('reply' in p) return p.reply;
  const c = callOf(spec, req, state);
  const f = find(c, p.id, true);
  if ('reply' in f) return f.reply;
  if (!f.obj) return { status: 404 };
  const refused = spec.guard?.(c, f.obj, 'read');
  if (refused) return refused;
  return one(WIRE[spec.kind].singular, shownOf(spec, f.obj, 'read'));
}

// ---- a singleton (one object at the path itself, no id) ------------------------------------------------------

/**
 * A PUT (`mode: 'put'`) or PATCH of a singleton kind's one object: the same steps as an update of a collection's object
 * — the envelope or the patched stored object, server-owned fields dropped, bind checks, defaults, the kind's prepare
 * and validation, instants — without an id, a tenant or a name. Exported for a kind that takes another method as a PUT.
 */
export function singletonWrite(spec: KindSpec, req: EmulatorRequest, state: EmulatorState, mode: 'put' | 'patch'): Reply {
  const c = callOf(spec, req, state);
  const wire = WIRE[spec.kind];
  const existing = state.store.one(col(spec.kind));
  if (!existing) return { status: 404 };
  const body = mode === 'put' ? unwrap(req, wire.singular) : patched(req, wire.singular, existing, spec.lists);
  if ('reply' in body) return body.reply;
  const b = bound(spec, without(body.obj, spec.serverOwned));
  if ('reply' in b) return b.reply;
  const obj = spec.fill(b.obj, state.defaultsContext());
  for (const path of spec.keep ?? []) keepPath(obj, existing, path);
  const w: Write = { ...c, mode, existing, sent: b.obj, obj };
  const e = new Errors();
  spec.prepare?.(w, e);
  const v = new Errors();
  checkRefs(state, spec.kind, w.obj, v, spec.refs);
  spec.validate?.(w, v);
  e.merge(v);
  if (!e.empty) return e.reply();
  const stored: JsonObject = { ...w.obj, insertInstant: existing.insertInstant as number, lastUpdateInstant: state.now() };
  spec.stamp?.(w, stored);
  normaliseSets(stored, spec.lists);
  state.store.setOne(col(spec.kind), stored);
  spec.afterStore?.(w, stored);
  return one(wire.singular, stored);
}

/**
 * The endpoints of a singleton kind (wire `singleton`): `GET`, `PUT` and `PATCH` (three flavours) at the path. Any other
 * method at the path is answered 405 by the router, as FusionAuth's web framework answers a method its action class
 * has no handler for (fusionauth-issues#1146: "does not have a valid execute method for the HTTP method"; reference §1.5).
 */
function singletonRoutes(spec: KindSpec, path: string): Route[] {
  return [
    { method: 'GET', path, handle: (_r, s) => {
      const obj = s.store.one(col(spec.kind));
      return obj ? one(WIRE[spec.kind].singular, obj) : { status: 404 };
    } },
    { method: 'PUT', path, handle: (r, s) => singletonWrite(spec, r, s, 'put') },
    { method: 'PATCH', path, handle: (r, s) => singletonWrite(spec, r, s, 'patch') },
  ];
}

/**
 * The endpoints of a kind: `POST path[/:id]`, `GET path[/:id]`, `PUT|PATCH|DELETE path/:id` (a singleton's: see
 * `singletonRoutes`), and its own.
 */
export function kindRoutes(spec: KindSpec): RouteModule {
  const path = WIRE[spec.kind].path;
  if (path === undefined) throw new Error(`${spec.kind} has no API path in src/fusionauth/wire.ts`);
  if (WIRE[spec.kind].singleton) return { name: spec.kind, routes: [...singletonRoutes(spec, path), ...(spec.routes ?? [])] };
  const creates: Route[] = (spec.createAt ?? ['']).flatMap((sub) => [
    { method: 'POST', path: `${path}${sub}`, handle: (r, s) => create(spec, r, s) },
    { method: 'POST', path: `${path}${sub}/:id`, handle: (r, s) => create(spec, r, s) },
  ]);
  return {
    name: spec.kind,
    routes: [
      ...creates,
      { method: 'GET', path, handle: (r, s) => list(spec, r, s) },
      { method: 'GET', path: `${path}/:id`, handle: (r, s) => retrieve(spec, r, s) },
      { method: 'PUT', path: `${path}/:id`, handle: (r, s) => update(spec, r, s, 'put') },
      ...(spec.patch === false ? [] : [{ method: 'PATCH', path: `${path}/:id`, handle: (r, s) => update(spec, r, s, 'patch') } satisfies Route]),
      { method: 'DELETE', path: `${path}/:id`, handle: (r, s) => remove(spec, r, s) },
      ...(spec.routes ?? []),
    ],
  };
}

/** Complete the async deletes whose time has come (checked before every request and by a timer). */
export function completeDueDeletes(state: EmulatorState): void {
  const t = state.now();
  for (const [id, p] of state.pendingDeletes) if (t >= p.due) removeNow(state, p.kind, id);
}

/**
 * Put the store in a fresh instance's state (reference §10.1, defaults/boot.ts): every kind's boot objects for the
 * version the emulator reports, and as known ids the objects of other kinds they reference (the admin forms), which
 * FusionAuth's bootstrap creates.
 */
export function boot(state: EmulatorState, specs: readonly KindSpec[]): void {
  state.store.clear();
  state.pendingDeletes.clear();
  const b = bootDefaults(state.defaultsContext(), state.version);
  for (const spec of specs) spec.boot?.(state, b);
  for (const spec of specs) for (const obj of state.store.list(col(spec.kind))) rememberRefs(state, spec.kind, obj);
}
