/**
 * Loading kickstand files: read files and folders (hardened parsing), merge them, substitute variables on parsed
 * string values, convert single-expression strings to the schema's type, validate against the JSON Schema and each
 * kind's cross-field rules, and resolve references by key. The result is the desired state the planner works from.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { UserError } from '../core/errors.js';
import { splitPath, type FileEntries, type KindDef } from '../core/kind.js';
import { refValues } from '../core/graph.js';
import { createMasker } from '../core/mask.js';
import { NameRegistry, type NameScope } from '../core/names.js';
import { isJsonObject, put, setIn } from '../core/normalize.js';
import type { DesiredResource, DesiredState, Diagnostic, Json, JsonObject, KindName, ResourceRef, SourceMap, SourcePos } from '../core/types.js';
import { isUuid } from '../core/uuid.js';
import { KINDS, kindByName, SECTION_KINDS } from '../kinds/index.js';
import { FileAccess, keptOut, outsideMessage, realPathOf } from './confine.js';
import { childPath, DEFAULT_LIMITS, displayName, ParseFailure, parseFile, type ParsedFile, type ParseLimits } from './parse.js';
import { convertScalar, expectedScalarType, KEY_RULE, loadSchema, nearestPos, validateDocument, type SchemaNode } from './schema.js';
import { collectDeclarations, readVarFile, renderString, resolveVariables, type RenderContext, type VarFileValues } from './variables.js';

/** Options of `loadConfig`. */
export interface LoadOptions {
  /** --var name=value pairs, later wins over var files and the file's variables block. */
  vars?: Record<string, string>;
  /** --var-file paths (YAML, JSON or .env), in order. */
  varFiles?: string[];
  /** Environment for the {{env}} helper; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Max file size in bytes (default 10 MB) and max nesting depth of mappings and lists (default 64). */
  maxFileBytes?: number;
  maxDepth?: number;
  /** Max YAML alias expansions per document (default 100). */
  maxAliasCount?: number;
  /** Max values in one YAML file (default 200,000: the yaml library needs about 2 KB of memory per value). */
  maxYamlValues?: number;
  /**
   * Max total length, in characters, of the values that `{{…}}` substitutions produce across all files (default
   * 40 M). Why: like an alias bomb, one `{{file}}` or a long variable used in many fields multiplies a small file
   * into gigabytes, which exhausted the heap while planning.
   */
  maxExpandedChars?: number;
  /**
   * Let configuration files make kickstand read files outside their own tree (`--allow-files-outside`): `{{file}}`
   * paths and symbolic links in a folder given on the command line (see confine.ts). Default false. Files under
   * /proc, /sys and /dev, FIFOs, devices and files over `maxFileBytes` stay refused.
   */
  allowFilesOutside?: boolean;
  /** The JSON Schema to validate against (default: schema/kickstand.schema.json). For tests. */
  schema?: SchemaNode;
  /**
   * Unknown fields inside entries become warnings instead of errors and are sent as written (`--allow-unknown-fields`,
   * for servers newer than the schema). Default false: FusionAuth ignores a field it does not know, so a misspelt
   * field never makes its setting and shows as a change on every plan.
   */
  allowUnknownFields?: boolean;
}

/**
 * The UUID namespace ids are derived in when the files set no `settings.idNamespace`: id = UUIDv5(kind + ":" + key,
 * namespace). Fixed forever: changing it would change every derived id.
 */
export const DEFAULT_ID_NAMESPACE = '8c3e5f0a-2d4b-4f6e-9a1c-7b5d3e9f1a24';

/** The slug rule for entry keys: `^[a-z0-9][a-z0-9-_.]{0,63}$`. */
export const KEY_PATTERN = /^[a-z0-9][a-z0-9-_.]{0,63}$/;

/**
 * Loading failed. `diagnostics` holds every error found (masked: no secret value appears in any message);
 * `warnings` the warnings found on the way, so that `validate` can print them too.
 */
export class ConfigError extends UserError {
  readonly warnings: Diagnostic[];
  constructor(errors: Diagnostic[], warnings: Diagnostic[]) {
    super(errors);
    this.name = 'ConfigError';
    this.warnings = warnings;
  }
}

const CONFIG_FILE = /\.(ya?ml|json)$/i;

