/**
 * The emulator binds request objects the way FusionAuth's Jackson binding does (src/emulator/shape.ts):
 *
 * - unknown properties are dropped, at the top and nested, for every kind it serves (driven by KIND_SPECS: a new kind
 *   fails here until it has a case), while free-form maps keep every key. Source: leo-technologies-llc/fusion_auth
 *   test/fusion_auth/applications_test.exs (live 1.46.0: applications and roles created with `is_super_role` and
 *   `is_default`, names no domain class has, answer 200);
 * - a value of the wrong JSON type is 400 `[invalidJSON]` keyed by the property path (same file, "update_role/4 returns
 *   a 400 …": `{"role": {"isSuperRole": "bogus"}}`), list indices left out of the path (prime-mvc
 *   JacksonContentHandlerTest `handleBadInArray`), for create, PUT and the three PATCH flavours; conversions Jackson
 *   accepts by default are made;
 * - error bodies carry both `fieldErrors` and `generalErrors` (same live file: every 400 asserted whole).
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpenapi, openapiPath } from '../../scripts/gen-schema.js';
import { SHAPES_PATH, renderShapes } from '../../scripts/gen-emulator-shapes.js';
import type { JsonObject } from '../../src/core/types.js';
import { WIRE, type WireKind } from '../../src/fusionauth/wire.js';
import { KIND_SPECS } from '../../src/emulator/kinds/index.js';
import { hasShape } from '../../src/emulator/shape.js';
import { KIND_SHAPES, OBJECT_SHAPES } from '../../src/emulator/shapes.generated.js';
import { start, type Client, type Res } from './helpers.js';

const DEFAULT_TENANT = 'a0000000-0000-4000-8000-0000000000d0';

/**
 * One case per served kind: how to create (or, for a singleton, PUT) a valid object, and a nested object of the kind's
 * domain class to hide an unknown property in (none where the class has only scalars and maps).
 */
interface Case {
  method: 'POST' | 'PUT';
  path: string;
  body: JsonObject;
  nested?: string;
  tenant?: boolean;
}
const CASES: Partial<Record<WireKind, Case>> = {
  systemConfiguration: { method: 'PUT', path: '/api/system-configuration', body: { reportTimezone: 'America/Denver', corsConfiguration: { enabled: false } }, nested: 'corsConfiguration' },
  lambda: { method: 'POST', path: '/api/lambda', body: { name: 'l', type: 'JWTPopulate', body: 'function populate(jwt, user, registration) {}' } },
  emailTemplate: { method: 'POST', path: '/api/email/template', body: { name: 'e', defaultSubject: 's', defaultHtmlTemplate: '<p>h</p>', defaultTextTemplate: 't' } },
  key: { method: 'POST', path: '/api/key/generate', body: { name: 'k', algorithm: 'HS256' } },
  messenger: { method: 'POST', path: '/api/messenger', body: { type: 'Generic', name: 'g', url: 'https://sms.example.com', connectTimeout: 1000, readTimeout: 1000 } },
  messageTemplate: { method: 'POST', path: '/api/message/template', body: { type: 'SMS', name: 'm', defaultTemplate: 'Code ${code}' } },
  theme: { method: 'POST', path: '/api/theme', body: { name: 'th', defaultMessages: 'login=Login' } },
  tenant: { method: 'POST', path: '/api/tenant', body: { name: 't', phoneConfiguration: { verifyPhoneNumber: false } }, nested: 'phoneConfiguration' },
  application: { method: 'POST', path: '/api/application', body: { name: 'a', oauthConfiguration: { generateRefreshTokens: true } }, nested: 'oauthConfiguration', tenant: true },
  webhook: { method: 'POST', path: '/api/webhook', body: { url: 'https://hooks.example/fa', connectTimeout: 1000, readTimeout: 1000, signatureConfiguration: { enabled: false } }, nested: 'signatureConfiguration' },
  apiKey: { method: 'POST', path: '/api/api-key', body: { metaData: { attributes: { description: 'd' } } }, nested: 'metaData' },
};

let c: Client;
beforeAll(async () => {
  c = await start({ defaultTenantId: DEFAULT_TENANT, licensed: true });
});
afterAll(() => c.e.stop());

