/**
 * The Registration API ([SITE:docs/apis/registrations/*.mdx], OpenAPI `RegistrationRequest`/`RegistrationResponse`,
 * the Java domain class `io.fusionauth.domain.UserRegistration`):
 * - `POST /api/user/registration[/{userId}]` with `user` and `registration`: creates the user and its registration in
 *   one call; with only `registration`: registers the existing user of the path;
 * - `GET /api/user/registration/{userId}/{applicationId}`;
 * - `PUT` and `PATCH /api/user/registration/{userId}[/{applicationId}]` (the application from the path, else from
 *   `registration.applicationId`: "If the applicationId is provided in both the URL and the request body, the value on
 *   the URL will take precedence", update-a-user-registration.mdx);
 * - `DELETE /api/user/registration/{userId}/{applicationId}`.
 *
 * Codes, from live-server evidence first: live 1.46 (leo-technologies-llc/fusion_auth registrations_test.exs) —
 * `[missing]registration.applicationId` "You must specify the [registration.applicationId] property." on create and
 * update; `[missing]userId` "The Id of the User was not specified on the URL." for a registration without a user
 * object or a user id; `[invalid]userId` "The user with Id [...] does not exist." for a registration to an unknown
 * user; 404 with an empty body for a retrieve, update or delete of an unknown user or application, numeric ids
 * included (they convert to UUIDs that name nothing; other ids that do not convert are `[couldNotConvert]`, crud.ts
 * `pathId`). fusionauth-issues #1452 (1.30.2): a role the application does not have is `[invalid]registration.roles`
 * "The role [admin] does not exist in the Application indicated by the [registration.applicationId] property.". The
 * hosted pages' registration form moves `[invalid]registration.applicationId` (decompiled front end) — the code for an
 * application that does not exist in the user's tenant. `[duplicate]registration` for a second registration to the
 * same application is what third-party clients key on (code index); the field key `registration` is inferred.
 */
import type { Json, JsonObject } from '../../core/types.js';
import { pathId, patched } from '../crud.js';
import { Errors, tenantIdRequired } from '../errors.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import { col, type Cascade, type EmulatorState } from '../state.js';
import { tenantScope } from '../tenancy.js';
import { isObject, isUuid } from '../values.js';
import { applicationById, appServesTenant, bodyOf, invalid, pathUuid, scopedUser, tenantById, UCOL } from './model.js';
import { conversionError, newUserId, prepareUser, setPasswordOptions, startPhoneVerification, storeUser, userResponse, validTimezone } from './users.js';

/** Registration fields a client may set that the emulator keeps (domain class `UserRegistration`). */
const REGISTRATION_FIELDS = ['cleanSpeakId', 'data', 'preferredLanguages', 'timezone', 'username'] as const;

/** The registrations of a user (the stored array). */
export function registrationsOf(user: JsonObject): JsonObject[] {
  return Array.isArray(user.registrations) ? user.registrations.filter(isObject) : [];
}

/**
 * Validate a request registration for a user of `tenant`; returns the application. `existing` is the user whose
 * registrations a create must not duplicate; `updating` skips that check.
 */
