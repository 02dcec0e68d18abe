/**
 * The emulator's server-filled defaults (src/emulator/defaults.ts): every documented default of reference §2–§5
 * appears after a minimal fill, body values win, fills are pure and never hold nulls, the §4.3 copies from the
 * Default tenant happen, and the §5.3 client-authentication sync works both ways.
 */
import { describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '../../src/core/types.js';
import {
  bootDefaults,
  fillApplication,
  fillMessageTemplate,
  fillMessenger,
  fillTenant,
  FUSIONAUTH_APP_ROLES,
  type DefaultsContext,
} from '../../src/emulator/defaults.js';

/** A context with deterministic ids so assertions can name them. */
function makeCtx(): DefaultsContext & { issued: string[] } {
  let n = 0;
  const issued: string[] = [];
  return {
    issued,
    newId() {
      n += 1;
      const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      issued.push(id);
      return id;
    },
    randomSecret: () => 'generated-secret',
  };
}

/** The Default tenant and FusionAuth app as a freshly booted emulator holds them. */
function bootedCtx(): DefaultsContext {
  const ctx = makeCtx();
  const boot = bootDefaults(ctx, '1.69.0');
  return { ...ctx, defaultTenant: boot.tenant, fusionAuthApp: boot.fusionAuthApp };
}

function at(obj: Json | undefined, path: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const k of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Every dotted path whose value is null (there must be none). */
function nullPaths(v: Json, prefix = ''): string[] {
  if (v === null) return [prefix];
  if (Array.isArray(v)) return v.flatMap((e, i) => nullPaths(e, `${prefix}[${i}]`));
  if (typeof v === 'object') return Object.entries(v).flatMap(([k, e]) => nullPaths(e, prefix ? `${prefix}.${k}` : k));
  return [];
}

const gen = (length: number, type: string) => ({ length, type });
const rl = { enabled: false, limit: 5, timePeriodInSeconds: 60 };

// Reference §4.4 tables (sources named there; choices between disagreeing sources are commented in tenant.ts).
const TENANT_DEFAULTS: Array<[string, Json]> = [
  ['httpSessionMaxInactiveInterval', 3600],
  ['data', {}],
  // externalIdentifierConfiguration TTLs
  ['externalIdentifierConfiguration.authorizationGrantIdTimeToLiveInSeconds', 30],
  ['externalIdentifierConfiguration.changePasswordIdTimeToLiveInSeconds', 600],
  ['externalIdentifierConfiguration.deviceCodeTimeToLiveInSeconds', 300],
  ['externalIdentifierConfiguration.emailVerificationIdTimeToLiveInSeconds', 86400],
  ['externalIdentifierConfiguration.externalAuthenticationIdTimeToLiveInSeconds', 300],
  ['externalIdentifierConfiguration.identityProviderConnectionTestTimeToLiveInSeconds', 1800],
  ['externalIdentifierConfiguration.loginIntentTimeToLiveInSeconds', 1800],
  ['externalIdentifierConfiguration.oneTimePasswordTimeToLiveInSeconds', 60],
  ['externalIdentifierConfiguration.passwordlessLoginTimeToLiveInSeconds', 180],
  ['externalIdentifierConfiguration.pendingAccountLinkTimeToLiveInSeconds', 3600],
  ['externalIdentifierConfiguration.phoneVerificationIdTimeToLiveInSeconds', 86400],
  ['externalIdentifierConfiguration.registrationVerificationIdTimeToLiveInSeconds', 86400],
  ['externalIdentifierConfiguration.rememberOAuthScopeConsentChoiceTimeToLiveInSeconds', 2592000],
  ['externalIdentifierConfiguration.samlv2AuthNRequestIdTimeToLiveInSeconds', 300],
  ['externalIdentifierConfiguration.setupPasswordIdTimeToLiveInSeconds', 86400],
  ['externalIdentifierConfiguration.trustTokenTimeToLiveInSeconds', 180],
  ['externalIdentifierConfiguration.twoFactorIdTimeToLiveInSeconds', 300],
  ['externalIdentifierConfiguration.twoFactorOneTimeCodeIdTimeToLiveInSeconds', 60],
  ['externalIdentifierConfiguration.twoFactorTrustIdTimeToLiveInSeconds', 2592000],
  ['externalIdentifierConfiguration.webAuthnAuthenticationChallengeTimeToLiveInSeconds', 180],
  ['externalIdentifierConfiguration.webAuthnRegistrationChallengeTimeToLiveInSeconds', 180],
  // generators
  ['externalIdentifierConfiguration.changePasswordIdGenerator', gen(32, 'randomBytes')],
  ['externalIdentifierConfiguration.deviceUserCodeIdGenerator', gen(6, 'randomAlphaNumeric')],
  ['externalIdentifierConfiguration.emailVerificationIdGenerator', gen(32, 'randomBytes')],
  ['externalIdentifierConfiguration.emailVerificationOneTimeCodeGenerator', gen(6, 'randomAlphaNumeric')],
  ['externalIdentifierConfiguration.passwordlessLoginGenerator', gen(32, 'randomBytes')],
  ['externalIdentifierConfiguration.passwordlessLoginOneTimeCodeGenerator', gen(6, 'randomDigits')],
  ['externalIdentifierConfiguration.phoneVerificationIdGenerator', gen(32, 'randomBytes')],
  ['externalIdentifierConfiguration.phoneVerificationOneTimeCodeGenerator', gen(6, 'randomAlphaNumeric')],
  ['externalIdentifierConfiguration.registrationVerificationIdGenerator', gen(32, 'randomBytes')],
  ['externalIdentifierConfiguration.registrationVerificationOneTimeCodeGenerator', gen(6, 'randomAlphaNumeric')],
  ['externalIdentifierConfiguration.setupPasswordIdGenerator', gen(32, 'randomBytes')],
  ['externalIdentifierConfiguration.twoFactorOneTimeCodeIdGenerator', gen(6, 'randomDigits')],
  // phone configuration (1.59+) and unverified behaviours
  ['phoneConfiguration.verifyPhoneNumber', false],
  ['phoneConfiguration.verificationStrategy', 'ClickableLink'],
  ['phoneConfiguration.unverified.behavior', 'Allow'],
  ['phoneConfiguration.unverified.allowPhoneNumberChangeWhenGated', false],
  ['phoneConfiguration.implicitPhoneVerificationAllowed', true],
  ['emailConfiguration.unverified.behavior', 'Allow'],
  ['emailConfiguration.unverified.allowEmailChangeWhenGated', false],
  ['emailConfiguration.verificationStrategy', 'ClickableLink'],
  ['emailConfiguration.verifyEmail', false],
  ['emailConfiguration.verifyEmailWhenChanged', false],
  ['emailConfiguration.implicitEmailVerificationAllowed', true],
  ['emailConfiguration.host', 'localhost'],
  ['emailConfiguration.port', 25],
  ['emailConfiguration.defaultFromEmail', 'change-me@example.com'],
  ['emailConfiguration.additionalHeaders', []],
  ['emailConfiguration.debug', false],
  // multi-factor
  ['multiFactorConfiguration.authenticator', { algorithm: 'HmacSHA1', codeLength: 6, enabled: true, timeStep: 30 }],
  ['multiFactorConfiguration.email.enabled', false],
  ['multiFactorConfiguration.sms.enabled', false],
  ['multiFactorConfiguration.voice.enabled', false],
  ['multiFactorConfiguration.loginPolicy', 'Enabled'],
  // jwt
  ['jwtConfiguration.timeToLiveInSeconds', 3600],
  ['jwtConfiguration.refreshTokenTimeToLiveInMinutes', 43200],
  ['jwtConfiguration.refreshTokenExpirationPolicy', 'Fixed'],
  ['jwtConfiguration.refreshTokenUsagePolicy', 'Reusable'],
  ['jwtConfiguration.refreshTokenRevocationPolicy', { onLoginPrevented: true, onMultiFactorEnable: false, onOneTimeTokenReuse: false, onPasswordChanged: true }],
  ['jwtConfiguration.refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes', 43200],
  ['jwtConfiguration.refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds', 0],
  // password rules and encryption
  ['passwordValidationRules.minLength', 8],
  ['passwordValidationRules.maxLength', 256],
  ['passwordValidationRules.requireMixedCase', false],
  ['passwordValidationRules.requireNonAlpha', false],
  ['passwordValidationRules.requireNumber', false],
  ['passwordValidationRules.validateOnLogin', false],
  ['passwordValidationRules.rememberPreviousPasswords', { count: 1, enabled: false }],
  ['passwordValidationRules.breachDetection.enabled', false],
  ['passwordEncryptionConfiguration', { encryptionScheme: 'salted-pbkdf2-hmac-sha256', encryptionSchemeFactor: 24000, modifyEncryptionSchemeOnLogin: false }],
  ['maximumPasswordAge', { days: 180, enabled: false }],
  ['minimumPasswordAge', { enabled: false, seconds: 30 }],
  // other blocks
  ['failedAuthenticationConfiguration', { actionCancelPolicy: { onPasswordReset: false }, actionDuration: 3, actionDurationUnit: 'MINUTES', emailUser: false, resetCountInSeconds: 60, tooManyAttempts: 5 }],
  ['familyConfiguration', { allowChildRegistrations: true, deleteOrphanedAccounts: false, deleteOrphanedAccountsDays: 30, enabled: false, maximumChildAge: 12, minimumOwnerAge: 21, parentEmailRequired: false }],
  ['loginConfiguration.requireAuthentication', true],
  ['ssoConfiguration', { allowAccessTokenBootstrap: false, deviceTrustTimeToLiveInSeconds: 31536000 }],
  ['captchaConfiguration', { captchaMethod: 'GoogleRecaptchaV3', enabled: false, threshold: 0.5 }],
  ['connectorPolicies', [{ connectorId: 'e3306678-a53a-4964-9040-1c96f36dda72', domains: ['*'], migrate: false }]],
  ['registrationConfiguration.blockedDomains', []],
  ['scimServerConfiguration', { enabled: false }],
  ['userDeletePolicy.unverified', { enabled: false, numberOfDaysToRetain: 120 }],
  ['usernameConfiguration.unique', { enabled: false, numberOfDigits: 5, separator: '#', strategy: 'OnCollision' }],
  ['webAuthnConfiguration.enabled', false],
  ['webAuthnConfiguration.bootstrapWorkflow.authenticatorAttachmentPreference', 'any'],
  ['webAuthnConfiguration.reauthenticationWorkflow.authenticatorAttachmentPreference', 'platform'],
  ['eventConfiguration', { events: {} }],
  ['oauthConfiguration', {}],
  ['lambdaConfiguration', {}],
  ['accessControlConfiguration', {}],
  ['clientRiskConfiguration.enabled', false],
  ...(['failedLogin', 'forgotPassword', 'sendEmailVerification', 'sendPasswordless', 'sendPasswordlessPhone', 'sendPhoneVerification', 'sendRegistrationVerification', 'sendTwoFactor'].map(
    (k) => [`rateLimitConfiguration.${k}`, rl] as [string, Json],
  )),
];

// Reference §5.3/§5.5.
const APPLICATION_DEFAULTS: Array<[string, Json]> = [
  ['data', {}],
  ['verifyRegistration', false],
  ['unverified.behavior', 'Allow'],
  ['registrationDeletePolicy.unverified', { enabled: false, numberOfDaysToRetain: 120 }],
  ['roles', []],
  ['scopes', []],
  ['oauthConfiguration.authorizedRedirectURLs', []],
  ['oauthConfiguration.authorizedOriginURLs', []],
  ['oauthConfiguration.authorizedURLValidationPolicy', 'ExactMatch'],
  ['oauthConfiguration.enabledGrants', []],
  ['oauthConfiguration.clientAuthenticationPolicy', 'Required'],
  ['oauthConfiguration.requireClientAuthentication', true],
  ['oauthConfiguration.proofKeyForCodeExchangePolicy', 'NotRequired'],
  ['oauthConfiguration.generateRefreshTokens', false],
  ['oauthConfiguration.requireRegistration', false],
  ['oauthConfiguration.logoutBehavior', 'AllApplications'],
  ['oauthConfiguration.debug', false],
  ['oauthConfiguration.relationship', 'FirstParty'],
  ['oauthConfiguration.consentMode', 'AlwaysPrompt'],
  ['oauthConfiguration.scopeHandlingPolicy', 'Strict'],
  ['oauthConfiguration.unknownScopePolicy', 'Reject'],
  ...(['address', 'email', 'phone', 'profile'].map(
    (s) => [`oauthConfiguration.providedScopePolicy.${s}`, { enabled: true, required: false }] as [string, Json],
  )),
  ['registrationConfiguration.enabled', false],
  ['registrationConfiguration.type', 'basic'],
  ['registrationConfiguration.loginIdType', 'email'],
  ['registrationConfiguration.confirmPassword', false],
  ['registrationConfiguration.completeRegistration', false],
  ...(['birthDate', 'firstName', 'fullName', 'lastName', 'middleName', 'mobilePhone', 'preferredLanguages'].map(
    (f) => [`registrationConfiguration.${f}`, { enabled: false, required: false }] as [string, Json],
  )),
  ['loginConfiguration', { allowTokenRefresh: false, generateRefreshTokens: false, requireAuthentication: true }],
  ['passwordlessConfiguration.enabled', false],
  ['jwtConfiguration.enabled', false],
  ['jwtConfiguration.timeToLiveInSeconds', 3600],
  ['jwtConfiguration.refreshTokenTimeToLiveInMinutes', 43200],
  ['phoneConfiguration', {}],
  ['emailConfiguration', {}],
  ['samlv2Configuration.enabled', false],
  ['webAuthnConfiguration', { bootstrapWorkflow: { enabled: false }, enabled: false, reauthenticationWorkflow: { enabled: false } }],
  ['authenticationTokenConfiguration', { enabled: false }],
  ['universalConfiguration', { universal: false }],
];

describe('fillTenant: documented defaults after a minimal create', () => {
  const t = fillTenant({ name: 'Acme' }, bootedCtx());
  it.each(TENANT_DEFAULTS)('%s', (path, expected) => {
    expect(at(t, path)).toEqual(expected);
  });

  it('keeps the name and sets no server-owned field', () => {
    expect(t.name).toBe('Acme');
    for (const k of ['id', 'insertInstant', 'lastUpdateInstant', 'state', 'configured']) expect(t).not.toHaveProperty(k);
  });

  it('has no phone template or messenger ids by default', () => {
    expect(Object.keys(t.phoneConfiguration as JsonObject).sort()).toEqual(
      ['implicitPhoneVerificationAllowed', 'unverified', 'verificationStrategy', 'verifyPhoneNumber'],
    );
  });

  it("drops jwtConfiguration.enabled (the server ignores it on a tenant's JWT block)", () => {
    const filled = fillTenant({ name: 'x', jwtConfiguration: { enabled: true, timeToLiveInSeconds: 10 } }, bootedCtx());
    expect(at(filled, 'jwtConfiguration.enabled')).toBeUndefined();
    expect(at(filled, 'jwtConfiguration.timeToLiveInSeconds')).toBe(10);
  });
});

describe('fillTenant: §4.3 values copied from the Default tenant', () => {
  const ctx = bootedCtx();
  const def = ctx.defaultTenant!;

  it.each([['issuer'], ['themeId'], ['jwtConfiguration.accessTokenKeyId'], ['jwtConfiguration.idTokenKeyId'], ['formConfiguration.adminUserFormId']])(
    '%s is copied when absent',
    (path) => {
      const v = at(def, path);
      expect(v).toEqual(expect.any(String));
      expect(at(fillTenant({ name: 'x' }, ctx), path)).toBe(v);
    },
  );

  it('body values win over the copies', () => {
    const body: JsonObject = {
      name: 'x',
      issuer: 'https://auth.example.com',
      themeId: '11111111-1111-4111-8111-111111111111',
      jwtConfiguration: { accessTokenKeyId: '22222222-2222-4222-8222-222222222222', idTokenKeyId: '33333333-3333-4333-8333-333333333333' },
      formConfiguration: { adminUserFormId: '44444444-4444-4444-8444-444444444444' },
    };
    const t = fillTenant(body, ctx);
    expect(t.issuer).toBe('https://auth.example.com');
    expect(t.themeId).toBe('11111111-1111-4111-8111-111111111111');
    expect(at(t, 'jwtConfiguration.accessTokenKeyId')).toBe('22222222-2222-4222-8222-222222222222');
    expect(at(t, 'jwtConfiguration.idTokenKeyId')).toBe('33333333-3333-4333-8333-333333333333');
    expect(at(t, 'formConfiguration.adminUserFormId')).toBe('44444444-4444-4444-8444-444444444444');
  });

  it('without a Default tenant nothing is copied (booting)', () => {
    const t = fillTenant({ name: 'x' }, makeCtx());
    expect(t.issuer).toBeUndefined();
    expect(t.themeId).toBeUndefined();
  });

  it('a zero encryption factor and a blank scheme get the server defaults', () => {
    const t = fillTenant({ name: 'x', passwordEncryptionConfiguration: { encryptionScheme: '', encryptionSchemeFactor: 0 } }, ctx);
    expect(t.passwordEncryptionConfiguration).toEqual({ encryptionScheme: 'salted-pbkdf2-hmac-sha256', encryptionSchemeFactor: 24000, modifyEncryptionSchemeOnLogin: false });
  });

  it('the FusionAuth connector policy is forced to domains ["*"] and migrate false; others are kept', () => {
    const t = fillTenant(
      {
        name: 'x',
        connectorPolicies: [
          { connectorId: 'e3306678-a53a-4964-9040-1c96f36dda72', domains: ['example.com'], migrate: true },
          { connectorId: '55555555-5555-4555-8555-555555555555', domains: ['Example.ORG'], migrate: true },
        ],
      },
      ctx,
    );
    expect(t.connectorPolicies).toEqual([
      { connectorId: 'e3306678-a53a-4964-9040-1c96f36dda72', domains: ['*'], migrate: false },
      { connectorId: '55555555-5555-4555-8555-555555555555', domains: ['example.org'], migrate: true },
    ]);
  });
});

describe('fillTenant: body values win, objects merge, arrays replace', () => {
  const ctx = bootedCtx();
  const body: JsonObject = {
    name: 'Phone',
    phoneConfiguration: { messengerId: 'm-1', verifyPhoneNumber: true, verificationTemplateId: 't-1', unverified: { behavior: 'Gated' } },
    externalIdentifierConfiguration: { phoneVerificationOneTimeCodeGenerator: { length: 8, type: 'randomDigits' }, twoFactorIdTimeToLiveInSeconds: 120 },
    emailConfiguration: { additionalHeaders: [{ name: 'X-A', value: '1' }] },
    registrationConfiguration: { blockedDomains: ['spam.example'] },
  };
  const t = fillTenant(body, ctx);

  it.each<[string, Json]>([
    ['phoneConfiguration.messengerId', 'm-1'],
    ['phoneConfiguration.verifyPhoneNumber', true],
    ['phoneConfiguration.unverified.behavior', 'Gated'],
    ['phoneConfiguration.unverified.allowPhoneNumberChangeWhenGated', false],
    ['phoneConfiguration.verificationStrategy', 'ClickableLink'],
    ['externalIdentifierConfiguration.phoneVerificationOneTimeCodeGenerator', { length: 8, type: 'randomDigits' }],
    ['externalIdentifierConfiguration.twoFactorIdTimeToLiveInSeconds', 120],
    ['externalIdentifierConfiguration.phoneVerificationIdTimeToLiveInSeconds', 86400],
    ['emailConfiguration.additionalHeaders', [{ name: 'X-A', value: '1' }]],
    ['emailConfiguration.host', 'localhost'],
    ['registrationConfiguration.blockedDomains', ['spam.example']],
  ])('%s', (path, expected) => {
    expect(at(t, path)).toEqual(expected);
  });

  it('a null in the body counts as not sent', () => {
    const filled = fillTenant({ name: 'x', phoneConfiguration: { verificationStrategy: null, messengerId: null } }, ctx);
    expect(at(filled, 'phoneConfiguration.verificationStrategy')).toBe('ClickableLink');
    expect(at(filled, 'phoneConfiguration.messengerId')).toBeUndefined();
  });

  it('unknown fields are preserved (newer server versions)', () => {
    const filled = fillTenant({ name: 'x', futureBlock: { a: 1 }, jwtConfiguration: { idTokenVerificationKeyIds: ['k'] } }, ctx);
    expect(filled.futureBlock).toEqual({ a: 1 });
    expect(at(filled, 'jwtConfiguration.idTokenVerificationKeyIds')).toEqual(['k']);
  });
});

describe('fillApplication: documented defaults after a minimal create', () => {
  const ctx = bootedCtx();
  const a = fillApplication({ name: 'Web' }, ctx);
  it.each(APPLICATION_DEFAULTS)('%s', (path, expected) => {
    expect(at(a, path)).toEqual(expected);
  });

  it('sets no server-owned field', () => {
    for (const k of ['id', 'insertInstant', 'lastUpdateInstant', 'state', 'active', 'tenantId']) expect(a).not.toHaveProperty(k);
    expect(at(a, 'oauthConfiguration.clientId')).toBeUndefined();
    expect(at(a, 'oauthConfiguration.clientSecret')).toBeUndefined();
  });

  it("copies formConfiguration.adminRegistrationFormId from the FusionAuth app", () => {
    const expected = at(ctx.fusionAuthApp, 'formConfiguration.adminRegistrationFormId');
    expect(expected).toEqual(expect.any(String));
    expect(at(a, 'formConfiguration.adminRegistrationFormId')).toBe(expected);
    expect(at(fillApplication({ name: 'x', formConfiguration: { adminRegistrationFormId: 'f-1' } }, ctx), 'formConfiguration.adminRegistrationFormId')).toBe('f-1');
  });

  it('drops the ignored jwtConfiguration.refreshTokenRevocationPolicy', () => {
    const filled = fillApplication({ name: 'x', jwtConfiguration: { refreshTokenRevocationPolicy: { onLoginPrevented: false } } }, ctx);
    expect(at(filled, 'jwtConfiguration.refreshTokenRevocationPolicy')).toBeUndefined();
  });

  it('generates JWT key ids when JWT is enabled without them, keeps given ones', () => {
    const c = makeCtx();
    const filled = fillApplication({ name: 'x', jwtConfiguration: { enabled: true } }, c);
    expect(at(filled, 'jwtConfiguration.accessTokenKeyId')).toBe(c.issued[0]);
    expect(at(filled, 'jwtConfiguration.idTokenKeyId')).toBe(c.issued[1]);
    const given = fillApplication({ name: 'x', jwtConfiguration: { enabled: true, accessTokenKeyId: 'k-a', idTokenKeyId: 'k-i' } }, c);
    expect(at(given, 'jwtConfiguration.accessTokenKeyId')).toBe('k-a');
    expect(at(given, 'jwtConfiguration.idTokenKeyId')).toBe('k-i');
    expect(at(fillApplication({ name: 'x' }, c), 'jwtConfiguration.accessTokenKeyId')).toBeUndefined();
  });

  it('fills role defaults and keeps role fields', () => {
    const filled = fillApplication({ name: 'x', roles: [{ name: 'admin', isSuperRole: true }, { name: 'user', isDefault: true, description: 'd' }] }, ctx);
    expect(filled.roles).toEqual([
      { name: 'admin', isDefault: false, isSuperRole: true },
      { name: 'user', isDefault: true, isSuperRole: false, description: 'd' },
    ]);
  });
});

describe('fillApplication: §5.3 clientAuthenticationPolicy ↔ requireClientAuthentication', () => {
  const ctx = bootedCtx();
  const oauth = (o: JsonObject) => fillApplication({ name: 'x', oauthConfiguration: o }, ctx).oauthConfiguration as JsonObject;

  it.each<[JsonObject, string, boolean]>([
    [{}, 'Required', true],
    [{ requireClientAuthentication: true }, 'Required', true],
    [{ requireClientAuthentication: false }, 'NotRequired', false],
    [{ clientAuthenticationPolicy: 'Required' }, 'Required', true],
    [{ clientAuthenticationPolicy: 'NotRequired' }, 'NotRequired', false],
    [{ clientAuthenticationPolicy: 'NotRequiredWhenUsingPKCE' }, 'NotRequiredWhenUsingPKCE', true],
    // the policy wins over a contradicting flag
    [{ clientAuthenticationPolicy: 'NotRequired', requireClientAuthentication: true }, 'NotRequired', false],
    [{ clientAuthenticationPolicy: 'Required', requireClientAuthentication: false }, 'Required', true],
  ])('%j → %s / %s', (given, policy, flag) => {
    const o = oauth(given);
    expect(o.clientAuthenticationPolicy).toBe(policy);
    expect(o.requireClientAuthentication).toBe(flag);
  });
});

describe('fillApplication: multi-factor trust policy and registration type', () => {
  const ctx = bootedCtx();
  const mfa = (m: JsonObject) => fillApplication({ name: 'x', multiFactorConfiguration: m }, ctx).multiFactorConfiguration as JsonObject;

  it.each<[JsonObject, string | undefined]>([
    [{}, undefined],
    [{ trustPolicy: 'This' }, undefined],
    [{ loginPolicy: 'Enabled' }, 'Any'],
    [{ loginPolicy: 'Required' }, 'Any'],
    [{ loginPolicy: 'Required', trustPolicy: 'None' }, 'None'],
    [{ loginPolicy: 'Disabled' }, undefined],
  ])('%j → trustPolicy %s', (given, expected) => {
    expect(mfa(given).trustPolicy).toBe(expected);
  });

  it('registrationConfiguration.type blank → basic; advanced kept', () => {
    expect(at(fillApplication({ name: 'x', registrationConfiguration: { type: '' } }, ctx), 'registrationConfiguration.type')).toBe('basic');
    expect(at(fillApplication({ name: 'x', registrationConfiguration: { type: 'advanced' } }, ctx), 'registrationConfiguration.type')).toBe('advanced');
  });
});

describe('fillMessenger and fillMessageTemplate', () => {
  const ctx = makeCtx();
  it.each<[string, JsonObject]>([
    ['Twilio', { data: {}, debug: false, messageTypes: ['SMS'], transport: 'sms' }],
    ['Generic', { data: {}, debug: false, messageTypes: ['SMS'], transport: 'sms', headers: {} }],
    ['Kafka', { data: {}, debug: false, messageTypes: ['SMS'], transport: 'sms', producer: {} }],
  ])('%s defaults', (type, expected) => {
    expect(fillMessenger({ type, name: 'm' }, ctx)).toEqual({ type, name: 'm', ...expected });
  });

  it('body values win; transport is read-only', () => {
    const m = fillMessenger({ type: 'Twilio', name: 'm', messageTypes: ['SMS', 'Voice'], debug: true, data: { a: 1 }, transport: 'voice' }, ctx);
    expect(m.messageTypes).toEqual(['SMS', 'Voice']);
    expect(m.debug).toBe(true);
    expect(m.data).toEqual({ a: 1 });
    expect(m.transport).toBe('sms');
  });

  it('message template defaults and body values', () => {
    expect(fillMessageTemplate({ type: 'SMS', name: 'n', defaultTemplate: 'c ${code}' }, ctx)).toEqual({
      type: 'SMS', name: 'n', defaultTemplate: 'c ${code}', data: {}, localizedTemplates: {},
    });
    expect(fillMessageTemplate({ type: 'SMS', name: 'n', defaultTemplate: 'x', localizedTemplates: { de: 'y' } }, ctx).localizedTemplates).toEqual({ de: 'y' });
  });
});

describe('purity and null-freedom', () => {
  const ctx = bootedCtx();
  const bodies: Array<[string, (b: JsonObject) => JsonObject, JsonObject]> = [
    ['tenant', (b) => fillTenant(b, ctx), { name: 't', phoneConfiguration: { messengerId: null, unverified: { behavior: 'Allow' } }, data: { k: null, j: [1, null] } }],
    ['application', (b) => fillApplication(b, ctx), { name: 'a', oauthConfiguration: { logoutURL: null, authorizedRedirectURLs: ['https://a/cb'] }, roles: [{ name: 'r', description: null }] }],
    ['messenger', (b) => fillMessenger(b, ctx), { type: 'Generic', name: 'g', headers: { h: 'v' }, httpAuthenticationPassword: null }],
    ['message template', (b) => fillMessageTemplate(b, ctx), { type: 'SMS', name: 's', defaultTemplate: 'x', data: null }],
  ];

  it.each(bodies)('%s: input untouched, new object, no nulls anywhere', (_kind, fill, body) => {
    const before = structuredClone(body);
    const out = fill(body);
    expect(body).toEqual(before);
    expect(out).not.toBe(body);
    expect(nullPaths(out)).toEqual([]);
    // mutating the result does not reach the input
    (out as JsonObject).name = 'changed';
    expect(body.name).toBe(before.name);
  });

  it('two fills do not share nested objects', () => {
    const a = fillTenant({ name: 'a' }, ctx);
    const b = fillTenant({ name: 'b' }, ctx);
    (a.phoneConfiguration as JsonObject).verifyPhoneNumber = true;
    expect(at(b, 'phoneConfiguration.verifyPhoneNumber')).toBe(false);
  });

  it('filling twice is stable (PUT of a GET result changes nothing)', () => {
    const once = fillTenant({ name: 'x' }, ctx);
    expect(fillTenant(once, ctx)).toEqual(once);
    const app = fillApplication({ name: 'x', oauthConfiguration: { clientAuthenticationPolicy: 'NotRequired' } }, ctx);
    expect(fillApplication(app, ctx)).toEqual(app);
  });
});

describe('bootDefaults', () => {
  const ctx = makeCtx();
  const boot = bootDefaults(ctx, '1.69.0');

  it('the Default tenant: name, issuer, key ids (Default signing key, OIDC shadow key), theme, admin form, connector', () => {
    expect(boot.tenant.name).toBe('Default');
    expect(boot.tenant.issuer).toBe('acme.com');
    expect(boot.tenant.themeId).toBe('75a068fd-e94b-451a-9aeb-3ddb9a3b5987');
    expect(at(boot.tenant, 'jwtConfiguration.accessTokenKeyId')).toBe(ctx.issued[0]);
    // [SCHEMA] tenant row, [DEC-RESET] resetTenants: id tokens are signed by the HS256 shadow key, not the signing key.
    expect(at(boot.tenant, 'jwtConfiguration.idTokenKeyId')).toBe('092dbedc-30af-4149-9c61-b578f2c72f59');
    expect(at(boot.tenant, 'formConfiguration.adminUserFormId')).toBe(boot.forms.adminUser);
    expect(boot.tenant.connectorPolicies).toEqual([{ connectorId: 'e3306678-a53a-4964-9040-1c96f36dda72', domains: ['*'], migrate: false }]);
    expect(boot.tenant).not.toHaveProperty('id');
    expect(nullPaths(boot.tenant)).toEqual([]);
  });

  it('the FusionAuth app: name, OAuth as the schema seeds it, roles with fixed ids', () => {
    const app = boot.fusionAuthApp;
    expect(app.name).toBe('FusionAuth');
    expect(app).not.toHaveProperty('id');
    expect(at(app, 'oauthConfiguration.authorizedRedirectURLs')).toEqual(['/admin/login']);
    expect(at(app, 'oauthConfiguration.logoutURL')).toBe('/admin/single-logout');
    expect(at(app, 'oauthConfiguration.enabledGrants')).toEqual(['authorization_code', 'refresh_token']);
    expect(at(app, 'oauthConfiguration.proofKeyForCodeExchangePolicy')).toBe('Required');
    expect(at(app, 'oauthConfiguration.clientAuthenticationPolicy')).toBe('Required');
    expect(at(app, 'oauthConfiguration.clientSecret')).toBeUndefined();
    expect(at(app, 'jwtConfiguration.enabled')).toBe(true);
    expect(at(app, 'jwtConfiguration.accessTokenKeyId')).toBe(at(boot.tenant, 'jwtConfiguration.accessTokenKeyId'));
    expect(at(app, 'jwtConfiguration.idTokenKeyId')).toBe('092dbedc-30af-4149-9c61-b578f2c72f59');
    expect(at(app, 'formConfiguration.adminRegistrationFormId')).toBe(boot.forms.adminRegistration);
    const roles = app.roles as JsonObject[];
    expect(roles).toHaveLength(FUSIONAUTH_APP_ROLES.length);
    expect(roles).toHaveLength(38);
    expect(roles.find((r) => r.name === 'admin')).toMatchObject({ id: '631ecd9d-8d40-4c13-8277-80cedb8236e2', isSuperRole: true, isDefault: false });
    expect(roles.find((r) => r.name === 'messenger_manager')).toMatchObject({ id: '631ecd9d-8d40-4c13-8277-80cedb823708', isSuperRole: false });
    expect(roles.find((r) => r.name === 'webhook_event_log_viewer')).toMatchObject({ id: '631ecd9d-8d40-4c13-8277-80cedb823713', description: 'Webhook event log viewer', isSuperRole: false });
    expect(new Set(roles.map((r) => r.id)).size).toBe(roles.length);
    for (const r of roles) expect(r.id).toMatch(/^631ecd9d-8d40-4c13-8277-80cedb82[0-9a-f]{4}$/);
  });

  it('the Tenant manager app (1.58+): universal, its own signing key and shadow key, its UI URLs, the admin role 631ecd9d-…823714', () => {
    const app = boot.tenantManagerApp!;
    expect(app).toMatchObject({
      name: 'Tenant manager',
      universalConfiguration: { universal: true },
      jwtConfiguration: { enabled: true, idTokenKeyId: '80ccfe1e-209e-1725-bb37-6c4214dea375', timeToLiveInSeconds: 60 },
      oauthConfiguration: { authorizedRedirectURLs: ['/tenant-manager'], logoutURL: '/tenant-manager/single-logout', consentMode: 'AlwaysPrompt', debug: true },
      formConfiguration: { adminRegistrationFormId: boot.forms.adminRegistration },
      roles: [{ id: '631ecd9d-8d40-4c13-8277-80cedb823714', name: 'admin', description: 'Admin', isDefault: false, isSuperRole: true }],
    });
    expect(at(app, 'jwtConfiguration.accessTokenKeyId')).not.toBe(at(boot.tenant, 'jwtConfiguration.accessTokenKeyId'));
    expect(app).not.toHaveProperty('id');
    expect(app).not.toHaveProperty('tenantId');
  });

  it('the version decides: no Tenant manager before 1.58, no webhook_event_log_viewer role before 1.53', () => {
    const old = bootDefaults(makeCtx(), '1.52.1');
    expect(old.tenantManagerApp).toBeUndefined();
    expect((old.fusionAuthApp.roles as JsonObject[]).map((r) => r.name)).not.toContain('webhook_event_log_viewer');
    expect(old.fusionAuthApp.roles as JsonObject[]).toHaveLength(37);
    const mid = bootDefaults(makeCtx(), '1.57.0');
    expect(mid.tenantManagerApp).toBeUndefined();
    expect(mid.fusionAuthApp.roles as JsonObject[]).toHaveLength(38);
    expect(bootDefaults(makeCtx(), '1.58.0').tenantManagerApp).toBeDefined();
  });

  it('the message templates: "Default Two Factor Request" before 1.68, none from 1.68 (Migration_1_68_0)', () => {
    const before = bootDefaults(makeCtx(), '1.67.1').messageTemplates;
    expect(before).toEqual([{ type: 'SMS', name: 'Default Two Factor Request', defaultTemplate: 'Two Factor Code: ${code}', data: {}, localizedTemplates: {} }]);
    expect(boot.messageTemplates).toEqual([]);
  });
});
