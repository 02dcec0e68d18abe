/**
 * The User, Registration and Import APIs, as far as the phone-verification story needs them:
 * `POST /api/user[/{userId}]`, `GET /api/user/{userId}`, `GET /api/user?loginId=&loginIdTypes=` (also `?email=`,
 * `?username=`), `POST /api/user/registration[/{userId}]` (user and registration in one call, or a registration for an
 * existing user), `POST /api/user/import`. Envelopes and fields: [SITE:docs/apis/users/*.mdx],
 * [SITE:docs/apis/registrations/*.mdx], OpenAPI `UserRequest`/`UserResponse`/`RegistrationRequest`/
 * `RegistrationResponse`/`ImportRequest`.
 *
 * Identities (FusionAuth 1.59+): the phone number goes to `user.phoneNumber` (E.164) and to an `identities[]` entry
 * `{type: "phoneNumber", value, primary: true, verified, verifiedReason, …}`
 * ([SITE:docs/apis/_shared/_user-response-body-base.mdx]). `verifiedReason` on create: `Skipped` with
 * `skipVerification`, `Completed` when a completed `verificationIds` entry proves it, else `Pending` when the tenant's
 * `phoneConfiguration.verifyPhoneNumber` is on — the verification is then started and its message sent — and
 * `Disabled` when it is off. Email identities get `Pending`/`Disabled` from `emailConfiguration.verifyEmail` (no email
 * is sent: email verification is not emulated); usernames are `Unverifiable`. Imported users keep what they were
 * imported with: `verified`/`verifiedInstant` as given, `verifiedReason: Import`, nothing is sent
 * ([SITE:docs/apis/users/_import-users-request-body.mdx] `users[x].verified`; the reason list says `Import` — "User was
 * imported so verification was not performed by FusionAuth").
 *
 * Passwords are hashed (./password.ts) into a separate collection and never returned.
 *
 * Error codes: `[blank]user.password`, `[blank]user.email`/`[blank]user.username` when no login id is given, and
 * `[duplicate]user.email` are FusionAuth's (its documented error examples and hosted-page message keys, e.g.
 * `[tooShort]user.password`, `[singleCase]user.password`, `[notEmail]user.email`). For phone numbers the emulator
 * uses the same composition — `[blank]user.phoneNumber` beside the other two, `[invalid]user.phoneNumber`,
 * `[duplicate]user.phoneNumber` — inferred, not seen in a FusionAuth source.
 */
import type { Json, JsonObject } from '../../core/types.js';
import { Errors } from '../errors.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import { col, type EmulatorState } from '../state.js';
import { tenantScope } from '../tenancy.js';
import { isObject, isUuid } from '../values.js';
import { applicationById, bodyOf, findByIdentity, get, identityOf, invalid, tenantForCreate, tenantById, UCOL, type IdentityType, type VerifiedReason } from './model.js';
import { hashPassword, type Credential } from './password.js';
import { canonicalPhone } from './phone.js';
import { pendingVerifications, phoneStrategy, sendPhoneMessage, startVerification, verificationIdEntry, verifiesPhone, findVerification } from './verification.js';

/** User fields a client may set that the emulator keeps as given. */
const USER_FIELDS = ['birthDate', 'data', 'expiry', 'firstName', 'fullName', 'imageUrl', 'lastName', 'middleName', 'mobilePhone', 'parentEmail', 'preferredLanguages', 'timezone'] as const;
/** Registration fields a client may set that the emulator keeps as given. */
const REGISTRATION_FIELDS = ['data', 'preferredLanguages', 'timezone', 'username'] as const;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The login ids of a user body after validation. */
interface LoginIds {
  email?: string;
  phone?: string;
  username?: string;
}

/**
 * Validate the login ids and password of a user body (`prefix` is `user` or `users[i]`) against a tenant's users and
 * its password rules (reference §4.4 `passwordValidationRules`: minLength 8, maxLength 256, requireMixedCase,
 * requireNonAlpha, requireNumber).
 */
