/**
 * Variables: sources and precedence, the env and file helpers, type conversion to the schema's type, and the
 * guarantees that a value never injects structure or template code.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type LoadOptions } from '../../src/config/load.js';
import type { DesiredState } from '../../src/core/types.js';
import { loadErrors, tmpFiles } from './helpers.js';

/** A file with one tenant whose fields are given as YAML lines. */
function tenantFile(variables: string, fields: string): string {
  return `${variables}\ntenants:\n  - key: t\n    name: T\n${fields}`;
}

async function load(files: Record<string, string>, options: LoadOptions = {}): Promise<{ state: DesiredState; dir: string }> {
  const dir = tmpFiles(files);
  const state = await loadConfig([join(dir, 'kickstand.yaml')], { env: {}, ...options });
  return { state, dir };
}

const tenantBody = (s: DesiredState) => s.resources.find((r) => r.kind === 'tenant')!.body;

describe('sources and precedence', () => {
  const file = tenantFile('variables:\n  issuer: from-block', '    issuer: "{{issuer}}"\n');

  it('the variables block gives the default', async () => {
    const { state } = await load({ 'kickstand.yaml': file });
    expect(tenantBody(state).issuer).toBe('from-block');
  });

  it('a --var-file wins over the block, a later var file over an earlier one, --var over all', async () => {
    const dir = tmpFiles({
      'kickstand.yaml': file,
      'a.yaml': 'issuer: from-a\n',
      'b.json': '{ "issuer": "from-b" }',
    });
    const path = [join(dir, 'kickstand.yaml')];
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.json');
    expect(tenantBody(await loadConfig(path, { env: {}, varFiles: [a] })).issuer).toBe('from-a');
    expect(tenantBody(await loadConfig(path, { env: {}, varFiles: [a, b] })).issuer).toBe('from-b');
    expect(tenantBody(await loadConfig(path, { env: {}, varFiles: [b, a] })).issuer).toBe('from-a');
    expect(tenantBody(await loadConfig(path, { env: {}, varFiles: [a, b], vars: { issuer: 'from-var' } })).issuer).toBe('from-var');
  });

  it('reads .env var files: comments, export, quotes', async () => {
    const dir = tmpFiles({
      'kickstand.yaml': tenantFile('variables:\n  issuer: x\n  logout: y', '    issuer: "{{issuer}}"\n    logoutURL: "{{logout}}"\n'),
      'prod.env': '# production\nexport issuer="quoted # not a comment"\nlogout=https://example.com/bye # trailing comment\n',
    });
    const state = await loadConfig([join(dir, 'kickstand.yaml')], { env: {}, varFiles: [join(dir, 'prod.env')] });
    expect(tenantBody(state).issuer).toBe('quoted # not a comment');
    expect(tenantBody(state).logoutURL).toBe('https://example.com/bye');
  });

  it('a --var must be declared (Terraform does the same): the error names it, suggests the closest and lists the declared', async () => {
    const dir = tmpFiles({ 'kickstand.yaml': tenantFile('variables:\n  phoneCodeTtl: 600\n  issuer: x', '    issuer: "{{issuer}}"\n') });
    const { errors } = await loadErrors([join(dir, 'kickstand.yaml')], { vars: { phoneCodeTTL: '300' } });
    expect(errors.map((e) => e.message)).toEqual(['--var phoneCodeTTL: no variable "phoneCodeTTL" is declared; did you mean "phoneCodeTtl"? (declared: issuer, phoneCodeTtl)']);
    const none = await loadErrors([join(dir, 'kickstand.yaml')], { vars: { zzz: '1' } });
    expect(none.errors.map((e) => e.message)).toEqual(['--var zzz: no variable "zzz" is declared (declared: issuer, phoneCodeTtl)']);
    const noDecls = tmpFiles({ 'kickstand.yaml': tenantFile('', '') });
    expect((await loadErrors([join(noDecls, 'kickstand.yaml')], { vars: { a: '1' } })).errors[0]!.message)
      .toBe('--var a: no variable "a" is declared; declare it in a variables: block (no variables are declared in these files)');
  });

  it('a variable declared twice across files is an error naming both places', async () => {
    const dir = tmpFiles({ 'a.yaml': 'variables:\n  region: eu\n', 'b.yaml': 'variables:\n  region: us\n' });
    const { errors } = await loadErrors([dir]);
    expect(errors[0]!.message).toMatch(/variable "region" is declared twice: here and at .*a\.yaml:2:3/);
    expect(errors[0]!.where?.file).toMatch(/b\.yaml$/);
  });
});

