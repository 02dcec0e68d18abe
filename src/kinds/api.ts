/**
 * How a kind is read and written: the few conventions of FusionAuth's REST API, each built from a kind's wire facts
 * (src/fusionauth/wire.ts). A kind's definition says WHAT is special about it; its `api` says HOW it travels, and is
 * almost always one of these conventions:
 * - `restCollection`: `GET <path>` lists (one request per list query), `POST <path>/<id>` creates with the planned id,
 *   `PATCH <path>/<id>` (JSON merge patch) updates, `DELETE <path>/<id>` deletes;
 * - `childCollection`: objects listed inside their parent (`application.roles`) and written below the parent's object
 *   (`/api/application/<id>/role/<roleId>`);
 * - `singletonResource`: one object without an id at the path itself (`/api/system-configuration`): read with one GET,
 *   updated with a merge patch, never created or deleted;
 * - `addressedCollection`: a collection FusionAuth cannot list (API keys, reference §6): each object the files address
 *   (by its pinned or derived id) is read by id, and an object the files do not address is invisible;
 * - `searchListed`: a collection without a retrieve-all, listed page by page through its search API (users:
 *   `POST /api/user/search`), written like `restCollection`;
 * - `compositeChild`: children identified by their parent and another object rather than by an id of their own (a
 *   registration is a user's for one application): listed inside the parent, written at
 *   `<path>/<parentId>[/<keyFieldValue>]`.
 * Every reply is checked for the shape FusionAuth documents before it is believed (see `listItems`).
 */
import { pluralOf, type KindDef, type WireFacts } from '../core/kind.js';
import { applyMergePatch, isJsonObject, omitPaths } from '../core/normalize.js';
import type { Change, Json, JsonObject } from '../core/types.js';
import { isUuid } from '../core/uuid.js';
import { ApiError } from '../fusionauth/errors.js';
import type { ApiClient, ApiRequest, ApiResponse } from '../fusionauth/types.js';

/** What a kind's `list` returns: the live objects, and for a child kind the parent id of each (by child id). */
export interface Listed {
  objects: JsonObject[];
  parentIds?: Map<string, string>;
  /** The objects are only those the files address, read by id: the kind cannot be listed (`addressedCollection`). */
  addressedOnly?: true;
  /** Objects found for an addressed id by a lookup of the kind's own, not by the id (`LiveState.found`). */
  found?: ReadonlyMap<string, string>;
}

/** What a kind's `list` is given. */
export interface ListContext {
  /** For a child kind: its parents' live objects. */
  parents?: readonly JsonObject[];
  /** The ids the files address for this kind (pinned or derived, lowercase): all a kind that cannot be listed can read. */
  ids?: readonly string[];
  /** Each addressed id's entry in words (`entry "ci" at kickstand.yaml:12`), for a message about reading it. */
  entries?: ReadonlyMap<string, string>;
  /**
   * The body of the entry at an addressed id, its references to declared entries written as those entries' addressed
   * ids (pinned or derived): what a kind that looks its objects up by another object (a family by its owner) reads by.
   */
  addressedBody?(id: string): JsonObject | undefined;
}

/** How a kind is read and written. */
export interface KindApi {
  /**
   * Every live object of the kind. A child kind reads them from its parents' live objects (`parents`), without a
   * request. Throws the client's errors, and `ApiError` for a reply of the wrong shape.
   */
  list(client: ApiClient, ctx: ListContext): Promise<Listed>;
  /** Carry out one change (create, update, replace, delete); throws the client's errors. */
  write(client: ApiClient, change: Change): Promise<void>;
  /**
   * The requests `write` sends for a change, in order, without sending them (the conventions below build both from the
   * same builders): what a plan check needs to know of a change's endpoints and methods (an API key's permissions).
   */
  requests?(change: Change): ApiRequest[];
  /** Read one object by id (a top-level collection only); throws the client's errors, `ApiError` for a wrong shape. */
  read?(client: ApiClient, id: string): Promise<JsonObject>;
  /**
   * Requests sent once after an apply that wrote objects of the kind or of its child kinds (users and their
   * registrations: a refresh of FusionAuth's user search index), after every write. Optional by nature: apply reports
   * a failure as a warning, and they are not among a change's `requests`, so no plan check refuses a plan for them.
   */
  afterWrites?: readonly AfterWrite[];
}

