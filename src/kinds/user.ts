/**
 * Users: seed data, safe to re-run (issue 13). `/api/user/{userId}` for one user; FusionAuth has no retrieve-all of
 * users, so they are listed through the user search API, page by page ([SITE:docs/apis/users/search.mdx]; see
 * `USER_SEARCH`). Registrations are a child kind written in the user's entry (`users[].registrations`,
 * src/kinds/userRegistration.ts) and read from the same search replies, without a request of their own.
 *
 * Rules and their sources:
 * - matched by pinned id, else derived id, else email, else username, else phone number, within the user's tenant
 *   (FusionAuth keeps each login id unique within a tenant, emails and usernames regardless of case:
 *   [SITE:docs/apis/users/_user-request-body.mdx] `user.email` "stored in lower case", `user.username` "considered
 *   unique regardless of the case"); a matched user's login ids are compared like any other declared field;
 * - `tenantId` (a key or UUID) is fixed once the user exists (FusionAuth has no API that moves a user); left out, the
 *   user goes to the tenant of its first registration's application — what FusionAuth does for a user and
 *   registration created together without a tenant header (reference §13, leo-technologies-llc/fusion_auth) — else to
 *   the Default tenant. When that application is named by id and is not in the files, its tenant is not known to the
 *   plan: the create goes without a tenant header and the server takes the application's;
 * - `password` is sent when the user is created and never compared: FusionAuth never returns it ([SITE:…/_user-request-body.mdx]
 *   "will never be stored and cannot be retrieved"; reference §13, the python and go clients' tests). So are the create
 *   request's options (`skipVerification`, `sendSetPasswordEmail`) and the state the server owns after creation
 *   (`passwordChangeRequired`, cleared when the user changes the password; `verified`). `resetPassword: true` on an
 *   entry sends its password again on the next apply (shown as a change of the masked password);
 * - verification state is seeded at create: `verified: true` creates the user through the Import API with
 *   `users[x].verified` ([SITE:docs/apis/users/_import-users-request-body.mdx]: "mark the user as having a verified email
 *   address and/or phone number", reason `Import`); `skipVerification: true` makes its identities `Skipped`; otherwise
 *   FusionAuth decides from the tenant's settings (`Pending` when it verifies emails or phone numbers, `Disabled` when
 *   not: reference §12);
 * - an email is stored in lower case and a phone number in E.164 ([SITE:…/_user-request-body.mdx] `user.phoneNumber`
 *   "stored and returned in E.164 canonical format"): the loader lowercases emails, and a phone number not written in
 *   E.164 is an offline error (otherwise it would differ from the stored one on every plan);
 * - users are never deleted or replaced by kickstand; `active: false` deactivates a user (FusionAuth's soft delete, the
 *   user and their data stay) and `active: true` reactivates it;
 * - a password written literally in the files, for a user registered to the FusionAuth admin application, against a
 *   server that is not on this machine draws a warning: the classic leak of a bootstrap file;
 * - after an apply that wrote users or registrations, the user search index is refreshed once (`USER_SEARCH_REFRESH`),
 *   so that a plan right after it finds them on an Elasticsearch-backed FusionAuth.
 */
import type { PlanContext, RuleViolation } from '../core/kind.js';
import { isJsonObject, omitPaths } from '../core/normalize.js';
import type { Change, Diagnostic, JsonObject } from '../core/types.js';
import { FUSIONAUTH_APP_ID, WIRE } from '../fusionauth/wire.js';
import type { ApiRequest } from '../fusionauth/types.js';
import { searchListed, type AfterWrite, type RestOptions, type SearchOptions } from './api.js';
import { defineKind } from './define.js';

/**
 * How users are listed: `POST /api/user/search` with `queryString: "*"` (both search engines: the database engine's
 * "A value of `*` will match all records", Elasticsearch's query string), sorted by id so that pages do not overlap,
 * `expand: ["registrations"]` (1.48+: leave out group memberships; older servers ignore it and always return both),
 * 10,000 users a page — Elasticsearch's result window (`startRow + numberOfResults` ≤ 10,000 by default), the largest
 * page both engines serve, so a plan of up to 10,000 users reads them in one request; past it a 1.48+ server pages with
 * its `nextResults` token, an older one with `startRow` — at most 50 pages (500,000 users). A page of 10,000 users with
 * their registrations is about 15 MB, well inside the client's response bound.
 */
