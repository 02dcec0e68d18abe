/**
 * The whole story of issues 6 and 13, over real HTTP, as a real FusionAuth tells it (issue 11): kickstand applies
 * examples/phone-gating to a licensed emulator, seeding its test user (users.yaml) with a phone number in the
 * phone-gated tenant. FusionAuth starts the phone verification when it creates a user in a tenant that verifies phone
 * numbers, so the seeded user's phone identity is Pending and a code is texted at apply time; the Login API answers 212
 * (with a token: it is not the gate) and the verification the create started; the hosted login pages hold the user at
 * the phone verification page, the code is read from the emulator's outbox and typed there, the browser comes back with
 * an authorization code, the identity is Completed, the code is exchanged at /oauth2/token, and the Login API answers
 * 200 with a signed token. A second apply changes nothing (the password is create-only, the verification state the
 * server's). A user who signs up afterwards is gated the same way. Then the same with verification off: Disabled, nothing
 * sent, a 200 login.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyFolder, browse, contractErrors, decodeJwt, EXAMPLE_FOLDER, exampleVariant, locationParams, loginPhone, PASSWORD, PHONE, registerPhoneUser, SEED_VARS, startEnv, type Env, type Res } from './helpers.js';

/** The example's redirect URL (its `redirectUrl` variable). */
const REDIRECT = 'http://localhost:3000/oauth-redirect';
/** The phone number of a user who signs up after the apply (the seeded user has PHONE). */
const NEW_PHONE = '+15555550124';

/** The user holding a phone number in the phone-gated tenant (`GET /api/user?loginId=…&loginIdTypes=phoneNumber`). */
function userByPhone(env: Env, tenantId: string, phone = PHONE): Promise<Res> {
  return env.call('GET', `/api/user?${new URLSearchParams({ loginId: phone, loginIdTypes: 'phoneNumber' }).toString()}`, undefined, { tenantId });
}

let env: Env | undefined;
afterEach(async () => {
  await env?.emu.stop();
  env = undefined;
});

describe('the phone-gated story', () => {
  it('the seeded test user: Pending and texted at apply, 212 from the Login API, held by the hosted pages until the texted code is entered', async () => {
    env = await startEnv();
    const a = await applyFolder(env, EXAMPLE_FOLDER, SEED_VARS);

    // kickstand created the user with its registration (no tenant written: the application's tenant); FusionAuth
    // started the phone verification on create and texted the code.
    const seeded = await userByPhone(env, a.tenantId);
    expect(seeded.status).toBe(200);
    expect(contractErrors('UserResponse', seeded.body)).toEqual([]);
    const userId: string = seeded.body.user.id;
    expect(seeded.body.user).toMatchObject({ phoneNumber: PHONE, tenantId: a.tenantId, firstName: 'Test' });
    expect(seeded.body.user.registrations).toEqual([expect.objectContaining({ applicationId: a.appId })]);
    expect(seeded.text).not.toContain(PASSWORD);
    expect(seeded.body.user.identities).toEqual([
      expect.objectContaining({ type: 'phoneNumber', value: PHONE, primary: true, verified: false, verifiedReason: 'Pending' }),
    ]);
    const startedId: string = seeded.body.verificationIds[0].id;
    expect(startedId).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url (phoneVerificationIdGenerator default)

    // The Login API is not the gate: 212 with the user, a token, and the verification the create started
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

    // A second apply writes nothing: the password is create-only, the verification state is the server's.
    const writesBefore = env.emu.requests.length;
    await applyFolder(env, EXAMPLE_FOLDER, SEED_VARS);
    expect(env.emu.requests.slice(writesBefore).filter((r) => r.method !== 'GET' && r.path !== '/api/user/search')).toEqual([]);
    expect((await userByPhone(env, a.tenantId)).body.user.identities[0]).toMatchObject({ verified: true, verifiedReason: 'Completed' });
    expect((await loginPhone(env, a)).status).toBe(200);

    // Someone who signs up now (user and registration in one call) is gated the same way: Pending, texted, 212.
    const reg = await registerPhoneUser(env, a, NEW_PHONE);
    expect(reg.status).toBe(200);
    expect(contractErrors('RegistrationResponse', reg.body)).toEqual([]);
    expect(reg.body.user.identities).toEqual([expect.objectContaining({ type: 'phoneNumber', value: NEW_PHONE, verifiedReason: 'Pending' })]);
    const newcomer = await loginPhone(env, a, NEW_PHONE);
    expect(newcomer.status).toBe(212);
    expect(newcomer.body.identityVerificationId).toBe(reg.body.verificationIds[0].id);
    expect((await env.call('GET', `/_emulator/outbox?to=${encodeURIComponent(NEW_PHONE)}`)).body.messages).toHaveLength(1);
  });

  it('with verification off: the identities are Disabled, nothing is sent, and login is not gated', async () => {
    env = await startEnv();
    const a = await applyFolder(env, exampleVariant([['verifyPhoneNumber: true', 'verifyPhoneNumber: false']], { testUser: true }), SEED_VARS);
    const tenant = (await env.call('GET', `/api/tenant/${a.tenantId}`)).body.tenant;
    expect(tenant.phoneConfiguration).toMatchObject({ verifyPhoneNumber: false, unverified: { behavior: 'Gated' } });

    const seeded = await userByPhone(env, a.tenantId);
    expect(seeded.body.user.identities[0]).toMatchObject({ type: 'phoneNumber', verified: false, verifiedReason: 'Disabled' });
    expect(seeded.body.verificationIds).toBeUndefined();
    const reg = await registerPhoneUser(env, a, NEW_PHONE);
    expect(reg.status).toBe(200);
    expect(reg.body.user.identities[0]).toMatchObject({ type: 'phoneNumber', verified: false, verifiedReason: 'Disabled' });
    expect(reg.body.verificationIds).toBeUndefined();
    expect((await env.call('GET', '/_emulator/outbox')).body.messages).toEqual([]);

    for (const phone of [PHONE, NEW_PHONE]) {
      const ok = await loginPhone(env, a, phone);
      expect(ok.status).toBe(200);
      expect(decodeJwt(ok.body.token).claims.sub).toBe(phone === PHONE ? seeded.body.user.id : reg.body.user.id);
    }
  });
});
