/**
 * API keys: `POST /api/api-key[/{keyId}]`, `GET|PUT|PATCH|DELETE /api/api-key/{keyId}` (reference §6). Sources: the API
 * key API's pages ([SITE:docs/apis/api-keys/index.mdx], `create-an-api-key.mdx`, `update-an-api-key.mdx`,
 * `retrieve-an-api-key.mdx`, `delete-an-api-key.mdx`, `_apikey-post-put-request-body.mdx`, `_apikey-get-response-body.mdx`,
 * `_apikey-post-put-response-body.mdx`, `_apikey-copy-request-body.mdx`), the clients' `createAPIKey` comment ("an API
 * key can only be created with equal or lesser authority … If an API key is locked to a tenant, it can only create API
 * Keys for that same tenant", [OAS]/[TS]) and the Java domain class (`APIKey`, fusionauth-java-client).
 *
 * Who may call it (the key manager flag) is auth.ts's, as for every endpoint; what a key may do to another key (its
 * authority) is here. FusionAuth has no retrieve-all for API keys (FusionAuth/fusionauth-issues#1570: left out "due to
 * security concerns"); what `GET /api/api-key` answers on a real server is not documented: the emulator answers 404 with
 * an empty body, as for an id that names no key.
 *
 * Boot: a fresh FusionAuth has no API key a client knows (only an internal one, `__internal_…`, random id and value,
 * permissions for /api/cache/reload, /api/system/log/export and /internal/webhook: the `INSERT INTO authentication_keys`
 * of FusionAuth's database bootstrap script, [SCHEMA] in defaults/boot.ts — not emulated); Kickstart creates the first key, which its requests then use. The
 * emulator boots as a Kickstarted instance: one super key and key manager, the key it was started with.
 */
import { randomBytes } from 'node:crypto';
import type { JsonObject } from '../../core/types.js';
import type { Call, KindSpec, ReplyMode, Write } from '../crud.js';
import type { Errors } from '../errors.js';
import type { Reply } from '../http.js';
import { col, type EmulatorState } from '../state.js';
import { blank, copy, isObject, sameId, without } from '../values.js';

/**
 * A generated key value: 42 secure random bytes, base64url — the shape of the documented example
 * (`WHYugARKzum-jHvzCk5-C558EKPaYEECz5k8fDZayIaFiZHRKqy9kaQn`, 56 characters, [SITE:json/api-keys/get-response.json]);
 * "When you create an API key the key is defaulted to a secure random value".
 */
function generatedKey(): string {
  return randomBytes(42).toString('base64url');
}

/** The endpoint permissions of a key: endpoint → methods; empty for a super key. */
function endpointsOf(key: JsonObject): Record<string, string[]> {
  const e = isObject(key.permissions) ? key.permissions.endpoints : undefined;
  if (!isObject(e)) return {};
  const out: Record<string, string[]> = {};
  for (const [endpoint, methods] of Object.entries(e)) out[endpoint] = Array.isArray(methods) ? methods.map(String) : [];
  return out;
}

/**
 * Whether `caller` has at least the authority of `target`: a super key (no endpoint permissions) has every permission;
 * a limited key only covers a limited key whose every endpoint method it has itself ("equal or lesser authority").
 */
function covers(caller: JsonObject, target: JsonObject): boolean {
  const mine = endpointsOf(caller);
  if (Object.keys(mine).length === 0) return true;
  const theirs = endpointsOf(target);
  if (Object.keys(theirs).length === 0) return false;
  return Object.entries(theirs).every(([endpoint, methods]) => methods.every((m) => mine[endpoint]?.includes(m) ?? false));
}

/**
 * The server-filled values of a key about to be stored. `key` is generated when absent or blank; `keyManager` is
 * never set by this API ("A key with key manager permissions can not be created using this API … the setting … can't
 * be changed using this API"); `retrievable` defaults to true (1.56); `/api/api-key` is removed from the endpoint
 * permissions (APIKey.normalize). An update gets its stored `key`, `keyManager`, `retrievable` and `tenantId` back
 * (`keep`): "read-only once the key is created".
 */
function fill(body: JsonObject): JsonObject {
  const out = copy(body);
  if (blank(out.key)) out.key = generatedKey();
  out.keyManager = false;
  if (out.retrievable === undefined || out.retrievable === null) out.retrievable = true;
  const permissions = out.permissions;
  if (isObject(permissions) && isObject(permissions.endpoints)) {
    delete permissions.endpoints['/api/api-key'];
    // Empty collections are left out of FusionAuth's responses (FusionAuth/fusionauth-issues#1675 shows `"permissions": {}`).
    if (Object.keys(permissions.endpoints).length === 0) delete permissions.endpoints;
  }
  return out;
}

/**
 * A create by a key locked to a tenant makes a key of that tenant when the body names none; an update never moves a
 * key into a tenant (`keep` puts back a stored tenant only).
 */
function prepare(w: Write): void {
  if (w.existing) {
    if (w.existing.tenantId === undefined) delete w.obj.tenantId;
    return;
  }
  const tenantId = w.req.caller?.tenantId;
  if (typeof tenantId === 'string' && (w.obj.tenantId === undefined || w.obj.tenantId === null)) w.obj.tenantId = tenantId;
}

