/**
 * Lambdas (reference §7) over HTTP: none on a fresh instance, the defaults, the rules of the decompiled
 * `DefaultLambdaService.validate` (required type, GraalJS only, non-blank name and body, a body that compiles and
 * defines its type's function), the type an update cannot change, the list by type, and the in-use refusal of a delete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCodes, codes, ID, start, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await start();
});
afterAll(() => c.e.stop());

const PATH = '/api/lambda';
const populate = 'function populate(jwt, user, registration) {\n  jwt.roles = registration.roles;\n}\n';
const jwtLambda = (name: string, extra: Record<string, unknown> = {}) => ({ lambda: { name, type: 'JWTPopulate', body: populate, ...extra } });

describe('a fresh instance', () => {
  it('holds no lambda: the [FusionAuth Default] ones are the setup wizard\'s (SystemDefaultsSingleton), not the bootstrap\'s', async () => {
    expect((await c.get(PATH)).body).toEqual({});
  });
});

describe('create and read', () => {
  it('fills debug false and the GraalJS engine; the deprecated enabled flag is neither kept nor returned', async () => {
    const r = await c.post(`${PATH}/${ID.t1}`, jwtLambda('Roles', { enabled: false }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.lambda).toMatchObject({ id: ID.t1, name: 'Roles', type: 'JWTPopulate', body: populate, debug: false, engineType: 'GraalJS' });
    expect(r.body.lambda).not.toHaveProperty('enabled');
    expect((await c.get(`${PATH}/${ID.t1}`)).body.lambda).toEqual(r.body.lambda);
  });

  it('allows two lambdas with one name (the service checks no name for duplicates)', async () => {
    expect((await c.post(PATH, jwtLambda('Twice'))).status).toBe(200);
    expect((await c.post(PATH, jwtLambda('Twice'))).status).toBe(200);
  });

  it('lists the lambdas of one type with ?type=, and refuses a type that does not exist', async () => {
    const types = ((await c.get(`${PATH}?type=JWTPopulate`)).body.lambdas as Array<{ type: string }>).map((l) => l.type);
    expect(types.length).toBeGreaterThanOrEqual(3);
    expect(new Set(types)).toEqual(new Set(['JWTPopulate']));
    expect(codes(await c.get(`${PATH}?type=Populate`), 'type')).toEqual(['[couldNotConvert]type']);
  });
});

describe('validation (DefaultLambdaService.validate)', () => {
  it('refuses a create without a type: [missing]lambda.type', async () => {
    expect(allCodes(await c.post(PATH, { lambda: { name: 'No type', body: populate } }))).toEqual(['lambda.type: [missing]lambda.type']);
  });

  it('refuses a type or engine that is not in the enums before validating: [invalidJSON]', async () => {
    expect(allCodes(await c.post(PATH, jwtLambda('Bad type', { type: 'JwtPopulate', body: '' })))).toEqual(['lambda.type: [invalidJSON]']);
    expect(allCodes(await c.post(PATH, jwtLambda('Bad engine', { engineType: 'V8' })))).toEqual(['lambda.engineType: [invalidJSON]']);
  });

  it('refuses the Nashorn engine, removed in 1.49.0: [invalid]lambda.engineType', async () => {
    expect(allCodes(await c.post(PATH, jwtLambda('Nashorn', { engineType: 'Nashorn' })))).toEqual(['lambda.engineType: [invalid]lambda.engineType']);
  });

  it('refuses a blank name or body', async () => {
    expect(allCodes(await c.post(PATH, { lambda: { name: ' ', type: 'JWTPopulate', body: '\n' } })).sort()).toEqual([
      'lambda.body: [blank]lambda.body', 'lambda.name: [blank]lambda.name',
    ]);
  });

  it('refuses a body that does not compile: [invalid]lambda.body', async () => {
    expect(allCodes(await c.post(PATH, jwtLambda('Broken', { body: 'function populate(jwt { }' })))).toEqual(['lambda.body: [invalid]lambda.body']);
  });

  it("refuses a body without its type's function: [functionMissing]lambda.body", async () => {
    expect(allCodes(await c.post(PATH, jwtLambda('Wrong function', { body: 'function reconcile(user) {}' })))).toEqual(['lambda.body: [functionMissing]lambda.body']);
    const login = { lambda: { name: 'Login', type: 'LoginValidation', body: 'function validate(result, user, registration, context) {}' } };
    expect((await c.post(PATH, login)).status).toBe(200);
    const mfa = { lambda: { name: 'MFA', type: 'MFARequirement', body: 'var checkRequired = function(result) {};' } };
    expect((await c.post(PATH, mfa)).status).toBe(200);
  });
});

describe('update', () => {
  it('keeps the stored type, whatever a PUT or PATCH sends; a PUT without a type is accepted', async () => {
    const id = (await c.post(PATH, jwtLambda('Typed'))).body.lambda.id as string;
    const reconcile = 'function reconcile(user, registration, jwt) {}';
    const put = await c.put(`${PATH}/${id}`, { lambda: { name: 'Typed', type: 'OpenIDReconcile', body: populate } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.lambda.type).toBe('JWTPopulate');
    // The stored type decides which function the body must define.
    expect(codes(await c.put(`${PATH}/${id}`, { lambda: { name: 'Typed', body: reconcile } }), 'lambda.body')).toEqual(['[functionMissing]lambda.body']);
    const patch = await c.patch(`${PATH}/${id}`, { lambda: { type: 'UserInfoPopulate', debug: true } }, { contentType: 'application/merge-patch+json' });
    expect(patch.body.lambda).toMatchObject({ type: 'JWTPopulate', debug: true });
  });
});

describe('references from tenants and applications', () => {
  it('a tenant naming a lambda that does not exist is refused; one that exists cannot be deleted while named', async () => {
    const login = (await c.post(PATH, { lambda: { name: 'Login check', type: 'LoginValidation', body: 'function validate(result, user) {}' } })).body.lambda.id as string;
    const tenant = (id: string) => ({ tenant: { name: `Lambda ${id.slice(0, 4)}`, lambdaConfiguration: { loginValidationId: id } } });
    expect(codes(await c.post('/api/tenant', tenant(ID.missing)), 'tenant.lambdaConfiguration.loginValidationId')).toEqual(['[invalid]tenant.lambdaConfiguration.loginValidationId']);
    expect((await c.post(`/api/tenant/${ID.tenant2}`, tenant(login))).status).toBe(200);
    expect(codes(await c.del(`${PATH}/${login}`), 'lambdaId')).toEqual(['[inUse]lambdaId']);
    expect((await c.del(`/api/tenant/${ID.tenant2}`)).status).toBe(200);
    expect((await c.del(`${PATH}/${login}`)).status).toBe(200);
    expect((await c.get(`${PATH}/${login}`)).status).toBe(404);
  });

  it("an application's JWT populate lambda holds it too", async () => {
    const id = (await c.post(PATH, jwtLambda('App populate'))).body.lambda.id as string;
    const app = await c.post(`/api/application/${ID.app2}`, { application: { name: 'Lambda app', lambdaConfiguration: { accessTokenPopulateId: id } } }, { tenantId: c.e.defaultTenantId });
    expect(app.status, JSON.stringify(app.body)).toBe(200);
    expect(codes(await c.del(`${PATH}/${id}`), 'lambdaId')).toEqual(['[inUse]lambdaId']);
  });
});
