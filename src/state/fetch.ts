/**
 * Reading live state: one retrieve-all request per kind present (plus each kind's extra list queries, e.g. inactive
 * applications), `GET /api/system/version` and `GET /api/reactor`, all in parallel — never a per-resource GET, so a
 * plan costs the same number of requests for 10 or 1,000 objects.
 *
 * Every reply is checked for the shape FusionAuth documents before it is believed: a list reply that is empty, not an
 * object, or holds something other than objects with UUID ids would otherwise read as "the server has nothing" (the
 * plan then shows creates that fail half-way with `[duplicate]…Id`), and an id such as `../../api/system/version?x=`
 * would end up in a request path. Such a reply stops the plan with an `ApiError` naming the request and the problem.
 */
import type { ApiClient, ApiRequest, ApiResponse } from '../fusionauth/types.js';
import { ApiError } from '../fusionauth/errors.js';
import type { Json, JsonObject, KindName } from '../core/types.js';
import type { KindDef } from '../core/kind.js';
import { kindByName } from '../kinds/index.js';
import { FUSIONAUTH_APP_ID } from '../kinds/tenant.js';
import { isJsonObject } from '../core/normalize.js';
import { isUuid } from '../core/uuid.js';
import { parseVersion } from '../core/preflight.js';

/** What the server holds, as far as a plan needs it. */
export interface LiveState {
  /** `GET /api/system/version` → `version` (reference §1.10). */
  serverVersion: string;
  /** `GET /api/reactor` → `status.licensed`. */
  licensed: boolean;
  /** The tenant holding the FusionAuth admin application (the Default tenant, reference §4.6), when known. */
  defaultTenantId?: string;
  /** Live objects by kind (only the kinds asked for), deduplicated by id across list queries. */
  objects: Partial<Record<KindName, JsonObject[]>>;
}

/** `GET /api/application?inactive=true`: the request as a message names it. */
function describeRequest(req: ApiRequest): string {
  const query = req.query && Object.keys(req.query).length > 0 ? `?${new URLSearchParams(req.query).toString()}` : '';
  return `${req.method} ${req.path}${query}`;
}

/** The error for a reply of the wrong shape. */
function wrongShape(req: ApiRequest, status: number, what: string, expected: string): ApiError {
  return new ApiError(
    `FusionAuth answered ${describeRequest(req)} with ${status} but ${what} (expected ${expected}); refusing to plan against it`,
    status,
    { method: req.method, path: req.path },
  );
}

/** `a string`, `a JSON array`, `null`: what a JSON value is, for a message (never the value itself). */
function describeJson(v: Json | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The longest id echoed in a message (ids are 36 characters; anything longer is cut). */
const MAX_ID_SHOWN = 60;

/**
 * An id as a message may show it: cut, quoted, and every character outside printable ASCII written as a `\\uXXXX`
 * escape (the id comes from the server: no control or bidi character may reach a terminal).
 */
function showId(v: Json | undefined): string {
  if (typeof v !== 'string') return describeJson(v);
  const cut = v.length > MAX_ID_SHOWN ? `${v.slice(0, MAX_ID_SHOWN)}...` : v;
  return JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The body of a reply that must be a JSON object, or the error saying what it was instead. */
function objectBody(req: ApiRequest, res: ApiResponse<Json>, expected: string): JsonObject {
  const body = res.body;
  if (isJsonObject(body)) return body;
  const what = body === undefined ? 'an empty body' : `a body that is ${describeJson(body)}, not an object`;
  throw wrongShape(req, res.status, what, expected);
}

/**
 * The objects of one retrieve-all reply of `kind`. FusionAuth omits empty collections (reference §11.4: "a list
 * endpoint with nothing in it can answer `{}`"), so a missing envelope key is an empty list; anything else must be a
 * list of objects with UUID ids (reference §1.3: all config objects use UUID ids).
 */
function listItems(kind: KindDef, req: ApiRequest, res: ApiResponse<Json>): JsonObject[] {
  const expected = `{"${kind.plural}": [...]} listing ${kind.name} objects`;
  const body = objectBody(req, res, expected);
  const items = body[kind.plural];
  if (items === undefined) return [];
  if (!Array.isArray(items)) throw wrongShape(req, res.status, `"${kind.plural}" is ${describeJson(items)}, not a list`, expected);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isJsonObject(item)) throw wrongShape(req, res.status, `item ${i} of "${kind.plural}" is ${describeJson(item)}, not a ${kind.name} object`, expected);
    if (!isUuid(item.id)) throw wrongShape(req, res.status, `item ${i} of "${kind.plural}" has the id ${showId(item.id)}, not a UUID`, expected);
  }
  return items as JsonObject[];
}

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
 * Fetch the live state for these kinds. The Default tenant's id comes from the FusionAuth admin application
 * (3c219e58-…, a fixed id on every instance, reference §1.3): taken from the application list when applications are
 * fetched anyway, otherwise — only when tenants are planned — from one GET of that one well-known application
 * (a constant cost, not per resource). Throws the client's errors (ApiError, ConnectionError), and `ApiError` for a
 * reply of the wrong shape.
 */
