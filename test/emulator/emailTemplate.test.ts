/**
 * Email templates (reference §7) over HTTP: none on a fresh instance, the defaults, the server's
 * normalisation of the texts (trimmed: what a template read from a file with a final newline comes back as), the rules
 * of the decompiled `DefaultEmailTemplateService.validate`, and the in-use refusal of a delete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCodes, codes, ID, start, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await start();
});
afterAll(() => c.e.stop());

const PATH = '/api/email/template';
const template = (name: string, extra: Record<string, unknown> = {}) => ({
  emailTemplate: { name, defaultSubject: 'Hello ${user.firstName!""}', defaultHtmlTemplate: '<p>Hello</p>', defaultTextTemplate: 'Hello', ...extra },
});

describe('a fresh instance', () => {
  it('holds no email template: the [FusionAuth Default] ones are the setup wizard\'s (SystemDefaultsSingleton), not the bootstrap\'s', async () => {
    expect((await c.get(PATH)).body).toEqual({});
  });
});

describe('create and read', () => {
  it('fills the empty localized maps and omits the sender it was not given', async () => {
    const r = await c.post(`${PATH}/${ID.t1}`, template('Minimal'));
    expect(r.status).toBe(200);
    const t = r.body.emailTemplate;
    expect(t).toMatchObject({ id: ID.t1, localizedFromNames: {}, localizedHtmlTemplates: {}, localizedSubjects: {}, localizedTextTemplates: {} });
    expect(t).not.toHaveProperty('fromEmail');
    expect((await c.get(`${PATH}/${ID.t1}`)).body.emailTemplate).toEqual(t);
  });

  it('stores the texts normalised: trimmed (Java trim: spaces, tabs, newlines, not other Unicode spaces), localized line endings as \\n', async () => {
    const r = await c.post(PATH, template('  Trimmed name\n', {
      defaultSubject: '\tSubject  ', defaultHtmlTemplate: '<p>Body</p>\n', defaultTextTemplate: 'Body\n\n', defaultFromName: ' Sender ',
      fromEmail: ' noreply@example.com\n', localizedTextTemplates: { de: 'Zeile 1\r\nZeile 2\r\n' }, localizedSubjects: { fr: 'Sujet\u00a0' },
    }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.emailTemplate).toMatchObject({
      name: 'Trimmed name', defaultSubject: 'Subject', defaultHtmlTemplate: '<p>Body</p>', defaultTextTemplate: 'Body',
      defaultFromName: 'Sender', fromEmail: 'noreply@example.com', localizedTextTemplates: { de: 'Zeile 1\nZeile 2' },
      localizedSubjects: { fr: 'Sujet\u00a0' },
    });
  });

  it('lists the templates with GET /api/email/template, whatever tenant header is sent (its scheme is api-no-tenant)', async () => {
    const names = ((await c.get(PATH, { tenantId: c.e.defaultTenantId })).body.emailTemplates as Array<{ name: string }>).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['Minimal', 'Trimmed name']));
  });
});

describe('validation (DefaultEmailTemplateService.validate)', () => {
  it('refuses blank texts: [blank] on name, text, HTML and subject', async () => {
    const r = await c.post(PATH, { emailTemplate: { name: ' ', defaultSubject: '', defaultHtmlTemplate: '\n', defaultTextTemplate: null } });
    expect(allCodes(r).sort()).toEqual([
      'emailTemplate.defaultHtmlTemplate: [blank]emailTemplate.defaultHtmlTemplate',
      'emailTemplate.defaultSubject: [blank]emailTemplate.defaultSubject',
      'emailTemplate.defaultTextTemplate: [blank]emailTemplate.defaultTextTemplate',
      'emailTemplate.name: [blank]emailTemplate.name',
    ]);
  });

  it('refuses a sender that is not an email address: [notEmail]', async () => {
    expect(codes(await c.post(PATH, template('Bad sender', { fromEmail: 'no-reply' })), 'emailTemplate.fromEmail')).toEqual(['[notEmail]emailTemplate.fromEmail']);
  });

  it('refuses a text FreeMarker cannot parse: [invalidTemplate] on the field', async () => {
    const r = await c.post(PATH, template('Bad template', { defaultSubject: 'Hello ${user.firstName', defaultTextTemplate: 'Code: ${code} ${"}"' }));
    expect(allCodes(r)).toEqual([
      'emailTemplate.defaultSubject: [invalidTemplate]emailTemplate.defaultSubject',
      'emailTemplate.defaultTextTemplate: [invalidTemplate]emailTemplate.defaultTextTemplate',
    ]);
  });

  it('keeps names unique, compared after trimming: [duplicate]emailTemplate.name', async () => {
    expect((await c.post(PATH, template('Unique'))).status).toBe(200);
    expect(codes(await c.post(PATH, template('Unique  ')), 'emailTemplate.name')).toEqual(['[duplicate]emailTemplate.name']);
  });

  it('refuses a client id in use: [duplicate]emailTemplateId', async () => {
    expect(codes(await c.post(`${PATH}/${ID.t1}`, template('Other')), 'emailTemplateId')).toEqual(['[duplicate]emailTemplateId']);
  });
});

describe('references from tenants and applications', () => {
  it('a tenant naming a template that does not exist is refused; one that exists cannot be deleted while named', async () => {
    const tenant = (templateId: string) => ({ tenant: { name: `Mail ${templateId.slice(0, 4)}`, emailConfiguration: { forgotPasswordEmailTemplateId: templateId } } });
    expect(codes(await c.post('/api/tenant', tenant(ID.missing)), 'tenant.emailConfiguration.forgotPasswordEmailTemplateId'))
      .toEqual(['[invalid]tenant.emailConfiguration.forgotPasswordEmailTemplateId']);
    const used = (await c.post(PATH, template('Used by a tenant'))).body.emailTemplate.id as string;
    expect((await c.post(`/api/tenant/${ID.tenant1}`, tenant(used))).status).toBe(200);
    const r = await c.del(`${PATH}/${used}`);
    expect(r.status).toBe(400);
    expect(codes(r, 'emailTemplateId')).toEqual(['[inUse]emailTemplateId']);
    expect((await c.del(`/api/tenant/${ID.tenant1}`)).status).toBe(200);
    expect((await c.del(`${PATH}/${used}`)).status).toBe(200);
    expect((await c.get(`${PATH}/${used}`)).status).toBe(404);
  });

  it('an application naming it as its verification template holds it too', async () => {
    const used = (await c.post(PATH, template('Used by an application'))).body.emailTemplate.id as string;
    const app = await c.post(`/api/application/${ID.app1}`, { application: { name: 'Mail app', verificationEmailTemplateId: used } }, { tenantId: c.e.defaultTenantId });
    expect(app.status, JSON.stringify(app.body)).toBe(200);
    expect(codes(await c.del(`${PATH}/${used}`), 'emailTemplateId')).toEqual(['[inUse]emailTemplateId']);
  });
});
