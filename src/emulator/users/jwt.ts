/**
 * Access tokens: HS256 JWTs signed with a random secret made per emulator instance (node's HMAC, no dependency).
 * FusionAuth's own default signing key is an HMAC key too; the claims follow its documented example
 * ([SITE:json/login/jwt.json]: `applicationId`, `aud`, `authenticationType`, `exp`, `iat`, `iss`, `roles`, `sub`) plus
 * `tid` and `jti`. `exp`/`iat` are seconds (RFC 7519), as in FusionAuth's example token.
 *
 * The secret is never exposed; `GET /api/jwt/validate` (FusionAuth's JWT validate API) checks a token.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { JsonObject } from '../../core/types.js';
import type { EmulatorState } from '../state.js';

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
