/**
 * The user search API as a FusionAuth with the database search engine serves it: `GET /api/user/search?…` and
 * `POST /api/user/search` with `{"search": {...}, "expand": [...]}` ([SITE:docs/apis/users/search.mdx],
 * [SITE:docs/apis/users/_user-search-request-parameters.mdx], the Java domain classes `UserSearchCriteria`,
 * `BaseElasticSearchCriteria`, `BaseSearchCriteria`). The database engine is the one the emulator emulates: the docs
 * name it FusionAuth's default since 1.16.0 ([SITE:docs/lifecycle/manage-users/search/search.mdx]); a FusionAuth
 * maintainer wrote in 2025 that `search.type` defaults to `elasticsearch` (FusionAuth/fusionauth-site PR #3734), so a
 * server installed with Elasticsearch (the docker-compose setups) accepts more than this: `query`, `nextResults`.
 *
 * What the database engine takes, in order of precedence ("The ids and queryString parameters are mutually exclusive,
 * they are listed here in order of precedence"):
 * - `ids`: the users with these ids, neither paginated nor sorted; `total` is their count;
 * - `queryString`: one term matched, case-insensitively, against `firstName`, `lastName`, `fullName`, `email`,
 *   `phoneNumber` (1.59+) and `username`; `*` matches any run of characters ("You may put the wildcard at any location
 *   in a search string", search.mdx "Limitations"); a term without `*` matches anywhere in the field
 *   (`BaseSearchCriteria.toSearchString`: `%term%`, and the docs' example "… containing piper"), so `*` and the empty
 *   string match every user (live 1.46, users_test.exs: `queryString: ""` answers `total: 2`). No field syntax
 *   (`email:x`), no regular expressions, no ranges.
 * - `numberOfResults` (default 25, `BaseSearchCriteria`), `startRow` (default 0), `sortFields[x].name` among the
 *   database-sortable fields (`UserSearchCriteria.DatabaseSortableFields`: `birthDate`, `email`, `fullName`, `id`,
 *   `insertInstant`, `lastLoginInstant`, `login`, `tenantId`, `username`, and `phoneNumber` since 1.59), `order`
 *   `asc` (default) or `desc`. No maximum for `numberOfResults` is documented for the database engine; the 10,000-hit
 *   window (`max_result_window`) and `accurateTotal` concern Elasticsearch only — the database engine's `total` is
 *   always exact, and `accurateTotal` is accepted and changes nothing.
 * - `expand` (1.48): default `["memberships", "registrations"]`; `[]` leaves both out of each user.
 *
 * Refused: neither `ids` nor `queryString` — 400 with the general error `[invalid]` "You must specify either the
 * [ids], [queryString], or [query] property." (live 1.46, users_test.exs). A `query` (the Elasticsearch JSON query) or
 * a `nextResults` token alone gets that same error: the database engine has neither (the docs list both for the
 * Elasticsearch engine only; the Bulk Delete docs say of `query`: "This parameter is not compatible with the database
 * search engine, it may only be used when Elasticsearch is configured") — no live evidence of the database engine's
 * answer, so the code is the one above. An unknown sort field is `[invalid]` at its path (inferred from
 * `DatabaseSortableFields`). A GET parameter that is not a number or a UUID where one belongs is
 * `[couldNotConvert]<name>` (live 1.46: `[couldNotConvert]applicationId` on a GET).
 *
 * Scope: the `X-FusionAuth-TenantId` header limits the search to its tenant; without it every tenant is searched.
 * Order when no sort field is given: creation order (the emulator's choice; the docs name none). The response is
 * `{"users": [...], "total": N}`; with no hit the empty list is left out, as FusionAuth leaves out empty lists
 * (netcore client test: a user without refresh tokens retrieves `refreshTokens` null; reference §11.4).
 *
 * `PUT /api/user/search` flushes the search index (below): 200 without a body.
 */
import type { Json, JsonObject } from '../../core/types.js';
import { addInvalidJson, Errors } from '../errors.js';
import { page as pageReply } from '../crud.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import type { EmulatorState } from '../state.js';
import { tenantScope } from '../tenancy.js';
import { isObject, isUuid } from '../values.js';
import { bodyOf, UCOL } from './model.js';

