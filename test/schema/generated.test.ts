/**
 * The committed generated files are exactly what the scripts produce from FusionAuth's OpenAPI file, and the
 * generator keeps its promises (no spec prose, server fields dropped, spec errors repaired, stable output).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DESCRIPTIONS, SCHEMA_PATH, VARIABLE_NAME_PATTERN, componentSchemas, generateSchema, loadOpenapi, openapiPath,
  renderJson, type SchemaObject,
} from '../../scripts/gen-schema.js';
import { proseHash } from '../../scripts/snapshot-reference.js';
import { TRIMMED_PATH, trimOpenapi } from '../../scripts/trim-openapi.js';
import { VARIABLE_NAME } from '../../src/config/variables.js';

/**
 * FusionAuth's OpenAPI file: the shared one where it sits beside the repository (CI), else the committed prose-free
 * snapshot (test/data/openapi-components.json); either gives the same generated files. Missing is a failure, never a skip.
 */
function spec(): unknown {
  const path = openapiPath([]);
  if (!existsSync(path)) {
    throw new Error(`FusionAuth's OpenAPI file is missing at ${path}: the generated schema cannot be checked (set KICKSTAND_OPENAPI)`);
  }
  return loadOpenapi(path);
}

let cachedSpec: unknown;
const theSpec = (): unknown => (cachedSpec ??= spec());
const defs = (): Record<string, SchemaObject> => generateSchema(theSpec()).definitions as Record<string, SchemaObject>;
const propsOf = (d: SchemaObject): Record<string, SchemaObject> => d.properties as Record<string, SchemaObject>;

/** A field's schema without the `null` alternative of optional fields (gen-schema.ts `nullable`). */
function bare(s: SchemaObject): SchemaObject {
  const branches = s.anyOf as SchemaObject[] | undefined;
  if (!branches) return s;
  const rest = branches.filter((b) => !(b.type === 'null' && Object.keys(b).length === 1));
  return rest.length === 1 ? rest[0]! : { ...s, anyOf: rest };
}

describe('committed files', () => {
  it('schema/kickstand.schema.json is exactly what scripts/gen-schema.ts generates', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(renderJson(generateSchema(theSpec())));
  });

  it('test/contract/openapi-schemas.json is exactly what scripts/trim-openapi.ts generates', () => {
    expect(readFileSync(TRIMMED_PATH, 'utf8')).toBe(renderJson(trimOpenapi(theSpec())));
  });

  it('a missing OpenAPI file is a clear error naming the path and the way out', () => {
    expect(() => loadOpenapi('/nonexistent/fusionauth-openapi.yaml')).toThrow(/\/nonexistent\/fusionauth-openapi\.yaml.*KICKSTAND_OPENAPI/);
  });

  it('the OpenAPI path comes from the argument, then KICKSTAND_OPENAPI, then ../shared beside the repo', () => {
    expect(openapiPath(['/x/a.yaml'], { KICKSTAND_OPENAPI: '/y/b.yaml' })).toBe('/x/a.yaml');
    expect(openapiPath(['--check'], { KICKSTAND_OPENAPI: '/y/b.yaml' })).toBe('/y/b.yaml');
    expect(openapiPath([], {})).toMatch(/([\\/]shared[\\/]reference[\\/]fusionauth-openapi\.yaml|[\\/]test[\\/]data[\\/]openapi-components\.json)$/);
  });
});

