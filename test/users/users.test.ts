/**
 * Users, registrations, import and login details: validation codes, passwords never leaving the emulator, imported
 * users keeping their verification attributes, the Login API's statuses, persistence, and the license rule.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { apply } from '../../src/engine.js';
import { createClient } from '../../src/fusionauth/client.js';
import { applyFolder, contractErrors, EXAMPLE, exampleVariant, loginPhone, PASSWORD, PHONE, registerPhoneUser, startEnv, type Applied, type Env } from './helpers.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.emu.stop();
  env = undefined;
});

async function setup(folder = EXAMPLE): Promise<{ e: Env; a: Applied }> {
  env = await startEnv();
  return { e: env, a: await applyFolder(env, folder) };
}

/** Every key anywhere in a JSON value. */
function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => keysOf(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) keysOf(x, out.add(k));
  return out;
}

describe('validation (FusionAuth codes)', () => {
  it('duplicate phone number — in any format — is [duplicate]user.phoneNumber', async () => {
    const { e, a } = await setup();
    expect((await registerPhoneUser(e, a)).status).toBe(200);
    const dup = await registerPhoneUser(e, a, '(555) 555-0123');
    expect(dup.status).toBe(400);
    expect(dup.body.fieldErrors['user.phoneNumber'][0].code).toBe('[duplicate]user.phoneNumber');
    expect(contractErrors('Errors', dup.body)).toEqual([]);
    expect((await e.call('POST', '/api/user', { user: { phoneNumber: '555.555.0123', password: PASSWORD } }, { tenantId: a.tenantId })).body.fieldErrors['user.phoneNumber'][0].code).toBe('[duplicate]user.phoneNumber');
    // Unique per tenant: the Default tenant may have the same number.
    expect((await e.call('POST', '/api/user', { user: { phoneNumber: PHONE, password: PASSWORD } }, { tenantId: e.emu.defaultTenantId })).status).toBe(200);
  });

  it('missing password is [blank]user.password; short ones [tooShort]user.password', async () => {
    const { e, a } = await setup();
    const r = await e.call('POST', '/api/user/registration', { user: { phoneNumber: PHONE }, registration: { applicationId: a.appId } }, { tenantId: a.tenantId });
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors['user.password'][0].code).toBe('[blank]user.password');
    const short = await registerPhoneUser(e, a, PHONE, { password: 'short' });
    expect(short.body.fieldErrors['user.password'][0].code).toBe('[tooShort]user.password');
    expect(e.emu.outbox()).toEqual([]); // nothing sent for a refused user
  });

  it('a number that is not E.164 (nor a NANP number) is [invalid]user.phoneNumber; other formats are stored as E.164', async () => {
    const { e, a } = await setup();
    for (const bad of ['+0123456789', '12345', '+1555555012', 'phone', '+12345678901234567']) {
      const r = await registerPhoneUser(e, a, bad);
      expect(r.status, bad).toBe(400);
      expect(r.body.fieldErrors['user.phoneNumber'][0].code, bad).toBe('[invalid]user.phoneNumber');
    }
    const ok = await registerPhoneUser(e, a, '303-555-1212');
    expect(ok.body.user.phoneNumber).toBe('+13035551212');
    expect(ok.body.user.identities[0].value).toBe('+13035551212');
  });

  it('no login id at all: [blank] on email, username and phoneNumber; a missing user object: [missing]user', async () => {
    const { e, a } = await setup();
    const r = await e.call('POST', '/api/user', { user: { password: PASSWORD } }, { tenantId: a.tenantId });
    expect(Object.fromEntries(Object.entries(r.body.fieldErrors).map(([k, v]) => [k, (v as Array<{ code: string }>)[0]!.code]))).toEqual({
      'user.email': '[blank]user.email',
      'user.username': '[blank]user.username',
      'user.phoneNumber': '[blank]user.phoneNumber',
    });
    expect((await e.call('POST', '/api/user', {}, { tenantId: a.tenantId })).body.fieldErrors.user[0].code).toBe('[missing]user');
  });

  it('registration: [missing]/[invalid] application, [duplicate] registration; without a header the application names the tenant', async () => {
    const { e, a } = await setup();
    const noApp = await e.call('POST', '/api/user/registration', { user: { phoneNumber: PHONE, password: PASSWORD }, registration: {} }, { tenantId: a.tenantId });
    expect(noApp.body.fieldErrors['registration.applicationId'][0].code).toBe('[missing]registration.applicationId');
    const otherTenant = await e.call('POST', '/api/user/registration', { user: { phoneNumber: PHONE, password: PASSWORD }, registration: { applicationId: a.appId } }, { tenantId: e.emu.defaultTenantId });
    expect(otherTenant.body.fieldErrors['registration.applicationId'][0].code).toBe('[invalid]registration.applicationId');
    // Live 1.46 evidence (reference §13): with several tenants and no header, the application's tenant is taken.
    const noHeader = await e.call('POST', '/api/user/registration', { user: { phoneNumber: '+15555550199', password: PASSWORD }, registration: { applicationId: a.appId } });
    expect(noHeader.status).toBe(200);
    expect(noHeader.body.user.tenantId).toBe(a.tenantId);
    const user = await e.call('POST', '/api/user', { user: { phoneNumber: PHONE, password: PASSWORD } }, { tenantId: a.tenantId });
    const first = await e.call('POST', `/api/user/registration/${user.body.user.id}`, { registration: { applicationId: a.appId } });
    expect(first.status).toBe(200);
    expect(first.body.registration.applicationId).toBe(a.appId);
    expect((await e.call('POST', `/api/user/registration/${user.body.user.id}`, { registration: { applicationId: a.appId } })).body.fieldErrors.registration[0].code).toBe('[duplicate]registration');
    expect((await e.call('POST', `/api/user/${user.body.user.id}`, { user: { email: 'x@example.com', password: PASSWORD } }, { tenantId: a.tenantId })).body.fieldErrors.userId[0].code).toBe('[duplicate]userId');
  });
});

