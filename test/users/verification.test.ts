/**
 * Identity verification behaviour: expiry on the emulator's clock, wrong codes, FormField versus ClickableLink,
 * Allow versus Gated, turning gating on after users exist, re-sending, localized templates, administrative and
 * pre-creation verification.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyFolder, contractErrors, EXAMPLE, exampleVariant, loginPhone, PHONE, registerPhoneUser, startEnv, type Applied, type Env } from './helpers.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.emu.stop();
  env = undefined;
});

/** Verification on, not gated: ClickableLink (FormField is only valid with Gated, reference §4.4). */
const ALLOW = exampleVariant([
  ['verificationStrategy: FormField', 'verificationStrategy: ClickableLink'],
  ['behavior: Gated', 'behavior: Allow'],
]);
/** Verification on, gated, ClickableLink. */
const GATED_LINK = exampleVariant([['verificationStrategy: FormField', 'verificationStrategy: ClickableLink']]);
/** Verification off. */
const OFF = exampleVariant([['verifyPhoneNumber: true', 'verifyPhoneNumber: false']]);

async function outboxTo(e: Env, phone: string): Promise<Array<Record<string, any>>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- why: message JSON
  return (await e.call('GET', `/_emulator/outbox?to=${encodeURIComponent(phone)}`)).body.messages;
}

async function setup(folder = EXAMPLE, vars: Record<string, string> = {}): Promise<{ e: Env; a: Applied }> {
  env = await startEnv();
  return { e: env, a: await applyFolder(env, folder, vars) };
}

describe('expiry (phoneVerificationIdTimeToLiveInSeconds, on the injectable clock)', () => {
  it('accepts the code until the TTL has passed and rejects it after; the login never starts a new one, the start API does', async () => {
    const { e, a } = await setup(EXAMPLE, { phoneCodeTtl: '300' });
    await registerPhoneUser(e, a);
    const first = (await loginPhone(e, a)).body.identityVerificationId as string;
    const code = (await outboxTo(e, PHONE))[0]!.variables.code as string;

    e.clock.advance(300_000); // exactly the TTL: expired (valid strictly before insert + TTL)
    const late = await e.call('POST', '/api/identity/verify/complete', { verificationId: first, oneTimeCode: code });
    expect(late.status).toBe(400);
    expect(late.body.fieldErrors.verificationId[0].code).toBe('[invalid]verificationId');
    expect(contractErrors('Errors', late.body)).toEqual([]);
    expect((await e.call('GET', '/api/user?loginId=%2B15555550123&loginIdTypes=phoneNumber', undefined, { tenantId: a.tenantId })).body.user.identities[0].verifiedReason).toBe('Pending');

    // Still 212, now without a verification id: a login only returns an existing verification, it never starts one
    // (decompiled DefaultAuthenticationService.handleAddingVerificationIdToResponse). The Identity Verify API starts one.
    const again = await loginPhone(e, a);
    expect(again.status).toBe(212);
    expect(again.body.identityVerificationId).toBeUndefined();
    const started = await e.call('POST', '/api/identity/verify/start', { loginId: PHONE, loginIdType: 'phoneNumber', applicationId: a.appId });
    const second = started.body.verificationId as string;
    expect(second).not.toBe(first);
    expect((await loginPhone(e, a)).body.identityVerificationId).toBe(second);
    expect(await outboxTo(e, PHONE)).toHaveLength(1);
    expect((await e.call('POST', '/api/identity/verify/send', { verificationId: second })).status).toBe(200);
    const messages = await outboxTo(e, PHONE);
    expect(messages).toHaveLength(2);
    const fresh = messages[1]!.variables.code as string;
    expect((await e.call('POST', '/api/identity/verify/complete', { verificationId: second, oneTimeCode: fresh })).status).toBe(200);
    expect((await loginPhone(e, a)).status).toBe(200);
  });

  it('one millisecond before the TTL the code still works', async () => {
    const { e, a } = await setup(EXAMPLE, { phoneCodeTtl: '300' });
    await registerPhoneUser(e, a);
    const id = (await loginPhone(e, a)).body.identityVerificationId as string;
    e.clock.advance(299_999);
    const code = (await outboxTo(e, PHONE))[0]!.variables.code as string;
    expect((await e.call('POST', '/api/identity/verify/complete', { verificationId: id, oneTimeCode: code })).status).toBe(200);
  });
});

