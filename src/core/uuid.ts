/**
 * UUIDs: name-based version 5 ids (RFC 4122 §4.3, SHA-1) so that repeated and retried runs address the same object,
 * and the case-insensitive comparison FusionAuth's ids need (the server accepts and returns lowercase UUIDs, a file may
 * hold uppercase ones).
 */
import { createHash } from 'node:crypto';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when the value is a UUID string in the canonical 8-4-4-4-12 form, any case. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}

/** The canonical (lowercase) form of a UUID; other strings are returned unchanged. */
export function normaliseUuid(value: string): string {
  return isUuid(value) ? value.toLowerCase() : value;
}

/** True when two ids denote the same UUID (case-insensitive); false when either is missing. */
export function sameId(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

let lastNamespace: { text: string; bytes: Buffer } | undefined;

/** The RFC 4122 version 5 UUID of `name` (UTF-8) in `namespace` (a UUID), lowercase. */
export function uuidV5(name: string, namespace: string): string {
  if (!isUuid(namespace)) throw new Error(`uuidV5: namespace is not a UUID: ${namespace}`);
  // The namespace's bytes are kept for the next call (a run uses one namespace for thousands of ids).
  if (lastNamespace?.text !== namespace) lastNamespace = { text: namespace, bytes: Buffer.from(namespace.replace(/-/g, ''), 'hex') };
  const hash = createHash('sha1').update(lastNamespace.bytes).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50; // version 5
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