describe('passwords never leave the emulator', () => {
  it('not in responses, logs, snapshots or the state file; hashed with a salt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kickstand-users-'));
    const statePath = join(dir, 'state.json');
    env = await startEnv({ statePath });
    const a = await applyFolder(env, EXAMPLE);
    const reg = await registerPhoneUser(env, a);
    const second = await registerPhoneUser(env, a, '+15555550124');
    const got = await env.call('GET', `/api/user/${reg.body.user.id}`);
    const byLogin = await env.call('GET', `/api/user?loginId=${encodeURIComponent(PHONE)}&loginIdTypes=phoneNumber`, undefined, { tenantId: a.tenantId });
    expect(byLogin.body.user.id).toBe(reg.body.user.id);
    const gated = await loginPhone(env, a);
    for (const r of [reg, second, got, byLogin, gated]) {
      expect(r.text).not.toContain(PASSWORD);
      for (const k of ['password', 'salt', 'hash', 'factor', 'encryptionScheme']) expect(keysOf(r.body).has(k), k).toBe(false);
    }
    const file = readFileSync(statePath, 'utf8');
    expect(file).not.toContain(PASSWORD);
    const creds = (JSON.parse(file) as { collections: Record<string, Array<{ id: string; salt: string; hash: string; encryptionScheme: string }>> }).collections.userCredentials!;
    expect(creds).toHaveLength(2);
    expect(creds[0]!.encryptionScheme).toBe('salted-pbkdf2-hmac-sha256');
    expect(creds[0]!.salt).not.toBe(creds[1]!.salt);
    expect(creds[0]!.hash).not.toBe(creds[1]!.hash); // same password, different salts
    expect(env.logs.join('\n')).not.toContain(PASSWORD);
    expect(JSON.stringify(env.emu.outbox())).not.toContain(PASSWORD);
  });

  it('wrong password and unknown user are both 404 with an empty body', async () => {
    const { e, a } = await setup(exampleVariant([['verifyPhoneNumber: true', 'verifyPhoneNumber: false']]));
    await registerPhoneUser(e, a);
    const wrong = await loginPhone(e, a, PHONE, 'not-the-password');
    expect([wrong.status, wrong.text]).toEqual([404, '']);
    const unknown = await loginPhone(e, a, '+15555550999');
    expect([unknown.status, unknown.text]).toEqual([404, '']);
  });
});

