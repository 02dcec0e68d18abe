/**
 * Reading live state: `GET /api/system/version`, `GET /api/reactor`, and each kind's `api.list` (one retrieve-all
 * request per list query of a collection; a child kind reads its parents' objects) — all in parallel, never a
 * per-resource GET, so a plan costs the same number of requests for 10 or 1,000 objects. The one exception is a kind
 * FusionAuth cannot list at all (API keys): it reads the objects the files address by id. Kind-agnostic: what is
 * special about a kind (where it lives, how it is listed, which object is its designated one) is in its definition.
 *
 * Every reply is checked for the shape FusionAuth documents before it is believed (src/kinds/api.ts for lists): a
 * version or license reply of the wrong shape stops the plan with an `ApiError` naming the request and the problem.
 */
import type { ApiClient, ApiRequest, ApiResponse } from '../fusionauth/types.js';
import type { Json, JsonObject, KindName, LiveState } from '../core/types.js';
import { isJsonObject } from '../core/normalize.js';
import { isUuid } from '../core/uuid.js';
import { parseVersion } from '../core/preflight.js';
import { ApiError } from '../fusionauth/errors.js';
import { describeJson, objectBody, showId, wrongShape, type Kind } from '../kinds/api.js';
import { KINDS } from '../kinds/index.js';

export type { LiveState } from '../core/types.js';

/** Printable ASCII without spaces, at most 64 characters: what a version string can be (it is printed in the plan). */
const VERSION_TEXT = /^[\x21-\x7e]{1,64}$/;

/**
 * The server's version. Required: preflight gives an unknown version the benefit of the doubt (core/preflight.ts
 * `olderThan`), so a reply without one would silently skip the version checks.
 */
function serverVersion(req: ApiRequest, res: ApiResponse<Json>): string {
  const expected = '{"version": "1.69.0"}';
  const version = objectBody(req, res, expected).version;
  if (typeof version !== 'string' || !VERSION_TEXT.test(version) || parseVersion(version) === undefined) {
    throw wrongShape(req, res.status, typeof version === 'string' ? 'the version is not a version number' : `"version" is ${describeJson(version)}, not a string`, expected);
  }
  return version;
}

/**
 * Whether the server is licensed. Required too: reference §1.10 documents `{"status": {"licensed": bool, …}}`, and
 * FusionAuth's `ReactorStatus.licensed` is a primitive boolean (fusionauth-java-client
 * io/fusionauth/domain/reactor/ReactorStatus.java), so it is present even when false. The answer decides whether the
 * plan refuses license-gated settings (reference §11.4: check it first and fail the plan early): reading a malformed
 * reply as "unlicensed" would refuse valid files on a licensed server, and as "licensed" would let apply fail half-way.
 */
function licensed(req: ApiRequest, res: ApiResponse<Json>): boolean {
  const expected = '{"status": {"licensed": true|false, …}}';
  const status = objectBody(req, res, expected).status;
  if (!isJsonObject(status)) throw wrongShape(req, res.status, `"status" is ${describeJson(status)}, not an object`, expected);
  if (typeof status.licensed !== 'boolean') throw wrongShape(req, res.status, `"status.licensed" is ${describeJson(status.licensed)}, not true or false`, expected);
  return status.licensed;
}

/**
 * The designated object of a kind (the Default tenant: the tenant of the FusionAuth admin application, a fixed id on
 * every instance, reference §1.3, §4.6): taken from the live list of the holding kind when it is read anyway,
 * otherwise from one read of that one object (a constant cost). Without it (an API key not allowed to read it)
 * planning still works; only the protection of that object and the default tenant of applications are unavailable.
 */
async function designatedId(client: ApiClient, kind: Kind, objects: Partial<Record<KindName, JsonObject[]>>, registry: readonly Kind[]): Promise<string | undefined> {
  const d = kind.designated!;
  const holder = registry.find((k) => k.name === d.kind);
  let obj = objects[d.kind]?.find((o) => (o.id as string).toLowerCase() === d.id);
  // The request the object came from, for a message: the holder's list, or the read of the one object.
  let req: ApiRequest = { method: 'GET', path: holder?.wire.path ?? '' };
  if (!obj && holder?.api.read) {
    req = { method: 'GET', path: `${holder.wire.path ?? ''}/${d.id}` };
    try {
      obj = await holder.api.read(client, d.id);
    } catch (e) {
      // A reply of the wrong shape (a 2xx) is an error like any other; a read that failed (an API key not allowed to
      // read it: 401) only leaves the id unknown.
      if (e instanceof ApiError && e.status >= 200 && e.status < 300) throw e;
    }
  }
  const id = obj?.[d.field];
  if (id === undefined) return undefined;
  // The designated id goes into headers and plans: it must be a UUID like every id.
  if (!isUuid(id)) throw wrongShape(req, 200, `the ${holder?.title ?? d.kind} ${d.id} has the ${d.field} ${showId(id)}, not a UUID`, 'a UUID');
  return id.toLowerCase();
}

