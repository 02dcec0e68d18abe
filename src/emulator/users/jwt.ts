/**
 * Tokens. Access and id tokens: HS256 JWTs signed with a random secret made per emulator instance (node's HMAC, no
 * dependency).
 * FusionAuth's own default signing key is an HMAC key too; the claims follow its documented example
 * ([SITE:json/login/jwt.json]: `applicationId`, `aud`, `authenticationType`, `exp`, `iat`, `iss`, `roles`, `sub`) plus
 * `tid` and `jti`. `exp`/`iat` are seconds (RFC 7519), as in FusionAuth's example token.
 *
 * The secret is never exposed; `GET /api/jwt/validate` (FusionAuth's JWT validate API) checks a token.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Json, JsonObject } from '../../core/types.js';
import type { EmulatorState } from '../state.js';
import { isObject } from '../values.js';
import { get } from './model.js';

const secrets = new WeakMap<EmulatorState, Buffer>();

function secretOf(state: EmulatorState): Buffer {
  let s = secrets.get(state);
  if (!s) {
    s = randomBytes(32);
    secrets.set(state, s);
  }
  return s;
}

function b64(obj: JsonObject): string {
  return Buffer.from(JSON.stringify(obj), 'utf8').toString('base64url');
}

/** Sign claims as an HS256 JWT; `kid` (the signing key id FusionAuth puts in the header) is optional. */
export function signJwt(state: EmulatorState, claims: JsonObject, kid?: string): string {
  const header: JsonObject = { alg: 'HS256', typ: 'JWT' };
  if (kid) header.kid = kid;
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secretOf(state)).update(input).digest('base64url')}`;
}

/** The claims of a token this instance signed and that has not expired (by the emulator's clock); else undefined. */
export function verifyJwt(state: EmulatorState, token: string): JsonObject | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, sig] = parts as [string, string, string];
  const expected = createHmac('sha256', secretOf(state)).update(`${h}.${p}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as JsonObject;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as JsonObject;
    if (header.alg !== 'HS256') return undefined;
    if (typeof claims.exp === 'number' && claims.exp * 1000 <= state.now()) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

/** What an access token is issued for. */
export interface TokenSubject {
  tenant: JsonObject;
  user: JsonObject;
  /** The application logged in to (none for a Login API call without `applicationId`). */
  app?: JsonObject;
  /** Extra claims (OAuth2: `scope`, `sid`); `undefined` values are left out. */
  claims?: Record<string, Json | undefined>;
}

/** An issued access token. */
export interface IssuedToken {
  token: string;
  /** Epoch ms, as the Login API's `tokenExpirationInstant`. */
  expiresAt: number;
  /** Seconds from now, as the token endpoint's `expires_in`. */
  expiresIn: number;
  claims: JsonObject;
}

/**
 * The application's JWT settings when `jwtConfiguration.enabled`, else the tenant's — FusionAuth's
 * `tenant.lookupJWTConfiguration(application)` (decompiled BaseLoginAction, the refresh token cookie's lifetime).
 */
export function jwtConfigurationOf(tenant: JsonObject, app: JsonObject | undefined): JsonObject {
  const appJwt = app && get(app, 'jwtConfiguration.enabled') === true ? get(app, 'jwtConfiguration') : undefined;
  const chosen = appJwt ?? get(tenant, 'jwtConfiguration');
  return isObject(chosen) ? chosen : {};
}

/** The user's registration for an application, when there is one. */
export function registrationOf(user: JsonObject, app: JsonObject | undefined): JsonObject | undefined {
  if (!app || !Array.isArray(user.registrations)) return undefined;
  return user.registrations.filter(isObject).find((r) => r.applicationId === app.id);
}

/**
 * An access token. Claims per FusionAuth's documented example ([SITE:json/login/jwt.json]) and the decompiled
 * BaseLoginAction `addTokensToResponse`: `aud` the application, `applicationId` and `roles` only when the user is
 * registered for it; lifetime from `jwtConfigurationOf` (default 3600 s).
 */
export function issueAccessToken(state: EmulatorState, s: TokenSubject): IssuedToken {
  const jwt = jwtConfigurationOf(s.tenant, s.app);
  const ttlValue = jwt.timeToLiveInSeconds;
  const ttl = typeof ttlValue === 'number' && ttlValue > 0 ? ttlValue : 3600;
  const iat = Math.floor(state.now() / 1000);
  const claims: JsonObject = { iat, exp: iat + ttl, iss: typeof s.tenant.issuer === 'string' ? s.tenant.issuer : 'acme.com', sub: String(s.user.id), jti: randomUUID(), authenticationType: 'PASSWORD', tid: String(s.tenant.id), auth_time: iat };
  if (s.app) {
    claims.aud = String(s.app.id);
    const registration = registrationOf(s.user, s.app);
    if (registration) {
      claims.applicationId = String(s.app.id);
      claims.roles = Array.isArray(registration.roles) ? structuredClone(registration.roles) : [];
    }
  }
  if (typeof s.user.email === 'string') claims.email = s.user.email;
  for (const [k, v] of Object.entries(s.claims ?? {})) if (v !== undefined) claims[k] = v;
  const kid = jwt.accessTokenKeyId;
  return { token: signJwt(state, claims, typeof kid === 'string' ? kid : undefined), expiresAt: (iat + ttl) * 1000, expiresIn: ttl, claims };
}