describe('generator', () => {
  it('is deterministic: key order does not depend on the order of the input', () => {
    const a = renderJson({ b: 1, type: 'object', properties: { z: { type: 'string' }, a: { type: 'string' } }, $id: 'x' });
    const b = renderJson({ properties: { a: { type: 'string' }, z: { type: 'string' } }, $id: 'x', type: 'object', b: 1 });
    expect(a).toBe(b);
    expect(a.indexOf('"$id"')).toBeLessThan(a.indexOf('"type"'));
    expect(a.indexOf('"a"')).toBeLessThan(a.indexOf('"z"'));
    expect(a.endsWith('}\n')).toBe(true);
  });

  it('copies none of the spec\'s prose', () => {
    // The spec's descriptions, as SHA-256 hashes: computed from the full spec, or stored in the prose-free snapshot.
    const stored = (theSpec() as Record<string, unknown>)['x-kickstand-prose-sha256'];
    const prose = new Set<string>(Array.isArray(stored) ? (stored as string[]) : []);
    const walk = (n: unknown, into: (text: string) => void, names = false): void => {
      if (Array.isArray(n)) n.forEach((x) => walk(x, into));
      else if (n && typeof n === 'object') {
        for (const [k, v] of Object.entries(n)) {
          if (!names && k === 'description' && typeof v === 'string') into(v);
          else walk(v, into, !names && k === 'properties');
        }
      }
    };
    walk(componentSchemas(theSpec()), (t) => prose.add(proseHash(t)), true);
    expect(prose.size).toBeGreaterThan(50);
    const ours: string[] = [];
    for (const path of [SCHEMA_PATH, TRIMMED_PATH]) walk(JSON.parse(readFileSync(path, 'utf8')), (t) => ours.push(t));
    expect(ours.length).toBeGreaterThan(10);
    expect(ours.filter((t) => prose.has(proseHash(t)))).toEqual([]);
  });

  it('drops server-owned fields and keeps the overlay\'s key and id', () => {
    const d = defs();
    const tenant = propsOf(d.Tenant as SchemaObject);
    for (const f of ['configured', 'state', 'insertInstant', 'lastUpdateInstant']) expect(tenant).not.toHaveProperty(f);
    expect(tenant.id).toBeDefined();
    expect(tenant.key).toEqual({ $ref: '#/definitions/EntryKey' });
    const app = propsOf(d.Application as SchemaObject);
    for (const f of ['active', 'state']) expect(app).not.toHaveProperty(f);
    expect(propsOf(d.OAuth2Configuration as SchemaObject)).not.toHaveProperty('clientId');
    expect(propsOf(d.OAuth2Configuration as SchemaObject)).toHaveProperty('clientSecret');
    expect(propsOf(d.ApplicationRole as SchemaObject)).not.toHaveProperty('id');
    expect(propsOf(d.TimeBasedDeletePolicy as SchemaObject)).not.toHaveProperty('enabledInstant');
    expect(propsOf(d.Messenger as SchemaObject)).not.toHaveProperty('transport');
  });

  it('repairs the spec\'s known errors (reference §11.1)', () => {
    const d = defs();
    const grants = propsOf(d.OAuth2Configuration as SchemaObject).enabledGrants as SchemaObject;
    expect(JSON.stringify(grants)).toContain('urn:ietf:params:oauth:grant-type:device_code');
    expect(JSON.stringify(grants)).not.toContain('"device_code"');
    expect(JSON.stringify(propsOf(d.Messenger as SchemaObject).messageTypes)).toContain('["SMS","Voice"]');
    expect(bare(propsOf(d.TenantRegistrationConfiguration as SchemaObject).blockedDomains!)).toMatchObject({ type: 'array', items: { type: 'string' } });
    const jwt = propsOf(d.JWTConfiguration as SchemaObject);
    expect(bare(jwt.accessTokenVerificationKeyIds!)).toMatchObject({ type: 'array' });
    expect(bare(jwt.idTokenVerificationKeyIds!)).toMatchObject({ type: 'array' });
    expect(propsOf(d.Messenger as SchemaObject)).toHaveProperty('sslCertificateId');
    expect(propsOf(d.Messenger as SchemaObject)).toHaveProperty('sslCertificate');
    expect(propsOf(d.Tenant as SchemaObject)).toHaveProperty('baseURL');
    expect(propsOf(d.Application as SchemaObject)).toHaveProperty('baseURL');
    // Maps the spec models as empty objects stay open maps of strings.
    expect(bare(propsOf(d.MessageTemplate as SchemaObject).localizedTemplates!)).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(bare(propsOf(d.Messenger as SchemaObject).headers!)).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    // `data` holds any JSON, not only objects.
    expect(propsOf(d.Tenant as SchemaObject).data).toEqual({ anyOf: [{ type: 'object' }, { type: 'null' }] });
  });

  it('fails loudly on an untyped array the fixes do not cover, instead of emitting a schema that accepts anything', () => {
    const s = structuredClone(theSpec()) as { components: { schemas: Record<string, SchemaObject> } };
    (s.components.schemas.Tenant as { properties: Record<string, unknown> }).properties.newList = { type: 'array', items: {} };
    expect(() => generateSchema(s)).toThrow(/Tenant\.newList has untyped items/);
  });

  it('only describes fields that exist, and describes the phone-gating fields', () => {
    expect(Object.keys(DESCRIPTIONS).length).toBeGreaterThan(40);
    const d = defs();
    expect(propsOf(d.TenantPhoneConfiguration as SchemaObject).verifyPhoneNumber?.description).toBe(DESCRIPTIONS['TenantPhoneConfiguration.verifyPhoneNumber']);
    expect(propsOf(d.PhoneUnverifiedOptions as SchemaObject).behavior?.description).toMatch(/Gated/);
  });

  it('uses the variable-name rule of src/config/variables.ts', () => {
    expect(VARIABLE_NAME_PATTERN).toBe(VARIABLE_NAME.source);
  });
});
