/**
 * The user rules of the emulator (src/emulator/users/{users,import}.ts), real HTTP: login-id uniqueness, password
 * rules, field formats, what is stored, the identities model, and the Import API, each test citing its source.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allCodes, codes, start, type Client } from './helpers.js';

let c: Client | undefined;
afterEach(async () => {
  await c?.e.stop();
  c = undefined;
});

const PASSWORD = 'password';

describe('login ids are unique per tenant ([SITE:docs/apis/users/_user-request-body.mdx] user.email, user.username, user.phoneNumber)', () => {
  it('email without case, username without case, phone number in any format; another tenant may reuse them', async () => {
    c = await start();
    expect((await c.post('/api/user', { user: { email: 'dup@example.com', username: 'Bob', phoneNumber: '+13035551212', password: PASSWORD } })).status).toBe(200);
    expect(codes(await c.post('/api/user', { user: { email: 'DUP@Example.COM', password: PASSWORD } }), 'user.email')).toEqual(['[duplicate]user.email']);
    expect(codes(await c.post('/api/user', { user: { username: 'bOB', password: PASSWORD } }), 'user.username')).toEqual(['[duplicate]user.username']);
    expect(codes(await c.post('/api/user', { user: { phoneNumber: '303-555-1212', password: PASSWORD } }), 'user.phoneNumber')).toEqual(['[duplicate]user.phoneNumber']);
    const t2 = await c.post('/api/tenant', { tenant: { name: 'Second' } });
    expect((await c.post('/api/user', { user: { email: 'dup@example.com', username: 'bob', phoneNumber: '3035551212', password: PASSWORD } }, { tenantId: t2.body.tenant.id })).status).toBe(200);
  });

  it('an update may keep its own login ids but not take another user\'s', async () => {
    c = await start();
    await c.post('/api/user', { user: { email: 'first@example.com', password: PASSWORD } });
    const second = await c.post('/api/user', { user: { email: 'second@example.com', password: PASSWORD } });
    const id = second.body.user.id as string;
    expect((await c.put(`/api/user/${id}`, { user: { email: 'Second@example.com', firstName: 'S' } })).status).toBe(200);
    expect(codes(await c.patch(`/api/user/${id}`, { user: { email: 'first@example.com' } }), 'user.email')).toEqual(['[duplicate]user.email']);
  });
});

describe('create validation (live 1.46: leo-technologies-llc/fusion_auth users_test.exs)', () => {
  it('an empty user: [blank] on email, username and password (and phoneNumber, a login id since 1.59)', async () => {
    c = await start();
    const r = await c.post('/api/user', { user: {} });
    expect(r.status).toBe(400);
    expect(allCodes(r).sort()).toEqual(['user.email: [blank]user.email', 'user.password: [blank]user.password', 'user.phoneNumber: [blank]user.phoneNumber', 'user.username: [blank]user.username']);
    expect(r.body.fieldErrors['user.password'][0].message).toBe('You must specify the [user.password] property.');
  });

  it('password rules come from the tenant\'s passwordValidationRules (reference §4.4)', async () => {
    c = await start();
    const t = await c.patch(`/api/tenant/${c.e.defaultTenantId}`, { tenant: { passwordValidationRules: { minLength: 10, requireMixedCase: true, requireNonAlpha: true, requireNumber: true } } });
    expect(t.status, t.text).toBe(200);
    const weak = await c.post('/api/user', { user: { email: 'w@example.com', password: 'weakpass' } });
    expect(codes(weak, 'user.password').sort()).toEqual(['[onlyAlpha]user.password', '[requireNumber]user.password', '[singleCase]user.password', '[tooShort]user.password']);
    expect((await c.post('/api/user', { user: { email: 'w@example.com', password: 'Str0ng-enough' } })).status).toBe(200);
  });

  it('birthDate must be an ISO-8601 date (YYYY-MM-DD, java.time.LocalDate): otherwise [invalidJSON] at user.birthDate', async () => {
    c = await start();
    for (const bad of ['1976/05/30', '1976-02-30', 'May 30 1976']) {
      const r = await c.post('/api/user', { user: { email: 'b@example.com', password: PASSWORD, birthDate: bad } });
      expect(r.status).toBe(400);
      expect(codes(r, 'user.birthDate')).toEqual(['[invalidJSON]']);
    }
    const ok = await c.post('/api/user', { user: { email: 'b@example.com', password: PASSWORD, birthDate: '1976-05-30', timezone: 'America/Denver' } });
    expect(ok.body.user).toMatchObject({ birthDate: '1976-05-30', timezone: 'America/Denver' });
    expect(codes(await c.post('/api/user', { user: { email: 'z@example.com', password: PASSWORD, timezone: 'Mars/Olympus' } }), 'user.timezone')).toEqual(['[invalidJSON]']);
  });
});

describe('a create that sends a set-password message takes no password ([SITE:docs/apis/_shared/_user-send-set-password-email.mdx] "When you set this value to `true`, any provided **password** field is ignored")', () => {
  /** `POST /api/login` for the Default tenant's FusionAuth application: 404 unless the password is the user's. */
  const login = (loginId: string, password: string) => c!.post('/api/login', { loginId, password, applicationId: '3c219e58-ed0e-4b18-ad48-f4f92793ae32' });

  it('sendSetPasswordEmail: true — no password needed; a given one is ignored (neither checked against the rules nor set)', async () => {
    c = await start();
    const none = await c.post('/api/user', { sendSetPasswordEmail: true, user: { email: 'invited@example.com' } });
    expect(none.status, none.text).toBe(200);
    // "Since version 1.59.0, if a user does not currently have a password, this field will not be returned."
    expect(none.body.user.passwordLastUpdateInstant).toBeUndefined();
    const ignored = await c.post('/api/user', { sendSetPasswordEmail: true, user: { email: 'ignored@example.com', password: 'short' } });
    expect(ignored.status, ignored.text).toBe(200);
    expect(ignored.body.user.passwordLastUpdateInstant).toBeUndefined();
    expect((await login('ignored@example.com', 'short')).status).toBe(404);
  });

  it('the same for a user created with its registration (POST /api/user/registration: RegistrationRequest.sendSetPasswordEmail), and for sendSetPasswordIdentityType other than doNotSend (1.59, [SITE:docs/apis/_shared/_user-send-set-password-identity-type.mdx])', async () => {
    c = await start();
    const app = await c.post('/api/application', { application: { name: 'Invites' } });
    const combined = await c.post('/api/user/registration', { sendSetPasswordEmail: true, user: { email: 'reg@example.com' }, registration: { applicationId: app.body.application.id } });
    expect(combined.status, combined.text).toBe(200);
    expect(combined.body.registration.applicationId).toBe(app.body.application.id);
    for (const [i, type] of ['email', 'phone'].entries()) {
      const r = await c.post('/api/user', { sendSetPasswordIdentityType: type, user: { email: `typed${i}@example.com`, phoneNumber: `+1303555121${i}` } });
      expect(r.status, `${type}: ${r.text}`).toBe(200);
    }
    // doNotSend, the default, sends nothing: the password is required as always.
    expect(codes(await c.post('/api/user', { sendSetPasswordIdentityType: 'doNotSend', user: { email: 'plain@example.com' } }), 'user.password')).toEqual(['[blank]user.password']);
    expect(codes(await c.post('/api/user', { sendSetPasswordEmail: false, user: { email: 'plain@example.com' } }), 'user.password')).toEqual(['[blank]user.password']);
  });

  it('sendSetPasswordEmail without an email: [required]user.email (a live server\'s answer, FusionAuth/fusionauth-issues#2564)', async () => {
    c = await start();
    const r = await c.post('/api/user', { sendSetPasswordEmail: true, user: { username: 'no-email' } });
    expect(r.status).toBe(400);
    expect(allCodes(r)).toEqual(['user.email: [required]user.email']);
    expect(r.body.fieldErrors['user.email'][0].message).toBe('You must specify the [user.email] property when [sendSetPasswordEmail] is equals to [true].');
  });
});

