/**
 * Small pure JSON helpers for the emulator's defaults: deep clone, deep merge of a request body over a default
 * object, and removal of null fields (FusionAuth omits nulls from responses — reference §1.4, [LATTE] item 24).
 */
import { own, put } from '../../core/normalize.js';
import type { Json, JsonObject } from '../../core/types.js';

/** True for a plain JSON object (not an array, not null). */
export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A deep copy of a JSON value. */
export function clone<T extends Json>(v: T): T {
  return structuredClone(v);
}

/**
 * Removes every null-valued field (recursively, also inside array elements) and returns a new value.
 * Null array elements are dropped too: FusionAuth's collections never hold nulls.
 */
export function stripNulls<T extends Json>(v: T): T {
  if (Array.isArray(v)) {
    return v.filter((e) => e !== null).map((e) => stripNulls(e)) as T;
  }
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, e] of Object.entries(v)) {
      if (e === null) continue;
      put(out, k, stripNulls(e));
    }
    return out as T;
  }
  return v;
}

/**
 * The body merged over the defaults, as FusionAuth's Jackson binding does onto an object built with its field
 * initialisers: objects merge recursively, arrays and scalars from the body replace the default wholesale,
 * and a null in the body counts as "not sent" (the default stays). Neither input is modified. Only own properties are
 * read and written, so a body key such as `__proto__` stays data (see patch.ts).
 */
export function mergeOver(defaults: JsonObject, body: JsonObject): JsonObject {
  const out: JsonObject = clone(defaults);
  for (const [k, v] of Object.entries(body)) {
    if (v === null) continue;
    const d = own(out, k);
    put(out, k, isObject(v) && isObject(d) ? mergeOver(d, v) : stripNulls(clone(v)));
  }
  return out;
}

/** The object at `path` inside `root`, created (as `{}`) where missing or not an object. */
export function ensureObject(root: JsonObject, ...path: string[]): JsonObject {
  let cur = root;
  for (const key of path) {
    const next = cur[key];
    if (isObject(next)) {
      cur = next;
    } else {
      const created: JsonObject = {};
      cur[key] = created;
      cur = created;
    }
  }
  return cur;
}

/** The value at a dotted path, or undefined. */
export function getAt(root: Json | undefined, path: string): Json | undefined {
  let cur: Json | undefined = root;
  for (const key of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** True when the value is absent, null, or an empty string (FusionAuth treats these alike for ids and names). */
export function isBlank(v: Json | undefined): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}
