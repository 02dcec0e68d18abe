/**
 * Generates `schema/kickstand.schema.json` (JSON Schema draft-07) from FusionAuth's OpenAPI file.
 *
 * Usage: `node --import tsx scripts/gen-schema.ts [path/to/fusionauth-openapi.yaml]` (or set KICKSTAND_OPENAPI);
 * the default is `../shared/reference/fusionauth-openapi.yaml` relative to the repository root.
 * `--check` compares instead of writing and exits 1 when the committed file is stale.
 *
 * How the schema is derived:
 * - each kind (src/kinds/*.ts, `openapi`) names its component schema(s); a kind with a discriminator gets the union of
 *   the variants' properties and an enum for the discriminator field;
 * - every object the spec models with `properties` becomes a definition of ours with `additionalProperties: false`;
 *   scalar aliases (enums, ZonedDateTime) are inlined;
 * - server-owned fields (`serverFields`, child `serverFields`) are dropped, reference fields (`refs`) accept a UUID or a
 *   key, and every non-string scalar, enum and UUID also accepts one Handlebars expression (`{{env "TTL"}}`);
 * - every integer gets its Java range: a 32-bit `int` unless the spec says `format: int64` (then ±(2^53−1));
 * - the spec's known errors (reference §11.1) are repaired by SPEC_FIXES below before conversion;
 * - the spec's prose is dropped; our own descriptions (DESCRIPTIONS) cover the phone-gating scenario and the overlay.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import type { KindDef } from '../src/core/kind.js';
import { KINDS, SECTION_KINDS } from '../src/kinds/index.js';
import { GRANTS } from '../src/kinds/application.js';

/** A JSON Schema (or OpenAPI schema) object. Plain data; `unknown` values are narrowed where read. */
export type SchemaObject = { [key: string]: unknown };

/** Repository root (this file lives in `<root>/scripts/`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the generated schema is committed. */
export const SCHEMA_PATH = resolve(REPO_ROOT, 'schema/kickstand.schema.json');
/** The schema's `$id`. */
/**
 * The schema's published address: the file as the npm package ships it, served by jsDelivr (stable across versions,
 * `@<version>` pins one); what a SchemaStore entry points at.
 */
export const SCHEMA_ID = 'https://cdn.jsdelivr.net/npm/kickstand-cli/schema/kickstand.schema.json';
/** A string that is exactly one Handlebars expression: accepted wherever a typed scalar goes. */
export const TEMPLATE_PATTERN = '^\\s*\\{\\{[^{}]*\\}\\}\\s*$';
/** Variable names: identifiers usable in Handlebars expressions. */
export const VARIABLE_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
/** The format of an entry's `key`. */
export const KEY_PATTERN = '^[a-z0-9][a-z0-9-_.]{0,63}$';

/** Names of our own helper definitions (checked against the spec's names so they never collide). */
const DEF = {
  key: 'EntryKey',
  uuid: 'Uuid',
  template: 'HandlebarsExpression',
  variable: 'Variable',
  scalar: 'VariableValue',
} as const;

/** Fields owned by the server on every kind, handled by the overlay (`id`) or never written (instants). */
const ALWAYS_DROPPED = ['id', 'insertInstant', 'lastUpdateInstant'];

/**
 * Our own descriptions: `Definition.field` for a property, `Definition` for a whole definition. Only the phone-gating
 * scenario's fields and the overlay are described; the generator fails when an entry names nothing that exists.
 */
