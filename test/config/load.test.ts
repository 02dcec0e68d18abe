/** loadConfig: the example, multi-file and folder merge, keys and ids, references, source positions, warnings, secrets. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ID_NAMESPACE, loadConfig } from '../../src/config/load.js';
import { isUuid } from '../../src/core/uuid.js';
import { loadErrors, tmpFiles } from './helpers.js';

const MESSENGER = 'messengers:\n  - key: twilio\n    name: Twilio\n    type: Twilio\n    url: https://api.twilio.com\n    accountSID: AC1\n    authToken: twilio-token-1234\n    fromPhoneNumber: "+15555550100"\n';
const TEMPLATE = 'messageTemplates:\n  - key: verify\n    name: Verify\n    type: SMS\n    defaultTemplate: "Code ${code}"\n';

describe('the phone-gating example', () => {
  it('loads with no environment set: six resources, references by key, the TTL an integer, the token a secret', async () => {
    const state = await loadConfig(['examples/phone-gating'], { env: {} });
    expect(state.files).toEqual(['examples/phone-gating/kickstand.yaml', 'examples/phone-gating/users.yaml']);
    expect(state.diagnostics).toEqual([]);
    expect(state.idNamespace).toBe(DEFAULT_ID_NAMESPACE);
    expect(state.resources.map((r) => `${r.kind}:${r.key}`)).toEqual([
      'messenger:twilio', 'messageTemplate:phone-verification', 'tenant:phone-gated', 'application:phone-app', 'user:test-user', 'userRegistration:test-user/phone-app',
    ]);
    const tenant = state.resources[2]!;
    expect(tenant.refs).toEqual([
      { path: 'phoneConfiguration.messengerId', kind: 'messenger', key: 'twilio' },
      { path: 'phoneConfiguration.verificationTemplateId', kind: 'messageTemplate', key: 'phone-verification' },
    ]);
    expect(tenant.body).toMatchObject({
      phoneConfiguration: { messengerId: 'twilio', verifyPhoneNumber: true, verificationStrategy: 'FormField', unverified: { behavior: 'Gated' } },
      externalIdentifierConfiguration: { phoneVerificationIdTimeToLiveInSeconds: 600 },
    });
    expect(state.resources[1]!.body.defaultTemplate).toContain('${code}');
    expect(state.resources[3]!.refs).toEqual([{ path: 'tenantId', kind: 'tenant', key: 'phone-gated' }]);
    expect(state.secrets).toContain('placeholder-twilio-auth-token');
    // The seeded test user (users.yaml): a phone number, no tenant written (the registration's application gives it),
    // its password from a sensitive variable.
    const user = state.resources[4]!;
    expect(user.body).toEqual({ phoneNumber: '+15555550123', password: 'test-user-placeholder', firstName: 'Test' });
    expect(user.sensitivePaths).toContain('password');
    expect(state.secrets).toContain('test-user-placeholder');
    expect(state.resources[5]!.refs).toEqual([{ path: 'applicationId', kind: 'application', key: 'phone-app' }]);
  });

  it('takes the environment when set', async () => {
    const state = await loadConfig(['examples/phone-gating'], { env: { TWILIO_AUTH_TOKEN: 'real-token-from-env', TWILIO_ACCOUNT_SID: 'AC42', TEST_USER_PASSWORD: 'test-password-from-env' } });
    expect(state.resources[0]!.body).toMatchObject({ accountSID: 'AC42', authToken: 'real-token-from-env' });
    expect(state.secrets).toContain('real-token-from-env');
    expect(state.resources.find((r) => r.kind === 'user')!.body.password).toBe('test-password-from-env');
    expect(state.secrets).toContain('test-password-from-env');
  });

  it('without the test user: naming kickstand.yaml instead of the folder leaves users.yaml out (its README, production)', async () => {
    const state = await loadConfig(['examples/phone-gating/kickstand.yaml'], { env: {} });
    expect(state.diagnostics).toEqual([]);
    expect(state.resources.map((r) => r.kind)).toEqual(['messenger', 'messageTemplate', 'tenant', 'application']);
    expect(state.resources[1]!.body.defaultTemplate).toContain('${code}');
  });
});

describe('files and folders', () => {
  it('merges files and folders (recursive, sorted, only .yaml/.yml/.json, dot-entries skipped), each file once', async () => {
    const dir = tmpFiles({
      'base.yaml': MESSENGER,
      'more/b.yml': TEMPLATE,
      'more/a.json': '{ "tenants": [ { "key": "t", "name": "T" } ] }',
      'more/notes.md': 'not config',
      'more/.hidden.yaml': 'not: valid: at all',
    });
    const state = await loadConfig([join(dir, 'base.yaml'), join(dir, 'more'), join(dir, 'base.yaml')], { env: {} });
    expect(state.files.map((f) => f.slice(dir.length + 1))).toEqual(['base.yaml', 'more/a.json', 'more/b.yml']);
    expect(state.resources.map((r) => r.key).sort()).toEqual(['t', 'twilio', 'verify']);
  });

  it('a key declared twice across files is an error that names both places', async () => {
    const dir = tmpFiles({ 'a.yaml': 'tenants:\n  - key: main\n    name: A\n', 'b.yaml': '# b\ntenants:\n  - key: other\n    name: O\n  - key: main\n    name: B\n' });
    const { errors } = await loadErrors([dir]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.where).toMatchObject({ line: 5, column: 5, path: 'tenants[1].key', kind: 'tenant', key: 'main' });
    expect(errors[0]!.where?.file).toMatch(/b\.yaml$/);
    expect(errors[0]!.message).toMatch(/tenant key "main" is declared twice: here and at .*a\.yaml:2:5$/);
  });

  it('the same key in two different kinds is fine', async () => {
    const dir = tmpFiles({ 'k.yaml': 'tenants:\n  - key: main\n    name: A\napplications:\n  - key: main\n    name: B\n    tenantId: main\n' });
    const state = await loadConfig([dir], { env: {} });
    expect(state.resources).toHaveLength(2);
  });

  it('a missing path is an error; no path at all is an error', async () => {
    expect((await loadErrors(['/nonexistent/kickstand.yaml'])).errors[0]!.message).toContain('no such file or folder');
    expect((await loadErrors([])).errors[0]!.message).toContain('no files given');
  });

  it('an empty file (or one of only comments) is an error: a wrong path must not plan "No changes"', async () => {
    const dir = tmpFiles({ 'empty.yaml': '', 'comments.yaml': '# nothing yet\n', 'k.yaml': 'tenants:\n  - key: a\n    name: A\n' });
    const { errors } = await loadErrors([dir]);
    expect(errors.map((d) => [(d.where?.file ?? '').replace(/.*\//, ''), d.message])).toEqual([
      ['comments.yaml', 'the file is empty (or holds only comments): nothing to load from it'],
      ['empty.yaml', 'the file is empty (or holds only comments): nothing to load from it'],
    ]);
  });

  it('a folder with no configuration files is an error naming it', async () => {
    const dir = tmpFiles({ 'notes.txt': 'x', '.hidden/k.yaml': 'tenants: []\n', 'node_modules/m/k.yaml': 'tenants: []\n' });
    const { errors } = await loadErrors([dir]);
    expect(errors).toEqual([{ severity: 'error', message: `folder ${dir} holds no .yaml, .yml or .json files (dot-files and node_modules are skipped): is the path right?`, where: { file: dir } }]);
  });
});

describe('keys, ids and references', () => {
  it('pinned ids and UUID references are lowercased; keys are recorded as refs and left in the body', async () => {
    const dir = tmpFiles({
      'k.yaml': MESSENGER + TEMPLATE +
        'tenants:\n  - key: t\n    id: 0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D\n    name: T\n    phoneConfiguration:\n      messengerId: twilio\n      verificationTemplateId: 9F8E7D6C-5B4A-4C3D-8E1F-0A9B8C7D6E5F\n      verifyPhoneNumber: true\n' +
        'applications:\n  - key: a\n    name: A\n  - key: b\n    name: B\n    tenantId: t\n    multiFactorConfiguration:\n      sms:\n        templateId: verify\n',
    });
    const state = await loadConfig([dir], { env: {} });
    const t = state.resources.find((r) => r.key === 't')!;
    expect(t.id).toBe('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    expect(t.body).not.toHaveProperty('id');
    expect(t.body).not.toHaveProperty('key');
    expect(t.body.phoneConfiguration).toMatchObject({ messengerId: 'twilio', verificationTemplateId: '9f8e7d6c-5b4a-4c3d-8e1f-0a9b8c7d6e5f' });
    expect(t.refs).toEqual([{ path: 'phoneConfiguration.messengerId', kind: 'messenger', key: 'twilio' }]);
    const a = state.resources.find((r) => r.key === 'a')!;
    expect(a.body).not.toHaveProperty('tenantId');
    expect(a.refs).toEqual([]);
    const b = state.resources.find((r) => r.key === 'b')!;
    expect(b.refs).toEqual([
      { path: 'tenantId', kind: 'tenant', key: 't' },
      { path: 'multiFactorConfiguration.sms.templateId', kind: 'messageTemplate', key: 'verify' },
    ]);
  });

  it('a reference to a key of the wrong kind is unknown, listing the keys that exist', async () => {
    const dir = tmpFiles({ 'k.yaml': MESSENGER + 'tenants:\n  - key: t\n    name: T\n    phoneConfiguration:\n      verificationTemplateId: twilio\n      messengerId: twilio\n' });
    const { errors } = await loadErrors([dir]);
    expect(errors.map((e) => e.message)).toEqual(['unknown message template "twilio": not a UUID and no message template with this key is declared; no message templates are declared in these files']);
  });

  it('settings.idNamespace sets the namespace (lowercased); two different values are an error', async () => {
    const dir = tmpFiles({ 'a.yaml': 'settings:\n  idNamespace: 6BA7B810-9DAD-11D1-80B4-00C04FD430C8\n' });
    expect((await loadConfig([dir], { env: {} })).idNamespace).toBe('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
    const dir2 = tmpFiles({ 'a.yaml': 'settings:\n  idNamespace: 6ba7b810-9dad-11d1-80b4-00c04fd430c8\n', 'b.yaml': 'settings:\n  idNamespace: 6ba7b811-9dad-11d1-80b4-00c04fd430c8\n' });
    expect((await loadErrors([dir2])).errors[0]!.message).toMatch(/idNamespace is set twice/);
    expect(isUuid(DEFAULT_ID_NAMESPACE)).toBe(true);
  });
});

describe('source positions', () => {
  it('SourceMap.pos points at the written key, falls back to the nearest ancestor, and works for JSON', async () => {
    const dir = tmpFiles({
      'k.yaml': '# comment\ntenants:\n  - name: T\n    key: t\n    phoneConfiguration:\n      unverified:\n        behavior: Gated\n',
      'j.json': '{\n  "applications": [\n    {\n      "key": "a",\n      "name": "A",\n      "oauthConfiguration": {\n        "enabledGrants": ["authorization_code", "refresh_token"]\n      }\n    }\n  ]\n}\n',
    });
    const state = await loadConfig([dir], { env: {} });
    const t = state.resources.find((r) => r.kind === 'tenant')!.source;
    expect(t.entry).toMatchObject({ line: 3, column: 5 });
    expect(t.pos('phoneConfiguration.unverified.behavior')).toMatchObject({ line: 7, column: 9 });
    expect(t.pos('phoneConfiguration.messengerId')).toMatchObject({ line: 5, column: 5 });
    expect(t.pos('nothing.here')).toEqual(t.entry);
    const a = state.resources.find((r) => r.kind === 'application')!.source;
    expect(a.file).toMatch(/j\.json$/);
    expect(a.pos('oauthConfiguration.enabledGrants[1]')).toMatchObject({ line: 7, column: 49 });
  });
});

describe('schema warnings and errors', () => {
  it('an unknown field inside an entry is an error with a suggestion', async () => {
    const dir = tmpFiles({ 'k.yaml': 'tenants:\n  - key: t\n    name: T\n    phoneConfiguraton:\n      verifyPhoneNumber: false\n    brandNewField: 1\n' });
    const { errors, warnings } = await loadErrors([dir]);
    expect(errors.map((d) => [d.severity, d.where?.line, d.where?.path, d.message])).toEqual([
      ['error', 4, 'tenants[0].phoneConfiguraton', 'unknown field "phoneConfiguraton"; did you mean "phoneConfiguration"?'],
      ['error', 6, 'tenants[0].brandNewField', 'unknown field "brandNewField"'],
    ]);
    expect(warnings).toEqual([]);
  });

  it('allowUnknownFields makes them warnings that say the field is sent and, if the server ignores it, not compared; kept in the body, its path in unknownPaths', async () => {
    const dir = tmpFiles({ 'k.yaml': 'tenants:\n  - key: t\n    name: T\n    phoneConfiguraton:\n      verifyPhoneNumber: false\n    brandNewField: 1\n' });
    const state = await loadConfig([dir], { env: {}, allowUnknownFields: true });
    const kept = '(kept because unknown fields are allowed: it is sent as written; if this FusionAuth does not know the field it ignores it, and the plan says the field cannot be compared)';
    expect(state.diagnostics.map((d) => [d.severity, d.where?.line, d.where?.path, d.message])).toEqual([
      ['warning', 4, 'tenants[0].phoneConfiguraton', `unknown field "phoneConfiguraton"; did you mean "phoneConfiguration"? ${kept}`],
      ['warning', 6, 'tenants[0].brandNewField', `unknown field "brandNewField" ${kept}`],
    ]);
    expect(state.resources[0]!.body).toHaveProperty('brandNewField', 1);
    expect(state.resources[0]!.unknownPaths).toEqual(['phoneConfiguraton', 'brandNewField']);
  });

  it('allowUnknownFields leaves unknown sections and unknown fields outside entries errors', async () => {
    const dir = tmpFiles({ 'k.yaml': 'tenant:\n  - key: t\nsettings:\n  idNamespaces: x\nvariables:\n  v:\n    sensitiv: true\n' });
    const { errors } = await loadErrors([dir], { allowUnknownFields: true });
    expect(errors.map((d) => d.message)).toEqual([
      'unknown section "tenant"; did you mean "tenants"?',
      'unknown field "idNamespaces"; did you mean "idNamespace"?',
      'unknown field "sensitiv"; did you mean "sensitive"?',
    ]);
  });

  it('warnings travel with the errors when loading fails', async () => {
    const dir = tmpFiles({ 'k.yaml': 'tenants:\n  - key: t\n    name: T\n    isuer: x\n    phoneConfiguration:\n      verifyPhoneNumber: 1\n' });
    const { errors, warnings } = await loadErrors([dir], { allowUnknownFields: true });
    expect(errors.map((e) => e.message)).toEqual(['must be true or false, not a number']);
    expect(warnings.map((e) => e.message)).toEqual([expect.stringMatching(/^unknown field "isuer"; did you mean "issuer"\? \(kept because unknown fields are allowed/)]);
  });

  it('cross-field rules report at the field the rule is about', async () => {
    const dir = tmpFiles({ 'k.yaml': TEMPLATE + 'tenants:\n  - key: t\n    name: T\n    phoneConfiguration:\n      verifyPhoneNumber: true\n' });
    const { errors } = await loadErrors([dir]);
    expect(errors.map((e) => [e.where?.path, e.where?.line, e.message])).toEqual([
      ['tenants[0].phoneConfiguration.messengerId', 9, 'phone verification (verifyPhoneNumber: true) needs a messenger to send the message'],
      ['tenants[0].phoneConfiguration.verificationTemplateId', 9, 'phone verification (verifyPhoneNumber: true) needs verificationTemplateId'],
    ]);
  });
});

describe('secrets', () => {
  it('collects every secret field value (authToken, headers.*, clientSecret, SMTP password) and sensitive variables', async () => {
    const dir = tmpFiles({
      'k.yaml':
        'variables:\n  pw:\n    sensitive: true\n    default: smtp-password-1\n' +
        MESSENGER +
        '  - key: g\n    name: G\n    type: Generic\n    url: https://x.test\n    connectTimeout: 1\n    readTimeout: 1\n    headers:\n      Authorization: Bearer header-secret-1\n    httpAuthenticationPassword: http-pass-1\n' +
        'tenants:\n  - key: t\n    name: T\n    emailConfiguration:\n      password: "{{pw}}"\n' +
        'applications:\n  - key: a\n    name: A\n    oauthConfiguration:\n      clientSecret: client-secret-1\n',
    });
    const state = await loadConfig([dir], { env: {} });
    expect(state.secrets.sort()).toEqual(['Bearer header-secret-1', 'client-secret-1', 'http-pass-1', 'smtp-password-1', 'twilio-token-1234'].sort());
  });

  it('error messages never carry a sensitive value, even when the value itself is what is wrong', async () => {
    const dir = tmpFiles({
      'k.yaml':
        'variables:\n  behaviour:\n    sensitive: true\n    default: not-a-behavior-secret\n' +
        'tenants:\n  - key: t\n    name: T\n    phoneConfiguration:\n      unverified:\n        behavior: "{{behaviour}}"\n' +
        'applications:\n  - key: a\n    name: A\n    oauthConfiguration:\n      clientSecret: redirect-secret-value\n      authorizedRedirectURLs: ["{{behaviour}}", "redirect-secret-value"]\n',
    });
    const { errors } = await loadErrors([dir]);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    const text = JSON.stringify(errors);
    expect(text).not.toContain('not-a-behavior-secret');
    expect(text).not.toContain('redirect-secret-value');
    expect(text).toContain('(sensitive)');
  });
});