/**
 * Expand files and folders (recursively, sorted; dot-entries and node_modules skipped) into absolute file paths, and
 * note the tree each file found by walking a folder belongs to (the folder's real path; see confine.ts). A file found
 * by walking that resolves outside its folder (a symbolic link) is refused unless `allowOutside`; a file named on the
 * command line is the user's choice and read wherever it is.
 */
async function expandPaths(paths: string[], diagnostics: Diagnostic[], allowOutside: boolean): Promise<{ files: string[]; roots: Map<string, string> }> {
  const out: string[] = [];
  const roots = new Map<string, string>();
  const seen = new Set<string>();
  const add = (abs: string, root?: string) => {
    if (!seen.has(abs)) {
      seen.add(abs);
      out.push(abs);
      if (root !== undefined) roots.set(abs, root);
    }
  };
  const walk = async (dir: string): Promise<string[]> => {
    const found: string[] = [];
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) found.push(...(await walk(p)));
      else if ((e.isFile() || e.isSymbolicLink()) && CONFIG_FILE.test(e.name)) found.push(p);
    }
    return found;
  };
  for (const p of paths) {
    const abs = resolvePath(p);
    let st;
    try {
      st = await stat(abs);
    } catch {
      diagnostics.push({ severity: 'error', message: 'no such file or folder', where: { file: p } });
      continue;
    }
    if (st.isDirectory()) {
      const root = realPathOf(abs);
      const files = (await walk(abs)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      // An error, not a warning: a wrong path in CI must not pass green with "No changes".
      if (files.length === 0) {
        diagnostics.push({ severity: 'error', message: `folder ${displayName(abs)} holds no .yaml, .yml or .json files (dot-files and node_modules are skipped): is the path right?`, where: { file: displayName(abs) } });
      }
      for (const f of files) {
        const real = realPathOf(f);
        if (keptOut(real, root, allowOutside)) {
          diagnostics.push({ severity: 'error', message: outsideMessage(displayName(f), f, real, `${displayName(abs)}, the folder given on the command line`), where: { file: displayName(f) } });
          continue;
        }
        add(f, root);
      }
    } else add(abs);
  }
  return { files: out, roots };
}

/** Read by path segments (keys may contain dots). */
function getSegs(obj: Json, segs: Array<string | number>): Json | undefined {
  let cur: Json | undefined = obj;
  for (const s of segs) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, Json>)[s] : undefined;
  return cur;
}

/** Write by path segments (the path exists). */
function setSegs(obj: Json, segs: Array<string | number>, value: Json): void {
  const parent = getSegs(obj, segs.slice(0, -1)) as Record<string | number, Json>;
  parent[segs[segs.length - 1]!] = value;
}

/** True when `path` is `prefix` or lies below it. */
function under(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(prefix + '.') || path.startsWith(prefix + '[');
}

/** Every string value at paths matching a secret-field pattern (`*` matches any key or index). */
function secretValues(body: Json, pattern: string): string[] {
  const out: string[] = [];
  const segs = pattern.split('.');
  const visit = (v: Json | undefined, i: number) => {
    if (v === undefined || v === null) return;
    if (i === segs.length) {
      if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
      else if (typeof v === 'object') for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, i);
      return;
    }
    if (typeof v !== 'object') return;
    const seg = segs[i]!;
    if (seg === '*') for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, i + 1);
    else if (!Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, seg)) visit(v[seg], i + 1);
  };
  visit(body, 0);
  return out;
}

/**
 * A SourceMap for the entry at `base` (e.g. `tenants[0]`) of a parsed file. `renamed` (file name → FusionAuth name,
 * `KindDef.renamed`) maps the FusionAuth names the rest of kickstand uses back to what the file wrote.
 */
function sourceMapFor(f: ParsedFile, base: string, renamed?: Record<string, string>): SourceMap {
  const entry = nearestPos(f.positions, base, f.file);
  const toFile = new Map(Object.entries(renamed ?? {}).map(([fileName, wireName]) => [wireName, fileName]));
  const written = (path: string): string => {
    const first = splitPath(path)[0] ?? '';
    const fileName = toFile.get(first);
    return fileName === undefined ? path : fileName + path.slice(first.length);
  };
  return {
    file: f.file,
    entry,
    pos(path: string): SourcePos {
      if (path === '') return entry;
      const p = written(path);
      return nearestPos(f.positions, p.startsWith('[') ? base + p : `${base}.${p}`, f.file);
    },
    ...(toFile.size > 0 ? { written } : {}),
  };
}

