/**
 * Small helpers over JSON values that every part of the emulator shares: type guards, dotted-path reads, FusionAuth's
 * notions of a blank value and of an absolute http(s) URL.
 */
import type { Json, JsonObject } from '../core/types.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a UUID in canonical form. */
export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID_RE.test(v);
}

/**
 * An id from a URL segment, as FusionAuth's UUID converter reads it: a UUID (lowercased), or a decimal number, which
 * becomes the UUID whose low 64 bits are that number — live 1.46 (leo-technologies-llc/fusion_auth
 * test/fusion_auth/registrations_test.exs): `POST /api/user/registration/123456` answers "The user with Id
 * [00000000-0000-0000-0000-00000001e240] does not exist.", so an unknown numeric id is a 404 like any unknown id (the
 * same suite's role id `67890` and `GET /api/group/12345`). Anything else converts to nothing: the caller answers
 * `[couldNotConvert]` (crud.ts `pathId`).
 */
export function pathUuid(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (isUuid(v)) return v.toLowerCase();
  if (!/^\d{1,19}$/.test(v)) return undefined;
  const n = BigInt(v);
  if (n > 0x7fffffffffffffffn) return undefined;
  const hex = n.toString(16).padStart(16, '0');
  return `00000000-0000-0000-${hex.slice(0, 4)}-${hex.slice(4)}`;
}

/** A JSON object check usable as a type guard. */
export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Java's `String.compareTo` order (UTF-16 code units), for the orders FusionAuth sorts by in Java. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A deep copy for handing stored objects out. */
export function copy<T extends Json>(v: T): T {
  return structuredClone(v);
}

/** Read a dotted path. */
export function at(obj: unknown, path: string): Json | undefined {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur as Json | undefined;
}

/** True for undefined, null, and strings that are empty after trimming (FusionAuth's `notBlank`). */
export function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** A shallow copy of an object without some top-level keys (server-owned fields a client echoed back from a GET). */
export function without(obj: JsonObject, keys: readonly string[]): JsonObject {
  const out = { ...obj };
  for (const k of keys) delete out[k];
  return out;
}

/** Name equality for uniqueness checks. */
export function sameName(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a === b;
}

/** Id equality: UUIDs compare by value on the server, so letter case does not matter. */
export function sameId(a: unknown, b: string | undefined): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** An absolute http(s) URL with a host (FusionAuth's `validAbsoluteHttpURL`). */
export function isAbsoluteHttpUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '' && /^https?:\/\//i.test(v);
  } catch {
    return false;
  }
}

/**
 * Whether a value looks like an email address, for FusionAuth's `Validator.email(...)` (`[notEmail]<field>`): one `@`
 * with a non-empty local part and domain and no whitespace. Deliberately lenient — the server's exact pattern is not
 * in the decompiled text, and an emulator that rejects what the server accepts would block valid configurations.
 */
export function isEmailAddress(v: unknown): boolean {
  return typeof v === 'string' && /^[^\s@]+@[^\s@]+$/.test(v);
}

/** A camelCase kind name in words for messages: `messageTemplate` → `message template`. */
export function words(name: string): string {
  return name.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}
