/**
 * API keys: `/api/api-key/{keyId}` (reference §6; [SITE:docs/apis/api-keys/*.mdx], [SITE:docs/apis/authentication.mdx]).
 *
 * - FusionAuth offers no retrieve-all and no search for API keys (the OpenAPI file, every client, and
 *   FusionAuth/fusionauth-issues#1570: left out on purpose "due to security concerns"). So the kind reads each key the
 *   files address by its pinned or derived id (`addressedCollection`): a key is matched by id only, never adopted by
 *   name, and a key created outside kickstand (the admin UI, Kickstart) must be pinned with `id` to be managed.
 * - The key's value is FusionAuth's field `key`, which a kickstand file cannot write because `key` is every entry's
 *   slug: a file writes it as `keyValue`. It is a secret, create-only (a new value means a new key), and a key created
 *   with `retrievable: false` never shows it again, so it is compared only while the server returns it.
 * - The API key API needs a key manager (`keyManager: true`), which only the admin UI and Kickstart can make: the field
 *   is the server's, never written. kickstand never changes or deletes the API key it runs with (`checkPlan`).
 */
import { resourceWhere } from '../core/diagnostics.js';
import { getPath, type PlanContext, type RuleViolation } from '../core/kind.js';
import { applyMergePatch, isJsonObject } from '../core/normalize.js';
import type { Change, Diagnostic, Json, JsonObject } from '../core/types.js';
import { isUuid } from '../core/uuid.js';
import { ApiError } from '../fusionauth/errors.js';
import { WIRE } from '../fusionauth/wire.js';
import { addressedCollection, type KindApi } from './api.js';
import { defineKind } from './define.js';

/** The API key API's path: open to key managers only, whatever a key's endpoint permissions say. */
const API_KEY_PATH = WIRE.apiKey.path!;

const blank = (v: Json | undefined): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * The permission endpoint a request path falls under: the path without its ids. FusionAuth's permissions name
 * endpoints without ids (`/api/application/role` covers `/api/application/{id}/role/{roleId}`, `/api/key/generate`
 * covers `/api/key/generate/{id}`: the endpoint list of [SITE:json/generated/api-endpoints.json] and the example key
 * of [SITE:json/api-keys/get-response.json]); every id kickstand sends is a UUID.
 */
export function permissionEndpoint(path: string): string {
  return `/${path.split('?')[0]!.split('/').filter((s) => s !== '' && !isUuid(s)).join('/')}`;
}

/**
 * Whether an API key object may send `method` to `endpoint` ([SITE:docs/apis/authentication.mdx] "API Key
 * Permissions"): no endpoint permissions at all make a super key; otherwise the endpoint must list the method. The API
 * key API itself answers only key managers ("An attempt to call these APIs with a non-manager key … will always
 * return … 401", [SITE:docs/apis/api-keys/_apikey-get-response-body.mdx]).
 */
export function keyPermits(key: JsonObject, endpoint: string, method: string): boolean {
  if (endpoint === API_KEY_PATH) return key.keyManager === true;
  const endpoints = getPath(key, 'permissions.endpoints');
  if (!isJsonObject(endpoints) || Object.keys(endpoints).length === 0) return true;
  const methods = endpoints[endpoint];
  return Array.isArray(methods) && methods.some((m) => typeof m === 'string' && m.toUpperCase() === method);
}

function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  // [SITE:_apikey-post-put-request-body.mdx]: "If apiKey.retrievable is false then this field [name] is required."
  if (body.retrievable === false && blank(body.name)) {
    out.push({ path: 'name', message: 'an API key that is not retrievable (retrievable: false) needs a name: FusionAuth requires one' });
  }
  // An empty value would never match the value FusionAuth generates in its place: a change on every plan.
  if (body.key !== undefined && body.key !== null && blank(body.key)) {
    out.push({ path: 'key', message: 'must not be empty: leave keyValue out to let FusionAuth generate a secure random value' });
  }
  // FusionAuth removes /api/api-key from a key's endpoint permissions (APIKey.normalize, fusionauth-java-client
  // io/fusionauth/domain/APIKey.java): written, it would be a change on every plan.
  const endpoints = getPath(body, 'permissions.endpoints');
  if (isJsonObject(endpoints) && Object.prototype.hasOwnProperty.call(endpoints, API_KEY_PATH)) {
    out.push({
      path: 'permissions.endpoints',
      message: `${API_KEY_PATH} cannot be granted as an endpoint permission (FusionAuth drops it): the API key API is open to key managers only, and only the admin UI or Kickstart can make one`,
    });
  }
  return out;
}

