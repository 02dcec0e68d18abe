/**
 * Issue 11, list semantics and path ids, against real-server evidence (reference §13):
 * - a plain `application/json` PATCH replaces the lists FusionAuth's domain classes annotate
 *   `@JsonMerge(OptBoolean.FALSE)` and appends to every other list (FusionAuth/fusionauth-java-client
 *   `src/main/java/io/fusionauth/domain/**`, the same classes as the server);
 * - `Set`-typed fields come back deduplicated in their Java Set's order (`TreeSet`, `LinkedHashSet`, `HashSet`);
 * - the retrieve-all order of applications (leo-technologies-llc/fusion_auth, live 1.46);
 * - a path id: a number converts to the UUID holding it (then 404 when unknown), anything else that is not a UUID is
 *   400 [couldNotConvert], for every kind (driven from KIND_SPECS), the role routes and users.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '../../src/core/types.js';
import { patternMatches } from '../../src/core/normalize.js';
import { WIRE } from '../../src/fusionauth/wire.js';
import { KIND_SPECS } from '../../src/emulator/kinds/index.js';
import { javaHashSetOrder, normaliseSets, REGISTRATION_LISTS, replacedIn, USER_LISTS } from '../../src/emulator/lists.js';
import { applyOriginalPatch } from '../../src/emulator/patch.js';
import { kindByName } from '../../src/kinds/index.js';
import { clientOf, FA_APP, ID, start, twilio, type Client } from './helpers.js';

/**
 * The emulator's client, sending the Default tenant's header on application requests that name none: the tests
 * create further tenants, after which FusionAuth needs a tenant for an application create (reference §1.2).
 */
let c: Client;
beforeAll(async () => {
  const raw = await start({ defaultTenantId: ID.defaultTenant });
  const call: Client['call'] = (method, path, body, o = {}) => raw.call(method, path, body, path.startsWith('/api/application') && !o.tenantId ? { ...o, tenantId: ID.defaultTenant } : o);
  c = clientOf(raw.e, call);
});
afterAll(() => c.e.stop());

const specOf = (kind: string) => {
  const s = KIND_SPECS.find((k) => k.kind === kind);
  if (!s) throw new Error(kind);
  return s;
};

/** Put `value` at a dotted path, creating objects on the way. */
function setAt(obj: JsonObject, path: string, value: Json): JsonObject {
  const parts = path.split('.');
  const last = parts.pop() as string;
  let cur = obj;
  for (const k of parts) cur = (cur[k] ??= {}) as JsonObject;
  cur[last] = value;
  return obj;
}