/** Fields `queryString` is matched against by the database engine. */
const MATCHED = ['firstName', 'lastName', 'fullName', 'email', 'phoneNumber', 'username'] as const;
/** `UserSearchCriteria.DatabaseSortableFields` (+ `phoneNumber`, 1.59). */
const SORTABLE = new Set(['birthDate', 'email', 'fullName', 'id', 'insertInstant', 'lastLoginInstant', 'login', 'phoneNumber', 'tenantId', 'username']);
/** Default `numberOfResults` (`BaseSearchCriteria.numberOfResults = 25`). */
export const DEFAULT_NUMBER_OF_RESULTS = 25;

/** One sort field. */
interface SortField {
  name: string;
  order: 'asc' | 'desc';
}

/** The criteria of one search, parsed from either form. */
interface Criteria {
  ids: string[];
  queryString?: string;
  query?: string;
  nextResults?: string;
  numberOfResults: number;
  startRow: number;
  sortFields: SortField[];
  expand: string[];
}

/** A string a GET parameter gives as a non-negative integer, or an error. */
function intParam(q: URLSearchParams, name: string, fallback: number, e: Errors): number {
  const v = q.get(name);
  if (v === null || v === '') return fallback;
  if (!/^-?\d+$/.test(v)) {
    e.field(name, '[couldNotConvert]', `Invalid integer [${v}].`);
    return fallback;
  }
  return Number(v);
}

/** The criteria of `GET /api/user/search?…` (`sortFields[0].name=…&sortFields[0].order=…`, repeated `ids`). */
function fromQuery(q: URLSearchParams, e: Errors): Criteria {
  const ids: string[] = [];
  for (const v of q.getAll('ids')) {
    if (isUuid(v)) ids.push(v.toLowerCase());
    else e.field('ids', '[couldNotConvert]', 'Invalid UUID');
  }
  const sortFields: SortField[] = [];
  for (let i = 0; q.has(`sortFields[${i}].name`); i++) {
    sortFields.push({ name: q.get(`sortFields[${i}].name`) ?? '', order: q.get(`sortFields[${i}].order`) === 'desc' ? 'desc' : 'asc' });
  }
  const c: Criteria = {
    ids,
    numberOfResults: intParam(q, 'numberOfResults', DEFAULT_NUMBER_OF_RESULTS, e),
    startRow: intParam(q, 'startRow', 0, e),
    sortFields,
    expand: q.has('expand') ? q.getAll('expand').filter((x) => x !== '') : ['memberships', 'registrations'],
  };
  const qs = q.get('queryString');
  if (qs !== null) c.queryString = qs;
  const query = q.get('query');
  if (query !== null) c.query = query;
  const next = q.get('nextResults');
  if (next !== null) c.nextResults = next;
  return c;
}