function validate(w: Write, e: Errors): void {
  const k = w.obj;
  const selfId = w.existing ? String(w.existing.id) : w.id;
  const others = w.state.store.list(col('apiKey')).filter((o) => String(o.id) !== selfId);
  // [SITE:_apikey-post-put-request-body.mdx] name: "Must be unique. If apiKey.retrievable is false then this field is required."
  if (blank(k.name)) {
    if (k.retrievable === false) e.field('apiKey.name', '[blank]', 'A name is required for an API key that is not retrievable.');
  } else if (others.some((o) => o.name === k.name)) {
    e.field('apiKey.name', '[duplicate]', `An API key with the name [${String(k.name)}] already exists.`);
  }
  // The value authenticates: two keys cannot share one. The message never echoes it.
  if (others.some((o) => o.key === k.key)) e.field('apiKey.key', '[duplicate]', 'An API key with this value already exists.');
  // [SITE:_apikey-post-put-request-body.mdx] ipAccessControlListId: an Enterprise feature (PlanBlurbApi).
  if (!w.state.licensed && !blank(k.ipAccessControlListId)) {
    e.field('apiKey.ipAccessControlListId', '[notLicensed]', 'IP access control lists require a paid FusionAuth license.');
  }
}

/**
 * The caller's authority over a key ([SITE:docs/apis/api-keys/index.mdx]: "In order to retrieve, update or delete an
 * API key, an API key with equal or greater permissions must be used. A "tenant-scoped" API key can retrieve, create,
 * update or delete an API key for the same tenant"). A key of another tenant is not found (404, as for any
 * tenant-scoped object, reference §1.2); creating one, or a key of more authority, is unauthorised (401, the status
 * FusionAuth gives a key "not authorised for endpoint/tenant", reference §1.5).
 */
function guard(c: Call, obj: JsonObject, action: 'create' | 'read' | 'update' | 'delete'): Reply | undefined {
  const caller = c.req.caller;
  if (!caller) return undefined;
  const tenantId = caller.tenantId;
  if (typeof tenantId === 'string' && !sameId(obj.tenantId, tenantId)) return { status: action === 'create' ? 401 : 404 };
  return covers(caller, obj) ? undefined : { status: 401 };
}

/**
 * A key that is not retrievable shows its value only in the create reply: "If the apiKey.retrievable value is false
 * then this will be the only time the key is returned in the response" ([SITE:_apikey-post-put-response-body.mdx]).
 */
function present(obj: JsonObject, mode: ReplyMode): JsonObject {
  return obj.retrievable === false && mode !== 'create' ? without(obj, ['key']) : obj;
}

/** The emulator's bootstrap key: a super key and key manager, as Kickstart's first API key (reference §9). */
function bootstrapKey(state: EmulatorState): JsonObject {
  const now = state.now();
  return {
    id: state.apiKeyId, key: state.apiKey, keyManager: true, retrievable: true,
    metaData: { attributes: { description: 'The emulator\'s bootstrap API key (the first API key, as Kickstart creates it)' } },
    insertInstant: now, lastUpdateInstant: now,
  };
}

/** The API key kind (global: keys of every tenant are served to a global key). */
export const apiKey: KindSpec = {
  kind: 'apiKey',
  scope: 'global',
  serverOwned: ['id', 'insertInstant', 'lastUpdateInstant'],
  keep: ['key', 'keyManager', 'retrievable', 'tenantId'],
  // `APIKey.APIKeyPermissions.endpoints` is a `Map<String, Set<String>>` (fusionauth-java-client `APIKey`, and the
  // decompiled server class): Jackson binds each method list into a `HashSet`, so the methods come back deduplicated in
  // HashSet order, not as sent (lists.ts). The documented responses show it ([SITE:json/api-keys/get-response.json], `post-response-body.json`,
  // `put-response-body.json`: DELETE, POST, GET, PUT, PATCH — the iteration order of a HashSet of those five strings).
  lists: { sets: [{ path: 'permissions.endpoints.*', order: 'hash' }] },
  fill,
  prepare,
  validate,
  guard,
  present,
  guardList: () => ({ status: 404 }),
  // [SITE:_apikey-copy-request-body.mdx]: a copy has the source's permissions; a key manager cannot be copied; the name is
  // required when the source is not retrievable. The codes are not documented: `[invalid]sourceKeyId`, as for a tenant copy.
  copy: {
    field: 'sourceKeyId',
    validate: 'all',
    build(c, e) {
      if (!c.source) {
        e.field('sourceKeyId', '[invalid]', `The API key [${String(c.body.sourceKeyId)}] does not exist.`);
        return undefined;
      }
      if (c.source.keyManager === true) {
        e.field('sourceKeyId', '[invalid]', 'A key manager cannot be copied.');
        return undefined;
      }
      const sent = isObject(c.body.apiKey) ? c.body.apiKey : {};
      const src = c.source;
      const out: JsonObject = { key: generatedKey(), keyManager: false, retrievable: src.retrievable ?? true };
      for (const f of ['permissions', 'tenantId', 'ipAccessControlListId', 'metaData', 'expirationInstant']) if (src[f] !== undefined) out[f] = copy(src[f]!);
      if (sent.name !== undefined) out.name = sent.name;
      return out;
    },
  },
  boot: (state) => state.store.put(col('apiKey'), bootstrapKey(state)),
  // A loaded state file keeps its keys; the bootstrap key takes the value given at this start (and is a super key
  // manager again), so that the emulator always answers the key it was started with.
  afterLoad(state) {
    const stored = state.store.get(col('apiKey'), state.apiKeyId);
    const fresh = bootstrapKey(state);
    const same = stored && stored.key === fresh.key && stored.keyManager === true && stored.permissions === undefined
      && stored.tenantId === undefined && stored.expirationInstant === undefined;
    if (!same) state.store.put(col('apiKey'), stored ? { ...fresh, insertInstant: typeof stored.insertInstant === 'number' ? stored.insertInstant : state.now() } : fresh);
  },
};
