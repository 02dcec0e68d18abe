/**
 * Writes `src/emulator/shapes.generated.ts`: for every kind the emulator can serve (a row of src/fusionauth/wire.ts
 * with an API path), the properties FusionAuth's JSON binding knows, with their JSON types, taken from the OpenAPI
 * component schemas with the project's repairs (SPEC_FIXES in scripts/gen-schema.ts, reference §11.1) and the ones
 * below. The emulator reads it to drop what the server's domain classes do not have and to refuse a value of the wrong
 * type (src/emulator/shape.ts), without loading the 600 kB OpenAPI file at every boot.
 *
 * A kind's schema is found the way a request finds it: the property named by the kind's envelope key in the spec's
 * `*Request` schema (`TenantRequest.tenant` → `Tenant`). A polymorphic kind's base schema is mapped to the concrete
 * variant per discriminator value (POLYMORPHIC, the spec does not model it).
 *
 * Usage: `node --import tsx scripts/gen-emulator-shapes.ts [path/to/fusionauth-openapi.yaml]` (or KICKSTAND_OPENAPI;
 * default the shared file beside the repository, else the committed snapshot). `--check` compares instead of writing.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, fixedSchemas, loadOpenapi, openapiPath, refName, writeOrCheck, type SchemaObject, type SpecFix } from './gen-schema.js';
import { WIRE, type WireKind } from '../src/fusionauth/wire.js';
import type { KindShape, Shape } from '../src/emulator/shapeTypes.js';

/** Where the generated module is committed. */
export const SHAPES_PATH = resolve(REPO_ROOT, 'src/emulator/shapes.generated.ts');

/**
 * Base schemas whose object is a concrete class chosen by a property (Jackson's `@JsonTypeInfo`), per value. The spec
 * refers to the base only (the same gap RESPONSE_FIXES in scripts/trim-openapi.ts repairs for responses).
 */
const POLYMORPHIC: Record<string, { field: string; variants: Record<string, string> }> = {
  BaseMessengerConfiguration: {
    field: 'type',
    variants: { Twilio: 'TwilioMessengerConfiguration', Generic: 'GenericMessengerConfiguration', Kafka: 'KafkaMessengerConfiguration' },
  },
  MessageTemplate: { field: 'type', variants: { SMS: 'SMSMessageTemplate', Voice: 'VoiceMessageTemplate' } },
};

/** Kinds whose request envelope is not their singular: a family request carries one member (`FamilyRequest.familyMember`). */
const REQUEST_ENVELOPE: Partial<Record<WireKind, string>> = { family: 'familyMember' };

/** Repairs for the request side, on top of SPEC_FIXES: properties the server binds that the spec lacks. */
export const SHAPE_FIXES: SpecFix[] = [
  // terraform-provider-fusionauth's SAML acceptance tests (live 1.69) send and read back these lists; the 1.69 spec has
  // only the deprecated `defaultVerificationKeyId` beside them.
  ...(['SAMLv2Configuration', 'SAMLv2Logout'] as const).map((name): SpecFix => ({
    target: `${name}.verificationKeyIds`,
    trap: 'missing from the 1.69 spec; the server binds it (terraform SAML acceptance tests)',
    apply(schemas) {
      const s = schemas[name];
      if (s === undefined || typeof s.properties !== 'object' || s.properties === null) throw new Error(`OpenAPI: ${name} has no properties`);
      (s.properties as Record<string, SchemaObject>).verificationKeyIds = { type: 'array', items: { type: 'string', format: 'uuid' } };
    },
  })),
];

const isObj = (v: unknown): v is SchemaObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The generator's state: the repaired schemas, and the objects converted or queued. */
interface Ctx {
  schemas: Record<string, SchemaObject>;
  objects: Record<string, Record<string, Shape>>;
  queue: string[];
  /** Schemas the spec models as objects without properties: kept whole (a map the spec did not describe). */
  opaque: Set<string>;
}

/** The properties of a schema, through `allOf`. */
function propertiesOf(ctx: Ctx, s: SchemaObject): Record<string, SchemaObject> {
  const out: Record<string, SchemaObject> = {};
  for (const part of Array.isArray(s.allOf) ? s.allOf : []) {
    if (isObj(part)) Object.assign(out, propertiesOf(ctx, isObj(part) && typeof part.$ref === 'string' ? ctx.schemas[refName(part.$ref)] ?? {} : part));
  }
  if (isObj(s.properties)) Object.assign(out, s.properties as Record<string, SchemaObject>);
  return out;
}

/** A named object's shape reference, queueing the object; a schema without properties is any JSON value. */
function named(ctx: Ctx, name: string, where: string): Shape {
  const target = ctx.schemas[name];
  if (!target) throw new Error(`OpenAPI: ${where} refers to missing schema ${name}`);
  if (target.type === 'object' && Object.keys(propertiesOf(ctx, target)).length === 0 && target.additionalProperties === undefined) {
    ctx.opaque.add(name);
    return 'any';
  }
  if (target.type !== 'object' || target.additionalProperties !== undefined) return shapeOf(ctx, target, `${where} → ${name}`);
  if (!(name in ctx.objects)) {
    ctx.objects[name] = {};
    ctx.queue.push(name);
  }
  return `#${name}`;
}

