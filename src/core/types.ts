/**
 * The shared vocabulary of kickstand: resource kinds, the desired state read from files, diagnostics,
 * plans and apply results. Everything here is plain data so that it can be rendered, serialised and
 * compared in tests.
 */

/**
 * The name of a resource kind (`tenant`, `applicationRole`). The core is generic: it is handed the registry of kinds
 * (src/kinds/index.ts, where the union of the registered names is derived) and knows no kind by name.
 */
export type KindName = string;

/** A JSON value as read from a kickstand file or returned by FusionAuth. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** A position in a source file (1-based line and column). */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** Where a diagnostic points: a file position and/or a resource and a dotted field path inside it. */
export interface Where {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted path of the field, e.g. `tenants[0].phoneConfiguration.messengerId` or `phoneConfiguration.messengerId`. */
  path?: string;
  kind?: KindName;
  key?: string;
}

/** An error or warning about the user's input or the server. Errors are data until the CLI prints them. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  where?: Where;
}

/**
 * Maps a dotted field path inside one resource (`phoneConfiguration.messengerId`, `oauthConfiguration.enabledGrants[1]`,
 * the empty string for the entry itself) to where it was written.
 */
export interface SourceMap {
  file: string;
  /** Position of the entry (its `- key:` line). */
  entry: SourcePos;
  /** Position of a field by dotted path; falls back to the nearest written ancestor, then to the entry. */
  pos(path: string): SourcePos;
  /**
   * A path as the file spells it, where the kind spells a field differently from FusionAuth (`key` → `keyValue` of an
   * API key, `KindDef.renamed`); absent when the entry's kind renames nothing.
   */
  written?(path: string): string;
}

/** One resource declared in the files, after variables were substituted and references resolved to ids. */
export interface DesiredResource {
  kind: KindName;
  /** The user's stable slug, unique within its kind across all files. */
  key: string;
  /** A pinned id (lowercase UUID) if the user wrote one. */
  id?: string;
  /**
   * The FusionAuth fields the user wrote (without `key` and `id`), with references already resolved to ids
   * where the referenced key is declared in the files (see `refs`). Only these paths are compared.
   */
  body: JsonObject;
  /** Reference fields whose value was a key: path → referenced resource. Resolved to an id by the planner. */
  refs: ResourceRef[];
  source: SourceMap;
  /**
   * Paths (dotted, `[n]` for items) of the values that hold a sensitive variable's value or a value read from the
   * environment: masked by path in every output, like the kind's secret fields. Absent when there are none.
   */
  sensitivePaths?: string[];
  /**
   * Paths (dotted, `[n]` for items, FusionAuth's names) of the fields kickstand's schema does not know, kept with
   * `--allow-unknown-fields`. The plan compares such a field only where the live object has it: a FusionAuth that does
   * not know a field ignores it and never returns it. Absent when there are none.
   */
  unknownPaths?: string[];
  /**
   * For a child kind (an application role): the entry it is written in. Its `key` is then `<parent key>/<child name>`,
   * unique within the kind.
   */
  parent?: { kind: KindName; key: string };
}

/** A reference from one resource's field to another declared resource, by key. */
export interface ResourceRef {
  /** Dotted path inside the body, e.g. `phoneConfiguration.messengerId`. */
  path: string;
  kind: KindName;
  key: string;
}

/** What loading the files produced. */
export interface DesiredState {
  resources: DesiredResource[];
  /** UUID namespace for derived ids (the file's `settings.idNamespace`, else kickstand's default). */
  idNamespace: string;
  /** Values that must never be printed: sensitive variables and secret fields. */
  secrets: string[];
  /** Warnings (unknown fields, …). Errors make loading fail instead. */
  diagnostics: Diagnostic[];
  /** The files that were read, in order. */
  files: string[];
}

/** One field that differs between the live object and the file. */
export interface FieldChange {
  /** Dotted path inside the resource, e.g. `phoneConfiguration.unverified.behavior`. */
  path: string;
  /** Live value (undefined when absent). */
  before?: Json;
  /** Desired value (null means unset). */
  after?: Json;
  /** True when the field is a secret or holds a secret value: renderers print a mask instead. */
  sensitive: boolean;
  /** True when the field cannot change in place and is the reason this change is a replace. */
  forcesReplacement?: boolean;
}