/** An entry's body with the fields its kind spells differently in files renamed to FusionAuth's names (`KindDef.renamed`). */
function renameFields(kind: KindDef, body: JsonObject): JsonObject {
  if (!kind.renamed) return body;
  const out: JsonObject = {};
  const toWire = new Map(Object.entries(kind.renamed));
  for (const [k, v] of Object.entries(body)) put(out, toWire.get(k) ?? k, v);
  return out;
}

/**
 * The paths of a document (sensitive values, kept unknown fields) inside the entry at `docPath`, relative to it and with
 * FusionAuth's names (`KindDef.renamed`).
 */
function entrySensitivePaths(sensitivePaths: readonly string[], docPath: string, kind: KindDef): string[] {
  const toWire = new Map(Object.entries(kind.renamed ?? {}));
  return sensitivePaths.filter((p) => p.startsWith(`${docPath}.`)).map((p) => {
    const rel = p.slice(docPath.length + 1);
    const first = splitPath(rel)[0] ?? '';
    const wireName = toWire.get(first);
    return wireName === undefined ? rel : wireName + rel.slice(first.length);
  });
}

/**
 * Load files and folders (folders: every *.yaml/*.yml/*.json inside, recursively, sorted), merge, substitute, validate,
 * resolve references. Returns the desired state with warnings in `diagnostics`; throws `ConfigError` (a `UserError`)
 * carrying every error found, each with file, line, column and path. `secrets` holds the values of sensitive
 * variables and every value written in a kind's `secretFields`.
 */
