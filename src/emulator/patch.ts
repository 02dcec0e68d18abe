/**
 * FusionAuth's three PATCH flavours, chosen by the request's Content-Type (reference §1.7,
 * [SITE:docs/apis/index.mdx] "The PATCH HTTP Method"):
 * - `application/json` ("original", 1.12): merged into the stored object, `null` removes a value, arrays are
 *   APPENDED to, except the lists a kind's rules name as replaced (`@JsonMerge(OptBoolean.FALSE)` in FusionAuth's
 *   domain classes, lists.ts); Set-typed fields then collapse duplicates when the result is stored (lists.ts);
 * - `application/merge-patch+json` (1.39): RFC 7396, arrays replaced wholesale, `null` deletes;
 * - `application/json-patch+json` (1.39): RFC 6902 operations, paths relative to the request document
 *   (`/tenant/name`, as in the docs' `/roleIds/1` example for groups).
 * All three operate on the request envelope (`{"tenant": {...stored}}`); the result is validated as a whole by the
 * caller, exactly like a PUT.
 *
 * Keys come from request bodies, so every read and write here is of own properties (`own`, `put`): a `__proto__` or
 * `constructor` key is data, never a way into `Object.prototype`. The server refuses such keys before a handler runs
 * (server.ts); this is the second layer, for callers that bypass the server.
 */
import { own, put } from '../core/normalize.js';
import type { Json, JsonObject } from '../core/types.js';

/** Which PATCH semantics a Content-Type selects. */
export type PatchFlavour = 'original' | 'merge' | 'jsonPatch';

/** The flavour for a request media type, or undefined when it is not a PATCH media type FusionAuth accepts. */
export function patchFlavour(contentType: string | undefined): PatchFlavour | undefined {
  switch (contentType) {
    case undefined:
    case 'application/json':
      return 'original';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/json-patch+json':
      return 'jsonPatch';
    default:
      return undefined;
  }
}

/** A patch document that cannot be applied (bad operation, missing target, failed `test`). */
export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchError';
  }
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function clone<T extends Json>(v: T): T {
  return structuredClone(v);
}

/**
 * The original FusionAuth PATCH: deep merge where `null` removes, arrays append, anything else replaces. `replaced`
 * says, for the dotted path (inside the document) of an array the patch writes, whether the server binds that list
 * afresh instead of appending to it (lists.ts `replacedIn`); by default every array is appended to.
 */
export function applyOriginalPatch(target: Json, patch: Json, replaced: (path: string) => boolean = () => false): Json {
  return mergeOriginal(clone(target), patch, '', replaced);
}

function mergeOriginal(target: Json, patch: Json, path: string, replaced: (path: string) => boolean): Json {
  if (isObject(target) && isObject(patch)) {
    for (const [k, v] of Object.entries(patch)) {
      const p = path === '' ? k : `${path}.${k}`;
      if (v === null) {
        delete target[k];
      } else if (Object.hasOwn(target, k)) {
        put(target, k, mergeOriginal(target[k] as Json, v, p, replaced));
      } else {
        put(target, k, clone(v));
      }
    }
    return target;
  }
  if (Array.isArray(target) && Array.isArray(patch) && !replaced(path)) return [...target, ...clone(patch)];
  return clone(patch);
}

/** RFC 7396 JSON Merge Patch. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else put(out, k, applyMergePatch(own(out, k) as Json, v));
  }
  return out;
}

/**
 * Object keys a request may not use: in JavaScript they name the prototype chain, not data. FusionAuth's domain
 * objects have no such fields; refusing them is the emulator's choice (see `FORBIDDEN_KEY_CODE` in server.ts).
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Decode an RFC 6901 JSON Pointer into reference tokens (`~1` → `/`, `~0` → `~`). Refuses the tokens in
 * `FORBIDDEN_KEYS`, so that no operation can address a prototype.
 */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer "${pointer}": it must start with "/"`);
  const tokens = pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const bad = tokens.find((t) => FORBIDDEN_KEYS.has(t));
  if (bad !== undefined) throw new PatchError(`invalid JSON pointer "${pointer}": the key "${bad}" is not allowed`);
  return tokens;
}

function arrayIndex(token: string, length: number, allowEnd: boolean): number {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`"${token}" is not an array index`);
  const i = Number(token);
  if (i > length || (!allowEnd && i === length)) throw new PatchError(`array index ${i} is out of bounds`);
  return i;
}

function get(doc: Json, tokens: string[]): Json {
  let cur: Json = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur.length, false)] as Json;
    else if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t] as Json;
    else throw new PatchError(`path "/${tokens.join('/')}" does not exist`);
  }
  return cur;
}

function parentOf(doc: Json, tokens: string[]): { parent: Json; last: string } {
  if (tokens.length === 0) throw new PatchError('the operation needs a path below the document root');
  return { parent: get(doc, tokens.slice(0, -1)), last: tokens[tokens.length - 1] as string };
}

function add(doc: Json, tokens: string[], value: Json): Json {
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true), 0, value);
  else if (isObject(parent)) put(parent, last, value);
  else throw new PatchError(`cannot add below a scalar at "/${tokens.slice(0, -1).join('/')}"`);
  return doc;
}

function remove(doc: Json, tokens: string[]): Json {
  const { parent, last } = parentOf(doc, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, false), 1);
  else if (isObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
  else throw new PatchError(`path "/${tokens.join('/')}" does not exist`);
  return doc;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i] as Json));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k] as Json, b[k] as Json));
  }
  return false;
}

/** RFC 6902 JSON Patch (add, remove, replace, move, copy, test). Atomic: a failing operation leaves the input untouched. */
export function applyJsonPatch(document: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw new PatchError('a JSON Patch document must be an array of operations');
  let doc = clone(document);
  operations.forEach((op, i) => {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw new PatchError(`operation ${i} needs string "op" and "path" members`);
    }
    const tokens = parsePointer(op.path);
    const needValue = (): Json => {
      if (!Object.hasOwn(op, 'value')) throw new PatchError(`operation ${i} (${op.op}) needs a "value"`);
      return clone(op.value as Json);
    };
    const from = (): string[] => {
      if (typeof op.from !== 'string') throw new PatchError(`operation ${i} (${op.op}) needs a string "from"`);
      return parsePointer(op.from);
    };
    switch (op.op) {
      case 'add':
        doc = add(doc, tokens, needValue());
        break;
      case 'remove':
        doc = remove(doc, tokens);
        break;
      case 'replace': {
        const value = needValue();
        get(doc, tokens); // the target must exist
        doc = tokens.length === 0 ? value : add(remove(doc, tokens), tokens, value);
        break;
      }
      case 'move': {
        const f = from();
        if (tokens.length > f.length && f.every((t, j) => tokens[j] === t)) throw new PatchError(`operation ${i}: cannot move a value into itself`);
        const value = get(doc, f);
        doc = add(remove(doc, f), tokens, value);
        break;
      }
      case 'copy':
        doc = add(doc, tokens, clone(get(doc, from())));
        break;
      case 'test':
        if (!deepEqual(get(doc, tokens), needValue())) throw new PatchError(`operation ${i}: test failed at "${op.path}"`);
        break;
      default:
        throw new PatchError(`operation ${i}: unknown op "${op.op}"`);
    }
  });
  return doc;
}