/** A request a kind sends once after an apply wrote its objects (`KindApi.afterWrites`). */
export interface AfterWrite {
  request: ApiRequest;
  /** What it does, in words (`refresh FusionAuth's user search index`). */
  purpose: string;
  /** What its failure means, the end of the warning (`a plan right after this may not see …`). */
  ifFailed: string;
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
  const plural = pluralOf(wire);
  const expected = `{"${plural}": [...]} listing ${wire.singular} objects`;
  const body = objectBody(req, res, expected);
  const items = body[plural];
  if (items === undefined) return [];
  return checkItems(items, `"${plural}"`, wire.singular, (what) => wrongShape(req, res.status, what, expected));
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

/** The requests of the three writes of one object, from which `writer` carries out any change. */
interface Writes {
  create(c: Change): ApiRequest[];
  patch(c: Change): ApiRequest[];
  remove(c: Change): ApiRequest[];
}

/** The requests of a change, in order: a replace is a delete and a create; an empty update writes nothing. */
function plannedRequests(w: Writes, c: Change): ApiRequest[] {
  switch (c.action) {
    case 'create':
      return w.create(c);
    case 'update':
      return Object.keys(c.after ?? {}).length > 0 ? w.patch(c) : [];
    case 'replace':
      return [...w.remove(c), ...w.create(c)];
    case 'delete':
      return w.remove(c);
    case 'noop':
      return [];
  }
}

/** A change carried out with an object's writes, one request after the other. */
function writer(w: Writes): Pick<KindApi, 'write' | 'requests'> {
  return {
    async write(client, c) {
      for (const req of plannedRequests(w, c)) await client.request(req);
    },
    requests: (c) => plannedRequests(w, c),
  };
}

/** Options of `restCollection`. */
export interface RestOptions {
  /** Query sent with DELETE (applications: `hardDelete=true`, so that a replace frees the id and the name). */
  deleteQuery?: Record<string, string>;
  /**
   * The requests of a create, sent in order (default: `POST <path>/<id>` with the body in its envelope). A kind whose
   * create is not a plain POST says so here: keys are generated or imported at their own paths, a theme copied from
   * another is copied first and customised by a second request. The first request is the create: when it finds the
   * id taken (a retry), the object is read back instead; a tenant-scoped kind's requests carry the tenant.
   */
  createRequests?(c: Change, objectPath: string): ApiRequest[];
  /**
   * The requests of an update, in order, when it is not one request (a user's `active` changes through deactivate and
   * reactivate calls, its other fields through a PATCH); given the change and the object's path. Default: see `update`.
   */
  updateRequests?(c: Change, objectPath: string): ApiRequest[];
  /**
   * How an update is sent: `patch` (default) sends the plan's JSON merge patch; `put` sends the whole object — the live
   * object with the patch merged in — for a kind FusionAuth does not PATCH (keys: `PUT /api/key/{id}` only).
   */
  update?: 'patch' | 'put';
  /** Fields of the live object a PUT must not echo back (the server owns them besides the kind's server fields). */
  putOmits?: readonly string[];
  /**
   * Request properties beside the envelope that a create or update must carry so the server keeps what it would
   * otherwise drop, read just before the change is written (a tenant update replaces the tenant's webhook
   * associations with the request's `webhookIds`: the tenant kind lists the current ones, src/kinds/tenant.ts).
   * Read once per change; a replace reads them before its delete. `requests` are the reads `read` sends, so that a
   * plan check sees them among the change's requests.
   */
  envelopeExtras?: EnvelopeExtras;
  /** See `KindApi.afterWrites`. */
  afterWrites?: readonly AfterWrite[];
}

/** See `RestOptions.envelopeExtras`. */
export interface EnvelopeExtras {
  read(client: ApiClient, c: Change): Promise<JsonObject>;
  requests(c: Change): ApiRequest[];
}

/**
 * `writer` for writes whose requests carry envelope extras read at apply time: the extras are read once per change
 * that writes the object (not for a delete, a noop or an empty update), then the change's requests are built with them.
 */
function withExtras(extras: EnvelopeExtras | undefined, writes: (extras: JsonObject) => Writes): Pick<KindApi, 'write' | 'requests'> {
  const plain = writer(writes({}));
  if (!extras) return plain;
  const reads = (c: Change): boolean => c.action === 'create' || c.action === 'replace' || (c.action === 'update' && Object.keys(c.after ?? {}).length > 0);
  return {
    async write(client, c) {
      const values = reads(c) ? await extras.read(client, c) : {};
      await writer(writes(values)).write(client, c);
    },
    requests: (c) => [...(reads(c) ? extras.requests(c) : []), ...plain.requests!(c)],
  };
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
  const remove = (c: Change): ApiRequest[] =>
    [{ method: 'DELETE', path: `${path}/${c.id}`, ...(options.deleteQuery ? { query: options.deleteQuery } : {}), ...tenant(c) }];
  const create = (c: Change, extras: JsonObject): ApiRequest[] => {
    const objectPath = `${path}/${c.id}`;
    const requests = options.createRequests?.(c, objectPath) ?? [{ method: 'POST', path: objectPath, body: { ...extras, [wire.singular]: c.after ?? {} } }];
    return requests.map((req, i) => ({ ...req, ...tenant(c), ...(i === 0 ? { idempotentCreate: { readBack: objectPath } } : {}) }));
  };
  const update = (c: Change, extras: JsonObject): ApiRequest[] => {
    if (options.updateRequests) return options.updateRequests(c, `${path}/${c.id}`).map((req) => ({ ...req, ...tenant(c) }));
    if (options.update === 'put') {
      const whole = applyMergePatch(omitPaths(c.before ?? {}, ['id', 'insertInstant', 'lastUpdateInstant', ...(options.putOmits ?? [])]), c.after ?? {});
      return [{ method: 'PUT', path: `${path}/${c.id}`, body: { ...extras, [wire.singular]: whole }, ...tenant(c) }];
    }
    return [{ method: 'PATCH', path: `${path}/${c.id}`, body: { ...extras, [wire.singular]: c.after ?? {} }, contentType: 'application/merge-patch+json', ...tenant(c) }];
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
    ...withExtras(options.envelopeExtras, (extras) => ({ create: (c) => create(c, extras), patch: (c) => update(c, extras), remove })),
    ...(options.afterWrites ? { afterWrites: options.afterWrites } : {}),
  };
}

/**
 * The one object of a singleton kind (`/api/system-configuration`, reference §7): `GET <path>` answers
 * `{"<singular>": {...}}`; an update is a JSON merge patch of the declared fields, so a declared list is sent whole and
 * replaces the server's (the plain PATCH that kickstart files use appends to lists, and never converges). The plan
 * never creates, replaces or deletes it.
 */
export function singletonResource(wire: WireFacts): KindApi {
  const path = wire.path;
  if (path === undefined || !wire.singleton) throw new Error(`singletonResource: the ${wire.singular} kind is not a served singleton`);
  const refuse = (c: Change): never => {
    throw new Error(`the ${wire.singular} singleton cannot be ${c.action}d (the plan never asks for it)`);
  };
  return {
    async list(client) {
      const req: ApiRequest = { method: 'GET', path };
      const res = await client.request<Json>(req);
      const expected = `{"${wire.singular}": {...}}`;
      const obj = objectBody(req, res, expected)[wire.singular];
      if (!isJsonObject(obj)) throw wrongShape(req, res.status, `"${wire.singular}" is ${describeJson(obj)}, not an object`, expected);
      return { objects: [obj] };
    },
    ...writer({
      create: refuse,
      patch: (c) => [{ method: 'PATCH', path, body: { [wire.singular]: c.after ?? {} }, contentType: 'application/merge-patch+json' }],
      remove: refuse,
    }),
  };
}

/** How many objects of an `addressedCollection` are read at once. */
const ADDRESSED_READS_AT_ONCE = 8;

/**
 * A collection FusionAuth offers no retrieve-all or search for (API keys, reference §6: `GET /api/api-key/{id}` only).
 * `list` reads each id the files address (`ListContext.ids`), at most `ADDRESSED_READS_AT_ONCE` at a time; a 404
 * means the object does not exist yet. So such a kind is matched by pinned or derived id only, never adopted by name,
 * and a plan costs one read per entry of the kind. Writes are `restCollection`'s.
 */
export function addressedCollection(wire: WireFacts, options: RestOptions = {}): KindApi {
  const base = restCollection(wire, options);
  const read = base.read!;
  return {
    ...base,
    async list(client, ctx) {
      const ids = [...new Set(ctx.ids ?? [])];
      const objects: JsonObject[] = [];
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          try {
            const obj = await read(client, id);
            if (!sameIdText(obj.id, id)) {
              const req: ApiRequest = { method: 'GET', path: `${wire.path!}/${id}` };
              throw wrongShape(req, 200, `the ${wire.singular} has the id ${showId(obj.id)}`, `the ${wire.singular} ${id}`);
            }
            objects.push(obj);
          } catch (e) {
            if (e instanceof ApiError && e.status === 404) continue;
            throw e;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(ADDRESSED_READS_AT_ONCE, ids.length) }, worker));
      // In the order of the ids, whatever order the reads finished in: plans stay deterministic.
      const order = new Map(ids.map((id, i) => [id, i]));
      objects.sort((a, b) => order.get((a.id as string).toLowerCase())! - order.get((b.id as string).toLowerCase())!);
      return { objects, addressedOnly: true };
    },
  };
}

