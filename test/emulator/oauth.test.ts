/**
 * The authorization-code grant and its hosted pages, over real HTTP against the emulator. Sources: the OAuth2 endpoint
 * docs ([SITE:docs/lifecycle/authenticate-users/oauth/endpoints.mdx]: Authorize, Token, OAuthError, Client Secret) and
 * FusionAuth's decompiled DefaultOAuthService (the checks' order and their error/reason/description), BaseOAuthAction
 * .getNextIntent (the Gated phone step) and phone.VerificationRequiredAction (the verification page).
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { applyFolder, browse, decodeJwt, EXAMPLE, exampleVariant, locationParams, PASSWORD, PHONE, registerPhoneUser, startEnv, type Applied, type Env, type PageRes } from '../users/helpers.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.emu.stop();
  env = undefined;
});

const REDIRECT = 'http://localhost:3000/oauth-redirect';
/** Verification on, not gated (ClickableLink: FormField is only valid with Gated). */
const ALLOW = exampleVariant([
  ['verificationStrategy: FormField', 'verificationStrategy: ClickableLink'],
  ['behavior: Gated', 'behavior: Allow'],
]);

/** An application of the Default tenant with an OAuth configuration, and a registered email user. */
async function emailApp(e: Env, oauth: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<{ appId: string; secret: string; userId: string }> {
  const r = await e.call('POST', '/api/application', { application: { name: `OAuth ${Math.random()}`, oauthConfiguration: { enabledGrants: ['authorization_code', 'refresh_token'], authorizedRedirectURLs: [REDIRECT], ...oauth }, ...extra } });
  expect(r.status).toBe(200);
  const app = r.body.application;
  // One user for every application of a test: created with the first registration, registered to the later ones.
  const existing = await e.call('GET', '/api/user?email=oauth%40example.com');
  const u = existing.status === 200
    ? await e.call('POST', `/api/user/registration/${existing.body.user.id}`, { registration: { applicationId: app.id } })
    : await e.call('POST', '/api/user/registration', { user: { email: 'oauth@example.com', password: PASSWORD }, registration: { applicationId: app.id } });
  expect(u.status).toBe(200);
  return { appId: app.id, secret: app.oauthConfiguration.clientSecret, userId: u.body.user.id };
}

function authorizeUrl(clientId: string, extra: Record<string, string> = {}): string {
  return `/oauth2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', state: 's1', ...extra }).toString()}`;
}

/** Log in on the hosted form and return the redirect. */
async function submitLogin(e: Env, clientId: string, loginId: string, extra: Record<string, string> = {}, password = PASSWORD): Promise<PageRes> {
  return browse(e, 'POST', authorizeUrl(clientId, extra), { loginId, password });
}

/** The authorization code of a redirect back to the client (fails the test if there is none). */
function codeOf(e: Env, r: PageRes): string {
  expect(r.status).toBe(302);
  expect(r.location?.startsWith(`${REDIRECT}?`)).toBe(true);
  const code = locationParams(e, r.location).get('code');
  expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return code as string;
}

async function exchange(e: Env, form: Record<string, string>, basic?: [string, string]): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = basic ? { Authorization: `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}` } : {};
  const r = await browse(e, 'POST', '/oauth2/token', form, headers);
  return { status: r.status, body: JSON.parse(r.text) as Record<string, unknown> };
}

function oauthError(error: string, reason: string | undefined, description: string): Record<string, string> {
  return reason === undefined ? { error, error_description: description } : { error, error_reason: reason, error_description: description };
}

