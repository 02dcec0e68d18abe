/**
 * The emulator's storage: one insertion-ordered collection per kind (`tenants`, `applications`, `messengers`,
 * `messageTemplates`, and whatever a later module adds), with optional persistence to a JSON file that is
 * rewritten after every request that changed something.
 */
import { closeSync, fchmodSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JsonObject } from '../core/types.js';
import { FileReadError, readFileBoundedSync } from '../io/files.js';

/** The persisted file's shape. */
export interface StateFile {
  formatVersion: 1;
  /** Id of the tenant holding the FusionAuth admin application. */
  defaultTenantId: string;
  /** Id of the Tenant manager application (FusionAuth 1.58+), absent when the state has none. */
  tenantManagerApplicationId?: string;
  /** Objects by collection name, in insertion order. */
  collections: Record<string, JsonObject[]>;
  /** Ids of objects the emulator knows but does not serve (themes, forms, keys), by kind, for referential checks. */
  knownIds: Record<string, string[]>;
}

/** In-memory collections plus a dirty flag for persistence. */
export class Store {
  private readonly cols = new Map<string, Map<string, JsonObject>>();
  /** Ids of objects outside the emulated kinds that exist on a real server (default theme, admin forms, signing keys). */
  readonly knownIds = new Map<string, Set<string>>();
  /** Set by every mutation; cleared by the server after it persisted the state. */
  dirty = false;

  /** The collection of that name (created empty on first use). */
  collection(name: string): Map<string, JsonObject> {
    let c = this.cols.get(name);
    if (!c) {
      c = new Map();
      this.cols.set(name, c);
    }
    return c;
  }

  /** The stored object (not a copy: callers that hand it out must clone). */
  get(name: string, id: string): JsonObject | undefined {
    return this.collection(name).get(id.toLowerCase());
  }

  /** Insert or replace an object by its `id`. */
  put(name: string, obj: JsonObject): void {
    const id = String(obj.id).toLowerCase();
    this.collection(name).set(id, obj);
    this.dirty = true;
  }

  /**
   * The one object of a singleton kind's collection (the system configuration, which has no id), whatever key it is
   * held under.
   */
  one(name: string): JsonObject | undefined {
    return this.collection(name).values().next().value;
  }

  /** Replace the one object of a singleton kind's collection. */
  setOne(name: string, obj: JsonObject): void {
    const c = this.collection(name);
    c.clear();
    c.set('', obj);
    this.dirty = true;
  }

  /** Remove an object; true when it existed. */
  delete(name: string, id: string): boolean {
    const removed = this.collection(name).delete(id.toLowerCase());
    if (removed) this.dirty = true;
    return removed;
  }

  /** Every object of a collection, in insertion order (the stored objects, not copies). */
  list(name: string): JsonObject[] {
    return [...this.collection(name).values()];
  }

  /** Record an id of a non-emulated object kind as existing. */
  addKnownId(kind: string, id: string): void {
    let s = this.knownIds.get(kind);
    if (!s) {
      s = new Set();
      this.knownIds.set(kind, s);
    }
    s.add(id.toLowerCase());
    this.dirty = true;
  }

  /** Whether an id of a non-emulated kind exists. */
  isKnownId(kind: string, id: string): boolean {
    return this.knownIds.get(kind)?.has(id.toLowerCase()) ?? false;
  }

  /** Remove everything. */
  clear(): void {
    this.cols.clear();
    this.knownIds.clear();
    this.dirty = true;
  }

  /** A deep copy of the state, for the state file. */
  toFile(defaultTenantId: string, tenantManagerApplicationId?: string): StateFile {
    const collections: Record<string, JsonObject[]> = {};
    for (const [name, c] of this.cols) collections[name] = structuredClone([...c.values()]);
    const knownIds: Record<string, string[]> = {};
    for (const [kind, s] of this.knownIds) knownIds[kind] = [...s];
    return { formatVersion: 1, defaultTenantId, ...(tenantManagerApplicationId !== undefined ? { tenantManagerApplicationId } : {}), collections, knownIds };
  }

  /** Replace the contents with a state file's. */
  load(file: StateFile): void {
    this.clear();
    for (const [name, list] of Object.entries(file.collections)) {
      for (const obj of list) this.put(name, structuredClone(obj));
    }
    for (const [kind, ids] of Object.entries(file.knownIds ?? {})) for (const id of ids) this.addKnownId(kind, id);
    this.dirty = false;
  }
}

/**
 * Largest state file the emulator loads (500 MiB). Generous on purpose: the file is the emulator's own database, and a
 * CI job that seeds thousands of applications full of server defaults writes tens of MB (the benchmarks' 5,000
 * applications are ~19 MB of JSON). The bound stays just below V8's longest string (2^29 − 24 characters, ~512 MiB),
 * so a file under it can always be turned into text and parsed; a larger one is refused with its name.
 */
export const MAX_STATE_FILE_BYTES = 500 * 1024 * 1024;

/** The state file's permissions: it holds the secrets FusionAuth would keep (client secrets, messenger tokens, API key hashes). */
const FILE_MODE = 0o600;
/** Permissions of a folder the emulator creates for its state file. */
const DIR_MODE = 0o700;

/** Read a state file; undefined when it does not exist. Throws on a file that cannot be read or is not a kickstand emulator state. */
export function readStateFile(path: string): StateFile | undefined {
  let text: string;
  try {
    text = readFileBoundedSync(path, MAX_STATE_FILE_BYTES).toString('utf8');
  } catch (e) {
    if (e instanceof FileReadError && e.reason === 'missing') return undefined;
    if (e instanceof FileReadError) throw new Error(`emulator state file ${path} ${e.message}`, { cause: e });
    throw e;
  }
  let parsed: Partial<StateFile>;
  try {
    parsed = JSON.parse(text) as Partial<StateFile>;
  } catch (e) {
    throw new Error(`emulator state file ${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.formatVersion !== 1 || typeof parsed.defaultTenantId !== 'string' || (parsed.tenantManagerApplicationId !== undefined && typeof parsed.tenantManagerApplicationId !== 'string') || typeof parsed.collections !== 'object' || parsed.collections === null) {
    throw new Error(`${path} is not a kickstand emulator state file (formatVersion 1)`);
  }
  return parsed as StateFile;
}

/**
 * Write a state file atomically (temporary file, then rename) so that a crash never leaves half a file. The file and
 * its temporary file are mode 0600 from their creation on; a missing folder is created 0700 (an existing folder, such
 * as /tmp, is left as it is).
 */
export function writeStateFile(path: string, file: StateFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
  const tmp = `${path}.${process.pid}.tmp`;
  // A leftover temporary file (same pid after a crash) may have other permissions: start from a new file.
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx', FILE_MODE);
  try {
    // The umask can only take bits away from 0600; fchmod makes the mode exact.
    fchmodSync(fd, FILE_MODE);
    writeFileSync(fd, JSON.stringify(file, null, 2) + '\n');
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
