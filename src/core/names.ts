/**
 * Names FusionAuth keeps unique (`KindDef.uniqueName`): a registry that tells, for each name claimed in a scope, which
 * earlier holder it collides with. Shared by the loader's offline check and the planner's check against the server.
 */

/**
 * Where a name is taken: among all objects of the kind (`global`), within one tenant (`tenant`, any string that
 * identifies it), or in every tenant at once (`everyTenant`: an object of a per-tenant kind that belongs to no tenant).
 */
export type NameScope = { global: true } | { tenant: string } | { everyTenant: true };

interface Slot<T> {
  first?: T;
  everyTenant?: T;
  byTenant: Map<string, T>;
}

/** The holders of the names of one kind. Each claim is one map lookup: linear in the number of names claimed. */
export class NameRegistry<T> {
  private readonly slots = new Map<string, Slot<T>>();

  /**
   * The earlier holder that `name` collides with in `scope`, or undefined when it is free there (then `holder` is
   * recorded as holding it). A tenant's name collides with the same name in that tenant or in every tenant; a name
   * taken in every tenant collides with the name anywhere.
   */
  claim(name: string, scope: NameScope, holder: T): T | undefined {
    let slot = this.slots.get(name);
    if (!slot) {
      slot = { byTenant: new Map() };
      this.slots.set(name, slot);
    }
    const clash = 'tenant' in scope ? slot.byTenant.get(scope.tenant) ?? slot.everyTenant : slot.first;
    if (clash !== undefined) return clash;
    slot.first ??= holder;
    if ('everyTenant' in scope) slot.everyTenant ??= holder;
    else if ('tenant' in scope && !slot.byTenant.has(scope.tenant)) slot.byTenant.set(scope.tenant, holder);
    return undefined;
  }
}