function validateUser(state: EmulatorState, tenant: JsonObject, u: JsonObject, prefix: string, passwordRequired: boolean, e: Errors, taken: Set<string> = new Set()): LoginIds {
  const ids: LoginIds = {};
  const tenantId = String(tenant.id);
  const email = str(u.email);
  const username = str(u.username);
  const phoneRaw = str(u.phoneNumber);
  if (!email && !username && !phoneRaw) {
    const msg = `You must specify either the [${prefix}.email], [${prefix}.username] or [${prefix}.phoneNumber] property.`;
    e.field(`${prefix}.email`, '[blank]', msg).field(`${prefix}.username`, '[blank]', msg).field(`${prefix}.phoneNumber`, '[blank]', msg);
  }
  if (email) {
    if (!EMAIL_RE.test(email)) e.field(`${prefix}.email`, '[notEmail]', `The email [${email}] is not a valid email address.`);
    else if (findByIdentity(state, tenantId, 'email', email) || taken.has(`email:${email.toLowerCase()}`)) e.field(`${prefix}.email`, '[duplicate]', 'A user with this email already exists.');
    else ids.email = email.toLowerCase();
  }
  if (username) {
    if (findByIdentity(state, tenantId, 'username', username) || taken.has(`username:${username.toLowerCase()}`)) e.field(`${prefix}.username`, '[duplicate]', 'A user with this username already exists.');
    else ids.username = username;
  }
  if (phoneRaw) {
    const phone = canonicalPhone(phoneRaw);
    if (!phone) e.field(`${prefix}.phoneNumber`, '[invalid]', `The phone number [${phoneRaw}] is not a valid phone number. Use E.164, e.g. +13035551212.`);
    else if (findByIdentity(state, tenantId, 'phoneNumber', phone) || taken.has(`phoneNumber:${phone}`)) e.field(`${prefix}.phoneNumber`, '[duplicate]', 'A user with this phone number already exists.');
    else ids.phone = phone;
  }
  const password = u.password;
  if (typeof password !== 'string' || password === '') {
    if (passwordRequired) e.field(`${prefix}.password`, '[blank]', `You must specify the [${prefix}.password] property.`);
  } else {
    const rules = get(tenant, 'passwordValidationRules');
    const min = typeof get(rules, 'minLength') === 'number' ? (get(rules, 'minLength') as number) : 8;
    const max = typeof get(rules, 'maxLength') === 'number' ? (get(rules, 'maxLength') as number) : 256;
    const f = `${prefix}.password`;
    if (password.length < min) e.field(f, '[tooShort]', `The password must be at least ${min} characters long.`);
    if (password.length > max) e.field(f, '[tooLong]', `The password must be at most ${max} characters long.`);
    if (get(rules, 'requireMixedCase') === true && (password.toLowerCase() === password || password.toUpperCase() === password)) e.field(f, '[singleCase]', 'The password must contain upper and lower case characters.');
    if (get(rules, 'requireNonAlpha') === true && /^[\p{L}\p{N}]*$/u.test(password)) e.field(f, '[onlyAlpha]', 'The password must contain a non-alphanumeric character.');
    if (get(rules, 'requireNumber') === true && !/\d/.test(password)) e.field(f, '[requireNumber]', 'The password must contain a number.');
  }
  if (u.preferredLanguages !== undefined && !(Array.isArray(u.preferredLanguages) && u.preferredLanguages.every((l) => typeof l === 'string'))) {
    e.field(`${prefix}.preferredLanguages`, '[invalid]', 'The preferredLanguages must be an array of locale strings.');
  }
  return ids;
}

/** One identity entry. */
function identity(type: IdentityType, value: string, reason: VerifiedReason, now: number, verified = false, verifiedInstant?: number): JsonObject {
  const out: JsonObject = { type, value, primary: true, verified, verifiedReason: reason, insertInstant: now, lastUpdateInstant: now };
  if (type === 'username') {
    out.displayValue = value;
    out.moderationStatus = 'ACTIVE';
  }
  if (verified && verifiedInstant !== undefined) out.verifiedInstant = verifiedInstant;
  return out;
}

/** The stored user object from a validated body (no secrets in it). */
function buildUser(now: number, tenant: JsonObject, id: string, u: JsonObject, ids: LoginIds, identities: JsonObject[], hasPassword: boolean): JsonObject {
  const user: JsonObject = { id, tenantId: String(tenant.id), active: true, insertInstant: now, lastUpdateInstant: now };
  for (const k of USER_FIELDS) if (u[k] !== undefined && u[k] !== null) user[k] = structuredClone(u[k]) as Json;
  if (ids.email) user.email = ids.email;
  if (ids.phone) user.phoneNumber = ids.phone;
  if (ids.username) {
    user.username = ids.username;
    user.usernameStatus = 'ACTIVE';
  }
  user.identities = identities;
  user.passwordChangeRequired = u.passwordChangeRequired === true;
  // "Since version 1.59.0, if a user does not currently have a password, this field will not be returned."
  if (hasPassword) user.passwordLastUpdateInstant = now;
  // `user.verified` is about the email ([SITE:…/_user-registration-combined-response-body.mdx]).
  user.verified = identities.some((i) => i.type === 'email' && i.verified === true);
  user.registrations = [];
  return user;
}