describe('GET /oauth2/authorize', () => {
  it('shows the login form, every value HTML-escaped', async () => {
    env = await startEnv();
    const { appId } = await emailApp(env);
    const r = await browse(env, 'GET', authorizeUrl(appId, { state: '"><script>alert(1)</script>' }));
    expect([r.status, r.contentType]).toEqual([200, 'text/html;charset=UTF-8']);
    expect(r.text).toContain('<form method="post" action="/oauth2/authorize">');
    expect(r.text).toContain('name="loginId"');
    expect(r.text).toContain('value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"');
    expect(r.text).not.toContain('<script>');
  });

  it('answers 400 JSON for what cannot go back to the client: redirect_uri, client_id, PKCE parameters (validateAuthorizeRequest)', async () => {
    env = await startEnv();
    const { appId } = await emailApp(env);
    const json = async (url: string): Promise<[number, unknown]> => {
      const r = await browse(env as Env, 'GET', url);
      return [r.status, JSON.parse(r.text)];
    };
    expect(await json(`/oauth2/authorize?client_id=${appId}&response_type=code`)).toEqual([400, oauthError('invalid_request', 'missing_redirect_uri', 'The request is missing a required parameter: redirect_uri')]);
    expect(await json(authorizeUrl('00000000-0000-4000-8000-000000000000'))).toEqual([400, oauthError('invalid_client', 'invalid_client_id', 'client_id: 00000000-0000-4000-8000-000000000000 is not valid.')]);
    expect(await json(authorizeUrl(appId, { redirect_uri: 'http://evil.example/cb' }))).toEqual([400, oauthError('invalid_request', 'invalid_redirect_uri', 'Invalid redirect_uri http://evil.example/cb')]);
    expect((await json(authorizeUrl(appId, { code_challenge: 'short' })))[1]).toMatchObject({ error_reason: 'invalid_pkce_code_challenge' });
    expect((await json(authorizeUrl(appId, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' })))[1]).toEqual(oauthError('invalid_request', 'invalid_pkce_code_challenge_method', 'The code_challenge_method must be S256.'));
  });

  it('redirects the other errors to the client with error, error_reason, error_description and state (OAuthError "Redirect Parameters")', async () => {
    env = await startEnv();
    const { appId } = await emailApp(env);
    const disabled = await emailApp(env, { enabledGrants: [] });
    const pkce = await emailApp(env, { proofKeyForCodeExchangePolicy: 'Required' });
    const redirected = async (url: string): Promise<Record<string, string>> => {
      const r = await browse(env as Env, 'GET', url);
      expect(r.status).toBe(302);
      expect(r.location?.startsWith(`${REDIRECT}?`)).toBe(true);
      return Object.fromEntries(locationParams(env as Env, r.location));
    };
    expect(await redirected(`/oauth2/authorize?client_id=${appId}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s1`)).toEqual({ ...oauthError('invalid_request', 'missing_response_type', 'The request is missing a required parameter: response_type'), state: 's1' });
    expect(await redirected(authorizeUrl(appId, { response_type: 'token' }))).toMatchObject({ error: 'unsupported_response_type', error_reason: 'invalid_response_type', state: 's1' });
    expect(await redirected(authorizeUrl(disabled.appId))).toEqual({ ...oauthError('unauthorized_client', 'grant_type_disabled', 'The [authorization_code] Authorization Code grant has been disabled for this client.'), state: 's1' });
    expect(await redirected(authorizeUrl(pkce.appId))).toEqual({ ...oauthError('invalid_request', 'missing_code_challenge', 'The request is missing a required parameter: code_challenge'), state: 's1' });
  });
});

describe('POST /oauth2/authorize (the login form)', () => {
  it('a bad password shows the form again with [InvalidLogin]; a good one redirects with code, state and userState', async () => {
    env = await startEnv();
    const { appId } = await emailApp(env);
    const bad = await submitLogin(env, appId, 'oauth@example.com', {}, 'wrong');
    expect(bad.status).toBe(200);
    expect(bad.text).toContain('[InvalidLogin]');
    expect(bad.text).toContain('value="oauth@example.com"');
    expect(bad.text).not.toContain('wrong');
    const ok = await submitLogin(env, appId, 'oauth@example.com');
    codeOf(env, ok);
    const q = locationParams(env, ok.location);
    expect([q.get('state'), q.get('userState')]).toEqual(['s1', 'Authenticated']);
  });

  it('a deactivated user sees [UserLockedException] (the Login API\'s 423 on the hosted page)', async () => {
    env = await startEnv();
    const { appId } = await emailApp(env);
    await env.call('POST', '/api/user/import', { users: [{ email: 'locked@example.com', password: PASSWORD, registrations: [{ applicationId: appId, verified: true }] }] });
    const r = await submitLogin(env, appId, 'locked@example.com');
    expect(r.status).toBe(200);
    expect(r.text).toContain('[UserLockedException]');
  });

  it('requireRegistration: a user not registered gets no code (BaseOAuthAction.getNextIntent)', async () => {
    env = await startEnv();
    const open = await emailApp(env);
    const closed = (await env.call('POST', '/api/application', { application: { name: 'Closed', oauthConfiguration: { enabledGrants: ['authorization_code'], authorizedRedirectURLs: [REDIRECT], requireRegistration: true } } })).body.application.id as string;
    const r = await submitLogin(env, closed, 'oauth@example.com');
    expect(r.status).toBe(200);
    expect(r.text).toContain('[UserAuthorizedNotRegisteredException]');
    expect(open.appId).not.toBe(closed);
  });
});

describe('the phone gate of the hosted pages (Gated only)', () => {
  async function gated(): Promise<{ e: Env; a: Applied; verificationId: string }> {
    env = await startEnv();
    const a = await applyFolder(env, EXAMPLE);
    const reg = await registerPhoneUser(env, a);
    return { e: env, a, verificationId: reg.body.verificationIds[0].id as string };
  }
  async function smsCode(e: Env): Promise<string> {
    return (await e.call('GET', '/_emulator/outbox')).body.messages.at(-1).variables.code as string;
  }

  it('Allow: the same Pending user gets the code straight away', async () => {
    env = await startEnv();
    const a = await applyFolder(env, ALLOW);
    await registerPhoneUser(env, a);
    codeOf(env, await submitLogin(env, a.appId, PHONE));
  });

  it('Gated: no code, the phone verification page; a wrong code keeps the user there, the texted one sends them on', async () => {
    const { e, a, verificationId } = await gated();
    const held = await submitLogin(e, a.appId, PHONE);
    expect(held.status).toBe(302);
    expect(held.location).toMatch(new RegExp(`^/phone/verification-required/${verificationId}\\?intent=[0-9a-f-]{36}&userState=AuthenticatedNotVerified$`));
    const page = await browse(e, 'GET', held.location as string);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="oneTimeCode"');
    expect(page.text).toContain(`name="verificationId" value="${verificationId}"`);

    const code = await smsCode(e);
    const wrong = await browse(e, 'POST', held.location as string, { action: 'verify', oneTimeCode: code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA' });
    expect(wrong.status).toBe(200);
    expect(wrong.text).toContain('[invalid]code');
    const blank = await browse(e, 'POST', held.location as string, { action: 'verify' });
    expect(blank.text).toContain('[blank]oneTimeCode');
    const ok = await browse(e, 'POST', held.location as string, { action: 'verify', oneTimeCode: code });
    codeOf(e, ok);
    // Verified now: the next login goes straight back with a code; the intent is used up.
    codeOf(e, await submitLogin(e, a.appId, PHONE));
    expect((await browse(e, 'GET', held.location as string)).status).toBe(400);
  });

  it('"Send a new code" starts and texts a new verification and moves the page to it', async () => {
    const { e, a, verificationId } = await gated();
    const held = await submitLogin(e, a.appId, PHONE);
    const resent = await browse(e, 'POST', held.location as string, { action: 'resend' });
    expect(resent.status).toBe(302);
    const fresh = /^\/phone\/verification-required\/([A-Za-z0-9_-]{43})\?/.exec(resent.location ?? '')?.[1];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(verificationId);
    expect((await e.call('GET', '/_emulator/outbox')).body.messages).toHaveLength(2);
    codeOf(e, await browse(e, 'POST', resent.location as string, { action: 'verify', oneTimeCode: await smsCode(e) }));
  });

  it('a user with no live verification: the page starts and texts one (VerificationRequiredAction.get)', async () => {
    const { e, a, verificationId } = await gated();
    e.clock.advance(600_000); // the example's phoneCodeTtl: the registration's verification has expired
    const held = await submitLogin(e, a.appId, PHONE);
    expect(held.location).toMatch(/^\/phone\/verification-required\?intent=/);
    const page = await browse(e, 'GET', held.location as string);
    const shown = /name="verificationId" value="([A-Za-z0-9_-]{43})"/.exec(page.text)?.[1];
    expect(shown).toBeDefined();
    expect(shown).not.toBe(verificationId);
    expect((await e.call('GET', '/_emulator/outbox')).body.messages).toHaveLength(2);
    const action = /<form method="post" action="([^"]+)">/.exec(page.text)?.[1] as string;
    codeOf(e, await browse(e, 'POST', `${action}?${new URL(held.location as string, e.emu.url).searchParams.toString()}`, { action: 'verify', oneTimeCode: await smsCode(e) }));
  });

  it('verified meanwhile through the Identity Verify API: the page sends the user on with a code', async () => {
    const { e, a, verificationId } = await gated();
    const held = await submitLogin(e, a.appId, PHONE);
    expect((await e.call('POST', '/api/identity/verify/complete', { verificationId, oneTimeCode: await smsCode(e) })).status).toBe(200);
    codeOf(e, await browse(e, 'GET', held.location as string));
  });

  it('ClickableLink: the page asks for no code; once the texted link\'s id is completed, the page sends the user on', async () => {
    env = await startEnv();
    const a = await applyFolder(env, exampleVariant([['verificationStrategy: FormField', 'verificationStrategy: ClickableLink']]));
    await registerPhoneUser(env, a);
    const held = await submitLogin(env, a.appId, PHONE);
    expect(held.location).toMatch(/^\/phone\/verification-required\?intent=/);
    const page = await browse(env, 'GET', held.location as string);
    expect(page.text).not.toContain('name="oneTimeCode"');
    const verificationId = (await env.call('GET', '/_emulator/outbox')).body.messages[0].variables.verificationId as string;
    expect((await env.call('POST', '/api/identity/verify/complete', { verificationId })).status).toBe(200);
    codeOf(env, await browse(env, 'GET', held.location as string));
  });

  it('an unknown intent is a 400 page, not a code', async () => {
    const { e } = await gated();
    const r = await browse(e, 'GET', '/phone/verification-required?intent=00000000-0000-4000-8000-000000000000');
    expect(r.status).toBe(400);
    expect(r.location).toBeNull();
  });
});

describe('POST /oauth2/token: authorization_code', () => {
  it('exchanges a code once: access token, id token for openid, userId; a second use is auth_code_not_found', async () => {
    env = await startEnv();
    const { appId, secret, userId } = await emailApp(env);
    const code = codeOf(env, await submitLogin(env, appId, 'oauth@example.com', { scope: 'openid', nonce: 'n-1' }));
    const r = await exchange(env, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, [appId, secret]);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'scope', 'token_type', 'userId']);
    expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid', userId });
    const access = decodeJwt(r.body.access_token as string).claims;
    expect(access).toMatchObject({ sub: userId, aud: appId, applicationId: appId, scope: 'openid' });
    const id = decodeJwt(r.body.id_token as string).claims;
    const half = (v: string): string => createHash('sha256').update(v).digest().subarray(0, 16).toString('base64url');
    expect(id).toMatchObject({ sub: userId, aud: appId, nonce: 'n-1', at_hash: half(r.body.access_token as string), c_hash: half(code) });
    expect(id).not.toHaveProperty('roles');
    const again = await exchange(env, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, [appId, secret]);
    expect(again).toEqual({ status: 400, body: oauthError('invalid_request', 'auth_code_not_found', 'Invalid Authorization Code') });
  });

  it('client authentication per clientAuthenticationPolicy (the docs\' Client Secret table, validateClientCredentials): 401 invalid_client', async () => {
    env = await startEnv();
    const required = await emailApp(env);
    const code = codeOf(env, await submitLogin(env, required.appId, 'oauth@example.com'));
    const base = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
    expect(await exchange(env, { ...base, client_id: required.appId })).toEqual({ status: 401, body: oauthError('invalid_client', 'client_authentication_missing', 'Client authentication missing as Basic Authorization header or credentials in the body (or some combination of them).') });
    expect(await exchange(env, base, [required.appId, 'wrong'])).toEqual({ status: 401, body: oauthError('invalid_client', 'invalid_client_authentication', 'Invalid client authentication credentials.') });
    expect(await exchange(env, { ...base, client_id: '00000000-0000-4000-8000-000000000000', client_secret: 'x' })).toMatchObject({ status: 401, body: { error: 'invalid_client', error_reason: 'invalid_client_id' } });
    expect(await exchange(env, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).toEqual({ status: 400, body: oauthError('invalid_request', 'missing_client_id', 'The request is missing a required parameter: client_id') });
    // Credentials in the body work as well as HTTP Basic.
    expect((await exchange(env, { ...base, client_id: required.appId, client_secret: required.secret })).status).toBe(200);
  });

  it('NotRequired: no secret needed, but a wrong one given is still refused ("if it is provided it will be validated")', async () => {
    env = await startEnv();
    const open = await emailApp(env, { clientAuthenticationPolicy: 'NotRequired' });
    const c1 = codeOf(env, await submitLogin(env, open.appId, 'oauth@example.com'));
    expect(await exchange(env, { grant_type: 'authorization_code', code: c1, redirect_uri: REDIRECT, client_id: open.appId, client_secret: 'wrong' })).toMatchObject({ status: 401, body: { error_reason: 'invalid_client_authentication' } });
    const c2 = codeOf(env, await submitLogin(env, open.appId, 'oauth@example.com'));
    expect((await exchange(env, { grant_type: 'authorization_code', code: c2, redirect_uri: REDIRECT, client_id: open.appId })).status).toBe(200);
  });

  it('PKCE: the verifier must match the challenge; a failed check uses the code up (exchangeAuthorizationCode)', async () => {
    env = await startEnv();
    const { appId, secret } = await emailApp(env);
    const verifier = 'v'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const login = async (): Promise<string> => codeOf(env as Env, await submitLogin(env as Env, appId, 'oauth@example.com', { code_challenge: challenge, code_challenge_method: 'S256' }));
    const invalid = { status: 400, body: oauthError('invalid_request', 'auth_code_not_found', 'Invalid Authorization Code') };
    const c1 = await login();
    expect(await exchange(env, { grant_type: 'authorization_code', code: c1, redirect_uri: REDIRECT }, [appId, secret])).toEqual(invalid);
    expect(await exchange(env, { grant_type: 'authorization_code', code: c1, redirect_uri: REDIRECT, code_verifier: verifier }, [appId, secret])).toEqual(invalid);
    const c2 = await login();
    expect(await exchange(env, { grant_type: 'authorization_code', code: c2, redirect_uri: REDIRECT, code_verifier: 'w'.repeat(43) }, [appId, secret])).toEqual(invalid);
    const c3 = await login();
    expect((await exchange(env, { grant_type: 'authorization_code', code: c3, redirect_uri: REDIRECT, code_verifier: verifier }, [appId, secret])).status).toBe(200);
    expect(await exchange(env, { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT, code_verifier: 'short' }, [appId, secret])).toMatchObject({ status: 400, body: { error: 'invalid_request', error_reason: 'invalid_pkce_code_verifier' } });
  });

  it('PKCE Required: no verifier is 401 missing_code_verifier (validateTokenEndpointAuthorizationGrant)', async () => {
    env = await startEnv();
    const { appId, secret } = await emailApp(env, { proofKeyForCodeExchangePolicy: 'Required' });
    expect(await exchange(env, { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }, [appId, secret])).toEqual({ status: 401, body: oauthError('invalid_client', 'missing_code_verifier', 'The request is missing a required parameter: code_verifier') });
  });

  it('the request\'s checks in order: grant_type, grant enabled, code, redirect_uri; a code lives authorizationGrantIdTimeToLiveInSeconds', async () => {
    env = await startEnv();
    const { appId, secret } = await emailApp(env);
    const disabled = await emailApp(env, { enabledGrants: ['refresh_token'] });
    expect(await exchange(env, {}, [appId, secret])).toEqual({ status: 400, body: oauthError('invalid_request', 'missing_grant_type', 'The request is missing a required parameter: grant_type') });
    expect(await exchange(env, { grant_type: 'client_credentials' }, [appId, secret])).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(await exchange(env, { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }, [disabled.appId, disabled.secret])).toEqual({ status: 400, body: oauthError('unauthorized_client', 'grant_type_disabled', 'The [authorization_code] Authorization Code grant has been disabled for this client.') });
    expect(await exchange(env, { grant_type: 'authorization_code', redirect_uri: REDIRECT }, [appId, secret])).toEqual({ status: 400, body: oauthError('invalid_request', 'missing_code', 'The request is missing a required parameter: code') });
    expect(await exchange(env, { grant_type: 'authorization_code', code: 'x' }, [appId, secret])).toEqual({ status: 400, body: oauthError('invalid_request', 'missing_redirect_uri', 'The request is missing a required parameter: redirect_uri') });
    expect(await exchange(env, { grant_type: 'authorization_code', code: 'x', redirect_uri: 'http://evil.example/cb' }, [appId, secret])).toEqual({ status: 400, body: oauthError('invalid_grant', 'invalid_redirect_uri', 'redirect_uri: http://evil.example/cb is not valid.') });
    const code = codeOf(env, await submitLogin(env, appId, 'oauth@example.com'));
    env.clock.advance(30_000); // the tenant default authorizationGrantIdTimeToLiveInSeconds
    expect(await exchange(env, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, [appId, secret])).toMatchObject({ status: 400, body: { error_reason: 'auth_code_not_found' } });
  });
});

describe('refresh tokens from /oauth2/token and the refresh_token grant', () => {
  it('offline_access gives a refresh token only with oauthConfiguration.generateRefreshTokens (exchangeAuthorizationCode)', async () => {
    env = await startEnv();
    const off = await emailApp(env);
    const c1 = codeOf(env, await submitLogin(env, off.appId, 'oauth@example.com', { scope: 'offline_access' }));
    expect((await exchange(env, { grant_type: 'authorization_code', code: c1, redirect_uri: REDIRECT }, [off.appId, off.secret])).body).not.toHaveProperty('refresh_token');
    const on = await emailApp(env, { generateRefreshTokens: true });
    const c2 = codeOf(env, await submitLogin(env, on.appId, 'oauth@example.com', { scope: 'openid offline_access' }));
    const r = await exchange(env, { grant_type: 'authorization_code', code: c2, redirect_uri: REDIRECT }, [on.appId, on.secret]);
    expect(r.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(decodeJwt(r.body.access_token as string).claims.sid).toBe(r.body.refresh_token_id);

    // The refresh grant: a new access token (and id token: openid was granted), the same reusable refresh token.
    const refreshed = await exchange(env, { grant_type: 'refresh_token', refresh_token: r.body.refresh_token as string }, [on.appId, on.secret]);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ token_type: 'Bearer', userId: on.userId, refresh_token: r.body.refresh_token, scope: 'openid offline_access' });
    expect(typeof refreshed.body.id_token).toBe('string');
    expect(refreshed.body.access_token).not.toBe(r.body.access_token);
    // Scopes: a subset is fine, more than granted is invalid_scope.
    const subset = await exchange(env, { grant_type: 'refresh_token', refresh_token: r.body.refresh_token as string, scope: 'openid' }, [on.appId, on.secret]);
    expect([subset.status, subset.body.scope]).toEqual([200, 'openid']);
    expect(await exchange(env, { grant_type: 'refresh_token', refresh_token: r.body.refresh_token as string, scope: 'openid email' }, [on.appId, on.secret])).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: 'The scope provided is different than the scope used to generate the refresh token.' } });
    // Another application's client cannot use it.
    expect(await exchange(env, { grant_type: 'refresh_token', refresh_token: r.body.refresh_token as string }, [off.appId, off.secret])).toEqual({ status: 400, body: oauthError('invalid_grant', 'refresh_token_not_found', 'The refresh_token is invalid.') });
  });

  it('only when the application enables the refresh_token grant (validateTokenEndpointRefreshTokenGrant)', async () => {
    env = await startEnv();
    const app = await emailApp(env, { enabledGrants: ['authorization_code'], generateRefreshTokens: true });
    expect(await exchange(env, { grant_type: 'refresh_token', refresh_token: 'x' }, [app.appId, app.secret])).toEqual({ status: 400, body: oauthError('unauthorized_client', 'grant_type_disabled', 'The [refresh_token] Refresh Token grant has been disabled for this client.') });
    expect(await exchange(env, { grant_type: 'refresh_token' }, [app.appId, app.secret])).toEqual({ status: 400, body: oauthError('invalid_request', 'missing_refresh_token', 'The request is missing a required parameter: refresh_token') });
  });
});

