/**
 * What FusionAuth's JSON binding does to the object in a request envelope before any service code sees it: it binds
 * the JSON to the kind's Java domain class with Jackson, so
 *
 * - a property the class does not have is ignored: it is neither stored nor returned. Live evidence: the
 *   leo-technologies-llc/fusion_auth tests (live 1.46.0, test/fusion_auth/applications_test.exs) create applications
 *   carrying `is_super_role` and roles carrying `is_default`/`is_super_role` (names no class has) and get 200;
 *   Jackson's FAIL_ON_UNKNOWN_PROPERTIES is therefore off. Free-form maps (`data`, `localizedTemplates`, `headers`: Java
 *   `Map`s, `additionalProperties` in the OpenAPI file) keep every key (terraform-provider-fusionauth's acceptance
 *   tests read `data` and `localizedTemplates` back as sent);
 * - a value Jackson cannot convert to the property's Java type fails the whole request: 400 with one field error keyed
 *   by the property's path, code `[invalidJSON]` (no path appended), and the message "Invalid JSON in the request body.
 *   The property was [role.isSuperRole]. The error was [Possible conversion error]. The detailed exception was [...]"
 *   (same live test, "update_role/4 returns a 400 … invalid and/or malformed"). Binding stops at the first such value.
 *   The path leaves out list indices and keeps map keys (FusionAuth's web framework, prime-mvc,
 *   JacksonContentHandlerTest `handleBadInArray` → `siblings.age`, `handleBadInMap` → `addresses.home.age`).
 *
 * Which conversions Jackson accepts: FusionAuth's ObjectMapper configuration is not public and no source found shows
 * it changes Jackson's coercion defaults, so these are Jackson 2.12+'s defaults. The live message above
 * ("only "true"/"True"/"TRUE" or "false"/"False"/"FALSE" recognized") is Jackson 2.12+'s boolean parser, which confirms
 * the version line. Defaults: a boolean takes true/false, those strings in those three spellings (trimmed), and an
 * integer (0 is false); a number takes a number or a numeric string ("5" → 5), an int a float by truncation
 * (ACCEPT_FLOAT_AS_INT); a string takes any scalar (5 → "5"); an empty string is null for a scalar; nothing takes an
 * object or an array except an object or a list/map property (ACCEPT_SINGLE_VALUE_AS_ARRAY and
 * UNWRAP_SINGLE_VALUE_ARRAYS are off by default). The converted value is what the server stores and returns.
 *
 * The known properties and their types are generated from the OpenAPI component schemas with the project's repairs
 * (scripts/gen-emulator-shapes.ts → shapes.generated.ts), so the emulator does not parse the spec at boot.
 */
import type { Json, JsonObject } from '../core/types.js';
import type { WireKind } from '../fusionauth/wire.js';
import { invalidJson } from './errors.js';
import type { Reply } from './http.js';
import { KIND_SHAPES, OBJECT_SHAPES } from './shapes.generated.js';
import type { Shape } from './shapeTypes.js';
import { isObject } from './values.js';

/** A value the binding cannot convert: where, and Jackson's explanation. */
class Unbindable extends Error {
  constructor(readonly path: string, readonly detail: string) {
    super(detail);
  }
}

const INT32 = { min: -2147483648, max: 2147483647 };

/** Jackson's name for the token a value starts with, for the detailed message. */
function token(v: Json): string {
  if (Array.isArray(v)) return 'Array value (token `JsonToken.START_ARRAY`)';
  if (isObject(v)) return 'Object value (token `JsonToken.START_OBJECT`)';
  if (typeof v === 'string') return `String "${v}"`;
  if (typeof v === 'boolean') return `Boolean value (token \`JsonToken.VALUE_${v ? 'TRUE' : 'FALSE'}\`)`;
  return `Number value (${String(v)})`;
}

/** The Java type a shape binds to, as Jackson names it in its messages. */
function javaType(s: Shape): string {
  if (typeof s !== 'string') return 'list' in s ? 'java.util.List' : 'java.util.Map';
  if (s.startsWith('#')) return `io.fusionauth.domain.${s.slice(1)}`;
  const names: Record<string, string> = { string: 'java.lang.String', number: 'double', enum: 'enum', any: 'java.lang.Object' };
  return names[s] ?? s;
}

function fail(path: string, s: Shape, v: Json, why?: string): never {
  throw new Unbindable(path, `Cannot deserialize value of type \`${javaType(s)}\` from ${token(v)}${why ? `: ${why}` : ''}`);
}

