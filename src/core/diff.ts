/**
 * The overlay diff (ARCHITECTURE.md "Diff without noise"): only the paths the user wrote are compared, so the
 * hundreds of defaults FusionAuth fills in (reference §11.3) never show as changes. The result is the list of
 * changed fields and the JSON merge patch (RFC 7396) that makes exactly those changes.
 */
import type { FieldChange, Json, JsonObject } from './types.js';
import {
  aboveAnyPattern, cloneJson, holdsSecret, isJsonObject, overlayEqual, own, patternMatches, setIn,
  underAnyPattern,
} from './normalize.js';

/** What the diff needs to know about the kind (from its KindDef) and the run. */
export interface DiffRules {
  /** Owned by the server: never compared. */
  serverFields: readonly string[];
  /** Arrays compared as sets. */
  setFields: readonly string[];
  /** Secret fields (`*` wildcard segments): compared, but the change is marked sensitive. */
  secretFields: readonly string[];
  /** Secret values of the run (DesiredState.secrets): any change holding one is marked sensitive. */
  secrets: readonly string[];
  /**
   * Objects the file states in full (`KindDef.exactFields`): a key the live object has there and the file leaves out is
   * a change to `null` (the merge patch removes it), not a server default to ignore.
   */
  exactFields?: readonly string[];
  /** Lists of objects identified by a key field, which a file may write part of (`KindDef.keyedLists`). */
  keyedLists?: readonly KeyedList[];
}

/**
 * A list of objects identified by one of their fields (a family's `members` by `userId`) that a file may write in part:
 * each element the file writes must be among the live ones, matched by its key and compared as an overlay; live
 * elements the file leaves out are kept, unless `complete` (the entry lists every element), when they are removed.
 * The patch carries the list the object must end with (the live elements, those the file writes laid over them and
 * appended): the kind's API turns the difference into its requests.
 */
export interface KeyedList {
  path: string;
  key: string;
  complete?: boolean;
}

/** The changed fields and the merge patch that applies them. */
export interface DiffResult {
  fields: FieldChange[];
  /** JSON merge patch of exactly the changed paths: nested objects, arrays whole, `null` to unset. */
  patch: JsonObject;
}

/** True when a change at this path (with these values) must be masked in every rendering. */
export function isSensitive(segments: readonly string[], values: Array<Json | undefined>, rules: Pick<DiffRules, 'secretFields' | 'secrets'>): boolean {
  return underAnyPattern(rules.secretFields, segments) || aboveAnyPattern(rules.secretFields, segments)
    || values.some((v) => holdsSecret(v, rules.secrets));
}

/**
 * Compare the desired body (an overlay) with the live object. Walks the desired body: objects recurse; arrays compare
 * whole (set fields order-insensitively; elements that are objects compare as overlays so that server-filled fields
 * inside them do not count); scalars strict-equal with UUIDs case-insensitive; an explicit `null` is a change only when
 * the live object has a value. Neither input is mutated.
 */