/** What will happen to one resource. */
export type ChangeAction = 'create' | 'update' | 'delete' | 'replace' | 'noop';

/** A planned change to one resource. Carries what rendering needs, so that a plan renders on its own. */
export interface Change {
  action: ChangeAction;
  kind: KindName;
  /** The kind in words, for humans: `message template`, `application role`. */
  title: string;
  key: string;
  /** The id the object has or will have (lowercase UUID); absent for a singleton, which has none. */
  id?: string;
  /** The resource's display name (its `name` field) when known. */
  name?: string;
  /**
   * How the file entry was matched to a live object: its pinned id, its derived id, a unique live object of the same
   * name (adoption), a child of its parent with the same key field (`child-key`: a role's name, how FusionAuth tells a
   * parent's children apart), the one object of a singleton kind (`singleton`), or none (`new`).
   */
  match: 'pinned-id' | 'derived-id' | 'adopted-by-name' | 'child-key' | 'singleton' | 'new';
  /** Dependency level: 0 for kinds with no dependencies. Changes apply level by level. */
  level: number;
  /** Live object before (undefined for create). */
  before?: JsonObject;
  /** Body to send on create, or the merge patch for an update. */
  after?: JsonObject;
  fields: FieldChange[];
  /** The tenant the object belongs to, for tenant-scoped kinds (sent as X-FusionAuth-TenantId). */
  tenantId?: string;
  /** For a child kind (an application role): its parent object, written first (`/api/application/{id}/role/…`). */
  parent?: { kind: KindName; key: string; id: string };
  source?: SourcePos;
  /**
   * The secret paths of this object (`*` matches any key or list item): its kind's secret fields and the paths where
   * the files substituted a sensitive variable or an environment value. Renderings mask them by path.
   */
  secretPaths: string[];
  /**
   * For a `replace` or a `delete`: what FusionAuth does beyond removing the object itself (the users' registrations of
   * a hard-deleted application, everything in a deleted tenant), in words, from the kind's `consequences`. Rendered
   * with the change in every format, so that a reviewer sees it without knowing FusionAuth.
   */
  consequence?: string;
}

/**
 * A live object of a kind the files declare that no entry matches (`plan --show-unmanaged`): kept as it is by apply,
 * listed so that a reviewer can tell an object left alone on purpose from one the files forgot.
 */
export interface UnmanagedObject {
  kind: KindName;
  /** The kind in words (`application role`). */
  title: string;
  /** The object's id (lowercase UUID). */
  id: string;
  /** Its display name (the kind's name field), when it has one. */
  name?: string;
  /** For a child (a role): its parent, an object the files manage (`key` is the parent's entry). */
  parent?: { kind: KindName; title: string; key: string; id: string };
  /** An object every FusionAuth instance has (the Default tenant, the FusionAuth application): never deleted. */
  builtIn?: true;
  /** Soft-deleted (an inactive application): it keeps its id and name until it is deleted permanently. */
  inactive?: true;
}

/** A node of a configuration graph: an entry of the files, or an object they refer to by id without declaring it. */
export interface GraphNode {
  /** Stable address within the graph: `kind:key` for an entry, `kind:id` for an object referred to by id. */
  ref: string;
  kind: KindName;
  /** The kind in words. */
  title: string;
  /** The entry's key; absent for an object referred to by id only. */
  key?: string;
  /** The object's id, when known (pinned, derived, or the id written in the files). */
  id?: string;
  /** The entry's display name, when written. */
  name?: string;
  /** What the plan does to it (in a plan's graph of changes); absent for a context node or a configuration graph. */
  action?: ChangeAction;
  /** Referred to by id in the files but not declared in them. */
  external?: true;
}

/** An edge of a configuration graph: `from` uses `to` (a reference field), or `from` is written inside `to` (a child). */
export interface GraphEdge {
  from: string;
  to: string;
  /** `ref`: a field of `from` holds `to`'s id; `parent`: `from` is a child written in its parent `to`. */
  via: 'ref' | 'parent';
}