describe('wrong and missing codes', () => {
  it('rejects a wrong code without using the verification up; the right code then works', async () => {
    const { e, a } = await setup();
    const reg = await registerPhoneUser(e, a);
    const id = (await loginPhone(e, a)).body.identityVerificationId as string;
    const code = (await outboxTo(e, PHONE))[0]!.variables.code as string;
    const wrong = code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA';

    const bad = await e.call('POST', '/api/identity/verify/complete', { verificationId: id, oneTimeCode: wrong });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ fieldErrors: { oneTimeCode: [{ code: '[invalid]oneTimeCode', message: expect.any(String) }] }, generalErrors: [] });
    const blank = await e.call('POST', '/api/identity/verify/complete', { verificationId: id });
    expect(blank.body.fieldErrors.oneTimeCode[0].code).toBe('[blank]oneTimeCode');
    const noId = await e.call('POST', '/api/identity/verify/complete', { oneTimeCode: code });
    expect(noId.body.fieldErrors.verificationId[0].code).toBe('[blank]verificationId');
    const unknown = await e.call('POST', '/api/identity/verify/complete', { verificationId: 'not-a-verification-id', oneTimeCode: code });
    expect(unknown.body.fieldErrors.verificationId[0].code).toBe('[invalid]verificationId');
    expect((await loginPhone(e, a)).status).toBe(212);

    expect((await e.call('POST', '/api/identity/verify/complete', { verificationId: id, oneTimeCode: code })).status).toBe(200);
    // A completed verification is used up.
    expect((await e.call('POST', '/api/identity/verify/complete', { verificationId: id, oneTimeCode: code })).body.fieldErrors.verificationId[0].code).toBe('[invalid]verificationId');
    expect((await e.call('GET', `/api/user/${reg.body.user.id}`)).body.user.identities[0].verifiedReason).toBe('Completed');
  });
});

describe('Allow versus Gated', () => {
  // The Login API answers the same under both: 212 from the identity alone, with the token (FusionAuth .NET client test
  // suite UnverifiedUserLogin_Test: 212 under the default Allow; decompiled BaseLoginAction). Gated is applied by the
  // hosted login pages (test/emulator/oauth.test.ts).
  it('Allow: the number is verified-pending and messaged; the Login API answers 212 with a token', async () => {
    const { e, a } = await setup(ALLOW);
    const reg = await registerPhoneUser(e, a);
    expect(reg.body.user.identities[0].verifiedReason).toBe('Pending');
    expect(await outboxTo(e, PHONE)).toHaveLength(1);
    const held = await loginPhone(e, a);
    expect(held.status).toBe(212);
    expect(typeof held.body.token).toBe('string');
    expect(held.body.identityVerificationId).toBeUndefined(); // ClickableLink: no code to type, so no id
  });

  it('Gated: the Login API answers exactly as under Allow', async () => {
    const { e, a } = await setup(GATED_LINK);
    await registerPhoneUser(e, a);
    const gated = await loginPhone(e, a);
    expect(gated.status).toBe(212);
    expect(typeof gated.body.token).toBe('string');
    // ClickableLink: the 212 carries no verification id (only a verification with a one-time code is returned).
    expect(gated.body.identityVerificationId).toBeUndefined();
  });
});

describe('FormField versus ClickableLink', () => {
  it('ClickableLink texts the verification id itself and completes with it alone', async () => {
    const { e, a } = await setup(GATED_LINK);
    const reg = await registerPhoneUser(e, a);
    const [sms] = await outboxTo(e, PHONE);
    const verificationId = sms!.variables.verificationId as string;
    expect(sms!.variables.code).toBe(verificationId);
    expect(sms!.variables.verificationOneTimeCode).toBeUndefined();
    expect(sms!.body).toContain(verificationId);
    expect(reg.body.verificationIds).toEqual([{ id: verificationId, type: 'phoneNumber', value: PHONE }]);
    expect((await e.call('POST', '/api/identity/verify/complete', { verificationId })).status).toBe(200);
    expect((await loginPhone(e, a)).status).toBe(200);
  });

  it('FormField pairs the id with a typed code; the start API returns the code only for FormField', async () => {
    const { e, a } = await setup(GATED_LINK);
    await registerPhoneUser(e, a);
    const link = await e.call('POST', '/api/identity/verify/start', { loginId: PHONE, loginIdType: 'phoneNumber', applicationId: a.appId });
    expect(link.status).toBe(200);
    expect(contractErrors('VerifyStartResponse', link.body)).toEqual([]);
    expect(Object.keys(link.body)).toEqual(['verificationId']);

    const form = await e.call('POST', '/api/identity/verify/start', { loginId: '(555) 555-0123', loginIdType: 'phoneNumber', applicationId: a.appId, verificationStrategy: 'FormField', state: { returnTo: '/welcome' } });
    expect(form.status).toBe(200);
    expect(form.body.oneTimeCode).toMatch(/^[A-Z0-9]{6}$/);
    // The newer verification replaced the older one.
    expect((await e.call('POST', '/api/identity/verify/complete', { verificationId: link.body.verificationId })).body.fieldErrors.verificationId[0].code).toBe('[invalid]verificationId');
    const done = await e.call('POST', '/api/identity/verify/complete', { verificationId: form.body.verificationId, oneTimeCode: form.body.oneTimeCode });
    expect(done.body).toEqual({ state: { returnTo: '/welcome' } });
  });

  it('the code follows the tenant generator (randomDigits, length 8)', async () => {
    env = await startEnv();
    const a = await applyFolder(env, exampleVariant([
      ["phoneVerificationIdTimeToLiveInSeconds: '{{phoneCodeTtl}}'", "phoneVerificationIdTimeToLiveInSeconds: '{{phoneCodeTtl}}'\n      phoneVerificationOneTimeCodeGenerator: { length: 8, type: randomDigits }"],
    ]));
    await registerPhoneUser(env, a);
    expect((await outboxTo(env, PHONE))[0]!.variables.code).toMatch(/^\d{8}$/);
  });
});