export const DESCRIPTIONS: Record<string, string> = {
  // overlay
  'EntryKey': 'Stable slug you choose for this entry: lowercase letters, digits, "-", "_" and "."; at most 64 characters. Used in references and to derive the id.',
  'Uuid': 'A UUID.',
  'HandlebarsExpression': 'A single Handlebars expression (for example {{env "TTL"}}), replaced before validation and converted to the type of the field.',
  'Variable': 'A variable: a default value, or an object with default, sensitive and description.',
  // families
  'Family.members': 'The members: each a user (userId: the key of a declared user, or a UUID) with a role. Additive: members of the live family the entry does not list are kept, unless membersComplete is true.',
  'FamilyMember.role': 'Adult, Teen or Child. A family is created with its first Adult, who becomes its owner.',
  'FamilyMember.owner': 'Whether this Adult owns the family; several Adults may. Not allowed for a Teen or Child (FusionAuth ignores it there).',
  // messengers
  'Messenger': 'A messenger sends SMS or voice messages for FusionAuth (Twilio, a Generic HTTP endpoint, or legacy Kafka).',
  'Messenger.type': 'The kind of messenger; fixed when the messenger is created (changing it replaces the messenger).',
  'Messenger.url': 'Endpoint the messenger calls: for Twilio usually https://api.twilio.com; for Generic your HTTP endpoint.',
  'Messenger.accountSID': 'Twilio account SID (starts with AC).',
  'Messenger.authToken': 'Twilio auth token. Secret: masked in every output. FusionAuth rejects a blank one.',
  'Messenger.fromPhoneNumber': 'Twilio sender number (E.164, for example +15555550100); needed for Voice, and for SMS when messagingServiceSid is not set.',
  'Messenger.messagingServiceSid': 'Twilio Messaging Service SID (starts with MG), used instead of fromPhoneNumber for SMS.',
  'Messenger.messageTypes': 'Which messages this messenger sends: SMS, Voice or both (FusionAuth 1.65+; defaults to SMS).',
  // message templates
  'MessageTemplate': 'A message template holds the text of an SMS or voice message; the text is FreeMarker (for example ${code}).',
  'MessageTemplate.type': 'SMS or Voice (Voice needs FusionAuth 1.65+).',
  'MessageTemplate.defaultTemplate': 'FreeMarker text sent when no localized text matches the user\'s locale. Tip: {{file "sms/verify.ftl"}}.',
  'MessageTemplate.localizedTemplates': 'FreeMarker text per locale, for example { fr: "Votre code : ${code}" }.',
  // tenant phone configuration
  'TenantPhoneConfiguration': 'How the tenant uses phone numbers: verification, messenger and message templates (FusionAuth 1.59+).',
  'TenantPhoneConfiguration.messengerId': 'Messenger that sends the tenant\'s phone messages: a UUID or the key of a messenger in these files.',
  'TenantPhoneConfiguration.verifyPhoneNumber': 'Verify users\' phone numbers. Needs messengerId and verificationTemplateId.',
  'TenantPhoneConfiguration.verificationStrategy': 'ClickableLink sends a link; FormField sends a code the user types (needs unverified.behavior Gated).',
  'TenantPhoneConfiguration.verificationTemplateId': 'Message template with the verification code or link: a UUID or the key of a message template.',
  'TenantPhoneConfiguration.verificationCompleteTemplateId': 'Message template sent after a phone number was verified: a UUID or a message template key.',
  'TenantPhoneConfiguration.implicitPhoneVerificationAllowed': 'Allow FusionAuth to mark a phone number verified implicitly, without a verification message (default true).',
  'TenantPhoneConfiguration.unverified': 'What happens to users whose phone number is not verified.',
  'TenantPhoneConfiguration.passwordlessTemplateId': 'Message template for passwordless login codes: a UUID or a message template key.',
  'TenantPhoneConfiguration.forgotPasswordTemplateId': 'Message template for forgot-password messages: a UUID or a message template key.',
  'TenantPhoneConfiguration.setPasswordTemplateId': 'Message template for set-password messages: a UUID or a message template key.',
  'TenantPhoneConfiguration.identityUpdateTemplateId': 'Message template sent when a phone identity changes: a UUID or a message template key.',
  'TenantPhoneConfiguration.passwordUpdateTemplateId': 'Message template sent when a password changed: a UUID or a message template key.',
  'TenantPhoneConfiguration.passwordResetSuccessTemplateId': 'Message template sent after a password reset: a UUID or a message template key.',
  'TenantPhoneConfiguration.loginIdInUseOnCreateTemplateId': 'Message template sent when a new account uses a taken phone number: a UUID or a message template key.',
  'TenantPhoneConfiguration.loginIdInUseOnUpdateTemplateId': 'Message template sent when an update uses a taken phone number: a UUID or a message template key.',
  'TenantPhoneConfiguration.loginNewDeviceTemplateId': 'Message template sent on a login from a new device: a UUID or a message template key.',
  'TenantPhoneConfiguration.loginSuspiciousTemplateId': 'Message template sent on a suspicious login: a UUID or a message template key.',
  'TenantPhoneConfiguration.twoFactorMethodAddTemplateId': 'Message template sent when a two-factor method is added: a UUID or a message template key.',
  'TenantPhoneConfiguration.twoFactorMethodRemoveTemplateId': 'Message template sent when a two-factor method is removed: a UUID or a message template key.',
  'TenantPhoneConfiguration.adminTwoFactorMethodRemoveTemplateId': 'Message template sent when an administrator removes a two-factor method (FusionAuth 1.68+): a UUID or a message template key.',
  'PhoneUnverifiedOptions': 'Rules for users whose phone number is not verified yet.',
  'PhoneUnverifiedOptions.behavior': 'Allow lets unverified users log in; Gated holds them at verification until they enter the code (needs a license when verification is on).',
  'PhoneUnverifiedOptions.allowPhoneNumberChangeWhenGated': 'Let a gated user change the phone number while it is unverified (default false).',
  'ExternalIdentifierConfiguration.phoneVerificationIdTimeToLiveInSeconds': 'How long a phone verification code or link stays valid, in seconds (FusionAuth 1.59+). Must be positive.',
  'ExternalIdentifierConfiguration.phoneVerificationIdGenerator': 'Shape of the phone verification id used in links: { length, type }.',
  'ExternalIdentifierConfiguration.phoneVerificationOneTimeCodeGenerator': 'Shape of the code the user types with FormField: { length, type }, for example 6 randomDigits.',
  // themes
  'Theme': 'A theme of the hosted login pages: advanced (FreeMarker templates, stylesheet, messages) or simple (CSS variables, FusionAuth 1.51+).',
  'Theme.sourceThemeId': 'Create this theme as a copy of another (a UUID, or the key of a theme in these files; the default theme is 75a068fd-e94b-451a-9aeb-3ddb9a3b5987), then apply the fields written here. Used on create only.',
  'Theme.templates': 'FreeMarker templates by page name; only the templates written here are compared and sent. Tip: {{file "theme/oauth2-authorize.ftl"}}. FusionAuth trims each template.',
  // application
  'Application.tenantId': 'Tenant the application belongs to: a UUID or the key of a tenant in these files. Fixed once created; omitted means the Default tenant.',
  'RegistrationConfiguration.enabled': 'Allow users to register themselves for this application.',
  'RegistrationConfiguration.type': 'basic uses FusionAuth\'s built-in form; advanced uses a custom form (needs a license).',
  'RegistrationConfiguration.loginIdType': 'What users register with: email, phoneNumber or username.',
  'OAuth2Configuration.enabledGrants': 'OAuth grants this application allows, by their wire names (device code is urn:ietf:params:oauth:grant-type:device_code).',
  'OAuth2Configuration.authorizedRedirectURLs': 'Absolute URLs FusionAuth may redirect to after login; order is kept.',
  'OAuth2Configuration.clientAuthenticationPolicy': 'Whether the token endpoint requires the client secret.',
  'OAuth2Configuration.proofKeyForCodeExchangePolicy': 'Whether the authorization code grant requires PKCE.',
  // API keys
  'APIKey': 'An API key. FusionAuth cannot list API keys: kickstand finds each by its pinned id or the id derived from its key, never by name; pin the id of a key made elsewhere to manage it.',
  'APIKey.key': 'The API key\'s value (FusionAuth\'s `key`). Secret: masked in every output. Set only when the key is created; left out, FusionAuth generates one.',
  'APIKey.permissions': 'Endpoint permissions (endpoint → HTTP methods). Written, they are stated in full: an endpoint the file leaves out loses its permission, and endpoints: {} makes a super key (every endpoint). Not written, the server\'s are left alone.',
  'APIKey.retrievable': 'Whether FusionAuth shows the value again after creating the key (default true; fixed once created). false needs a name.',
  'APIKey.tenantId': 'Lock the key to a tenant: a UUID or the key of a tenant in these files. Fixed once created.',
};

