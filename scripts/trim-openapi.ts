/**
 * Writes `test/contract/openapi-schemas.json`: the component schemas of FusionAuth's OpenAPI file that describe the
 * responses kickstand and its emulator deal with, trimmed (no prose), repaired (the spec's known errors, listed in the
 * file's `x-kickstand-fixes`) and converted for ajv's draft-07 (`#/components/schemas/X` → `#/definitions/X`).
 *
 * Usage: `node --import tsx scripts/trim-openapi.ts [path/to/fusionauth-openapi.yaml]` (or KICKSTAND_OPENAPI; default
 * `../shared/reference/fusionauth-openapi.yaml` beside the repository). `--check` compares instead of writing.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  REPO_ROOT, SPEC_FIXES, componentSchemas, loadOpenapi, openapiPath, refName, renderJson, writeOrCheck,
  type SchemaObject, type SpecFix,
} from './gen-schema.js';
import { SECTION_KINDS } from '../src/kinds/index.js';

/** Where the trimmed schemas are committed. */
export const TRIMMED_PATH = resolve(REPO_ROOT, 'test/contract/openapi-schemas.json');

/**
 * The response schemas contract tests validate against, besides each registered kind's (`<Entry>Response`, e.g.
 * `TenantResponse`); everything they reference comes along. (There is no `ApplicationRoleResponse` in the spec: role
 * calls answer with `ApplicationResponse.role`.)
 */
const OTHER_ROOTS = ['Errors', 'VersionResponse', 'ReactorResponse', 'UserResponse', 'RegistrationResponse', 'LoginResponse', 'VerifyStartResponse', 'VerifyCompleteResponse'];

/** Every root: the registered section kinds' responses, then the others. */
export const ROOTS: readonly string[] = [...SECTION_KINDS.map((k) => `${k.openapi.entry ?? k.openapi.schema}Response`), ...OTHER_ROOTS];

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` });

/** A schema that applies `base` and, per discriminator value, the concrete variant. */
function byType(base: string, variants: Record<string, string>): SchemaObject {
  return {
    type: 'object',
    allOf: [
      ref(base),
      ...Object.entries(variants).map(([value, name]) => ({ if: { properties: { type: { const: value } }, required: ['type'] }, then: ref(name) })),
    ],
  };
}

function responseProps(s: Record<string, SchemaObject>, name: string): Record<string, SchemaObject> {
  const p = s[name]?.properties;
  if (!p || typeof p !== 'object') throw new Error(`OpenAPI: ${name} has no properties`);
  return p as Record<string, SchemaObject>;
}

/** Repairs needed to validate real responses, on top of the ones the kickstand schema uses (SPEC_FIXES). */
export const RESPONSE_FIXES: SpecFix[] = [
  {
    target: 'Errors.fieldErrors',
    trap: 'the spec says an array of Error; the server sends an object mapping each field to an array of Error — reference §1.6, §11.1',
    apply: (s) => {
      responseProps(s, 'Errors').fieldErrors = { type: 'object', additionalProperties: { type: 'array', items: ref('Error') } };
    },
  },
  {
    target: 'TenantResponse.tenants',
    trap: 'GET /api/tenant (retrieve all) is missing from the spec\'s paths — reference §11.1; the plural array is added here if a spec lacks it',
    apply: (s) => { const p = responseProps(s, 'TenantResponse'); p.tenants ??= { type: 'array', items: ref('Tenant') }; },
  },
  {
    target: 'AnyMessengerConfiguration (MessengerResponse.messenger/messengers)',
    trap: 'the response refers to BaseMessengerConfiguration only; the object is the concrete class chosen by `type` (Twilio, Generic, Kafka). GET /api/messenger is missing from the spec\'s paths — reference §11.1; `messengers` is added if a spec lacks it',
    apply: (s) => {
      s.AnyMessengerConfiguration = byType('BaseMessengerConfiguration', {
        Twilio: 'TwilioMessengerConfiguration', Generic: 'GenericMessengerConfiguration', Kafka: 'KafkaMessengerConfiguration',
      });
      const p = responseProps(s, 'MessengerResponse');
      p.messenger = ref('AnyMessengerConfiguration');
      p.messengers = { type: 'array', items: ref('AnyMessengerConfiguration') };
    },
  },
  {
    target: 'AnyMessageTemplate (MessageTemplateResponse.messageTemplate/messageTemplates)',
    trap: 'the response refers to the MessageTemplate base only; the object is SMSMessageTemplate or VoiceMessageTemplate by `type`',
    apply: (s) => {
      s.AnyMessageTemplate = byType('MessageTemplate', { SMS: 'SMSMessageTemplate', Voice: 'VoiceMessageTemplate' });
      const p = responseProps(s, 'MessageTemplateResponse');
      p.messageTemplate = ref('AnyMessageTemplate');
      p.messageTemplates = { type: 'array', items: ref('AnyMessageTemplate') };
    },
  },
  {
    target: 'IdentityType',
    trap: 'the spec models an identity type as an object {name}; the server writes the name alone, a string such as "phoneNumber" (reference §12 lists UserIdentity.type values as strings)',
    apply: (s) => { s.IdentityType = { type: 'string' }; },
  },
  {
    target: 'ZoneId',
    trap: 'the pattern ^w+/w+$ lost its backslashes (meant \\w) and rejects every real zone such as America/Denver; dropped',
    apply: (s) => { if (s.ZoneId) delete s.ZoneId.pattern; },
  },
];

/** Conversion rules applied to every schema (listed in `x-kickstand-fixes` with target `*`). */
const GENERIC_RULES = [
  { target: '*', trap: 'descriptions and examples are dropped (no prose is copied)' },
  { target: '*', trap: '$ref #/components/schemas/X becomes #/definitions/X (draft-07, ajv)' },
  { target: '*', trap: 'format uuid is kept (any letter case, written uuid); the spec\'s URI, int64, double and binary formats are dropped: they are not draft-07 formats and FusionAuth accepts custom-scheme URLs' },
  { target: '*', trap: 'additionalProperties {type: object} (how the spec renders Java Map<String, Object>, e.g. `data`) accepts any JSON value' },
  { target: 'ZonedDateTime', trap: 'instants are integers (epoch milliseconds), as the spec already says' },
];

const isObj = (v: unknown): v is SchemaObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Convert one OpenAPI schema (recursively) to the draft-07 form described by GENERIC_RULES. */
function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (!isObj(node)) return node;
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'description' || k === 'example') continue;
    if (k === '$ref') { out.$ref = `#/definitions/${refName(v)}`; continue; }
    if (k === 'format') { if (typeof v === 'string' && v.toLowerCase() === 'uuid') out.format = 'uuid'; continue; }
    if (k === 'additionalProperties' && isObj(v) && v.type === 'object' && !isObj(v.properties) && v.additionalProperties === undefined) {
      out.additionalProperties = {};
      continue;
    }
    // `properties` maps field names (not keywords) to schemas: convert the values only.
    if (k === 'properties' && isObj(v)) {
      out.properties = Object.fromEntries(Object.entries(v).map(([f, s]) => [f, convert(s)]));
      continue;
    }
    out[k] = convert(v);
  }
  return out;
}