describe('the env helper', () => {
  const file = tenantFile('', '    issuer: \'{{env "KS_ISSUER" "fallback"}}\'\n    logoutURL: \'{{env "KS_LOGOUT"}}\'\n');

  it('reads the environment, with and without a default', async () => {
    const { state } = await load({ 'kickstand.yaml': file }, { env: { KS_ISSUER: 'from-env', KS_LOGOUT: 'https://x.test/' } });
    expect(tenantBody(state).issuer).toBe('from-env');
    expect(tenantBody(state).logoutURL).toBe('https://x.test/');
  });

  it('falls back to the default when unset, and fails clearly without one', async () => {
    const dir = tmpFiles({ 'kickstand.yaml': file });
    const { errors } = await loadErrors([join(dir, 'kickstand.yaml')], { env: {} });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('environment variable KS_LOGOUT is not set and {{env "KS_LOGOUT"}} gives no default');
    expect(errors[0]!.where).toMatchObject({ line: 6, column: 5, path: 'tenants[0].logoutURL' });
    const ok = await loadConfig([join(dir, 'kickstand.yaml')], { env: { KS_LOGOUT: 'https://x.test/' } });
    expect(tenantBody(ok).issuer).toBe('fallback');
  });

  it('defaults to process.env', async () => {
    process.env.KS_TEST_FROM_PROCESS = 'from-process';
    try {
      const dir = tmpFiles({ 'kickstand.yaml': tenantFile('', '    issuer: \'{{env "KS_TEST_FROM_PROCESS"}}\'\n') });
      expect(tenantBody(await loadConfig([join(dir, 'kickstand.yaml')])).issuer).toBe('from-process');
    } finally {
      delete process.env.KS_TEST_FROM_PROCESS;
    }
  });

  it('a variable default may use env; a sensitive one makes the value a secret', async () => {
    const vars = 'variables:\n  token:\n    sensitive: true\n    default: \'{{env "KS_TOKEN" "default-token-value"}}\'';
    const { state } = await load({ 'kickstand.yaml': tenantFile(vars, '    issuer: "{{token}}"\n') }, { env: { KS_TOKEN: 'env-token-value' } });
    expect(tenantBody(state).issuer).toBe('env-token-value');
    expect(state.secrets).toContain('env-token-value');
    expect(state.secrets).not.toContain('default-token-value');
  });

  it('a variable default cannot use another variable', async () => {
    const dir = tmpFiles({ 'kickstand.yaml': 'variables:\n  a: x\n  b: "{{a}}"\n' });
    const { errors } = await loadErrors([join(dir, 'kickstand.yaml')]);
    expect(errors[0]!.message).toContain('a variable default cannot use another variable ("a")');
    expect(errors[0]!.where).toMatchObject({ line: 3, path: 'variables.b' });
  });
});

