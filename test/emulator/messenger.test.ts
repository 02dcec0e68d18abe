/** Messengers (reference §2) and message templates (reference §3). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCodes, codes, ID, smsTemplate, start, twilio, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await start();
});
afterAll(() => c.e.stop());

describe('messenger create and read', () => {
  it('creates with 200 and returns the object with server defaults and epoch-ms instants', async () => {
    const r = await c.post('/api/messenger', twilio('Create defaults'));
    expect(r.status).toBe(200);
    const m = r.body.messenger;
    expect(m).toMatchObject({ type: 'Twilio', name: 'Create defaults', messageTypes: ['SMS'], transport: 'sms', debug: false, data: {} });
    expect(m.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isInteger(m.insertInstant)).toBe(true);
    expect(m.lastUpdateInstant).toBe(m.insertInstant);
    expect(JSON.stringify(m)).not.toContain('null');
    expect((await c.get(`/api/messenger/${m.id}`)).body.messenger).toEqual(m);
  });
  it('uses the client-chosen id and refuses to reuse it: [duplicate]messengerId', async () => {
    expect((await c.post(`/api/messenger/${ID.m1}`, twilio('Chosen id'))).body.messenger.id).toBe(ID.m1);
    const again = await c.post(`/api/messenger/${ID.m1}`, twilio('Chosen id 2'));
    expect(again.status).toBe(400);
    expect(codes(again, 'messengerId')).toEqual(['[duplicate]messengerId']);
  });
  it('refuses a second messenger with the same name: [duplicate]messenger.name', async () => {
    await c.post('/api/messenger', twilio('Same name'));
    const r = await c.post('/api/messenger', twilio('Same name'));
    expect(codes(r, 'messenger.name')).toEqual(['[duplicate]messenger.name']);
  });
  it('lists every messenger with GET /api/messenger', async () => {
    const list = (await c.get('/api/messenger')).body.messengers;
    expect(list.map((m: { name: string }) => m.name)).toEqual(expect.arrayContaining(['Create defaults', 'Chosen id', 'Same name']));
  });
  it('rejects an unknown or missing type as [invalidJSON] on messenger.type', async () => {
    expect(codes(await c.post('/api/messenger', { messenger: { type: 'Carrier', name: 'x' } }), 'messenger.type')).toEqual(['[invalidJSON]']);
    expect(codes(await c.post('/api/messenger', { messenger: { name: 'x' } }), 'messenger.type')).toEqual(['[invalidJSON]']);
  });
});

describe('Twilio rules ([DEC-TWILIO], reference §2.1)', () => {
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['url missing', { url: undefined }, 'messenger.url', '[missing]messenger.url'],
    ['url not http(s)', { url: 'ftp://api.twilio.com' }, 'messenger.url', '[invalid]messenger.url'],
    ['url relative', { url: '/twilio' }, 'messenger.url', '[invalid]messenger.url'],
    ['accountSID blank', { accountSID: ' ' }, 'messenger.accountSID', '[blank]messenger.accountSID'],
    ['authToken missing (required although documented optional)', { authToken: undefined }, 'messenger.authToken', '[blank]messenger.authToken'],
    ['Voice without fromPhoneNumber', { messageTypes: ['SMS', 'Voice'], fromPhoneNumber: undefined, messagingServiceSid: 'MG1' }, 'messenger.fromPhoneNumber', '[blank]messenger.fromPhoneNumber'],
    ['empty messageTypes', { messageTypes: [] }, 'messenger.messageTypes', '[empty]messenger.messageTypes'],
  ];
  for (const [title, change, field, code] of cases) {
    it(`${title} → ${code}`, async () => {
      const body = twilio(`Twilio ${title}`, change);
      const r = await c.post('/api/messenger', JSON.parse(JSON.stringify(body)));
      expect(r.status).toBe(400);
      expect(codes(r, field)).toContain(code);
    });
  }
  it('SMS needs fromPhoneNumber or messagingServiceSid: both fields get [blank]', async () => {
    const r = await c.post('/api/messenger', JSON.parse(JSON.stringify(twilio('No sender', { fromPhoneNumber: undefined }))));
    expect(allCodes(r)).toEqual(['messenger.fromPhoneNumber: [blank]messenger.fromPhoneNumber', 'messenger.messagingServiceSid: [blank]messenger.messagingServiceSid']);
  });
  it('SMS with only a messaging service SID is accepted', async () => {
    const r = await c.post('/api/messenger', JSON.parse(JSON.stringify(twilio('Service SID only', { fromPhoneNumber: undefined, messagingServiceSid: 'MG123' }))));
    expect(r.status).toBe(200);
  });
  it('returns authToken in cleartext (reference §2.1)', async () => {
    const r = await c.post('/api/messenger', twilio('Token visible'));
    expect(r.body.messenger.authToken).toBe('token-123');
  });
});

describe('Generic and Kafka rules ([DEC-GENERIC], reference §2.2–2.3)', () => {
  const generic = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    messenger: { type: 'Generic', name: `Generic ${Object.keys(extra).join(',')}`, url: 'https://sms.example.com/send', connectTimeout: 1000, readTimeout: 2000, ...extra },
  });
  it('accepts a complete Generic messenger and defaults headers to {}', async () => {
    const r = await c.post('/api/messenger', generic());
    expect(r.status).toBe(200);
    expect(r.body.messenger.headers).toEqual({});
  });
  it('requires readTimeout and connectTimeout: [missing]', async () => {
    const r = await c.post('/api/messenger', generic({ readTimeout: null, connectTimeout: null }));
    expect(codes(r, 'messenger.readTimeout')).toEqual(['[missing]messenger.readTimeout']);
    expect(codes(r, 'messenger.connectTimeout')).toEqual(['[missing]messenger.connectTimeout']);
  });
  it('requires timeouts > 0: [invalid]', async () => {
    const r = await c.post('/api/messenger', generic({ readTimeout: 0 }));
    expect(codes(r, 'messenger.readTimeout')).toEqual(['[invalid]messenger.readTimeout']);
  });
  it('limits the basic-auth password to 255 characters: [tooLong]', async () => {
    const r = await c.post('/api/messenger', generic({ httpAuthenticationPassword: 'x'.repeat(256) }));
    expect(codes(r, 'messenger.httpAuthenticationPassword')).toEqual(['[tooLong]messenger.httpAuthenticationPassword']);
  });
  it('requires a Generic url: [missing]', async () => {
    expect(codes(await c.post('/api/messenger', generic({ url: null })), 'messenger.url')).toEqual(['[missing]messenger.url']);
  });
  it('accepts a legacy Kafka messenger and rejects Voice on it', async () => {
    const ok = await c.post('/api/messenger', { messenger: { type: 'Kafka', name: 'Kafka', defaultTopic: 'sms', producer: { 'bootstrap.servers': 'localhost:9092' } } });
    expect(ok.status).toBe(200);
    const bad = await c.post('/api/messenger', { messenger: { type: 'Kafka', name: 'Kafka voice', defaultTopic: 'sms', producer: { a: 'b' }, messageTypes: ['Voice'] } });
    expect(codes(bad, 'messenger.messageTypes')).toEqual(['[invalid]messenger.messageTypes']);
  });
});

describe('messenger update and delete', () => {
  it('PUT replaces: omitted fields return to their defaults, instants maintained', async () => {
    const created = (await c.post('/api/messenger', twilio('Put me', { debug: true, data: { a: 1 } }))).body.messenger;
    const r = await c.put(`/api/messenger/${created.id}`, twilio('Put me'));
    expect(r.status).toBe(200);
    expect(r.body.messenger.debug).toBe(false);
    expect(r.body.messenger.data).toEqual({});
    expect(r.body.messenger.insertInstant).toBe(created.insertInstant);
    expect(r.body.messenger.lastUpdateInstant).toBeGreaterThanOrEqual(created.lastUpdateInstant);
  });
  it('keeps the stored type: type is not mutable ([OAS] BaseMessengerConfiguration)', async () => {
    const created = (await c.post('/api/messenger', twilio('Immutable type'))).body.messenger;
    const r = await c.put(`/api/messenger/${created.id}`, { messenger: { ...twilio('Immutable type').messenger as object, type: 'Generic' } });
    expect(r.status).toBe(200);
    expect(r.body.messenger.type).toBe('Twilio');
  });
  it('PUT and PATCH of a missing messenger → 404', async () => {
    expect((await c.put(`/api/messenger/${ID.missing}`, twilio('x'))).status).toBe(404);
    expect((await c.patch(`/api/messenger/${ID.missing}`, { messenger: { debug: true } })).status).toBe(404);
  });
  // BaseMessengerConfiguration: `@JsonMerge(OptBoolean.FALSE) Set<MessageType> messageTypes = new LinkedHashSet<>()`.
  it('PATCH (original flavour) replaces messageTypes (@JsonMerge(OptBoolean.FALSE)); the set keeps insertion order without duplicates', async () => {
    const created = (await c.post('/api/messenger', twilio('Patch types', { messageTypes: ['Voice', 'SMS', 'Voice'] }))).body.messenger;
    expect(created.messageTypes).toEqual(['Voice', 'SMS']);
    const r = await c.patch(`/api/messenger/${created.id}`, { messenger: { messageTypes: ['SMS'] } });
    expect(r.body.messenger.messageTypes).toEqual(['SMS']);
  });
  it('DELETE → 200 with an empty body, then 404', async () => {
    const created = (await c.post('/api/messenger', twilio('Delete me'))).body.messenger;
    const r = await c.del(`/api/messenger/${created.id}`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect((await c.get(`/api/messenger/${created.id}`)).status).toBe(404);
    expect((await c.del(`/api/messenger/${created.id}`)).status).toBe(404);
  });
  it('refuses to delete a messenger a tenant uses: [inUseByTenant]messengerId', async () => {
    const m = (await c.post('/api/messenger', twilio('In use'))).body.messenger;
    const t = (await c.post('/api/tenant', { tenant: { name: 'Uses messenger', phoneConfiguration: { messengerId: m.id } } })).body.tenant;
    const r = await c.del(`/api/messenger/${m.id}`);
    expect(r.status).toBe(400);
    expect(codes(r, 'messengerId')).toEqual(['[inUseByTenant]messengerId']);
    expect(r.body.fieldErrors.messengerId[0].message).toContain(t.id);
  });
  it('refuses to drop a message type a tenant uses the messenger for: [inUseByTenant]messenger.messageTypes', async () => {
    const m = (await c.post('/api/messenger', twilio('Voice in use', { messageTypes: ['SMS', 'Voice'] }))).body.messenger;
    const tpl = (await c.post('/api/message/template', smsTemplate('Voice code', { type: 'Voice' }))).body.messageTemplate;
    c.e.setLicensed(true);
    try {
      const t = await c.post('/api/tenant', { tenant: { name: 'Voice MFA', multiFactorConfiguration: { voice: { enabled: true, messengerId: m.id, templateId: tpl.id } } } });
      expect(t.status).toBe(200);
    } finally {
      c.e.setLicensed(false);
    }
    const r = await c.put(`/api/messenger/${m.id}`, twilio('Voice in use', { messageTypes: ['SMS'] }));
    expect(codes(r, 'messenger.messageTypes')).toEqual(['[inUseByTenant]messenger.messageTypes']);
  });
});

describe('message templates', () => {
  it('creates with defaults localizedTemplates {} and data {}', async () => {
    const r = await c.post(`/api/message/template/${ID.t1}`, smsTemplate('Template one'));
    expect(r.status).toBe(200);
    expect(r.body.messageTemplate).toMatchObject({ id: ID.t1, type: 'SMS', name: 'Template one', localizedTemplates: {}, data: {} });
  });
  it('[duplicate]messageTemplateId and [duplicate]messageTemplate.name', async () => {
    expect(codes(await c.post(`/api/message/template/${ID.t1}`, smsTemplate('Template one b')), 'messageTemplateId')).toEqual(['[duplicate]messageTemplateId']);
    expect(codes(await c.post('/api/message/template', smsTemplate('Template one')), 'messageTemplate.name')).toEqual(['[duplicate]messageTemplate.name']);
  });
  it('[blank]messageTemplate.name, [blank]messageTemplate.defaultTemplate, [invalidJSON] type', async () => {
    expect(codes(await c.post('/api/message/template', smsTemplate('')), 'messageTemplate.name')).toEqual(['[blank]messageTemplate.name']);
    expect(codes(await c.post('/api/message/template', smsTemplate('No text', { defaultTemplate: '' })), 'messageTemplate.defaultTemplate')).toEqual(['[blank]messageTemplate.defaultTemplate']);
    expect(codes(await c.post('/api/message/template', smsTemplate('Bad type', { type: 'Email' })), 'messageTemplate.type')).toEqual(['[invalidJSON]']);
  });
  it('accepts Voice templates (1.65)', async () => {
    expect((await c.post('/api/message/template', smsTemplate('Voice one', { type: 'Voice' }))).body.messageTemplate.type).toBe('Voice');
  });
  it('PUT replaces and PATCH merges', async () => {
    const id = (await c.post('/api/message/template', smsTemplate('Editable', { localizedTemplates: { de: 'Code ${code}' } }))).body.messageTemplate.id;
    const put = await c.put(`/api/message/template/${id}`, smsTemplate('Editable'));
    expect(put.body.messageTemplate.localizedTemplates).toEqual({});
    const patch = await c.patch(`/api/message/template/${id}`, { messageTemplate: { localizedTemplates: { fr: 'Code ${code}' } } }, { contentType: 'application/merge-patch+json' });
    expect(patch.body.messageTemplate.localizedTemplates).toEqual({ fr: 'Code ${code}' });
  });
  it('refuses to delete a template a tenant uses: [inUse]messageTemplateId', async () => {
    const m = (await c.post('/api/messenger', twilio('For template use'))).body.messenger;
    const tpl = (await c.post('/api/message/template', smsTemplate('Used by tenant'))).body.messageTemplate;
    await c.post('/api/tenant', { tenant: { name: 'Uses template', phoneConfiguration: { messengerId: m.id, verificationTemplateId: tpl.id } } });
    const r = await c.del(`/api/message/template/${tpl.id}`);
    expect(r.status).toBe(400);
    expect(codes(r, 'messageTemplateId')).toEqual(['[inUse]messageTemplateId']);
  });
  it('refuses to delete a template an application overrides with: [inUse]messageTemplateId', async () => {
    const tpl = (await c.post('/api/message/template', smsTemplate('Used by app'))).body.messageTemplate;
    const tenants = (await c.get('/api/tenant')).body.tenants;
    const app = await c.post('/api/application', { application: { name: 'Template user', phoneConfiguration: { passwordlessTemplateId: tpl.id } } }, { tenantId: tenants[0].id });
    expect(app.status).toBe(200);
    expect(codes(await c.del(`/api/message/template/${tpl.id}`), 'messageTemplateId')).toEqual(['[inUse]messageTemplateId']);
  });
  it('deletes an unused template', async () => {
    const tpl = (await c.post('/api/message/template', smsTemplate('Unused'))).body.messageTemplate;
    expect((await c.del(`/api/message/template/${tpl.id}`)).status).toBe(200);
    expect((await c.get(`/api/message/template/${tpl.id}`)).status).toBe(404);
  });
});
