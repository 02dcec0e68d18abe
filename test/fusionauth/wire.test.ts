/**
 * The wire table (src/fusionauth/wire.ts) against FusionAuth's own OpenAPI file (its prose-free snapshot in test/data):
 * every served kind's endpoints exist, its envelope keys are the request and response properties, the name of its id
 * is the path parameter's, and every reference field is a UUID property of the kind's schema. A typo in the table, or
 * a field the spec renames, fails here instead of in a plan against a real server.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WIRE, type WireKind } from '../../src/fusionauth/wire.js';

interface Schema { $ref?: string; type?: string; format?: string; properties?: Record<string, Schema>; items?: Schema; allOf?: Schema[]; additionalProperties?: Schema | boolean }
const spec = JSON.parse(readFileSync(new URL('../data/openapi-components.json', import.meta.url), 'utf8')) as {
  paths: Record<string, string[]>;
  components: { schemas: Record<string, Schema> };
};
const schemas = spec.components.schemas;

const deref = (s: Schema | undefined): Schema | undefined => (s?.$ref ? schemas[s.$ref.split('/').pop()!] : s);

/** A property of a schema, through `allOf`. */
function property(s: Schema | undefined, name: string): Schema | undefined {
  const d = deref(s);
  if (!d) return undefined;
  if (d.properties?.[name]) return d.properties[name];
  for (const part of d.allOf ?? []) {
    const p = property(part, name);
    if (p) return p;
  }
  return undefined;
}

/** The schema at a dotted path (`*` steps into list items or map values). */
function at(s: Schema | undefined, path: string): Schema | undefined {
  let cur = deref(s);
  for (const seg of path.split('.')) {
    if (!cur) return undefined;
    if (seg === '*') cur = deref(cur.items ?? (typeof cur.additionalProperties === 'object' ? cur.additionalProperties : undefined));
    else cur = deref(property(cur, seg));
  }
  return cur;
}

/** The request envelope schema holding `singular` (TenantRequest.tenant). */
function requestSchemaOf(singular: string): Schema | undefined {
  for (const [name, s] of Object.entries(schemas)) if (name.endsWith('Request') && s.properties?.[singular]) return s.properties[singular];
  return undefined;
}

const served = (Object.entries(WIRE) as Array<[WireKind, (typeof WIRE)[WireKind]]>).filter(([, w]) => w.path !== undefined);

/**
 * Kinds whose endpoints differ from a plain collection's, as the OpenAPI file has them: keys are created at
 * `/api/key/generate/{keyId}` and `/api/key/import/{keyId}` and updated with PUT only (reference §7).
 */
const ENDPOINTS: Partial<Record<WireKind, { object: string[]; creates: string[]; objectPath?: string; updatePath?: string }>> = {
  key: { object: ['delete', 'get', 'put'], creates: ['/api/key/generate/{keyId}', '/api/key/import/{keyId}'] },
  // A registration is addressed by its user and its application, not by an id of its own: created and updated at
  // `/api/user/registration/{userId}` (the application in the body), read and deleted with both ids in the path.
  userRegistration: {
    object: ['delete', 'get'], creates: ['/api/user/registration/{userId}'],
    objectPath: '/api/user/registration/{userId}/{applicationId}', updatePath: '/api/user/registration/{userId}',
  },
  // Families: created and completed one member at a time (POST/PUT of the family), a member removed at
  // `/api/user/family/{familyId}/{userId}`; no PATCH and no DELETE of the family itself ([SITE:docs/apis/families.mdx]).
  family: { object: ['get', 'post', 'put'], creates: ['/api/user/family/{familyId}'] },
};

/**
 * Kinds whose requests carry a part of the object instead of the object: a family request writes one member
 * (`FamilyRequest.familyMember`), while its responses hold the family; the references are checked against the object's
 * schema (`Family`).
 */