export async function loadConfig(paths: string[], options: LoadOptions = {}): Promise<DesiredState> {
  const limits: ParseLimits = {
    maxFileBytes: options.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes,
    maxDepth: options.maxDepth ?? DEFAULT_LIMITS.maxDepth,
    maxAliasCount: options.maxAliasCount ?? DEFAULT_LIMITS.maxAliasCount,
    ...(options.maxYamlValues !== undefined ? { maxYamlValues: options.maxYamlValues } : {}),
  };
  const env = options.env ?? process.env;
  const diags: Diagnostic[] = [];
  const secrets = new Set<string>();

  if (paths.length === 0) diags.push({ severity: 'error', message: 'no files given: name at least one kickstand file or folder' });
  const allowOutside = options.allowFilesOutside === true;
  const { files: absFiles, roots } = await expandPaths(paths, diags, allowOutside);
  const parsed: ParsedFile[] = [];
  for (const abs of absFiles) {
    try {
      const f = await parseFile(abs, limits);
      // An error, not a warning: an empty file (a wrong path, a failed checkout or template step) must not plan "No changes".
      if (f.value === null) diags.push({ severity: 'error', message: 'the file is empty (or holds only comments): nothing to load from it', where: { file: f.file, line: 1, column: 1 } });
      parsed.push(f);
    } catch (e) {
      if (e instanceof ParseFailure) diags.push(...e.diagnostics);
      else throw e;
    }
  }

  // Variables: declarations (all files), var files (in order), --var.
  const declared = collectDeclarations(parsed);
  diags.push(...declared.diagnostics);
  const varFileValues: VarFileValues[] = [];
  for (const vf of options.varFiles ?? []) {
    try {
      const r = await readVarFile(resolvePath(vf), limits);
      diags.push(...r.diagnostics);
      varFileValues.push(r.vars);
    } catch (e) {
      if (e instanceof ParseFailure) diags.push(...e.diagnostics);
      else throw e;
    }
  }
  const fileCache = new Map<string, string>();
  const fileAccess = new FileAccess(roots, allowOutside);
  const resolved = await resolveVariables({ decls: declared.decls, varFiles: varFileValues, vars: options.vars ?? {}, env, limits, fileCache, fileAccess });
  diags.push(...resolved.diagnostics);
  for (const s of resolved.secrets) secrets.add(s);

  const schema = options.schema ?? loadSchema();
  const expansion: ExpansionBudget = { limit: options.maxExpandedChars ?? DEFAULT_MAX_EXPANDED_CHARS, used: 0, exceeded: false };
  const ctx: RenderContext = { vars: resolved.vars, env, limits, fileCache, fileAccess };
  const docs: Array<{ f: ParsedFile; doc: JsonObject; sensitivePaths: string[]; keptUnknown: string[] }> = [];
  for (const f of parsed) {
    if (!isJsonObject(f.value)) continue;
    const errorPaths: string[] = [];
    const sensitivePaths: string[] = [];
    const doc = await substituteDocument(f, schema, ctx, { diags, errorPaths, sensitivePaths, secrets }, expansion);
    const keptUnknown: string[] = [];
    const schemaDiags = validateDocument(schema, doc, f.file, f.positions, { allowUnknownFields: options.allowUnknownFields ?? false, keptUnknown });
    // A field that already has an error (a failed substitution, a bad variable name) needs no second one from the schema.
    const explained = [...errorPaths, ...diags.filter((d) => d.severity === 'error' && d.where?.file === f.file && d.where.path).map((d) => d.where!.path!)];
    for (const d of schemaDiags) {
      const p = d.where?.path ?? '';
      if (explained.some((e) => e !== '' && under(p, e))) continue;
      diags.push(d);
    }
    docs.push({ f, doc, sensitivePaths, keptUnknown });
  }

  // idNamespace: at most one value across files.
  let idNamespace = DEFAULT_ID_NAMESPACE;
  let nsFrom: SourcePos | undefined;
  for (const { f, doc } of docs) {
    const ns = isJsonObject(doc.settings) ? doc.settings.idNamespace : undefined;
    if (typeof ns !== 'string' || !isUuid(ns)) continue; // a malformed one was reported by the schema
    const pos = nearestPos(f.positions, 'settings.idNamespace', f.file);
    if (nsFrom && ns.toLowerCase() !== idNamespace) {
      diags.push({ severity: 'error', message: `settings.idNamespace is set twice with different values: here and at ${nsFrom.file}:${nsFrom.line}:${nsFrom.column}`, where: { ...pos, path: 'settings.idNamespace' } });
      continue;
    }
    idNamespace = ns.toLowerCase();
    nsFrom = pos;
  }

  // Resources, keys and pinned ids.
  const resources: Array<DesiredResource & { docPath: string }> = [];
  const keyIndex = new Map<KindName, Map<string, SourcePos>>();
  const idIndex = new Map<KindName, Map<string, SourcePos>>();
  for (const k of KINDS) {
    keyIndex.set(k.name, new Map());
    idIndex.set(k.name, new Map());
  }
  for (const { f, doc, sensitivePaths, keptUnknown } of docs) {
    for (const kind of SECTION_KINDS) {
      const section = doc[kind.section!];
      if (kind.wire.singleton) {
        // A singleton's section is its one object, keyed by the section's name; two files may not both write it.
        if (!isJsonObject(section)) continue;
        const source = sourceMapFor(f, kind.section!, kind.renamed);
        const keys = keyIndex.get(kind.name)!;
        const prev = keys.get(kind.section!);
        if (prev) {
          diags.push({ severity: 'error', message: `${kind.section!} is written twice: here and at ${prev.file}:${prev.line}:${prev.column}; write it in one file`, where: { ...source.entry, path: kind.section!, kind: kind.name } });
          continue;
        }
        keys.set(kind.section!, source.entry);
        const res: DesiredResource & { docPath: string } = { kind: kind.name, key: kind.section!, body: renameFields(kind, { ...section }), refs: [], source, docPath: kind.section! };
        const mine = entrySensitivePaths(sensitivePaths, kind.section!, kind);
        if (mine.length > 0) res.sensitivePaths = mine;
        const unknown = entrySensitivePaths(keptUnknown, kind.section!, kind);
        if (unknown.length > 0) res.unknownPaths = unknown;
        resources.push(res);
        continue;
      }
      if (!Array.isArray(section)) continue;
      section.forEach((entry, i) => {
        const docPath = childPath(kind.section!, i);
        if (!isJsonObject(entry)) return;
        const source = sourceMapFor(f, docPath, kind.renamed);
        const key = entry.key;
        if (typeof key !== 'string') return; // reported by the schema (required / type)
        if (!KEY_PATTERN.test(key)) {
          if (!diags.some((d) => d.where?.path === `${docPath}.key` && d.where.file === f.file)) {
            diags.push({ severity: 'error', message: `"${key}" is not a valid key: ${KEY_RULE}`, where: { ...source.pos('key'), path: `${docPath}.key`, kind: kind.name } });
          }
          return;
        }
        const keys = keyIndex.get(kind.name)!;
        const prev = keys.get(key);
        const here = source.pos('key');
        if (prev) {
          diags.push({ severity: 'error', message: `${kind.title} key "${key}" is declared twice: here and at ${prev.file}:${prev.line}:${prev.column}`, where: { ...here, path: `${docPath}.key`, kind: kind.name, key } });
          return;
        }
        keys.set(key, here);
        const childKinds = KINDS.filter((k) => k.parent?.kind === kind.name);
        const body: JsonObject = {};
        for (const [k, v] of Object.entries(entry)) if (k !== 'key' && k !== 'id' && !childKinds.some((c) => c.parent!.field === k)) body[k] = v;
        const res: DesiredResource & { docPath: string } = { kind: kind.name, key, body: renameFields(kind, body), refs: [], source, docPath };
        const mine = entrySensitivePaths(sensitivePaths, docPath, kind);
        if (mine.length > 0) res.sensitivePaths = mine;
        const unknown = entrySensitivePaths(keptUnknown, docPath, kind);
        if (unknown.length > 0) res.unknownPaths = unknown;
        if (typeof entry.id === 'string' && isUuid(entry.id)) {
          const id = entry.id.toLowerCase();
          const ids = idIndex.get(kind.name)!;
          const prevId = ids.get(id);
          const idPos = source.pos('id');
          if (prevId) diags.push({ severity: 'error', message: `${kind.title} id ${id} is pinned twice: here and at ${prevId.file}:${prevId.line}:${prevId.column}`, where: { ...idPos, path: `${docPath}.id`, kind: kind.name, key } });
          else ids.set(id, idPos);
          res.id = id;
        }
        resources.push(res);
        for (const child of childKinds) resources.push(...childResources(f, child, res, entry, sensitivePaths, keptUnknown));
      });
    }
  }

  // Cross-field rules, references and secret fields.
  const errorAt = (file: string, path: string) => diags.some((d) => d.severity === 'error' && d.where?.file === file && d.where.path !== undefined && under(path, d.where.path));
  for (const r of resources) {
    const kind = kindByName(r.kind);
    const file = r.source.file;
    const where = (wirePath: string) => {
      const path = r.source.written?.(wirePath) ?? wirePath;
      return { ...r.source.pos(wirePath), path: path === '' ? r.docPath : path.startsWith('[') ? r.docPath + path : `${r.docPath}.${path}`, kind: r.kind, key: r.key };
    };
    for (const v of kind.validate(r.body)) {
      const w = where(v.path);
      if (errorAt(file, w.path)) continue;
      diags.push({ severity: 'error', message: v.message, where: w });
    }
    resolveRefs(kind, r, keyIndex, (path, message) => {
      const w = where(path);
      if (!errorAt(file, w.path)) diags.push({ severity: 'error', message, where: w });
    });
    for (const pattern of kind.secretFields) for (const s of secretValues(r.body, pattern)) if (s !== '') secrets.add(s);
  }
  // Rules across entries (a registration's roles against its application's), once every reference is resolved.
  const files = fileEntries(resources);
  for (const r of resources) {
    const kind = kindByName(r.kind);
    if (!kind.validateInFiles) continue;
    for (const v of kind.validateInFiles(r, files)) {
      const path = v.path === '' ? r.docPath : `${r.docPath}.${v.path}`;
      if (!errorAt(r.source.file, path)) diags.push({ severity: 'error', message: v.message, where: { ...r.source.pos(v.path), path, kind: r.kind, key: r.key } });
    }
  }
  for (const { r, message } of duplicateNames(resources)) {
    const path = `${r.docPath}.${kindByName(r.kind).nameField}`;
    if (!errorAt(r.source.file, path)) diags.push({ severity: 'error', message, where: { ...r.source.pos(kindByName(r.kind).nameField), path, kind: r.kind, key: r.key } });
  }

  const mask = createMasker(secrets);
  const clean = (d: Diagnostic): Diagnostic => {
    const c: Diagnostic = { ...d, message: shortenQuoted(mask(d.message)) };
    // A path is made of the user's keys: a 5,000-character key would make the diagnostic line as long.
    if (c.where?.path !== undefined && c.where.path.length > 200) c.where = { ...c.where, path: `${c.where.path.slice(0, 60)}…` };
    return c;
  };
  const errors = diags.filter((d) => d.severity === 'error').map(clean);
  const warnings = diags.filter((d) => d.severity === 'warning').map(clean);
  if (errors.length > 0) throw new ConfigError(errors, warnings);
  return {
    resources: resources.map(({ docPath: _docPath, ...r }) => r),
    idNamespace,
    secrets: [...secrets],
    diagnostics: warnings,
    files: parsed.map((f) => f.file),
  };
}