export const USER_SEARCH: Omit<SearchOptions, keyof RestOptions> = {
  searchPath: WIRE.user.searchPath!,
  criteria: { queryString: '*', sortFields: [{ name: 'id', order: 'asc' }] },
  extras: { expand: ['registrations'] },
  pageSize: 10_000,
  maxPages: 50,
};

/**
 * After an apply that wrote users or registrations: `PUT /api/user/search`, FusionAuth's "Flush the Search Engine"
 * ([SITE:docs/apis/users/flush-search.mdx]; the clients' `refreshUserSearchIndex`: "Request a refresh of the User search
 * index … if you are using the Search API … immediately following a User Create"). Why: with the Elasticsearch engine
 * the index is eventually consistent (FusionAuth/fusionauth-issues#407: "the insert into the index is async … you can
 * flush the index"; FusionAuth/fusionauth-site PR #2563: "There are no latency guarantees"), so a plan run right after
 * the apply (a CI pipeline) could miss the users just created, plan them again and fail with `[duplicate]user.email`.
 * The docs answer it without a body (200) and restrict it to no search engine. Sent once per apply, not per user: each
 * refresh costs the index ("This isn't recommended for performance reasons", #407).
 */
export const USER_SEARCH_REFRESH: AfterWrite = {
  request: { method: 'PUT', path: WIRE.user.searchPath! },
  purpose: "refresh FusionAuth's user search index",
  ifFailed: "a plan right after this may not see the new users until FusionAuth's search index refreshes (a plan that creates them again fails with [duplicate]user.email; wait a moment and plan again)",
};

/** Options of the user create request beside `user` (UserRequest, [SITE:…/_user-request-body.mdx]). */
const CREATE_OPTIONS = ['skipVerification', 'sendSetPasswordEmail'] as const;
/** Options of a registration create request beside `registration` (RegistrationRequest). */
const REGISTRATION_OPTIONS = ['skipRegistrationVerification'] as const;

const E164 = /^\+[1-9]\d{1,14}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  const has = (f: string) => typeof body[f] === 'string' && (body[f] as string).trim() !== '';
  // FusionAuth: "You must specify either the email or the username or both" (phoneNumber since 1.59).
  if (!has('email') && !has('username') && !has('phoneNumber')) out.push({ path: '', message: 'a user needs a login id: email, username or phoneNumber' });
  if (typeof body.phoneNumber === 'string' && !E164.test(body.phoneNumber)) {
    out.push({ path: 'phoneNumber', message: 'write the phone number in E.164 (for example +13035551212): FusionAuth stores it so, and any other spelling would differ on every plan' });
  }
  // [SITE:…/_user-request-body.mdx] `user.birthDate`: "An ISO-8601 formatted date … such as YYYY-MM-DD".
  if (typeof body.birthDate === 'string' && (!DATE.test(body.birthDate) || Number.isNaN(Date.parse(`${body.birthDate}T00:00:00Z`)))) {
    out.push({ path: 'birthDate', message: 'must be a date written YYYY-MM-DD' });
  }
  if (body.resetPassword === true && typeof body.password !== 'string') out.push({ path: 'resetPassword', message: 'resetPassword sets the password written in password: write one' });
  // [SITE:docs/apis/_shared/_user-send-set-password-email.mdx]: "When you set this value to true, any provided password
  // field is ignored."
  if (body.sendSetPasswordEmail === true && body.password !== undefined && body.password !== null) {
    out.push({ path: 'password', message: 'FusionAuth ignores the password of a user created with sendSetPasswordEmail: true (the user sets one from the email): write one or the other' });
  }
  if (body.verified === true) {
    // A verified user is imported: the Import API has neither option.
    for (const f of CREATE_OPTIONS) if (body[f] !== undefined) out.push({ path: f, message: `${f} cannot be combined with verified: true (a verified user is created through FusionAuth's Import API, which sends nothing)` });
  }
  return out;
}

