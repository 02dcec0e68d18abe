/**
 * The Login and Logout APIs against real-server evidence (issue 11), over real HTTP against the emulator. Each test
 * names its source: FusionAuth's .NET client test suite (FusionAuth/fusionauth-netcore-client, FusionAuthClientTest.cs,
 * run against a live fusionauth-app), the TypeScript/Python/Go client suites (unknown user 404, no body), FusionAuth's
 * decompiled DefaultAuthenticationService / BaseLoginAction, and the Login/Logout API docs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyFolder, browse, decodeJwt, EXAMPLE, loginPhone, PASSWORD, PHONE, registerPhoneUser, startEnv, type Env } from '../users/helpers.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.emu.stop();
  env = undefined;
});

async function start(): Promise<Env> {
  env = await startEnv();
  return env;
}

/** A tenant that verifies email addresses (with the template FusionAuth requires for it), and an application in it. */
async function emailTenant(e: Env, behavior?: 'Allow' | 'Gated'): Promise<{ tenantId: string; appId: string }> {
  const template = await e.call('POST', '/api/email/template', { emailTemplate: { name: `Verify ${behavior ?? 'default'}`, defaultFromName: 'Test', defaultSubject: 'Verify', defaultHtmlTemplate: '<p>${verificationId}</p>', defaultTextTemplate: '${verificationId}' } });
  expect(template.status).toBe(200);
  const emailConfiguration: Record<string, unknown> = { verifyEmail: true, verificationEmailTemplateId: template.body.emailTemplate.id };
  if (behavior) emailConfiguration.unverified = { behavior };
  const tenant = await e.call('POST', '/api/tenant', { tenant: { name: `Verification Required Tenant ${behavior ?? 'default'}`, emailConfiguration } });
  expect(tenant.status).toBe(200);
  const tenantId: string = tenant.body.tenant.id;
  const app = await e.call('POST', '/api/application', { application: { name: `Verification Required Application ${behavior ?? 'default'}` } }, { tenantId });
  expect(app.status).toBe(200);
  return { tenantId, appId: app.body.application.id };
}

async function register(e: Env, tenantId: string, appId: string, user: Record<string, unknown>, registration: Record<string, unknown> = {}): Promise<string> {
  const r = await e.call('POST', '/api/user/registration', { user: { password: PASSWORD, ...user }, registration: { applicationId: appId, ...registration } }, { tenantId });
  expect(r.status).toBe(200);
  return r.body.user.id as string;
}

describe('212: an identity that still needs verification, whatever the unverified behaviour', () => {
  it('an unverified email answers 212 with the user under the default Allow (.NET client suite UnverifiedUserLogin_Test)', async () => {
    const e = await start();
    const t = await emailTenant(e);
    expect((await e.call('GET', `/api/tenant/${t.tenantId}`)).body.tenant.emailConfiguration.unverified.behavior).toBe('Allow');
    const email = 'csharp-unverified@example.com';
    const userId = await register(e, t.tenantId, t.appId, { email });
    const r = await e.call('POST', '/api/login', { applicationId: t.appId, loginId: email, password: PASSWORD }, { tenantId: t.tenantId });
    expect(r.status).toBe(212);
    expect(r.body.user.id).toBe(userId);
    // The token is issued before the status is chosen (decompiled BaseLoginAction.handleAuthenticationResult).
    expect(decodeJwt(r.body.token).claims).toMatchObject({ sub: userId, applicationId: t.appId });
  });

  it('Gated answers the Login API exactly as Allow does: same status, same fields (decompiled BaseLoginAction)', async () => {
    const e = await start();
    const allow = await emailTenant(e, 'Allow');
    const gated = await emailTenant(e, 'Gated');
    await register(e, allow.tenantId, allow.appId, { email: 'a@example.com' });
    await register(e, gated.tenantId, gated.appId, { email: 'g@example.com' });
    const a = await e.call('POST', '/api/login', { applicationId: allow.appId, loginId: 'a@example.com', password: PASSWORD });
    const g = await e.call('POST', '/api/login', { applicationId: gated.appId, loginId: 'g@example.com', password: PASSWORD });
    expect([a.status, g.status]).toEqual([212, 212]);
    expect(Object.keys(g.body).sort()).toEqual(Object.keys(a.body).sort());
    expect(Object.keys(g.body).sort()).toEqual(['token', 'tokenExpirationInstant', 'user']);
  });

  it('a username login is judged by the primary email; an unverifiable username alone is 200 (decompiled BaseLoginAction)', async () => {
    const e = await start();
    const t = await emailTenant(e);
    await register(e, t.tenantId, t.appId, { email: 'named@example.com', username: 'named' });
    await register(e, t.tenantId, t.appId, { username: 'plain' });
    expect((await e.call('POST', '/api/login', { applicationId: t.appId, loginId: 'named', password: PASSWORD })).status).toBe(212);
    expect((await e.call('POST', '/api/login', { applicationId: t.appId, loginId: 'plain', password: PASSWORD })).status).toBe(200);
  });

  it('skipVerification makes the identity Skipped: 200 (UserIdentity.verificationRequired)', async () => {
    const e = await start();
    const t = await emailTenant(e);
    const r = await e.call('POST', '/api/user/registration', { user: { email: 'skip@example.com', password: PASSWORD }, registration: { applicationId: t.appId }, skipVerification: true }, { tenantId: t.tenantId });
    expect(r.body.user.identities[0].verifiedReason).toBe('Skipped');
    expect((await e.call('POST', '/api/login', { applicationId: t.appId, loginId: 'skip@example.com', password: PASSWORD })).status).toBe(200);
  });
});

