/**
 * Email templates as kickstand entries: bodies read from files converge although FusionAuth stores them trimmed
 * (`EmailTemplate.normalize()`), the offline rules of its validator, references from tenants and applications by key,
 * and the setup wizard's `[FusionAuth Default]` templates adopted by name.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { JsonObject } from '../../src/core/types.js';
import { apply, plan } from '../../src/engine.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import type { ApiClient } from '../../src/fusionauth/types.js';
import { runCli, tmpFiles } from '../config/helpers.js';

let emu: Emulator;
let client: ApiClient;
beforeEach(async () => {
  emu = await startEmulator();
  client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
});
afterEach(() => emu.stop());

/** Every email template on the server, by name. */
async function templates(): Promise<Map<string, JsonObject>> {
  const list = (await client.request<JsonObject>({ method: 'GET', path: '/api/email/template' })).body!.emailTemplates as JsonObject[];
  return new Map(list.map((t) => [String(t.name), t]));
}

const WELCOME = [
  'emailTemplates:',
  '  - key: welcome',
  '    name: Welcome',
  '    defaultSubject: "Welcome, ${user.firstName!\'friend\'}"',
  '    defaultFromName: Acme',
  '    fromEmail: hello@acme.example',
  '    defaultHtmlTemplate: \'{{file "email/welcome.html.ftl"}}\'',
  '    defaultTextTemplate: \'{{file "email/welcome.txt.ftl"}}\'',
  '    localizedTextTemplates:',
  '      de: \'{{file "email/welcome.de.txt.ftl"}}\'',
  '',
].join('\n');
const FILES = {
  'kickstand.yaml': WELCOME,
  // Files as editors write them: a final newline, and Windows line endings in one.
  'email/welcome.html.ftl': '<p>Hello ${user.firstName!"friend"},</p>\n<p>welcome to Acme.</p>\n',
  'email/welcome.txt.ftl': 'Hello ${user.firstName!"friend"},\nwelcome to Acme.\n',
  'email/welcome.de.txt.ftl': 'Hallo ${user.firstName!"Freund"},\r\nwillkommen bei Acme.\r\n',
};

describe('bodies from files', () => {
  it('are created, stored trimmed by the server, and then plan nothing: the final newline is not a change', async () => {
    const desired = await loadConfig([tmpFiles(FILES)], { env: {} });
    const first = await plan({ desired, client });
    expect(first.plan.diagnostics).toEqual([]);
    expect(first.plan.changes.map((c) => `${c.action} ${c.kind}:${c.key}`)).toEqual(['create emailTemplate:welcome']);
    const { result } = await apply({ plan: first.plan, desired, client });
    expect(result.outcomes.map((o) => o.status)).toEqual(['applied']);

    const stored = (await templates()).get('Welcome')!;
    expect(stored.defaultTextTemplate).toBe('Hello ${user.firstName!"friend"},\nwelcome to Acme.');
    expect(stored.localizedTextTemplates).toEqual({ de: 'Hallo ${user.firstName!"Freund"},\nwillkommen bei Acme.' });

    const second = await plan({ desired, client });
    expect(second.plan.changes.map((c) => [c.action, c.fields.map((f) => f.path)])).toEqual([['noop', []]]);
  });

  it('a changed file is an update of that text only', async () => {
    await apply({ desired: await loadConfig([tmpFiles(FILES)], { env: {} }), client });
    const changed = await loadConfig([tmpFiles({ ...FILES, 'email/welcome.txt.ftl': 'Hi ${user.firstName!"friend"}!\n' })], { env: {} });
    const p = await plan({ desired: changed, client });
    expect(p.plan.changes.map((c) => [c.action, c.fields.map((f) => f.path)])).toEqual([['update', ['defaultTextTemplate']]]);
    expect(p.plan.changes[0]!.after).toEqual({ defaultTextTemplate: 'Hi ${user.firstName!"friend"}!' });
  });
});

describe('the offline rules', () => {
  it('kickstand validate reports blank texts and a sender that is no address, at their lines', async () => {
    const dir = tmpFiles({
      'kickstand.yaml': 'emailTemplates:\n  - key: bad\n    name: Bad\n    defaultSubject: "  "\n    defaultHtmlTemplate: <p>x</p>\n    defaultTextTemplate: x\n    fromEmail: no-reply\n',
    });
    const r = await runCli(['validate', dir]);
    const f = join(dir, 'kickstand.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `${f}:4:5  emailTemplates[0].defaultSubject  error: FusionAuth requires it (it cannot be blank)`,
      `${f}:7:5  emailTemplates[0].fromEmail  error: "no-reply" is not an email address`,
      '2 errors',
      '',
    ]);
  });

  it('the schema requires the name, subject and both bodies', async () => {
    const r = await runCli(['validate', tmpFiles({ 'k.yaml': 'emailTemplates:\n  - key: thin\n    name: Thin\n' })]);
    expect(r.code).toBe(1);
    for (const f of ['defaultSubject', 'defaultHtmlTemplate', 'defaultTextTemplate']) expect(r.stdout).toContain(f);
  });

  it('two entries with one name are refused before any request: FusionAuth keeps the names unique', async () => {
    const body = '    defaultSubject: s\n    defaultHtmlTemplate: h\n    defaultTextTemplate: t\n';
    const r = await runCli(['validate', tmpFiles({ 'k.yaml': `emailTemplates:\n  - key: a\n    name: Same\n${body}  - key: b\n    name: Same\n${body}` })]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/name "Same"/);
  });
});

