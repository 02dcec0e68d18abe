/**
 * The User API: `POST /api/user[/{userId}]`, `GET /api/user/{userId}`, `GET /api/user?loginId=&loginIdTypes=` (also
 * `?email=`, `?username=`), `PUT /api/user/{userId}` (also `?reactivate=true`), `PATCH /api/user/{userId}` (the three
 * flavours of src/emulator/patch.ts), `DELETE /api/user/{userId}` (soft: deactivate; `?hardDelete=true` or a body
 * `{"hardDelete": true}`: remove), `DELETE /api/user/bulk`. Registrations live in ./registrations.ts, the Import API in ./import.ts, search in
 * ./search.ts. Envelopes and fields: [SITE:docs/apis/users/*.mdx], OpenAPI `UserRequest`/`UserResponse`, the Java
 * domain class `io.fusionauth.domain.User` (fusionauth-java-client).
 *
 * Identities (FusionAuth 1.59+): the phone number goes to `user.phoneNumber` (E.164) and to an `identities[]` entry
 * `{type: "phoneNumber", value, primary: true, verified, verifiedReason, …}`
 * ([SITE:docs/apis/_shared/_user-response-body-base.mdx]). `verifiedReason` when an identity is created (on create, or
 * on an update that changes its value): `Skipped` with `skipVerification` — "Set user.identities[x].verified to false,
 * verifiedReason to Skipped … Set user.verified to true (if an email identity was created or added)"
 * ([SITE:docs/apis/users/_user-request-body.mdx] `skipVerification`); `Completed` when a completed `verificationIds`
 * entry proves it; else `Pending` when the tenant verifies that type — for phones the verification is then started and
 * its message sent — and `Disabled` when it does not. Usernames are `Unverifiable`. An identity whose value an update
 * keeps keeps its verification state. The User API has no other way to seed a verified identity: `UserRequest`
 * carries no `verified` or `identities` input (OpenAPI `UserRequest`; the docs' request body lists none), so those are
 * dropped; the Import API takes `verified` (./import.ts).
 *
 * Passwords are hashed (./password.ts) into a separate collection and never returned; `User.secure()` in the domain
 * class clears `password`, `salt`, `encryptionScheme` and `factor` from every user the server hands out (the python and
 * go client tests assert no password or salt in returned users).
 *
 * Error codes: live 1.46 (leo-technologies-llc/fusion_auth test/fusion_auth/users_test.exs) shows a create of `{}` as
 * `[blank]user.email`, `[blank]user.username`, `[blank]user.password` and an update of `{}` as the first two. Since
 * 1.59 a phone number is a login id too ("If phoneNumber is not provided, then email or username will be required",
 * [SITE:docs/apis/users/_user-request-body.mdx]); the emulator adds `[blank]user.phoneNumber` beside the other two and
 * uses the same composition for `[invalid]user.phoneNumber` and `[duplicate]user.phoneNumber` — inferred, not seen in a
 * FusionAuth source. `[duplicate]user.email`, `[tooShort]user.password`, `[singleCase]user.password`,
 * `[notEmail]user.email` are FusionAuth's (documented error examples and hosted-page message keys).
 */
import type { Json, JsonObject } from '../../core/types.js';
import { patched } from '../crud.js';
import { addInvalidJson, Errors } from '../errors.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import { col, type Cascade, type EmulatorState } from '../state.js';
import { tenantScope } from '../tenancy.js';
import { isObject } from '../values.js';
import { bodyOf, usersOf, findByIdentity, get, identitiesOf, identityKey, identityOf, invalid, pathUuid, scopedUser, tenantForCreate, UCOL, applicationById, type IdentityType, type VerifiedReason, normalizeIdentity } from './model.js';
import { hashPassword, type Credential } from './password.js';
import { canonicalPhone } from './phone.js';
import { queryStringHits } from './search.js';
import { findVerification, pendingVerifications, phoneStrategy, sendPhoneMessage, startVerification, verificationIdEntry, verifiesPhone } from './verification.js';