describe('the file helper', () => {
  it('reads a file relative to the file that uses it, inserted as is (anywhere in the folder given)', async () => {
    const dir = tmpFiles({
      'config/kickstand.yaml': 'messageTemplates:\n  - key: v\n    name: V\n    type: SMS\n    defaultTemplate: \'{{file "../sms/verify.ftl"}}\'\n',
      'sms/verify.ftl': 'Code ${code} {{not-a-variable}} [#if x]y[/#if]\n',
    });
    const state = await loadConfig([dir], { env: {} });
    expect(state.resources[0]!.body.defaultTemplate).toBe('Code ${code} {{not-a-variable}} [#if x]y[/#if]\n');
  });

  it('a missing file is a clear error', async () => {
    const dir = tmpFiles({ 'kickstand.yaml': tenantFile('', '    issuer: \'{{file "nope.txt"}}\'\n') });
    const { errors } = await loadErrors([join(dir, 'kickstand.yaml')]);
    expect(errors[0]!.message).toMatch(/^file "nope\.txt" does not exist \(the file helper reads paths relative to .*kickstand\.yaml\)$/);
  });

  it('a file over the size limit is refused', async () => {
    const dir = tmpFiles({ 'kickstand.yaml': tenantFile('', '    issuer: \'{{file "big.txt"}}\'\n'), 'big.txt': 'x'.repeat(5000) });
    const { errors } = await loadErrors([join(dir, 'kickstand.yaml')], { maxFileBytes: 1000 });
    expect(errors[0]!.message).toContain('over the limit of 1000 bytes');
  });
});

describe('type conversion of single expressions', () => {
  const file = tenantFile(
    'variables:\n  ttl: "600"\n  on: "true"',
    '    externalIdentifierConfiguration:\n      phoneVerificationIdTimeToLiveInSeconds: "{{ttl}}"\n' +
      '    phoneConfiguration:\n      implicitPhoneVerificationAllowed: "{{on}}"\n    issuer: "{{ttl}}"\n',
  );

  it('a string "600" becomes the integer 600 where the schema wants an integer, "true" a boolean; strings stay strings', async () => {
    const { state } = await load({ 'kickstand.yaml': file });
    const body = tenantBody(state) as Record<string, Record<string, unknown>>;
    expect(body.externalIdentifierConfiguration!.phoneVerificationIdTimeToLiveInSeconds).toBe(600);
    expect(body.phoneConfiguration!.implicitPhoneVerificationAllowed).toBe(true);
    expect(body.issuer).toBe('600');
  });

  it('an env value converts too, and --var wins', async () => {
    const f = tenantFile('', '    externalIdentifierConfiguration:\n      phoneVerificationIdTimeToLiveInSeconds: \'{{env "TTL"}}\'\n');
    const { state } = await load({ 'kickstand.yaml': f }, { env: { TTL: ' 300 ' } });
    expect((tenantBody(state).externalIdentifierConfiguration as Record<string, unknown>).phoneVerificationIdTimeToLiveInSeconds).toBe(300);
  });

  it('"abc" for an integer is an error naming the path and the expected type; "yes" for a boolean too', async () => {
    const dir = tmpFiles({ 'kickstand.yaml': file });
    const { errors } = await loadErrors([join(dir, 'kickstand.yaml')], { vars: { ttl: 'abc', on: 'yes' } });
    expect(errors.map((e) => [e.where?.path, e.message])).toEqual([
      ['tenants[0].externalIdentifierConfiguration.phoneVerificationIdTimeToLiveInSeconds', 'the expression\'s value "abc" is not an integer, which this field needs'],
      ['tenants[0].phoneConfiguration.implicitPhoneVerificationAllowed', 'the expression\'s value "yes" is not true or false, which this field needs'],
    ]);
  });

  it('a string with text around the expression is not converted (and then fails the schema)', async () => {
    const f = tenantFile('variables:\n  ttl: 6', '    externalIdentifierConfiguration:\n      phoneVerificationIdTimeToLiveInSeconds: "{{ttl}}00"\n');
    const dir = tmpFiles({ 'kickstand.yaml': f });
    const { errors } = await loadErrors([join(dir, 'kickstand.yaml')]);
    expect(errors[0]!.message).toBe('must be an integer, not a string');
  });

  it('a messenger field converts by the messenger type (Generic timeouts are integers)', async () => {
    const f = 'variables:\n  timeout: 2000\nmessengers:\n  - key: g\n    name: G\n    type: Generic\n    url: https://sms.example.com\n    connectTimeout: "{{timeout}}"\n    readTimeout: "{{timeout}}"\n';
    const { state } = await load({ 'kickstand.yaml': f });
    expect(state.resources[0]!.body).toMatchObject({ connectTimeout: 2000, readTimeout: 2000 });
  });
});