function licenseRules(body: JsonObject): RuleViolation[] {
  // [SITE:_apikey-post-put-request-body.mdx]: ipAccessControlListId is an Enterprise feature (PlanBlurbApi).
  if (body.ipAccessControlListId === undefined || body.ipAccessControlListId === null) return [];
  return [{ path: 'ipAccessControlListId', message: 'IP access control lists need a FusionAuth license (Enterprise); this server is unlicensed' }];
}

/** `POST /api/tenant`: a request in words. */
const describe = (r: { method: string; endpoint: string }): string => `${r.method} ${r.endpoint}`;

/** The permissions each change of the plan needs, other than those of `except`: endpoint and method, with who needs them. */
function needs(changes: readonly Change[], ctx: PlanContext, except?: Change): Array<{ method: string; endpoint: string; change: Change }> {
  const out: Array<{ method: string; endpoint: string; change: Change }> = [];
  for (const c of changes) {
    if (c === except) continue;
    for (const r of ctx.requests?.(c) ?? []) out.push({ method: r.method, endpoint: permissionEndpoint(r.path), change: c });
  }
  return out;
}

/** The key object an update, replace or delete of an API key leaves on the server (undefined: none, it is deleted). */
function keyAfter(c: Change): JsonObject | undefined {
  if (c.action === 'update') return applyMergePatch(c.before ?? {}, c.after ?? {}) as JsonObject;
  // A re-created key is no key manager: the API cannot make one ([SITE:docs/apis/api-keys/create-an-api-key.mdx]).
  if (c.action === 'replace') return { ...(c.after ?? {}), keyManager: false };
  return undefined;
}