/** Descriptions of the top-level overlay (not definitions). */
const TOP_DESCRIPTIONS = {
  file: 'A kickstand file: FusionAuth messengers, message templates, tenants and applications declared with FusionAuth\'s own field names.',
  schema: 'Optional pointer to this schema (for JSON editors); ignored by kickstand.',
  variables: 'Variables for Handlebars expressions in string values, with their defaults. Overridden by --var-file and --var.',
  settings: 'Settings for kickstand itself.',
  idNamespace: 'UUID namespace used to derive ids from keys (UUID v5). Changing it changes every derived id.',
  id: 'Pin the FusionAuth id of this object (a UUID). Without it kickstand derives one from the key.',
} as const;

/**
 * A repair of the spec, applied to a copy of `components.schemas` before conversion. `trap` says what is wrong in the
 * spec and where the truth comes from; both generated files list the applied fixes.
 */
export interface SpecFix {
  /** `Definition.field` (or `Definition`) the fix touches. */
  target: string;
  trap: string;
  apply(schemas: Record<string, SchemaObject>): void;
}

const uuidProp = (): SchemaObject => ({ type: 'string', format: 'uuid' });

function props(schemas: Record<string, SchemaObject>, name: string): Record<string, SchemaObject> {
  const s = schemas[name];
  if (!s || typeof s.properties !== 'object' || s.properties === null) throw new Error(`OpenAPI: component schema ${name} has no properties`);
  return s.properties as Record<string, SchemaObject>;
}

/** Adds a property only when the spec lacks it (a newer spec may have it, possibly typed better). */
function addIfMissing(schemas: Record<string, SchemaObject>, name: string, field: string, schema: SchemaObject): void {
  const p = props(schemas, name);
  if (!(field in p)) p[field] = schema;
}

function setItems(schemas: Record<string, SchemaObject>, name: string, field: string, items: SchemaObject): void {
  const p = props(schemas, name)[field];
  if (!p || p.type !== 'array') throw new Error(`OpenAPI: ${name}.${field} is not an array`);
  p.items = items;
}

const MESSENGER_VARIANTS = ['BaseMessengerConfiguration', 'TwilioMessengerConfiguration', 'GenericMessengerConfiguration', 'KafkaMessengerConfiguration'];

/** The spec's known errors (reference §11.1) and modelling gaps, repaired. Shared with scripts/trim-openapi.ts. */
export const SPEC_FIXES: SpecFix[] = [
  {
    target: 'UserRegistration.roles',
    trap: 'items are untyped ({}); they are role names (strings): [SITE:docs/apis/registrations/_user-registration-request-body.mdx] registration.roles "Array<String>", "the role\'s Name not the role\'s Id"',
    apply: (s) => setItems(s, 'UserRegistration', 'roles', { type: 'string' }),
  },
  {
    target: 'OAuth2Configuration.enabledGrants',
    trap: 'items are untyped ({}) and the GrantType enum says device_code; FusionAuth takes the wire names (urn:ietf:params:oauth:grant-type:device_code) — reference §11.1, GRANTS in src/kinds/application.ts',
    apply: (s) => setItems(s, 'OAuth2Configuration', 'enabledGrants', { type: 'string', enum: [...GRANTS] }),
  },
  {
    target: '*MessengerConfiguration.messageTypes',
    trap: 'items are untyped ({}); the values are MessageType names SMS and Voice — reference §11.1',
    apply: (s) => { for (const n of MESSENGER_VARIANTS) if (s[n]) setItems(s, n, 'messageTypes', { $ref: '#/components/schemas/MessageType' }); },
  },
  {
    target: 'TenantRegistrationConfiguration.blockedDomains',
    trap: 'items are untyped ({}); they are domain names (strings) — reference §11.1',
    apply: (s) => setItems(s, 'TenantRegistrationConfiguration', 'blockedDomains', { type: 'string' }),
  },
  {
    target: 'ConnectorPolicy.domains',
    trap: 'items are untyped ({}); they are domain names (strings) — reference §11.4 (connectorPolicies[].domains is a set of domains)',
    apply: (s) => setItems(s, 'ConnectorPolicy', 'domains', { type: 'string' }),
  },
  {
    target: 'JWTConfiguration.accessTokenVerificationKeyIds',
    trap: 'absent from the 1.69 spec although the server and docs have it (key ids accepted when verifying access tokens) — reference §11.1',
    apply: (s) => addIfMissing(s, 'JWTConfiguration', 'accessTokenVerificationKeyIds', { type: 'array', items: uuidProp() }),
  },
  {
    target: 'JWTConfiguration.idTokenVerificationKeyIds',
    trap: 'absent from the 1.69 spec although the server and docs have it (key ids accepted when verifying id tokens) — reference §11.1',
    apply: (s) => addIfMissing(s, 'JWTConfiguration', 'idTokenVerificationKeyIds', { type: 'array', items: uuidProp() }),
  },
  {
    target: 'Tenant.baseURL',
    trap: 'documented since FusionAuth 1.68 (reference §4.4); added only if a spec lacks it',
    apply: (s) => addIfMissing(s, 'Tenant', 'baseURL', { type: 'string' }),
  },
  {
    target: 'Application.baseURL',
    trap: 'documented since FusionAuth 1.68 (reference §5.5); added only if a spec lacks it',
    apply: (s) => addIfMissing(s, 'Application', 'baseURL', { type: 'string' }),
  },
  {
    target: 'TenantPhoneConfiguration.adminTwoFactorMethodRemoveTemplateId',
    trap: 'documented since FusionAuth 1.68 (reference §4.4); added only if a spec lacks it',
    apply: (s) => addIfMissing(s, 'TenantPhoneConfiguration', 'adminTwoFactorMethodRemoveTemplateId', uuidProp()),
  },
  {
    target: 'GenericMessengerConfiguration.sslCertificateId',
    trap: 'the spec has only sslCertificate (PEM text); the docs describe sslCertificateId (id of a Key) — reference §11.1. Both are allowed',
    apply: (s) => addIfMissing(s, 'GenericMessengerConfiguration', 'sslCertificateId', uuidProp()),
  },
  {
    target: 'LocalizedStrings',
    trap: 'modelled as an object with no properties; it is a map of locale to text (Java Map<Locale, String>)',
    apply: (s) => { s.LocalizedStrings = { type: 'object', additionalProperties: { type: 'string' } }; },
  },
  {
    target: 'APIKeyPermissions.endpoints',
    trap: 'the methods of each endpoint are untyped items ({}); they are HTTP methods (APIKey.APIKeyPermissions.endpoints is Map<String, Set<String>> in fusionauth-java-client; the methods of [SITE:docs/apis/authentication.mdx] "API Key Permissions")',
    apply: (s) => {
      const p = props(s, 'APIKeyPermissions').endpoints;
      if (!p || p.type !== 'object') throw new Error('OpenAPI: APIKeyPermissions.endpoints is not an object');
      p.additionalProperties = { type: 'array', uniqueItems: true, items: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] } };
    },
  },
  {
    target: 'HTTPHeaders',
    trap: 'modelled as an object with no properties; it is a map of header name to value (Java Map<String, String>)',
    apply: (s) => { s.HTTPHeaders = { type: 'object', additionalProperties: { type: 'string' } }; },
  },
];

