/**
 * FusionAuth's secure generators (`{length, type}`, OpenAPI `SecureGeneratorConfiguration`/`SecureGeneratorType`):
 * the tenant's `externalIdentifierConfiguration.phoneVerificationIdGenerator` makes verification ids and
 * `phoneVerificationOneTimeCodeGenerator` the codes users type (reference §4.4).
 *
 * Character sets: `randomDigits` 0-9; `randomAlpha` A-Z; `randomAlphaNumeric` A-Z and 0-9 (FusionAuth's one-time
 * codes are upper case, e.g. the docs' `start-response-otp-body.json`); `randomBytes` is `length` secure random bytes,
 * base64url without padding (the shape of FusionAuth's verification ids in its docs and hosted-page URLs).
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Json } from '../../core/types.js';

/** A generator as configured on the tenant. */
export interface Generator {
  length: number;
  type: 'randomBytes' | 'randomDigits' | 'randomAlpha' | 'randomAlphaNumeric';
}

const ALPHABETS = {
  randomDigits: '0123456789',
  randomAlpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  randomAlphaNumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
} as const;

/** Read a generator from tenant JSON, falling back to `fallback` (FusionAuth's default) for missing or odd values. */
export function generatorFrom(value: Json | undefined, fallback: Generator): Generator {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fallback;
  const length = typeof value.length === 'number' && Number.isInteger(value.length) && value.length > 0 ? value.length : fallback.length;
  const type = typeof value.type === 'string' && (value.type === 'randomBytes' || value.type in ALPHABETS) ? (value.type as Generator['type']) : fallback.type;
  return { length, type };
}

/** A fresh secret value from a generator (node's CSPRNG). */
export function generate(g: Generator): string {
  if (g.type === 'randomBytes') return randomBytes(g.length).toString('base64url');
  const alphabet = ALPHABETS[g.type];
  let out = '';
  for (let i = 0; i < g.length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}
