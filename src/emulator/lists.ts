/**
 * How FusionAuth holds the list-valued fields of its domain objects, as data per kind (`KindSpec.lists`, and the
 * user-side constants below for the User and Registration APIs), and the two operations the emulator derives from it:
 *
 * - which lists a plain `application/json` PATCH REPLACES instead of appending to. FusionAuth merges the request into
 *   the stored object with Jackson; a collection annotated `@JsonMerge(OptBoolean.FALSE)` in the domain classes is
 *   bound afresh (replaced), every other collection is merged (the request's items appended) — reference §1.7
 *   (corrected: it said "appended" without the exception) and fusionauth-issues #424 (fields deliberately not merged);
 * - how a `Set`-typed field comes back: duplicates collapsed, in the iteration order of the Java class the server
 *   builds (`TreeSet` sorted, `LinkedHashSet` first-insertion order, `HashSet` hash-bucket order). Applied to every
 *   object the emulator stores (crud.ts `write`), so that create, PUT and the three PATCH flavours reply alike.
 *
 * Paths are dotted paths inside the object (no envelope); a `*` segment stands for every item of a list or every value
 * of a map (`connectorPolicies.*.domains`, `permissions.endpoints.*`).
 */
import type { Json, JsonObject } from '../core/types.js';
import { isObject } from './values.js';

/** The iteration order of the Java Set a field is bound to. */
export type SetOrder =
  /** `TreeSet` with a String comparator: Java's `String.compareTo`, UTF-16 code unit order. */
  | 'sorted'
  /** `LinkedHashSet`: the order of first insertion. */
  | 'insertion'
  /** `HashSet<String>`: bucket order of `String.hashCode` (see `javaHashSetOrder`). */
  | 'hash';

/** One `Set`-typed field: where it is, the order it serialises in, and whether the server lowercases its items first. */
export interface SetRule {
  path: string;
  order: SetOrder;
  /** The server's `normalize()` lowercases the items (a tenant's connector policy domains). */
  lowercase?: boolean;
}

/** A kind's list rules (`KindSpec.lists`). */
export interface ListRules {
  /** Lists annotated `@JsonMerge(OptBoolean.FALSE)`: a plain `application/json` PATCH replaces them. */
  replaced?: readonly string[];
  /** `Set`-typed fields: deduplicated and ordered on store. */
  sets?: readonly SetRule[];
}

/**
 * The User API's lists (FusionAuth/fusionauth-java-client `domain/User.java`, also the decompiled server class): no
 * `@JsonMerge(OptBoolean.FALSE)` annotation, so a plain PATCH appends to every list (`preferredLanguages`,
 * `memberships`, `registrations`, …), and no `Set`-typed field. For the emulator's user resource (src/emulator/users).
 */
export const USER_LISTS: ListRules = {};

/**
 * The Registration API's lists (`domain/UserRegistration.java`): `roles` is a `SortedSet<String>` (a `TreeSet` with the
 * natural String order), so roles come back sorted and deduplicated; no `@JsonMerge(OptBoolean.FALSE)` annotation, so
 * a plain PATCH appends to `roles` and `preferredLanguages` (then the set collapses duplicates).
 */
export const REGISTRATION_LISTS: ListRules = { sets: [{ path: 'roles', order: 'sorted' }] };

/** Whether a dotted path (object keys only, as the original PATCH walks them) matches a rule path with `*` segments. */
function matches(rule: string, path: string): boolean {
  const a = rule.split('.');
  const b = path.split('.');
  return a.length === b.length && a.every((s, i) => s === '*' || s === b[i]);
}

/**
 * The test the original PATCH (patch.ts `applyOriginalPatch`) asks at each array it meets: whether the array at
 * `path` (inside the request envelope `{singular: ...}`) is replaced rather than appended to.
 */
export function replacedIn(singular: string, rules: ListRules | undefined): (path: string) => boolean {
  const paths = (rules?.replaced ?? []).map((p) => `${singular}.${p}`);
  return (path) => paths.some((p) => matches(p, path));
}

/** Java's `String.hashCode`: `s[0]*31^(n-1) + … + s[n-1]` in 32-bit arithmetic over UTF-16 code units. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The iteration order of a `java.util.HashSet<String>` holding these strings (added in this order): HashMap spreads a
 * key's hash (`h ^ (h >>> 16)`), puts it in bucket `hash & (capacity - 1)`, and iterates buckets in index order, each
 * bucket in insertion order (a resize splits buckets without reordering them). The capacity starts at 16 and doubles
 * while the size exceeds 3/4 of it. Deterministic for strings (String.hashCode is specified by the JLS), so the emulator
 * can answer in the order a real server would. Not modelled: buckets of 8+ colliding keys, which Java turns into
 * trees, and the larger start of a set copied from a collection of exactly 12, 24, … items (`new HashSet<>(c)`).
 */
export function javaHashSetOrder(items: readonly string[]): string[] {
  let capacity = 16;
  while (items.length > capacity * 0.75) capacity *= 2;
  const bucket = (s: string): number => {
    const h = javaStringHash(s);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return items.map((s, i) => ({ s, i, b: bucket(s) })).sort((x, y) => x.b - y.b || x.i - y.i).map((x) => x.s);
}

/** The items of a Set field as the server returns them: lowercased if the rule says so, deduplicated, ordered. */
function asJavaSet(items: Json[], rule: SetRule): Json[] {
  const lowered = rule.lowercase ? items.map((v) => (typeof v === 'string' ? v.toLowerCase() : v)) : items;
  const seen = new Set<string>();
  const unique = lowered.filter((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (rule.order === 'insertion' || !unique.every((v): v is string => typeof v === 'string')) return unique;
  if (rule.order === 'hash') return javaHashSetOrder(unique);
  return [...unique].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Rewrite, in place, every array at `segs` below `cur` (a `*` segment walks every list item or map value). */
function rewriteAt(cur: Json | undefined, segs: readonly string[], f: (items: Json[]) => Json[]): void {
  const [seg, ...rest] = segs;
  if (seg === undefined) return;
  const children: Array<[JsonObject | Json[], string | number]> = [];
  if (seg === '*') {
    if (Array.isArray(cur)) cur.forEach((_, i) => children.push([cur, i]));
    else if (isObject(cur)) for (const k of Object.keys(cur)) children.push([cur, k]);
  } else if (isObject(cur) && Object.hasOwn(cur, seg)) {
    children.push([cur, seg]);
  }
  for (const [parent, key] of children) {
    const v = (parent as Record<string | number, Json>)[key];
    if (rest.length > 0) rewriteAt(v, rest, f);
    else if (Array.isArray(v)) (parent as Record<string | number, Json>)[key] = f(v);
  }
}

/**
 * Put every `Set`-typed field of `obj` (the object about to be stored) in the shape the server returns: deduplicated
 * and in its Java Set's iteration order. Mutates `obj`.
 */
export function normaliseSets(obj: JsonObject, rules: ListRules | undefined): void {
  for (const rule of rules?.sets ?? []) rewriteAt(obj, rule.path.split('.'), (items) => asJavaSet(items, rule));
}