describe('turning gating on after users exist', () => {
  it('gates existing Pending users at their next login and leaves Disabled users alone, messaging nobody', async () => {
    env = await startEnv();
    const e = env;
    const off = await applyFolder(e, OFF);
    const early = await registerPhoneUser(e, off, '+15555550101');
    expect(early.body.user.identities[0].verifiedReason).toBe('Disabled');

    const allow = await applyFolder(e, ALLOW); // same tenant and application (kickstand updates in place)
    expect(allow).toEqual(off);
    const middle = await registerPhoneUser(e, allow, '+15555550102');
    expect(middle.body.user.identities[0].verifiedReason).toBe('Pending');
    expect((await loginPhone(e, allow, '+15555550102')).status).toBe(212); // Pending: 212 under Allow too
    const sentBefore = (await e.call('GET', '/_emulator/outbox')).body.messages.length;
    expect(sentBefore).toBe(1);

    const gated = await applyFolder(e, EXAMPLE); // now Gated + FormField
    expect(gated).toEqual(off);
    expect((await e.call('GET', '/_emulator/outbox')).body.messages).toHaveLength(1); // turning it on sends nothing

    expect((await loginPhone(e, gated, '+15555550101')).status).toBe(200); // Disabled: not retroactively gated
    const held = await loginPhone(e, gated, '+15555550102');
    expect(held.status).toBe(212); // Pending: still 212
    expect(await outboxTo(e, '+15555550101')).toEqual([]);

    // The earlier (ClickableLink) verification has no code to type, so the login returns no id and starts none; a
    // FormField verification is started with the Start API and texted with the Send API.
    expect(held.body.identityVerificationId).toBeUndefined();
    const id = (await e.call('POST', '/api/identity/verify/start', { loginId: '+15555550102', loginIdType: 'phoneNumber', applicationId: gated.appId })).body.verificationId as string;
    expect((await e.call('POST', '/api/identity/verify/send', { verificationId: id }, { tenantId: gated.tenantId })).status).toBe(200);
    const [, sms] = await outboxTo(e, '+15555550102');
    expect((await e.call('POST', '/api/identity/verify/complete', { verificationId: id, oneTimeCode: sms!.variables.code })).status).toBe(200);
    expect((await loginPhone(e, gated, '+15555550102')).status).toBe(200);
  });
});