/**
 * User fields a client may set that the emulator keeps (normalised), per the domain class `User`: everything else in a
 * request user is either a login id or password handled below, server-managed (`id`, `tenantId`, instants,
 * `identities`, `verified`, `active`), or not a `User` property at all and dropped as FusionAuth's JSON binding drops it.
 * `registrations` and `memberships` in a User API request are not applied (fusionauth-java-client issue #24: "the
 * registrations of the User is not applied at all"): registrations go through ./registrations.ts.
 */
const USER_FIELDS = ['birthDate', 'cleanSpeakId', 'data', 'expiry', 'firstName', 'fullName', 'imageUrl', 'lastName', 'middleName', 'mobilePhone', 'parentEmail', 'preferredLanguages', 'timezone'] as const;
/** Fields `User.normalize()` trims. */
const TRIMMED = new Set(['firstName', 'fullName', 'lastName', 'middleName', 'mobilePhone']);

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The login ids of a user body after validation. */
export interface LoginIds {
  email?: string;
  phone?: string;
  username?: string;
}

/** How `validateUser` words and keys its errors. */
export interface ValidateOptions {
  /** Whether a missing password is an error (create and import: yes; update: no). */
  passwordRequired: boolean;
  /** The Import API's messages ("… for each user.", live 1.46) instead of the User API's. */
  importing?: boolean;
  /** The user being updated: its own login ids are not duplicates. */
  selfId?: string;
  /** Login ids claimed earlier in the same request (import), as `type:normalised`. */
  taken?: Set<string>;
  /** The stored users' login ids (model.ts `identityIndex`), for requests that check many users. */
  index?: Map<string, string>;
}

/**
 * A `[invalidJSON]` error at a property: what FusionAuth answers when a value cannot be bound to the domain class's type
 * (live 1.46, users_test.exs "forgot_password … invalid": key `loginId`, code `[invalidJSON]`, "Invalid JSON in the
 * request body. The property was [loginId]. The error was [Possible conversion error]. The detailed exception was
 * […]."), in the shared wording of errors.ts `invalidJson`.
 */
export function conversionError(e: Errors, field: string, detail: string): void {
  addInvalidJson(e, field, detail);
}

/** `User` properties of type String (URI for `imageUrl`) that a request may set. */
const STRING_FIELDS = ['email', 'username', 'phoneNumber', 'password', 'firstName', 'fullName', 'lastName', 'middleName', 'mobilePhone', 'parentEmail', 'imageUrl', 'encryptionScheme', 'salt'] as const;

/**
 * A request user as Jackson binds its String properties: a number or boolean becomes its text (Jackson's default scalar
 * coercion), an object or array cannot be bound — `[invalidJSON]` at `user.<field>` (see `conversionError`) and the
 * property is left out.
 */
export function bindUserStrings(u: JsonObject, e: Errors): JsonObject {
  const out: JsonObject = { ...u };
  for (const k of STRING_FIELDS) {
    const v = u[k];
    if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (v !== null && typeof v === 'object') {
      conversionError(e, `user.${k}`, 'A String value was expected.');
      delete out[k];
    }
  }
  return out;
}

