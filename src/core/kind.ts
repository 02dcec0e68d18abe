/**
 * The definition of a resource kind. Everything special about a kind lives in its file under src/kinds/ as data
 * (and a few small functions); the engine in core/ and apply/ stays generic.
 */
import type { Json, JsonObject, KindName } from './types.js';

/** A field of a FusionAuth object that holds the id of another object (`phoneConfiguration.messengerId` → messenger). */
export interface WireRef {
  /** Dotted path in the object; a `*` segment stands for every item of a list or key of a map. */
  path: string;
  /** The wire kind of the object referred to (src/fusionauth/wire.ts). */
  kind: string;
}

/**
 * How FusionAuth's REST API serves one kind (one row of src/fusionauth/wire.ts, shared by the reconciler and the
 * emulator): its collection path, its request/response envelope keys, the name of its id in error codes, the fields
 * that hold other objects' ids, and the fixed ids of built-in objects.
 */
export interface WireFacts {
  /** Collection path (`/api/tenant`; objects at `${path}/${id}`); for a child, the path below its parent (`/role`). Absent for kinds known only by their ids. */
  path?: string;
  /** Envelope key of one object (`tenant`) and of a list (`tenants`). */
  singular: string;
  plural: string;
  /** The id's name in error codes: `[duplicate]tenantId`. */
  idField: string;
  /** Every field holding another object's id. */
  refs: WireRef[];
  /** The field holding the object's tenant, for tenant-scoped kinds (the tenant also travels in X-FusionAuth-TenantId). */
  tenantField?: string;
  /** Query sets of the retrieve-all call; each is one list request (default: one plain request). */
  listQueries?: Array<Record<string, string>>;
  /** Ids every FusionAuth instance has, by a name for them (the FusionAuth application, the default theme, …). */
  fixedIds?: Record<string, string>;
  /** A child kind: written below its parent's object path, and listed inside the parent's `field`. */
  parent?: { kind: string; field: string };
}

/** A field that holds the id of another kind. Accepts a UUID or the `key` of a declared resource. */
export interface RefField {
  /** Dotted path inside the resource body. */
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

/** A collection of child objects (e.g. application roles) managed through `${apiPath}/${id}${apiSuffix}[/${childId}]`. */
export interface ChildCollection {
  /** Field of the parent body holding the array of children, e.g. `roles`. */
  field: string;
  /** Field identifying a child within its parent, e.g. `name`. */
  keyField: string;
  /** Request/response envelope key for one child, e.g. `role`. */
  singular: string;
  /** Path below the parent object, e.g. `/role`. */
  apiSuffix: string;
  /** Fields of a child owned by the server: never compared, never sent. */
  serverFields: string[];
}

/** Everything kickstand knows about one resource kind. */
export interface KindDef {
  name: KindName;
  /** Top-level section of the kickstand file. */
  section: 'messengers' | 'messageTemplates' | 'tenants' | 'applications';
  /** Words for humans: "messenger", "message template". */
  title: string;
  /** FusionAuth's request/response envelope keys. */
  singular: string;
  plural: string;
  /** Collection path, e.g. `/api/messenger`. Objects live at `${apiPath}/${id}`. */
  apiPath: string;
  /** Extra query sets for the retrieve-all call; each one is one more list request (e.g. inactive applications). */
  listQueries: Array<Record<string, string>>;
  /** Kinds that must exist before this one (apply order). */
  dependsOn: KindName[];
  refs: RefField[];
  /** Owned by the server: never compared, never sent. */
  serverFields: string[];
  /** Arrays compared as sets (order-insensitive). */
  setFields: string[];
  /**
   * Secret fields: compared, but masked in every output. A `*` segment matches any key or array index (`headers.*`,
   * `emailConfiguration.additionalHeaders.*.value`).
   */
  secretFields: string[];
  immutableFields: ImmutableField[];
  /** True when the kind belongs to a tenant (sent as X-FusionAuth-TenantId). The field holding it is `tenantField`. */
  tenantField?: string;
  features: FeatureGate[];
  /** Name of the field that identifies the object to humans and for adoption by name. */
  nameField: 'name';
  /**
   * Where FusionAuth keeps the name unique, which also scopes adoption by name: `global` among all objects of the kind,
   * `perTenant` among the objects of one tenant (`tenantField`), where an object that belongs to no tenant
   * (`tenantless`) takes its name in every tenant. Absent when FusionAuth allows the same name twice. Checked offline
   * between file entries (src/config/load.ts) and at plan time against the live objects (src/core/plan.ts).
   */
  uniqueName?: 'global' | 'perTenant';
  /**
   * Objects kickstand never deletes or replaces (the Default tenant, the FusionAuth admin application).
   * `defaultTenantId` is the id of the tenant that holds the FusionAuth admin application.
   */
  isProtected(live: JsonObject, ctx: { defaultTenantId?: string }): boolean;
  /** Cross-field rules the server enforces that can be checked offline. */
  validate(body: JsonObject): RuleViolation[];
  /** Settings the server's license forbids; checked in preflight when the server is unlicensed. */
  licenseRules(body: JsonObject): RuleViolation[];
  /**
   * Child collections written through their own endpoints on update (application roles). On create they travel in
   * the body; on update they are diffed by `keyField` and sent as sub-changes. Never deleted by kickstand.
   */
  children?: ChildCollection[];
  /** Query sent with DELETE when kickstand replaces an object (applications: `hardDelete=true`). */
  deleteQuery?: Record<string, string>;
  /** True when this desired body belongs to no tenant although the kind is tenant-scoped (universal applications). */
  tenantless?(body: JsonObject): boolean;
  /** True for a live object that is soft-deleted (an inactive application): it cannot be updated or adopted. */
  isInactive?(live: JsonObject): boolean;
  /** The OpenAPI component schema(s) describing the body (for schema generation). */
  openapi: { schema: string; discriminator?: { field: string; map: Record<string, string> } };
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
