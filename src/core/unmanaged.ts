/**
 * The live objects the files do not manage (`plan --show-unmanaged`): of each kind the files declare, the objects no
 * entry matched, and of each child kind (roles), the children of managed parents that no entry names. apply leaves
 * them as they are; listing them lets a reviewer tell an object kept on purpose from one the files forgot. Pure: the
 * live state already holds the objects.
 */
import type { KindDef } from './kind.js';
import type { JsonObject, KindName, LiveState, Plan, UnmanagedObject } from './types.js';

/** What the planner knows after matching: the live objects its entries matched, by kind. */
export interface Managed {
  /** The kinds the files declare entries of. */
  declared: ReadonlySet<KindName>;
  /** Lowercase ids of the live objects entries matched, by kind. */
  ids: ReadonlyMap<KindName, ReadonlySet<string>>;
  /** The entry key of each matched live object, by kind then lowercase id (to name a child's parent). */
  keys: ReadonlyMap<KindName, ReadonlyMap<string, string>>;
  /**
   * Lowercase ids of the matched live objects the plan deletes or replaces, by kind: their children go with them (a
   * replace creates only the children the files write), so none of them is kept.
   */
  removed: ReadonlyMap<KindName, ReadonlySet<string>>;
}

const idOf = (o: JsonObject): string | undefined => (typeof o.id === 'string' ? o.id.toLowerCase() : undefined);

/** An object every instance has: the kind's protected objects (the Default tenant) and its fixed ids (reference §1.3). */
function isBuiltIn(kind: KindDef, o: JsonObject, live: LiveState): boolean {
  const id = idOf(o);
  if (id !== undefined && Object.values(kind.wire.fixedIds ?? {}).some((f) => f.toLowerCase() === id)) return true;
  return kind.isProtected(o, { defaults: live.defaults });
}

/** One unmanaged object as the plan lists it. */
function entryOf(kind: KindDef, o: JsonObject, id: string, live: LiveState, parent?: UnmanagedObject['parent']): UnmanagedObject {
  const name = o[kind.nameField];
  return {
    kind: kind.name,
    title: kind.title,
    id,
    ...(typeof name === 'string' ? { name } : {}),
    ...(parent ? { parent } : {}),
    ...(isBuiltIn(kind, o, live) ? { builtIn: true as const } : {}),
    ...(kind.isInactive?.(o) === true ? { inactive: true as const } : {}),
  };
}

/** `a` before `b`: by parent key, name, then id (code-unit order, so the same state always lists alike). */
function compare(a: UnmanagedObject, b: UnmanagedObject): number {
  const keys: Array<[string, string]> = [[a.parent?.key ?? '', b.parent?.key ?? ''], [a.name ?? '', b.name ?? ''], [a.id, b.id]];
  for (const [x, y] of keys) if (x !== y) return x < y ? -1 : 1;
  return 0;
}

/**
 * The unmanaged objects of the declared kinds and of their child kinds, in registry order, and the declared kinds
 * whose unmanaged objects cannot be known (read only by the ids the files address, `LiveState.addressedOnly`).
 * A singleton is always managed once declared.
 */
export function unmanagedObjects(kinds: readonly KindDef[], live: LiveState, managed: Managed): Pick<Plan, 'unmanaged' | 'unmanagedUnknown'> {
  const unmanaged: UnmanagedObject[] = [];
  const unknown: NonNullable<Plan['unmanagedUnknown']> = [];
  const addressedOnly = new Set(live.addressedOnly ?? []);
  for (const kind of kinds) {
    if (kind.wire.singleton) continue;
    const parentKind = kind.parent ? kinds.find((k) => k.name === kind.parent!.kind) : undefined;
    const considered = kind.parent ? parentKind !== undefined && managed.declared.has(parentKind.name) : managed.declared.has(kind.name);
    if (!considered) continue;
    if (addressedOnly.has(kind.name)) {
      unknown.push({ kind: kind.name, title: kind.title });
      continue;
    }
    const mine = managed.ids.get(kind.name) ?? new Set<string>();
    const found: UnmanagedObject[] = [];
    for (const o of live.objects[kind.name] ?? []) {
      const id = idOf(o);
      if (id === undefined || mine.has(id)) continue;
      if (!parentKind) {
        found.push(entryOf(kind, o, id, live));
        continue;
      }
      // A child of a parent the files do not manage is listed with its parent, as part of it; a child of a parent the
      // plan deletes or replaces is not kept (the parent's consequence says so).
      const parentId = live.parentIds[kind.name]?.get(id);
      const parentKey = parentId !== undefined ? managed.keys.get(parentKind.name)?.get(parentId) : undefined;
      if (parentId === undefined || parentKey === undefined || managed.removed.get(parentKind.name)?.has(parentId)) continue;
      found.push(entryOf(kind, o, id, live, { kind: parentKind.name, title: parentKind.title, key: parentKey, id: parentId }));
    }
    unmanaged.push(...found.sort(compare));
  }
  return { unmanaged, ...(unknown.length > 0 ? { unmanagedUnknown: unknown } : {}) };
}