export function diffOverlay(desired: JsonObject, live: JsonObject, rules: DiffRules): DiffResult {
  const fields: FieldChange[] = [];
  const patch: JsonObject = {};
  const change = (segs: string[], before: Json | undefined, after: Json) => {
    const fc: FieldChange = { path: segs.join('.'), after: cloneJson(after), sensitive: isSensitive(segs, [before, after], rules) };
    if (before !== undefined) fc.before = cloneJson(before);
    fields.push(fc);
    setIn(patch, segs, cloneJson(after));
  };
  const keyedAt = (segs: string[]): KeyedList | undefined => rules.keyedLists?.find((k) => patternMatches(k.path, segs));
  const walk = (d: JsonObject, l: JsonObject | undefined, at: string[]) => {
    if (l && at.length > 0 && rules.exactFields?.some((p) => patternMatches(p, at))) {
      for (const [k, lv] of Object.entries(l)) if (own(d, k) === undefined && lv !== null) change([...at, k], lv, null);
    }
    for (const [k, dv] of Object.entries(d)) {
      const segs = [...at, k];
      if (rules.serverFields.some((p) => patternMatches(p, segs))) continue;
      const lv = own(l, k);
      if (dv === null) {
        if (lv !== undefined && lv !== null) change(segs, lv, null);
      } else if (isJsonObject(dv)) {
        // A live value that is not an object is replaced: the merge patch builds the object from the desired leaves.
        walk(dv, isJsonObject(lv) ? lv : undefined, segs);
      } else if (Array.isArray(dv) && keyedAt(segs)) {
        const merged = mergeKeyed(keyedAt(segs)!, dv, lv);
        // Shown and sent without the elements' server fields (a member's insertInstant): they are no part of the change.
        const bare = (list: Json | undefined): Json | undefined => (Array.isArray(list) ? list.map((e) => withoutServerFields(e, segs, rules.serverFields)) : list);
        if (merged !== undefined) change(segs, bare(lv), bare(merged)!);
      } else if (Array.isArray(dv)) {
        const asSet = rules.setFields.some((p) => patternMatches(p, segs));
        if (!overlayEqual(dv, lv, asSet)) change(segs, lv, dv);
      } else if (!overlayEqual(dv, lv)) {
        change(segs, lv, dv);
      }
    }
  };
  walk(desired, live, []);
  return { fields, patch };
}

/** A list element without the fields the kind's server owns (`members.insertInstant` for an element of `members`). */
function withoutServerFields(element: Json, listSegs: readonly string[], serverFields: readonly string[]): Json {
  if (!isJsonObject(element)) return element;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(element)) if (!serverFields.some((p) => patternMatches(p, [...listSegs, k]))) out[k] = v;
  return out;
}

/**
 * The list a keyed list must end with, or undefined when the live list already satisfies the file (see `KeyedList`).
 * Linear in the two lists' sizes.
 */
function mergeKeyed(rule: KeyedList, desired: Json[], live: Json | undefined): Json[] | undefined {
  const keyOf = (v: Json | undefined): string | undefined => {
    const k = isJsonObject(v) ? own(v, rule.key) : undefined;
    return typeof k === 'string' ? k.toLowerCase() : k === undefined || k === null ? undefined : JSON.stringify(k);
  };
  const liveItems = Array.isArray(live) ? live : [];
  const wanted = new Map<string, Json>();
  for (const d of desired) {
    const k = keyOf(d);
    if (k !== undefined) wanted.set(k, d);
  }
  const complete = rule.complete === true;
  let changed = false;
  const out: Json[] = [];
  const seen = new Set<string>();
  for (const l of liveItems) {
    const k = keyOf(l);
    const d = k === undefined ? undefined : wanted.get(k);
    if (k !== undefined) seen.add(k);
    if (d === undefined) {
      if (complete) changed = true;
      else out.push(cloneJson(l));
      continue;
    }
    if (!overlayEqual(d, l)) changed = true;
    out.push(isJsonObject(l) && isJsonObject(d) ? { ...cloneJson(l), ...cloneJson(d) } : cloneJson(d));
  }
  for (const d of desired) {
    const k = keyOf(d);
    if (k !== undefined && seen.has(k)) continue;
    changed = true;
    out.push(cloneJson(d));
  }
  return changed ? out : undefined;
}

/**
 * Every written leaf of a create body as a field change (objects flattened, arrays whole), so that renderers know
 * which values are sensitive.
 */
export function flattenBody(body: JsonObject, rules: Pick<DiffRules, 'secretFields' | 'secrets'>): FieldChange[] {
  const out: FieldChange[] = [];
  const walk = (o: JsonObject, at: string[]) => {
    for (const [k, v] of Object.entries(o)) {
      const segs = [...at, k];
      if (isJsonObject(v) && Object.keys(v).length > 0) walk(v, segs);
      else out.push({ path: segs.join('.'), after: cloneJson(v), sensitive: isSensitive(segs, [v], rules) });
    }
  };
  walk(body, []);
  return out;
}
