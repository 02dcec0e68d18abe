/**
 * The JSON Schema of the kickstand file (schema/kickstand.schema.json): loading it, validating documents with ajv,
 * turning ajv's errors into diagnostics at the right line, and looking up which scalar type a path expects (so that a
 * string that is exactly one `{{…}}` expression can take that type).
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type * as AjvModule from 'ajv';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, Json, JsonObject, SourcePos } from '../core/types.js';
import { SECTION_KINDS } from '../kinds/index.js';
import { describeOddChars, inspectName } from './lookalike.js';
import { childPath } from './parse.js';

/** A JSON Schema node (draft-07), as plain data. */
export type SchemaNode = { [key: string]: unknown };

/** Where the published schema lives: `schema/kickstand.schema.json` at the package root (works from src/ and dist/). */
export const SCHEMA_PATH = fileURLToPath(new URL('../../schema/kickstand.schema.json', import.meta.url));

let cachedSchema: SchemaNode | undefined;
let cachedSchemaHash: string | undefined;

/** The kickstand file schema, read once. */
export function loadSchema(): SchemaNode {
  if (!cachedSchema) {
    const text = readFileSync(SCHEMA_PATH, 'utf8');
    cachedSchemaHash = schemaHash(text);
    cachedSchema = JSON.parse(text) as SchemaNode;
  }
  return cachedSchema;
}

/** Fingerprint of the schema file's text: ties a precompiled validator to the exact schema it was compiled from. */
export function schemaHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const validators = new WeakMap<SchemaNode, ValidateFunction>();
const require = createRequire(import.meta.url);

/**
 * File name of the precompiled validator the build writes next to the compiled schema.js (dist/config/), made by
 * `standaloneValidatorSource` (scripts/precompile-schema.ts). Absent when running from src/: then the schema is compiled.
 */
export const PRECOMPILED_VALIDATOR = 'kickstand.validate.cjs';

/** A new ajv instance with the options every validator of the kickstand schema uses (runtime and precompiled alike). */
function newAjv(source: boolean): Ajv {
  // Why: ajv is loaded on first use, not at import time (~100 ms with ajv-formats), since a precompiled validator
  // needs neither. ajv-formats is CommonJS: its export is the module object or the function itself.
  const { Ajv: AjvClass } = require('ajv') as typeof AjvModule;
  const formatsModule = require('ajv-formats') as { default?: unknown };
  const addFormats = (formatsModule.default ?? formatsModule) as (ajv: Ajv) => Ajv;
  // strict: false because the schema carries editor-only annotations; verbose for parentSchema (did-you-mean lists).
  // inlineRefs off and no code optimisation: compiling the 120 KB schema drops from ~1.6 s to ~0.4 s; validation
  // itself stays fast.
  const ajv = new AjvClass({ allErrors: true, strict: false, verbose: true, inlineRefs: false, code: { optimize: false, source } });
  addFormats(ajv);
  return ajv;
}

