/**
 * `POST /api/login`, `POST /api/logout` and `GET /api/jwt/validate`.
 *
 * Login ([SITE:docs/apis/login/authenticate.mdx], status codes [SITE:docs/apis/login/_login-response-codes-authenticated.mdx];
 * the order of the decisions follows FusionAuth's decompiled `DefaultAuthenticationService` and `BaseLoginAction`):
 * - `loginId` is compared against the identity types in `loginIdTypes`, which DEFAULTS TO `["email", "username"]`
 *   ([SITE:docs/apis/_shared/_login-id-type-field.mdx]): to log in with a phone number, send
 *   `"loginIdTypes": ["phoneNumber"]`.
 * - 404, empty body: no such user, a wrong password or no password (the docs' 404 row).
 * - 423, empty body: the user is deactivated (`active: false`) — decided before the password is checked
 *   (`validateUserForAuthentication` throws `UserLockedException` for `!user.active`, mapped to 423 by the docs' row).
 * - 410, empty body: the user's `expiry` has passed (same method, `UserExpiredException`).
 * - Then, with the user authenticated, the response is always built the same way — the user, any existing
 *   verification ids, and (unless `noJWT`) the tokens — and only the status differs, in this order: 202 not registered
 *   for `applicationId`, 213 registration not verified, 212 identity not verified, else 200.
 * - 212: the identity used to log in (for a username, the user's primary email when there is one) still requires
 *   verification (`UserIdentity.verificationRequired()`, model.ts `needsVerification`). The tenant's
 *   `unverified.behavior` is NOT consulted: FusionAuth's .NET client test suite (FusionAuth/fusionauth-netcore-client,
 *   `FusionAuthClientTest.cs` `UnverifiedUserLogin_Test`, run against a live `fusionauth-app`) asserts 212 for an
 *   unverified email while the tenant's behaviour is the default `Allow`; the decompiled `BaseLoginAction` decides 212
 *   from the identity alone, for email and phone alike. `Gated` is applied by the hosted login pages (oauth.ts).
 * - The 212 still carries the token: `addTokensToResponse` runs before the status is chosen (decompiled
 *   `BaseLoginAction.handleAuthenticationResult`), and FusionAuth's own issue #1191 describes the Login API leaving the
 *   unverified state to the caller ("review the user or JWT returned by the Login API").
 * - Verification ids: a login never starts a verification. When the tenant verifies phone numbers with the `FormField`
 *   strategy and an identity still needs verification, an existing live verification with a one-time code for the
 *   identity used to log in is returned as `identityVerificationId` (decompiled
 *   `DefaultAuthenticationService.handleAddingVerificationIdToResponse`). The emulator verifies phone numbers only, so
 *   `emailVerificationId` is never set. Without such a verification the 212 has no id: start one with
 *   `POST /api/identity/verify/start` (and `/send`).
 * - Refresh token: `refreshToken` and `refreshTokenId` when the application's `loginConfiguration.generateRefreshTokens`
 *   is on (decompiled `addTokensToResponse`; `oauthConfiguration.generateRefreshTokens` governs the OAuth2 grants only).
 * - 401 without a valid API key, unless the application's (or, without `applicationId`, the tenant's)
 *   `loginConfiguration.requireAuthentication` is false (the 401 row of the same table, decompiled `LoginAction.authorize`).
 * Not modelled: 203 (password change required), 242 (two-factor), 409 (user actions), login validation lambdas,
 * the `access_token`/`refresh_token` response cookies.
 */
import type { Json, JsonObject } from '../../core/types.js';
import { Errors } from '../errors.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import { col, type Cascade, type EmulatorState } from '../state.js';
import { createRefreshToken, deleteRefreshTokens, findRefreshToken, issueAccessToken, registrationOf, revokeRefreshToken, verifyJwt } from './jwt.js';
import { applicationById, bodyOf, findByIdentity, get, identitiesOf, identityOf, needsVerification, normalizeIdentity, resolveTenant, UCOL, type IdentityType } from './model.js';
import { verifyPassword, type Credential } from './password.js';
import { pendingVerifications, phoneStrategy, verifiesPhone } from './verification.js';

const TYPES: readonly IdentityType[] = ['email', 'phoneNumber', 'username'];

/** The outcome of checking a login id and password: the user and the identity used, or the status that refuses them. */
export type Authentication = { user: JsonObject; identity: JsonObject | undefined } | { status: 404 | 410 | 423 };

/**
 * Find the user of a tenant by login id and check the password, as `DefaultAuthenticationService.authenticateUser`
 * does: unknown user 404, deactivated 423 and expired 410 before the password is looked at, wrong or no password 404.
 * Shared by the Login API and the hosted login page.
 */
export async function authenticate(state: EmulatorState, tenant: JsonObject, loginId: string, password: string, types: readonly IdentityType[]): Promise<Authentication> {
  let user: JsonObject | undefined;
  let usedType: IdentityType | undefined;
  for (const type of types) {
    user = findByIdentity(state, String(tenant.id), type, loginId);
    if (user) {
      usedType = type;
      break;
    }
  }
  if (!user || !usedType) return { status: 404 };
  if (user.active !== true) return { status: 423 };
  if (typeof user.expiry === 'number' && user.expiry < state.now()) return { status: 410 };
  const credential = state.store.get(UCOL.credentials, String(user.id)) as (JsonObject & Credential) | undefined;
  if (!credential || !(await verifyPassword(password, credential))) return { status: 404 };
  const identity = identitiesOf(user).find((i) => i.type === usedType && i.value === normalizeIdentity(usedType, loginId));
  return { user, identity };
}

