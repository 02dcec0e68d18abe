/**
 * `POST /api/login` and `GET /api/jwt/validate`.
 *
 * Login ([SITE:docs/apis/login/authenticate.mdx], status codes [SITE:docs/apis/login/_login-response-codes-authenticated.mdx]):
 * - `loginId` is compared against the identity types in `loginIdTypes`, which DEFAULTS TO `["email", "username"]`
 *   ([SITE:docs/apis/_shared/_login-id-type-field.mdx]): to log in with a phone number, send
 *   `"loginIdTypes": ["phoneNumber"]`.
 * - 404, empty body: no such user, wrong password, no password, or a deactivated user.
 * - 212: "The user was authenticated successfully. The user's email address … or phone number has not yet been
 *   verified. The response will contain the User object that was authenticated. If the tenant verification strategy
 *   has been set to `FormField`, the response will contain the verification Id that was generated for the user" —
 *   `identityVerificationId` ([SITE:docs/apis/_shared/_user-login-response.mdx]). No token. The emulator gates when the
 *   phone identity used to log in still needs verification (model.ts needsVerification) and the tenant has
 *   `verifyPhoneNumber` on with `unverified.behavior: Gated`. So turning gating on later gates users whose identity is
 *   `Pending`, and never users whose identity is `Disabled` (created while verification was off) or `Import`.
 *   The verification id returned is the user's pending one; when none is left (expired), a new one is started but not
 *   sent — FusionAuth's docs put re-sending with the Login API on the Identity Verify Send API, which takes this id.
 * - 202: authenticated but not registered for `applicationId` (user and token, no roles).
 * - 200: `token` (HS256, jwt.ts), `tokenExpirationInstant`, `user`. `noJWT: true` leaves the token out.
 * - 401 without a valid API key, unless the application's (or, without `applicationId`, the tenant's)
 *   `loginConfiguration.requireAuthentication` is false (the 401 row of the same table).
 * Email verification gating is not emulated (email identities never gate).
 */
import { randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../../core/types.js';
import { Errors } from '../errors.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import type { EmulatorState } from '../state.js';
import { isObject } from '../values.js';
import { signJwt, verifyJwt } from './jwt.js';
import { applicationById, bodyOf, findByIdentity, get, identitiesOf, needsVerification, normalizeIdentity, resolveTenant, UCOL, type IdentityType } from './model.js';
import { verifyPassword, type Credential } from './password.js';
import { gatesPhone, pendingVerifications, phoneStrategy, startVerification } from './verification.js';

const TYPES: readonly IdentityType[] = ['email', 'phoneNumber', 'username'];

/** The access token of a login: claims per jwt.ts, lifetime from the application's JWT settings when enabled, else the tenant's. */
function issueToken(state: EmulatorState, tenant: JsonObject, user: JsonObject, app: JsonObject | undefined, registration: JsonObject | undefined): { token: string; tokenExpirationInstant: number } {
  const appJwt = app && get(app, 'jwtConfiguration.enabled') === true ? get(app, 'jwtConfiguration') : undefined;
  const ttlValue = get(appJwt, 'timeToLiveInSeconds') ?? get(tenant, 'jwtConfiguration.timeToLiveInSeconds');
  const ttl = typeof ttlValue === 'number' && ttlValue > 0 ? ttlValue : 3600;
  const nowMs = state.now();
  const iat = Math.floor(nowMs / 1000);
  const claims: JsonObject = { iat, exp: iat + ttl, iss: typeof tenant.issuer === 'string' ? tenant.issuer : 'acme.com', sub: String(user.id), jti: randomUUID(), authenticationType: 'PASSWORD', tid: String(tenant.id), auth_time: iat };
  if (app) {
    claims.aud = String(app.id);
    claims.applicationId = String(app.id);
    claims.roles = registration && Array.isArray(registration.roles) ? structuredClone(registration.roles) : [];
  }
  if (typeof user.email === 'string') claims.email = user.email;
  const kid = get(appJwt, 'accessTokenKeyId') ?? get(tenant, 'jwtConfiguration.accessTokenKeyId');
  return { token: signJwt(state, claims, typeof kid === 'string' ? kid : undefined), tokenExpirationInstant: (iat + ttl) * 1000 };
}

/** `POST /api/login`. */
async function login(req: EmulatorRequest, state: EmulatorState, authenticated: boolean): Promise<Reply> {
  const b = bodyOf(req);
  const app = applicationById(state, b.applicationId);
  // Authentication may be switched off per application (or per tenant when no applicationId is sent).
  const t = resolveTenant(state, req, b.applicationId);
  if (!authenticated) {
    const required = app ? get(app, 'loginConfiguration.requireAuthentication') : 'reply' in t ? true : get(t.tenant, 'loginConfiguration.requireAuthentication');
    if (required !== false) return { status: 401 };
  }
  const e = new Errors();
  if (typeof b.loginId !== 'string' || b.loginId.trim() === '') e.field('loginId', '[blank]', 'You must specify the [loginId] property.');
  if (typeof b.password !== 'string' || b.password === '') e.field('password', '[blank]', 'You must specify the [password] property.');
  if (b.applicationId !== undefined && b.applicationId !== null && !app) e.field('applicationId', '[invalid]', 'The provided application Id is invalid.');
  let types: IdentityType[] = ['email', 'username'];
  if (b.loginIdTypes !== undefined && b.loginIdTypes !== null) {
    if (!Array.isArray(b.loginIdTypes) || !b.loginIdTypes.every((x) => typeof x === 'string' && (TYPES as readonly string[]).includes(x))) {
      e.field('loginIdTypes', '[invalid]', 'The loginIdTypes must be a list of email, phoneNumber and username.');
    } else if (b.loginIdTypes.length > 0) types = b.loginIdTypes as IdentityType[];
  }
  if (!e.empty) return e.reply();
  if ('reply' in t) return t.reply;
  const tenant = t.tenant;
  if (app && app.tenantId !== tenant.id) return { status: 404 };

  let user: JsonObject | undefined;
  let usedType: IdentityType | undefined;
  for (const type of types) {
    user = findByIdentity(state, String(tenant.id), type, b.loginId);
    if (user) {
      usedType = type;
      break;
    }
  }
  if (!user || !usedType || user.active !== true) return { status: 404 };
  const credential = state.store.get(UCOL.credentials, String(user.id)) as (JsonObject & Credential) | undefined;
  if (!credential || !(await verifyPassword(b.password as string, credential))) return { status: 404 };

  const used = identitiesOf(user).find((i) => i.type === usedType && i.value === normalizeIdentity(usedType, b.loginId));
  if (usedType === 'phoneNumber' && used && gatesPhone(tenant) && needsVerification(used)) {
    const body: JsonObject = { user: structuredClone(user) };
    if (phoneStrategy(tenant) === 'FormField') {
      // A verification started under ClickableLink (before the tenant switched to FormField) has no code to type.
      const pending = pendingVerifications(state, String(user.id)).filter((v) => v.value === used.value && v.strategy === 'FormField');
      const v = pending.at(-1) ?? startVerification(state, { tenant, value: String(used.value), userId: String(user.id), strategy: 'FormField', ...(app ? { applicationId: String(app.id) } : {}) });
      body.identityVerificationId = v.verificationId as string;
    }
    return { status: 212, body };
  }

  const now = state.now();
  user.lastLoginInstant = now;
  if (used) used.lastLoginInstant = now;
  const registration = app && Array.isArray(user.registrations) ? user.registrations.filter(isObject).find((r) => r.applicationId === app.id) : undefined;
  if (registration) registration.lastLoginInstant = now;
  state.store.put(UCOL.users, user);
  const body: JsonObject = {};
  if (b.noJWT !== true) Object.assign(body, issueToken(state, tenant, user, app, registration));
  body.user = structuredClone(user);
  return { status: app && !registration ? 202 : 200, body };
}

/**
 * `GET /api/jwt/validate` with `Authorization: Bearer <token>` (or `JWT <token>`): 200 `{"jwt": {claims}}` for a token
 * this emulator signed that has not expired, else 401 with an empty body ([SITE:docs/apis/jwt] Validate a JWT).
 */
function validate(req: EmulatorRequest, state: EmulatorState): Reply {
  const h = req.headers.authorization ?? '';
  const m = /^(?:Bearer|JWT)\s+(\S+)$/i.exec(h);
  const claims = m?.[1] ? verifyJwt(state, m[1]) : undefined;
  if (!claims) return { status: 401 };
  return { status: 200, body: { jwt: claims as Json } };
}

/** The login and JWT routes. */
export const loginRoutes: RouteModule = {
  name: 'login',
  routes: [
    { method: 'POST', path: '/api/login', auth: 'optional', handle: (req, state, auth) => login(req, state, auth.authenticated) },
    { method: 'GET', path: '/api/jwt/validate', auth: 'none', handle: (req, state) => validate(req, state) },
  ],
};