/** Whether a string is a time zone id the runtime knows (IANA names and their aliases, like Java's `ZoneId.of`). */
export function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Whether `YYYY-MM-DD` names a real calendar date (Java `LocalDate`'s ISO format). */
function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Add an error unless the same code is already recorded for the field (the import reports each problem once). */
function once(e: Errors, field: string, prefix: string, message: string): void {
  if (!(e.fieldErrors[field] ?? []).some((x) => x.code === `${prefix}${field}`)) e.field(field, prefix, message);
}

/** Whether another user of the tenant holds this login id. */
function takenBy(state: EmulatorState, tenantId: string, type: IdentityType, value: string, o: ValidateOptions): boolean {
  const normalized = normalizeIdentity(type, value) ?? '';
  const holderId = o.index ? o.index.get(identityKey(tenantId, type, normalized)) : findByIdentity(state, tenantId, type, value)?.id;
  if (holderId !== undefined && holderId !== o.selfId) return true;
  return o.taken?.has(`${type}:${normalized}`) === true;
}

/**
 * Validate the login ids, password and typed fields of a request user (errors keyed `user.<field>`) against a tenant's
 * users and its password rules (reference §4.4 `passwordValidationRules`: minLength 8, maxLength 256,
 * requireMixedCase, requireNonAlpha, requireNumber; the netcore and typescript client tests create users with the
 * 8-character `password` under the defaults). Login ids are unique per tenant, emails and usernames compared without
 * case, phone numbers in E.164 ([SITE:docs/apis/users/_user-request-body.mdx] `user.email`, `user.username`,
 * `user.phoneNumber`).
 */
export function validateUser(state: EmulatorState, tenant: JsonObject, u: JsonObject, e: Errors, o: ValidateOptions): LoginIds {
  const ids: LoginIds = {};
  const tenantId = String(tenant.id);
  const email = str(u.email);
  const username = str(u.username);
  const phoneRaw = str(u.phoneNumber);
  const add = o.importing ? (f: string, p: string, m: string) => once(e, f, p, m) : (f: string, p: string, m: string) => void e.field(f, p, m);
  if (!email && !username && !phoneRaw) {
    const msg = o.importing
      ? 'You must specify either the [user.email], [user.username] or [user.phoneNumber] property for each user.'
      : 'You must specify either the [user.email], [user.username] or [user.phoneNumber] property. If you are emailing the user you must specify the [user.email].';
    for (const f of ['user.email', 'user.username', 'user.phoneNumber']) add(f, '[blank]', msg);
  }
  if (email) {
    if (!EMAIL_RE.test(email)) add('user.email', '[notEmail]', `The email [${email}] is not a valid email address.`);
    else if (takenBy(state, tenantId, 'email', email, o)) add('user.email', '[duplicate]', 'A user with this email already exists.');
    else ids.email = email.toLowerCase();
  }
  if (username) {
    if (takenBy(state, tenantId, 'username', username, o)) add('user.username', '[duplicate]', 'A user with this username already exists.');
    else ids.username = username;
  }
  if (phoneRaw) {
    const phone = canonicalPhone(phoneRaw);
    if (!phone) add('user.phoneNumber', '[invalid]', `The phone number [${phoneRaw}] is not a valid phone number. Use E.164, e.g. +13035551212.`);
    else if (takenBy(state, tenantId, 'phoneNumber', phone, o)) add('user.phoneNumber', '[duplicate]', 'A user with this phone number already exists.');
    else ids.phone = phone;
  }
  const password = u.password;
  if (typeof password !== 'string' || password === '') {
    if (o.passwordRequired) add('user.password', '[blank]', o.importing ? 'You must specify the [user.password] property for each user.' : 'You must specify the [user.password] property.');
  } else if (!o.importing || str(u.encryptionScheme) === undefined) {
    const rules = get(tenant, 'passwordValidationRules');
    const min = typeof get(rules, 'minLength') === 'number' ? (get(rules, 'minLength') as number) : 8;
    const max = typeof get(rules, 'maxLength') === 'number' ? (get(rules, 'maxLength') as number) : 256;
    const f = 'user.password';
    if (password.length < min) add(f, '[tooShort]', `The password must be at least ${min} characters long.`);
    if (password.length > max) add(f, '[tooLong]', `The password must be at most ${max} characters long.`);
    if (get(rules, 'requireMixedCase') === true && (password.toLowerCase() === password || password.toUpperCase() === password)) add(f, '[singleCase]', 'The password must contain upper and lower case characters.');
    if (get(rules, 'requireNonAlpha') === true && /^[\p{L}\p{N}]*$/u.test(password)) add(f, '[onlyAlpha]', 'The password must contain a non-alphanumeric character.');
    if (get(rules, 'requireNumber') === true && !/\d/.test(password)) add(f, '[requireNumber]', 'The password must contain a number.');
  }
  // Typed fields of the domain class: a value Jackson cannot bind is `[invalidJSON]` at its path.
  if (u.birthDate !== undefined && u.birthDate !== null && !(typeof u.birthDate === 'string' && validDate(u.birthDate))) {
    conversionError(e, 'user.birthDate', 'The birthDate must be an ISO-8601 date such as 1976-05-30 (java.time.LocalDate).');
  }
  if (u.timezone !== undefined && u.timezone !== null && !(typeof u.timezone === 'string' && validTimezone(u.timezone))) {
    conversionError(e, 'user.timezone', 'The timezone must be an IANA time zone id such as America/Denver (java.time.ZoneId).');
  }
  if (u.preferredLanguages !== undefined && u.preferredLanguages !== null && !(Array.isArray(u.preferredLanguages) && u.preferredLanguages.every((l) => typeof l === 'string'))) {
    conversionError(e, 'user.preferredLanguages', 'The preferredLanguages must be an array of locale strings.');
  }
  if (u.data !== undefined && u.data !== null && !isObject(u.data)) conversionError(e, 'user.data', 'The data must be a JSON object.');
  if (u.expiry !== undefined && u.expiry !== null && typeof u.expiry !== 'number') conversionError(e, 'user.expiry', 'The expiry must be an instant in epoch milliseconds.');
  return ids;
}

/**
 * The kept fields of a request user, normalised as `User.normalize()` does: names and mobile phone trimmed,
 * `parentEmail` lower-cased, `preferredLanguages` de-duplicated, `data` keys whose value is null removed
 * (`Normalizer.removeEmpty`); any other `data` is stored as given (terraform-provider-fusionauth acceptance tests: `data`
 * returned as sent).
 */
function keptFields(u: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of USER_FIELDS) {
    let v = u[k];
    if (v === undefined || v === null) continue;
    if (TRIMMED.has(k) && typeof v === 'string') v = v.trim();
    if (k === 'parentEmail' && typeof v === 'string') v = v.trim().toLowerCase();
    if (k === 'preferredLanguages' && Array.isArray(v)) v = [...new Set(v.map(String))];
    if (k === 'data' && isObject(v)) v = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null));
    out[k] = structuredClone(v);
  }
  return out;
}