describe('plain JSON PATCH: @JsonMerge(OptBoolean.FALSE) lists are replaced, other lists appended', () => {
  // Every annotation found in the domain classes of the kinds the emulator serves (find_string over the code index,
  // then the classes read): OAuth2Configuration, Application.SAMLv2Configuration, CleanSpeakConfiguration,
  // connector/ConnectorPolicy, messenger/BaseMessengerConfiguration. No other served class (Tenant and its
  // configurations, ApplicationRole, Key, Theme, SystemConfiguration, EmailTemplate, Lambda, Webhook, APIKey,
  // MessageTemplate, User, UserRegistration) carries one.
  const ANNOTATED: Record<string, string[]> = {
    application: [
      'oauthConfiguration.authorizedOriginURLs', 'oauthConfiguration.authorizedRedirectURLs', 'oauthConfiguration.authorizedResourceUris',
      'oauthConfiguration.enabledGrants', 'samlv2Configuration.authorizedRedirectURLs', 'cleanSpeakConfiguration.applicationIds',
    ],
    tenant: ['connectorPolicies.*.domains'],
    messenger: ['messageTypes'],
  };
  it('each kind spec names exactly the annotated lists of its domain classes; the user-side kinds none', () => {
    const declared = Object.fromEntries(KIND_SPECS.filter((s) => (s.lists?.replaced ?? []).length > 0).map((s) => [s.kind, [...(s.lists?.replaced ?? [])].sort()]));
    expect(declared).toEqual(Object.fromEntries(Object.entries(ANNOTATED).map(([k, v]) => [k, [...v].sort()])));
    expect(USER_LISTS.replaced ?? []).toEqual([]);
    expect(REGISTRATION_LISTS.replaced ?? []).toEqual([]);
  });
  it('for every kind: a declared list is replaced by the original PATCH, an undeclared sibling list appended', () => {
    for (const spec of KIND_SPECS) {
      const { singular } = WIRE[spec.kind];
      for (const path of (spec.lists?.replaced ?? []).filter((p) => !p.includes('*'))) {
        const doc = { [singular]: setAt({ data: { other: ['a'] } }, path, ['old']) };
        const patch = { [singular]: setAt({ data: { other: ['b'] } }, path, ['new']) };
        const out = applyOriginalPatch(doc, patch, replacedIn(singular, spec.lists)) as JsonObject;
        expect(out, `${spec.kind} ${path}`).toEqual({ [singular]: setAt({ data: { other: ['a', 'b'] } }, path, ['new']) });
      }
    }
  });
  it('application over HTTP: the OAuth URL lists, grants, SAML redirect URLs and CleanSpeak ids replaced; data lists appended', async () => {
    const created = await c.post('/api/application', {
      application: {
        name: 'Replaced lists',
        data: { tags: ['one'] },
        oauthConfiguration: {
          authorizedOriginURLs: ['https://old.example.com'], authorizedRedirectURLs: ['https://old.example.com/cb'],
          authorizedResourceUris: ['https://old.example.com/api'], enabledGrants: ['authorization_code', 'refresh_token'],
        },
        samlv2Configuration: { authorizedRedirectURLs: ['https://old.example.com/acs'] },
        cleanSpeakConfiguration: { applicationIds: [ID.app1] },
      },
    });
    expect(created.status, created.text).toBe(200);
    const id = created.body.application.id;
    const r = await c.patch(`/api/application/${id}`, {
      application: {
        data: { tags: ['two'] },
        oauthConfiguration: {
          authorizedOriginURLs: ['https://new.example.com'], authorizedRedirectURLs: ['https://new.example.com/cb'],
          authorizedResourceUris: ['https://new.example.com/api'], enabledGrants: ['password'],
        },
        samlv2Configuration: { authorizedRedirectURLs: ['https://new.example.com/acs'] },
        cleanSpeakConfiguration: { applicationIds: [ID.app2] },
      },
    });
    expect(r.status, r.text).toBe(200);
    const a = r.body.application;
    expect(a.oauthConfiguration).toMatchObject({
      authorizedOriginURLs: ['https://new.example.com'], authorizedRedirectURLs: ['https://new.example.com/cb'],
      authorizedResourceUris: ['https://new.example.com/api'], enabledGrants: ['password'],
    });
    expect(a.samlv2Configuration.authorizedRedirectURLs).toEqual(['https://new.example.com/acs']);
    expect(a.cleanSpeakConfiguration.applicationIds).toEqual([ID.app2]);
    // `data` is a Map<String, Object>: Jackson merges it, and a list inside is appended to.
    expect(a.data.tags).toEqual(['one', 'two']);
  });
  it('tenant over HTTP: blockedDomains (a LinkedHashSet, not annotated) is appended to, duplicates collapsed, insertion order', async () => {
    const t = (await c.post('/api/tenant', { tenant: { name: 'Blocked domains', registrationConfiguration: { blockedDomains: ['b.example', 'a.example', 'b.example'] } } })).body.tenant;
    expect(t.registrationConfiguration.blockedDomains).toEqual(['b.example', 'a.example']);
    const r = await c.patch(`/api/tenant/${t.id}`, { tenant: { registrationConfiguration: { blockedDomains: ['c.example', 'a.example'] } } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.tenant.registrationConfiguration.blockedDomains).toEqual(['b.example', 'a.example', 'c.example']);
  });
});

describe('Set-typed fields: deduplicated, in their Java Set order', () => {
  // OAuth2Configuration: `new TreeSet<>(Comparator.comparing(GrantType::grantName))` — String order of the wire names.
  it('enabledGrants is sorted by grant name whatever the order sent, duplicates collapsed, on create, PUT and every PATCH', async () => {
    const device = 'urn:ietf:params:oauth:grant-type:device_code';
    const oauth = (grants: string[]) => ({ enabledGrants: grants, deviceVerificationURL: 'https://device.example.com' });
    const created = await c.post('/api/application', { application: { name: 'Sorted grants', oauthConfiguration: oauth([device, 'refresh_token', 'authorization_code', 'refresh_token']) } });
    expect(created.status, created.text).toBe(200);
    const id = created.body.application.id;
    expect(created.body.application.oauthConfiguration.enabledGrants).toEqual(['authorization_code', 'refresh_token', device]);
    const put = await c.put(`/api/application/${id}`, { application: { name: 'Sorted grants', oauthConfiguration: oauth(['password', 'implicit']) } });
    expect(put.body.application.oauthConfiguration.enabledGrants).toEqual(['implicit', 'password']);
    const merge = await c.patch(`/api/application/${id}`, { application: { oauthConfiguration: { enabledGrants: ['refresh_token', 'authorization_code'] } } }, { contentType: 'application/merge-patch+json' });
    expect(merge.body.application.oauthConfiguration.enabledGrants).toEqual(['authorization_code', 'refresh_token']);
    const ops = await c.patch(`/api/application/${id}`, [{ op: 'add', path: '/application/oauthConfiguration/enabledGrants/-', value: 'password' }, { op: 'add', path: '/application/oauthConfiguration/enabledGrants/0', value: 'refresh_token' }], { contentType: 'application/json-patch+json' });
    expect(ops.body.application.oauthConfiguration.enabledGrants).toEqual(['authorization_code', 'password', 'refresh_token']);
    expect((await c.get(`/api/application/${id}`)).body.application.oauthConfiguration.enabledGrants).toEqual(['authorization_code', 'password', 'refresh_token']);
  });
  // Recorded from OpenJDK 17: `new HashSet<String>()`, the items added in this order, then iterated.
  it('a HashSet<String> iterates as Java does (bucket order of String.hashCode, resizing past 12 items)', () => {
    expect(javaHashSetOrder(['example.com', 'Acme.org', 'b.net', 'zeta.io', 'a.com'])).toEqual(['a.com', 'b.net', 'Acme.org', 'example.com', 'zeta.io']);
    expect(javaHashSetOrder(['GET', 'POST', 'PUT', 'DELETE', 'PATCH'])).toEqual(['DELETE', 'POST', 'GET', 'PUT', 'PATCH']);
    const many = Array.from({ length: 14 }, (_, i) => `d${i + 1}.com`);
    expect(javaHashSetOrder(many)).toEqual(['d5.com', 'd11.com', 'd7.com', 'd14.com', 'd13.com', 'd3.com', 'd1.com', 'd10.com', 'd4.com', 'd6.com', 'd9.com', 'd8.com', 'd2.com', 'd12.com']);
  });
  it('a tenant connector policy\'s domains (HashSet, lowercased by Tenant.normalize) and a registration\'s roles (TreeSet)', () => {
    const t: JsonObject = { connectorPolicies: [{ connectorId: 'x', domains: ['Example.com', 'zeta.io', 'example.com', 'a.com'] }] };
    normaliseSets(t, specOf('tenant').lists);
    expect(t.connectorPolicies).toEqual([{ connectorId: 'x', domains: ['a.com', 'example.com', 'zeta.io'] }]);
    const reg: JsonObject = { roles: ['user', 'admin', 'Zed', 'user'] };
    normaliseSets(reg, REGISTRATION_LISTS);
    expect(reg.roles).toEqual(['Zed', 'admin', 'user']);
  });
  it('an API key\'s endpoint methods (HashSet) over HTTP', async () => {
    const r = await c.post('/api/api-key', { apiKey: { permissions: { endpoints: { '/api/user': ['PATCH', 'GET', 'POST', 'GET'] } } } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.apiKey.permissions.endpoints['/api/user']).toEqual(['POST', 'GET', 'PATCH']);
  });
  // A set reorders (TreeSet, HashSet) or drops a repeated item (every Set): compared as a list, either is a perpetual diff.
  it('kickstand compares as a set every Set field of the emulator (no perpetual diff from the server\'s order or dedupe)', () => {
    // Paths inside list items (a connector policy's domains) cannot be declared set-like in core's diff (arrays are
    // compared whole); a FusionAuth connector's domains are always ["*"] and the emulator serves no other connector.
    const notExpressible = new Set(['tenant connectorPolicies.*.domains']);
    for (const spec of KIND_SPECS) {
      for (const rule of spec.lists?.sets ?? []) {
        if (notExpressible.has(`${spec.kind} ${rule.path}`)) continue;
        const kind = kindByName(spec.kind);
        expect(kind.setFields.some((p) => patternMatches(p, rule.path.split('.').map((s) => (s === '*' ? 'anything' : s)))), `${spec.kind} ${rule.path}`).toBe(true);
      }
    }
  });
});

describe('retrieve-all order', () => {
  // leo-technologies-llc/fusion_auth test/fusion_auth/applications_test.exs "list_applications/2" (live 1.46): created
  // "Test Application" then "Second Test Application", listed [second, first].
  it('applications are listed by name, not in insertion order, also with ?inactive=true', async () => {
    const tenant = (await c.post('/api/tenant', { tenant: { name: 'Order tenant' } })).body.tenant.id;
    const o = { tenantId: tenant };
    const names = ['Test Application', 'Second Test Application', 'Alpha', 'beta'];
    const ids: string[] = [];
    for (const name of names) ids.push((await c.post('/api/application', { application: { name } }, o)).body.application.id);
    const listed = (await c.get('/api/application', o)).body.applications.map((a: { name: string }) => a.name);
    expect(listed).toEqual(['Alpha', 'Second Test Application', 'Test Application', 'beta']);
    for (const id of ids) expect((await c.del(`/api/application/${id}`, o)).status).toBe(200);
    const inactive = (await c.get('/api/application?inactive=true', o)).body.applications.map((a: { name: string }) => a.name);
    expect(inactive).toEqual(['Alpha', 'Second Test Application', 'Test Application', 'beta']);
  });
});

describe('a path id that is not a UUID: a number converts, anything else is 400 [couldNotConvert]', () => {
  // FusionAuth's UUID converter reads a decimal number as the UUID holding it (leo-technologies-llc/fusion_auth
  // registrations_test.exs, live 1.46: `123456` → 00000000-0000-0000-0000-00000001e240), so role id `67890` and
  // `GET /api/group/12345` are 404 with an empty body there (applications_test.exs, groups_test.exs); a segment that does
  // not convert is 400 `[couldNotConvert]<param>` "Invalid UUID" (the same suite's `invalid-app-id`; latte-java's live
  // 1.67.1 audit: "a non-UUID to a UUID path param returns a 400 conversion error"; fusionauth-issues #534).
  const couldNotConvert = (r: { status: number; body: { fieldErrors?: Record<string, { code: string; message: string }[]> } }, field: string) => {
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors?.[field]).toEqual([{ code: `[couldNotConvert]${field}`, message: 'Invalid UUID' }]);
  };
  it('every by-id endpoint of every kind (KIND_SPECS)', async () => {
    for (const spec of KIND_SPECS) {
      const wire = WIRE[spec.kind];
      if (wire.singleton || wire.path === undefined) continue;
      const body = { [wire.singular]: { name: 'x' } };
      for (const sub of spec.createAt ?? ['']) couldNotConvert(await c.post(`${wire.path}${sub}/not-a-uuid`, body), wire.idField);
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
        const withBody = method === 'GET' || method === 'DELETE' ? undefined : body;
        const numeric = await c.call(method, `${wire.path}/67890`, withBody);
        const text = await c.call(method, `${wire.path}/not-a-uuid`, withBody);
        // A kind without PATCH answers 405 for the method, whatever the id.
        if (method === 'PATCH' && spec.patch === false) {
          expect([numeric.status, text.status]).toEqual([405, 405]);
          continue;
        }
        expect([numeric.status, numeric.text], `${method} ${wire.path}/67890`).toEqual([404, '']);
        couldNotConvert(text, wire.idField);
      }
    }
  });
  it('a numeric id on create is the UUID holding the number', async () => {
    const r = await c.post('/api/tenant/67890', { tenant: { name: 'Numbered' } });
    expect([r.status, r.body.tenant?.id]).toEqual([200, '00000000-0000-0000-0000-000000010932']);
    expect((await c.get('/api/tenant/00000000-0000-0000-0000-000000010932')).status).toBe(200);
  });
  it('the role endpoints: a numeric role id names no role; a non-UUID application or role id does not convert', async () => {
    const app = (await c.post('/api/application', { application: { name: 'Role ids', roles: [{ name: 'user' }] } })).body.application.id;
    for (const [method, path] of [
      ['PUT', `/api/application/${app}/role/67890`], ['PATCH', `/api/application/${app}/role/67890`], ['DELETE', `/api/application/${app}/role/67890`],
    ] as const) {
      const r = await c.call(method, path, method === 'DELETE' ? undefined : { role: { name: 'Updated Test Role' } });
      expect([r.status, r.text], `${method} ${path}`).toEqual([404, '']);
    }
    couldNotConvert(await c.post('/api/application/not-a-uuid/role', { role: { name: 'x' } }), 'applicationId');
    couldNotConvert(await c.call('PUT', `/api/application/${app}/role/not-a-uuid`, { role: { name: 'x' } }), 'roleId');
    couldNotConvert(await c.call('DELETE', '/api/application/not-a-uuid/role/67890'), 'applicationId');
    couldNotConvert(await c.get('/api/application/not-a-uuid/oauth-configuration'), 'applicationId');
  });
  it('users, registrations and families: the same converter, in the path and in an id parameter', async () => {
    expect((await c.get('/api/user/67890')).status).toBe(404);
    couldNotConvert(await c.get('/api/user/not-a-uuid'), 'userId');
    const user = (await c.post('/api/user', { user: { email: 'converter@example.com', password: 'converter-password-1' } }, { tenantId: ID.defaultTenant })).body.user.id as string;
    for (const [method, path] of [
      ['GET', `/api/user/registration/${user}/67890`], ['PUT', `/api/user/registration/${user}/67890`], ['DELETE', `/api/user/registration/${user}/67890`],
      ['DELETE', '/api/user/family/12345/67890'],
    ] as const) {
      const r = await c.call(method, path, method === 'PUT' ? { registration: {} } : undefined);
      expect([r.status, r.text], `${method} ${path}`).toEqual([404, '']);
    }
    couldNotConvert(await c.get(`/api/user/registration/${user}/not-a-uuid`), 'applicationId');
    couldNotConvert(await c.call('PATCH', `/api/user/registration/${user}/not-a-uuid`, { registration: {} }), 'applicationId');
    couldNotConvert(await c.call('DELETE', `/api/user/registration/${user}/not-a-uuid`), 'applicationId');
    couldNotConvert(await c.get('/api/user/registration/not-a-uuid/67890'), 'userId');
    couldNotConvert(await c.call('DELETE', '/api/user/family/12345/not-a-uuid'), 'userId');
    couldNotConvert(await c.get('/api/user/family?userId=not-a-uuid'), 'userId');
    const numeric = await c.get('/api/user/family?userId=67890');
    expect([numeric.status, numeric.body]).toEqual([200, {}]);
  });
});