/** A dependency graph: nodes sorted by dependency level, kind and key; edges sorted by their ends. */
export interface ConfigGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The result of planning. */
export interface Plan {
  formatVersion: 2;
  /** Server URL (without credentials). */
  target: string;
  serverVersion: string;
  licensed: boolean;
  /** Sorted by level, kind, key. */
  changes: Change[];
  summary: { create: number; update: number; replace: number; delete: number; noop: number };
  diagnostics: Diagnostic[];
  /**
   * With `--show-unmanaged`: the live objects of the declared kinds no entry matches, and the children (roles) of
   * managed parents that the files do not mention. Absent without the flag.
   */
  unmanaged?: UnmanagedObject[];
  /**
   * With `--show-unmanaged`: the declared kinds FusionAuth cannot list (read only by the ids the files address), whose
   * unmanaged objects cannot be known. Absent when there are none.
   */
  unmanagedUnknown?: Array<{ kind: KindName; title: string }>;
  /**
   * With `--graph`: the part of the configuration graph that changes — every changed object, the objects it refers
   * to or that refer to it, and the edges between them. Absent without the flag.
   */
  graph?: ConfigGraph;
}

/** The outcome of one change during apply. */
export interface ChangeOutcome {
  kind: KindName;
  /** The kind in words (from the change); renderings fall back to `kind` without it. */
  title?: string;
  key: string;
  /** Absent for a singleton. */
  id?: string;
  /** `singleton` for the one object of a singleton kind (renderings name it by its kind alone); absent otherwise. */
  match?: 'singleton';
  action: ChangeAction;
  status: 'applied' | 'failed' | 'skipped';
  error?: Diagnostic[];
  durationMs?: number;
}

/** The result of applying a plan. */
export interface ApplyResult {
  formatVersion: 2;
  outcomes: ChangeOutcome[];
  summary: { applied: number; failed: number; skipped: number };
  diagnostics: Diagnostic[];
  /**
   * Present when a signal stopped the apply: no write was started after it, its `skipped` outcomes were never started,
   * and a write still in flight when the grace period ended is `failed` with its outcome unknown.
   */
  interrupted?: { signal: string };
  /**
   * The requests kinds send once after the writes (`KindApi.afterWrites`: a refresh of the user search index after
   * users were written), in the order sent; absent when none was due. A failed one is also a warning in `diagnostics`.
   */
  afterWrites?: AfterWriteOutcome[];
}

/** One request sent after the writes: the kind that asked for it, the request in words, and whether it succeeded. */
export interface AfterWriteOutcome {
  kind: KindName;
  /** `PUT /api/user/search`. */
  request: string;
  status: 'applied' | 'failed';
}

/** What the server holds, as far as a plan needs it (read by src/state/fetch.ts through each kind's API). */
export interface LiveState {
  /** `GET /api/system/version` → `version` (reference §1.10). */
  serverVersion: string;
  /** `GET /api/reactor` → `status.licensed`. */
  licensed: boolean;
  /**
   * The id of each kind's designated object where the server has one (`tenant`: the Default tenant, the one holding
   * the FusionAuth admin application, reference §4.6), when known.
   */
  defaults: Partial<Record<KindName, string>>;
  /** Live objects by kind (only the kinds asked for), deduplicated by id; for a child kind, every parent's children. */
  objects: Partial<Record<KindName, JsonObject[]>>;
  /** For a child kind: the lowercase id of each live child's parent, by the child's lowercase id. */
  parentIds: Partial<Record<KindName, ReadonlyMap<string, string>>>;
  /**
   * Kinds FusionAuth cannot list (API keys): their `objects` are only those the files address, read by id. Absent
   * when no such kind was read.
   */
  addressedOnly?: KindName[];
  /**
   * Objects a kind's listing found for a file entry by a lookup of its own rather than by the entry's id (a family by
   * its owner: FusionAuth's `GET /api/user/family?userId=`), by kind: the entry's addressed id (pinned or derived,
   * lowercase) → the live object's lowercase id. Matching adopts them (core/match.ts). Absent when none was found.
   */
  found?: Partial<Record<KindName, ReadonlyMap<string, string>>>;
}