describe('values are data, never code or structure', () => {
  it('FreeMarker ${code} passes untouched, in files and inline', async () => {
    const f = 'messageTemplates:\n  - key: v\n    name: V\n    type: SMS\n    defaultTemplate: "Your code is ${code}. [#if user??]Hi[/#if]"\n    localizedTemplates:\n      fr: "Code : ${code} ({{app}})"\nvariables:\n  app: Demo\n';
    const { state } = await load({ 'kickstand.yaml': f });
    expect(state.resources[0]!.body.defaultTemplate).toBe('Your code is ${code}. [#if user??]Hi[/#if]');
    expect(state.resources[0]!.body.localizedTemplates).toEqual({ fr: 'Code : ${code} (Demo)' });
  });

  it('a variable whose value contains {{ is inserted literally, not evaluated again', async () => {
    const f = tenantFile('variables:\n  other: SECRET\n  v:', '    issuer: "{{v}}"\n');
    const { state } = await load({ 'kickstand.yaml': f }, { vars: { v: '{{other}} {{env "HOME"}} {{> p}}' } });
    expect(tenantBody(state).issuer).toBe('{{other}} {{env "HOME"}} {{> p}}');
  });

  it('YAML or JSON syntax in a value is inserted as a string and never becomes structure', async () => {
    const injected = '"\n    evil: true\n  - key: injected\n    name: X\n{"a": [1, 2]}';
    const f = tenantFile('variables:\n  v:', '    issuer: "{{v}}"\n');
    const { state } = await load({ 'kickstand.yaml': f }, { vars: { v: injected } });
    expect(state.resources).toHaveLength(1);
    expect(tenantBody(state)).toEqual({ name: 'T', issuer: injected });
  });

  it('an escaped \\{{ stays a literal {{ (in plain and single-quoted YAML)', async () => {
    const f = tenantFile('variables:\n  x: 1', "    issuer: \\{{x}} and {{x}}\n    logoutURL: 'https://a.test/\\{{x}}'\n");
    const { state } = await load({ 'kickstand.yaml': f });
    expect(tenantBody(state).issuer).toBe('{{x}} and 1');
    expect(tenantBody(state).logoutURL).toBe('https://a.test/{{x}}');
  });

  it('templates cannot reach prototypes: {{constructor.constructor …}}, {{__proto__}}, @root, lookup, this', async () => {
    for (const t of ['{{constructor.constructor "return process"}}', '{{constructor}}', '{{__proto__}}', '{{@root.x}}', '{{lookup this "constructor"}}', '{{this}}', '{{../x}}', '{{toString}}']) {
      const dir = tmpFiles({ 'kickstand.yaml': tenantFile('', `    issuer: '${t}'\n`) });
      const { errors } = await loadErrors([join(dir, 'kickstand.yaml')]);
      expect(errors, t).toHaveLength(1);
      expect(errors[0]!.where?.path, t).toBe('tenants[0].issuer');
    }
  });

  it('strings without {{ are never handed to Handlebars (a lone }} or \\ stays as written)', async () => {
    const f = tenantFile('', '    issuer: "a }} b \\\\ c ${x}"\n');
    const { state } = await load({ 'kickstand.yaml': f });
    expect(tenantBody(state).issuer).toBe('a }} b \\ c ${x}');
  });

  it('bad --var names are refused', async () => {
    const dir = tmpFiles({ 'kickstand.yaml': tenantFile('', '') });
    const { errors } = await loadErrors([join(dir, 'kickstand.yaml')], { vars: { constructor: 'x' } });
    expect(errors[0]!.message).toContain('"constructor" is reserved');
  });
});