/** The build's precompiled validator, when present and compiled from exactly this schema file. */
function precompiledValidator(): ValidateFunction | undefined {
  try {
    const mod = require(`./${PRECOMPILED_VALIDATOR}`) as ValidateFunction & { schemaHash?: string };
    return mod.schemaHash !== undefined && mod.schemaHash === cachedSchemaHash ? mod : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The kickstand schema compiled to standalone CommonJS (ajv's standalone code, same options as at run time), with the
 * schema's hash as `schemaHash`. The build writes it to dist/config/ so that a run loads it (~25 ms) instead of
 * compiling the schema (~300 ms, most of `kickstand validate`'s start-up).
 */
export function standaloneValidatorSource(schemaText: string): string {
  const ajv = newAjv(true);
  const validate = ajv.compile(JSON.parse(schemaText) as SchemaNode);
  const standalone = require('ajv/dist/standalone') as { default: (ajv: Ajv, v: ValidateFunction) => string };
  return `${standalone.default(ajv, validate)}\nmodule.exports.schemaHash = ${JSON.stringify(schemaHash(schemaText))};\n`;
}

function validatorFor(schema: SchemaNode): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    v = (schema === cachedSchema ? precompiledValidator() : undefined) ?? newAjv(false).compile(schema);
    validators.set(schema, v);
  }
  return v;
}

/** Convert an ajv instance path (`/tenants/0/name`) to our dotted form (`tenants[0].name`). */
export function pointerToPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out = /^\d+$/.test(seg) ? childPath(out, Number(seg)) : childPath(out, seg);
  }
  return out;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest allowed name to `name`, if one is close enough to be a likely typo. */
export function didYouMean(name: string, allowed: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const d = a.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, a);
    if (d < bestD) {
      best = a;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

const SECTIONS: ReadonlySet<string> = new Set(SECTION_KINDS.map((k) => k.section!));
const HBS_PATTERN = /\\\{\\\{/;

function isHandlebarsBranch(s: SchemaNode): boolean {
  return typeof s.pattern === 'string' && HBS_PATTERN.test(s.pattern);
}

/**
 * The `{type: 'null'}` alternative every optional field has (scripts/gen-schema.ts `nullable`): null unsets the field.
 * Never what a value of another type was meant to be, so messages leave it out.
 */
function isNullBranch(s: SchemaNode): boolean {
  return s.type === 'null' && Object.keys(s).length === 1;
}

function deref(root: SchemaNode, s: unknown): SchemaNode | undefined {
  let cur = s;
  for (let i = 0; i < 32 && cur && typeof cur === 'object' && typeof (cur as SchemaNode).$ref === 'string'; i++) {
    const ref = (cur as SchemaNode).$ref as string;
    if (!ref.startsWith('#/')) return undefined;
    let target: unknown = root;
    for (const seg of ref.slice(2).split('/')) target = (target as SchemaNode | undefined)?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
    cur = target;
  }
  return cur && typeof cur === 'object' ? (cur as SchemaNode) : undefined;
}

/** Does `instance` satisfy the simple `if` schemas the generator writes (`properties.X.const`/`enum`, `required`)? */
function simpleIfMatches(cond: SchemaNode, instance: Json | undefined): boolean | undefined {
  if (instance === null || typeof instance !== 'object' || Array.isArray(instance)) return undefined;
  const props = cond.properties as Record<string, SchemaNode> | undefined;
  for (const r of (cond.required as string[] | undefined) ?? []) if (!(r in instance)) return false;
  for (const [k, p] of Object.entries(props ?? {})) {
    if (!(k in instance)) continue;
    if ('const' in p) {
      if (instance[k] !== p.const) return false;
    } else if (Array.isArray(p.enum)) {
      if (!p.enum.includes(instance[k])) return false;
    } else return undefined;
  }
  return true;
}

/**
 * Flatten a schema node into the alternatives that may apply: follows `$ref`, `allOf`, `anyOf`/`oneOf` and
 * `if`/`then`/`else` (choosing by the instance where the condition is a simple discriminator such as a messenger's `type`).
 */
function expand(root: SchemaNode, s: unknown, instance: Json | undefined, out: SchemaNode[] = [], depth = 0): SchemaNode[] {
  const node = deref(root, s);
  if (!node || depth > 32) return out;
  out.push(node);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[key];
    if (Array.isArray(list)) for (const sub of list) expand(root, sub, instance, out, depth + 1);
  }
  if (node.if && typeof node.if === 'object') {
    const m = simpleIfMatches(node.if as SchemaNode, instance);
    if (m !== false && node.then) expand(root, node.then, instance, out, depth + 1);
    if (m !== true && node.else) expand(root, node.else, instance, out, depth + 1);
  }
  return out;
}

/** The scalar type a string at this path must be converted to, or undefined to keep it a string. */
export type ScalarType = 'integer' | 'number' | 'boolean';

/**
 * Which scalar type the schema expects at a dotted path of a document (`tenants[0].externalIdentifierConfiguration.
 * phoneVerificationIdTimeToLiveInSeconds` → integer). `doc` is the document, used to pick alternatives by `type`.
 * Returns undefined when a plain string is acceptable there (or the path is unknown).
 */
export function expectedScalarType(schema: SchemaNode, doc: Json, segments: Array<string | number>): ScalarType | undefined {
  let candidates = expand(schema, schema, doc);
  let instance: Json | undefined = doc;
  for (const seg of segments) {
    const next: SchemaNode[] = [];
    const child: Json | undefined =
      instance !== null && typeof instance === 'object'
        ? Array.isArray(instance)
          ? typeof seg === 'number' ? instance[seg] : undefined
          : typeof seg === 'string' && Object.prototype.hasOwnProperty.call(instance, seg) ? instance[seg] : undefined
        : undefined;
    for (const c of candidates) {
      if (typeof seg === 'number') {
        if (c.items && typeof c.items === 'object' && !Array.isArray(c.items)) expand(schema, c.items, child, next);
      } else {
        const props = c.properties as Record<string, unknown> | undefined;
        if (props && Object.prototype.hasOwnProperty.call(props, seg)) expand(schema, props[seg], child, next);
        else if (c.additionalProperties && typeof c.additionalProperties === 'object') expand(schema, c.additionalProperties, child, next);
      }
    }
    candidates = next;
    instance = child;
    if (candidates.length === 0) return undefined;
  }
  const types = new Set<string>();
  for (const c of candidates) {
    if (isHandlebarsBranch(c)) continue;
    const t = c.type;
    if (typeof t === 'string') types.add(t);
    else if (Array.isArray(t)) for (const x of t) types.add(String(x));
    else if (Array.isArray(c.enum)) for (const e of c.enum) types.add(typeof e === 'number' ? 'number' : typeof e);
  }
  if (types.has('string') || types.size === 0) return undefined;
  if (types.has('integer')) return 'integer';
  if (types.has('number')) return 'number';
  if (types.has('boolean')) return 'boolean';
  return undefined;
}

/** Convert a rendered template value to the expected scalar type; undefined when it cannot be converted. */
export function convertScalar(value: string, type: ScalarType): number | boolean | undefined {
  const v = value.trim();
  if (type === 'boolean') return v === 'true' ? true : v === 'false' ? false : undefined;
  // An integer beyond ±(2^53−1) converts (rounded) so that the schema's range rejects it with the range in the message.
  if (type === 'integer') return /^[-+]?\d+$/.test(v) && Number.isFinite(Number(v)) ? Number(v) : undefined;
  if (v === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function describeTypes(types: string[]): string {
  const words = types.map((t) => (t === 'integer' ? 'an integer' : t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : t === 'boolean' ? 'true or false' : `a ${t}`));
  return words.join(' or ');
}

function valueKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return 'a string';
  return `a ${typeof v}`;
}

/** Key-pattern explanation, used wherever the EntryKey pattern fails. */
export const KEY_RULE = 'a key is a slug: lowercase letters, digits, "-", "_" and ".", starting with a letter or digit, at most 64 characters';

/**
 * What a generated integer bound stands for (scripts/gen-schema.ts gives every integer its Java range): a Java `int`,
 * or a Java `long` cut to what a JavaScript number represents exactly. '' for a bound the spec sets itself.
 */
function rangeNote(limit: number): string {
  if (limit === 2147483647 || limit === -2147483648) return ' (a 32-bit integer in FusionAuth)';
  if (Math.abs(limit) === Number.MAX_SAFE_INTEGER) return ' (a 64-bit integer in FusionAuth, kept within ±(2^53−1), the integers a JSON number carries exactly)';
  return '';
}

/** Describe one failing scalar-level ajv error (type, enum, pattern, format, …). */
function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `must be ${describeTypes(String(p.type).split(','))}, not ${valueKind(e.data)}`;
    case 'enum':
      return `must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')}${typeof e.data === 'string' ? ` (got "${e.data}")` : ''}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern':
      return String(p.pattern) === '^[a-z0-9][a-z0-9-_.]{0,63}$' ? `must be a key (${KEY_RULE})` : `must match ${String(p.pattern)}`;
    case 'format':
      return p.format === 'uuid' ? 'must be a UUID' : `must be a valid ${String(p.format)}`;
    case 'maximum':
    case 'minimum':
      return `must be ${e.keyword === 'maximum' ? 'at most' : 'at least'} ${String(p.limit)}${rangeNote(Number(p.limit))}${typeof e.data === 'number' ? `, not ${String(e.data)}` : ''}`;
    case 'uniqueItems':
      return `must not repeat items (items ${String(p.j)} and ${String(p.i)} are the same)`;
    default:
      return e.message ?? e.keyword;
  }
}

/** Summarise the failed alternatives of an `anyOf` at one path: "must be an integer", "must be a UUID or a key …". */
function describeAlternatives(errors: ErrorObject[]): string | undefined {
  const typeWanted = new Set<string>();
  const others: string[] = [];
  for (const e of errors) {
    const ps = e.parentSchema as SchemaNode | undefined;
    // Neither the {{…}} alternative (never what the user meant after substitution) nor null (it unsets the field).
    if (ps && (isHandlebarsBranch(ps) || isNullBranch(ps))) continue;
    if (e.keyword === 'type') for (const t of String((e.params as { type: unknown }).type).split(',')) typeWanted.add(t);
    else others.push(describe(e));
  }
  // A branch that failed on type explains less than one that failed on its value (enum, format): prefer the latter.
  if (others.length > 0) return [...new Set(others)].join(', or ');
  // Only the {{…}} alternative failed here: the value's own branch failed on a keyword reported on its own (a range).
  if (typeWanted.size === 0) return undefined;
  const data = errors[0]?.data;
  // When one alternative has the value's type, that alternative's own errors (reported separately) explain the failure.
  if (typeWanted.has(jsonType(data)) || (jsonType(data) === 'integer' && typeWanted.has('number'))) return undefined;
  return `must be ${describeTypes([...typeWanted])}, not ${valueKind(data)}`;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The position of a dotted path in a file, falling back to the nearest written ancestor. */
export function nearestPos(positions: Map<string, SourcePos>, path: string, file: string): SourcePos {
  let p = path;
  for (;;) {
    const hit = positions.get(p);
    if (hit) return hit;
    if (p === '') return { file, line: 1, column: 1 };
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut <= 0 ? '' : p.slice(0, cut);
  }
}

/** Options of `validateDocument`. */
export interface ValidateOptions {
  /**
   * Report unknown fields inside entries as warnings instead of errors (`--allow-unknown-fields`, for servers newer
   * than the schema). Unknown top-level sections and unknown fields outside entries stay errors.
   */
  allowUnknownFields?: boolean;
  /**
   * Receives the path (`tenants[0].phoneConfiguration.newField`) of every unknown field kept as a warning under
   * `allowUnknownFields`: the plan compares such a field only where the server returns it.
   */
  keptUnknown?: string[];
}

/**
 * What happens to an unknown field that is kept: it is sent as written; FusionAuth binds request bodies with Jackson set
 * to ignore unknown properties, so a server that does not know the field drops it silently and never returns it, and
 * the plan then says that it cannot compare it (src/core/plan.ts) instead of showing a change on every plan.
 */
const UNKNOWN_KEPT = 'kept because unknown fields are allowed: it is sent as written; if this FusionAuth does not know the field it ignores it, and the plan says the field cannot be compared';

/**
 * The message for an unknown field: its name (invisible characters escaped), the non-ASCII or invisible characters it
 * holds by code point and kind, and the closest allowed name, compared with those characters removed or mapped to
 * their ASCII look-alike (`noHint` is appended when no name is close).
 */
export function unknownFieldMessage(what: 'field' | 'section', name: string, allowed: readonly string[], noHint = ''): string {
  const seen = inspectName(name);
  const odd = describeOddChars(seen.odd);
  const hint = didYouMean(seen.cleaned, allowed);
  return `unknown ${what} "${seen.display}"${odd ? `: ${odd}` : ''}${hint ? `; did you mean "${hint}"?` : noHint}`;
}

/**
 * Validate one document against the schema and return diagnostics with positions. Unknown fields are errors, with a
 * "did you mean" and the look-alike characters of the name named (FusionAuth ignores a field it does not know, so a
 * misspelt or look-alike name never reaches the real setting); `options.allowUnknownFields` makes those inside
 * entries warnings.
 */
export function validateDocument(schema: SchemaNode, doc: JsonObject, file: string, positions: Map<string, SourcePos>, options: ValidateOptions = {}): Diagnostic[] {
  const validate = validatorFor(schema);
  if (validate(doc)) return [];
  const errors = validate.errors ?? [];
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const push = (severity: 'error' | 'warning', path: string, message: string, posPath = path) => {
    const id = `${severity}|${path}|${message}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ severity, message, where: { ...nearestPos(positions, posPath, file), path } });
  };
  // Group the scalar-level errors of an anyOf by instance path so that each field gets one message.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath));
  const grouped = new Map<string, ErrorObject[]>();
  // Paths with a structural error (unknown or missing field) at or below them: a type-only summary there adds noise.
  const structural = errors.filter((e) => e.keyword === 'additionalProperties' || e.keyword === 'required' || e.keyword === 'propertyNames').map((e) => e.instancePath);
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'allOf' || e.keyword === 'propertyNames') continue;
    if (e.propertyName !== undefined) {
      // An error about a mapping key (propertyNames): point at the key.
      push('error', childPath(path, e.propertyName), `"${e.propertyName}" is not an allowed name here: ${describe(e)}`);
      continue;
    }
    if (e.keyword === 'additionalProperties') {
      const name = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(((e.parentSchema as SchemaNode | undefined)?.properties as object | undefined) ?? {});
      const fieldPath = childPath(path, name);
      // The printed path shows invisible characters escaped, as the message does; the position is looked up by the raw one.
      const shownPath = childPath(path, inspectName(name).display);
      const segs = e.instancePath.split('/');
      if (path === '') {
        push('error', shownPath, unknownFieldMessage('section', name, allowed, `; sections are ${allowed.filter((a) => a !== '$schema').join(', ')}`), fieldPath);
      } else if (options.allowUnknownFields && SECTIONS.has(segs[1] ?? '') && segs.length >= 3) {
        push('warning', shownPath, `${unknownFieldMessage('field', name, allowed)} (${UNKNOWN_KEPT})`, fieldPath);
        options.keptUnknown?.push(fieldPath);
      } else {
        push('error', shownPath, unknownFieldMessage('field', name, allowed), fieldPath);
      }
      continue;
    }
    if (e.keyword === 'required') {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      push('error', path, `missing required field "${missing}"`);
      continue;
    }
    if (anyOfPaths.has(e.instancePath) && ['type', 'enum', 'const', 'pattern', 'format'].includes(e.keyword)) {
      const list = grouped.get(e.instancePath) ?? [];
      list.push(e);
      grouped.set(e.instancePath, list);
      continue;
    }
    push('error', path, describe(e));
  }
  for (const [ptr, list] of grouped) {
    if (list.every((e) => e.keyword === 'type') && structural.some((p) => p === ptr || p.startsWith(ptr + '/'))) continue;
    const message = describeAlternatives(list);
    if (message) push('error', pointerToPath(ptr), message);
  }
  return out;
}
