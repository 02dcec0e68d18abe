/**
 * Naming objects in messages: an id a message would show is written with what a reader knows the object by — the key
 * of the entry that manages it (`tenant "Acme" (key acme, id 1b2c…)`), else the name of the live object
 * (`tenant "Default" (id 5f1e…)`), else the quoted id alone. Pure: built from the plan's entries and live state.
 */
import type { KindDef } from './kind.js';
import type { Json, JsonObject, KindName, LiveState, Plan } from './types.js';
import { isUuid } from './uuid.js';

/** An entry of the files with the id it has or will have. */
export interface DirectoryEntry {
  kind: KindName;
  key: string;
  id: string;
  /** The name the entry writes, if any. */
  name?: string;
}

interface Known {
  kind: KindName;
  key?: string;
  name?: string;
}

/** An id, then its object's kind, key and name where known: the index `describe` reads. */
export class ObjectDirectory {
  private readonly byId = new Map<string, Known>();
  private readonly titles: ReadonlyMap<KindName, string>;

  /**
   * Index the live objects of every kind read (named by the kind's name field) and the entries of the files (their
   * keys; their written name where the live object has none, i.e. an object still to be created).
   */
  constructor(entries: readonly DirectoryEntry[], live: Pick<LiveState, 'objects'>, kinds: readonly KindDef[]) {
    this.titles = new Map(kinds.map((k) => [k.name, k.title]));
    for (const kind of kinds) {
      for (const o of live.objects[kind.name] ?? []) {
        if (typeof o.id !== 'string') continue;
        const name = o[kind.nameField];
        this.byId.set(o.id.toLowerCase(), { kind: kind.name, ...(typeof name === 'string' ? { name } : {}) });
      }
    }
    for (const e of entries) {
      const id = e.id.toLowerCase();
      const known = this.byId.get(id);
      // The live object's current name: a message about it describes what the server holds now.
      const name = known?.kind === e.kind ? known.name : e.name;
      this.byId.set(id, { kind: e.kind, key: e.key, ...(name !== undefined ? { name } : {}) });
    }
  }

  /**
   * How a message names the object `id` of kind `kind` (any kind when undefined): `tenant "Acme" (key acme, id …)`
   * for an entry's object, `tenant "Default" (id …)` for a live object with a name, `tenant 1b2c…` (the id) when only
   * the kind is known, else the id alone (quoted when it is not a UUID).
   */
  describe(kind: KindName | undefined, id: string): string {
    const shown = isUuid(id) ? id.toLowerCase() : JSON.stringify(id);
    const known = this.byId.get(id.toLowerCase());
    if (!known || (kind !== undefined && known.kind !== kind)) {
      return kind !== undefined && this.titles.has(kind) ? `${this.titles.get(kind)!} ${shown}` : shown;
    }
    return describeKnown(this.titles.get(known.kind) ?? known.kind, shown, known);
  }

  /** A value of a reference field to `kind`, named when it is a known object's id; any other value as JSON. */
  value(kind: KindName | undefined, v: Json | undefined): string {
    return typeof v === 'string' && isUuid(v) ? this.describe(kind, v) : JSON.stringify(v ?? null);
  }
}

/** `tenant "Acme" (key acme, id …)`, `tenant acme (id …)`, `tenant "Default" (id …)`. */
function describeKnown(title: string, id: string, k: Known): string {
  const name = k.name !== undefined ? ` ${JSON.stringify(k.name)}` : '';
  if (k.key !== undefined) return k.name !== undefined ? `${title}${name} (key ${k.key}, id ${id})` : `${title} ${k.key} (id ${id})`;
  return `${title}${name} (id ${id})`;
}

/**
 * A live object as a message names it, without a directory: `application "Portal" (id …)`, with the key of the entry
 * that manages it when given (`application "Portal" (key portal, id …)`), or `application <id>` without a name.
 */
export function describeLive(kind: Pick<KindDef, 'title' | 'nameField'>, o: JsonObject | undefined, key?: string): string {
  const id = String(o?.id ?? '');
  const name = o?.[kind.nameField];
  return describeKnown(kind.title, id, { kind: '', ...(key !== undefined ? { key } : {}), ...(typeof name === 'string' ? { name } : {}) });
}

/**
 * The objects of a plan by lowercase id, as a server message's ids are annotated with them: `tenant "Acme", key acme`
 * (the change's kind, name and key; a singleton has no id and is left out).
 */
export function planIdLabels(plan: Pick<Plan, 'changes' | 'unmanaged'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const u of plan.unmanaged ?? []) if (u.name !== undefined) out.set(u.id.toLowerCase(), `${u.title} ${JSON.stringify(u.name)}`);
  for (const c of plan.changes) {
    if (c.id === undefined) continue;
    out.set(c.id.toLowerCase(), `${c.title}${c.name !== undefined ? ` ${JSON.stringify(c.name)}` : ''}, key ${c.key}`);
  }
  return out;
}

const UUID_IN_TEXT = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/**
 * A message (FusionAuth's own, quoting ids: "The messenger is used by the tenants [5f1e…]") with each id that names an
 * object of `labels` followed by what it is: `[5f1e… (tenant "Acme", key acme)]`. Other text is left as it is.
 */
export function annotateIds(text: string, labels: ReadonlyMap<string, string>): string {
  if (labels.size === 0) return text;
  return text.replace(UUID_IN_TEXT, (id) => {
    const label = labels.get(id.toLowerCase());
    return label === undefined ? id : `${id} (${label})`;
  });
}