/**
 * The entries of a child kind written inside a parent entry (`applications[0].roles`): each identified by its
 * `keyField` (a role's name), keyed `<parent key>/<name>`, with its own source positions and sensitive paths. Items
 * that are not objects or lack a string key field are reported by the schema and left out here.
 */
function childResources(f: ParsedFile, child: KindDef, parent: DesiredResource & { docPath: string }, entry: JsonObject, sensitivePaths: readonly string[], keptUnknown: readonly string[]): Array<DesiredResource & { docPath: string }> {
  const link = child.parent!;
  const items = entry[link.field];
  if (!Array.isArray(items)) return [];
  const out: Array<DesiredResource & { docPath: string }> = [];
  items.forEach((item, j) => {
    if (!isJsonObject(item) || typeof item[link.keyField] !== 'string') return;
    const docPath = childPath(childPath(parent.docPath, link.field), j);
    const r: DesiredResource & { docPath: string } = {
      kind: child.name, key: `${parent.key}/${item[link.keyField] as string}`, body: { ...item }, refs: [], source: sourceMapFor(f, docPath), docPath,
      parent: { kind: parent.kind, key: parent.key },
    };
    const mine = sensitivePaths.filter((p) => p.startsWith(`${docPath}.`)).map((p) => p.slice(docPath.length + 1));
    if (mine.length > 0) r.sensitivePaths = mine;
    const unknown = keptUnknown.filter((p) => p.startsWith(`${docPath}.`)).map((p) => p.slice(docPath.length + 1));
    if (unknown.length > 0) r.unknownPaths = unknown;
    out.push(r);
  });
  return out;
}