describe('roles (leo-technologies-llc/fusion_auth applications_test.exs, live 1.46)', () => {
  it('create and update on an unknown application → 400 [invalid]applicationId; delete on one → 404 with an empty body', async () => {
    for (const r of [
      await c.post(`/api/application/${ID.missing}/role`, { role: { name: 'Test Role' } }),
      await c.patch(`/api/application/${ID.missing}/role/${ID.role1}`, { role: { isSuperRole: false } }),
    ]) {
      expect(r.status).toBe(400);
      expect(r.body.fieldErrors.applicationId).toEqual([{ code: '[invalid]applicationId', message: `Invalid [applicationId] on the URL. No Application exists for Id [${ID.missing}].` }]);
    }
    const d = await c.del(`/api/application/${ID.missing}/role/${ID.role1}`);
    expect([d.status, d.text]).toEqual([404, '']);
    const n = await c.del(`/api/application/${ID.missing}/role?name=Role%20name`);
    expect([n.status, n.text]).toEqual([404, '']);
  });
  it('create: an id in the role body is ignored (the URL names the id), so a body id already in use is no duplicate', async () => {
    const app = (await c.post('/api/application', { application: { name: 'Role body id', roles: [{ id: ID.role1, name: 'Test Role' }] } })).body.application;
    expect(app.roles[0].id).toBe(ID.role1);
    const r = await c.post(`/api/application/${app.id}/role`, { role: { id: ID.role1, name: 'new role name', isDefault: true } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.role.name).toBe('new role name');
    expect(r.body.role.id).not.toBe(ID.role1);
  });
  it('delete by name: DELETE …/role?name= → 200 with an empty body; a name with no role → 404', async () => {
    const app = (await c.post('/api/application', { application: { name: 'Roles by name', roles: [{ name: 'Test Role' }, { name: 'other' }] } })).body.application.id;
    const missing = await c.del(`/api/application/${app}/role?name=unused%20role%20name`);
    expect([missing.status, missing.text]).toEqual([404, '']);
    const r = await c.del(`/api/application/${app}/role?name=Test%20Role`);
    expect([r.status, r.text]).toEqual([200, '']);
    expect((await c.get(`/api/application/${app}`)).body.application.roles.map((x: { name: string }) => x.name)).toEqual(['other']);
  });
  it('the FusionAuth application\'s roles stay refused on delete ([DEC-APP] validateRoleDelete)', async () => {
    const roles = (await c.get(`/api/application/${FA_APP}`)).body.application.roles as Array<{ id: string }>;
    const r = await c.del(`/api/application/${FA_APP}/role/${roles[0]?.id ?? ID.role1}`);
    expect(r.body.fieldErrors.applicationId[0].code).toBe('[fusionAuth]applicationId');
  });
});

describe('sweep: applications and tenants against the §13 sources', () => {
  // FusionAuth/fusionauth-typescript-client test/FusionAuthClientTest.ts beforeEach: the Default tenant retrieved,
  // its id nulled and its name changed, is created again with a client id.
  it('the Default tenant as retrieved can be POSTed back as a new tenant', async () => {
    const tenants = (await c.get('/api/tenant')).body.tenants as JsonObject[];
    const def = tenants.find((t) => t.name === 'Default') as JsonObject;
    const id = '65323339-6137-6531-3135-316238623265';
    const r = await c.post(`/api/tenant/${id}`, { tenant: { ...def, id: null, name: 'Typescript Tenant' } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.tenant).toMatchObject({ id, name: 'Typescript Tenant' });
  });
  // FusionAuth/fusionauth-netcore-client FusionAuthClientTest.cs Update_Application_Test and latte-java/fusionauth
  // FusionAuthClientTest.applicationCrudRoundTrip: a PUT with only a name; netcore `groups`: a tenant with only a name.
  it('PUT with only a name (application and tenant); a tenant created and deleted with only a name', async () => {
    const app = (await c.post('/api/application', { application: { name: 'CSharp Client Test', loginConfiguration: { allowTokenRefresh: true } } })).body.application.id;
    const r = await c.put(`/api/application/${app}`, { application: { name: 'CSharp Client Test (updated)' } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.application.name).toBe('CSharp Client Test (updated)');
    const t = await c.post('/api/tenant', { tenant: { name: 'C# Tenant' } });
    expect(t.status, t.text).toBe(200);
    const put = await c.put(`/api/tenant/${t.body.tenant.id}`, { tenant: { name: 'C# Tenant renamed' } });
    expect(put.status, put.text).toBe(200);
    expect((await c.del(`/api/tenant/${t.body.tenant.id}`)).status).toBe(200);
  });
  // TS client 'Patch Application'; netcore Patch_Application_Test.
  it('application PATCH of a name and nested settings', async () => {
    const app = (await c.post('/api/application', { application: { name: 'TypeScript FusionAuth Client', oauthConfiguration: { enabledGrants: ['password', 'authorization_code'], authorizedRedirectURLs: ['http://localhost'] } } })).body.application;
    expect(app.oauthConfiguration.enabledGrants).toEqual(['authorization_code', 'password']);
    const r = await c.patch(`/api/application/${app.id}`, { application: { name: 'Node.js FusionAuth Client patch', loginConfiguration: { allowTokenRefresh: true } } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.application.loginConfiguration.allowTokenRefresh).toBe(true);
    const n = await c.patch(`/api/application/${app.id}`, { application: { passwordlessConfiguration: { enabled: false }, registrationConfiguration: { enabled: true } } });
    expect(n.status, n.text).toBe(200);
    const got = (await c.get(`/api/application/${app.id}`)).body.application;
    expect([got.passwordlessConfiguration.enabled, got.registrationConfiguration.enabled]).toEqual([false, true]);
  });
  // latte-java FusionAuthClientTest.applicationCrudRoundTrip (live 1.67.1); netcore Deactivate/Reactivate tests.
  it('a soft-deleted application is retrievable by id (inactive), reactivates with its name; a hard delete then 404', async () => {
    const id = (await c.post('/api/application', { application: { name: 'IT-soft' } })).body.application.id;
    expect((await c.del(`/api/application/${id}`)).status).toBe(200);
    const soft = await c.get(`/api/application/${id}`);
    expect(soft.status).toBe(200);
    expect(soft.body.application).toMatchObject({ active: false, name: 'IT-soft' });
    const re = await c.put(`/api/application/${id}?reactivate=true`, {});
    expect(re.body.application).toMatchObject({ active: true, name: 'IT-soft' });
    expect((await c.del(`/api/application/${id}?hardDelete=true`)).status).toBe(200);
    const gone = await c.get(`/api/application/${id}`);
    expect([gone.status, gone.text]).toEqual([404, '']);
  });
  // leo: "reactivate_application/2" on an application that is active (its create's `active: false` is ignored) → 200.
  it('reactivating an active application → 200 active; an unknown one → 404 with an empty body', async () => {
    const id = (await c.post('/api/application', { application: { name: 'Already active', active: false } })).body.application.id;
    const r = await c.put(`/api/application/${id}?reactivate=true`, {});
    expect([r.status, r.body.application.active]).toEqual([200, true]);
    const u = await c.put(`/api/application/${ID.missing}?reactivate=true`, {});
    expect([u.status, u.text]).toEqual([404, '']);
  });
  // latte fieldValidationErrorsDeserializeAsTypedMap; leo "create_application/2 … 400" and "update_application/3 … 400".
  it('a missing or blank name → field error keyed application.name with [blank]application.name, on create and PATCH', async () => {
    const r = await c.post(`/api/application/${crypto.randomUUID()}`, { application: {} });
    expect(r.body.fieldErrors['application.name'][0].code).toBe('[blank]application.name');
    const id = (await c.post('/api/application', { application: { name: 'Named' } })).body.application.id;
    const p = await c.patch(`/api/application/${id}`, { application: { name: '' } });
    expect(p.body.fieldErrors['application.name'][0].code).toBe('[blank]application.name');
  });
  // leo "update_application/3 … 404", "delete_application/3 … 404", "get_application/2 … 404".
  it('GET, PATCH and DELETE of an unknown application → 404 with an empty body', async () => {
    for (const r of [await c.get(`/api/application/${ID.missing}`), await c.patch(`/api/application/${ID.missing}`, { application: { name: 'x' } }), await c.del(`/api/application/${ID.missing}`)]) {
      expect([r.status, r.text]).toEqual([404, '']);
    }
  });
  // leo "get_oauth_configuration/2"; shape from [SITE:json/applications/oauth-configuration/response.json].
  it('GET /api/application/{id}/oauth-configuration → the OAuth configuration with the tenant\'s session settings', async () => {
    const app = (await c.post('/api/application', { application: { name: 'OAuth config', oauthConfiguration: { authorizedRedirectURLs: ['https://a.example.com/cb'], logoutURL: 'https://a.example.com/logout' } } })).body.application;
    const r = await c.get(`/api/application/${app.id}/oauth-configuration`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ httpSessionMaxInactiveInterval: 3600, logoutURL: 'https://a.example.com/logout', oauthConfiguration: app.oauthConfiguration });
    const missing = await c.get(`/api/application/${ID.missing}/oauth-configuration`);
    expect([missing.status, missing.text]).toEqual([404, '']);
  });
  // FusionAuth/terraform-provider-fusionauth resource_fusionauth_application_test.go (live 1.69): verification key
  // lists keep their order, the deprecated default is derived from the first entry, and a scalar alone seeds the list.
  it('SAML verification keys (1.69): the order sent kept, defaultVerificationKeyId derived from the first; a scalar alone seeds the list', async () => {
    const [k1, k2, k3] = ['11111111-0000-4000-8000-000000000001', '11111111-0000-4000-8000-000000000002', '11111111-0000-4000-8000-000000000003'];
    const saml = (extra: Record<string, unknown>) => ({ enabled: true, issuer: `https://example.com/${crypto.randomUUID()}`, authorizedRedirectURLs: ['https://example.com/acs'], ...extra });
    const created = await c.post('/api/application', { application: { name: 'SAML keys', samlv2Configuration: saml({ verificationKeyIds: [k1, k3, k2], logout: { verificationKeyIds: [k2, k3, k1] } }) } });
    expect(created.status, created.text).toBe(200);
    const s1 = created.body.application.samlv2Configuration;
    expect([s1.verificationKeyIds, s1.defaultVerificationKeyId, s1.logout.verificationKeyIds, s1.logout.defaultVerificationKeyId]).toEqual([[k1, k3, k2], k1, [k2, k3, k1], k2]);
    const rotated = await c.put(`/api/application/${created.body.application.id}`, { application: { name: 'SAML keys', samlv2Configuration: { ...s1, verificationKeyIds: [k3, k1], logout: { ...s1.logout, verificationKeyIds: [k1] } } } });
    const s2 = rotated.body.application.samlv2Configuration;
    expect([s2.verificationKeyIds, s2.defaultVerificationKeyId, s2.logout.verificationKeyIds, s2.logout.defaultVerificationKeyId]).toEqual([[k3, k1], k3, [k1], k1]);
    const scalar = await c.post('/api/application', { application: { name: 'SAML scalar', samlv2Configuration: saml({ defaultVerificationKeyId: k1, logout: { defaultVerificationKeyId: k2 } }) } });
    const s3 = scalar.body.application.samlv2Configuration;
    expect([s3.verificationKeyIds, s3.logout.verificationKeyIds]).toEqual([[k1], [k2]]);
  });
  it('a messenger\'s messageTypes is replaced by a plain PATCH (BaseMessengerConfiguration)', async () => {
    const m = (await c.post('/api/messenger', twilio('Types replaced', { messageTypes: ['SMS', 'Voice'] }))).body.messenger;
    const r = await c.patch(`/api/messenger/${m.id}`, { messenger: { messageTypes: ['Voice'] } });
    expect(r.body.messenger.messageTypes).toEqual(['Voice']);
  });
});