/** The object of a reply's envelope. */
const inner = (kind: WireKind, r: Res): JsonObject => r.body[WIRE[kind].singular] as JsonObject;
/** Where a created (or PUT) object is read back. */
const readPath = (kind: WireKind, cs: Case, obj: JsonObject): string => (WIRE[kind].singleton ? cs.path : `${WIRE[kind].path}/${String(obj.id)}`);
/** The root object of a kind's case, by the discriminator where the kind has one. */
function rootOf(kind: WireKind, body: JsonObject): string {
  const k = KIND_SHAPES[kind]!;
  return 'root' in k ? k.root : k.variants[String(body[k.field])]!;
}

describe('the generated table (scripts/gen-emulator-shapes.ts)', () => {
  it('src/emulator/shapes.generated.ts is exactly what the generator makes of the OpenAPI file (npm run emulator:shapes)', () => {
    const path = openapiPath([]);
    if (!existsSync(path)) throw new Error(`FusionAuth's OpenAPI file is missing at ${path}`);
    expect(readFileSync(SHAPES_PATH, 'utf8')).toBe(renderShapes(loadOpenapi(path)));
  });

  it('describes every kind the emulator serves, and this test has a case for each (a new kind fails here)', () => {
    const kinds = KIND_SPECS.map((s) => s.kind);
    expect(kinds.filter((k) => !hasShape(k))).toEqual([]);
    expect(kinds.filter((k) => CASES[k] === undefined)).toEqual([]);
    expect(hasShape('applicationRole')).toBe(true);
  });

  it('keeps the project\'s repairs of the spec: the 1.69 JWT verification key ids (reference §11.1), maps as maps', () => {
    expect(OBJECT_SHAPES.JWTConfiguration).toMatchObject({ accessTokenVerificationKeyIds: { list: 'string' }, idTokenVerificationKeyIds: { list: 'string' } });
    expect(OBJECT_SHAPES.SMSMessageTemplate!.localizedTemplates).toEqual({ map: 'string' });
    expect(OBJECT_SHAPES.Webhook!.headers).toEqual({ map: 'string' });
    expect(OBJECT_SHAPES.Tenant!.data).toBe('any');
  });
});

describe.each(KIND_SPECS.map((s) => [s.kind] as const))('%s: unknown properties (live 1.46: ignored by the JSON binding)', (kind) => {
  it('an unknown top-level and nested property is neither stored nor returned; a free-form map keeps every key', async () => {
    const cs = CASES[kind]!;
    const root = rootOf(kind, cs.body);
    const body: JsonObject = { ...structuredClone(cs.body), bogusTop: 'x', is_super_role: true };
    if (cs.nested) body[cs.nested] = { ...(body[cs.nested] as JsonObject), bogusNested: { deep: 1 } };
    const hasData = OBJECT_SHAPES[root]?.data === 'any';
    if (hasData) body.data = { anything: { deep: [1, 'two'] }, bogusTop: true };
    const r = await c.call(cs.method, cs.path, { [WIRE[kind].singular]: body }, cs.tenant ? { tenantId: DEFAULT_TENANT } : {});
    expect(r.status, r.text).toBe(200);
    for (const obj of [inner(kind, r), inner(kind, await c.get(readPath(kind, cs, inner(kind, r)), cs.tenant ? { tenantId: DEFAULT_TENANT } : {}))]) {
      expect(obj).not.toHaveProperty('bogusTop');
      expect(obj).not.toHaveProperty('is_super_role');
      if (cs.nested) {
        expect(obj[cs.nested]).toBeTypeOf('object');
        expect(obj[cs.nested]).not.toHaveProperty('bogusNested');
      }
      if (hasData) expect(obj.data).toEqual({ anything: { deep: [1, 'two'] }, bogusTop: true });
    }
  });
});