export function validateRegistration(state: EmulatorState, tenant: JsonObject, r: JsonObject, existing: JsonObject | undefined, e: Errors, updating = false): JsonObject | undefined {
  const appId = r.applicationId;
  if (appId === undefined || appId === null || (typeof appId === 'string' && appId.trim() === '')) {
    e.field('registration.applicationId', '[missing]', 'You must specify the [registration.applicationId] property.');
    return undefined;
  }
  const app = applicationById(state, appId);
  if (!app || !appServesTenant(app, tenant.id) || app.active === false) {
    e.field('registration.applicationId', '[invalid]', `The Application with Id [${String(appId)}] does not exist in the user's tenant or is inactive.`);
    return undefined;
  }
  if (!updating && existing && registrationsOf(existing).some((x) => x.applicationId === app.id)) {
    e.fieldWithCode('registration', '[duplicate]registration', `The user is already registered for the Application with Id [${String(app.id)}].`);
  }
  if (r.roles !== undefined && r.roles !== null) {
    if (!(Array.isArray(r.roles) && r.roles.every((x) => typeof x === 'string'))) conversionError(e, 'registration.roles', 'The roles must be an array of role names.');
    else {
      const names = new Set((Array.isArray(app.roles) ? app.roles.filter(isObject) : []).map((x) => x.name));
      for (const role of r.roles as string[]) {
        if (!names.has(role)) e.field('registration.roles', '[invalid]', `The role [${role}] does not exist in the Application indicated by the [registration.applicationId] property.`);
      }
    }
  }
  if (r.timezone !== undefined && r.timezone !== null && !(typeof r.timezone === 'string' && validTimezone(r.timezone))) {
    conversionError(e, 'registration.timezone', 'The timezone must be an IANA time zone id such as America/Denver (java.time.ZoneId).');
  }
  if (r.preferredLanguages !== undefined && r.preferredLanguages !== null && !(Array.isArray(r.preferredLanguages) && r.preferredLanguages.every((l) => typeof l === 'string'))) {
    conversionError(e, 'registration.preferredLanguages', 'The preferredLanguages must be an array of locale strings.');
  }
  if (r.data !== undefined && r.data !== null && !isObject(r.data)) conversionError(e, 'registration.data', 'The data must be a JSON object.');
  return app;
}

/**
 * The stored registration, normalised as `UserRegistration.normalize()` does (`username` trimmed, `data` keys whose
 * value is null removed) with `roles` a `SortedSet` (a `TreeSet`: sorted, no duplicates). Roles default to the
 * application's `isDefault` roles when the request names none. An update (`previous`) keeps the registration's id,
 * creation, last login and verification. Registration verification (`application.registrationVerification`) is not
 * emulated: new registrations are verified.
 */
export function buildRegistration(state: EmulatorState, app: JsonObject, r: JsonObject, previous?: JsonObject): JsonObject {
  const now = state.now();
  const reg: JsonObject = previous
    ? { id: String(previous.id), applicationId: String(app.id), insertInstant: previous.insertInstant as Json, lastUpdateInstant: now, usernameStatus: 'ACTIVE' }
    // [SITE:docs/apis/registrations/_user-registration-request-body.mdx] `registration.id` (POST): "The Id of this
    // registration. If not specified a secure random UUID will be generated."
    : { id: typeof r.id === 'string' && isUuid(r.id) ? r.id.toLowerCase() : state.newId(), applicationId: String(app.id), insertInstant: now, lastUpdateInstant: now, usernameStatus: 'ACTIVE' };
  if (previous?.lastLoginInstant !== undefined) reg.lastLoginInstant = previous.lastLoginInstant;
  for (const k of REGISTRATION_FIELDS) {
    let v = r[k];
    if (v === undefined || v === null) continue;
    if (k === 'username' && typeof v === 'string') v = v.trim();
    if (k === 'data' && isObject(v)) v = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null));
    reg[k] = structuredClone(v);
  }
  const appRoles = Array.isArray(app.roles) ? app.roles.filter(isObject) : [];
  const roles = Array.isArray(r.roles) ? r.roles.map(String) : previous ? [] : appRoles.filter((x) => x.isDefault === true).map((x) => String(x.name));
  reg.roles = [...new Set(roles)].sort();
  reg.verified = previous ? previous.verified === true : true;
  if (reg.verified) reg.verifiedInstant = (previous?.verifiedInstant as Json | undefined) ?? now;
  return reg;
}

/** Put a registration into a user, keeping the list sorted by application id as `User.sort()` does. */
export function putRegistration(user: JsonObject, reg: JsonObject): void {
  const regs = registrationsOf(user).filter((x) => x.applicationId !== reg.applicationId);
  regs.push(reg);
  regs.sort((a, b) => String(a.applicationId).localeCompare(String(b.applicationId)));
  user.registrations = regs;
}