/** The JSON shape of one OpenAPI property schema. */
function shapeOf(ctx: Ctx, p: SchemaObject, where: string): Shape {
  if (typeof p.$ref === 'string') return named(ctx, refName(p.$ref), where);
  if (Array.isArray(p.enum)) return 'enum';
  switch (p.type) {
    case 'string': return 'string';
    case 'boolean': return 'boolean';
    case 'number': return 'number';
    // A 32-bit Java int unless the spec says int64 (ZonedDateTime, epoch milliseconds, is int64).
    case 'integer': return p.format === 'int64' ? 'long' : 'int';
    case 'array': return { list: isObj(p.items) && Object.keys(p.items).length > 0 ? shapeOf(ctx, p.items, `${where}[]`) : 'any' };
    case 'object': {
      if (Object.keys(propertiesOf(ctx, p)).length > 0) throw new Error(`OpenAPI: ${where} is an inline object with properties; not supported`);
      const ap = p.additionalProperties;
      // Java Map<String, Object> is `additionalProperties: {type: object}` in the spec; its values are any JSON.
      if (ap === undefined || ap === true || (isObj(ap) && ap.type === 'object' && ap.properties === undefined && ap.additionalProperties === undefined)) return 'any';
      if (!isObj(ap)) throw new Error(`OpenAPI: ${where} has unsupported additionalProperties`);
      return { map: shapeOf(ctx, ap, `${where}{}`) };
    }
    default:
      // `items: {}` and other untyped schemas: any JSON value.
      if (p.type === undefined && p.oneOf === undefined) return 'any';
      throw new Error(`OpenAPI: ${where} has unsupported type ${String(p.type)}`);
  }
}

/** The schema a request envelope key names (`tenant` → `Tenant`, from `TenantRequest.tenant`). */
function requestSchema(schemas: Record<string, SchemaObject>, singular: string): string | undefined {
  for (const [name, s] of Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) {
    if (!name.endsWith('Request') || !isObj(s.properties)) continue;
    const p = (s.properties as Record<string, SchemaObject>)[singular];
    if (isObj(p) && typeof p.$ref === 'string') return refName(p.$ref);
  }
  return undefined;
}

/** The generated tables: per kind its root object (or variants), and every object's properties. */
export function generateShapes(spec: unknown): { kinds: Record<string, KindShape>; objects: Record<string, Record<string, Shape>>; opaque: string[]; source: string } {
  const schemas = fixedSchemas(spec);
  for (const f of SHAPE_FIXES) f.apply(schemas);
  const ctx: Ctx = { schemas, objects: {}, queue: [], opaque: new Set() };
  const kinds: Record<string, KindShape> = {};
  for (const kind of (Object.keys(WIRE) as WireKind[]).sort()) {
    const w = WIRE[kind];
    if (w.path === undefined) continue;
    const root = requestSchema(schemas, REQUEST_ENVELOPE[kind] ?? w.singular);
    if (!root) throw new Error(`OpenAPI: no *Request schema has the property ${w.singular} (kind ${kind})`);
    const poly = POLYMORPHIC[root];
    if (poly) {
      const variants: Record<string, string> = {};
      for (const [value, name] of Object.entries(poly.variants)) {
        const s = named(ctx, name, `${kind} ${value}`);
        if (typeof s !== 'string' || !s.startsWith('#')) throw new Error(`OpenAPI: ${name} is not an object`);
        variants[value] = name;
      }
      kinds[kind] = { field: poly.field, variants };
    } else {
      const s = named(ctx, root, kind);
      if (typeof s !== 'string' || !s.startsWith('#')) throw new Error(`OpenAPI: ${root} is not an object`);
      kinds[kind] = { root };
    }
  }
  while (ctx.queue.length > 0) {
    const name = ctx.queue.shift() as string;
    const props = propertiesOf(ctx, ctx.schemas[name] as SchemaObject);
    const out: Record<string, Shape> = {};
    for (const field of Object.keys(props).sort()) out[field] = shapeOf(ctx, props[field] as SchemaObject, `${name}.${field}`);
    ctx.objects[name] = out;
  }
  const objects = Object.fromEntries(Object.keys(ctx.objects).sort().map((n) => [n, ctx.objects[n] as Record<string, Shape>]));
  const version = (spec as { info?: { version?: unknown } }).info?.version;
  return { kinds, objects, opaque: [...ctx.opaque].sort(), source: `FusionAuth OpenAPI ${typeof version === 'string' ? version : 'unknown version'}` };
}

/** The text of src/emulator/shapes.generated.ts for a parsed OpenAPI file. */
export function renderShapes(spec: unknown): string {
  const g = generateShapes(spec);
  const lines = [
    '/**',
    ` * Generated by scripts/gen-emulator-shapes.ts from ${g.source} with the project's repairs; do not edit (npm run emulator:shapes).`,
    ' * The properties FusionAuth binds for each object of the kinds the emulator serves, with their JSON types (shapeTypes.ts).',
    ` * Modelled by the spec as objects without properties, so kept whole: ${g.opaque.join(', ') || 'none'}.`,
    ' */',
    "import type { KindShape, Shape } from './shapeTypes.js';",
    '',
    '/** Per served kind: its root object, or the concrete object per discriminator value. */',
    `export const KIND_SHAPES: Readonly<Record<string, KindShape>> = ${JSON.stringify(g.kinds, null, 2)};`,
    '',
    '/** Per object (OpenAPI component schema name): its properties and their shapes. */',
    `export const OBJECT_SHAPES: Readonly<Record<string, Readonly<Record<string, Shape>>>> = ${JSON.stringify(g.objects, null, 2)};`,
    '',
  ];
  return lines.join('\n');
}

function main(argv: string[]): number {
  return writeOrCheck(argv, SHAPES_PATH, renderShapes(loadOpenapi(openapiPath(argv))), 'emulator:shapes');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