/** `tenant "acme", application "web" and 2 more`: who needs a permission, in words. */
function whoNeeds(list: ReadonlyArray<{ change: Change }>): string {
  const names = [...new Set(list.map((n) => `${n.change.title} "${n.change.key}"`))];
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/**
 * The plan must not change or delete the API key kickstand authenticates with, nor go ahead when that key (declared in
 * the files, so its permissions are known) is not allowed to send every request of the plan. The run's key is
 * recognised by its value: the live `key` when FusionAuth returns it, else the value the entry writes. Never printed.
 */
function checkPlan(changes: readonly Change[], ctx: PlanContext): Diagnostic[] {
  const run = ctx.apiKey;
  if (run === undefined || run === '') return [];
  const out: Diagnostic[] = [];
  const entryOf = (c: Change) => ctx.resources.find((r) => r.kind === c.kind && r.key === c.key);
  const own = changes.find((c) => c.kind === 'apiKey' && (c.before?.key === run || entryOf(c)?.body.key === run));
  if (!own) return [];
  const entry = entryOf(own);
  const at = entry ? resourceWhere(entry) : { kind: own.kind, key: own.key };
  const RUN_KEY = 'the API key this run authenticates with';

  if (own.action === 'create') {
    out.push({
      severity: 'error',
      where: entry ? resourceWhere(entry, 'key') : at,
      message: `this entry's keyValue is ${RUN_KEY}, which exists already, but not under this entry's id ${own.id ?? ''}: kickstand finds API ` +
        "keys by id only (FusionAuth cannot list them); pin the existing key's id with `id` to manage it",
    });
    return out;
  }

  const rest = needs(changes, ctx, own);
  if (own.action !== 'noop') {
    const before = own.before ?? {};
    const after = keyAfter(own);
    const lost = rest.filter((n) => keyPermits(before, n.endpoint, n.method) && (after === undefined || !keyPermits(after, n.endpoint, n.method)));
    const byRequest = new Map<string, typeof lost>();
    for (const n of lost) byRequest.set(describe(n), [...(byRequest.get(describe(n)) ?? []), n]);
    const why = byRequest.size === 0 ? '' : `; it would also take away ${[...byRequest].map(([r, list]) => `${r} (needed for ${whoNeeds(list)})`).join(', ')}, ` +
      'which the rest of this plan needs, so the apply would stop half-way with 401';
    const what = own.action === 'update' ? `change it (${own.fields.map((f) => f.path).join(', ')})` : own.action === 'replace' ? 'delete and re-create it' : 'delete it';
    out.push({
      severity: 'error',
      where: at,
      message: `this plan would ${what}, but this entry is ${RUN_KEY}: kickstand never changes or deletes the key it is using${why}. ` +
        'Apply this change with another key-manager key, or write the entry as the server has it',
    });
  }

  // The key's current permissions (known: it is declared and was read) must allow every request the plan sends.
  const current = own.before;
  if (current) {
    const missing = new Map<string, Array<{ method: string; endpoint: string; change: Change }>>();
    for (const n of rest) if (!keyPermits(current, n.endpoint, n.method)) missing.set(describe(n), [...(missing.get(describe(n)) ?? []), n]);
    for (const [request, list] of missing) {
      const first = list[0]!;
      const firstEntry = entryOf(first.change);
      const lacks = first.endpoint === API_KEY_PATH ? 'is not a key manager (keyManager: true), which the API key API requires' : `has no ${first.method} permission on ${first.endpoint}`;
      out.push({
        severity: 'error',
        where: firstEntry ? resourceWhere(firstEntry) : { kind: first.change.kind, key: first.change.key },
        message: `applying this plan sends ${request} (for ${whoNeeds(list)}), but ${RUN_KEY} (entry "${own.key}") ${lacks}: FusionAuth would refuse it with 401 half-way through the apply`,
      });
    }
  }
  return out;
}

/**
 * A 401 from the API key API, in words: which entry, and the permission it takes (a key manager, with no fewer
 * permissions than the key read or written, of the same tenant for a tenant-locked key: [SITE:docs/apis/api-keys/index.mdx]).
 */
function explained(e: unknown, entries?: ReadonlyMap<string, string>): unknown {
  if (!(e instanceof ApiError) || e.status !== 401 || !e.path.startsWith(API_KEY_PATH)) return e;
  const id = e.path.slice(API_KEY_PATH.length + 1).toLowerCase();
  const entry = entries?.get(id);
  return new ApiError(
    `FusionAuth refused ${e.method} ${e.path}${entry ? ` (${entry})` : ''} with 401: the API key API answers only a key manager (keyManager: true, ` +
    'which only the admin UI or Kickstart can set), and only for keys with no more permissions than its own and, for a key locked to a tenant, of ' +
    'the same tenant; the API key of this run is not allowed to — run files with apiKeys entries with a key-manager key',
    401,
    { method: e.method, path: e.path, attempts: e.attempts, retriesExhausted: e.retriesExhausted, cause: e, ...(e.errors ? { errors: e.errors } : {}) },
  );
}

/** Read by id (no list exists), updated with PUT, the documented update ([SITE:docs/apis/api-keys/update-an-api-key.mdx]). */
const base = addressedCollection(WIRE.apiKey, { update: 'put', putOmits: ['keyManager'] });
const api: KindApi = {
  ...base,
  async list(client, ctx) {
    try {
      return await base.list(client, ctx);
    } catch (e) {
      throw explained(e, ctx.entries);
    }
  },
  async write(client, change) {
    try {
      await base.write(client, change);
    } catch (e) {
      throw explained(e);
    }
  },
};

export const apiKey = defineKind({
  name: 'apiKey',
  section: 'apiKeys',
  title: 'API key',
  wire: WIRE.apiKey,
  api,
  // keyManager: "may be modified only using the administrative user interface or Kickstart. It can't be changed using
  // this API" ([SITE:docs/apis/api-keys/index.mdx]).
  serverFields: ['id', 'insertInstant', 'lastUpdateInstant', 'keyManager'],
  // An endpoint's methods are a Java Set (APIKey.APIKeyPermissions.endpoints is Map<String, Set<String>>).
  setFields: ['permissions.endpoints.*'],
  // The endpoints are the whole grant: one the file drops must lose its permission, not stay as a "server default".
  exactFields: ['permissions.endpoints'],
  renamed: { keyValue: 'key' },
  // Reference §11.2: the value comes back in cleartext from GET (when retrievable).
  secretFields: ['key'],
  // "If the apiKey.retrievable value is false then this field will not be returned" ([SITE:_apikey-get-response-body.mdx]).
  writeOnlyFields: ['key'],
  immutableFields: [
    { path: 'key', reason: "FusionAuth sets an API key's value only when it creates the key" },
    { path: 'tenantId', reason: "an API key's tenant is read-only once the key is created" },
    { path: 'retrievable', reason: 'whether an API key can be read back is read-only once the key is created', default: true },
  ],
  features: [
    { path: 'expirationInstant', since: '1.55.0' },
    { path: 'name', since: '1.56.0' },
    { path: 'retrievable', since: '1.56.0' },
  ],
  // "The name of the API key. Must be unique." ([SITE:_apikey-post-put-request-body.mdx]).
  uniqueName: 'global',
  validate,
  licenseRules,
  checkPlan,
  examples: 'api-keys',
  openapi: {
    schema: 'APIKey',
    entry: 'APIKey',
    description: 'API keys. FusionAuth cannot list them: each entry is matched by its pinned `id` or its derived id only, never by name. The value is written `keyValue`.',
  },
});