/**
 * The tenant of a user + registration create: the header's; else, with no header, the tenant of the registration's
 * application — live 1.46 (§13: "a user + registration create with no tenant header takes the application's tenant")
 * and the netcore client test, whose `createUser()` registers without a tenant while other tenants exist — else the
 * only tenant, else `[TenantIdRequired]` (reference §1.2).
 */
function tenantForRegistration(state: EmulatorState, req: EmulatorRequest, applicationId: unknown): { tenant: JsonObject } | { reply: Reply } {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope;
  if (scope.tenantId) return { tenant: tenantById(state, scope.tenantId) as JsonObject };
  const app = applicationById(state, applicationId);
  const own = app ? tenantById(state, app.tenantId) : undefined;
  if (own) return { tenant: own };
  const tenants = state.store.list(col('tenant'));
  if (tenants.length === 1) return { tenant: tenants[0] as JsonObject };
  return { reply: tenantIdRequired() };
}

/** `POST /api/user/registration[/{userId}]`. */
async function register(req: EmulatorRequest, state: EmulatorState): Promise<Reply> {
  const b = bodyOf(req);
  const e = new Errors();
  if (!isObject(b.user)) {
    // A registration for an existing user: the user id must be on the URL.
    const raw = req.params.userId;
    if (raw === undefined) return invalid('userId', '[missing]', 'The Id of the User was not specified on the URL.');
    const scope = tenantScope(state, req);
    if ('reply' in scope) return scope.reply;
    const uid = pathUuid(raw);
    if (uid === undefined) return invalid('userId', '[couldNotConvert]', 'Invalid UUID');
    const user = state.store.get(UCOL.users, uid);
    if (!user || (scope.tenantId !== undefined && user.tenantId !== scope.tenantId)) return invalid('userId', '[invalid]', `The user with Id [${uid}] does not exist.`);
    if (!isObject(b.registration)) return invalid('registration', '[missing]', 'Your request is missing the registration object.');
    const tenant = tenantById(state, user.tenantId) as JsonObject;
    const app = validateRegistration(state, tenant, b.registration, user, e);
    if (!e.empty || !app) return e.reply();
    const reg = buildRegistration(state, app, b.registration);
    putRegistration(user, reg);
    user.lastUpdateInstant = state.now();
    state.store.put(UCOL.users, user);
    return { status: 200, body: { ...userResponse(state, user), registration: structuredClone(reg) } };
  }
  if (!isObject(b.registration)) return invalid('registration', '[missing]', 'Your request is missing the registration object.');
  const t = tenantForRegistration(state, req, b.registration.applicationId);
  if ('reply' in t) return t.reply;
  const id = newUserId(state, req);
  if ('reply' in id) return id.reply;
  const app = validateRegistration(state, t.tenant, b.registration, undefined, e);
  const p = await prepareUser(state, { tenant: t.tenant, id: id.id, user: b.user, skipVerification: b.skipVerification === true, verificationIds: b.verificationIds, setPassword: setPasswordOptions(b) }, e);
  if (!p || !app) return e.reply();
  const reg = buildRegistration(state, app, b.registration);
  putRegistration(p.user, reg);
  storeUser(state, p);
  if (p.verifyPhone) startPhoneVerification(state, t.tenant, p.user, String(app.id));
  return { status: 200, body: { ...userResponse(state, p.user), registration: structuredClone(reg) } };
}

/**
 * The user and its registration a by-id registration request addresses, or 404 with an empty body. `applicationId`
 * is the path's (converted as every path id is, crud.ts `pathId`: 400 `[couldNotConvert]applicationId` when it does
 * not convert) unless the caller passes the body's.
 */
