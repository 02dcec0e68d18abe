/**
 * How a kind is read and written: the few conventions of FusionAuth's REST API, each built from a kind's wire facts
 * (src/fusionauth/wire.ts). A kind's definition says WHAT is special about it; its `api` says HOW it travels, and is
 * almost always one of these conventions:
 * - `restCollection`: `GET <path>` lists (one request per list query), `POST <path>/<id>` creates with the planned id,
 *   `PATCH <path>/<id>` (JSON merge patch) updates, `DELETE <path>/<id>` deletes;
 * - `childCollection`: objects listed inside their parent (`application.roles`) and written below the parent's object
 *   (`/api/application/<id>/role/<roleId>`).
 * Every reply is checked for the shape FusionAuth documents before it is believed (see `listItems`).
 */
import type { KindDef } from '../core/kind.js';
import { isJsonObject } from '../core/normalize.js';
import type { Change, Json, JsonObject } from '../core/types.js';
import { isUuid } from '../core/uuid.js';
import { ApiError } from '../fusionauth/errors.js';
import type { ApiClient, ApiRequest, ApiResponse } from '../fusionauth/types.js';
import type { WireFacts } from '../core/kind.js';

/** What a kind's `list` returns: the live objects, and for a child kind the parent id of each (by child id). */
export interface Listed {
  objects: JsonObject[];
  parentIds?: Map<string, string>;
}

/** How a kind is read and written. */
export interface KindApi {
  /**
   * Every live object of the kind. A child kind reads them from its parents' live objects (`parents`), without a
   * request. Throws the client's errors, and `ApiError` for a reply of the wrong shape.
   */
  list(client: ApiClient, ctx: { parents?: readonly JsonObject[] }): Promise<Listed>;
  /** Carry out one change (create, update, replace, delete); throws the client's errors. */
  write(client: ApiClient, change: Change): Promise<void>;
  /** Read one object by id (a top-level collection only); throws the client's errors, `ApiError` for a wrong shape. */
  read?(client: ApiClient, id: string): Promise<JsonObject>;
}

/** A registered kind: its definition and its API. */
export interface Kind extends KindDef {
  api: KindApi;
}

/** `GET /api/application?inactive=true`: the request as a message names it. */
function describeRequest(req: ApiRequest): string {
  const query = req.query && Object.keys(req.query).length > 0 ? `?${new URLSearchParams(req.query).toString()}` : '';
  return `${req.method} ${req.path}${query}`;
}

/** The error for a reply of the wrong shape. */
export function wrongShape(req: ApiRequest, status: number, what: string, expected: string): ApiError {
  return new ApiError(
    `FusionAuth answered ${describeRequest(req)} with ${status} but ${what} (expected ${expected}); refusing to plan against it`,
    status,
    { method: req.method, path: req.path },
  );
}

/** `a string`, `a JSON array`, `null`: what a JSON value is, for a message (never the value itself). */
export function describeJson(v: Json | undefined): string {
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
export function showId(v: Json | undefined): string {
  if (typeof v !== 'string') return describeJson(v);
  const cut = v.length > MAX_ID_SHOWN ? `${v.slice(0, MAX_ID_SHOWN)}...` : v;
  return JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The body of a reply that must be a JSON object, or the error saying what it was instead. */
export function objectBody(req: ApiRequest, res: ApiResponse<Json>, expected: string): JsonObject {
  const body = res.body;
  if (isJsonObject(body)) return body;
  const what = body === undefined ? 'an empty body' : `a body that is ${describeJson(body)}, not an object`;
  throw wrongShape(req, res.status, what, expected);
}

/**
 * The objects of a list: each an object with a UUID id (reference §1.3: all config objects use UUID ids). Why checked:
 * an id such as `../../api/system/version?x=` would end up in a request path, and items that are not objects would
 * read as "the server has nothing" (the plan then shows creates that fail half-way with `[duplicate]…Id`).
 */
function checkItems(items: Json, where: string, singular: string, fail: (what: string) => ApiError): JsonObject[] {
  if (!Array.isArray(items)) throw fail(`${where} is ${describeJson(items)}, not a list`);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isJsonObject(item)) throw fail(`item ${i} of ${where} is ${describeJson(item)}, not a ${singular} object`);
    if (!isUuid(item.id)) throw fail(`item ${i} of ${where} has the id ${showId(item.id)}, not a UUID`);
  }
  return items as JsonObject[];
}

/**
 * The objects of one retrieve-all reply. FusionAuth omits empty collections (reference §11.4: "a list endpoint with
 * nothing in it can answer `{}`"), so a missing envelope key is an empty list; anything else must be a list of
 * objects with UUID ids.
 */
export function listItems(wire: WireFacts, req: ApiRequest, res: ApiResponse<Json>): JsonObject[] {
  const expected = `{"${wire.plural}": [...]} listing ${wire.singular} objects`;
  const body = objectBody(req, res, expected);
  const items = body[wire.plural];
  if (items === undefined) return [];
  return checkItems(items, `"${wire.plural}"`, wire.singular, (what) => wrongShape(req, res.status, what, expected));
}

/** Add objects to a list, skipping ids already in it (the same object can appear in two list queries). */
function addUnique(into: JsonObject[], seen: Set<string>, items: readonly JsonObject[]): void {
  for (const item of items) {
    const id = (item.id as string).toLowerCase();
    if (seen.has(id)) continue;
    seen.add(id);
    into.push(item);
  }
}