/**
 * Shorten every quoted value longer than 200 characters in a message to its first 60 and its length. Why: messages
 * echo what the user wrote (`must be one of: SMS, Voice (got "…")`, `unknown variable "…"`), and a hostile file can
 * make that a megabyte on one line.
 */
export function shortenQuoted(message: string): string {
  return message.replace(/"([^"]{201,})"/g, (_m, s: string) => `"${s.slice(0, 60)}…" (${s.length} characters)`);
}

/** The field FusionAuth names in its `[duplicate]` code for a name: `tenant.name`, `application.roles.name` (reference §5.3). */
function duplicateNameField(kind: KindDef): string {
  if (!kind.parent) return `${kind.wire.singular}.${kind.nameField}`;
  return `${kindByName(kind.parent.kind).wire.singular}.${kind.parent.field}.${kind.nameField}`;
}

/** Where a per-tenant name lives when the entry writes no tenant. A key is a slug, so it never equals this. */
const DEFAULT_TENANT_SCOPE = ' default';

/**
 * Entries whose name another entry of the kind already uses in the same scope (`KindDef.uniqueName`), each with the
 * message naming the first one's file:line. Why: FusionAuth refuses the second ([duplicate]<kind>.name) after the
 * first was written, so the apply would stop half-way.
 *
 * Offline, a per-tenant entry's tenant is its `tenantId` as written: a key, or a UUID lowercased; absent means the
 * Default tenant. What this cannot know: whether a key and a UUID (or an absent tenantId and the Default tenant's
 * UUID) name the same tenant, which tenant a key's object will turn out to be on the server, nor the names of objects
 * that exist only on the server. The planner checks those against the live state (src/core/plan.ts).
 */