function scopedRegistration(state: EmulatorState, req: EmulatorRequest, fromBody?: Json): { user: JsonObject; reg: JsonObject } | { reply: Reply } {
  const s = scopedUser(state, req);
  if ('reply' in s) return s;
  let appId: string | undefined;
  if (fromBody === undefined) {
    const p = pathId(req, 'applicationId', 'applicationId');
    if ('reply' in p) return p;
    appId = p.id;
  } else if (typeof fromBody === 'string') appId = pathUuid(fromBody);
  const reg = appId === undefined ? undefined : registrationsOf(s.user).find((x) => x.applicationId === appId);
  if (!reg) return { reply: { status: 404 } };
  return { user: s.user, reg };
}

/** `GET /api/user/registration/{userId}/{applicationId}` → `{registration}`. */
function retrieveRegistration(req: EmulatorRequest, state: EmulatorState): Reply {
  const r = scopedRegistration(state, req);
  if ('reply' in r) return r.reply;
  return { status: 200, body: { registration: structuredClone(r.reg) } };
}

/**
 * `PUT`/`PATCH /api/user/registration/{userId}[/{applicationId}]` → `{registration}`. PUT replaces the registration's
 * fields (roles included); PATCH applies the request to `{"registration": stored}` (patch.ts; a plain JSON PATCH
 * appends to `roles`, which the `SortedSet` then sorts and de-duplicates) and validates the result like a PUT.
 */
async function updateRegistration(req: EmulatorRequest, state: EmulatorState, mode: 'put' | 'patch'): Promise<Reply> {
  const s = scopedUser(state, req);
  if ('reply' in s) return s.reply;
  const b = bodyOf(req);
  const bodyReg = isObject(b.registration) ? b.registration : undefined;
  const appParam = req.params.applicationId;
  let appId: Json | undefined = bodyReg?.applicationId;
  if (appParam !== undefined) {
    const p = pathId(req, 'applicationId', 'applicationId');
    if ('reply' in p) return p.reply;
    appId = p.id;
  }
  if (appId === undefined || appId === null || appId === '') {
    return invalid('registration.applicationId', '[missing]', 'You must specify the [registration.applicationId] property.');
  }
  const found = scopedRegistration(state, req, appId);
  if ('reply' in found) return found.reply;
  let r: JsonObject;
  if (mode === 'put') {
    if (!bodyReg) return invalid('registration', '[missing]', 'Your request is missing the registration object.');
    r = { ...bodyReg, applicationId: appId };
  } else {
    const p = patched(req, 'registration', found.reg);
    if ('reply' in p) return p.reply;
    r = { ...p.obj, applicationId: appId };
  }
  const tenant = tenantById(state, s.user.tenantId) as JsonObject;
  const e = new Errors();
  const app = validateRegistration(state, tenant, r, s.user, e, true);
  if (!e.empty || !app) return e.reply();
  const reg = buildRegistration(state, app, r, found.reg);
  putRegistration(s.user, reg);
  s.user.lastUpdateInstant = state.now();
  state.store.put(UCOL.users, s.user);
  return { status: 200, body: { registration: structuredClone(reg) } };
}

/** `DELETE /api/user/registration/{userId}/{applicationId}`: 200 with an empty body, 404 when there is none. */
function deleteRegistration(req: EmulatorRequest, state: EmulatorState): Reply {
  const r = scopedRegistration(state, req);
  if ('reply' in r) return r.reply;
  r.user.registrations = registrationsOf(r.user).filter((x) => x !== r.reg);
  r.user.lastUpdateInstant = state.now();
  state.store.put(UCOL.users, r.user);
  return { status: 200 };
}