/** The registration objects of a create body, with their create options separated. */
function registrationsOf(after: JsonObject): Array<{ registration: JsonObject; skip: boolean }> {
  const regs = Array.isArray(after.registrations) ? after.registrations.filter(isJsonObject) : [];
  return regs.map((r) => ({
    registration: omitPaths(r, [...REGISTRATION_OPTIONS, 'verified']),
    // FusionAuth: skipRegistrationVerification "will set registration.verified to true as well".
    skip: r.skipRegistrationVerification === true || r.verified === true,
  }));
}

/**
 * The requests that create a user and its registrations: one Import API call for a `verified: true` user (its
 * registrations inside, `validateDbConstraints` so a taken login id is a 400 and not a 500); otherwise the user
 * created together with its first registration (`POST /api/user/registration/{userId}`) — or alone at
 * `POST /api/user/{userId}` — then one request per further registration.
 */
function createRequests(c: Change, objectPath: string): ApiRequest[] {
  const after = c.after ?? {};
  const regs = registrationsOf(after);
  const user = omitPaths(after, ['registrations', 'verified', 'active', ...CREATE_OPTIONS]);
  if (after.verified === true) {
    const imported = regs.map(({ registration, skip }) => ({ ...registration, ...(skip ? { verified: true } : {}) }));
    // The Import API's `users[x].active` "defaults false … Generally this should be set to true during the bulk import".
    return [{
      method: 'POST', path: '/api/user/import',
      body: { users: [{ ...user, id: c.id!, active: after.active !== false, verified: true, ...(imported.length > 0 ? { registrations: imported } : {}) }], validateDbConstraints: true },
    }];
  }
  // A user is created active; `active: false` deactivates it right after (FusionAuth's soft delete).
  const deactivate: ApiRequest[] = after.active === false ? [{ method: 'DELETE', path: objectPath }] : [];
  const options: JsonObject = Object.fromEntries(CREATE_OPTIONS.filter((f) => after[f] !== undefined).map((f) => [f, after[f]!]));
  const regPath = `${WIRE.userRegistration.path!}/${c.id!}`;
  const regOptions = (skip: boolean): JsonObject => (skip ? { skipRegistrationVerification: true } : {});
  const [first, ...rest] = regs;
  if (!first) return [{ method: 'POST', path: objectPath, body: { ...options, user } }, ...deactivate];
  return [
    { method: 'POST', path: regPath, body: { ...options, ...regOptions(first.skip), user, registration: first.registration } },
    ...rest.map(({ registration, skip }): ApiRequest => ({ method: 'POST', path: regPath, body: { ...regOptions(skip), registration } })),
    ...deactivate,
  ];
}

/**
 * The requests of an update: the declared fields as a JSON merge patch, and a change of `active` through FusionAuth's
 * own calls ([SITE:docs/apis/users/delete.mdx]: a DELETE without `hardDelete` deactivates the user, who keeps their data;
 * [SITE:docs/apis/users/reactivate.mdx]: `PUT /api/user/{userId}?reactivate=true`) — reactivated before the patch,
 * deactivated after it. kickstand never sends `hardDelete`.
 */
function updateRequests(c: Change, objectPath: string): ApiRequest[] {
  const { active, ...fields } = c.after ?? {};
  const patch: ApiRequest[] = Object.keys(fields).length > 0
    ? [{ method: 'PATCH', path: objectPath, body: { user: fields }, contentType: 'application/merge-patch+json' }]
    : [];
  if (active === true) return [{ method: 'PUT', path: objectPath, query: { reactivate: 'true' } }, ...patch];
  if (active === false) return [...patch, { method: 'DELETE', path: objectPath }];
  return patch;
}