describe('verification ids: a login returns an existing one and never starts one', () => {
  it('the same id on every login, no new verification and nothing sent (decompiled handleAddingVerificationIdToResponse)', async () => {
    const e = await start();
    const a = await applyFolder(e, EXAMPLE);
    const reg = await registerPhoneUser(e, a);
    const started: string = reg.body.verificationIds[0].id;
    for (let i = 0; i < 3; i++) {
      const r = await loginPhone(e, a);
      expect(r.status).toBe(212);
      expect(r.body.identityVerificationId).toBe(started);
      expect(r.body.emailVerificationId).toBeUndefined(); // the emulator verifies phone numbers only
    }
    const user = await e.call('GET', `/api/user/${reg.body.user.id}`);
    expect(user.body.verificationIds).toEqual([expect.objectContaining({ id: started })]);
    expect((await e.call('GET', '/_emulator/outbox')).body.messages).toHaveLength(1); // the registration's SMS only
  });
});

describe('status codes the emulator models ([SITE:docs/apis/login/_login-response-codes-authenticated.mdx])', () => {
  it('404 with an empty body for an unknown user and a wrong password (TypeScript, Python and Go client suites)', async () => {
    const e = await start();
    const a = await applyFolder(e, EXAMPLE);
    await registerPhoneUser(e, a);
    const unknown = await loginPhone(e, a, '+15555550999');
    const wrong = await loginPhone(e, a, PHONE, 'not-the-password');
    expect([unknown.status, unknown.text, wrong.status, wrong.text]).toEqual([404, '', 404, '']);
  });

  it('423 with an empty body for a deactivated user, decided before the password (decompiled validateUserForAuthentication)', async () => {
    const e = await start();
    const a = await applyFolder(e, EXAMPLE);
    // Import's `active` defaults to false ([SITE:docs/apis/users/import.mdx]).
    expect((await e.call('POST', '/api/user/import', { users: [{ phoneNumber: '+15555550161', password: PASSWORD, registrations: [{ applicationId: a.appId, verified: true }] }] }, { tenantId: a.tenantId })).status).toBe(200);
    const right = await loginPhone(e, a, '+15555550161');
    const wrong = await loginPhone(e, a, '+15555550161', 'not-the-password');
    expect([right.status, right.text, wrong.status]).toEqual([423, '', 423]);
  });

  it('410 with an empty body once the user\'s expiry has passed (decompiled validateUserForAuthentication)', async () => {
    const e = await start();
    const a = await applyFolder(e, EXAMPLE);
    await registerPhoneUser(e, a, PHONE, { expiry: e.clock.now() + 60_000 });
    expect((await loginPhone(e, a)).status).toBe(212);
    e.clock.advance(60_001);
    const r = await loginPhone(e, a);
    expect([r.status, r.text]).toEqual([410, '']);
  });

  it('202 when not registered: the token has aud but no applicationId or roles (decompiled addTokensToResponse)', async () => {
    const e = await start();
    const a = await applyFolder(e, EXAMPLE);
    await e.call('POST', '/api/user', { user: { phoneNumber: PHONE, password: PASSWORD } }, { tenantId: a.tenantId });
    const r = await loginPhone(e, a);
    expect(r.status).toBe(202);
    const claims = decodeJwt(r.body.token).claims;
    expect(claims.aud).toBe(a.appId);
    expect(claims).not.toHaveProperty('applicationId');
    expect(claims).not.toHaveProperty('roles');
  });

  it('213 for a registration that is not verified, before 212 (decompiled BaseLoginAction)', async () => {
    const e = await start();
    const a = await applyFolder(e, EXAMPLE);
    await e.call('POST', '/api/user/import', { users: [{ phoneNumber: '+15555550171', password: PASSWORD, active: true, verified: false, registrations: [{ applicationId: a.appId }] }] }, { tenantId: a.tenantId });
    const r = await loginPhone(e, a, '+15555550171');
    expect(r.status).toBe(213);
    expect(typeof r.body.token).toBe('string');
  });
});

