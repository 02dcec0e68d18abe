/**
 * Contract: every response body a representative emulator run produces validates against FusionAuth's OpenAPI
 * component schemas (trimmed and repaired copy in test/contract/, see scripts/trim-openapi.ts for the spec's known
 * errors it fixes: the `fieldErrors` map, missing plural lists, untyped enums).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainst } from '../contract/openapi.js';
import { ID, seen, smsTemplate, start, twilio, type Client } from './helpers.js';

let c: Client;

/** The schema a response should match, from its path and status; undefined when FusionAuth publishes none. */
function schemaFor(path: string, status: number): string | undefined {
  if (status >= 400) return 'Errors';
  if (path.startsWith('/api/application/') && path.includes('/role')) return 'ApplicationResponse';
  if (path.startsWith('/api/application')) return 'ApplicationResponse';
  if (path.startsWith('/api/tenant')) return 'TenantResponse';
  if (path.startsWith('/api/messenger')) return 'MessengerResponse';
  if (path.startsWith('/api/message/template')) return 'MessageTemplateResponse';
  if (path === '/api/system/version') return 'VersionResponse';
  if (path === '/api/reactor') return 'ReactorResponse';
  // /api/status has no published schema (reference §1.10: "large undocumented JSON").
  return undefined;
}

beforeAll(async () => {
  c = await start({ defaultTenantId: ID.defaultTenant });
  // A representative run: every kind created minimal and full, read one and all, updated three ways, errors.
  await c.get('/api/system/version');
  await c.get('/api/reactor');
  await c.post(`/api/messenger/${ID.m1}`, twilio('Twilio', { messageTypes: ['SMS', 'Voice'] }));
  await c.post(`/api/messenger/${ID.m2}`, { messenger: { type: 'Generic', name: 'Generic', url: 'https://sms.example.com', connectTimeout: 1000, readTimeout: 1000, headers: { 'X-A': 'b' }, httpAuthenticationUsername: 'u', httpAuthenticationPassword: 'p' } });
  await c.post('/api/messenger', { messenger: { type: 'Kafka', name: 'Kafka', defaultTopic: 't', producer: { a: 'b' } } });
  await c.get('/api/messenger');
  await c.get(`/api/messenger/${ID.m1}`);
  await c.put(`/api/messenger/${ID.m1}`, twilio('Twilio', { messageTypes: ['SMS', 'Voice'], debug: true }));
  await c.post('/api/messenger', { messenger: { type: 'Twilio', name: '' } });
  await c.post(`/api/message/template/${ID.t1}`, smsTemplate('Verify', { localizedTemplates: { de: 'Code ${code}' } }));
  await c.post(`/api/message/template/${ID.t2}`, smsTemplate('Voice', { type: 'Voice' }));
  await c.get('/api/message/template');
  await c.patch(`/api/message/template/${ID.t1}`, { messageTemplate: { data: { a: 1 } } }, { contentType: 'application/merge-patch+json' });
  await c.post(`/api/tenant/${ID.tenant1}`, {
    tenant: {
      name: 'Phone',
      phoneConfiguration: { messengerId: ID.m1, verifyPhoneNumber: true, verificationTemplateId: ID.t1 },
      externalIdentifierConfiguration: { phoneVerificationOneTimeCodeGenerator: { length: 6, type: 'randomDigits' } },
    },
  });
  await c.post('/api/tenant', { tenant: { name: 'Minimal' } });
  await c.get('/api/tenant');
  await c.get(`/api/tenant/${ID.defaultTenant}`);
  await c.get('/api/tenant/search?name=Pho');
  await c.patch(`/api/tenant/${ID.tenant1}`, [{ op: 'replace', path: '/tenant/issuer', value: 'https://auth.example.com' }], { contentType: 'application/json-patch+json' });
  await c.put(`/api/tenant/${ID.tenant1}`, { tenant: { name: 'Phone' } });
  await c.post('/api/tenant', { tenant: { name: 'Gated', phoneConfiguration: { messengerId: ID.m1, verifyPhoneNumber: true, verificationTemplateId: ID.t1, unverified: { behavior: 'Gated' } } } });
  await c.post(`/api/application/${ID.app1}`, {
    application: {
      name: 'Mobile',
      registrationConfiguration: { enabled: true, loginIdType: 'phoneNumber', firstName: { enabled: true, required: false } },
      oauthConfiguration: { enabledGrants: ['authorization_code', 'refresh_token'], authorizedRedirectURLs: ['https://app.example.com/cb'], clientAuthenticationPolicy: 'NotRequiredWhenUsingPKCE', proofKeyForCodeExchangePolicy: 'Required' },
      jwtConfiguration: { enabled: true },
      roles: [{ name: 'user', isDefault: true }],
    },
  }, { tenantId: ID.tenant1 });
  await c.post('/api/application', { application: { name: 'Minimal app' } }, { tenantId: ID.defaultTenant });
  await c.get('/api/application');
  await c.get('/api/application?inactive=true');
  await c.post(`/api/application/${ID.app1}/role`, { role: { name: 'admin', description: 'Admins', isSuperRole: true } });
  await c.patch(`/api/application/${ID.app1}`, { application: { data: { x: 1 } } });
  await c.get(`/api/application/3c219e58-ed0e-4b18-ad48-f4f92793ae32`);
  await c.post('/api/application', { application: { name: 'No tenant' } });
  await c.post('/api/application', { application: { name: '_x' } }, { tenantId: ID.defaultTenant });
});
afterAll(() => c.e.stop());

describe('contract with the OpenAPI schemas', () => {
  it('the run produced bodies for every schema', () => {
    const schemas = new Set(seen.filter((s) => s.body !== undefined).map((s) => schemaFor(s.path, s.status)));
    for (const name of ['Errors', 'ApplicationResponse', 'TenantResponse', 'MessengerResponse', 'MessageTemplateResponse', 'VersionResponse', 'ReactorResponse']) {
      expect(schemas.has(name), name).toBe(true);
    }
  });
  it('the schemas do reject a wrong body (the check has teeth)', () => {
    expect(validateAgainst('TenantResponse', { tenant: { state: 'Bogus', insertInstant: 'yesterday' } })).not.toEqual([]);
    expect(validateAgainst('Errors', { fieldErrors: [{ code: 'x' }] })).not.toEqual([]);
  });
  it('every response body validates', () => {
    const failures: string[] = [];
    for (const s of seen) {
      if (s.body === undefined) continue;
      const schema = schemaFor(s.path, s.status);
      if (!schema) continue;
      const errors = validateAgainst(schema, s.body);
      if (errors.length > 0) failures.push(`${s.method} ${s.path} ${s.status} (${schema}): ${errors.slice(0, 5).join('; ')}`);
    }
    expect(failures).toEqual([]);
  });
});
