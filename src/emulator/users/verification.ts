/**
 * Identity verification for phone numbers ([SITE:docs/apis/identity-verify.mdx], since 1.59.0):
 * `POST /api/identity/verify/start` → `{verificationId, oneTimeCode?}`, `POST /api/identity/verify/send`
 * `{verificationId}` → 200 empty, `POST /api/identity/verify/complete` `{verificationId, oneTimeCode}` → `{state?}`,
 * `POST /api/identity/verify` `{loginId, loginIdType}` (administrative) → 200 empty.
 *
 * Strategy (tenant `phoneConfiguration.verificationStrategy`, or the request's `verificationStrategy`): `FormField`
 * pairs the verification id with a one-time code from `externalIdentifierConfiguration.phoneVerificationOneTimeCodeGenerator`
 * that the user types; `ClickableLink` sends the verification id itself (from `phoneVerificationIdGenerator`).
 * Lifetime: `phoneVerificationIdTimeToLiveInSeconds`, measured on the emulator's injectable clock (`EmulatorOptions.now`).
 *
 * Emulator choices where FusionAuth's docs are silent (named so they can be corrected):
 * - An unknown or expired verification id, and a wrong one-time code, are 400s (the Complete API documents 200/400/
 *   401/500, no 404): `[invalid]verificationId` and `[invalid]oneTimeCode`; missing values `[blank]…`. A wrong code
 *   does not use the verification up; a successful completion does.
 * - Starting a verification for an identity replaces that identity's earlier pending one (only the newest code works).
 * - Only `phoneNumber` identities are emulated; `loginIdType: email` is rejected with `[invalid]loginIdType`.
 */
import { randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../../core/types.js';
import { Errors } from '../errors.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import { col, type EmulatorState } from '../state.js';
import { tenantScope } from '../tenancy.js';
import { isObject } from '../values.js';
import { generate, generatorFrom } from './generators.js';
import { applicationById, bodyOf, findByIdentity, get, identityOf, invalid, resolveTenant, tenantById, UCOL } from './model.js';
import { recordMessage } from './outbox.js';
import { canonicalPhone } from './phone.js';
import { chooseTemplate, renderTemplate } from './template.js';

/** A verification strategy. */
export type Strategy = 'ClickableLink' | 'FormField';

/** The tenant's phone verification strategy (default `ClickableLink`, reference §4.4). */
export function phoneStrategy(tenant: JsonObject): Strategy {
  return get(tenant, 'phoneConfiguration.verificationStrategy') === 'FormField' ? 'FormField' : 'ClickableLink';
}

/** Whether the tenant verifies phone numbers (`phoneConfiguration.verifyPhoneNumber`). */
export function verifiesPhone(tenant: JsonObject): boolean {
  return get(tenant, 'phoneConfiguration.verifyPhoneNumber') === true;
}

/** Whether the tenant gates unverified phone identities (`verifyPhoneNumber` and `unverified.behavior: Gated`). */
export function gatesPhone(tenant: JsonObject): boolean {
  return verifiesPhone(tenant) && get(tenant, 'phoneConfiguration.unverified.behavior') === 'Gated';
}

/** What starting a verification needs. */
export interface StartOptions {
  tenant: JsonObject;
  /** The E.164 phone number. */
  value: string;
  userId?: string;
  strategy: Strategy;
  applicationId?: string;
  state?: JsonObject;
}

/** A stored verification's public part, as in `verificationIds[]` of the User API ([SITE:…/_user-verification-ids-response.mdx]). */
export function verificationIdEntry(v: JsonObject): JsonObject {
  const out: JsonObject = { id: v.verificationId as string, type: 'phoneNumber', value: v.value as string };
  if (typeof v.oneTimeCode === 'string') out.oneTimeCode = v.oneTimeCode;
  return out;
}

/** Whether a stored verification is still usable at the emulator's current time. */
function live(state: EmulatorState, v: JsonObject): boolean {
  return typeof v.expiresAt === 'number' && state.now() < v.expiresAt;
}

/** Pending (unexpired, uncompleted) verifications of a user, oldest first. Expired ones are dropped on the way. */
export function pendingVerifications(state: EmulatorState, userId: string): JsonObject[] {
  dropExpired(state);
  return state.store.list(UCOL.verifications).filter((v) => v.userId === userId && v.completed !== true);
}

/** Remove verifications whose lifetime has passed. */
function dropExpired(state: EmulatorState): void {
  for (const v of [...state.store.list(UCOL.verifications)]) if (!live(state, v)) state.store.delete(UCOL.verifications, String(v.id));
}

/** Find a live verification by its (case-sensitive) verification id. */
export function findVerification(state: EmulatorState, verificationId: unknown): JsonObject | undefined {
  if (typeof verificationId !== 'string' || verificationId === '') return undefined;
  dropExpired(state);
  return state.store.list(UCOL.verifications).find((v) => v.verificationId === verificationId);
}

/** Start a phone verification: a new verification id (and, for `FormField`, a one-time code), replacing older ones. */
export function startVerification(state: EmulatorState, o: StartOptions): JsonObject {
  const tenantId = String(o.tenant.id);
  for (const v of [...state.store.list(UCOL.verifications)]) {
    if (v.tenantId === tenantId && v.value === o.value && v.completed !== true) state.store.delete(UCOL.verifications, String(v.id));
  }
  const eic = get(o.tenant, 'externalIdentifierConfiguration');
  const ttl = get(eic, 'phoneVerificationIdTimeToLiveInSeconds');
  const now = state.now();
  const record: JsonObject = {
    id: randomUUID(),
    verificationId: generate(generatorFrom(get(eic, 'phoneVerificationIdGenerator'), { length: 32, type: 'randomBytes' })),
    type: 'phoneNumber',
    value: o.value,
    strategy: o.strategy,
    tenantId,
    insertInstant: now,
    expiresAt: now + (typeof ttl === 'number' && ttl > 0 ? ttl : 86400) * 1000,
  };
  if (o.strategy === 'FormField') {
    record.oneTimeCode = generate(generatorFrom(get(eic, 'phoneVerificationOneTimeCodeGenerator'), { length: 6, type: 'randomAlphaNumeric' }));
  }
  if (o.userId) record.userId = o.userId;
  if (o.applicationId) record.applicationId = o.applicationId;
  if (o.state) record.state = o.state;
  state.store.put(UCOL.verifications, record);
  return record;
}

/** Template variables for a user (`user`), its tenant and application, the way FusionAuth exposes them to templates. */
function templateObjects(state: EmulatorState, v: JsonObject): JsonObject {
  const vars: JsonObject = {};
  const user = typeof v.userId === 'string' ? state.store.get(UCOL.users, v.userId) : undefined;
  if (user) {
    vars.user = structuredClone(user);
    vars.userId = user.id as string;
  }
  const tenant = tenantById(state, v.tenantId);
  if (tenant) vars.tenant = { id: tenant.id as string, name: tenant.name as string };
  const app = applicationById(state, v.applicationId);
  if (app) vars.application = { id: app.id as string, name: app.name as string };
  return vars;
}

/**
 * "Send" a phone message for a verification through the tenant's messenger: pick the template (the application's
 * `phoneConfiguration.<which>` override, else the tenant's), render it for the user's preferred languages, record it in
 * the outbox. Returns a 400 reply when the tenant has no messenger or template for it.
 */
export function sendPhoneMessage(state: EmulatorState, v: JsonObject, which: 'verificationTemplateId' | 'verificationCompleteTemplateId'): Reply | undefined {
  const tenant = tenantById(state, v.tenantId);
  if (!tenant) return invalid('verificationId', '[invalid]', 'The verification belongs to a tenant that no longer exists.');
  const app = applicationById(state, v.applicationId);
  const templateId = get(app, `phoneConfiguration.${which}`) ?? get(tenant, `phoneConfiguration.${which}`);
  const messengerId = get(tenant, 'phoneConfiguration.messengerId');
  const template = typeof templateId === 'string' ? state.store.get(col('messageTemplate'), templateId) : undefined;
  const messenger = typeof messengerId === 'string' ? state.store.get(col('messenger'), messengerId) : undefined;
  // Emulator choice: FusionAuth's tenant validation makes both required when verification is on (reference §4.4); a
  // send without them (verification off, or objects deleted since) is refused with the field that is missing.
  if (!messenger) return invalid('tenant.phoneConfiguration.messengerId', '[missing]', 'The tenant has no messenger to send phone messages through.');
  if (!template) return invalid(`tenant.phoneConfiguration.${which}`, '[missing]', 'The tenant has no message template for this phone message.');
  const user = typeof v.userId === 'string' ? state.store.get(UCOL.users, v.userId) : undefined;
  const chosen = chooseTemplate(template, user?.preferredLanguages);
  // `code` is what the user needs: the one-time code (FormField), else the verification id itself (ClickableLink).
  const code = typeof v.oneTimeCode === 'string' ? v.oneTimeCode : (v.verificationId as string);
  const variables: JsonObject = { code, verificationId: v.verificationId as string, ...templateObjects(state, v) };
  if (typeof v.oneTimeCode === 'string') variables.verificationOneTimeCode = v.oneTimeCode;
  const message: JsonObject = {
    type: 'SMS',
    purpose: which === 'verificationTemplateId' ? 'phoneVerification' : 'phoneVerificationComplete',
    to: v.value as string,
    messengerId: messenger.id as string,
    messengerName: messenger.name as string,
    messengerType: messenger.type as string,
    messageTemplateId: template.id as string,
    messageTemplateName: template.name as string,
    body: renderTemplate(chosen.text, variables),
    variables,
    tenantId: tenant.id as string,
  };
  if (typeof messenger.fromPhoneNumber === 'string') message.from = messenger.fromPhoneNumber;
  if (chosen.locale) message.locale = chosen.locale;
  if (typeof v.userId === 'string') message.userId = v.userId;
  recordMessage(state, message);
  return undefined;
}

/** Mark a user's phone identity verified (`Completed` after a verification, `Administrative` by the admin API). */
export function markVerified(state: EmulatorState, user: JsonObject, phone: string, reason: 'Completed' | 'Administrative'): void {
  const now = state.now();
  for (const i of Array.isArray(user.identities) ? user.identities : []) {
    if (isObject(i) && i.type === 'phoneNumber' && i.value === phone) {
      i.verified = true;
      i.verifiedInstant = now;
      i.verifiedReason = reason;
      i.lastUpdateInstant = now;
    }
  }
  user.lastUpdateInstant = now;
  state.store.put(UCOL.users, user);
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** `POST /api/identity/verify/start`. */
function start(req: EmulatorRequest, state: EmulatorState): Reply {
  const b = bodyOf(req);
  const e = new Errors();
  if (str(b.loginId) === undefined) e.field('loginId', '[blank]', 'You must specify the [loginId] property.');
  if (str(b.loginIdType) === undefined) e.field('loginIdType', '[blank]', 'You must specify the [loginIdType] property.');
  else if (b.loginIdType !== 'phoneNumber') e.field('loginIdType', '[invalid]', 'The emulator verifies phoneNumber identities only (email verification is not emulated).');
  if (b.verificationStrategy !== undefined && b.verificationStrategy !== 'ClickableLink' && b.verificationStrategy !== 'FormField') {
    e.field('verificationStrategy', '[invalid]', 'The verificationStrategy must be ClickableLink or FormField.');
  }
  const existing = b.existingUserStrategy ?? 'mustExist';
  if (existing !== 'mustExist' && existing !== 'mustNotExist') e.field('existingUserStrategy', '[invalid]', 'The existingUserStrategy must be mustExist or mustNotExist.');
  if (b.state !== undefined && !isObject(b.state)) e.field('state', '[invalid]', 'The state must be an object.');
  const phone = canonicalPhone(b.loginId);
  if (!e.hasField('loginId') && phone === undefined) e.field('loginId', '[invalid]', `The loginId [${String(b.loginId)}] is not a valid phone number.`);
  if (!e.empty) return e.reply();
  const t = resolveTenant(state, req, b.applicationId);
  if ('reply' in t) return t.reply;
  const user = findByIdentity(state, String(t.tenant.id), 'phoneNumber', phone);
  // [SITE:docs/apis/identity-verify.mdx] 404: "existingUserStrategy value of mustExist and the loginId did not match a user".
  if (existing === 'mustExist' && !user) return { status: 404 };
  if (existing === 'mustNotExist' && user) return invalid('loginId', '[duplicate]', 'A user with this phone number already exists.');
  const app = applicationById(state, b.applicationId);
  const v = startVerification(state, {
    tenant: t.tenant,
    value: phone as string,
    strategy: (b.verificationStrategy as Strategy | undefined) ?? phoneStrategy(t.tenant),
    ...(user ? { userId: String(user.id) } : {}),
    ...(app ? { applicationId: String(app.id) } : {}),
    ...(isObject(b.state) ? { state: b.state } : {}),
  });
  const body: JsonObject = { verificationId: v.verificationId as string };
  if (typeof v.oneTimeCode === 'string') body.oneTimeCode = v.oneTimeCode;
  return { status: 200, body };
}

/** The live verification named in a body, honouring the tenant header; or the 400 for a missing/unknown one. */
function verificationFrom(req: EmulatorRequest, state: EmulatorState): { v: JsonObject } | { reply: Reply } {
  const b = bodyOf(req);
  if (str(b.verificationId) === undefined) return { reply: invalid('verificationId', '[blank]', 'You must specify the [verificationId] property.') };
  const v = findVerification(state, b.verificationId);
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope;
  if (!v || (scope.tenantId !== undefined && v.tenantId !== scope.tenantId)) {
    return { reply: invalid('verificationId', '[invalid]', 'The verificationId is invalid or has expired.') };
  }
  return { v };
}

/**
 * Complete a live verification with the code the user typed (ignored for `ClickableLink`, whose id is the proof):
 * 200 with the start request's `state`, or the 400 for a blank or wrong code. Shared by the Complete API and the hosted
 * phone verification page (which calls that API, decompiled `BaseVerificationRequiredAction.verifyIdentity`).
 */
export function completeVerification(state: EmulatorState, v: JsonObject, code: Json | undefined): Reply {
  if (typeof v.oneTimeCode === 'string') {
    if (str(code) === undefined) return invalid('oneTimeCode', '[blank]', 'You must specify the [oneTimeCode] property: the verification strategy is FormField.');
    if (code !== v.oneTimeCode) return invalid('oneTimeCode', '[invalid]', 'The oneTimeCode does not match the verification.');
  }
  const user = typeof v.userId === 'string' ? state.store.get(UCOL.users, v.userId) : undefined;
  if (user) {
    markVerified(state, user, v.value as string, 'Completed');
    state.store.delete(UCOL.verifications, String(v.id));
    // "Your number is verified" message, when the tenant has a template for it (reference §4.4).
    if (typeof get(tenantById(state, v.tenantId), 'phoneConfiguration.verificationCompleteTemplateId') === 'string') {
      sendPhoneMessage(state, v, 'verificationCompleteTemplateId');
    }
  } else {
    // mustNotExist: the id is now a proof of verification, usable in `verificationIds` when creating the user.
    v.completed = true;
    state.store.put(UCOL.verifications, v);
  }
  const body: JsonObject = isObject(v.state) ? { state: structuredClone(v.state) } : {};
  return { status: 200, body };
}

/** The identity verification routes. */
export const verificationRoutes: RouteModule = {
  name: 'identity-verify',
  routes: [
    { method: 'POST', path: '/api/identity/verify/start', handle: (req, state) => start(req, state) },
    {
      method: 'POST',
      path: '/api/identity/verify/send',
      handle: (req, state) => {
        const found = verificationFrom(req, state);
        if ('reply' in found) return found.reply;
        return sendPhoneMessage(state, found.v, 'verificationTemplateId') ?? { status: 200 };
      },
    },
    {
      method: 'POST',
      path: '/api/identity/verify/complete',
      handle: (req, state) => {
        const found = verificationFrom(req, state);
        if ('reply' in found) return found.reply;
        return completeVerification(state, found.v, bodyOf(req).oneTimeCode);
      },
    },
    {
      method: 'POST',
      path: '/api/identity/verify',
      handle: (req, state) => {
        const b = bodyOf(req);
        if (str(b.loginId) === undefined) return invalid('loginId', '[blank]', 'You must specify the [loginId] property.');
        if (b.loginIdType !== 'phoneNumber') return invalid('loginIdType', '[invalid]', 'The emulator verifies phoneNumber identities only.');
        const t = resolveTenant(state, req);
        if ('reply' in t) return t.reply;
        const user = findByIdentity(state, String(t.tenant.id), 'phoneNumber', b.loginId);
        if (!user) return { status: 404 };
        const identity = identityOf(user, 'phoneNumber');
        markVerified(state, user, String(identity?.value), 'Administrative');
        for (const v of pendingVerifications(state, String(user.id))) state.store.delete(UCOL.verifications, String(v.id));
        return { status: 200 };
      },
    },
  ],
};