/** True when a server value is the UUID `id` (any case). */
function sameIdText(v: Json | undefined, id: string): boolean {
  return typeof v === 'string' && isUuid(v) && v.toLowerCase() === id.toLowerCase();
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
  const create = (c: Change): ApiRequest[] => [{ method: 'POST', path: `${base(c)}/${c.id}`, body: { [wire.singular]: c.after ?? {} }, idempotentCreate: {} }];
  const remove = (c: Change): ApiRequest[] => [{ method: 'DELETE', path: `${base(c)}/${c.id}` }];
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
    ...writer({
      create,
      patch: (c) => [{ method: 'PATCH', path: `${base(c)}/${c.id}`, body: { [wire.singular]: c.after ?? {} }, contentType: 'application/merge-patch+json' }],
      remove,
    }),
  };
}

/** Options of `searchListed`. */
export interface SearchOptions extends RestOptions {
  /** The search path (`/api/user/search`). */
  searchPath: string;
  /** Search criteria besides the paging ones (`queryString: "*"`, a sort): the `search` object of the first request. */
  criteria: JsonObject;
  /** Request properties beside `search` (`expand`). */
  extras?: JsonObject;
  /** Objects per page (`numberOfResults`). */
  pageSize: number;
  /** The most pages one listing reads: the bound on what a plan reads, named in the error when reached. */
  maxPages: number;
}