describe('with tenants and applications', () => {
  it('a tenant and an application name templates by key: the templates are created first and their ids written in', async () => {
    const yaml = [
      WELCOME,
      'tenants:',
      '  - key: acme',
      '    name: Acme',
      '    emailConfiguration:',
      '      forgotPasswordEmailTemplateId: welcome',
      'applications:',
      '  - key: portal',
      '    name: Portal',
      '    tenantId: acme',
      '    verifyRegistration: true',
      '    verificationEmailTemplateId: welcome',
      '',
    ].join('\n');
    const desired = await loadConfig([tmpFiles({ ...FILES, 'kickstand.yaml': yaml })], { env: {} });
    const first = await plan({ desired, client });
    expect(first.plan.diagnostics).toEqual([]);
    expect(first.plan.changes.map((c) => `${c.action} ${c.kind}:${c.key}`)).toEqual(['create emailTemplate:welcome', 'create tenant:acme', 'create application:portal']);
    const templateId = first.plan.changes[0]!.id;
    expect(first.plan.changes[1]!.after).toMatchObject({ emailConfiguration: { forgotPasswordEmailTemplateId: templateId } });
    const { result } = await apply({ plan: first.plan, desired, client });
    expect(result.outcomes.map((o) => o.error ?? o.status)).toEqual(['applied', 'applied', 'applied']);
    expect((await plan({ desired, client })).plan.changes.map((c) => c.action)).toEqual(['noop', 'noop', 'noop']);
  });

  it('a [FusionAuth Default] template written by its name is adopted and updated, not created again', async () => {
    // The setup wizard's template: a fresh instance has none, a server the wizard ran on has it.
    const made = await client.request({ method: 'POST', path: '/api/email/template', body: { emailTemplate: { name: '[FusionAuth Default] Forgot Password', defaultSubject: 'Reset your password', defaultHtmlTemplate: '<p>Reset</p>', defaultTextTemplate: 'Reset' } } });
    expect(made.status).toBe(200);
    const yaml = 'emailTemplates:\n  - key: forgot\n    name: "[FusionAuth Default] Forgot Password"\n    defaultSubject: Reset your Acme password\n    defaultHtmlTemplate: <p>Reset it here.</p>\n    defaultTextTemplate: Reset it here.\n';
    const desired = await loadConfig([tmpFiles({ 'kickstand.yaml': yaml })], { env: {} });
    const p = await plan({ desired, client });
    const builtIn = (await templates()).get('[FusionAuth Default] Forgot Password')!;
    expect(p.plan.changes.map((c) => [c.action, c.match, c.id])).toEqual([['update', 'adopted-by-name', builtIn.id]]);
  });
});

describe('the cost of a plan', () => {
  it('is one read per kind present, whatever the number of entries: 40 templates, 40 lambdas and the system configuration', async () => {
    const lines = ['systemConfiguration:', '  reportTimezone: UTC', 'emailTemplates:'];
    for (let i = 0; i < 40; i++) lines.push(`  - key: t${i}`, `    name: Template ${i}`, '    defaultSubject: s', '    defaultHtmlTemplate: h', '    defaultTextTemplate: t');
    lines.push('lambdas:');
    for (let i = 0; i < 40; i++) lines.push(`  - key: l${i}`, `    name: Lambda ${i}`, '    type: JWTPopulate', '    body: "function populate(jwt) {}"');
    const desired = await loadConfig([tmpFiles({ 'kickstand.yaml': `${lines.join('\n')}\n` })], { env: {} });
    const sent: string[] = [];
    const recording: ApiClient = { baseUrl: client.baseUrl, request: (req) => { sent.push(`${req.method} ${req.path}`); return client.request(req); } };
    const out = await plan({ desired, client: recording });
    expect(out.plan.changes).toHaveLength(81);
    expect(sent.sort()).toEqual(['GET /api/email/template', 'GET /api/lambda', 'GET /api/reactor', 'GET /api/system-configuration', 'GET /api/system/version']);
  });
});
