/**
 * The tenant a FusionAuth GET returns for fields the request did not send.
 *
 * Sources, strongest first: the decompiled server domain class `io.fusionauth.domain.Tenant` and its nested classes
 * (field initialisers; found in public code via the search index, "[DEC-DOMAIN]" below), reference §4.3/§4.4 (which
 * cites [JAVA] 1.65 initialisers and [DEC-TENANT] `setDefaults`), and FusionAuth's documented response example
 * `corpus/api-examples/tenants/response.json` ("[DOC-EX]"). Cross-checked against "[REAL]": the tenant JSON a real
 * FusionAuth 1.60 server wrote (audit-log `oldValue` of the Default tenant in a public PostgreSQL dump of an instance,
 * found through the code search index) — every block below matches it, except fields added after 1.60
 * (clientRiskConfiguration 1.68, multiFactorConfiguration.voice/debug 1.65, identityProviderConnectionTest TTL 1.65),
 * kept because the decompiled 1.6x server classes have them. Where sources disagree the choice is named in a comment.
 */
import type { JsonObject } from '../../core/types.js';
import type { DefaultsContext } from './context.js';
import { FUSIONAUTH_CONNECTOR_ID } from './context.js';
import { clone, ensureObject, getAt, isBlank, isObject, mergeOver, stripNulls } from './merge.js';

/** `{length, type}` of a secure generator (OpenAPI `SecureGeneratorConfiguration`). */
function gen(length: number, type: 'randomBytes' | 'randomDigits' | 'randomAlpha' | 'randomAlphaNumeric'): JsonObject {
  return { length, type };
}

/** One rate-limited request type's default: disabled, 5 per 60 s (reference §1.9, [JAVA] `RateLimitedRequestConfiguration`). */
function rateLimit(): JsonObject {
  return { enabled: false, limit: 5, timePeriodInSeconds: 60 };
}

/**
 * The server's password hashing default scheme and its factor (reference §4.3: [DEC-TENANT] `setDefaults` fills them
 * from the server default encryptor; docs and [DOC-EX] show `salted-pbkdf2-hmac-sha256` / 24000).
 */
export const DEFAULT_ENCRYPTION_SCHEME = 'salted-pbkdf2-hmac-sha256';
/** See DEFAULT_ENCRYPTION_SCHEME. */
export const DEFAULT_ENCRYPTION_SCHEME_FACTOR = 24000;

/**
 * FusionAuth's default tenant object, minus the server-owned fields (`id`, instants, `configured`, `state`) and the
 * values copied from the Default tenant (§4.3, applied in `fillTenant`). A new object on every call.
 */