/** The criteria of `POST /api/user/search` (`{"search": {...}, "expand": [...]}`); bad types are `[invalidJSON]`. */
function fromBody(body: JsonObject, e: Errors): Criteria {
  const s = isObject(body.search) ? body.search : {};
  const bad = (field: string, what: string): void => void addInvalidJson(e, field, what);
  const int = (field: string, v: Json | undefined, fallback: number): number => {
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    bad(field, 'It must be an integer.');
    return fallback;
  };
  const ids: string[] = [];
  if (s.ids !== undefined && s.ids !== null) {
    if (Array.isArray(s.ids) && s.ids.every(isUuid)) ids.push(...s.ids.map((x) => (x as string).toLowerCase()));
    else bad('search.ids', 'It must be an array of UUIDs.');
  }
  const sortFields: SortField[] = [];
  if (s.sortFields !== undefined && s.sortFields !== null) {
    if (!Array.isArray(s.sortFields) || !s.sortFields.every(isObject)) bad('search.sortFields', 'It must be an array of {name, order} objects.');
    else for (const f of s.sortFields as JsonObject[]) sortFields.push({ name: typeof f.name === 'string' ? f.name : '', order: f.order === 'desc' ? 'desc' : 'asc' });
  }
  const c: Criteria = {
    ids,
    numberOfResults: int('search.numberOfResults', s.numberOfResults, DEFAULT_NUMBER_OF_RESULTS),
    startRow: int('search.startRow', s.startRow, 0),
    sortFields,
    expand: Array.isArray(body.expand) ? body.expand.filter((x): x is string => typeof x === 'string') : ['memberships', 'registrations'],
  };
  for (const k of ['queryString', 'query', 'nextResults'] as const) {
    const v = s[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') bad(`search.${k}`, 'It must be a string.');
    else c[k] = v;
  }
  return c;
}

/** The value a user is sorted by (`login`: the email, else the username — `User.getLogin()`). */
function sortValue(u: JsonObject, name: string): string | number | undefined {
  const v = name === 'login' ? (u.email ?? u.username) : u[name];
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.toLowerCase();
  return undefined;
}

/** A comparator over sort fields; users missing a value sort last. */
function comparator(fields: SortField[]): (a: JsonObject, b: JsonObject) => number {
  return (a, b) => {
    for (const f of fields) {
      const x = sortValue(a, f.name);
      const y = sortValue(b, f.name);
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const c = x < y ? -1 : 1;
      return f.order === 'desc' ? -c : c;
    }
    return 0;
  };
}

/** A `queryString` term as a predicate over field values (database engine: lower-cased `LIKE`, `*` → `%`). */
export function termMatcher(term: string): (value: string) => boolean {
  const t = term.trim().toLowerCase();
  const body = t.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const re = new RegExp(t.includes('*') ? `^${body}$` : body, 's');
  return (value) => re.test(value.toLowerCase());
}

/** The users (of a tenant, or of every tenant) a database-engine `queryString` matches, in creation order. */
export function queryStringHits(state: EmulatorState, tenantId: string | undefined, queryString: string): JsonObject[] {
  const match = termMatcher(queryString);
  return state.store.list(UCOL.users).filter((u) => (tenantId === undefined || u.tenantId === tenantId) && MATCHED.some((f) => typeof u[f] === 'string' && match(u[f] as string)));
}

/** A user as the search returns it, with `registrations`/`memberships` only when `expand` asks for them. */
function shown(u: JsonObject, expand: string[]): JsonObject {
  const out = structuredClone(u);
  if (!expand.includes('registrations')) delete out.registrations;
  if (!expand.includes('memberships')) delete out.memberships;
  return out;
}

/** Run a search. */
function search(req: EmulatorRequest, state: EmulatorState, c: Criteria, e: Errors): Reply {
  if (c.ids.length === 0 && c.queryString === undefined) {
    e.general('[invalid]', 'You must specify either the [ids], [queryString], or [query] property.');
  }
  c.sortFields.forEach((f, i) => {
    if (!SORTABLE.has(f.name)) e.field(`search.sortFields[${i}].name`, '[invalid]', `The sort field [${f.name}] is not one the database search engine can sort by.`);
  });
  if (!e.empty) return e.reply();
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope.reply;
  const inScope = (u: JsonObject): boolean => scope.tenantId === undefined || u.tenantId === scope.tenantId;
  let hits: JsonObject[];
  if (c.ids.length > 0) {
    const wanted = new Set(c.ids);
    hits = state.store.list(UCOL.users).filter((u) => wanted.has(String(u.id)) && inScope(u));
    return reply(hits, hits.length, c.expand);
  }
  hits = queryStringHits(state, scope.tenantId, c.queryString ?? '');
  if (c.sortFields.length > 0) hits = [...hits].sort(comparator(c.sortFields));
  const start = Math.max(0, c.startRow);
  const page = hits.slice(start, start + Math.max(0, c.numberOfResults));
  return reply(page, hits.length, c.expand);
}

/** The search response; an empty page leaves `users` out (crud.ts `page`). */
function reply(users: JsonObject[], total: number, expand: string[]): Reply {
  return pageReply('users', users.map((u) => shown(u, expand)), total);
}

/** The user search routes. */
export const searchRoutes: RouteModule = {
  name: 'userSearch',
  routes: [
    {
      // "Flush the Search Engine" ([SITE:docs/apis/users/flush-search.mdx]): `PUT /api/user/search`, no request body;
      // "The response does not contain a body" (200), listed for every engine. The emulator's search reads the store
      // directly, as the database engine reads its tables, so there is nothing to flush.
      method: 'PUT',
      path: '/api/user/search',
      handle: () => ({ status: 200 }),
    },
    {
      method: 'GET',
      path: '/api/user/search',
      handle: (req, state) => {
        const e = new Errors();
        return search(req, state, fromQuery(req.query, e), e);
      },
    },
    {
      method: 'POST',
      path: '/api/user/search',
      handle: (req, state) => {
        const e = new Errors();
        return search(req, state, fromBody(bodyOf(req), e), e);
      },
    },
  ],
};