/** Apply SPEC_FIXES to a deep copy of the component schemas. */
export function fixedSchemas(spec: unknown, fixes: SpecFix[] = SPEC_FIXES): Record<string, SchemaObject> {
  const schemas = componentSchemas(spec);
  const copy = structuredClone(schemas);
  for (const f of fixes) f.apply(copy);
  return copy;
}

/** `components.schemas` of a parsed OpenAPI document. */
export function componentSchemas(spec: unknown): Record<string, SchemaObject> {
  const comps = (spec as { components?: { schemas?: unknown } } | null)?.components?.schemas;
  if (!comps || typeof comps !== 'object') throw new Error('OpenAPI: no components.schemas');
  return comps as Record<string, SchemaObject>;
}

/** The component name a `#/components/schemas/X` reference points to. */
export function refName(ref: unknown): string {
  if (typeof ref !== 'string' || !ref.startsWith('#/components/schemas/')) throw new Error(`OpenAPI: unsupported $ref ${String(ref)}`);
  return ref.slice('#/components/schemas/'.length);
}

const isObj = (v: unknown): v is SchemaObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasProps = (s: SchemaObject): boolean => isObj(s.properties) && Object.keys(s.properties).length > 0;
const defRef = (name: string): SchemaObject => ({ $ref: `#/definitions/${name}` });

/** What the overlay does to one field of one definition. */
type FieldMod = { drop: true } | { ref: KindDef['name'] } | { refItems: KindDef['name'] };

/** The parts of the generator state conversion needs. */
interface Ctx {
  schemas: Record<string, SchemaObject>;
  /** Definition name → field → modification. */
  mods: Map<string, Map<string, FieldMod>>;
  /** Output definitions. */
  defs: Record<string, SchemaObject>;
  /** Definitions still to convert. */
  queue: string[];
  /** Definition names already converted or queued. */
  seen: Set<string>;
}

const anyOfTemplate = (schema: SchemaObject): SchemaObject => ({ anyOf: [schema, defRef(DEF.template)] });