/** Record a successful login on the user, the identity used and the registration (`lastLoginInstant`). */
export function recordLogin(state: EmulatorState, user: JsonObject, identity: JsonObject | undefined, app: JsonObject | undefined): void {
  const now = state.now();
  user.lastLoginInstant = now;
  if (identity) identity.lastLoginInstant = now;
  const registration = registrationOf(user, app);
  if (registration) registration.lastLoginInstant = now;
  state.store.put(UCOL.users, user);
}

/**
 * The identity whose verification decides a 212: the one used to log in, except that a username login is judged by the
 * user's primary email when there is one (decompiled `BaseLoginAction.handleAuthenticationResult`).
 */
function judgedIdentity(user: JsonObject, used: JsonObject | undefined): JsonObject | undefined {
  if (used?.type === 'username') return identityOf(user, 'email') ?? used;
  return used;
}

/** The existing verification id to return for the identity used (see the module comment); never starts one. */
function existingVerificationId(state: EmulatorState, tenant: JsonObject, user: JsonObject, used: JsonObject | undefined): string | undefined {
  if (!verifiesPhone(tenant) || phoneStrategy(tenant) !== 'FormField') return undefined;
  if (!identitiesOf(user).some(needsVerification)) return undefined;
  if (used?.type !== 'phoneNumber') return undefined;
  const pending = pendingVerifications(state, String(user.id)).filter((v) => v.value === used.value && typeof v.oneTimeCode === 'string');
  const v = pending.at(-1);
  return typeof v?.verificationId === 'string' ? v.verificationId : undefined;
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

  const result = await authenticate(state, tenant, b.loginId as string, b.password as string, types);
  if ('status' in result) return { status: result.status };
  const { user, identity } = result;
  recordLogin(state, user, identity, app);

  const body: JsonObject = {};
  const verificationId = existingVerificationId(state, tenant, user, identity);
  if (verificationId !== undefined) body.identityVerificationId = verificationId;
  if (b.noJWT !== true) {
    const access = issueAccessToken(state, { tenant, user, app });
    body.token = access.token;
    body.tokenExpirationInstant = access.expiresAt;
    if (app && get(app, 'loginConfiguration.generateRefreshTokens') === true) {
      const refresh = createRefreshToken(state, tenant, user, app);
      body.refreshToken = refresh.token as string;
      body.refreshTokenId = refresh.id as string;
    }
  }
  body.user = structuredClone(user);
  const registration = registrationOf(user, app);
  if (app && !registration) return { status: 202, body };
  if (registration && registration.verified === false) return { status: 213, body };
  const judged = judgedIdentity(user, identity);
  if (judged && needsVerification(judged)) return { status: 212, body };
  return { status: 200, body };
}

/** The value of one cookie of a request (`Cookie: a=1; b=2`). */
export function cookie(req: EmulatorRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

/**
 * `POST /api/logout` ([SITE:docs/apis/login/logout.mdx]): no API key; revokes the refresh token given as the
 * `refreshToken` body property (or URL parameter, as FusionAuth's clients send it), else the `refresh_token` cookie;
 * `global: true` revokes every refresh token of its owner. Always 200 with no body — also when there is no token or it
 * is unknown ("This API does nothing if the request does not contain an access token or refresh token cookies"; the docs
 * list 200 and 500 only). The FusionAuth SSO session `global` also ends is not modelled (no SSO sessions).
 */
function logout(req: EmulatorRequest, state: EmulatorState): Reply {
  const b = bodyOf(req);
  const fromBody = typeof b.refreshToken === 'string' ? b.refreshToken : (req.query.get('refreshToken') ?? undefined);
  const global = b.global === true || req.query.get('global') === 'true';
  const token = findRefreshToken(state, fromBody ?? cookie(req, 'refresh_token'));
  if (token) revokeRefreshToken(state, token, global);
  return { status: 200 };
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

/**
 * Refresh tokens go with their application (decompiled `DefaultApplicationService.delete`:
 * `refreshTokenMapper.deleteByApplicationId`) and with their user on a hard delete (a token names its user, OpenAPI
 * `RefreshToken.userId`; a token of a removed user could only mint tokens for nobody).
 */
const refreshTokenCascades: Cascade[] = [
  { collection: col('application'), remove: (state, app) => deleteRefreshTokens(state, (t) => t.applicationId === app.id) },
  { collection: UCOL.users, remove: (state, user) => deleteRefreshTokens(state, (t) => t.userId === user.id) },
];

/** The login, logout and JWT routes. */
export const loginRoutes: RouteModule = {
  name: 'login',
  cascades: refreshTokenCascades,
  routes: [
    { method: 'POST', path: '/api/login', auth: 'optional', handle: (req, state, auth) => login(req, state, auth.authenticated) },
    { method: 'POST', path: '/api/logout', auth: 'none', handle: (req, state) => logout(req, state) },
    { method: 'GET', path: '/api/jwt/validate', auth: 'none', handle: (req, state) => validate(req, state) },
  ],
};