/** What creating a user needs besides the request. */
interface CreateInput {
  tenant: JsonObject;
  id: string;
  user: JsonObject;
  skipVerification: boolean;
  /** Ids from `verificationIds` (completed `mustNotExist` verifications proving an identity). */
  verificationIds: Json | undefined;
}

/** A validated, not yet stored user: the object, its credential, and whether its phone must now be verified. */
interface Prepared {
  user: JsonObject;
  credential?: Credential;
  verifyPhone: boolean;
  consumed: JsonObject[];
}

/** Validate and build a user (nothing stored yet). */
async function prepareUser(state: EmulatorState, c: CreateInput, e: Errors): Promise<Prepared | undefined> {
  const ids = validateUser(state, c.tenant, c.user, 'user', true, e);
  if (!e.empty) return undefined;
  const now = state.now();
  const identities: JsonObject[] = [];
  const consumed: JsonObject[] = [];
  let verifyPhone = false;
  if (ids.email) {
    const reason: VerifiedReason = c.skipVerification ? 'Skipped' : get(c.tenant, 'emailConfiguration.verifyEmail') === true ? 'Pending' : 'Disabled';
    identities.push(identity('email', ids.email, reason, now));
  }
  if (ids.phone) {
    // A completed `mustNotExist` verification of this number (Identity Verify API note) proves it.
    const proof = (Array.isArray(c.verificationIds) ? c.verificationIds : [])
      .map((vid) => findVerification(state, vid))
      .find((v) => v && v.completed === true && v.value === ids.phone && v.tenantId === String(c.tenant.id));
    if (c.skipVerification) identities.push(identity('phoneNumber', ids.phone, 'Skipped', now));
    else if (proof) {
      identities.push(identity('phoneNumber', ids.phone, 'Completed', now, true, now));
      consumed.push(proof);
    } else if (verifiesPhone(c.tenant)) {
      identities.push(identity('phoneNumber', ids.phone, 'Pending', now));
      verifyPhone = true;
    } else identities.push(identity('phoneNumber', ids.phone, 'Disabled', now));
  }
  if (ids.username) identities.push(identity('username', ids.username, 'Unverifiable', now));
  const password = c.user.password;
  const credential = typeof password === 'string' && password !== '' ? await hashPassword(password) : undefined;
  return { user: buildUser(now, c.tenant, c.id, c.user, ids, identities, credential !== undefined), ...(credential ? { credential } : {}), verifyPhone, consumed };
}

/** Store a prepared user and its credential. */
function storeUser(state: EmulatorState, p: Prepared): void {
  state.store.put(UCOL.users, p.user);
  if (p.credential) state.store.put(UCOL.credentials, { id: String(p.user.id), ...p.credential });
  for (const v of p.consumed) state.store.delete(UCOL.verifications, String(v.id));
}

/** Start and send the phone verification of a freshly created user whose phone identity is `Pending`. */
function startPhoneVerification(state: EmulatorState, tenant: JsonObject, user: JsonObject, applicationId?: string): void {
  const phone = identityOf(user, 'phoneNumber');
  if (!phone || typeof phone.value !== 'string') return;
  const v = startVerification(state, { tenant, value: phone.value, userId: String(user.id), strategy: phoneStrategy(tenant), ...(applicationId ? { applicationId } : {}) });
  sendPhoneMessage(state, v, 'verificationTemplateId');
}

/** The `UserResponse` body for a user: the user plus its pending `verificationIds` (when any). */
export function userResponse(state: EmulatorState, user: JsonObject): JsonObject {
  const body: JsonObject = { user: structuredClone(user) };
  const pending = pendingVerifications(state, String(user.id));
  if (pending.length > 0) body.verificationIds = pending.map(verificationIdEntry);
  return body;
}

