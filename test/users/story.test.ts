/**
 * The whole story of issue 6, over real HTTP, as a real FusionAuth tells it (issue 11): kickstand applies
 * examples/phone-gating to a licensed emulator, a user registers with a phone number, their phone identity is Pending;
 * the Login API answers 212 (with a token: it is not the gate); the hosted login pages hold the user at the phone
 * verification page, the code is read from the emulator's outbox and typed there, the browser comes back with an
 * authorization code, the identity is Completed, the code is exchanged at /oauth2/token, and the Login API answers 200
 * with a signed token. Then the same with verification off: Disabled and a 200 login.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyFolder, browse, contractErrors, decodeJwt, EXAMPLE, exampleVariant, locationParams, loginPhone, PASSWORD, PHONE, registerPhoneUser, startEnv, type Env } from './helpers.js';

/** The example's redirect URL (its `redirectUrl` variable). */
const REDIRECT = 'http://localhost:3000/oauth-redirect';

let env: Env | undefined;
afterEach(async () => {
  await env?.emu.stop();
  env = undefined;
});

describe('the phone-gated story', () => {
  it('a new phone user gets 212 from the Login API and is held by the hosted pages until the texted code is entered', async () => {
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
    const startedId: string = reg.body.verificationIds[0].id;
    expect(startedId).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url (phoneVerificationIdGenerator default)

    // GET shows the same identity.
    const got = await env.call('GET', `/api/user/${userId}`);
    expect(got.status).toBe(200);
    expect(contractErrors('UserResponse', got.body)).toEqual([]);
    expect(got.body.user.identities[0].verifiedReason).toBe('Pending');

    // The Login API is not the gate: 212 with the user, a token, and the verification the registration started
    // (FusionAuth .NET client suite UnverifiedUserLogin_Test; decompiled BaseLoginAction/DefaultAuthenticationService).
    const api212 = await loginPhone(env, a);
    expect(api212.status).toBe(212);
    expect(contractErrors('LoginResponse', api212.body)).toEqual([]);
    expect(api212.body.user.id).toBe(userId);
    expect(typeof api212.body.token).toBe('string');
    expect(api212.body.identityVerificationId).toBe(startedId);

    // The hosted pages are: the login form, then the phone verification page instead of a code.
    const clientSecret: string = (await env.call('GET', `/api/application/${a.appId}`)).body.application.oauthConfiguration.clientSecret;
    const authorize = `/oauth2/authorize?${new URLSearchParams({ client_id: a.appId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'story' }).toString()}`;
    const form = await browse(env, 'GET', authorize);
    expect([form.status, form.contentType]).toEqual([200, 'text/html;charset=UTF-8']);
    expect(form.text).toContain('<form method="post" action="/oauth2/authorize">');
    const held = await browse(env, 'POST', authorize, { loginId: PHONE, password: PASSWORD });
    expect(held.status).toBe(302);
    expect(held.location).toMatch(new RegExp(`^/phone/verification-required/${startedId}\\?intent=[0-9a-f-]{36}&userState=AuthenticatedNotVerified$`));

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

    // The verification page shows the code field; typing the code sends the browser back with an authorization code.
    const pageRes = await browse(env, 'GET', held.location as string);
    expect(pageRes.status).toBe(200);
    expect(pageRes.text).toContain('name="oneTimeCode"');
    const back = await browse(env, 'POST', held.location as string, { action: 'verify', oneTimeCode: code });
    expect(back.status).toBe(302);
    const q = locationParams(env, back.location);
    expect(back.location?.startsWith(`${REDIRECT}?`)).toBe(true);
    expect([q.get('state'), q.get('userState')]).toEqual(['story', 'Authenticated']);
    const after = await env.call('GET', `/api/user/${userId}`);
    expect(after.body.user.identities[0]).toMatchObject({ verified: true, verifiedReason: 'Completed', verifiedInstant: env.clock.now() });

    // The code is exchanged for tokens.
    const tokens = await browse(env, 'POST', '/oauth2/token', { grant_type: 'authorization_code', code: q.get('code') as string, redirect_uri: REDIRECT }, { Authorization: `Basic ${Buffer.from(`${a.appId}:${clientSecret}`).toString('base64')}` });
    expect(tokens.status).toBe(200);
    const t = JSON.parse(tokens.text);
    // [OAS] AccessToken's fields; no refresh token: no `offline_access` (and the example leaves generateRefreshTokens off).
    expect(Object.keys(t).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'scope', 'token_type', 'userId']);
    expect(t).toMatchObject({ token_type: 'Bearer', userId, scope: 'openid', expires_in: 3600 });
    expect(decodeJwt(t.id_token).claims).toMatchObject({ sub: userId, aud: a.appId });

    // And the Login API answers 200 with an HS256 token for this user and application.
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
