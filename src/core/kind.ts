/**
 * The definition of a resource kind. Everything special about a kind lives in its file under src/kinds/ as data
 * (and a few small functions); the engine in core/ and apply/ stays generic.
 */
import type { KeyedList } from './diff.js';
import type { Change, DesiredResource, Diagnostic, Json, JsonObject, KindName, LiveState } from './types.js';

/** A field of a FusionAuth object that holds the id of another object (`phoneConfiguration.messengerId` → messenger). */
export interface WireRef {
  /** Dotted path in the object; a `*` segment stands for every item of a list or key of a map. */
  path: string;
  /** The wire kind of the object referred to (src/fusionauth/wire.ts). */
  kind: string;
  /**
   * The reference is a row of an association table, not a foreign key: deleting the object referred to removes its id
   * from the holder instead of being refused as "in use" (a webhook's `tenantIds`).
   */
  detach?: true;
}

/**
 * How FusionAuth's REST API serves one kind (one row of src/fusionauth/wire.ts, shared by the reconciler and the
 * emulator): its collection path, its request/response envelope keys, the name of its id in error codes, the fields
 * that hold other objects' ids, and the fixed ids of built-in objects.
 */
export interface WireFacts {
  /** Collection path (`/api/tenant`; objects at `${path}/${id}`); for a child, the path below its parent (`/role`). Absent for kinds known only by their ids. */
  path?: string;
  /** Envelope key of one object (`tenant`) and of a list (`tenants`; absent for a singleton, which has no list). */
  singular: string;
  plural?: string;
  /** The id's name in error codes: `[duplicate]tenantId`. */
  idField: string;
  /** Every field holding another object's id. */
  refs: WireRef[];
  /** The field holding the object's tenant, for tenant-scoped kinds (the tenant also travels in X-FusionAuth-TenantId). */
  tenantField?: string;
  /**
   * A kind FusionAuth has no retrieve-all for but lists through its search API: `POST <searchPath>` (users,
   * `/api/user/search`; src/kinds/api.ts `searchListed`).
   */
  searchPath?: string;
  /** Query sets of the retrieve-all call; each is one list request (default: one plain request). */
  listQueries?: Array<Record<string, string>>;
  /** Ids every FusionAuth instance has, by a name for them (the FusionAuth application, the default theme, …). */
  fixedIds?: Record<string, string>;
  /** A child kind: written below its parent's object path, and listed inside the parent's `field`. */
  parent?: { kind: string; field: string };
  /**
   * One object per server, without an id, read and written at `path` itself (`/api/system-configuration`): it always
   * exists, is never created or deleted, and is written in a kickstand file as one mapping instead of a list.
   */
  singleton?: true;
}

/** The envelope key of a kind's lists; a singleton has none, and asking for it is a programming error. */
export function pluralOf(wire: WireFacts): string {
  if (wire.plural === undefined) throw new Error(`the ${wire.singular} kind has no list`);
  return wire.plural;
}

/** A field that holds the id of another registered kind. Accepts a UUID or the `key` of a declared resource. */
export interface RefField {
  /** Dotted path inside the resource body; a `*` segment stands for every item of a list or value of a map (`tenantIds.*`). */
  path: string;
  kind: KindName;
}

/** A field whose value cannot change after creation. */
export interface ImmutableField {
  path: string;
  /** Why it cannot change, shown in the plan error. */
  reason: string;
  /** The value the server assumes when a live object omits the field (so writing that value is not a change). */
  default?: Json;
}

/**
 * A field of one particular live object that FusionAuth never changes: an update keeps the stored value (answering 200
 * as if it had been applied), forces its own value, or is refused. For a child kind's field of the parent (`roles`)
 * it means the parent's children can be neither added nor changed.
 */
export interface LockedField {
  /** Dotted path; a change at the path, below it or above it touches the locked field. `''` locks the whole object. */
  path: string;
  /** Why it cannot change, shown in the plan error. */
  reason: string;
  /**
   * Dotted paths below `path` (written in full) that FusionAuth does change — the few settings an update of the Tenant
   * manager application takes: a change at one of them, or below it, is not locked. Default none.
   */
  except?: readonly string[];
}

