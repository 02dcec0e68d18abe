/**
 * Password storage: salted PBKDF2-HMAC-SHA256, FusionAuth's default scheme `salted-pbkdf2-hmac-sha256` with its
 * default factor 24000 (src/emulator/defaults/tenant.ts DEFAULT_ENCRYPTION_SCHEME[_FACTOR]): a 32-byte derived key,
 * base64, from the password and a base64 salt. Plain passwords are never stored, logged or returned; the hash lives
 * in its own collection, apart from the user object the API hands out.
 */
import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** The scheme the emulator hashes with, and the only one it can verify. */
export const SCHEME = 'salted-pbkdf2-hmac-sha256';
/** FusionAuth's default factor (iterations) for the scheme. */
export const FACTOR = 24000;

/** A stored credential (what FusionAuth keeps as `encryptionScheme`, `factor`, `salt`, `password`). */
export interface Credential {
  encryptionScheme: string;
  factor: number;
  salt: string;
  hash: string;
}

async function derive(password: string, salt: string, factor: number): Promise<string> {
  return (await pbkdf2Async(password, Buffer.from(salt, 'base64'), factor, 32, 'sha256')).toString('base64');
}

/** Hash a plain password with a fresh random salt. */
export async function hashPassword(password: string, factor: number = FACTOR): Promise<Credential> {
  const salt = randomBytes(32).toString('base64');
  return { encryptionScheme: SCHEME, factor, salt, hash: await derive(password, salt, factor) };
}

/**
 * Whether a password matches a credential, compared in constant time. Credentials imported with another scheme
 * (bcrypt, salted-md5, …) cannot be checked by the emulator and never match.
 */
export async function verifyPassword(password: string, c: Credential): Promise<boolean> {
  if (c.encryptionScheme !== SCHEME || !Number.isInteger(c.factor) || c.factor <= 0) return false;
  const actual = Buffer.from(await derive(password, c.salt, c.factor), 'base64');
  const expected = Buffer.from(c.hash, 'base64');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