describe('unknown properties in lists and in other request paths', () => {
  it('inside list items (an application\'s roles) and on the role endpoints, create and PUT; as the live test\'s snake_case names', async () => {
    const app = await c.post('/api/application', { application: { name: 'roles', roles: [{ name: 'r', is_default: true, bogus: 1 }] } }, { tenantId: DEFAULT_TENANT });
    expect(app.status, app.text).toBe(200);
    expect(app.body.application.roles[0]).not.toHaveProperty('bogus');
    expect(app.body.application.roles[0]).not.toHaveProperty('is_default');
    const id = app.body.application.id as string;
    const role = await c.post(`/api/application/${id}/role`, { role: { name: 'admin', is_super_role: true, colour: 'red' } });
    expect(role.status, role.text).toBe(200);
    expect(role.body.role).not.toHaveProperty('colour');
    expect(role.body.role.isSuperRole).toBe(false);
    const put = await c.put(`/api/application/${id}/role/${role.body.role.id}`, { role: { name: 'admin', colour: 'blue' } });
    expect(put.status, put.text).toBe(200);
    expect(put.body.role).not.toHaveProperty('colour');
  });

  it('a PATCH adding an unknown property (each flavour) stores nothing of it', async () => {
    const t = await c.post('/api/tenant', { tenant: { name: 'patched' } });
    const path = `/api/tenant/${t.body.tenant.id}`;
    const flavours: Array<[string, unknown]> = [
      ['application/json', { tenant: { bogus: 1, phoneConfiguration: { bogus: 2 } } }],
      ['application/merge-patch+json', { tenant: { bogus: 1, phoneConfiguration: { bogus: 2 } } }],
      ['application/json-patch+json', [{ op: 'add', path: '/tenant/bogus', value: 1 }]],
    ];
    for (const [contentType, patch] of flavours) {
      const r = await c.patch(path, patch, { contentType });
      expect(r.status, `${contentType}: ${r.text}`).toBe(200);
      expect(r.body.tenant, contentType).not.toHaveProperty('bogus');
      expect(r.body.tenant.phoneConfiguration, contentType).not.toHaveProperty('bogus');
    }
  });
});

/** The one field error of an `[invalidJSON]` reply, checked whole: the envelope of the live 1.46 body. */
function expectInvalidJson(r: Res, property: string): void {
  expect(r.status, r.text).toBe(400);
  expect(r.body).toEqual({
    fieldErrors: { [property]: [{ code: '[invalidJSON]', message: expect.stringMatching(new RegExp(`^Invalid JSON in the request body\\. The property was \\[${property.replace(/[.[\]]/g, '\\$&')}\\]\\. The error was \\[Possible conversion error\\]\\. The detailed exception was \\[.+\\]\\.$`, 's')) }] },
    generalErrors: [],
  });
}