describe('login details', () => {
  it('loginIdTypes defaults to email and username, so a phone number needs loginIdTypes: [phoneNumber]', async () => {
    const { e, a } = await setup(exampleVariant([['verifyPhoneNumber: true', 'verifyPhoneNumber: false']]));
    await registerPhoneUser(e, a);
    expect((await e.call('POST', '/api/login', { loginId: PHONE, password: PASSWORD, applicationId: a.appId })).status).toBe(404);
    expect((await e.call('POST', '/api/login', { loginId: '555-555-0123', loginIdTypes: ['email', 'phoneNumber'], password: PASSWORD, applicationId: a.appId })).status).toBe(200);
    expect((await e.call('POST', '/api/login', { loginId: PHONE, loginIdTypes: ['fax'], password: PASSWORD })).body.fieldErrors.loginIdTypes[0].code).toBe('[invalid]loginIdTypes');
    const blank = await e.call('POST', '/api/login', {});
    expect(blank.body.fieldErrors).toMatchObject({ loginId: [{ code: '[blank]loginId' }], password: [{ code: '[blank]password' }] });
  });

  it('202 when not registered for the application; noJWT leaves the token out; lastLoginInstant is recorded', async () => {
    const { e, a } = await setup(exampleVariant([['verifyPhoneNumber: true', 'verifyPhoneNumber: false']]));
    const u = await e.call('POST', '/api/user', { user: { phoneNumber: PHONE, password: PASSWORD } }, { tenantId: a.tenantId });
    const r = await loginPhone(e, a);
    expect(r.status).toBe(202);
    expect(r.body.user.id).toBe(u.body.user.id);
    const noJwt = await e.call('POST', '/api/login', { loginId: PHONE, loginIdTypes: ['phoneNumber'], password: PASSWORD, noJWT: true }, { tenantId: a.tenantId });
    expect(noJwt.status).toBe(200);
    expect(noJwt.body.token).toBeUndefined();
    expect(noJwt.body.user.lastLoginInstant).toBe(e.clock.now());
  });

  it('401 without an API key unless the application turns requireAuthentication off', async () => {
    const { e, a } = await setup(exampleVariant([['verifyPhoneNumber: true', 'verifyPhoneNumber: false']]));
    await registerPhoneUser(e, a);
    const body = { loginId: PHONE, loginIdTypes: ['phoneNumber'], password: PASSWORD, applicationId: a.appId };
    const denied = await e.call('POST', '/api/login', body, { key: null });
    expect([denied.status, denied.text]).toEqual([401, '']);
    expect((await e.call('PATCH', `/api/application/${a.appId}`, { application: { loginConfiguration: { requireAuthentication: false } } })).status).toBe(200);
    expect((await e.call('POST', '/api/login', body, { key: null })).status).toBe(200);
  });

  it('the roles of the registration and the application JWT lifetime go into the token', async () => {
    const { e, a } = await setup(exampleVariant([['verifyPhoneNumber: true', 'verifyPhoneNumber: false']]));
    expect((await e.call('POST', `/api/application/${a.appId}/role`, { role: { name: 'member', isDefault: true } })).status).toBe(200);
    expect((await e.call('PATCH', `/api/application/${a.appId}`, { application: { jwtConfiguration: { enabled: true, timeToLiveInSeconds: 120 } } })).status).toBe(200);
    const reg = await registerPhoneUser(e, a);
    expect(reg.body.registration.roles).toEqual(['member']);
    const ok = await loginPhone(e, a);
    const claims = JSON.parse(Buffer.from((ok.body.token as string).split('.')[1]!, 'base64url').toString('utf8')) as { roles: string[]; exp: number; iat: number };
    expect(claims.roles).toEqual(['member']);
    expect(claims.exp - claims.iat).toBe(120);
    // Tokens expire on the emulator's clock.
    const check = () => e.call('GET', '/api/jwt/validate', undefined, { key: null, headers: { Authorization: `Bearer ${ok.body.token}` } });
    expect((await check()).status).toBe(200);
    e.clock.advance(120_000);
    expect((await check()).status).toBe(401);
  });
});