/** The id from the path (or a fresh one), rejecting a non-UUID and an id in use (`[duplicate]userId`, reference §1.3). */
function newUserId(state: EmulatorState, req: EmulatorRequest): { id: string } | { reply: Reply } {
  const p = req.params.userId;
  if (p === undefined) return { id: state.newId() };
  if (!isUuid(p)) return { reply: invalid('userId', '[couldNotConvert]', `Invalid userId [${p}]. It must be a UUID.`) };
  if (state.store.get(UCOL.users, p)) return { reply: invalid('userId', '[duplicate]', `A user with id [${p}] already exists.`) };
  return { id: p.toLowerCase() };
}

/** `POST /api/user[/{userId}]`. */
async function createUser(req: EmulatorRequest, state: EmulatorState): Promise<Reply> {
  const b = bodyOf(req);
  if (!isObject(b.user)) return invalid('user', '[missing]', 'Your request is missing the user object.');
  const t = tenantForCreate(state, req);
  if ('reply' in t) return t.reply;
  const id = newUserId(state, req);
  if ('reply' in id) return id.reply;
  const e = new Errors();
  const p = await prepareUser(state, { tenant: t.tenant, id: id.id, user: b.user, skipVerification: b.skipVerification === true, verificationIds: b.verificationIds }, e);
  if (!p) return e.reply();
  storeUser(state, p);
  const app = applicationById(state, b.applicationId);
  if (p.verifyPhone) startPhoneVerification(state, t.tenant, p.user, app ? String(app.id) : undefined);
  return { status: 200, body: userResponse(state, p.user) };
}

/** Validate a registration body for a user of `tenant`; returns the application. */
function validateRegistration(state: EmulatorState, tenant: JsonObject, r: JsonObject, existing: JsonObject | undefined, e: Errors): JsonObject | undefined {
  const appId = r.applicationId;
  if (str(appId) === undefined) {
    e.field('registration.applicationId', '[blank]', 'You must specify the [registration.applicationId] property.');
    return undefined;
  }
  const app = applicationById(state, appId);
  if (!app || app.tenantId !== tenant.id || app.active === false) {
    e.field('registration.applicationId', '[invalid]', `The application [${String(appId)}] does not exist in the user's tenant or is inactive.`);
    return undefined;
  }
  const regs = existing && Array.isArray(existing.registrations) ? existing.registrations.filter(isObject) : [];
  if (regs.some((x) => x.applicationId === app.id)) e.field('registration.applicationId', '[duplicate]', 'The user is already registered for this application.');
  if (r.roles !== undefined && !(Array.isArray(r.roles) && r.roles.every((x) => typeof x === 'string'))) e.field('registration.roles', '[invalid]', 'The roles must be an array of role names.');
  return app;
}

/** The stored registration. Roles default to the application's `isDefault` roles (FusionAuth's role `isDefault`). */
function buildRegistration(state: EmulatorState, app: JsonObject, r: JsonObject): JsonObject {
  const now = state.now();
  const reg: JsonObject = { id: state.newId(), applicationId: String(app.id), insertInstant: now, lastUpdateInstant: now, usernameStatus: 'ACTIVE' };
  for (const k of REGISTRATION_FIELDS) if (r[k] !== undefined && r[k] !== null) reg[k] = structuredClone(r[k]) as Json;
  const appRoles = Array.isArray(app.roles) ? app.roles.filter(isObject) : [];
  reg.roles = Array.isArray(r.roles) ? [...new Set(r.roles.map(String))] : appRoles.filter((x) => x.isDefault === true).map((x) => String(x.name));
  // Registration verification (application.registrationVerification) is not emulated: registrations are verified.
  reg.verified = true;
  reg.verifiedInstant = now;
  return reg;
}