export async function fetchLiveState(client: ApiClient, kinds: KindName[]): Promise<LiveState> {
  const unique = [...new Set(kinds)];
  const get = async <T>(req: ApiRequest, read: (req: ApiRequest, res: ApiResponse<Json>) => T): Promise<T> =>
    read(req, await client.request<Json>(req));
  const version = get({ method: 'GET', path: '/api/system/version' }, serverVersion);
  const reactor = get({ method: 'GET', path: '/api/reactor' }, licensed);
  const lists = unique.map(async (name) => {
    const kind = kindByName(name);
    const pages = await Promise.all(kind.listQueries.map((query) =>
      get({ method: 'GET', path: kind.apiPath, ...(Object.keys(query).length > 0 ? { query } : {}) }, (req, res) => listItems(kind, req, res))));
    const seen = new Set<string>();
    const objects: JsonObject[] = [];
    for (const items of pages) {
      for (const item of items) {
        const id = (item.id as string).toLowerCase();
        if (seen.has(id)) continue;
        seen.add(id);
        objects.push(item);
      }
    }
    return [name, objects] as const;
  });
  const adminReq: ApiRequest = { method: 'GET', path: `/api/application/${FUSIONAUTH_APP_ID}` };
  const adminApp = unique.includes('tenant') && !unique.includes('application')
    ? client.request<Json>(adminReq).then(
      (res) => {
        const expected = '{"application": {...}}';
        const application = objectBody(adminReq, res, expected).application;
        if (!isJsonObject(application)) throw wrongShape(adminReq, res.status, `"application" is ${describeJson(application)}, not an object`, expected);
        return { application, req: adminReq, status: res.status };
      },
      // Without that application (an API key not allowed to read it) the Default tenant is unknown: planning still
      // works, only the protection of the Default tenant and the default tenant of applications are not available.
      () => undefined,
    )
    : Promise.resolve(undefined);

  const [serverVer, isLicensed, fetched, fromGet] = await Promise.all([version, reactor, Promise.all(lists), adminApp]);
  const objects: Partial<Record<KindName, JsonObject[]>> = {};
  for (const [name, list] of fetched) objects[name] = list;
  const state: LiveState = { serverVersion: serverVer, licensed: isLicensed, objects };
  const inList = objects.application?.find((o) => (o.id as string).toLowerCase() === FUSIONAUTH_APP_ID);
  const admin = fromGet ?? (inList && { application: inList, req: { method: 'GET', path: kindByName('application').apiPath } as const, status: 200 });
  const tenantId = admin?.application.tenantId;
  if (admin && tenantId !== undefined) {
    // The Default tenant's id goes into the tenant header and into plans: it must be a UUID like every id.
    if (!isUuid(tenantId)) throw wrongShape(admin.req, admin.status, `the FusionAuth application's tenantId is ${showId(tenantId)}, not a UUID`, 'a UUID');
    state.defaultTenantId = tenantId.toLowerCase();
  }
  return state;
}