/**
 * A collection FusionAuth lists only through its search API (users, [SITE:docs/apis/users/search.mdx]): `POST
 * <searchPath>` with `{"search": {...criteria, numberOfResults, startRow, accurateTotal: true}}`, answered with
 * `{"<plural>": [...], "total": n, "nextResults"?: token}`. Pages follow the `nextResults` token when the server sends
 * one (the Elasticsearch engine, 1.48+: the only way past its 10,000-result window, where `startRow + numberOfResults`
 * may not exceed 10,000), else `startRow`; `accurateTotal` makes `total` exact past 10,000, so the listing stops after
 * the page that completes it — a plan of n objects costs ceil(n / pageSize) requests (at least one). Writes are
 * `restCollection`'s.
 */
export function searchListed(wire: WireFacts, options: SearchOptions): KindApi {
  const base = restCollection(wire, options);
  const plural = pluralOf(wire);
  return {
    ...base,
    async list(client) {
      const seen = new Set<string>();
      const objects: JsonObject[] = [];
      let startRow = 0;
      let next: string | undefined;
      for (let page = 0; ; page++) {
        if (page >= options.maxPages) {
          throw new ApiError(
            `FusionAuth's ${wire.singular} search still had results after ${options.maxPages} pages of ${options.pageSize}; kickstand reads at most ${options.maxPages * options.pageSize} ${plural}`,
            200, { method: 'POST', path: options.searchPath },
          );
        }
        const search: JsonObject = next !== undefined
          ? { nextResults: next, numberOfResults: options.pageSize }
          : { ...options.criteria, numberOfResults: options.pageSize, startRow, accurateTotal: true };
        const req: ApiRequest = { method: 'POST', path: options.searchPath, body: { ...(options.extras ?? {}), search } };
        const res = await client.request<Json>(req);
        const expected = `{"${plural}": [...], "total": n} listing ${wire.singular} objects`;
        const body = objectBody(req, res, expected);
        const items = listItems(wire, req, res);
        addUnique(objects, seen, items);
        const total = body.total;
        if (total !== undefined && (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0)) {
          throw wrongShape(req, res.status, `"total" is ${describeJson(total)}, not a count`, expected);
        }
        const token = body.nextResults;
        if (token !== undefined && token !== null && typeof token !== 'string') throw wrongShape(req, res.status, `"nextResults" is ${describeJson(token)}, not a string`, expected);
        // Done: a short page, or every object the total counts has been read.
        if (items.length < options.pageSize || (typeof total === 'number' && startRow + items.length >= total)) break;
        startRow += items.length;
        next = typeof token === 'string' && token !== '' ? token : undefined;
      }
      return { objects };
    },
  };
}