describe('POST /oauth2/token: password', () => {
  it('exchanges a user\'s credentials for tokens when the grant is enabled (TypeScript client suite "OAuth login")', async () => {
    env = await startEnv();
    const { appId, secret, userId } = await emailApp(env, { enabledGrants: ['password', 'authorization_code'] });
    const r = await exchange(env, { grant_type: 'password', username: 'oauth@example.com', password: PASSWORD, scope: 'email openid' }, [appId, secret]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', userId, scope: 'email openid' });
    expect(typeof r.body.id_token).toBe('string');
    expect((await exchange(env, { grant_type: 'password', loginId: 'oauth@example.com', password: 'wrong' }, [appId, secret]))).toEqual({ status: 400, body: oauthError('invalid_grant', 'invalid_user_credentials', 'The user credentials are invalid.') });
    const disabled = await emailApp(env);
    expect(await exchange(env, { grant_type: 'password', loginId: 'oauth@example.com', password: PASSWORD }, [disabled.appId, disabled.secret])).toEqual({ status: 400, body: oauthError('unauthorized_client', 'grant_type_disabled', 'The [password] Password grant has been disabled for this client.') });
  });

  it('goes through the Login API: a user the hosted pages would hold at the phone step still gets tokens (TokenAction.authenticatePasswordGrant)', async () => {
    env = await startEnv();
    const a = await applyFolder(env, EXAMPLE);
    await registerPhoneUser(env, a, PHONE, { email: 'gated@example.com' });
    await env.call('PATCH', `/api/application/${a.appId}`, { application: { oauthConfiguration: { enabledGrants: ['authorization_code', 'password', 'refresh_token'] } } });
    const secret = (await env.call('GET', `/api/application/${a.appId}`)).body.application.oauthConfiguration.clientSecret as string;
    expect((await submitLogin(env, a.appId, 'gated@example.com')).location).toMatch(/^\/phone\/verification-required\//);
    const r = await exchange(env, { grant_type: 'password', loginId: 'gated@example.com', password: PASSWORD }, [a.appId, secret]);
    expect(r.status).toBe(200);
  });

  it('an invalid client authenticated with the Authorization header is told WWW-Authenticate: Basic (TokenAction.post)', async () => {
    env = await startEnv();
    const { appId } = await emailApp(env);
    const r = await browse(env, 'POST', '/oauth2/token', { grant_type: 'password' }, { Authorization: `Basic ${Buffer.from(`${appId}:wrong`).toString('base64')}` });
    expect([r.status, r.headers.get('www-authenticate')]).toEqual([401, 'Basic']);
    const body = await browse(env, 'POST', '/oauth2/token', { grant_type: 'password', client_id: appId, client_secret: 'wrong' });
    expect([body.status, body.headers.get('www-authenticate')]).toEqual([401, null]);
  });
});

describe('form bodies', () => {
  it('only the OAuth2 routes and hosted pages read form posts; the JSON APIs still answer one [invalidJSON]', async () => {
    env = await startEnv();
    const r = await browse(env, 'POST', '/api/login', { loginId: 'a@example.com', password: PASSWORD }, { Authorization: env.emu.apiKey });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).generalErrors[0].code).toBe('[invalidJSON]');
    // A JSON body to the token endpoint is not read as its parameters ([SITE:…/endpoints.mdx]: form encoded data).
    const json = await env.call('POST', '/oauth2/token', { grant_type: 'authorization_code' }, { key: null });
    expect(json.body).toEqual(oauthError('invalid_request', 'missing_grant_type', 'The request is missing a required parameter: grant_type'));
  });
});