/** One identity entry. */
export function identity(type: IdentityType, value: string, reason: VerifiedReason, now: number, verified = false, verifiedInstant?: number): JsonObject {
  const out: JsonObject = { type, value, primary: true, verified, verifiedReason: reason, insertInstant: now, lastUpdateInstant: now };
  if (type === 'username') {
    out.displayValue = value;
    out.moderationStatus = 'ACTIVE';
  }
  if (verified && verifiedInstant !== undefined) out.verifiedInstant = verifiedInstant;
  return out;
}

/** The stored user object from validated input (no secrets in it). */
export function buildUser(now: number, tenant: JsonObject, id: string, u: JsonObject, ids: LoginIds, identities: JsonObject[], hasPassword: boolean): JsonObject {
  const user: JsonObject = { id, tenantId: String(tenant.id), active: true, insertInstant: now, lastUpdateInstant: now, ...keptFields(u) };
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

/** What creating or updating a user needs besides the request. */
export interface UserInput {
  tenant: JsonObject;
  id: string;
  user: JsonObject;
  skipVerification: boolean;
  /** The create request's set-password options (`setPasswordOptions`); absent on an update. */
  setPassword?: SetPasswordOptions;
  /** Ids from `verificationIds` (completed `mustNotExist` verifications proving an identity). */
  verificationIds: Json | undefined;
  /** The stored user an update replaces. */
  previous?: JsonObject;
}

/** A validated, not yet stored user: the object, its new credential (if any), and whether its phone must now be verified. */
export interface Prepared {
  user: JsonObject;
  credential?: Credential;
  verifyPhone: boolean;
  consumed: JsonObject[];
}

/** The options of a create request (UserRequest, RegistrationRequest) that have FusionAuth ask the user to set a password. */
export interface SetPasswordOptions {
  /** `sendSetPasswordEmail: true` (deprecated since 1.59 for `sendSetPasswordIdentityType`). */
  email: boolean;
  /** `sendSetPasswordIdentityType` other than `doNotSend` (1.59+). */
  identityType: boolean;
}

/** The set-password options of a create request body. */
export function setPasswordOptions(b: JsonObject): SetPasswordOptions {
  const t = b.sendSetPasswordIdentityType;
  return { email: b.sendSetPasswordEmail === true, identityType: typeof t === 'string' && t !== '' && t !== 'doNotSend' };
}

/** Whether a create asks FusionAuth to send a set-password message (see `withoutIgnoredPassword`). */
function setsPasswordByMessage(o: SetPasswordOptions | undefined): boolean {
  return o !== undefined && (o.email || o.identityType);
}

/**
 * A create that asks FusionAuth to send a set-password message takes no password: "When you set this value to `true`,
 * any provided **password** field is ignored" ([SITE:docs/apis/_shared/_user-send-set-password-email.mdx]; the same for
 * `sendSetPasswordIdentityType` "anything but `doNotSend`", [SITE:docs/apis/_shared/_user-send-set-password-identity-type.mdx]),
 * and `user.password` is "optional only if `sendSetPasswordEmail` is set to `true`" (FusionAuth/fusionauth-site PR #3713,
 * the user request bodies). With `sendSetPasswordEmail` the user needs an email: `[required]user.email` "You must specify
 * the [user.email] property when [sendSetPasswordEmail] is equals to [true]." (a live server's answer quoted in
 * FusionAuth/fusionauth-issues#2564). The emulator sends no email: it has no SMTP (docs/emulator-fidelity.md).
 * Returns the request user as FusionAuth validates it: without its password when the password is ignored.
 */
function withoutIgnoredPassword(u: JsonObject, o: SetPasswordOptions | undefined, e: Errors): JsonObject {
  if (!o || !setsPasswordByMessage(o)) return u;
  if (o.email && str(u.email) === undefined) e.field('user.email', '[required]', 'You must specify the [user.email] property when [sendSetPasswordEmail] is equals to [true].');
  const out: JsonObject = { ...u };
  delete out.password;
  return out;
}

/** Validate and build a user (nothing stored yet); `previous` makes it an update (PUT semantics: the body replaces). */
export async function prepareUser(state: EmulatorState, input: UserInput, e: Errors): Promise<Prepared | undefined> {
  const bound = bindUserStrings(input.user, e);
  const creating = input.previous === undefined;
  const c: UserInput = { ...input, user: creating ? withoutIgnoredPassword(bound, input.setPassword, e) : bound };
  const passwordRequired = creating && !setsPasswordByMessage(input.setPassword);
  const ids = validateUser(state, c.tenant, c.user, e, { passwordRequired, ...(c.previous ? { selfId: String(c.previous.id) } : {}) });
  if (!e.empty) return undefined;
  const now = state.now();
  const before = c.previous ? identitiesOf(c.previous) : [];
  const kept = (type: IdentityType, value: string): JsonObject | undefined => before.find((i) => i.type === type && normalizeIdentity(type, i.value) === normalizeIdentity(type, value));
  const identities: JsonObject[] = [];
  const consumed: JsonObject[] = [];
  let verifyPhone = false;
  if (ids.email) {
    const old = kept('email', ids.email);
    if (old) identities.push(old);
    else {
      const reason: VerifiedReason = c.skipVerification ? 'Skipped' : get(c.tenant, 'emailConfiguration.verifyEmail') === true ? 'Pending' : 'Disabled';
      identities.push(identity('email', ids.email, reason, now));
    }
  }
  if (ids.phone) {
    const old = kept('phoneNumber', ids.phone);
    // A completed `mustNotExist` verification of this number (Identity Verify API note) proves it.
    const proof = (Array.isArray(c.verificationIds) ? c.verificationIds : [])
      .map((vid) => findVerification(state, vid))
      .find((v) => v && v.completed === true && v.value === ids.phone && v.tenantId === String(c.tenant.id));
    if (old) identities.push(old);
    else if (c.skipVerification) identities.push(identity('phoneNumber', ids.phone, 'Skipped', now));
    else if (proof) {
      identities.push(identity('phoneNumber', ids.phone, 'Completed', now, true, now));
      consumed.push(proof);
    } else if (verifiesPhone(c.tenant)) {
      identities.push(identity('phoneNumber', ids.phone, 'Pending', now));
      verifyPhone = true;
    } else identities.push(identity('phoneNumber', ids.phone, 'Disabled', now));
  }
  if (ids.username) identities.push(kept('username', ids.username) ?? identity('username', ids.username, 'Unverifiable', now));
  const password = c.user.password;
  const credential = typeof password === 'string' && password !== '' ? await hashPassword(password) : undefined;
  const user = buildUser(now, c.tenant, c.id, c.user, ids, identities, credential !== undefined);
  const emailIdentity = identities.find((i) => i.type === 'email');
  // skipVerification: "Set user.verified field to true (if an email identity was created or added)".
  if (c.skipVerification && emailIdentity && !kept('email', String(emailIdentity.value))) user.verified = true;
  if (c.previous) {
    const p = c.previous;
    // Server-managed state an update keeps: creation, activity, registrations, memberships, the last password change.
    for (const k of ['insertInstant', 'active', 'lastLoginInstant', 'registrations', 'memberships', 'breachedPasswordStatus'] as const) {
      if (p[k] !== undefined) user[k] = structuredClone(p[k]) as Json;
    }
    if (!credential && p.passwordLastUpdateInstant !== undefined) user.passwordLastUpdateInstant = p.passwordLastUpdateInstant;
    if (emailIdentity && kept('email', String(emailIdentity.value)) && p.verified === true) user.verified = true;
  }
  return { user, ...(credential ? { credential } : {}), verifyPhone, consumed };
}

/** Store a prepared user and its credential. */
export function storeUser(state: EmulatorState, p: Prepared): void {
  state.store.put(UCOL.users, p.user);
  if (p.credential) state.store.put(UCOL.credentials, { id: String(p.user.id), ...p.credential });
  for (const v of p.consumed) state.store.delete(UCOL.verifications, String(v.id));
}

/** Start and send the phone verification of a user whose phone identity was just created `Pending`. */
export function startPhoneVerification(state: EmulatorState, tenant: JsonObject, user: JsonObject, applicationId?: string): void {
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

/**
 * The id of a user to create: from the path (a UUID, or a number as FusionAuth's converter reads it, values.ts
 * `pathUuid`) or fresh. A segment that does not convert is `[couldNotConvert]userId` (the code FusionAuth's web
 * framework gives a parameter that fails conversion: live 1.46, registrations_test.exs, `[couldNotConvert]applicationId`
 * "Invalid UUID"); an id in use is `[duplicate]userId` (reference §1.3).
 */
export function newUserId(state: EmulatorState, req: EmulatorRequest): { id: string } | { reply: Reply } {
  const p = req.params.userId;
  if (p === undefined) return { id: state.newId() };
  const id = pathUuid(p);
  if (id === undefined) return { reply: invalid('userId', '[couldNotConvert]', 'Invalid UUID') };
  if (state.store.get(UCOL.users, id)) return { reply: invalid('userId', '[duplicate]', `A user with id [${id}] already exists.`) };
  return { id };
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
  const p = await prepareUser(state, { tenant: t.tenant, id: id.id, user: b.user, skipVerification: b.skipVerification === true, verificationIds: b.verificationIds, setPassword: setPasswordOptions(b) }, e);
  if (!p) return e.reply();
  storeUser(state, p);
  const app = applicationById(state, b.applicationId);
  if (p.verifyPhone) startPhoneVerification(state, t.tenant, p.user, app ? String(app.id) : undefined);
  return { status: 200, body: userResponse(state, p.user) };
}

/** `GET /api/user/{userId}`: 404 with an empty body for an unknown (or unconvertible) id or another tenant's user. */
function retrieveUser(req: EmulatorRequest, state: EmulatorState): Reply {
  const s = scopedUser(state, req);
  if ('reply' in s) return s.reply;
  return { status: 200, body: userResponse(state, s.user) };
}

/**
 * `PUT /api/user/{userId}` and `PATCH /api/user/{userId}`. PUT replaces the user ("omitted fields revert",
 * [SITE:docs/apis/_generic-update-explanation-fragment.mdx]; live 1.46 shows an update without login ids as
 * `[blank]user.email`/`[blank]user.username` and the netcore test a PUT carrying only a name); a password is optional
 * and changes the password when given ([SITE:docs/apis/users/_user-request-body.mdx] PUT `user.password`). PATCH
 * applies the request to `{"user": stored}` with the Content-Type's semantics (patch.ts) and validates the result like
 * a PUT (reference §1.7): the User and UserRegistration classes carry no `@JsonMerge(OptBoolean.FALSE)`, so a plain JSON
 * PATCH appends to `preferredLanguages`, which `User.normalize()` then de-duplicates. `PUT …?reactivate=true`
 * reactivates a soft-deleted user and needs no body ([SITE:docs/apis/users/reactivate.mdx]; netcore and live 1.46
 * tests).
 */
async function updateUser(req: EmulatorRequest, state: EmulatorState, mode: 'put' | 'patch'): Promise<Reply> {
  const s = scopedUser(state, req);
  if ('reply' in s) return s.reply;
  const stored = s.user;
  if (mode === 'put' && req.query.get('reactivate') === 'true') {
    stored.active = true;
    stored.lastUpdateInstant = state.now();
    state.store.put(UCOL.users, stored);
    return { status: 200, body: userResponse(state, stored) };
  }
  const b = bodyOf(req);
  let u: JsonObject;
  if (mode === 'put') {
    if (!isObject(b.user)) return invalid('user', '[missing]', 'Your request is missing the user object.');
    u = b.user;
  } else {
    const r = patched(req, 'user', stored);
    if ('reply' in r) return r.reply;
    u = r.obj;
  }
  const tenant = state.store.get(col('tenant'), String(stored.tenantId)) as JsonObject;
  const e = new Errors();
  const p = await prepareUser(state, { tenant, id: String(stored.id), user: u, skipVerification: b.skipVerification === true, verificationIds: b.verificationIds, previous: stored }, e);
  if (!p) return e.reply();
  storeUser(state, p);
  if (p.verifyPhone) startPhoneVerification(state, tenant, p.user, applicationById(state, b.applicationId) ? String(b.applicationId) : undefined);
  return { status: 200, body: userResponse(state, p.user) };
}

/**
 * `DELETE /api/user/{userId}`: by default a soft delete — the user is deactivated (`active: false`) and stays
 * retrievable ([SITE:docs/apis/users/delete.mdx]); `?hardDelete=true` (or the body `{"hardDelete": true}`,
 * OpenAPI `UserDeleteSingleRequest`) removes the user, its credential and its pending verifications. 200 with an
 * empty body either way; an unknown user 404 (live 1.46 users_test.exs "delete_user"; the typescript client test
 * deletes with `hardDelete` then retrieves 404).
 */
function deleteUser(req: EmulatorRequest, state: EmulatorState): Reply {
  const s = scopedUser(state, req);
  if ('reply' in s) return s.reply;
  const hard = req.query.get('hardDelete') === 'true' || get(bodyOf(req), 'hardDelete') === true;
  if (hard) removeUser(state, String(s.user.id));
  else deactivate(state, s.user);
  return { status: 200 };
}

/**
 * Remove a user, its credential, its pending verifications and what other modules keep for it (state.ts `Cascade` on
 * the `users` collection: its refresh tokens, login.ts) — a hard delete.
 */
export function removeUser(state: EmulatorState, id: string): void {
  const user = state.store.get(UCOL.users, id);
  if (user) state.cascade(UCOL.users, user);
  state.store.delete(UCOL.users, id);
  state.store.delete(UCOL.credentials, id);
  for (const v of state.store.list(UCOL.verifications).filter((x) => x.userId === id)) state.store.delete(UCOL.verifications, String(v.id));
}

/** Deactivate a user (a soft delete). */
function deactivate(state: EmulatorState, user: JsonObject): void {
  user.active = false;
  user.lastUpdateInstant = state.now();
  state.store.put(UCOL.users, user);
}

/** `BulkDelete`'s default `limit` ([SITE:docs/apis/users/bulk-delete.mdx]: "defaults 10,000", 1.48). */
const BULK_DELETE_LIMIT = 10_000;

/**
 * `DELETE /api/user/bulk` ([SITE:docs/apis/users/bulk-delete.mdx]): the users named by `userId` (repeated; body
 * `userIds`), else those a database-engine `queryString` matches (search.ts), deactivated or, with `hardDelete`,
 * removed; `dryRun` only reports; at most `limit` users (default 10,000). 200 with `{dryRun, hardDelete, total,
 * userIds}`, `userIds` left out when no user was affected (docs; live 1.46 users_test.exs "bulk_delete_users" reads
 * back exactly the deleted ids). The raw Elasticsearch `query` "is not compatible with the database search engine":
 * refused like a search without criteria (search.ts).
 */
function bulkDelete(req: EmulatorRequest, state: EmulatorState): Reply {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope.reply;
  const b = bodyOf(req);
  const q = req.query;
  const e = new Errors();
  const flag = (name: string): boolean => q.get(name) === 'true' || b[name] === true;
  const ids: string[] = [];
  for (const v of [...q.getAll('userId'), ...(Array.isArray(b.userIds) ? b.userIds : [])]) {
    const id = typeof v === 'string' ? pathUuid(v) : undefined;
    if (id === undefined) e.field('userId', '[couldNotConvert]', 'Invalid UUID');
    else ids.push(id);
  }
  const queryString = q.get('queryString') ?? (typeof b.queryString === 'string' ? b.queryString : undefined);
  const limitRaw = q.get('limit') ?? (typeof b.limit === 'number' ? String(b.limit) : undefined);
  const limit = limitRaw === undefined ? BULK_DELETE_LIMIT : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 0) e.field('limit', '[couldNotConvert]', `Invalid integer [${String(limitRaw)}].`);
  if (ids.length === 0 && queryString === undefined && e.empty) e.general('[invalid]', 'You must specify either the [userIds], [queryString], or [query] property.');
  if (!e.empty) return e.reply();
  const inScope = (u: JsonObject | undefined): u is JsonObject => u !== undefined && (scope.tenantId === undefined || u.tenantId === scope.tenantId);
  const users = (ids.length > 0 ? [...new Set(ids)].map((id) => state.store.get(UCOL.users, id)).filter(inScope) : queryStringHits(state, scope.tenantId, queryString ?? '')).slice(0, limit);
  const dryRun = flag('dryRun');
  const hardDelete = flag('hardDelete');
  if (!dryRun) {
    for (const u of users) {
      if (hardDelete) removeUser(state, String(u.id));
      else deactivate(state, u);
    }
  }
  const body: JsonObject = { dryRun, hardDelete, total: users.length };
  if (users.length > 0) body.userIds = users.map((u) => String(u.id));
  return { status: 200, body };
}

/** `GET /api/user?…`: by `loginId` (+ `loginIdTypes`, default email then username), `email` or `username`. */
function retrieveByQuery(req: EmulatorRequest, state: EmulatorState): Reply {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope.reply;
  const q = req.query;
  let lookups: [IdentityType, string][] = [];
  const loginId = q.get('loginId');
  if (loginId !== null) {
    const types = q.getAll('loginIdTypes').flatMap((s) => s.split(',')).filter((s) => s !== '') as IdentityType[];
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
 * A tenant's users go with it, each removed as a hard delete removes it: the decompiled `DefaultTenantService.delete`
 * starts with `userService.deleteAllByTenantId`, whose loop hard-deletes every user of the tenant (`_delete(tenant,
 * user, …)`, decompiled `DefaultUserService`); reference §4.1. The OpenAPI 1.69 description of the tenant delete
 * says the same: "permanently deletes all information … associated with the tenant and everything under the tenant
 * (applications, users, etc)".
 */
const tenantUsers: Cascade = {
  collection: col('tenant'),
  remove: (state, tenant) => {
    for (const u of usersOf(state, String(tenant.id))) removeUser(state, String(u.id));
  },
};

/** The User routes (search: ./search.ts; registrations: ./registrations.ts; import: ./import.ts). */
export const userRoutes: RouteModule = {
  name: 'user',
  cascades: [tenantUsers],
  routes: [
    { method: 'POST', path: '/api/user', handle: (req, state) => createUser(req, state) },
    { method: 'POST', path: '/api/user/:userId', handle: (req, state) => createUser(req, state) },
    { method: 'GET', path: '/api/user', handle: (req, state) => retrieveByQuery(req, state) },
    { method: 'GET', path: '/api/user/:userId', handle: (req, state) => retrieveUser(req, state) },
    { method: 'PUT', path: '/api/user/:userId', handle: (req, state) => updateUser(req, state, 'put') },
    { method: 'PATCH', path: '/api/user/:userId', handle: (req, state) => updateUser(req, state, 'patch') },
    { method: 'DELETE', path: '/api/user/:userId', handle: (req, state) => deleteUser(req, state) },
    { method: 'DELETE', path: '/api/user/bulk', handle: (req, state) => bulkDelete(req, state) },
  ],
};