describe('imported users keep their verification attributes', () => {
  it('verified or not, an imported phone identity is Import, is never gated and is not messaged', async () => {
    const { e, a } = await setup();
    const salt = randomBytes(16).toString('base64');
    const hash = pbkdf2Sync('hashed-elsewhere', Buffer.from(salt, 'base64'), 24000, 32, 'sha256').toString('base64');
    const r = await e.call('POST', '/api/user/import', {
      users: [
        { phoneNumber: '+15555550131', password: PASSWORD, active: true, verified: false, registrations: [{ applicationId: a.appId }] },
        { phoneNumber: '+15555550132', password: PASSWORD, active: true, verified: true, verifiedInstant: 1_600_000_000_000, registrations: [{ applicationId: a.appId }] },
        { phoneNumber: '+15555550133', password: hash, salt, factor: 24000, encryptionScheme: 'salted-pbkdf2-hmac-sha256', active: true, registrations: [{ applicationId: a.appId }] },
        { phoneNumber: '+15555550134', password: PASSWORD, registrations: [{ applicationId: a.appId }] },
      ],
    }, { tenantId: a.tenantId });
    expect([r.status, r.text]).toEqual([200, '']);
    const get = async (phone: string) => (await e.call('GET', `/api/user?loginId=${encodeURIComponent(phone)}&loginIdTypes=phoneNumber`, undefined, { tenantId: a.tenantId })).body.user;
    expect((await get('+15555550131')).identities[0]).toMatchObject({ verified: false, verifiedReason: 'Import' });
    expect((await get('+15555550131')).identities[0].verifiedInstant).toBeUndefined();
    expect((await get('+15555550132')).identities[0]).toMatchObject({ verified: true, verifiedReason: 'Import', verifiedInstant: 1_600_000_000_000 });
    expect(e.emu.outbox()).toEqual([]);

    expect((await loginPhone(e, a, '+15555550131')).status).toBe(200); // Import: not gated although unverified
    expect((await loginPhone(e, a, '+15555550132')).status).toBe(200);
    expect((await loginPhone(e, a, '+15555550133', 'hashed-elsewhere')).status).toBe(200); // a hash imported as is
    expect((await loginPhone(e, a, '+15555550134')).status).toBe(404); // users[x].active defaults to false
  });

  it('duplicates: 500 as documented, or 400 [duplicate] with validateDbConstraints; nothing is imported then', async () => {
    const { e, a } = await setup();
    await registerPhoneUser(e, a);
    const users = [{ phoneNumber: '+15555550141', password: PASSWORD }, { phoneNumber: '555 555 0123', password: PASSWORD }];
    expect((await e.call('POST', '/api/user/import', { users }, { tenantId: a.tenantId })).status).toBe(500);
    const checked = await e.call('POST', '/api/user/import', { users, validateDbConstraints: true }, { tenantId: a.tenantId });
    expect(checked.status).toBe(400);
    expect(checked.body.fieldErrors['user.phoneNumber'][0].code).toBe('[duplicate]user.phoneNumber');
    expect((await e.call('GET', '/api/user?loginId=%2B15555550141&loginIdTypes=phoneNumber', undefined, { tenantId: a.tenantId })).status).toBe(404);
  });
});

describe('state', () => {
  it('users, hashes and pending verifications survive a restart from the state file; reset clears them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kickstand-users-'));
    const statePath = join(dir, 'state.json');
    env = await startEnv({ statePath });
    const a = await applyFolder(env, EXAMPLE);
    await registerPhoneUser(env, a);
    const id = (await loginPhone(env, a)).body.identityVerificationId as string;
    const code = env.emu.outbox()[0]!.variables as { code: string };
    await env.emu.stop();

    env = await startEnv({ statePath });
    expect((await loginPhone(env, a)).body.identityVerificationId).toBe(id);
    expect((await env.call('POST', '/api/identity/verify/complete', { verificationId: id, oneTimeCode: code.code })).status).toBe(200);
    expect((await loginPhone(env, a)).status).toBe(200);
    expect((await env.call('POST', '/_emulator/reset')).status).toBe(200);
    expect(env.emu.outbox()).toEqual([]);
    expect((await env.call('GET', '/api/user?loginId=%2B15555550123&loginIdTypes=phoneNumber')).status).toBe(404);
  });
});

describe('license', () => {
  it('Gated with verification on needs a licensed emulator: kickstand stops at the plan, the emulator answers [notLicensed]', async () => {
    const emu = await startEmulator({ licensed: false });
    try {
      const client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
      const { plan, result } = await apply({ files: [EXAMPLE], client });
      expect(plan.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('\n')).toContain('license');
      expect(result.summary).toEqual({ applied: 0, failed: 0, skipped: 4 });
      expect(emu.requests.filter((r) => r.method !== 'GET')).toEqual([]);
      // The same tenant sent straight to the emulator.
      const r = await fetch(`${emu.url}/api/tenant`, {
        method: 'POST',
        headers: { Authorization: emu.apiKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ tenant: { name: 'Gated', phoneConfiguration: { verifyPhoneNumber: true, messengerId: null, unverified: { behavior: 'Gated' } } } }),
      });
      const body = (await r.json()) as { fieldErrors: Record<string, Array<{ code: string }>> };
      expect(body.fieldErrors['tenant.phoneConfiguration.unverified.behavior']?.[0]?.code).toBe('[notLicensed]tenant.phoneConfiguration.unverified.behavior');
    } finally {
      await emu.stop();
    }
  });
});