/** A field introduced in a given FusionAuth version: using it against an older server is a preflight error. */
export interface FeatureGate {
  /** Dotted path; the gate applies when the user wrote this path or anything below it. */
  path: string;
  since: string;
}

/** A rule violation found offline or in preflight. */
export interface RuleViolation {
  /** Dotted path inside the resource body. */
  path: string;
  message: string;
}

/**
 * A child kind's link to its parent (application roles): the child is written in the parent's entry, under `field`
 * (`applications[].roles`), identified there by `keyField` (a role's `name`), and on the server read from the parent's
 * `field` and written below the parent's object path (`/api/application/{id}/role`). When the parent is created, its
 * children travel in the parent's create body; afterwards each is a change of its own.
 */
export interface ParentLink {
  kind: KindName;
  field: string;
  keyField: string;
}

/**
 * Everything kickstand knows about one resource kind: WHAT is special about it, as data and a few small functions. How
 * it is read and written is its `api` (src/kinds/api.ts), kept out of this pure description; the engine in core/,
 * state/, apply/ and render/ stays generic.
 */
export interface KindDef {
  name: KindName;
  /** Top-level section of the kickstand file; absent for a child kind (written inside its parent's entry). */
  section?: string;
  /** Words for humans: "messenger", "message template". */
  title: string;
  /** FusionAuth's wire facts for the kind (src/fusionauth/wire.ts): paths, envelope keys, references, fixed ids. */
  wire: WireFacts;
  /**
   * The references the files may write as a key of a declared entry, or a UUID: the wire references whose target kind
   * is registered (filled in by the registry, src/kinds/index.ts).
   */
  refs: RefField[];
  /** Kinds that must exist before this one (apply order): the targets of `refs` and the parent (filled in by the registry). */
  dependsOn: KindName[];
  /** A child kind: see `ParentLink`. */
  parent?: ParentLink;
  /** Owned by the server: never compared, never sent. */
  serverFields: string[];
  /** Arrays compared as sets (order-insensitive). */
  setFields: string[];
  /**
   * Objects (maps) a file states in full: a key the live object has there and the file leaves out is removed, where the
   * overlay diff would keep it as a server default (an API key's `permissions.endpoints`: an endpoint the file drops
   * must lose its permission). Only compared when the file writes the object. Default none.
   */
  exactFields?: string[];
  /**
   * Lists of objects identified by a key field that a file may write in part (a family's `members`, by `userId`):
   * additive unless the entry's top-level boolean `completeField` is true (core/diff.ts `KeyedList`). Default none.
   */
  keyedLists?: Array<Omit<KeyedList, 'complete'> & { completeField?: string }>;
  /**
   * Secret fields: compared, but masked in every output. A `*` segment matches any key or array index (`headers.*`,
   * `emailConfiguration.additionalHeaders.*.value`).
   */
  secretFields: string[];
  immutableFields: ImmutableField[];
  /**
   * Fields sent on create but compared only while the live object holds them: values FusionAuth never returns (a
   * key's private key or HMAC secret, an API key that is not retrievable) and request options that are not fields of
   * the stored object (a theme's `sourceThemeId`). Without this they would show as a change on every plan.
   */
  writeOnlyFields: string[];
  /**
   * Top-level fields a kickstand file spells differently from FusionAuth, file name → FusionAuth name: an API key's
   * value is FusionAuth's `key`, which a file cannot write because `key` is every entry's slug. The loader renames
   * them, so everything after it (validation, plans, the server) sees FusionAuth's names.
   */
  renamed?: Record<string, string>;
  /** The field holding the tenant of a tenant-scoped kind (sent as X-FusionAuth-TenantId); from the wire facts. */
  tenantField?: string;
  /**
   * Where the tenant of an entry that writes no `tenantField` comes from before the Default tenant: the tenant of the
   * object its first child of `childKind` (in file order) refers to at `ref` — a user written without `tenantId` goes
   * to the tenant of its first registration's application, as FusionAuth does for a user and registration created
   * together without a tenant header (reference §13, leo-technologies-llc/fusion_auth). Absent: the Default tenant.
   */
  impliedTenant?: { childKind: KindName; ref: string };
  /**
   * The fields a live object is adopted by when no pinned or derived id matches, tried in order (the first field the
   * entry writes with a unique live match wins), within the entry's tenant for a tenant-scoped kind: a user's email,
   * else username, else phone number. `fold` compares case-insensitively (FusionAuth keeps emails and usernames unique
   * regardless of case). Absent: adoption by `nameField` when `uniqueName` allows it.
   */
  matchFields?: ReadonlyArray<{ path: string; fold?: true }>;
  /**
   * How the kind's listing finds an entry's object other than by id, in words for a plan message (a family: "the
   * family of its first Adult member"), when its API reports such finds (`Listed.found`).
   */
  foundBy?: string;
  /**
   * Fields sent when the object is created and never compared afterwards: a password FusionAuth never returns, the
   * create request's options (`skipVerification`), and state the server manages after creation (a user's
   * `passwordChangeRequired`, its verification). An entry of an existing object that writes them changes nothing; the
   * plan says so once per kind, as a warning, never as a change.
   */
  createOnlyFields?: readonly string[];
  /**
   * A per-entry switch of the file (`field: true`), never sent, that makes the create-only `fields` it names compared
   * and sent again on an existing object (a user's `resetPassword: true` sets its password again, shown as a change of
   * the masked `password`).
   */
  createOnlyReset?: { field: string; fields: readonly string[] };
  features: FeatureGate[];
  /** Name of the field that identifies the object to humans and for adoption by name. */
  nameField: string;
  /**
   * Where FusionAuth keeps the name unique, which also scopes adoption by name: `global` among all objects of the kind,
   * `perTenant` among the objects of one tenant (`tenantField`), where an object that belongs to no tenant
   * (`tenantless`) takes its name in every tenant, `perParent` among the children of one parent. Absent when
   * FusionAuth allows the same name twice. Checked offline between file entries (src/config/load.ts) and at plan
   * time against the live objects (src/core/plan.ts).
   */
  uniqueName?: 'global' | 'perTenant' | 'perParent';
  /**
   * How the server's designated object of this kind is found, when it has one: the value of `field` in the object
   * `id` of kind `kind` (the Default tenant is the tenant of the FusionAuth admin application, reference §4.6).
   */
  designated?: { kind: KindName; id: string; field: string };
  /**
   * Objects kickstand never deletes or replaces (the Default tenant, the FusionAuth admin application). `defaults`
   * holds the designated object of each kind (`LiveState.defaults`).
   */
  isProtected(live: JsonObject, ctx: { defaults: Partial<Record<KindName, string>> }): boolean;
  /**
   * No object of the kind is ever deleted or replaced by kickstand, though none is built in (users: their data,
   * passwords and sessions are not kickstand's to lose). A change of an immutable field is then always an error.
   */
  neverRemoved?: true;
  /**
   * The fields of this live object FusionAuth will not change (see `LockedField`; the FusionAuth admin application's
   * OAuth settings and roles). Writing another value there is a plan error at that field: left to the server, it would
   * be "updated" on every apply and differ again on every plan.
   */
  lockedFields(live: JsonObject): readonly LockedField[];
  /**
   * The body as FusionAuth stores what it is sent, for a kind whose server rewrites values on every write (a theme's
   * templates trimmed, line ends made `\n`). The loader applies it to each entry, so that plans send and compare what
   * the server will hold instead of showing the same change on every run. Absent: the body as written.
   */
  normalize?(body: JsonObject): JsonObject;
  /** Cross-field rules the server enforces that can be checked offline. */
  validate(body: JsonObject): RuleViolation[];
  /**
   * Offline rules that need other entries of the files (a registration's roles must be roles of its application when
   * the application is declared): run by the loader after references are resolved, so `kickstand validate` runs them.
   */
  validateInFiles?(r: DesiredResource, files: FileEntries): RuleViolation[];
  /** Settings the server's license forbids; checked in preflight when the server is unlicensed. */
  licenseRules(body: JsonObject): RuleViolation[];
  /** True when this desired body belongs to no tenant although the kind is tenant-scoped (universal applications). */
  tenantless?(body: JsonObject): boolean;
  /** True for a live object that is soft-deleted (an inactive application): it cannot be updated or adopted. */
  isInactive?(live: JsonObject): boolean;
  /**
   * Rules over the whole plan that only this kind knows (an API key plan must not change the key kickstand itself is
   * using): errors and warnings about this kind's changes, given every change and what the run knows.
   */
  checkPlan?(changes: readonly Change[], ctx: PlanContext): Diagnostic[];
  /**
   * For the kickstand file's JSON Schema (scripts/gen-schema.ts): the OpenAPI component schema(s) of the body, chosen
   * by a discriminator field when the kind has variants; for a kind with a section, the name of its entry definition,
   * the fields every entry must write besides `key` (cross-field requirements stay in `validate`), and the section's
   * description.
   */
  openapi: {
    schema: string;
    discriminator?: { field: string; map: Record<string, string> };
    entry?: string;
    required?: string[];
    description?: string;
    /**
     * Fields of the file that are no field of FusionAuth's (a user's `resetPassword` switch), with their JSON type and
     * description: the schema accepts them in the kind's entries.
     */
    extra?: Record<string, { type: 'boolean' | 'string'; description: string }>;
  };
  /** The folder of FusionAuth's documented request/response examples of the kind (test/data/api-examples/<folder>). */
  examples?: string;
  /**
   * What FusionAuth does beyond removing the object when kickstand deletes it (`delete`) or deletes and re-creates it
   * (`replace`, with `--allow-replace`): data of users it removes, objects that go with it, writes it refuses. One or
   * two sentences for the plan, where the change shows them in every format; each with its source in the kind file.
   * A replace deletes first, so without `replace` the `delete` text is shown for it. Absent when removing the object
   * removes nothing else.
   */
  consequences?: { delete?: string; replace?: string };
}