function duplicateNames(resources: ReadonlyArray<DesiredResource & { docPath: string }>): Array<{ r: DesiredResource & { docPath: string }; message: string }> {
  const registries = new Map<KindName, NameRegistry<{ r: DesiredResource; scope: NameScope }>>();
  const out: Array<{ r: DesiredResource & { docPath: string }; message: string }> = [];
  for (const r of resources) {
    const kind = kindByName(r.kind);
    if (!kind.uniqueName) continue;
    const name = r.body[kind.nameField];
    if (typeof name !== 'string') continue; // reported by the schema
    const perTenant = kind.uniqueName === 'perTenant' && kind.tenantField !== undefined;
    let scope: NameScope = { global: true };
    if (kind.uniqueName === 'perParent' && r.parent) scope = { tenant: `${r.parent.kind}:${r.parent.key}` };
    else if (perTenant && kind.tenantless?.(r.body) === true) scope = { everyTenant: true };
    else if (perTenant) {
      const t = r.body[kind.tenantField!];
      if (t !== undefined && t !== null && typeof t !== 'string') continue; // reported by the schema
      scope = { tenant: typeof t === 'string' ? (isUuid(t) ? t.toLowerCase() : t) : DEFAULT_TENANT_SCOPE };
    }
    let registry = registries.get(r.kind);
    if (!registry) registries.set(r.kind, (registry = new NameRegistry()));
    const clash = registry.claim(name, scope, { r, scope });
    if (!clash) continue;
    const at = clash.r.source.pos(kind.nameField);
    const where = !perTenant
      ? ''
      : 'tenant' in scope && 'tenant' in clash.scope
        ? ` in the same tenant (${scope.tenant === DEFAULT_TENANT_SCOPE ? 'the Default tenant: no tenantId' : `tenantId ${scope.tenant}`})`
        : ' (one of them belongs to no tenant, so its name is taken in every tenant)';
    out.push({
      r,
      message: `${kind.title} name "${name}" is used twice${where}: here and at ${at.file}:${at.line}:${at.column}; ` +
        `FusionAuth keeps ${kind.title} names unique${perTenant ? ' within a tenant' : kind.parent ? ` within a ${kindByName(kind.parent.kind).title}` : ''}: the second would fail with [duplicate]${duplicateNameField(kind)}`,
    });
  }
  return out;
}

/** The files' entries indexed for `KindDef.validateInFiles` (built once per load: linear in the entries). */
function fileEntries(resources: readonly DesiredResource[]): FileEntries {
  const byKey = new Map<string, DesiredResource>();
  const children = new Map<string, DesiredResource[]>();
  for (const r of resources) {
    byKey.set(`${r.kind}\n${r.key}`, r);
    if (!r.parent) continue;
    const k = `${r.kind}\n${r.parent.kind}\n${r.parent.key}`;
    const list = children.get(k);
    if (list) list.push(r);
    else children.set(k, [r]);
  }
  return {
    entry: (kind, key) => byKey.get(`${kind}\n${key}`),
    children: (childKind, parentKind, parentKey) => children.get(`${childKind}\n${parentKind}\n${parentKey}`) ?? [],
  };
}

/**
 * The id of a built-in object a reference names by its well-known name (`fusionauth`: the FusionAuth admin
 * application; the wire table's `fixedIds`, compared without case), for a name no entry of the files declares as a key.
 */
function wellKnownId(kind: KindDef, name: string): string | undefined {
  const fixed = kind.wire.fixedIds ?? {};
  const hit = Object.keys(fixed).find((k) => k.toLowerCase() === name.toLowerCase());
  return hit === undefined ? undefined : fixed[hit]!.toLowerCase();
}

/**
 * Resolve a resource's reference fields: UUIDs are lowercased, keys must name a declared resource of the kind, or a
 * built-in object by its well-known name (`wellKnownId`).
 */
function resolveRefs(kind: KindDef, r: DesiredResource, keyIndex: Map<KindName, Map<string, SourcePos>>, error: (path: string, message: string) => void): void {
  for (const ref of kind.refs) for (const { path, value: v } of refValues(r.body, ref.path)) {
    if (typeof v !== 'string') continue; // null (unset) or a type error reported by the schema
    if (isUuid(v)) {
      setIn(r.body, splitPath(path), v.toLowerCase());
      continue;
    }
    const target = kindByName(ref.kind);
    const keys = keyIndex.get(ref.kind)!;
    if (keys.has(v)) {
      const rr: ResourceRef = { path, kind: ref.kind, key: v };
      r.refs.push(rr);
      continue;
    }
    const builtIn = wellKnownId(target, v);
    if (builtIn !== undefined) {
      setIn(r.body, splitPath(path), builtIn);
      continue;
    }
    const known = [...keys.keys()].sort();
    error(
      path,
      `unknown ${target.title} "${v}": not a UUID and no ${target.title} with this key is declared; ` +
        (known.length > 0 ? `declared ${target.title}s: ${known.join(', ')}` : `no ${target.title}s are declared in these files`),
    );
  }
}

/** Default of `LoadOptions.maxExpandedChars`: 40 M characters of substituted values in all. */
export const DEFAULT_MAX_EXPANDED_CHARS = 40 * 1024 * 1024;

/** How much substituted text a load has produced so far, against its limit. */
interface ExpansionBudget {
  limit: number;
  used: number;
  /** Set once the limit was crossed (reported once; later substitutions are skipped). */
  exceeded: boolean;
}