/**
 * An OpenID Connect id token for an access token ([SITE:docs/lifecycle/authenticate-users/oauth/tokens.mdx], decompiled
 * OAuthService `exchangeAuthorizationCode`: the access token's claims without `applicationId`/`roles`, plus `at_hash`,
 * `c_hash` for a code and `nonce` when the authorize request had one). The hashes are OIDC Core §3.3.2.11: the left
 * half of the SHA-256 of the value, base64url.
 */
export function issueIdToken(state: EmulatorState, access: IssuedToken, extra: { code?: string; nonce?: string; user: JsonObject }): string {
  const half = (v: string): string => createHash('sha256').update(v, 'ascii').digest().subarray(0, 16).toString('base64url');
  const claims: JsonObject = structuredClone(access.claims);
  delete claims.applicationId;
  delete claims.roles;
  delete claims.scope;
  delete claims.sid;
  claims.jti = randomUUID();
  claims.at_hash = half(access.token);
  if (extra.code !== undefined) claims.c_hash = half(extra.code);
  if (extra.nonce !== undefined) claims.nonce = extra.nonce;
  if (typeof extra.user.phoneNumber === 'string') claims.phone_number = extra.user.phoneNumber;
  return signJwt(state, claims);
}

/** The collection of refresh tokens (persisted with the rest of the emulator's state). */
export const REFRESH_TOKENS = 'refreshTokens';

/**
 * Create a refresh token ([OAS] `RefreshToken`: `id`, `token`, `userId`, `applicationId`, `tenantId`, `startInstant`,
 * `insertInstant`, `metaData.scopes`). Its lifetime is `refreshTokenTimeToLiveInMinutes` of `jwtConfigurationOf`
 * (default 43200, reference §4.4); the emulator models the `Fixed` expiration and `Reusable` usage policies only.
 */
export function createRefreshToken(state: EmulatorState, tenant: JsonObject, user: JsonObject, app: JsonObject, scopes: string[] = []): JsonObject {
  const ttl = jwtConfigurationOf(tenant, app).refreshTokenTimeToLiveInMinutes;
  const now = state.now();
  // Expired tokens are dropped as new ones are made, so that the collection holds live tokens only.
  for (const t of [...state.store.list(REFRESH_TOKENS)]) if (!(typeof t.expiresAt === 'number' && now < t.expiresAt)) state.store.delete(REFRESH_TOKENS, String(t.id));
  const record: JsonObject = {
    id: randomUUID(),
    token: randomBytes(48).toString('base64url'),
    userId: String(user.id),
    applicationId: String(app.id),
    tenantId: String(tenant.id),
    insertInstant: now,
    startInstant: now,
    expiresAt: now + (typeof ttl === 'number' && ttl > 0 ? ttl : 43200) * 60_000,
    metaData: { scopes },
  };
  state.store.put(REFRESH_TOKENS, record);
  return record;
}

/** A live refresh token by its value (an expired one is deleted on the way and not returned). */
export function findRefreshToken(state: EmulatorState, token: unknown): JsonObject | undefined {
  if (typeof token !== 'string' || token === '') return undefined;
  const found = state.store.list(REFRESH_TOKENS).find((t) => t.token === token);
  if (found && !(typeof found.expiresAt === 'number' && state.now() < found.expiresAt)) {
    state.store.delete(REFRESH_TOKENS, String(found.id));
    return undefined;
  }
  return found;
}

/** Delete every refresh token that matches. */
export function deleteRefreshTokens(state: EmulatorState, which: (token: JsonObject) => boolean): void {
  for (const t of state.store.list(REFRESH_TOKENS).filter(which)) state.store.delete(REFRESH_TOKENS, String(t.id));
}

/** Revoke one refresh token, or (`global`) every refresh token of its user. Returns how many were revoked. */
export function revokeRefreshToken(state: EmulatorState, token: JsonObject, global: boolean): number {
  const doomed = global ? state.store.list(REFRESH_TOKENS).filter((t) => t.userId === token.userId) : [token];
  for (const t of doomed) state.store.delete(REFRESH_TOKENS, String(t.id));
  return doomed.length;
}
