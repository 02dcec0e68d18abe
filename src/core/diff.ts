/**
 * The overlay diff (ARCHITECTURE.md "Diff without noise"): only the paths the user wrote are compared, so the
 * hundreds of defaults FusionAuth fills in (reference §11.3) never show as changes. The result is the list of
 * changed fields and the JSON merge patch (RFC 7396) that makes exactly those changes.
 */
import type { ChildCollection } from './kind.js';
import type { FieldChange, Json, JsonObject, SubChange } from './types.js';
import {
  aboveAnyPattern, cloneJson, dropNulls, holdsSecret, isJsonObject, omitPaths, overlayEqual, own, patternMatches, setIn,
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
  /** Top-level fields diffed elsewhere (child collections such as application roles). */
  skip?: readonly string[];
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
  const walk = (d: JsonObject, l: JsonObject | undefined, at: string[]) => {
    for (const [k, dv] of Object.entries(d)) {
      const segs = [...at, k];
      if (at.length === 0 && rules.skip?.includes(k)) continue;
      if (rules.serverFields.some((p) => patternMatches(p, segs))) continue;
      const lv = own(l, k);
      if (dv === null) {
        if (lv !== undefined && lv !== null) change(segs, lv, null);
      } else if (isJsonObject(dv)) {
        // A live value that is not an object is replaced: the merge patch builds the object from the desired leaves.
        walk(dv, isJsonObject(lv) ? lv : undefined, segs);
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

/**
 * Diff a child collection (application roles) by its key field. A desired child missing from the live list is a
 * create; one that differs is an update carrying the merge patch of its changed fields. Live children the file does
 * not mention are left alone (kickstand never deletes them). Children without a string key are ignored here (the
 * loader's validation reports them).
 */
export function diffChildren(
  coll: ChildCollection, desired: Json | undefined, live: Json | undefined, rules: Pick<DiffRules, 'secrets'> & { secretFields?: readonly string[] },
): SubChange[] {
  if (!Array.isArray(desired)) return [];
  const liveList = Array.isArray(live) ? live.filter(isJsonObject) : [];
  const out: SubChange[] = [];
  for (let i = 0; i < desired.length; i++) {
    const d = desired[i];
    if (!isJsonObject(d)) continue;
    // The parent's secret patterns that reach into this child (`roles.2.description`, `roles.*.x`), relative to it.
    const secretFields = (rules.secretFields ?? []).flatMap((p) => {
      for (const head of [`${coll.field}.${i}.`, `${coll.field}.*.`]) if (p.startsWith(head)) return [p.slice(head.length)];
      return [];
    });
    const childRules: DiffRules = { serverFields: coll.serverFields, setFields: [], secretFields, secrets: rules.secrets };
    const key = own(d, coll.keyField);
    if (typeof key !== 'string') continue;
    const l = liveList.find((c) => own(c, coll.keyField) === key);
    if (!l) {
      const after = dropNulls(omitPaths(d, coll.serverFields));
      out.push({ action: 'create', collection: coll.field, key, after, fields: flattenBody(after, childRules) });
      continue;
    }
    const { fields, patch } = diffOverlay(d, l, childRules);
    if (fields.length === 0) continue;
    const sub: SubChange = { action: 'update', collection: coll.field, key, before: cloneJson(l), after: patch, fields };
    if (typeof l.id === 'string') sub.id = l.id.toLowerCase();
    out.push(sub);
  }
  return out;
}