describe('refresh tokens from the Login API', () => {
  it('loginConfiguration.generateRefreshTokens governs them, oauthConfiguration.generateRefreshTokens does not (decompiled addTokensToResponse)', async () => {
    const e = await start();
    const login = (await e.call('POST', '/api/application', { application: { name: 'Login refresh', loginConfiguration: { generateRefreshTokens: true } } })).body.application.id as string;
    const oauth = (await e.call('POST', '/api/application', { application: { name: 'OAuth refresh', oauthConfiguration: { generateRefreshTokens: true } } })).body.application.id as string;
    const email = 'refresh@example.com';
    const userId = await register(e, (await e.call('GET', `/api/application/${login}`)).body.application.tenantId, login, { email });
    await e.call('POST', `/api/user/registration/${userId}`, { registration: { applicationId: oauth } });

    const withRefresh = await e.call('POST', '/api/login', { applicationId: login, loginId: email, password: PASSWORD });
    expect(withRefresh.status).toBe(200);
    expect(withRefresh.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(withRefresh.body.refreshTokenId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const without = await e.call('POST', '/api/login', { applicationId: oauth, loginId: email, password: PASSWORD });
    expect(without.status).toBe(200);
    expect(without.body).not.toHaveProperty('refreshToken');
    expect(without.body).not.toHaveProperty('refreshTokenId');
    // noJWT: "The response body will not contain the token or refreshToken fields" ([SITE:docs/apis/login/authenticate.mdx]).
    const noJwt = await e.call('POST', '/api/login', { applicationId: login, loginId: email, password: PASSWORD, noJWT: true });
    expect(Object.keys(noJwt.body)).toEqual(['user']);
  });
});

describe('POST /api/logout ([SITE:docs/apis/login/logout.mdx])', () => {
  /** An application whose Login API returns refresh tokens and whose refresh grant can test them. */
  async function setup(e: Env): Promise<{ appId: string; secret: string; email: string }> {
    const app = (await e.call('POST', '/api/application', { application: { name: 'Logout', loginConfiguration: { generateRefreshTokens: true }, oauthConfiguration: { enabledGrants: ['refresh_token'] } } })).body.application;
    const email = 'logout@example.com';
    await register(e, app.tenantId, app.id, { email });
    return { appId: app.id, secret: app.oauthConfiguration.clientSecret, email };
  }
  async function loginRefresh(e: Env, s: { appId: string; email: string }): Promise<string> {
    return (await e.call('POST', '/api/login', { applicationId: s.appId, loginId: s.email, password: PASSWORD })).body.refreshToken as string;
  }
  async function alive(e: Env, s: { appId: string; secret: string }, refreshToken: string): Promise<boolean> {
    const r = await browse(e, 'POST', '/oauth2/token', { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: s.appId, client_secret: s.secret });
    if (r.status !== 200) expect(JSON.parse(r.text)).toEqual({ error: 'invalid_grant', error_reason: 'refresh_token_not_found', error_description: 'The refresh_token is invalid.' });
    return r.status === 200;
  }

  it('revokes the refreshToken of the body, needs no API key and answers 200 with no body', async () => {
    const e = await start();
    const s = await setup(e);
    const one = await loginRefresh(e, s);
    const two = await loginRefresh(e, s);
    expect(await alive(e, s, one)).toBe(true);
    const r = await e.call('POST', '/api/logout', { refreshToken: one }, { key: null });
    expect([r.status, r.text]).toEqual([200, '']);
    expect(await alive(e, s, one)).toBe(false);
    expect(await alive(e, s, two)).toBe(true);
  });

  it('global: true revokes every refresh token of the owner', async () => {
    const e = await start();
    const s = await setup(e);
    const one = await loginRefresh(e, s);
    const two = await loginRefresh(e, s);
    expect((await e.call('POST', '/api/logout', { refreshToken: one, global: true }, { key: null })).status).toBe(200);
    expect([await alive(e, s, one), await alive(e, s, two)]).toEqual([false, false]);
  });

  it('takes the refresh_token cookie, and the URL parameters FusionAuth\'s clients send (logout(global, refreshToken))', async () => {
    const e = await start();
    const s = await setup(e);
    const byCookie = await loginRefresh(e, s);
    expect((await e.call('POST', '/api/logout', undefined, { key: null, headers: { Cookie: `access_token=x; refresh_token=${byCookie}` } })).status).toBe(200);
    expect(await alive(e, s, byCookie)).toBe(false);
    const byParam = await loginRefresh(e, s);
    const other = await loginRefresh(e, s);
    expect((await e.call('POST', `/api/logout?global=true&refreshToken=${encodeURIComponent(byParam)}`, undefined, { key: null })).status).toBe(200);
    expect([await alive(e, s, byParam), await alive(e, s, other)]).toEqual([false, false]);
  });

  it('an unknown or missing token is still 200 ("This API does nothing if the request does not contain … tokens")', async () => {
    const e = await start();
    expect((await e.call('POST', '/api/logout', { refreshToken: 'not-a-token' }, { key: null })).status).toBe(200);
    expect((await e.call('POST', '/api/logout', undefined, { key: null })).status).toBe(200);
  });
});
