/**
 * References between objects, derived from the wire table alone (src/fusionauth/wire.ts: every field of a kind that
 * holds another object's id, with the kind it points to). From it come, for every kind alike:
 * - `[invalid]<field>` when a written object names an object that does not exist (reference §8: "every referenced id
 *   is checked for existence at write time", [DEC-TENANT], [DEC-APP]). Objects of kinds the emulator serves are
 *   looked up in the store; kinds it does not serve (themes, forms, keys, …) resolve through their fixed ids and the
 *   ids it knows exist (`Store.knownIds`: those the boot objects reference);
 * - the objects that stop a delete because they use the object ("in use");
 * - the tenant cascade: deleting an object removes the objects whose tenant field names it (reference §4.1: a
 *   tenant's applications go with it).
 * No kind's file holds a reverse lookup: a new reference field is a line in wire.ts.
 */
import type { Json, JsonObject } from '../core/types.js';
import { WIRE, type WireKind } from '../fusionauth/wire.js';
import type { Errors } from './errors.js';
import { col, type EmulatorState } from './state.js';
import { at, isObject, isUuid, sameId, words } from './values.js';

/** One reference field of a wire row (`{ path: 'phoneConfiguration.messengerId', kind: 'messenger' }`). */
export type Ref = (typeof WIRE)[WireKind]['refs'][number];

/**
 * The reference fields a kind's writes leave unchecked, each with its reason at the spec (FusionAuth checks it
 * elsewhere, or the emulator cannot: it fills the field itself, or has no objects of the kind it names). Every other
 * reference is checked, so a kind newly served is checked everywhere it is referred to, without a line in the
 * referring kinds' specs.
 */
export interface RefSelection {
  unchecked?: readonly string[];
}

/** A value found at a reference path: its concrete path (`connectorPolicies[1].connectorId`) and whether it sits in a list item. */
interface Found {
  path: string;
  value: Json | undefined;
  inItem: boolean;
}

/**
 * The values at a wire path, whose `*` segments stand for every item of a list (or value of a map). A list item that
 * lacks the field is reported with an undefined value: an item that exists must name its object.
 */
export function valuesAt(obj: Json | undefined, path: string): Found[] {
  const out: Found[] = [];
  const walk = (cur: Json | undefined, segs: string[], at: string, inItem: boolean): void => {
    if (segs.length === 0) {
      out.push({ path: at, value: cur, inItem });
      return;
    }
    const [seg, ...rest] = segs as [string, ...string[]];
    if (seg === '*') {
      const items: Array<[string, Json]> = Array.isArray(cur) ? cur.map((v, i) => [`${at}[${i}]`, v]) : isObject(cur) ? Object.entries(cur).map(([k, v]) => [`${at}.${k}`, v]) : [];
      // An item that is not an object cannot hold the field: it is the object's shape, not a reference, that is wrong.
      for (const [p, v] of items) if (rest.length === 0 || isObject(v)) walk(v, rest, p, true);
      return;
    }
    walk(isObject(cur) ? cur[seg] : undefined, rest, at === '' ? seg : `${at}.${seg}`, inItem);
  };
  walk(obj, path.split('.'), '', false);
  return out;
}

/** Whether an object of `kind` with this id exists: in the store for a served kind, else a fixed or known id. */
export function exists(state: EmulatorState, kind: WireKind, id: Json | undefined): boolean {
  if (!isUuid(id)) return false;
  if (state.kinds.includes(kind)) return state.store.get(col(kind), id) !== undefined;
  const fixed = Object.values(WIRE[kind].fixedIds ?? {});
  return fixed.some((f) => sameId(f, id)) || state.store.isKnownId(col(kind), id);
}

/** Whether a write checks a reference: every one the spec does not leave unchecked. */
function selected(ref: Ref, which: RefSelection | undefined): boolean {
  return !(which?.unchecked ?? []).includes(ref.path);
}

/**
 * Add `[invalid]<singular>.<path>` for each checked reference of `obj` that names no existing object. A field inside
 * list items gets FusionAuth's "WithCode" form: field `tenant.connectorPolicies[0].connectorId`, code
 * `[invalid]tenant.connectorPolicies.connectorId` ([DEC-TENANT] `notMissingWithCode`).
 */
export function checkRefs(state: EmulatorState, kind: WireKind, obj: JsonObject, e: Errors, which?: RefSelection): void {
  const { singular } = WIRE[kind];
  for (const ref of WIRE[kind].refs) {
    if (!selected(ref, which)) continue;
    for (const f of valuesAt(obj, ref.path)) {
      if ((f.value === undefined || f.value === null) && !f.inItem) continue;
      if (exists(state, ref.kind as WireKind, f.value)) continue;
      const message = `The ${words(ref.kind)} [${String(f.value)}] does not exist.`;
      if (ref.path.includes('*')) e.fieldWithCode(`${singular}.${f.path}`, `[invalid]${singular}.${ref.path.replace(/\.\*/g, '')}`, message);
      else e.field(`${singular}.${f.path}`, '[invalid]', message);
    }
  }
}