/** An integer in range, from a JSON number or a numeric string (Jackson's `_parseIntPrimitive` / `_parseLongPrimitive`). */
function integer(path: string, s: 'int' | 'long', v: Json): Json {
  let n: number;
  if (typeof v === 'number') n = Math.trunc(v);
  else if (typeof v === 'string') {
    const t = v.trim();
    if (t === '' || t === 'null') return null;
    if (!/^[+-]?\d+$/.test(t)) fail(path, s, v, `not a valid \`${s}\` value`);
    n = Number(t);
  } else return fail(path, s, v);
  const range = s === 'int' ? INT32 : { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
  if (n < range.min || n > range.max) fail(path, s, v, `Numeric value (${String(v)}) out of range of ${s}`);
  return n;
}

/** The value bound to `s`, converted as Jackson converts it, or an Unbindable. Unknown properties are dropped. */
function bind(path: string, s: Shape, v: Json): Json {
  if (v === null) return null;
  if (typeof s === 'object') {
    if ('list' in s) {
      if (!Array.isArray(v)) return fail(path, s, v);
      return v.map((item) => bind(path, s.list, item));
    }
    if (!isObject(v)) return fail(path, s, v);
    const out: JsonObject = {};
    for (const [k, item] of Object.entries(v)) out[k] = bind(`${path}.${k}`, s.map, item);
    return out;
  }
  if (s.startsWith('#')) {
    if (!isObject(v)) return fail(path, s, v);
    return bindObject(path, s.slice(1), v);
  }
  switch (s) {
    case 'any':
      return v;
    case 'string':
      if (Array.isArray(v) || isObject(v)) return fail(path, s, v);
      return String(v);
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number' && Number.isInteger(v)) return v !== 0;
      if (typeof v !== 'string') return fail(path, s, v);
      const t = v.trim();
      if (t === 'true' || t === 'True' || t === 'TRUE') return true;
      if (t === 'false' || t === 'False' || t === 'FALSE') return false;
      if (t === '' || t === 'null') return null;
      return fail(path, s, v, 'only "true"/"True"/"TRUE" or "false"/"False"/"FALSE" recognized');
    }
    case 'int':
    case 'long':
      return integer(path, s, v);
    case 'number': {
      if (typeof v === 'number') return v;
      if (typeof v !== 'string') return fail(path, s, v);
      const t = v.trim();
      if (t === '' || t === 'null') return null;
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) fail(path, s, v, 'not a valid `double` value');
      return Number(t);
    }
    case 'enum':
      // Which names an enum has is the kind's own bind rule (KindSpec.bind). Jackson also maps an integer to the constant
      // at that index (FAIL_ON_NUMBERS_FOR_ENUMS is off by default); the emulator does not know the order and keeps it.
      if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))) return v;
      return fail(path, s, v);
  }
  return v;
}

/** An object of a named domain class: its known properties bound, the others dropped. */
function bindObject(path: string, name: string, v: JsonObject): JsonObject {
  const props = OBJECT_SHAPES[name];
  if (!props) return v;
  const out: JsonObject = {};
  for (const [k, item] of Object.entries(v)) {
    const s = props[k];
    if (s === undefined) continue;
    out[k] = bind(`${path}.${k}`, s, item);
  }
  return out;
}

/**
 * The object of a request envelope (`singular`, e.g. `tenant`) as the kind's domain class binds it: unknown
 * properties dropped at every depth except inside free-form maps, values converted; or the 400 `[invalidJSON]` reply
 * for the first value that cannot be bound. A polymorphic kind binds the variant its discriminator names; an object
 * whose discriminator names none is returned as it is (the discriminator rule refuses it, KindSpec.discriminator). A
 * kind the generated table does not have is returned as it is.
 */
export function bindEnvelope(kind: WireKind, singular: string, obj: JsonObject): { obj: JsonObject } | { reply: Reply } {
  const k = KIND_SHAPES[kind];
  if (!k) return { obj };
  let root: string | undefined;
  if ('root' in k) root = k.root;
  else {
    const d = obj[k.field];
    root = typeof d === 'string' ? k.variants[d] : undefined;
  }
  if (root === undefined) return { obj };
  try {
    return { obj: bindObject(singular, root, obj) };
  } catch (e) {
    if (e instanceof Unbindable) return { reply: invalidJson(e.path, e.detail) };
    throw e;
  }
}

/** Whether the generated table describes `kind` (every kind the emulator serves must be: test/emulator/shape.test.ts). */
export function hasShape(kind: WireKind): boolean {
  return KIND_SHAPES[kind] !== undefined;
}