/** Convert one OpenAPI property schema to ours. `where` names it in error messages. */
function convertProp(ctx: Ctx, p: SchemaObject, where: string): SchemaObject {
  if (p.$ref !== undefined) {
    const name = refName(p.$ref);
    const target = ctx.schemas[name];
    if (!target) throw new Error(`OpenAPI: ${where} refers to missing schema ${name}`);
    if (hasProps(target)) {
      if (!ctx.seen.has(name)) { ctx.seen.add(name); ctx.queue.push(name); }
      return defRef(name);
    }
    if (target.type === 'object' && target.additionalProperties === undefined) {
      throw new Error(`OpenAPI: ${where} → ${name} is an object without properties; add a SPEC_FIXES entry saying what it is`);
    }
    // Scalar aliases (enums, ZonedDateTime) and maps (LocalizedStrings) are inlined: editors show them in place.
    return convertProp(ctx, target, `${where} → ${name}`);
  }
  if (Array.isArray(p.enum)) {
    return anyOfTemplate({ type: 'string', enum: p.enum });
  }
  switch (p.type) {
    case 'string':
      // Only UUIDs keep a format: the spec's `URI` format is not a JSON Schema format, and FusionAuth accepts
      // custom schemes and wildcards in URLs (checked in code, src/kinds/application.ts).
      if (typeof p.format === 'string' && p.format.toLowerCase() === 'uuid') return anyOfTemplate(defRef(DEF.uuid));
      return { type: 'string' };
    case 'integer':
      // ZonedDateTime (epoch milliseconds, `format: int64`) is `type: integer` in the spec and lands here too.
      return anyOfTemplate(integerSchema(p, where));
    case 'number':
    case 'boolean':
      return anyOfTemplate({ type: p.type });
    case 'array': {
      if (!isObj(p.items) || Object.keys(p.items).length === 0) {
        throw new Error(`OpenAPI: ${where} has untyped items; add a SPEC_FIXES entry`);
      }
      const out: SchemaObject = { type: 'array', items: convertProp(ctx, p.items, `${where}[]`) };
      if (p.uniqueItems === true) out.uniqueItems = true;
      return out;
    }
    case 'object': {
      if (hasProps(p)) throw new Error(`OpenAPI: ${where} is an inline object with properties; not supported`);
      const ap = p.additionalProperties;
      // Java Map<String, Object> comes out of the spec generator as `additionalProperties: {type: object}`, yet the
      // values of `data` and similar maps are any JSON (strings, numbers, arrays). Accept any value.
      if (ap === undefined || ap === true || (isObj(ap) && ap.type === 'object' && !hasProps(ap) && ap.additionalProperties === undefined)) {
        return { type: 'object' };
      }
      if (!isObj(ap)) throw new Error(`OpenAPI: ${where} has unsupported additionalProperties`);
      return { type: 'object', additionalProperties: convertProp(ctx, ap, `${where}{}`) };
    }
    default:
      throw new Error(`OpenAPI: ${where} has unsupported type ${String(p.type)}`);
  }
}

/** The range of a Java `int`: what FusionAuth binds an OpenAPI `type: integer` without a format to. */
export const INT32_RANGE = { minimum: -2147483648, maximum: 2147483647 } as const;
/**
 * The range kickstand allows for a Java `long` (`format: int64`): ±(2^53−1), the integers a JavaScript number (and so
 * every JSON value kickstand reads, compares and sends) represents exactly; a larger value would be rounded.
 */
export const INT64_SAFE_RANGE = { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } as const;

/**
 * An integer with its Java range. Why: FusionAuth's JSON binding rejects a value outside the Java type's range (or a
 * double such as 1e23), so the plan would fail half-applied. The spec marks longs with `format: int64` and leaves an
 * `int` without a format (checked on the 1.69 file: the int64 fields an entry reaches are the ZonedDateTime instants
 * and failedAuthenticationConfiguration.actionDuration, Java longs; the TTLs, timeouts, lengths and counts carry no
 * format). A bound the spec itself sets is kept when it is tighter.
 */
function integerSchema(p: SchemaObject, where: string): SchemaObject {
  if (p.format !== undefined && p.format !== 'int32' && p.format !== 'int64') throw new Error(`OpenAPI: ${where} has unsupported integer format ${String(p.format)}`);
  const range = p.format === 'int64' ? INT64_SAFE_RANGE : INT32_RANGE;
  const minimum = typeof p.minimum === 'number' ? Math.max(p.minimum, range.minimum) : range.minimum;
  const maximum = typeof p.maximum === 'number' ? Math.min(p.maximum, range.maximum) : range.maximum;
  return { type: 'integer', minimum, maximum };
}

/** A reference field: a UUID, the key of a declared resource, or one Handlebars expression. */
function refSchema(kind: KindDef['name']): SchemaObject {
  const title = KINDS.find((k) => k.name === kind)?.title ?? kind;
  return {
    description: `A UUID or the key of a ${title} declared in these files.`,
    anyOf: [defRef(DEF.uuid), defRef(DEF.key), defRef(DEF.template)],
  };
}

function describe(schema: SchemaObject, key: string, used: Set<string>): SchemaObject {
  const d = DESCRIPTIONS[key];
  if (d === undefined) return schema;
  used.add(key);
  // Beside a $ref the description is an annotation only (draft-07 readers may ignore it; ajv and the YAML language
  // server show it), so the definitions that matter carry their own description as well.
  return { ...schema, description: d };
}

/**
 * A field that may also be `null`: an explicit null unsets the field (the planner sends it in the merge patch, which
 * removes it, RFC 7396; on create it is left out). The null alternative is an `anyOf` branch of its own, so that
 * messages about the field's real type can leave it out (src/config/schema.ts).
 */
export function nullable(schema: SchemaObject): SchemaObject {
  const { description, ...rest } = schema;
  const anyOf = Array.isArray(rest.anyOf) && Object.keys(rest).length === 1 ? [...(rest.anyOf as SchemaObject[]), NULL_BRANCH] : [rest, NULL_BRANCH];
  return { ...(description !== undefined ? { description } : {}), anyOf };
}

/** The `null` alternative of an optional field (see `nullable`). */
export const NULL_BRANCH: SchemaObject = { type: 'null' };

/**
 * Convert the properties of a definition, applying the overlay's drops and references. Every field not in `required`
 * also accepts `null` (see `nullable`).
 */
function convertProperties(ctx: Ctx, defName: string, properties: Record<string, SchemaObject>, used: Set<string>, required: ReadonlySet<string>): SchemaObject {
  const mods = ctx.mods.get(defName);
  const out: SchemaObject = {};
  for (const [field, p] of Object.entries(properties)) {
    const mod = mods?.get(field);
    if (mod && 'drop' in mod) continue;
    const converted = mod && 'ref' in mod ? refSchema(mod.ref)
      : mod && 'refItems' in mod ? { type: 'array', items: refSchema(mod.refItems) }
        : convertProp(ctx, p, `${defName}.${field}`);
    out[field] = describe(required.has(field) ? converted : nullable(converted), `${defName}.${field}`, used);
  }
  return out;
}

/**
 * The fields of a non-entry definition that may not be null: those the spec marks required, and for a child kind's
 * definition (an application role) its key field and its required fields — null there would not unset a field but
 * leave the child without its identity.
 */