const REQUEST_ENVELOPES: Partial<Record<WireKind, { request: string; schema: string }>> = {
  family: { request: 'familyMember', schema: 'Family' },
};
const objectSchemaOf = (kind: WireKind, singular: string): Schema | undefined => {
  const other = REQUEST_ENVELOPES[kind];
  return other ? schemas[other.schema] : requestSchemaOf(singular);
};

describe('the wire table against the OpenAPI file', () => {
  it.each(served.filter(([, w]) => !w.singleton))('%s: its object endpoint exists, named by its id field', (kind, w) => {
    const parent = w.parent ? WIRE[w.parent.kind as WireKind] : undefined;
    const base = parent ? `${parent.path!}/{${parent.idField}}${w.path!}` : w.path!;
    const other = ENDPOINTS[kind];
    const objectPath = other?.objectPath ?? `${base}/{${w.idField}}`;
    expect(spec.paths[objectPath], objectPath).toEqual(expect.arrayContaining(other?.object ?? ['delete', 'patch', 'post', 'put']));
    for (const create of other?.creates ?? [base]) expect(spec.paths[create], create).toContain('post');
    if (other?.updatePath) expect(spec.paths[other.updatePath], other.updatePath).toEqual(expect.arrayContaining(['patch', 'put']));
  });

  // A singleton has no id: its one object is written at the path itself. The spec has its PUT and PATCH; its GET is
  // one of the retrieve calls the spec lacks (reference §11.1).
  it.each(served.filter(([, w]) => w.singleton))('%s: the singleton is written at its path', (_kind, w) => {
    expect(spec.paths[w.path!], w.path!).toEqual(expect.arrayContaining(['patch', 'put']));
    expect(Object.keys(spec.paths).filter((p) => p.startsWith(`${w.path!}/`)), 'no per-object endpoints').toEqual([]);
  });

  it.each(served)('%s: its envelope keys are the request and response properties', (kind, w) => {
    const request = REQUEST_ENVELOPES[kind]?.request ?? w.singular;
    expect(requestSchemaOf(request), `a *Request schema with "${request}"`).toBeDefined();
    if (!w.parent) {
      const responses = Object.entries(schemas).filter(([n]) => n.endsWith('Response')).map(([, s]) => s.properties ?? {});
      // A singleton has no list, nor a kind FusionAuth cannot list (API keys: APIKeyResponse holds only `apiKey`).
      if (w.singleton || w.plural === undefined) expect(responses.some((p) => p[w.singular]), `a *Response schema with "${w.singular}"`).toBe(true);
      // Users are listed by the search API: its SearchResponse holds `users`, UserResponse `user`.
      else if (w.plural === 'users') expect(responses.some((p) => p[w.singular]) && responses.some((p) => p[w.plural!] && p.total)).toBe(true);
      else expect(responses.some((p) => p[w.singular] && p[w.plural!]), `a *Response schema with "${w.singular}" and "${w.plural!}"`).toBe(true);
    }
  });

  it.each(served.filter(([, w]) => w.refs.length > 0))('%s: every reference field is a UUID in its schema', (kind, w) => {
    const schema = objectSchemaOf(kind, w.singular);
    // A request option beside the envelope key (ThemeRequest.sourceThemeId beside `theme`) is a field of the request.
    const envelope = Object.entries(schemas).find(([n, s]) => n.endsWith('Request') && s.properties?.[w.singular])?.[1];
    const wrong = w.refs.filter((r) => {
      const s = at(schema, r.path) ?? (r.path.includes('.') ? undefined : deref(envelope?.properties?.[r.path]));
      return !(s?.type === 'string' && s.format === 'uuid');
    });
    expect(wrong.map((r) => r.path)).toEqual([]);
    for (const r of w.refs) expect(Object.keys(WIRE), `${r.path} refers to a kind the table knows`).toContain(r.kind);
  });

  it('the tenant field of a tenant-scoped kind is one of its references to tenants', () => {
    for (const w of Object.values(WIRE)) {
      if (w.tenantField) expect(w.refs).toContainEqual({ path: w.tenantField, kind: 'tenant' });
    }
  });
});