export function tenantDefaults(): JsonObject {
  return {
    data: {},
    // [DEC-DOMAIN] TenantAccessControlConfiguration: only uiIPAccessControlListId (null) → an empty block.
    accessControlConfiguration: {},
    // Reference §4.4 "Other blocks": captcha {enabled false, GoogleRecaptchaV3, threshold 0.5}.
    captchaConfiguration: { enabled: false, captchaMethod: 'GoogleRecaptchaV3', threshold: 0.5 },
    // [DEC-DOMAIN] ClientRiskConfiguration (1.68): Enableable (false) with every risk signal flag initialised true.
    clientRiskConfiguration: {
      enabled: false,
      blocklistedIp: true,
      botDetected: true,
      dormantAccount: true,
      dormantPassword: true,
      impossibleTravel: true,
      recentIdentityChange: true,
      recentPasswordChange: true,
      suspiciousUserAgent: true,
      unrecognizedDevice: true,
      untrustedDevice: true,
    },
    // [DEC-DOMAIN] Tenant.normalize(): an empty list gets the FusionAuth connector with domains ["*"], migrate false.
    connectorPolicies: [{ connectorId: FUSIONAUTH_CONNECTOR_ID, domains: ['*'], migrate: false }],
    // Reference §4.4 emailConfiguration table ([JAVA] EmailConfiguration). `security`: the docs say NONE, the Java
    // initialiser is null (reference §11.1); [REAL] shows it absent until the admin UI saved NONE → omitted.
    emailConfiguration: {
      additionalHeaders: [],
      debug: false,
      defaultFromEmail: 'change-me@example.com',
      host: 'localhost',
      implicitEmailVerificationAllowed: true,
      port: 25,
      unverified: { allowEmailChangeWhenGated: false, behavior: 'Allow' },
      verificationStrategy: 'ClickableLink',
      verifyEmail: false,
      verifyEmailWhenChanged: false,
    },
    // [REAL] `eventConfiguration: {events: {}}` until the admin UI saves every event type.
    eventConfiguration: { events: {} },
    externalIdentifierConfiguration: {
      // TTLs: reference §4.4 table ([JAVA] ExternalIdentifierConfiguration, cross-checked with docs).
      authorizationGrantIdTimeToLiveInSeconds: 30,
      changePasswordIdTimeToLiveInSeconds: 600,
      // Java initialiser 300; the docs' example JSON shows 1800 (reference §11.1) — the initialiser is what the server uses.
      deviceCodeTimeToLiveInSeconds: 300,
      emailVerificationIdTimeToLiveInSeconds: 86400,
      externalAuthenticationIdTimeToLiveInSeconds: 300,
      identityProviderConnectionTestTimeToLiveInSeconds: 1800,
      loginIntentTimeToLiveInSeconds: 1800,
      oneTimePasswordTimeToLiveInSeconds: 60,
      passwordlessLoginTimeToLiveInSeconds: 180,
      pendingAccountLinkTimeToLiveInSeconds: 3600,
      phoneVerificationIdTimeToLiveInSeconds: 86400,
      registrationVerificationIdTimeToLiveInSeconds: 86400,
      rememberOAuthScopeConsentChoiceTimeToLiveInSeconds: 2592000,
      samlv2AuthNRequestIdTimeToLiveInSeconds: 300,
      setupPasswordIdTimeToLiveInSeconds: 86400,
      trustTokenTimeToLiveInSeconds: 180,
      twoFactorIdTimeToLiveInSeconds: 300,
      twoFactorOneTimeCodeIdTimeToLiveInSeconds: 60,
      twoFactorTrustIdTimeToLiveInSeconds: 2592000,
      webAuthnAuthenticationChallengeTimeToLiveInSeconds: 180,
      webAuthnRegistrationChallengeTimeToLiveInSeconds: 180,
      // Generators: reference §4.4 generator table ([JAVA]).
      changePasswordIdGenerator: gen(32, 'randomBytes'),
      deviceUserCodeIdGenerator: gen(6, 'randomAlphaNumeric'),
      emailVerificationIdGenerator: gen(32, 'randomBytes'),
      emailVerificationOneTimeCodeGenerator: gen(6, 'randomAlphaNumeric'),
      passwordlessLoginGenerator: gen(32, 'randomBytes'),
      // Java 1.65 initialiser 6 randomDigits; the docs say 32 randomBytes (reference §11.1) — the initialiser wins.
      passwordlessLoginOneTimeCodeGenerator: gen(6, 'randomDigits'),
      phoneVerificationIdGenerator: gen(32, 'randomBytes'),
      phoneVerificationOneTimeCodeGenerator: gen(6, 'randomAlphaNumeric'),
      registrationVerificationIdGenerator: gen(32, 'randomBytes'),
      registrationVerificationOneTimeCodeGenerator: gen(6, 'randomAlphaNumeric'),
      setupPasswordIdGenerator: gen(32, 'randomBytes'),
      twoFactorOneTimeCodeIdGenerator: gen(6, 'randomDigits'),
    },
    failedAuthenticationConfiguration: {
      actionCancelPolicy: { onPasswordReset: false },
      actionDuration: 3,
      actionDurationUnit: 'MINUTES',
      emailUser: false,
      resetCountInSeconds: 60,
      tooManyAttempts: 5,
    },
    familyConfiguration: {
      allowChildRegistrations: true,
      deleteOrphanedAccounts: false,
      deleteOrphanedAccountsDays: 30,
      enabled: false,
      maximumChildAge: 12,
      minimumOwnerAge: 21,
      parentEmailRequired: false,
    },
    formConfiguration: {},
    httpSessionMaxInactiveInterval: 3600,
    // [DEC-DOMAIN] Tenant: `@JsonIgnoreProperties({"enabled"}) jwtConfiguration` — a tenant's JWT block has no `enabled`
    // (the docs' example shows one; see the fidelity allow-list). Values: reference §4.4 jwtConfiguration.
    jwtConfiguration: {
      refreshTokenExpirationPolicy: 'Fixed',
      refreshTokenOneTimeUseConfiguration: { gracePeriodInSeconds: 0 },
      refreshTokenRevocationPolicy: {
        onLoginPrevented: true,
        onMultiFactorEnable: false,
        onOneTimeTokenReuse: false,
        onPasswordChanged: true,
      },
      refreshTokenSlidingWindowConfiguration: { maximumTimeToLiveInMinutes: 43200 },
      refreshTokenTimeToLiveInMinutes: 43200,
      refreshTokenUsagePolicy: 'Reusable',
      timeToLiveInSeconds: 3600,
    },
    lambdaConfiguration: {},
    loginConfiguration: { requireAuthentication: true },
    maximumPasswordAge: { days: 180, enabled: false },
    minimumPasswordAge: { enabled: false, seconds: 30 },
    // [DEC-DOMAIN] TenantMultiFactorConfiguration constructor: authenticator enabled (HmacSHA1, 6, 30), email/sms/voice
    // methods disabled, loginPolicy Enabled, debug false.
    multiFactorConfiguration: {
      authenticator: { algorithm: 'HmacSHA1', codeLength: 6, enabled: true, timeStep: 30 },
      debug: false,
      email: { enabled: false },
      loginPolicy: 'Enabled',
      sms: { enabled: false },
      voice: { enabled: false },
    },
    oauthConfiguration: {},
    passwordEncryptionConfiguration: {
      encryptionScheme: DEFAULT_ENCRYPTION_SCHEME,
      encryptionSchemeFactor: DEFAULT_ENCRYPTION_SCHEME_FACTOR,
      modifyEncryptionSchemeOnLogin: false,
    },
    passwordValidationRules: {
      breachDetection: { enabled: false },
      maxLength: 256,
      minLength: 8,
      rememberPreviousPasswords: { count: 1, enabled: false },
      requireMixedCase: false,
      requireNonAlpha: false,
      requireNumber: false,
      validateOnLogin: false,
    },
    // [DEC-DOMAIN] TenantPhoneConfiguration + PhoneUnverifiedOptions (1.59+): template and messenger ids null.
    phoneConfiguration: {
      implicitPhoneVerificationAllowed: true,
      unverified: { allowPhoneNumberChangeWhenGated: false, behavior: 'Allow' },
      verificationStrategy: 'ClickableLink',
      verifyPhoneNumber: false,
    },
    rateLimitConfiguration: {
      failedLogin: rateLimit(),
      forgotPassword: rateLimit(),
      sendEmailVerification: rateLimit(),
      sendPasswordless: rateLimit(),
      sendPasswordlessPhone: rateLimit(),
      sendPhoneVerification: rateLimit(),
      sendRegistrationVerification: rateLimit(),
      sendTwoFactor: rateLimit(),
    },
    // [DEC-DOMAIN] TenantRegistrationConfiguration: blockedDomains = new LinkedHashSet<>().
    registrationConfiguration: { blockedDomains: [] },
    // [DEC-DOMAIN] TenantSCIMServerConfiguration: Enableable, schemas/entity type ids null.
    scimServerConfiguration: { enabled: false },
    ssoConfiguration: { allowAccessTokenBootstrap: false, deviceTrustTimeToLiveInSeconds: 31536000 },
    userDeletePolicy: { unverified: { enabled: false, numberOfDaysToRetain: 120 } },
    usernameConfiguration: { unique: { enabled: false, numberOfDigits: 5, separator: '#', strategy: 'OnCollision' } },
    // [DEC-DOMAIN] TenantWebAuthnConfiguration constructor: bootstrap {any, required}, reauthentication {platform,
    // required}; the docs say bootstrap crossPlatform (reference §11.1) — the server's constructor wins.
    webAuthnConfiguration: {
      bootstrapWorkflow: { authenticatorAttachmentPreference: 'any', enabled: false, userVerificationRequirement: 'required' },
      debug: false,
      enabled: false,
      reauthenticationWorkflow: { authenticatorAttachmentPreference: 'platform', enabled: false, userVerificationRequirement: 'required' },
    },
  };
}

