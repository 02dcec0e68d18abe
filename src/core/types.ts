/**
 * The shared vocabulary of kickstand: resource kinds, the desired state read from files, diagnostics,
 * plans and apply results. Everything here is plain data so that it can be rendered, serialised and
 * compared in tests.
 */

/** The resource kinds kickstand manages. A closed union: adding a kind means adding a file in src/kinds/. */
export type KindName = 'messenger' | 'messageTemplate' | 'tenant' | 'application';

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
}

/** What will happen to one resource. */
export type ChangeAction = 'create' | 'update' | 'delete' | 'replace' | 'noop';

/** A planned change to one resource. */
export interface Change {
  action: ChangeAction;
  kind: KindName;
  key: string;
  /** The id the object has or will have (lowercase UUID). */
  id: string;
  /** The resource's display name (its `name` field) when known. */
  name?: string;
  /** How the file entry was matched to a live object. */
  match: 'pinned-id' | 'derived-id' | 'adopted-by-name' | 'new';
  /** Dependency level: 0 for kinds with no dependencies. Changes apply level by level. */
  level: number;
  /** Live object before (undefined for create). */
  before?: JsonObject;
  /** Body to send on create, or the merge patch for an update. */
  after?: JsonObject;
  fields: FieldChange[];
  /** The tenant the object belongs to, for tenant-scoped kinds (sent as X-FusionAuth-TenantId). */
  tenantId?: string;
  source?: SourcePos;
  /**
   * Writes to child objects applied after the parent's create/update through their own endpoints (application roles:
   * a PUT/PATCH of an application ignores `roles`, reference §5.3). Absent or empty when there are none.
   */
  subChanges?: SubChange[];
}

/** A planned write to one child object of a resource (an application role), identified by its key field (the role name). */
export interface SubChange {
  action: 'create' | 'update';
  /** The child collection's field in the parent body, e.g. `roles`. */
  collection: string;
  /** The child's identifying value, e.g. the role name. */
  key: string;
  /** The child's id (update only). */
  id?: string;
  /** Live child before (update only). */
  before?: JsonObject;
  /** Body to send on create, or the merge patch for an update. */
  after: JsonObject;
  /** Field changes, paths relative to the child (`description`). */
  fields: FieldChange[];
}

/** The result of planning. */
export interface Plan {
  formatVersion: 1;
  /** Server URL (without credentials). */
  target: string;
  serverVersion: string;
  licensed: boolean;
  /** Sorted by level, kind, key. */
  changes: Change[];
  summary: { create: number; update: number; replace: number; delete: number; noop: number };
  diagnostics: Diagnostic[];
}

/** The outcome of one change during apply. */
export interface ChangeOutcome {
  kind: KindName;
  key: string;
  id: string;
  action: ChangeAction;
  status: 'applied' | 'failed' | 'skipped';
  error?: Diagnostic[];
  durationMs?: number;
}

/** The result of applying a plan. */
export interface ApplyResult {
  formatVersion: 1;
  outcomes: ChangeOutcome[];
  summary: { applied: number; failed: number; skipped: number };
  diagnostics: Diagnostic[];
  /**
   * Present when a signal stopped the apply: no write was started after it, its `skipped` outcomes were never started,
   * and a write still in flight when the grace period ended is `failed` with its outcome unknown.
   */
  interrupted?: { signal: string };
}
