/**
 * The whole story of issue 6, over real HTTP: kickstand applies examples/phone-gating to a licensed emulator, a user
 * registers with a phone number, their phone identity is Pending, login is gated (212, no token), the code is read
 * from the emulator's outbox, the verification is completed, the identity is Completed, and login succeeds with a
 * signed token. Then the same with verification off: Disabled and an ungated login.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyFolder, contractErrors, decodeJwt, EXAMPLE, exampleVariant, loginPhone, PASSWORD, PHONE, registerPhoneUser, startEnv, type Env } from './helpers.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.emu.stop();
  env = undefined;
});

describe('the phone-gated story', () => {
  it('gates a new phone user until the texted code is entered, then logs them in with a signed token', async () => {
    env = await startEnv();
    const a = await applyFolder(env, EXAMPLE);

    // Register: user + registration in one call, in the phone-gated tenant.
    const reg = await registerPhoneUser(env, a);
    expect(reg.status).toBe(200);
    expect(contractErrors('RegistrationResponse', reg.body)).toEqual([]);
    const userId: string = reg.body.user.id;
    expect(reg.body.user.phoneNumber).toBe(PHONE);
    expect(reg.body.user.tenantId).toBe(a.tenantId);
    expect(reg.body.registration.applicationId).toBe(a.appId);
    expect(reg.text).not.toContain(PASSWORD);
    expect(reg.body.user.identities).toEqual([
      expect.objectContaining({ type: 'phoneNumber', value: PHONE, primary: true, verified: false, verifiedReason: 'Pending' }),
    ]);

    // GET shows the same identity.
    const got = await env.call('GET', `/api/user/${userId}`);
    expect(got.status).toBe(200);
    expect(contractErrors('UserResponse', got.body)).toEqual([]);
    expect(got.body.user.identities[0].verifiedReason).toBe('Pending');

    // Login is gated: 212, the user, the verification id (FormField), no token.
    const gated = await loginPhone(env, a);
    expect(gated.status).toBe(212);
    expect(contractErrors('LoginResponse', gated.body)).toEqual([]);
    expect(gated.body.token).toBeUndefined();
    expect(gated.body.user.id).toBe(userId);
    const verificationId: string = gated.body.identityVerificationId;
    expect(verificationId).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url (phoneVerificationIdGenerator default)

    // The code, read from the outbox over HTTP like a user reads their phone.
    const outbox = await env.call('GET', `/_emulator/outbox?to=${encodeURIComponent(PHONE)}`);
    expect(outbox.status).toBe(200);
    expect(outbox.body.messages).toHaveLength(1);
    const sms = outbox.body.messages[0];
    expect(sms).toMatchObject({ type: 'SMS', purpose: 'phoneVerification', to: PHONE, messengerName: 'Twilio SMS', messengerType: 'Twilio', messageTemplateName: 'Phone verification code', userId });
    const code: string = sms.variables.code;
    expect(code).toMatch(/^[A-Z0-9]{6}$/); // phoneVerificationOneTimeCodeGenerator default: 6 randomAlphaNumeric
    expect(sms.body).toBe(`Your verification code is ${code}. It expires soon; do not share it.\n`);
    expect(env.logs).toContain(`[outbox] SMS to ${PHONE} via messenger "Twilio SMS" (Twilio): Your verification code is ${code}. It expires soon; do not share it.`);
    expect(env.logs.join('\n')).not.toContain(PASSWORD);

    // Complete the verification with the id from the login and the texted code.
    const done = await env.call('POST', '/api/identity/verify/complete', { verificationId, oneTimeCode: code });
    expect(done.status).toBe(200);
    expect(contractErrors('VerifyCompleteResponse', done.body)).toEqual([]);
    const after = await env.call('GET', `/api/user/${userId}`);
    expect(after.body.user.identities[0]).toMatchObject({ verified: true, verifiedReason: 'Completed', verifiedInstant: env.clock.now() });

    // Login succeeds with an HS256 token for this user and application.
    const ok = await loginPhone(env, a);
    expect(ok.status).toBe(200);
    expect(contractErrors('LoginResponse', ok.body)).toEqual([]);
    expect(ok.text).not.toContain(PASSWORD);
    const { header, claims, signature } = decodeJwt(ok.body.token);
    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/); // an HMAC-SHA256 is 32 bytes
    const tenant = (await env.call('GET', `/api/tenant/${a.tenantId}`)).body.tenant;
    const iat = Math.floor(env.clock.now() / 1000);
    expect(claims).toMatchObject({ iss: tenant.issuer, aud: a.appId, sub: userId, applicationId: a.appId, roles: [], tid: a.tenantId, iat, exp: iat + tenant.jwtConfiguration.timeToLiveInSeconds, authenticationType: 'PASSWORD' });
    expect(ok.body.tokenExpirationInstant).toBe((iat + tenant.jwtConfiguration.timeToLiveInSeconds) * 1000);

    // The signature is real: FusionAuth's JWT validate API accepts the token and rejects a tampered one.
    const valid = await env.call('GET', '/api/jwt/validate', undefined, { key: null, headers: { Authorization: `Bearer ${ok.body.token}` } });
    expect(valid.status).toBe(200);
    expect(valid.body.jwt.sub).toBe(userId);
    const [h, , s] = (ok.body.token as string).split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url')}.${s}`;
    expect((await env.call('GET', '/api/jwt/validate', undefined, { key: null, headers: { Authorization: `Bearer ${forged}` } })).status).toBe(401);
  });

  it('with verification off: the identity is Disabled, nothing is sent, and login is not gated', async () => {
    env = await startEnv();
    const a = await applyFolder(env, exampleVariant([['verifyPhoneNumber: true', 'verifyPhoneNumber: false']]));
    const tenant = (await env.call('GET', `/api/tenant/${a.tenantId}`)).body.tenant;
    expect(tenant.phoneConfiguration).toMatchObject({ verifyPhoneNumber: false, unverified: { behavior: 'Gated' } });

    const reg = await registerPhoneUser(env, a);
    expect(reg.status).toBe(200);
    expect(reg.body.user.identities[0]).toMatchObject({ type: 'phoneNumber', verified: false, verifiedReason: 'Disabled' });
    expect(reg.body.verificationIds).toBeUndefined();
    expect((await env.call('GET', '/_emulator/outbox')).body.messages).toEqual([]);

    const ok = await loginPhone(env, a);
    expect(ok.status).toBe(200);
    expect(decodeJwt(ok.body.token).claims.sub).toBe(reg.body.user.id);
  });
});