/** `POST /api/user/registration[/{userId}]`. */
async function register(req: EmulatorRequest, state: EmulatorState): Promise<Reply> {
  const b = bodyOf(req);
  if (!isObject(b.registration)) return invalid('registration', '[missing]', 'Your request is missing the registration object.');
  const e = new Errors();
  if (!isObject(b.user)) {
    // A registration for an existing user.
    const uid = req.params.userId;
    const user = uid !== undefined && isUuid(uid) ? state.store.get(UCOL.users, uid) : undefined;
    if (!user) return invalid('userId', '[invalid]', 'Your request is missing the user object, and no user has the id in the URL.');
    const tenant = tenantById(state, user.tenantId) as JsonObject;
    const app = validateRegistration(state, tenant, b.registration, user, e);
    if (!e.empty || !app) return e.reply();
    const reg = buildRegistration(state, app, b.registration);
    (user.registrations as Json[]).push(reg);
    user.lastUpdateInstant = state.now();
    state.store.put(UCOL.users, user);
    return { status: 200, body: { ...userResponse(state, user), registration: structuredClone(reg) } };
  }
  const t = tenantForCreate(state, req);
  if ('reply' in t) return t.reply;
  const id = newUserId(state, req);
  if ('reply' in id) return id.reply;
  const app = validateRegistration(state, t.tenant, b.registration, undefined, e);
  const p = await prepareUser(state, { tenant: t.tenant, id: id.id, user: b.user, skipVerification: b.skipVerification === true, verificationIds: b.verificationIds }, e);
  if (!p || !app) return e.reply();
  const reg = buildRegistration(state, app, b.registration);
  (p.user.registrations as Json[]).push(reg);
  storeUser(state, p);
  if (p.verifyPhone) startPhoneVerification(state, t.tenant, p.user, String(app.id));
  return { status: 200, body: { ...userResponse(state, p.user), registration: structuredClone(reg) } };
}

/** `GET /api/user?…`: by `loginId` (+ `loginIdTypes`, default email then username), `email` or `username`. */
function retrieveByQuery(req: EmulatorRequest, state: EmulatorState): Reply {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope.reply;
  const q = req.query;
  let lookups: [IdentityType, string][] = [];
  const loginId = q.get('loginId');
  if (loginId !== null) {
    const types = (q.getAll('loginIdTypes').flatMap((s) => s.split(',')).filter((s) => s !== '') as IdentityType[]);
    lookups = (types.length > 0 ? types : (['email', 'username'] as IdentityType[])).map((ty) => [ty, loginId]);
  } else if (q.get('email') !== null) lookups = [['email', q.get('email') as string]];
  else if (q.get('username') !== null) lookups = [['username', q.get('username') as string]];
  else return { status: 404 };
  const tenants = scope.tenantId ? [scope.tenantId] : state.store.list(col('tenant')).map((x) => String(x.id));
  for (const [type, value] of lookups) {
    for (const tid of tenants) {
      const u = findByIdentity(state, tid, type, value);
      if (u) return { status: 200, body: userResponse(state, u) };
    }
  }
  return { status: 404 };
}

/**
 * `POST /api/user/import` ([SITE:docs/apis/users/import.mdx]): 200 with no body. Users keep the given ids and
 * verification attributes; `active` defaults to false as documented; plain passwords are hashed, hashes given with an
 * `encryptionScheme` are kept (the emulator can verify only `salted-pbkdf2-hmac-sha256`). Duplicates: 400 with
 * `[duplicate]users[i].<field>` when `validateDbConstraints` is true, else 500 (the docs: "If a duplicate is
 * encountered a `500` will be returned without this additional validation").
 */