/** The entries of the files, as `KindDef.validateInFiles` looks them up (references resolved where they are UUIDs). */
export interface FileEntries {
  /** The entry of `kind` with this key. */
  entry(kind: KindName, key: string): DesiredResource | undefined;
  /** The child entries of `childKind` written in the entry `parentKey` of `parentKind`, in file order. */
  children(childKind: KindName, parentKind: KindName, parentKey: string): readonly DesiredResource[];
}

/** What a kind's `checkPlan` may know besides the changes. */
export interface PlanContext {
  live: LiveState;
  /** The API key this run authenticates with, when known: to recognise it, never to print it. */
  apiKey?: string;
  /** The entries of the files (FusionAuth's field names, references not yet resolved). */
  resources: readonly DesiredResource[];
  /** The server URL the plan is for (without credentials), when known: a rule may depend on where the server is. */
  target?: string;
  /**
   * The requests apply will send for a change (its kind's API, src/kinds/api.ts `KindApi.requests`), when the caller
   * knows them (the engine does); each is a method and a path with its ids.
   */
  requests?(change: Change): ReadonlyArray<{ method: string; path: string }>;
}

/** getPath's split paths: they are the kinds' field paths, a small set read once per resource each (never mutated). */
const SPLIT_CACHE = new Map<string, string[]>();

/** Read a dotted path (`a.b.c`) from an object. Array indexes are written `[n]`. */
export function getPath(obj: unknown, path: string): unknown {
  if (path === '') return obj;
  let cur: unknown = obj;
  let segs = SPLIT_CACHE.get(path);
  if (segs === undefined) {
    segs = splitPath(path);
    if (SPLIT_CACHE.size < 1000) SPLIT_CACHE.set(path, segs);
  }
  for (const seg of segs) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Split `a.b[2].c` into `['a','b','2','c']`. */
export function splitPath(path: string): string[] {
  if (path === '') return [];
  return path.replace(/\[(\d+)\]/g, '.$1').split('.').filter((s) => s !== '');
}
