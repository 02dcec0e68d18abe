/**
 * Normalization helpers shared by the diff and the planner. Everything here is pure and works on copies: FusionAuth's
 * responses and the user's desired bodies are never mutated.
 */
import type { Json, JsonObject } from './types.js';
import { MIN_SEARCHED_SECRET_LENGTH } from './mask.js';
import { isUuid } from './uuid.js';

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An own property of a JSON object (undefined when absent). Keys come from user files and server responses, so
 * `constructor` or `__proto__` must never read through to Object.prototype.
 */
export function own(obj: JsonObject | undefined, key: string): Json | undefined {
  return obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** Set an own property, also for the key `__proto__` (which plain assignment would turn into a prototype change). */
export function put(obj: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * A deep copy of a JSON value. Written out rather than `structuredClone`, which is 2–3× slower on JSON data: a plan
 * copies every live object it compares (5,000 applications full of defaults: ~250 ms → ~90 ms). Own `__proto__` keys
 * are copied as own keys, as `structuredClone` does.
 */
export function cloneJson<T extends Json>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => cloneJson(x)) as T;
  const out: JsonObject = {};
  for (const k of Object.keys(v)) put(out, k, cloneJson((v as JsonObject)[k]!));
  return out as T;
}

/**
 * True when the dotted `pattern` (segments separated by `.`, `*` matching any one segment) matches exactly these
 * path segments.
 */
export function patternMatches(pattern: string, segments: readonly string[]): boolean {
  // Walks the pattern in place instead of splitting it: called for every field of every object a plan compares
  // (5,000 applications: millions of calls, and the split arrays were a good part of the garbage collector's work).
  let start = 0;
  for (const seg of segments) {
    if (start > pattern.length) return false;
    let stop = pattern.indexOf('.', start);
    if (stop === -1) stop = pattern.length;
    const star = stop - start === 1 && pattern.charCodeAt(start) === 42; // '*'
    if (!star && !(stop - start === seg.length && pattern.startsWith(seg, start))) return false;
    start = stop + 1;
  }
  return start > pattern.length;
}

/** True when some pattern matches these segments or one of their ancestors (the path is the field or below it). */
export function underAnyPattern(patterns: readonly string[], segments: readonly string[]): boolean {
  return patterns.some((pat) => {
    const n = pat.split('.').length;
    return n <= segments.length && patternMatches(pat, segments.slice(0, n));
  });
}

/** True when the path is an ancestor of some pattern's path (its value contains that field). */
export function aboveAnyPattern(patterns: readonly string[], segments: readonly string[]): boolean {
  return patterns.some((pat) => {
    const p = pat.split('.');
    return p.length > segments.length && segments.every((s, i) => p[i] === '*' || p[i] === s);
  });
}

/** A copy of `obj` without the fields at these dotted paths (`*` segments allowed). */
export function omitPaths(obj: JsonObject, patterns: readonly string[]): JsonObject {
  const walk = (o: JsonObject, at: string[]): JsonObject => {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(o)) {
      const segs = [...at, k];
      if (patterns.some((p) => patternMatches(p, segs))) continue;
      put(out, k, isJsonObject(v) ? walk(v, segs) : cloneJson(v));
    }
    return out;
  };
  return walk(obj, []);
}

/**
 * A copy without null-valued fields (recursively in objects). Used for create bodies: an explicit `null` in the file
 * means "unset", and on create there is nothing to unset (FusionAuth omits null fields anyway, reference §1.4).
 */
export function dropNulls(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === null) continue;
    put(out, k, isJsonObject(v) ? dropNulls(v) : cloneJson(v));
  }
  return out;
}

/** Scalar equality with UUIDs compared case-insensitively (FusionAuth returns lowercase ids; files may not). */
export function scalarEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (typeof a === 'string' && typeof b === 'string' && isUuid(a) && isUuid(b)) return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/**
 * Overlay equality: true when everything `desired` says holds in `live`. Objects compare only the keys `desired` has
 * (so server-filled defaults inside array elements are ignored); a `null` in `desired` holds when `live` has no value;
 * arrays compare element by element (`asSet`: order-insensitive, each desired element paired with a distinct live one,
 * and an element written twice counts once — FusionAuth holds such a field as a Java Set and drops the repeat, so the
 * repeat is no difference: src/emulator/lists.ts).
 */
export function overlayEqual(desired: Json | undefined, live: Json | undefined, asSet = false): boolean {
  if (desired === undefined) return true;
  if (desired === null) return live === null || live === undefined;
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) return false;
    if (!asSet) return live.length === desired.length && desired.every((d, i) => overlayEqual(d, live[i]));
    const seen = new Set<string>();
    const items = desired.filter((d) => {
      const k = JSON.stringify(d);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    if (live.length !== items.length) return false;
    const used = new Set<number>();
    return items.every((d) => {
      const j = live.findIndex((l, i) => !used.has(i) && overlayEqual(d, l));
      if (j < 0) return false;
      used.add(j);
      return true;
    });
  }
  if (isJsonObject(desired)) {
    if (!isJsonObject(live)) return false;
    return Object.entries(desired).every(([k, v]) => overlayEqual(v, own(live, k)));
  }
  return scalarEqual(desired, live);
}

/** RFC 7396 JSON merge patch applied to a copy of `target` (what FusionAuth does with application/merge-patch+json). */
export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out: JsonObject = isJsonObject(target) ? cloneJson(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else put(out, k, applyMergePatch(own(out, k), v));
  }
  return out;
}

/**
 * Set a value at a path of segments, creating intermediate objects (used to build merge patches). A segment that
 * meets a list is an index into it: an existing item is set (a reference resolved inside `tenantIds`); an index
 * outside the list changes nothing.
 */
export function setIn(obj: JsonObject, segments: readonly string[], value: Json): void {
  let cur: JsonObject | Json[] = obj;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (Array.isArray(cur)) {
      const index = /^\d+$/.test(seg) ? Number(seg) : -1;
      if (index < 0 || index >= cur.length) return;
      if (last) {
        cur[index] = value;
        return;
      }
      const item: Json = cur[index]!;
      if (!isJsonObject(item) && !Array.isArray(item)) cur[index] = {};
      cur = cur[index] as JsonObject | Json[];
      continue;
    }
    if (last) {
      put(cur, seg, value);
      return;
    }
    const next = own(cur, seg);
    if (!isJsonObject(next) && !Array.isArray(next)) put(cur, seg, {});
    cur = own(cur, seg) as JsonObject | Json[];
  }
}

/**
 * True when a value contains (in a string, or anywhere in a structure) one of the secret values long enough to be
 * searched for (`MIN_SEARCHED_SECRET_LENGTH`). Shorter secrets are found by path instead (secret fields, and the paths
 * where a sensitive variable or an environment value was substituted): by value they would mark every field that
 * happens to hold the same word.
 */
export function holdsSecret(value: Json | undefined, secrets: readonly string[]): boolean {
  if (value === undefined || value === null || secrets.length === 0) return false;
  if (typeof value === 'string') return secrets.some((s) => s.length >= MIN_SEARCHED_SECRET_LENGTH && value.includes(s));
  if (typeof value !== 'object') return false;
  return (Array.isArray(value) ? value : Object.values(value)).some((v) => holdsSecret(v, secrets));
}