function requiredFields(schemas: Record<string, SchemaObject>, name: string): Set<string> {
  const out = new Set<string>(Array.isArray(schemas[name]?.required) ? (schemas[name]!.required as string[]) : []);
  for (const k of KINDS) {
    if (!k.parent || k.openapi.schema !== name) continue;
    out.add(k.parent.keyField);
    for (const f of k.openapi.required ?? []) out.add(f);
  }
  return out;
}

/** Walk a dotted overlay path from a definition; returns the definition holding the last segment, or undefined. */
function resolvePath(schemas: Record<string, SchemaObject>, rootProps: Record<string, SchemaObject>, rootName: string, path: string): { def: string; field: string } | undefined {
  const segs = path.split('.');
  let defName = rootName;
  let cur = rootProps;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as string;
    const p = cur[seg];
    if (!p) return undefined;
    if (i === segs.length - 1) return { def: defName, field: seg };
    // Arrays are crossed transparently: a path into `roles` means each role.
    const target = p.type === 'array' && isObj(p.items) ? p.items : p;
    if (target.$ref === undefined) return undefined;
    defName = refName(target.$ref);
    const next = schemas[defName];
    if (!next || !hasProps(next)) return undefined;
    cur = next.properties as Record<string, SchemaObject>;
  }
  return undefined;
}

/** Every property path (dotted, arrays crossed) from a root's properties to each definition it reaches. */
function reachPaths(schemas: Record<string, SchemaObject>, rootProps: Record<string, SchemaObject>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (properties: Record<string, SchemaObject>, prefix: string, stack: string[]): void => {
    for (const [field, p] of Object.entries(properties)) {
      const target = p.type === 'array' && isObj(p.items) ? p.items : p;
      if (target.$ref === undefined) continue;
      const name = refName(target.$ref);
      const s = schemas[name];
      if (!s || !hasProps(s) || stack.includes(name)) continue;
      const path = prefix + field;
      out.set(name, [...(out.get(name) ?? []), path]);
      walk(s.properties as Record<string, SchemaObject>, `${path}.`, [...stack, name]);
    }
  };
  walk(rootProps, '', []);
  return out;
}

/** The union of a kind's variants' properties (one schema for kinds without a discriminator). */
function kindProperties(schemas: Record<string, SchemaObject>, kind: KindDef): Record<string, SchemaObject> {
  const names = kind.openapi.discriminator ? Object.values(kind.openapi.discriminator.map) : [kind.openapi.schema];
  const merged: Record<string, SchemaObject> = {};
  for (const n of names) {
    for (const [field, p] of Object.entries(props(schemas, n))) {
      const prev = merged[field];
      if (prev && JSON.stringify(prev) !== JSON.stringify(p)) {
        throw new Error(`OpenAPI: ${kind.name} variants disagree on ${field}; the union needs a decision`);
      }
      merged[field] = p;
    }
  }
  // A write-only field that is not a field of the object but a sibling of it in the create request (a theme's
  // `sourceThemeId` beside `theme` in ThemeRequest): an entry writes it with the object's fields.
  const request = kind.openapi.entry ? schemas[`${kind.openapi.entry}Request`] : undefined;
  for (const field of [...kind.writeOnlyFields, ...(kind.createOnlyFields ?? [])]) {
    const p = isObj(request?.properties) ? (request.properties as Record<string, SchemaObject>)[field] : undefined;
    if (merged[field] === undefined && p !== undefined && field !== kind.wire.singular) merged[field] = p;
  }
  return { ...merged, ...extraProperties(kind) };
}

/** A kind's fields of the file that FusionAuth has not (`openapi.extra`), as OpenAPI properties. */
function extraProperties(kind: KindDef): Record<string, SchemaObject> {
  const out: Record<string, SchemaObject> = {};
  for (const [field, { type, description }] of Object.entries(kind.openapi.extra ?? {})) out[field] = { type, description };
  return out;
}

/** The overlay paths a kind drops: its server fields, its child kinds' server fields, and the always-dropped ones. */
function droppedPaths(kind: KindDef): string[] {
  const out = new Set<string>([...ALWAYS_DROPPED, ...kind.serverFields]);
  for (const c of KINDS.filter((k) => k.parent?.kind === kind.name)) for (const f of c.serverFields) out.add(`${c.parent!.field}.${f}`);
  return [...out];
}

/** The name of a section kind's entry definition. */
const entryDef = (kind: KindDef): string => {
  if (!kind.openapi.entry) throw new Error(`${kind.name} has a section but no openapi.entry`);
  return kind.openapi.entry;
};

/**
 * Generate the kickstand file's JSON Schema from a parsed FusionAuth OpenAPI document.
 * Deterministic: the same spec and kinds give the same object (see `renderJson` for the text form).
 */