/** Names of all component schemas reachable from `roots`. */
function closure(schemas: Record<string, SchemaObject>, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) { n.forEach(walk); return; }
    if (!isObj(n)) return;
    if (typeof n.$ref === 'string') stack.push(refName(n.$ref));
    Object.values(n).forEach(walk);
  };
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    const s = schemas[name];
    if (!s) throw new Error(`OpenAPI: no component schema ${name}`);
    seen.add(name);
    walk(s);
  }
  return seen;
}

/** Build the trimmed, repaired, draft-07 document from a parsed OpenAPI file. */
export function trimOpenapi(spec: unknown): SchemaObject {
  const schemas = structuredClone(componentSchemas(spec));
  for (const name of ['AnyMessengerConfiguration', 'AnyMessageTemplate']) {
    if (name in schemas) throw new Error(`OpenAPI: the spec now has ${name}; rename ours`);
  }
  const fixes = [...SPEC_FIXES, ...RESPONSE_FIXES];
  for (const f of fixes) f.apply(schemas);
  const definitions: SchemaObject = {};
  for (const name of closure(schemas, [...ROOTS])) definitions[name] = convert(schemas[name]);
  const version = (spec as { info?: { version?: unknown } }).info?.version;
  return {
    $comment: 'Generated by scripts/trim-openapi.ts from FusionAuth\'s OpenAPI file; do not edit. Used by test/contract/openapi.ts.',
    'x-kickstand-source': `FusionAuth OpenAPI ${typeof version === 'string' ? version : 'unknown version'}`,
    'x-kickstand-fixes': [...GENERIC_RULES, ...fixes.map((f) => ({ target: f.target, trap: f.trap }))],
    definitions,
  };
}

/** The text of test/contract/openapi-schemas.json for the OpenAPI file at `path`. */
export function trimOpenapiText(path: string): string {
  return renderJson(trimOpenapi(loadOpenapi(path)));
}

function main(argv: string[]): number {
  return writeOrCheck(argv, TRIMMED_PATH, trimOpenapiText(openapiPath(argv)), 'openapi:trim');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