/**
 * A hard-deleted application takes every registration to it: decompiled `DefaultApplicationService.delete` runs
 * `userMapper.deleteRegistrationsForApplication` (`DELETE FROM user_registrations WHERE applications_id = …`, decompiled
 * `UserMapper`), and the OpenAPI 1.69 description of `DELETE /api/application/{applicationId}?hardDelete=true` says
 * "This will delete the application, any registrations for that application, … all the roles for the application". A plain SQL delete: the users' `lastUpdateInstant` stays.
 * A soft delete (deactivation, `applicationMapper.deactivate` only) keeps the registrations, and a user still shows
 * them: fusionauth-site PR #563 (for fusionauth-issues #1163) documents that a user's registrations include those of
 * inactive applications, and fusionauth-issues #2684 (2024) asks for a flag to tell them apart.
 */
const applicationRegistrations: Cascade = {
  collection: col('application'),
  remove: (state, app) => {
    for (const user of state.store.list(UCOL.users)) {
      const regs = registrationsOf(user);
      if (!regs.some((r) => r.applicationId === app.id)) continue;
      state.store.put(UCOL.users, { ...user, registrations: regs.filter((r) => r.applicationId !== app.id) });
    }
  },
};

/**
 * Replace the role name `from` on every registration to `app` that holds it: with `to`, or (undefined) by nothing.
 * Registrations hold role names here, where the server joins registrations to roles by role id.
 */
function regrant(state: EmulatorState, app: JsonObject, from: Json | undefined, to: string | undefined): void {
  for (const user of state.store.list(UCOL.users)) {
    const regs = registrationsOf(user);
    const reg = regs.find((r) => r.applicationId === app.id);
    if (!reg || !Array.isArray(reg.roles) || !reg.roles.includes(from as Json)) continue;
    const names = reg.roles.filter((n) => n !== from).map(String);
    const next = { ...reg, roles: to === undefined ? names : [...new Set([...names, to])].sort() };
    state.store.put(UCOL.users, { ...user, registrations: regs.map((r) => (r === reg ? next : r)) });
  }
}

/**
 * A deleted role leaves every registration that granted it: decompiled `DefaultApplicationService.deleteRole` runs
 * `applicationMapper.deleteRolesFromUsers([roleId])` before deleting the role (so does `delete` for all the roles of a
 * hard-deleted application); the OpenAPI 1.69 description of `DELETE /api/application/{applicationId}/role/{roleId}`:
 * "This permanently removes the given role from all users that had it." A renamed role is shown under its new name:
 * the grants are rows keyed by role id (`deleteRolesFromUsers` takes role ids), so a registration reads the role's
 * current name; here the name held on the registrations follows the rename, kept sorted (`SortedSet`).
 */
const roleGrants: Cascade = {
  collection: col('applicationRole'),
  remove: (state, role, app) => {
    if (app) regrant(state, app, role.name, undefined);
  },
  update: (state, before, after, app) => {
    if (app && typeof after.name === 'string' && after.name !== before.name) regrant(state, app, before.name, after.name);
  },
};

/** The Registration routes. */
export const registrationRoutes: RouteModule = {
  name: 'userRegistration',
  cascades: [applicationRegistrations, roleGrants],
  routes: [
    { method: 'POST', path: '/api/user/registration', handle: (req, state) => register(req, state) },
    { method: 'POST', path: '/api/user/registration/:userId', handle: (req, state) => register(req, state) },
    { method: 'GET', path: '/api/user/registration/:userId/:applicationId', handle: (req, state) => retrieveRegistration(req, state) },
    { method: 'PUT', path: '/api/user/registration/:userId', handle: (req, state) => updateRegistration(req, state, 'put') },
    { method: 'PUT', path: '/api/user/registration/:userId/:applicationId', handle: (req, state) => updateRegistration(req, state, 'put') },
    { method: 'PATCH', path: '/api/user/registration/:userId', handle: (req, state) => updateRegistration(req, state, 'patch') },
    { method: 'PATCH', path: '/api/user/registration/:userId/:applicationId', handle: (req, state) => updateRegistration(req, state, 'patch') },
    { method: 'DELETE', path: '/api/user/registration/:userId/:applicationId', handle: (req, state) => deleteRegistration(req, state) },
  ],
};