/**
 * The tenant request body merged over FusionAuth's defaults, with §4.3's derived values: `issuer`,
 * `jwtConfiguration.accessTokenKeyId`/`idTokenKeyId`, `themeId` and `formConfiguration.adminUserFormId` copied from
 * the Default tenant when absent, the password encryption scheme/factor when absent or 0, and the FusionAuth connector
 * policy forced to `["*"]`/`migrate:false`. Server-owned fields in the body are passed through untouched (the server
 * decides); nothing is generated. Returns a new object; nulls omitted.
 */
export function fillTenant(body: JsonObject, ctx: DefaultsContext): JsonObject {
  const out = mergeOver(tenantDefaults(), body);

  // `webhookIds` belongs to the request envelope (TenantRequest.webhookIds, reference §1.4), not to the tenant; the
  // documented request example nests it inside `tenant`, where the server's Tenant class has no such field.
  delete out.webhookIds;

  // [DEC-DOMAIN] Tenant: `@JsonIgnoreProperties({"enabled"})` on jwtConfiguration — the server drops it on read and write.
  const jwt = ensureObject(out, 'jwtConfiguration');
  delete jwt.enabled;

  // §4.3 [DEC-TENANT] setDefaults: copied from the Default tenant when null.
  const def = ctx.defaultTenant;
  if (def) {
    if (isBlank(out.issuer) && !isBlank(def.issuer)) out.issuer = clone(def.issuer!);
    if (isBlank(out.themeId) && !isBlank(def.themeId)) out.themeId = clone(def.themeId!);
    for (const k of ['accessTokenKeyId', 'idTokenKeyId']) {
      const v = getAt(def, `jwtConfiguration.${k}`);
      if (isBlank(jwt[k]) && !isBlank(v)) jwt[k] = clone(v!);
    }
    const formId = getAt(def, 'formConfiguration.adminUserFormId');
    const form = ensureObject(out, 'formConfiguration');
    if (isBlank(form.adminUserFormId) && !isBlank(formId)) form.adminUserFormId = clone(formId!);
  }

  // §4.3: encryption scheme ← server default when null, factor ← encryptor default when 0.
  const pec = ensureObject(out, 'passwordEncryptionConfiguration');
  if (isBlank(pec.encryptionScheme)) pec.encryptionScheme = DEFAULT_ENCRYPTION_SCHEME;
  if (pec.encryptionSchemeFactor === 0) pec.encryptionSchemeFactor = DEFAULT_ENCRYPTION_SCHEME_FACTOR;

  normalizeConnectorPolicies(out);
  return stripNulls(out);
}

/**
 * [DEC-DOMAIN] Tenant.normalize(): domains lower-cased; an empty list gets the FusionAuth connector policy; the
 * FusionAuth connector's policy is forced to domains ["*"], migrate false.
 */
function normalizeConnectorPolicies(t: JsonObject): void {
  const list = Array.isArray(t.connectorPolicies) ? t.connectorPolicies : [];
  const policies = list.filter(isObject).map((p) => {
    const copy = clone(p);
    if (Array.isArray(copy.domains)) {
      copy.domains = [...new Set(copy.domains.map((d) => (typeof d === 'string' ? d.toLowerCase() : d)))];
    } else {
      copy.domains = [];
    }
    if (copy.migrate === undefined || copy.migrate === null) copy.migrate = false;
    if (copy.connectorId === FUSIONAUTH_CONNECTOR_ID) {
      copy.domains = ['*'];
      copy.migrate = false;
    }
    return copy;
  });
  if (policies.length === 0) policies.push({ connectorId: FUSIONAUTH_CONNECTOR_ID, domains: ['*'], migrate: false });
  t.connectorPolicies = policies;
}