/** Options of `compositeChild`. */
export interface CompositeChildOptions {
  /** Fields of the child written beside the envelope of its create request, not inside it (`skipRegistrationVerification`). */
  createOptions?: readonly string[];
  /** Rewrites a child's create body before it is sent (a registration's `verified: true` as `skipRegistrationVerification`). */
  createBody?(body: JsonObject): JsonObject;
}

/**
 * Children identified by their parent and the object their key field names rather than by an id of their own (a
 * user's registration for an application, [SITE:docs/apis/registrations/*.mdx]): listed inside the parent like
 * `childCollection`'s, created with `POST <path>/<parentId>` and `{"<singular>": {...}}`, updated with a JSON merge
 * patch at `<path>/<parentId>` (the key field in the body: the OpenAPI file's PATCH path; the docs also accept it in
 * the path since 1.25), deleted at `<path>/<parentId>/<keyFieldValue>`. A retried create answered with a duplicate
 * counts as done.
 */
export function compositeChild(parentWire: WireFacts, wire: WireFacts, keyField: string, options: CompositeChildOptions = {}): KindApi {
  const path = wire.path;
  if (path === undefined || wire.parent === undefined) throw new Error(`compositeChild: ${wire.singular} is not a child with a path`);
  const parentId = (c: Change): string => {
    if (!c.parent) throw new Error(`${wire.singular} change ${c.key} has no parent`);
    return c.parent.id;
  };
  const keyOf = (c: Change): string => {
    const v = c.after?.[keyField] ?? c.before?.[keyField];
    if (typeof v !== 'string') throw new Error(`${wire.singular} change ${c.key} has no ${keyField}`);
    return v;
  };
  const tenant = (c: Change): Pick<ApiRequest, 'tenantId'> => (c.tenantId ? { tenantId: c.tenantId } : {});
  const create = (c: Change): ApiRequest[] => {
    const all = options.createBody ? options.createBody(c.after ?? {}) : c.after ?? {};
    const beside = Object.fromEntries((options.createOptions ?? []).filter((f) => all[f] !== undefined).map((f) => [f, all[f]!]));
    // The planned id goes with it, so that the plan's id is the child's ([SITE:…/_user-registration-request-body.mdx]
    // `registration.id`: "If not specified a secure random UUID will be generated").
    const object = { ...omitPaths(all, options.createOptions ?? []), ...(c.id ? { id: c.id } : {}) };
    return [{ method: 'POST', path: `${path}/${parentId(c)}`, body: { ...beside, [wire.singular]: object }, idempotentCreate: {}, ...tenant(c) }];
  };
  const remove = (c: Change): ApiRequest[] => [{ method: 'DELETE', path: `${path}/${parentId(c)}/${keyOf(c)}`, ...tenant(c) }];
  const children = childCollection(parentWire, { ...wire, path: wire.path });
  return {
    list: children.list,
    ...writer({
      create,
      patch: (c) => [{
        method: 'PATCH', path: `${path}/${parentId(c)}`, body: { [wire.singular]: { ...(c.after ?? {}), [keyField]: keyOf(c) } },
        contentType: 'application/merge-patch+json', ...tenant(c),
      }],
      remove,
    }),
  };
}