describe('values of the wrong type: 400 [invalidJSON] at the property (live 1.46: role.isSuperRole "bogus")', () => {
  it('the live case: a role PUT with isSuperRole "bogus", the detail naming Jackson\'s boolean rule; PATCH the same', async () => {
    const app = await c.post('/api/application', { application: { name: 'bogus role', roles: [{ name: 'r' }] } }, { tenantId: DEFAULT_TENANT });
    const base = `/api/application/${app.body.application.id}/role/${app.body.application.roles[0].id}`;
    const put = await c.put(base, { role: { isSuperRole: 'bogus' } });
    expectInvalidJson(put, 'role.isSuperRole');
    expect(put.body.fieldErrors['role.isSuperRole'][0].message).toContain('Cannot deserialize value of type `boolean` from String "bogus": only "true"/"True"/"TRUE" or "false"/"False"/"FALSE" recognized');
    expectInvalidJson(await c.patch(base, { role: { isSuperRole: 'bogus' } }), 'role.isSuperRole');
    expectInvalidJson(await c.post(`/api/application/${app.body.application.id}/role`, { role: { name: 'x', isDefault: [] } }), 'role.isDefault');
  });

  it('an object where a string belongs (a tenant name): create, PUT and the three PATCH flavours', async () => {
    expectInvalidJson(await c.post('/api/tenant', { tenant: { name: { first: 'x' } } }), 'tenant.name');
    const t = await c.post('/api/tenant', { tenant: { name: 'typed' } });
    const path = `/api/tenant/${t.body.tenant.id}`;
    expectInvalidJson(await c.put(path, { tenant: { name: { first: 'x' } } }), 'tenant.name');
    expectInvalidJson(await c.patch(path, { tenant: { name: { first: 'x' } } }, { contentType: 'application/json' }), 'tenant.name');
    expectInvalidJson(await c.patch(path, { tenant: { name: { first: 'x' } } }, { contentType: 'application/merge-patch+json' }), 'tenant.name');
    expectInvalidJson(await c.patch(path, [{ op: 'replace', path: '/tenant/name', value: ['x'] }], { contentType: 'application/json-patch+json' }), 'tenant.name');
    expect((await c.get(path)).body.tenant.name).toBe('typed');
  });

  it('arrays vs objects: a list where an object belongs, a scalar where a list belongs, an object where a map of strings belongs', async () => {
    expectInvalidJson(await c.post('/api/tenant', { tenant: { name: 'n', phoneConfiguration: [] } }), 'tenant.phoneConfiguration');
    expectInvalidJson(await c.post('/api/application', { application: { name: 'n', oauthConfiguration: { authorizedRedirectURLs: 'https://a.example/cb' } } }, { tenantId: DEFAULT_TENANT }), 'application.oauthConfiguration.authorizedRedirectURLs');
    expectInvalidJson(await c.post('/api/message/template', { messageTemplate: { type: 'SMS', name: 'n', defaultTemplate: 'x', localizedTemplates: { de: { text: 'x' } } } }), 'messageTemplate.localizedTemplates.de');
  });

  it('the path leaves out list indices and keeps map keys (prime-mvc handleBadInArray, handleBadInMap)', async () => {
    expectInvalidJson(await c.post('/api/application', { application: { name: 'n', roles: [{ name: 'ok' }, { name: 'bad', isDefault: 'maybe' }] } }, { tenantId: DEFAULT_TENANT }), 'application.roles.isDefault');
    expectInvalidJson(await c.post('/api/webhook', { webhook: { url: 'https://h.example', connectTimeout: 1, readTimeout: 1, eventsEnabled: { 'user.create': 'often' } } }), 'webhook.eventsEnabled.user.create');
  });

  it('the system configuration (a singleton) and a nested number out of an int\'s range', async () => {
    expectInvalidJson(await c.put('/api/system-configuration', { systemConfiguration: { corsConfiguration: { enabled: 'sometimes' } } }), 'systemConfiguration.corsConfiguration.enabled');
    expectInvalidJson(await c.post('/api/webhook', { webhook: { url: 'https://h.example', connectTimeout: 2147483648, readTimeout: 1 } }), 'webhook.connectTimeout');
  });
});

describe('what Jackson converts by default (no source shows FusionAuth changing its defaults): stored and returned converted', () => {
  it('"5000" into an int, 1500.9 into an int (truncated), "TRUE" into a boolean, 0 into a boolean, 7 into a string', async () => {
    const r = await c.post('/api/webhook', { webhook: { url: 'https://h.example/c', connectTimeout: '5000', readTimeout: 1500.9, global: 'TRUE', description: 7, signatureConfiguration: { enabled: 0 } } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.webhook).toMatchObject({ connectTimeout: 5000, readTimeout: 1500, global: true, description: '7', signatureConfiguration: { enabled: false } });
    expect((await c.get(`/api/webhook/${r.body.webhook.id}`)).body.webhook).toMatchObject({ connectTimeout: 5000, readTimeout: 1500, global: true, description: '7' });
  });

  it('a string that is not a number into an int is refused, with Jackson\'s reason', async () => {
    const r = await c.post('/api/webhook', { webhook: { url: 'https://h.example/d', connectTimeout: '5s', readTimeout: 1 } });
    expectInvalidJson(r, 'webhook.connectTimeout');
    expect(r.body.fieldErrors['webhook.connectTimeout'][0].message).toContain('not a valid `int` value');
  });
});

describe('the error envelope carries both keys (live 1.46 bodies; com.inversoft.error.Errors initialises both)', () => {
  it('field errors come with "generalErrors": [], general errors with "fieldErrors": {}', async () => {
    const field = await c.post('/api/tenant', { tenant: { name: '' } });
    expect(field.status).toBe(400);
    expect(Object.keys(field.body).sort()).toEqual(['fieldErrors', 'generalErrors']);
    expect(field.body.generalErrors).toEqual([]);
    await c.post('/api/tenant', { tenant: { name: 'second' } });
    const general = await c.post('/api/application', { application: { name: 'no tenant header' } });
    expect(general.status).toBe(400);
    expect(general.body).toEqual({ fieldErrors: {}, generalErrors: [{ code: '[TenantIdRequired]', message: expect.any(String) }] });
  });
});