describe('binding as Jackson binds the User class (live 1.46: a value of the wrong type is [invalidJSON] at its property)', () => {
  it('an object where a String belongs is [invalidJSON] at user.<field>; a number becomes its text', async () => {
    c = await start();
    const r = await c.post('/api/user', { user: { email: 'j@example.com', password: PASSWORD, firstName: { first: 'J' } } });
    expect(r.status).toBe(400);
    expect(codes(r, 'user.firstName')).toEqual(['[invalidJSON]']);
    const ok = await c.post('/api/user', { user: { email: 'j@example.com', password: PASSWORD, middleName: 42 } });
    expect(ok.body.user.middleName).toBe('42');
  });
});

describe('what is stored', () => {
  it('data is stored as given, keys whose value is null dropped (User.normalize → Normalizer.removeEmpty)', async () => {
    c = await start();
    const data = { displayName: 'Johnny Boy', favoriteColors: ['Red', 'Blue'], nested: { deep: [1, { x: true }] }, empty: '', gone: null };
    const r = await c.post('/api/user', { user: { email: 'd@example.com', password: PASSWORD, data } });
    const { gone: _gone, ...kept } = data;
    expect(r.body.user.data).toEqual(kept);
    expect((await c.get(`/api/user/${r.body.user.id}`)).body.user.data).toEqual(kept);
  });

  it('properties the User class does not have are dropped, and registrations in a User API request are not applied (java-client issue #24)', async () => {
    c = await start();
    const app = await c.post('/api/application', { application: { name: 'App' } });
    const r = await c.post('/api/user', { user: { email: 'u@example.com', password: PASSWORD, favoriteColor: 'red', registrations: [{ applicationId: app.body.application.id }], verified: true } });
    expect(r.status).toBe(200);
    expect(r.body.user.favoriteColor).toBeUndefined();
    expect(r.body.user.registrations).toEqual([]);
    // `verified` is server-managed: a create cannot claim a verified email.
    expect(r.body.user.identities[0]).toMatchObject({ type: 'email', verified: false, verifiedReason: 'Disabled' });
  });
});