/** Where `substituteDocument` reports what it found besides the document. */
interface SubstitutionSinks {
  diags: Diagnostic[];
  /** Document paths of values that failed (a schema error there adds nothing). */
  errorPaths: string[];
  /** Document paths of values holding a sensitive variable or an environment value: masked by path in every output. */
  sensitivePaths: string[];
  /** The run's secret values: the environment values read by `{{env}}` are added. */
  secrets: Set<string>;
}

/**
 * Copy a document, rendering every string that holds `{{` (except in the `variables` block) and converting strings
 * that are exactly one expression to the type the schema expects. Errors go to `sinks.diags`, their paths to
 * `sinks.errorPaths`; the paths of sensitive values to `sinks.sensitivePaths`.
 */
async function substituteDocument(f: ParsedFile, schema: SchemaNode, ctx: RenderContext, sinks: SubstitutionSinks, budget: ExpansionBudget): Promise<JsonObject> {
  const { diags, errorPaths } = sinks;
  const singles: Array<{ path: string; segs: Array<string | number>; sensitive: boolean }> = [];
  const fail = (path: string, message: string) => {
    errorPaths.push(path);
    diags.push({ severity: 'error', message, where: { ...nearestPos(f.positions, path, f.file), path } });
  };
  // Two passes. The first copies the document synchronously and notes every string holding `{{`, in document order;
  // the second renders those one after the other in that order, so the expansion budget, the diagnostics and
  // `singles` come out exactly as from one walk. why: the former single walk was async and awaited every node of the
  // document (a 3.3 MB file of 5,000 resources: ~130 ms, most of it promises and path strings of plain values).
  const pending: Array<{ parent: Json[] | JsonObject; key: string | number; segs: Array<string | number> }> = [];
  const segs: Array<string | number> = [];
  const note = (parent: Json[] | JsonObject, key: string | number, x: Json): void => {
    if (typeof x === 'string' && x.includes('{{')) pending.push({ parent, key, segs: [...segs, key] });
  };
  const copy = (v: Json, root: boolean): Json => {
    if (Array.isArray(v)) {
      const out: Json[] = [];
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        segs.push(i);
        out.push(copy(x, false));
        segs.pop();
        note(out, i, x);
      }
      return out;
    }
    if (v !== null && typeof v === 'object') {
      const out: JsonObject = {};
      for (const [k, x] of Object.entries(v)) {
        if (root && k === 'variables') {
          out[k] = x;
          continue;
        }
        segs.push(k);
        // why `root && k === ''`: the former walk recognised the root by its empty path, which a key "" keeps.
        out[k] = copy(x, root && k === '');
        segs.pop();
        note(out, k, x);
      }
      return out;
    }
    return v;
  };
  const doc = copy(f.value, true) as JsonObject;
  for (const p of pending) {
    if (budget.exceeded) break;
    const v = (p.parent as Record<string | number, Json>)[p.key] as string;
    const path = p.segs.reduce<string>((at, k) => childPath(at, k), '');
    const r = await renderString(v, f.abs, ctx);
    if (!r.ok) {
      fail(path, r.message);
      continue;
    }
    budget.used += r.value.length;
    if (budget.used > budget.limit) {
      budget.exceeded = true;
      fail(path, `the values of {{…}} substitutions add up to more than ${budget.limit} characters here (a file or a long variable used in many fields?): refusing a possible expansion bomb`);
      continue;
    }
    if (r.sensitive) sinks.sensitivePaths.push(path);
    for (const e of r.envValues) if (e !== '') sinks.secrets.add(e);
    if (r.single) singles.push({ path, segs: p.segs, sensitive: r.sensitive });
    (p.parent as Record<string | number, Json>)[p.key] = r.value;
  }
  for (const s of singles) {
    const type = expectedScalarType(schema, doc, s.segs);
    if (!type) continue;
    const raw = getSegs(doc, s.segs) as string;
    const converted = convertScalar(raw, type);
    if (converted === undefined) {
      const shown = s.sensitive ? '' : ` "${raw.length > 60 ? raw.slice(0, 57) + '...' : raw}"`;
      fail(s.path, `the expression's value${shown} is not ${type === 'integer' ? 'an integer' : type === 'number' ? 'a number' : 'true or false'}, which this field needs`);
      continue;
    }
    setSegs(doc, s.segs, converted);
  }
  return doc;
}