async function importUsers(req: EmulatorRequest, state: EmulatorState): Promise<Reply> {
  const b = bodyOf(req);
  if (!Array.isArray(b.users) || b.users.length === 0) return invalid('users', '[missing]', 'Your request is missing the users array.');
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope.reply;
  const e = new Errors();
  const taken = new Set<string>();
  const staged: { tenant: JsonObject; u: JsonObject; ids: LoginIds; id: string }[] = [];
  let duplicate = false;
  for (const [i, raw] of b.users.entries()) {
    const prefix = `users[${i}]`;
    if (!isObject(raw)) {
      e.field(prefix, '[invalid]', 'Each user must be an object.');
      continue;
    }
    const tenantId = scope.tenantId ?? (isUuid(raw.tenantId) ? raw.tenantId.toLowerCase() : state.store.list(col('tenant')).length === 1 ? String(state.store.list(col('tenant'))[0]?.id) : undefined);
    const tenant = tenantById(state, tenantId);
    if (!tenant) {
      e.field(`${prefix}.tenantId`, '[invalid]', 'The user needs a tenantId (or the X-FusionAuth-TenantId header) naming an existing tenant.');
      continue;
    }
    const before = Object.values(e.fieldErrors).flat().length;
    const ids = validateUser(state, tenant, raw, prefix, false, e, taken);
    const added = Object.values(e.fieldErrors).flat().slice(before);
    if (added.some((x) => x.code.startsWith('[duplicate]'))) duplicate = true;
    if (ids.email) taken.add(`email:${ids.email}`);
    if (ids.username) taken.add(`username:${ids.username.toLowerCase()}`);
    if (ids.phone) taken.add(`phoneNumber:${ids.phone}`);
    const id = isUuid(raw.id) ? raw.id.toLowerCase() : state.newId();
    if (state.store.get(UCOL.users, id) || staged.some((s) => s.id === id)) {
      e.field(`${prefix}.id`, '[duplicate]', `A user with id [${id}] already exists.`);
      duplicate = true;
    }
    for (const [j, r] of (Array.isArray(raw.registrations) ? raw.registrations : []).entries()) {
      const app = isObject(r) ? applicationById(state, r.applicationId) : undefined;
      if (!app || app.tenantId !== tenant.id) e.field(`${prefix}.registrations[${j}].applicationId`, '[invalid]', 'The registration names no application of the user\'s tenant.');
    }
    staged.push({ tenant, u: raw, ids, id });
  }
  if (duplicate && b.validateDbConstraints !== true) return { status: 500 };
  if (!e.empty) return e.reply();
  for (const s of staged) {
    const now = state.now();
    const verified = s.u.verified === true;
    const verifiedInstant = verified ? (typeof s.u.verifiedInstant === 'number' ? s.u.verifiedInstant : now) : undefined;
    const identities: JsonObject[] = [];
    if (s.ids.email) identities.push(identity('email', s.ids.email, 'Import', now, verified, verifiedInstant));
    if (s.ids.phone) identities.push(identity('phoneNumber', s.ids.phone, 'Import', now, verified, verifiedInstant));
    if (s.ids.username) identities.push(identity('username', s.ids.username, 'Unverifiable', now));
    const scheme = str(s.u.encryptionScheme) ?? str(b.encryptionScheme);
    let credential: Credential | undefined;
    if (typeof s.u.password === 'string' && s.u.password !== '') {
      credential = scheme
        ? { encryptionScheme: scheme, factor: Number(s.u.factor ?? b.factor ?? 0), salt: typeof s.u.salt === 'string' ? s.u.salt : '', hash: s.u.password }
        : await hashPassword(s.u.password);
    }
    const user = buildUser(now, s.tenant, s.id, s.u, s.ids, identities, credential !== undefined);
    user.active = s.u.active === true;
    user.verified = verified && s.ids.email !== undefined;
    if (typeof s.u.insertInstant === 'number') user.insertInstant = s.u.insertInstant;
    user.registrations = (Array.isArray(s.u.registrations) ? s.u.registrations : []).filter(isObject).map((r) => {
      const reg = buildRegistration(state, applicationById(state, r.applicationId) as JsonObject, r);
      if (isUuid(r.id)) reg.id = r.id.toLowerCase();
      reg.verified = r.verified === true;
      if (reg.verified) reg.verifiedInstant = typeof r.verifiedInstant === 'number' ? r.verifiedInstant : now;
      else delete reg.verifiedInstant;
      return reg;
    });
    storeUser(state, { user, ...(credential ? { credential } : {}), verifyPhone: false, consumed: [] });
  }
  return { status: 200 };
}

/** The User, Registration and Import routes. */
export const userRoutes: RouteModule = {
  name: 'user',
  routes: [
    { method: 'POST', path: '/api/user', handle: (req, state) => createUser(req, state) },
    { method: 'POST', path: '/api/user/:userId', handle: (req, state) => createUser(req, state) },
    { method: 'GET', path: '/api/user', handle: (req, state) => retrieveByQuery(req, state) },
    {
      method: 'GET',
      path: '/api/user/:userId',
      handle: (req, state) => {
        const id = req.params.userId ?? '';
        if (!isUuid(id)) return invalid('userId', '[couldNotConvert]', `Invalid userId [${id}]. It must be a UUID.`);
        const scope = tenantScope(state, req);
        if ('reply' in scope) return scope.reply;
        const user = state.store.get(UCOL.users, id);
        if (!user || (scope.tenantId !== undefined && user.tenantId !== scope.tenantId)) return { status: 404 };
        return { status: 200, body: userResponse(state, user) };
      },
    },
    { method: 'POST', path: '/api/user/registration', handle: (req, state) => register(req, state) },
    { method: 'POST', path: '/api/user/registration/:userId', handle: (req, state) => register(req, state) },
    { method: 'POST', path: '/api/user/import', handle: (req, state) => importUsers(req, state) },
  ],
};