describe('templates and sending', () => {
  it('renders the localized template for the user\'s preferred language, else the default', async () => {
    const { e, a } = await setup();
    const templates = (await e.call('GET', '/api/message/template')).body.messageTemplates as Array<{ id: string; name: string }>;
    const t = templates.find((x) => x.name === 'Phone verification code')!;
    const patched = await e.call('PATCH', `/api/message/template/${t.id}`, { messageTemplate: { localizedTemplates: { fr: 'Bonjour ${user.firstName!"vous"}, votre code est ${code}. <#if x>brut</#if>' } } });
    expect(patched.status).toBe(200);

    await registerPhoneUser(e, a, '+15555550111', { preferredLanguages: ['fr_CA', 'en'], firstName: 'Aline' });
    await registerPhoneUser(e, a, '+15555550112', { preferredLanguages: ['de'] });
    const [fr] = await outboxTo(e, '+15555550111');
    expect(fr!.locale).toBe('fr');
    expect(fr!.body).toBe(`Bonjour Aline, votre code est ${fr!.variables.code}. <#if x>brut</#if>`);
    const [de] = await outboxTo(e, '+15555550112');
    expect(de!.locale).toBeUndefined();
    expect(de!.body).toBe(`Your verification code is ${de!.variables.code}. It expires soon; do not share it.\n`);
  });

  it('the send API refuses unknown ids; the outbox can be filtered and emptied', async () => {
    const { e, a } = await setup();
    const reg = await registerPhoneUser(e, a);
    expect((await e.call('POST', '/api/identity/verify/send', { verificationId: 'nope' })).body.fieldErrors.verificationId[0].code).toBe('[invalid]verificationId');
    expect((await e.call('GET', `/_emulator/outbox?userId=${reg.body.user.id}`)).body.messages).toHaveLength(1);
    expect((await e.call('GET', '/_emulator/outbox?to=%2B15555550199')).body.messages).toEqual([]);
    expect((await e.call('GET', '/_emulator/outbox', undefined, { key: null })).status).toBe(401);
    expect((await e.call('DELETE', '/_emulator/outbox')).status).toBe(200);
    expect(e.emu.outbox()).toEqual([]);
    // The emulator's own endpoints stay out of the FusionAuth request log.
    expect(e.emu.requests.some((r) => r.path.startsWith('/_emulator'))).toBe(false);
  });

  it('start: 404 for an unknown number (mustExist), [duplicate]loginId for mustNotExist, [invalid] for bad input', async () => {
    const { e, a } = await setup();
    await registerPhoneUser(e, a);
    const start = (body: Record<string, unknown>) => e.call('POST', '/api/identity/verify/start', { applicationId: a.appId, ...body });
    const missing = await start({ loginId: '+15555550177', loginIdType: 'phoneNumber' });
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('');
    expect((await start({ loginId: PHONE, loginIdType: 'phoneNumber', existingUserStrategy: 'mustNotExist' })).body.fieldErrors.loginId[0].code).toBe('[duplicate]loginId');
    expect((await start({ loginId: 'call me', loginIdType: 'phoneNumber' })).body.fieldErrors.loginId[0].code).toBe('[invalid]loginId');
    expect((await start({ loginId: 'a@b.co', loginIdType: 'email' })).body.fieldErrors.loginIdType[0].code).toBe('[invalid]loginIdType');
    expect((await start({})).body.fieldErrors).toMatchObject({ loginId: [{ code: '[blank]loginId' }], loginIdType: [{ code: '[blank]loginIdType' }] });
  });
});

describe('other ways to verify', () => {
  it('the administrative verify API marks the identity Administrative and lifts the gate', async () => {
    const { e, a } = await setup();
    const reg = await registerPhoneUser(e, a);
    const r = await e.call('POST', '/api/identity/verify', { loginId: PHONE, loginIdType: 'phoneNumber' }, { tenantId: a.tenantId });
    expect(r.status).toBe(200);
    expect((await e.call('GET', `/api/user/${reg.body.user.id}`)).body.user.identities[0]).toMatchObject({ verified: true, verifiedReason: 'Administrative' });
    expect((await loginPhone(e, a)).status).toBe(200);
    expect((await e.call('POST', '/api/identity/verify', { loginId: '+15555550188', loginIdType: 'phoneNumber' }, { tenantId: a.tenantId })).status).toBe(404);
  });

  it('a number verified before the user exists (mustNotExist) makes the new identity Completed, with no message', async () => {
    const { e, a } = await setup();
    const s = await e.call('POST', '/api/identity/verify/start', { loginId: PHONE, loginIdType: 'phoneNumber', existingUserStrategy: 'mustNotExist', applicationId: a.appId });
    expect(s.status).toBe(200);
    expect((await e.call('POST', '/api/identity/verify/complete', { verificationId: s.body.verificationId, oneTimeCode: s.body.oneTimeCode })).status).toBe(200);
    const reg = await e.call('POST', '/api/user/registration', { user: { phoneNumber: PHONE, password: 'correct-horse-battery' }, registration: { applicationId: a.appId }, verificationIds: [s.body.verificationId] }, { tenantId: a.tenantId });
    expect(reg.body.user.identities[0]).toMatchObject({ verified: true, verifiedReason: 'Completed' });
    expect(e.emu.outbox()).toEqual([]);
    expect((await loginPhone(e, a)).status).toBe(200);
  });

  it('skipVerification makes the identity Skipped: never gated, nothing sent', async () => {
    const { e, a } = await setup();
    const reg = await e.call('POST', '/api/user/registration', { user: { phoneNumber: PHONE, password: 'correct-horse-battery' }, registration: { applicationId: a.appId }, skipVerification: true }, { tenantId: a.tenantId });
    expect(reg.body.user.identities[0]).toMatchObject({ verified: false, verifiedReason: 'Skipped' });
    expect(e.emu.outbox()).toEqual([]);
    expect((await loginPhone(e, a)).status).toBe(200);
  });
});