export function generateSchema(spec: unknown): SchemaObject {
  const schemas = fixedSchemas(spec);
  const ctx: Ctx = { schemas, mods: new Map(), defs: {}, queue: [], seen: new Set() };
  const used = new Set<string>();

  // 1. Collect the overlay's modifications per definition and check that shared definitions agree.
  const roots = SECTION_KINDS.map((kind) => ({ kind, name: entryDef(kind), props: kindProperties(schemas, kind) }));
  const modPaths = new Map<string, Map<string, FieldMod>>(); // root name → path → mod
  for (const { kind, name, props: rp } of roots) {
    const m = new Map<string, FieldMod>();
    for (const path of droppedPaths(kind)) m.set(path, { drop: true });
    // The references of the kind's children, written inside its entries (`registrations.applicationId`).
    const childRefs = KINDS.filter((c) => c.parent?.kind === kind.name).flatMap((c) => c.refs.map((r) => ({ ...r, path: `${c.parent!.field}.${r.path}` })));
    for (const r of [...kind.refs, ...childRefs]) {
      // A `*` inside a path crosses a list (as every path here does); a final `*` makes each item of the list a reference.
      const segs = r.path.split('.');
      const path = segs.filter((s) => s !== '*').join('.');
      m.set(path, segs[segs.length - 1] === '*' ? { refItems: r.kind } : { ref: r.kind });
    }
    modPaths.set(name, m);
    for (const [path, mod] of m) {
      const at = resolvePath(schemas, rp, name, path);
      if (!at) {
        if (!('drop' in mod)) throw new Error(`OpenAPI: reference field ${kind.name}.${path} does not exist in ${kind.openapi.schema}`);
        continue; // a server field this spec version does not have: nothing to drop
      }
      const defMods = ctx.mods.get(at.def) ?? new Map<string, FieldMod>();
      defMods.set(at.field, mod);
      ctx.mods.set(at.def, defMods);
    }
  }
  // A definition reached from several places gets one shape: every place must ask for the same modifications.
  for (const { name, props: rp } of roots) {
    const mine = modPaths.get(name) as Map<string, FieldMod>;
    for (const [def, paths] of reachPaths(schemas, rp)) {
      const defMods = ctx.mods.get(def);
      if (!defMods) continue;
      for (const path of paths) {
        for (const [field, mod] of defMods) {
          const want = mine.get(`${path}.${field}`);
          if (JSON.stringify(want) !== JSON.stringify(mod)) {
            throw new Error(`overlay conflict: ${def}.${field} is ${JSON.stringify(mod)} from one place but ${JSON.stringify(want)} at ${name}.${path}.${field}; specialise the definition`);
          }
        }
      }
    }
  }

  // 2. Entry definitions.
  const entryNames = new Set(SECTION_KINDS.map(entryDef));
  for (const { kind, name, props: rp } of roots) {
    const required = kind.openapi.required ?? [];
    const properties = convertProperties(ctx, name, rp, used, new Set(required));
    // A field the file spells differently (an API key's `key` is `keyValue`: `key` is the entry's slug).
    for (const [fileName, wireName] of Object.entries(kind.renamed ?? {})) {
      if (properties[wireName] === undefined) throw new Error(`${kind.name}: renamed field ${wireName} does not exist in ${kind.openapi.schema}`);
      properties[fileName] = properties[wireName];
      delete properties[wireName];
    }
    // A singleton's section is its one object: no key, no id.
    if (!kind.wire.singleton) {
      properties.key = defRef(DEF.key);
      properties.id = { description: TOP_DESCRIPTIONS.id, anyOf: [defRef(DEF.uuid), defRef(DEF.template)] };
    }
    const entryRequired = kind.wire.singleton ? required : ['key', ...required];
    const entry: SchemaObject = { type: 'object', properties, additionalProperties: false, ...(entryRequired.length > 0 ? { required: entryRequired } : {}) };
    const disc = kind.openapi.discriminator;
    if (disc) {
      const values = Object.keys(disc.map);
      properties[disc.field] = describe(anyOfTemplate({ type: 'string', enum: values }), `${name}.${disc.field}`, used);
      entry.allOf = values.map((v) => ({
        if: { properties: { [disc.field]: { const: v } }, required: [disc.field] },
        // ajv's strictRequired wants required names declared in the same schema object.
        then: { properties: Object.fromEntries(required.map((f) => [f, true])), required },
      }));
    }
    if (DESCRIPTIONS[name] !== undefined) { entry.description = DESCRIPTIONS[name]; used.add(name); }
    ctx.defs[name] = entry;
  }

  // 3. Every definition the entries reach.
  while (ctx.queue.length > 0) {
    const name = ctx.queue.shift() as string;
    if (entryNames.has(name) || (Object.values(DEF) as string[]).includes(name)) {
      throw new Error(`definition name clash: the spec's ${name} is reached from an entry; rename ours`);
    }
    const s = schemas[name] as SchemaObject;
    // A child kind's fields of the file that FusionAuth has not (`openapi.extra`) belong to its definition.
    const extra = Object.assign({}, ...KINDS.filter((k) => k.parent && k.openapi.schema === name).map(extraProperties)) as Record<string, SchemaObject>;
    // Only objects with properties are queued (see convertProp).
    const properties = convertProperties(ctx, name, { ...(s.properties as Record<string, SchemaObject>), ...extra }, used, requiredFields(schemas, name));
    // A child kind's key field identifies it within its parent (a role's name, a registration's application): required.
    const keyFields = KINDS.filter((k) => k.parent && k.openapi.schema === name).map((k) => k.parent!.keyField);
    const out: SchemaObject = { type: 'object', properties, additionalProperties: false, ...(keyFields.length > 0 ? { required: keyFields } : {}) };
    if (DESCRIPTIONS[name] !== undefined) { out.description = DESCRIPTIONS[name]; used.add(name); }
    ctx.defs[name] = out;
  }

  // 4. Our own helper definitions.
  ctx.defs[DEF.key] = { description: DESCRIPTIONS[DEF.key], type: 'string', pattern: KEY_PATTERN };
  ctx.defs[DEF.uuid] = { description: DESCRIPTIONS[DEF.uuid], type: 'string', format: 'uuid' };
  ctx.defs[DEF.template] = { description: DESCRIPTIONS[DEF.template], type: 'string', pattern: TEMPLATE_PATTERN };
  // null: `name:` with nothing after it declares a variable without a default (src/config/variables.ts).
  ctx.defs[DEF.scalar] = { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }] };
  ctx.defs[DEF.variable] = {
    description: DESCRIPTIONS[DEF.variable],
    anyOf: [
      defRef(DEF.scalar),
      {
        type: 'object',
        properties: {
          default: defRef(DEF.scalar),
          sensitive: { type: 'boolean', description: 'Mask the value in every output kickstand prints.' },
          description: { type: 'string' },
        },
        additionalProperties: false,
      },
    ],
  };
  for (const k of [DEF.key, DEF.uuid, DEF.template, DEF.variable]) used.add(k);

  const unused = Object.keys(DESCRIPTIONS).filter((k) => !used.has(k));
  if (unused.length > 0) throw new Error(`DESCRIPTIONS name fields that do not exist: ${unused.join(', ')}`);

  const sections: SchemaObject = {};
  for (const kind of SECTION_KINDS) {
    sections[kind.section!] = kind.wire.singleton
      ? { description: kind.openapi.description, ...defRef(entryDef(kind)) }
      : { description: kind.openapi.description, type: 'array', items: defRef(entryDef(kind)) };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'kickstand file',
    description: TOP_DESCRIPTIONS.file,
    type: 'object',
    properties: {
      $schema: { description: TOP_DESCRIPTIONS.schema, type: 'string' },
      variables: {
        description: TOP_DESCRIPTIONS.variables,
        type: 'object',
        additionalProperties: defRef(DEF.variable),
        // Same rule as VARIABLE_NAME in src/config/variables.ts (a test keeps them equal).
        propertyNames: { pattern: VARIABLE_NAME_PATTERN },
      },
      settings: {
        description: TOP_DESCRIPTIONS.settings,
        type: 'object',
        properties: { idNamespace: { ...defRef(DEF.uuid) } },
        additionalProperties: false,
      },
      ...sections,
    },
    additionalProperties: false,
    definitions: ctx.defs,
    // draft-07's $comment (a string) rather than an x- keyword: ajv's strict mode rejects unknown keywords.
    $comment: `Generated by scripts/gen-schema.ts from FusionAuth's OpenAPI file; do not edit. Repairs of the spec: ${SPEC_FIXES.map((f) => `${f.target}: ${f.trap}`).join(' | ')}`,
  };
}