/** One place an object is referenced from: the holder, its kind, and the concrete field path. */
export interface Usage {
  kind: WireKind;
  holder: JsonObject;
  path: string;
}

/**
 * The references of served kinds that point at `kind`, by what a delete of the target does to them: `cascade` (a
 * tenant field: the holder goes too), `detach` (an association row: the id leaves the holder's list) or `block` (any
 * other: the delete is refused while the reference exists).
 */
function refsTo(state: EmulatorState, kind: WireKind, effect: 'cascade' | 'detach' | 'block'): Array<{ from: WireKind; ref: Ref }> {
  const effectOf = (from: WireKind, r: Ref): string => (r.path === WIRE[from].tenantField ? 'cascade' : r.detach ? 'detach' : 'block');
  return state.kinds.flatMap((from) => WIRE[from].refs.filter((r) => r.kind === kind && effectOf(from, r) === effect).map((ref) => ({ from, ref })));
}

/** Every stored object that references the object `id` of `kind`, apart from tenant fields and associations (which cascade or detach instead). */
export function usages(state: EmulatorState, kind: WireKind, id: string): Usage[] {
  const refs = refsTo(state, kind, 'block');
  const out: Usage[] = [];
  for (const from of new Set(refs.map((r) => r.from))) {
    for (const holder of state.store.list(col(from))) {
      for (const { ref } of refs.filter((r) => r.from === from)) {
        for (const f of valuesAt(holder, ref.path)) if (sameId(f.value, id)) out.push({ kind: from, holder, path: f.path });
      }
    }
  }
  return out;
}

/**
 * The default "in use" refusal: one `[inUse]<idField>` per usage, naming the holder and its field (the form of the
 * decompiled `DefaultMessageTemplateService.validateDelete`).
 */
export function inUseErrors(kind: WireKind, users: Usage[], e: Errors): void {
  for (const u of users) {
    const holder = WIRE[u.kind].singular;
    e.field(WIRE[kind].idField, '[inUse]', `The ${words(kind)} is in use: ${holder} [${String(u.holder.name)}] with Id [${String(u.holder.id)}] assigned to [${holder}.${u.path}].`);
  }
}

/**
 * Remove an object now, with the objects whose tenant field names it (and theirs, in turn), its id from the lists that
 * hold it as an association (a webhook's `tenantIds`), the objects other modules declare go with it (state.ts
 * `Cascade`: a tenant's users, an application's registrations), and any pending delete of it.
 */
export function removeNow(state: EmulatorState, kind: WireKind, id: string): void {
  const obj = state.store.get(col(kind), id);
  for (const { from, ref } of refsTo(state, kind, 'cascade')) {
    for (const o of state.store.list(col(from))) if (sameId(o[ref.path], id)) removeNow(state, from, String(o.id));
  }
  for (const { from, ref } of refsTo(state, kind, 'detach')) {
    // Association paths end in `.*`: the list itself is what loses the id.
    const listPath = ref.path.replace(/\.\*$/, '');
    for (const o of state.store.list(col(from))) {
      const list = at(o, listPath);
      if (Array.isArray(list) && list.some((v) => sameId(v, id))) {
        state.store.put(col(from), setAt(o, listPath, list.filter((v) => !sameId(v, id))));
      }
    }
  }
  if (obj) state.cascade(col(kind), obj);
  state.store.delete(col(kind), id);
  state.pendingDeletes.delete(id.toLowerCase());
}

/**
 * Record the ids an accepted object references among kinds the emulator does not serve, so that later references to
 * them resolve: the boot objects' themes, forms and keys come from FusionAuth's own bootstrap, and an application's
 * signing keys are generated by the server (reference §5.3).
 */
export function rememberRefs(state: EmulatorState, kind: WireKind, obj: JsonObject): void {
  for (const ref of WIRE[kind].refs) {
    if (state.kinds.includes(ref.kind as WireKind)) continue;
    for (const f of valuesAt(obj, ref.path)) if (isUuid(f.value)) state.store.addKnownId(col(ref.kind as WireKind), f.value);
  }
}

/** A copy of `obj` with the value at a dotted path replaced (the objects on the way copied, never the stored ones changed in place). */
function setAt(obj: JsonObject, path: string, value: Json): JsonObject {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const inner = obj[head];
  return { ...obj, [head]: rest.length === 0 ? value : setAt(isObject(inner) ? inner : {}, rest.join('.'), value) };
}