/** What a server says about itself: its version and whether it is licensed. */
export interface ServerInfo {
  serverVersion: string;
  licensed: boolean;
}

/**
 * The server's version (`GET /api/system/version`) and license (`GET /api/reactor`), read in parallel and checked for
 * the documented shapes. Throws the client's errors, and `ApiError` for a reply of the wrong shape.
 */
export async function fetchServerInfo(client: ApiClient): Promise<ServerInfo> {
  const get = async <T>(req: ApiRequest, read: (req: ApiRequest, res: ApiResponse<Json>) => T): Promise<T> =>
    read(req, await client.request<Json>(req));
  const [version, isLicensed] = await Promise.all([
    get({ method: 'GET', path: '/api/system/version' }, serverVersion),
    get({ method: 'GET', path: '/api/reactor' }, licensed),
  ]);
  return { serverVersion: version, licensed: isLicensed };
}

/**
 * Fetch the live state for these kinds (and the parents of child kinds among them). `ids` are the ids the files
 * address by kind (core/match.ts `addressedIds`), for kinds that can only be read by id, and `entries` the entries
 * they belong to in words (`addressedEntries`), for the messages about reading them. Throws the client's errors
 * (ApiError, ConnectionError), and `ApiError` for a reply of the wrong shape.
 */
export async function fetchLiveState(
  client: ApiClient,
  kinds: readonly KindName[],
  registry: readonly Kind[] = KINDS,
  options: {
    ids?: Partial<Record<KindName, readonly string[]>>;
    entries?: Partial<Record<KindName, ReadonlyMap<string, string>>>;
    /** The files' entry bodies by kind and addressed id (core/match.ts `addressedBodies`). */
    bodies?: (kind: KindName, id: string) => JsonObject | undefined;
  } = {},
): Promise<LiveState> {
  const byName = new Map(registry.map((k) => [k.name, k]));
  const wanted = new Set<KindName>();
  const want = (name: KindName): void => {
    const k = byName.get(name);
    if (!k) throw new Error(`unknown kind ${name}`);
    wanted.add(name);
    if (k.parent) want(k.parent.kind);
  };
  for (const k of kinds) want(k);
  const info = fetchServerInfo(client);
  const top = registry.filter((k) => wanted.has(k.name) && !k.parent);
  const lists = Promise.all(top.map(async (k) => {
    const entries = options.entries?.[k.name];
    const bodies = options.bodies;
    const addressedBody = bodies ? { addressedBody: (id: string) => bodies(k.name, id) } : {};
    return [k.name, await k.api.list(client, { ids: options.ids?.[k.name] ?? [], ...(entries ? { entries } : {}), ...addressedBody })] as const;
  }));
  const [{ serverVersion: serverVer, licensed: isLicensed }, listed] = await Promise.all([info, lists]);
  const state: LiveState = { serverVersion: serverVer, licensed: isLicensed, defaults: {}, objects: {}, parentIds: {} };
  for (const [name, l] of listed) {
    state.objects[name] = l.objects;
    if (l.addressedOnly) (state.addressedOnly ??= []).push(name);
    if (l.found && l.found.size > 0) (state.found ??= {})[name] = l.found;
  }
  // Child kinds are read from their parents' objects, without a request.
  for (const k of registry) {
    if (!wanted.has(k.name) || !k.parent) continue;
    const l = await k.api.list(client, { parents: state.objects[k.parent.kind] ?? [] });
    state.objects[k.name] = l.objects;
    if (l.parentIds) state.parentIds[k.name] = l.parentIds;
  }
  // A designated object is looked up when its kind is planned, or for free when its holder was listed anyway (the
  // Default tenant of applications written without a tenant), or when a planned kind's tenant field refers to its kind
  // (the Default tenant of users written without a tenant: one read of the FusionAuth application, a constant cost).
  const scopes = (name: KindName): boolean => [...wanted].some((w) => {
    const field = byName.get(w)?.tenantField;
    return field !== undefined && byName.get(w)!.wire.refs.some((r) => r.path === field && r.kind === name);
  });
  for (const k of registry) {
    if (!k.designated || !(wanted.has(k.name) || wanted.has(k.designated.kind) || scopes(k.name))) continue;
    const id = await designatedId(client, k, state.objects, registry);
    if (id !== undefined) state.defaults[k.name] = id;
  }
  return state;
}