/** True for a host on this machine: a literal password sent there stays there. */
function isLoopback(target: string): boolean {
  let host: string;
  try {
    host = new URL(target).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * A literal password (not from a sensitive variable or the environment) for a user registered to the FusionAuth admin
 * application, planned against a server that is not on this machine: a warning at the password.
 */
function checkPlan(_changes: readonly Change[], ctx: PlanContext): Diagnostic[] {
  if (ctx.target === undefined || isLoopback(ctx.target)) return [];
  const admins = new Set(ctx.resources
    .filter((r) => r.kind === 'userRegistration' && r.parent && typeof r.body.applicationId === 'string' && r.body.applicationId.toLowerCase() === FUSIONAUTH_APP_ID)
    .map((r) => r.parent!.key));
  const out: Diagnostic[] = [];
  for (const r of ctx.resources) {
    if (r.kind !== 'user' || !admins.has(r.key) || typeof r.body.password !== 'string') continue;
    if ((r.sensitivePaths ?? []).some((p) => p === 'password')) continue;
    out.push({
      severity: 'warning',
      message: `user "${r.key}" is registered to the FusionAuth admin application with a password written in the file, and ${ctx.target} is not this machine: ` +
        'anyone who reads the file can sign in to the admin UI; take the password from a sensitive variable or the environment ({{env "ADMIN_PASSWORD"}}), or let the user set it (sendSetPasswordEmail)',
      where: { ...r.source.pos('password'), path: 'password', kind: r.kind, key: r.key },
    });
  }
  return out;
}

/** The user kind. */
export const user = defineKind({
  name: 'user',
  section: 'users',
  title: 'user',
  wire: WIRE.user,
  tenantField: WIRE.user.tenantField!,
  // Registrations are a child kind: their writes trigger the refresh too (apply sends it for a kind and its children).
  api: searchListed(WIRE.user, { ...USER_SEARCH, createRequests, updateRequests, afterWrites: [USER_SEARCH_REFRESH] }),
  // What FusionAuth owns: instants, identities (built from the login ids), the password's bookkeeping, moderation,
  // group memberships (groups are not managed yet) and two-factor methods (their own API).
  serverFields: [
    'id', 'insertInstant', 'lastUpdateInstant', 'lastLoginInstant', 'passwordLastUpdateInstant', 'identities',
    'breachedPasswordLastCheckedInstant', 'breachedPasswordStatus', 'cleanSpeakId', 'connectorId', 'encryptionScheme',
    'factor', 'salt', 'uniqueUsername', 'usernameStatus', 'verifiedInstant', 'passwordChangeReason', 'memberships', 'twoFactor',
  ],
  secretFields: ['password'],
  createOnlyFields: ['password', ...CREATE_OPTIONS, 'passwordChangeRequired', 'verified'],
  createOnlyReset: { field: 'resetPassword', fields: ['password'] },
  immutableFields: [
    { path: 'tenantId', reason: 'FusionAuth cannot move a user to another tenant' },
    // [SITE:…/_user-request-body.mdx] `user.legacyIdentifier`: "immutable after the user is created" (1.67).
    { path: 'legacyIdentifier', reason: 'FusionAuth fixes a legacy identifier when the user is created' },
  ],
  features: [{ path: 'phoneNumber', since: '1.59.0' }, { path: 'legacyIdentifier', since: '1.67.0' }],
  nameField: 'email',
  matchFields: [{ path: 'email', fold: true }, { path: 'username', fold: true }, { path: 'phoneNumber' }],
  impliedTenant: { childKind: 'userRegistration', ref: 'applicationId' },
  neverRemoved: true,
  normalize: (body) => (typeof body.email === 'string' ? { ...body, email: body.email.toLowerCase() } : body),
  validate,
  checkPlan,
  examples: 'users',
  openapi: {
    schema: 'User',
    entry: 'User',
    description: 'Users to seed: created once with their password and registrations, then kept to what the files declare; never deleted by kickstand.',
    extra: {
      resetPassword: { type: 'boolean', description: 'Send password again on the next apply, although the user exists (a password is otherwise set only when kickstand creates the user). Remove it afterwards: every apply with it sets the password again.' },
    },
  },
});

/** For tests: whether kickstand considers a server URL to be on this machine. */
export const isLoopbackTarget = isLoopback;