/** JSON Schema keywords in the order we print them; anything else follows alphabetically. */
const KEYWORD_ORDER = [
  '$schema', '$id', '$comment', '$ref', 'title', 'description', 'type', 'format', 'minimum', 'maximum', 'pattern', 'const',
  'enum', 'properties', 'additionalProperties', 'propertyNames', 'required', 'items', 'uniqueItems', 'anyOf', 'oneOf', 'allOf',
  'if', 'then', 'else', 'definitions',
];
/** Keywords whose value is a map of names to schemas (printed sorted by name). */
const NAME_MAPS = new Set(['properties', 'definitions', 'patternProperties']);

function keywordRank(k: string): number {
  const i = KEYWORD_ORDER.indexOf(k);
  return i === -1 ? KEYWORD_ORDER.length : i;
}

/** Return a copy with a stable key order: schema keywords in KEYWORD_ORDER, name maps sorted alphabetically. */
export function sortSchema(value: unknown, isNameMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => sortSchema(v));
  if (!isObj(value)) return value;
  const keys = Object.keys(value);
  keys.sort(isNameMap ? (a, b) => (a < b ? -1 : a > b ? 1 : 0) : (a, b) => keywordRank(a) - keywordRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: SchemaObject = {};
  for (const k of keys) {
    const v = value[k];
    out[k] = isNameMap ? sortSchema(v) : sortSchema(v, NAME_MAPS.has(k));
  }
  return out;
}

/** 2-space JSON with a trailing newline, keys in stable order. */
export function renderJson(schema: unknown): string {
  return `${JSON.stringify(sortSchema(schema), null, 2)}\n`;
}

/** FusionAuth's OpenAPI file in the shared reference beside the repository (present in CI and for the team). */
export const SHARED_OPENAPI = '../shared/reference/fusionauth-openapi.yaml';
/** The committed prose-free snapshot of its component schemas (scripts/snapshot-reference.ts), for any other clone. */
export const SNAPSHOT_OPENAPI = 'test/data/openapi-components.json';

/**
 * Resolve the OpenAPI file: first CLI argument, else KICKSTAND_OPENAPI, else the shared file beside the repo when it
 * is there, else the committed snapshot (which yields the same output: the generators read no prose).
 */
export function openapiPath(args: string[] = [], env: Record<string, string | undefined> = process.env): string {
  const arg = args.find((a) => !a.startsWith('--'));
  const explicit = arg ?? env.KICKSTAND_OPENAPI;
  if (explicit) return resolve(REPO_ROOT, explicit);
  const shared = resolve(REPO_ROOT, SHARED_OPENAPI);
  return existsSync(shared) ? shared : resolve(REPO_ROOT, SNAPSHOT_OPENAPI);
}

/** Read and parse the OpenAPI file, with a clear message when it is missing. */
export function loadOpenapi(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read FusionAuth's OpenAPI file at ${path} (${(e as Error).message}); pass its path as an argument or set KICKSTAND_OPENAPI`);
  }
  return parse(text);
}

/** The text of schema/kickstand.schema.json for the OpenAPI file at `path`. */
export function generateSchemaText(path: string): string {
  return renderJson(generateSchema(loadOpenapi(path)));
}

/**
 * What both generator scripts do with their output: write it, or with `--check` compare it with the committed file
 * and exit 1 when that is stale. Returns the exit code.
 */
export function writeOrCheck(argv: string[], target: string, text: string, script: string): number {
  if (argv.includes('--check')) {
    let current = '';
    try { current = readFileSync(target, 'utf8'); } catch { /* missing counts as stale */ }
    if (current !== text) {
      console.error(`${target} is stale; run npm run ${script}`);
      return 1;
    }
    return 0;
  }
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
  return 0;
}

function main(argv: string[]): number {
  return writeOrCheck(argv, SCHEMA_PATH, generateSchemaText(openapiPath(argv)), 'schema:gen');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
