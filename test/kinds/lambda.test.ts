/**
 * Lambdas as kickstand entries: a body read from a file converges, the offline rules (the function the type invokes,
 * a non-blank body), the type that cannot change (a plan error, or a replace when allowed), the Nashorn engine refused
 * on servers that removed it, and tenants and applications naming lambdas by key.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { apply, plan } from '../../src/engine.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import type { ApiClient } from '../../src/fusionauth/types.js';
import { runCli, tmpFiles } from '../config/helpers.js';

let emu: Emulator;
let client: ApiClient;
const startOn = async (version?: string) => {
  emu = await startEmulator(version ? { version } : {});
  client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
};

const POPULATE = 'function populate(jwt, user, registration) {\n  jwt.roles = registration.roles;\n}\n';
const lambdaYaml = (extra = '', type = 'JWTPopulate') =>
  `lambdas:\n  - key: roles\n    name: Roles claim\n    type: ${type}\n    body: '{{file "lambdas/roles.js"}}'\n${extra}`;
const load = (files: Record<string, string>) => loadConfig([tmpFiles({ 'lambdas/roles.js': POPULATE, ...files })], { env: {} });

describe('against a current server', () => {
  beforeEach(() => startOn());
  afterEach(() => emu.stop());

  it('a body from a file is created as written and then plans nothing', async () => {
    const desired = await load({ 'kickstand.yaml': lambdaYaml() });
    const first = await plan({ desired, client });
    expect(first.plan.diagnostics).toEqual([]);
    expect(first.plan.changes.map((c) => `${c.action} ${c.kind}:${c.key}`)).toEqual(['create lambda:roles']);
    expect(first.plan.changes[0]!.after).toEqual({ name: 'Roles claim', type: 'JWTPopulate', body: POPULATE });
    const { result } = await apply({ plan: first.plan, desired, client });
    expect(result.outcomes.map((o) => o.error ?? o.status)).toEqual(['applied']);
    expect((await plan({ desired, client })).plan.changes.map((c) => c.action)).toEqual(['noop']);
  });

  it('a changed type cannot be applied: a plan error, or with --allow-replace a delete and create under the same id', async () => {
    await apply({ desired: await load({ 'kickstand.yaml': lambdaYaml() }), client });
    const reconcile = await load({ 'kickstand.yaml': lambdaYaml('', 'OpenIDReconcile'), 'lambdas/roles.js': 'function reconcile(user, registration, jwt) {}\n' });
    const refused = await plan({ desired: reconcile, client });
    expect(refused.plan.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/^type cannot change from "JWTPopulate" to "OpenIDReconcile": FusionAuth fixes a lambda's type/)]);
    const replaced = await plan({ desired: reconcile, client, allowReplace: true });
    expect(replaced.plan.changes.map((c) => c.action)).toEqual(['replace']);
    const { result } = await apply({ plan: replaced.plan, desired: reconcile, client });
    expect(result.outcomes.map((o) => o.error ?? o.status)).toEqual(['applied']);
    expect((await plan({ desired: reconcile, client })).plan.changes.map((c) => c.action)).toEqual(['noop']);
  });

  it('the Nashorn engine is refused at plan time: this server removed it', async () => {
    const p = await plan({ desired: await load({ 'kickstand.yaml': lambdaYaml('    engineType: Nashorn\n') }), client });
    expect(p.plan.diagnostics.map((d) => [d.severity, d.where?.path, d.message])).toEqual([
      ['error', 'engineType', 'engineType Nashorn: FusionAuth removed the Nashorn engine in 1.49.0 (this server is 1.69.0) and accepts only GraalJS'],
    ]);
  });

  it('tenants and applications name lambdas by key; the lambdas are created first', async () => {
    const yaml = [
      lambdaYaml(),
      '  - key: login-check',
      '    name: Login check',
      '    type: LoginValidation',
      '    body: "function validate(result, user, registration, context) {}"',
      'tenants:',
      '  - key: acme',
      '    name: Acme',
      '    lambdaConfiguration:',
      '      loginValidationId: login-check',
      'applications:',
      '  - key: portal',
      '    name: Portal',
      '    tenantId: acme',
      '    lambdaConfiguration:',
      '      accessTokenPopulateId: roles',
      '',
    ].join('\n');
    const desired = await load({ 'kickstand.yaml': yaml });
    const first = await plan({ desired, client });
    expect(first.plan.diagnostics).toEqual([]);
    expect(first.plan.changes.map((c) => `${c.action} ${c.kind}:${c.key}`)).toEqual(['create lambda:login-check', 'create lambda:roles', 'create tenant:acme', 'create application:portal']);
    const ids = new Map(first.plan.changes.map((c) => [c.key, c.id]));
    expect(first.plan.changes[3]!.after).toMatchObject({ lambdaConfiguration: { accessTokenPopulateId: ids.get('roles') } });
    const { result } = await apply({ plan: first.plan, desired, client });
    expect(result.outcomes.map((o) => o.error ?? o.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  });
});

describe('against an unlicensed server', () => {
  beforeEach(async () => {
    emu = await startEmulator({ licensed: false });
    client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
  });
  afterEach(() => emu.stop());

  it('a body calling fetch (Lambda HTTP Connect, a licensed feature) is a warning, not an error: FusionAuth stores it', async () => {
    const desired = await load({ 'kickstand.yaml': lambdaYaml(), 'lambdas/roles.js': 'function populate(jwt) {\n  var r = fetch("https://roles.example/" + jwt.sub);\n}\n' });
    const p = await plan({ desired, client });
    expect(p.plan.diagnostics.map((d) => [d.severity, d.where?.path, d.message])).toEqual([
      ['warning', 'body', 'the body calls fetch (Lambda HTTP Connect), which needs a FusionAuth license; this server is unlicensed'],
    ]);
    const { result } = await apply({ plan: p.plan, desired, client });
    expect(result.outcomes.map((o) => o.status)).toEqual(['applied']);
  });
});

describe('against a server older than 1.49.0', () => {
  beforeEach(() => startOn('1.48.0'));
  afterEach(() => emu.stop());

  it('Nashorn is no plan error: the server still had it', async () => {
    const p = await plan({ desired: await load({ 'kickstand.yaml': lambdaYaml('    engineType: Nashorn\n') }), client });
    expect(p.plan.diagnostics).toEqual([]);
  });
});

describe('the offline rules', () => {
  it('kickstand validate reports a body without its type\'s function and a blank body, at their lines', async () => {
    const dir = tmpFiles({
      'kickstand.yaml': [
        'lambdas:',
        '  - key: wrong',
        '    name: Wrong function',
        '    type: MFARequirement',
        '    body: "function validate(result) {}"',
        '  - key: empty',
        '    name: Empty',
        '    type: JWTPopulate',
        '    body: "  "',
        '',
      ].join('\n'),
    });
    const r = await runCli(['validate', dir]);
    const f = join(dir, 'kickstand.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `${f}:5:5  lambdas[0].body  error: a MFARequirement lambda must define function checkRequired(…); FusionAuth refuses it otherwise`,
      `${f}:9:5  lambdas[1].body  error: FusionAuth requires the function body (it cannot be blank)`,
      '2 errors',
      '',
    ]);
  });

  it('accepts a function assigned to a variable, and every documented type with its function', async () => {
    const yaml = 'lambdas:\n  - key: a\n    name: A\n    type: UserInfoPopulate\n    body: "var populate = function(response, user) {};"\n' +
      '  - key: b\n    name: B\n    type: SCIMServerUserRequestConverter\n    body: "function convert(user, options, scimUser) {}"\n';
    expect(await runCli(['validate', tmpFiles({ 'k.yaml': yaml })])).toMatchObject({ code: 0 });
  });
});