/** The three writes of one object, from which `writer` carries out any change. */
interface Writes {
  create(client: ApiClient, c: Change): Promise<unknown>;
  patch(client: ApiClient, c: Change): Promise<unknown>;
  remove(client: ApiClient, c: Change): Promise<unknown>;
}

/** A change carried out with an object's writes: a replace is a delete and a create; an empty update writes nothing. */
function writer(w: Writes): KindApi['write'] {
  return async (client, c) => {
    switch (c.action) {
      case 'create':
        await w.create(client, c);
        break;
      case 'update':
        if (Object.keys(c.after ?? {}).length > 0) await w.patch(client, c);
        break;
      case 'replace':
        await w.remove(client, c);
        await w.create(client, c);
        break;
      case 'delete':
        await w.remove(client, c);
        break;
      case 'noop':
        break;
    }
  };
}

/** Options of `restCollection`. */
export interface RestOptions {
  /** Query sent with DELETE (applications: `hardDelete=true`, so that a replace frees the id and the name). */
  deleteQuery?: Record<string, string>;
}

/**
 * A top-level collection (`/api/tenant`): listed with one GET per list query, each object written at `<path>/<id>`.
 * Creates use the planned id, so a retried create that finds its id taken reads the object back instead of failing
 * (reference §1.3); tenant-scoped kinds send the tenant in X-FusionAuth-TenantId (reference §1.2).
 */
export function restCollection(wire: WireFacts, options: RestOptions = {}): KindApi {
  const path = wire.path;
  if (path === undefined) throw new Error(`restCollection: the ${wire.singular} kind has no path`);
  const tenant = (c: Change): Pick<ApiRequest, 'tenantId'> => (wire.tenantField && c.tenantId ? { tenantId: c.tenantId } : {});
  const remove = (client: ApiClient, c: Change) =>
    client.request({ method: 'DELETE', path: `${path}/${c.id}`, ...(options.deleteQuery ? { query: options.deleteQuery } : {}), ...tenant(c) });
  const create = (client: ApiClient, c: Change) => {
    const objectPath = `${path}/${c.id}`;
    return client.request({ method: 'POST', path: objectPath, body: { [wire.singular]: c.after ?? {} }, ...tenant(c), idempotentCreate: { readBack: objectPath } });
  };
  return {
    async list(client) {
      const seen = new Set<string>();
      const objects: JsonObject[] = [];
      const pages = await Promise.all((wire.listQueries ?? [{}]).map(async (query) => {
        const req: ApiRequest = { method: 'GET', path, ...(Object.keys(query).length > 0 ? { query } : {}) };
        return listItems(wire, req, await client.request<Json>(req));
      }));
      for (const items of pages) addUnique(objects, seen, items);
      return { objects };
    },
    async read(client, id) {
      const req: ApiRequest = { method: 'GET', path: `${path}/${id}` };
      const res = await client.request<Json>(req);
      const expected = `{"${wire.singular}": {...}}`;
      const obj = objectBody(req, res, expected)[wire.singular];
      if (!isJsonObject(obj)) throw wrongShape(req, res.status, `"${wire.singular}" is ${describeJson(obj)}, not an object`, expected);
      return obj;
    },
    write: writer({
      create,
      patch: (client, c) => client.request({ method: 'PATCH', path: `${path}/${c.id}`, body: { [wire.singular]: c.after ?? {} }, contentType: 'application/merge-patch+json', ...tenant(c) }),
      remove,
    }),
  };
}

/**
 * A collection of children listed inside their parent object (`application.roles`, reference §5.1) and written below
 * it (`/api/application/<id>/role/<roleId>`, reference §5.3: an application's PUT/PATCH ignores `roles`). Creates use
 * the planned id; there is no GET of one child, so a retried create that finds its id taken counts as done.
 */
export function childCollection(parentWire: WireFacts, wire: WireFacts): KindApi {
  const field = wire.parent?.field;
  if (parentWire.path === undefined || wire.path === undefined || field === undefined) throw new Error(`childCollection: ${wire.singular} is not a child of a served kind`);
  const base = (c: Change): string => {
    if (!c.parent) throw new Error(`${wire.singular} change ${c.key} has no parent`);
    return `${parentWire.path}/${c.parent.id}${wire.path}`;
  };
  const create = (client: ApiClient, c: Change) =>
    client.request({ method: 'POST', path: `${base(c)}/${c.id}`, body: { [wire.singular]: c.after ?? {} }, idempotentCreate: {} });
  const remove = (client: ApiClient, c: Change) => client.request({ method: 'DELETE', path: `${base(c)}/${c.id}` });
  return {
    async list(_client, ctx) {
      const objects: JsonObject[] = [];
      const parentIds = new Map<string, string>();
      for (const p of ctx.parents ?? []) {
        const children = p[field];
        if (children === undefined) continue;
        const parentId = (p.id as string).toLowerCase();
        const items = checkItems(children, `"${field}" of ${parentWire.singular} ${parentId}`, wire.singular, (what) =>
          new ApiError(`FusionAuth listed ${parentWire.singular} ${parentId} with ${what}; refusing to plan against it`, 200, { method: 'GET', path: parentWire.path! }));
        for (const child of items) {
          objects.push(child);
          parentIds.set((child.id as string).toLowerCase(), parentId);
        }
      }
      return { objects, parentIds };
    },
    write: writer({
      create,
      patch: (client, c) => client.request({ method: 'PATCH', path: `${base(c)}/${c.id}`, body: { [wire.singular]: c.after ?? {} }, contentType: 'application/merge-patch+json' }),
      remove,
    }),
  };
}