describe('identities ([SITE:docs/apis/_shared/_user-response-body-base.mdx]; skipVerification: [SITE:docs/apis/users/_user-request-body.mdx])', () => {
  it('created while verification is off: Disabled; usernames Unverifiable; user.verified false', async () => {
    c = await start();
    const r = await c.post('/api/user', { user: { email: 'i@example.com', username: 'ident', phoneNumber: '+15555550123', password: PASSWORD } });
    const byType = Object.fromEntries((r.body.user.identities as Array<{ type: string }>).map((i) => [i.type, i]));
    expect(byType.email).toMatchObject({ verified: false, verifiedReason: 'Disabled', primary: true });
    expect(byType.phoneNumber).toMatchObject({ value: '+15555550123', verified: false, verifiedReason: 'Disabled' });
    expect(byType.username).toMatchObject({ verified: false, verifiedReason: 'Unverifiable' });
    expect(r.body.user.verified).toBe(false);
  });

  it('skipVerification: identities verified false with verifiedReason Skipped, and user.verified true when an email was created', async () => {
    c = await start();
    const r = await c.post('/api/user', { user: { email: 'skip@example.com', phoneNumber: '+15555550124', password: PASSWORD }, skipVerification: true });
    for (const i of r.body.user.identities as Array<{ verified: boolean; verifiedReason: string }>) expect(i).toMatchObject({ verified: false, verifiedReason: 'Skipped' });
    expect(r.body.user.verified).toBe(true);
  });

  it('an update keeps the verification state of an unchanged identity and creates a new one for a changed value', async () => {
    c = await start();
    const r = await c.post('/api/user', { user: { email: 'keep@example.com', phoneNumber: '+15555550125', password: PASSWORD }, skipVerification: true });
    const id = r.body.user.id as string;
    const u = await c.put(`/api/user/${id}`, { user: { email: 'keep@example.com', phoneNumber: '+15555550126' } });
    const byType = Object.fromEntries((u.body.user.identities as Array<{ type: string }>).map((i) => [i.type, i]));
    expect(byType.email).toMatchObject({ verifiedReason: 'Skipped' });
    expect(byType.phoneNumber).toMatchObject({ value: '+15555550126', verifiedReason: 'Disabled' });
    expect(u.body.user.verified).toBe(true);
  });
});

describe('Import API ([SITE:docs/apis/users/import.mdx]; live 1.46 users_test.exs import_users)', () => {
  it('two empty users: each problem once, keyed user.<field>, password required, with the "for each user" messages', async () => {
    c = await start();
    const r = await c.post('/api/user/import', { users: [{}, {}] });
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors).toEqual({
      'user.email': [{ code: '[blank]user.email', message: 'You must specify either the [user.email], [user.username] or [user.phoneNumber] property for each user.' }],
      'user.username': [{ code: '[blank]user.username', message: 'You must specify either the [user.email], [user.username] or [user.phoneNumber] property for each user.' }],
      'user.phoneNumber': [{ code: '[blank]user.phoneNumber', message: 'You must specify either the [user.email], [user.username] or [user.phoneNumber] property for each user.' }],
      'user.password': [{ code: '[blank]user.password', message: 'You must specify the [user.password] property for each user.' }],
    });
    const noPassword = await c.post('/api/user/import', { users: [{ email: 'np@example.com' }] });
    expect(codes(noPassword, 'user.password')).toEqual(['[blank]user.password']);
  });

  it('200 with an empty body; imported users keep verified as given with verifiedReason Import', async () => {
    c = await start();
    const r = await c.post('/api/user/import', { users: [{ email: 'imp1@example.com', password: PASSWORD, verified: true, active: true }, { username: 'imp2', password: PASSWORD }] });
    expect(r.status, r.text).toBe(200);
    expect(r.text).toBe('');
    const u = await c.get('/api/user?email=imp1@example.com');
    expect(u.body.user.identities[0]).toMatchObject({ type: 'email', verified: true, verifiedReason: 'Import' });
    expect(u.body.user.verified).toBe(true);
    expect((await c.post('/api/login', { loginId: 'imp1@example.com', password: PASSWORD })).status).toBe(200);
  });

  it('duplicates: 500 with no body, or 400 [duplicate]user.<field> with validateDbConstraints', async () => {
    c = await start();
    await c.post('/api/user', { user: { email: 'taken@example.com', password: PASSWORD } });
    const users = [{ email: 'TAKEN@example.com', password: PASSWORD }];
    const plain = await c.post('/api/user/import', { users });
    expect(plain.status).toBe(500);
    expect(plain.text).toBe('');
    expect(codes(await c.post('/api/user/import', { users, validateDbConstraints: true }), 'user.email')).toEqual(['[duplicate]user.email']);
  });
});
