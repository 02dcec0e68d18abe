/**
 * The application a FusionAuth GET returns for fields the request did not send.
 *
 * Sources: the FusionAuth Java client domain class `io.fusionauth.domain.Application` and its nested classes (field
 * initialisers; the server deserialises into the same classes — "[JAVA]"), reference §5.2–§5.5 (incl. [DEC-APP]
 * `setDefaults`, `_create`, `_update`), the documented examples `corpus/api-examples/applications/*.json`, and
 * "[REAL]": the JSON a real FusionAuth 1.60 server wrote for API/UI-created applications (audit-log `oldValue`/`newValue`
 * in a public PostgreSQL dump of a FusionAuth instance found through the code search index), which matches every
 * block below except the fields added after 1.60 (authorizedResourceUris 1.67, passwordless login strategies 1.64,
 * registrationConfiguration.completeRegistration and multiFactorConfiguration.voice 1.65), kept per reference §5.5.
 */
import type { Json, JsonObject } from '../../core/types.js';
import type { DefaultsContext } from './context.js';
import { clone, ensureObject, getAt, isBlank, isObject, mergeOver, stripNulls } from './merge.js';

/** A `Requirable` registration field: `{enabled:false, required:false}` ([JAVA] `Requirable`). */
function requirable(): JsonObject {
  return { enabled: false, required: false };
}

/** A provided OIDC scope's policy: `{enabled:true, required:false}` ([JAVA] `ProvidedScopePolicy`, docs example). */
function providedScope(): JsonObject {
  return { enabled: true, required: false };
}

/**
 * FusionAuth's default application object, minus the server-owned fields (`id`, instants, `active`, `state`,
 * `tenantId`, `oauthConfiguration.clientId`/`clientSecret`). A new object on every call.
 */
export function applicationDefaults(): JsonObject {
  return {
    data: {},
    accessControlConfiguration: {},
    // [JAVA] Application.AuthenticationTokenConfiguration extends Enableable.
    authenticationTokenConfiguration: { enabled: false },
    // [JAVA] ApplicationEmailConfiguration: template ids only, all null.
    emailConfiguration: {},
    externalIdentifierConfiguration: {},
    // Real 1.60 server output (audit-log `newValue` of an application in a public FusionAuth DB dump, "[REAL]"):
    // formConfiguration holds selfServiceFormConfiguration.requireCurrentPasswordOnPasswordChange false.
    formConfiguration: { selfServiceFormConfiguration: { requireCurrentPasswordOnPasswordChange: false } },
    // [JAVA] Application: `@JsonIgnoreProperties("refreshTokenRevocationPolicy") jwtConfiguration`; values as the tenant's
    // JWTConfiguration initialisers (reference §4.4/§5.5), `enabled` false.
    jwtConfiguration: {
      enabled: false,
      refreshTokenExpirationPolicy: 'Fixed',
      refreshTokenOneTimeUseConfiguration: { gracePeriodInSeconds: 0 },
      refreshTokenSlidingWindowConfiguration: { maximumTimeToLiveInMinutes: 43200 },
      refreshTokenTimeToLiveInMinutes: 43200,
      refreshTokenUsagePolicy: 'Reusable',
      timeToLiveInSeconds: 3600,
    },
    lambdaConfiguration: {},
    // [JAVA] Application.LoginConfiguration: requireAuthentication = true.
    loginConfiguration: { allowTokenRefresh: false, generateRefreshTokens: false, requireAuthentication: true },
    // [JAVA] ApplicationMultiFactorConfiguration: email/sms template holders; loginPolicy and trustPolicy null.
    multiFactorConfiguration: { email: {}, sms: {}, voice: {} },
    // Reference §5.5 oauthConfiguration table ([JAVA] OAuth2Configuration).
    oauthConfiguration: {
      authorizedOriginURLs: [],
      authorizedRedirectURLs: [],
      authorizedResourceUris: [],
      authorizedURLValidationPolicy: 'ExactMatch',
      consentMode: 'AlwaysPrompt',
      debug: false,
      enabledGrants: [],
      generateRefreshTokens: false,
      logoutBehavior: 'AllApplications',
      proofKeyForCodeExchangePolicy: 'NotRequired',
      providedScopePolicy: { address: providedScope(), email: providedScope(), phone: providedScope(), profile: providedScope() },
      relationship: 'FirstParty',
      requireClientAuthentication: true,
      requireRegistration: false,
      scopeHandlingPolicy: 'Strict',
      unknownScopePolicy: 'Reject',
    },
    // Reference §5.5: passwordlessConfiguration {enabled false, emailLoginStrategy ClickableLink, phoneLoginStrategy FormField (1.64)}.
    passwordlessConfiguration: { emailLoginStrategy: 'ClickableLink', enabled: false, phoneLoginStrategy: 'FormField' },
    // Reference §5.5 (1.59): template overrides only, all null.
    phoneConfiguration: {},
    // [JAVA] Application.RegistrationConfiguration.
    registrationConfiguration: {
      birthDate: requirable(),
      completeRegistration: false,
      confirmPassword: false,
      enabled: false,
      firstName: requirable(),
      fullName: requirable(),
      lastName: requirable(),
      loginIdType: 'email',
      middleName: requirable(),
      mobilePhone: requirable(),
      preferredLanguages: requirable(),
      type: 'basic',
    },
    registrationDeletePolicy: { unverified: { enabled: false, numberOfDaysToRetain: 120 } },
    roles: [],
    // [JAVA] Application.SAMLv2Configuration and its nested classes.
    samlv2Configuration: {
      assertionEncryptionConfiguration: {
        digestAlgorithm: 'SHA256',
        enabled: false,
        encryptionAlgorithm: 'AES256GCM',
        keyLocation: 'Child',
        keyTransportAlgorithm: 'RSA_OAEP',
        maskGenerationFunction: 'MGF1_SHA1',
      },
      authorizedRedirectURLs: [],
      debug: false,
      enabled: false,
      initiatedLogin: { enabled: false, nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' },
      loginHintConfiguration: { enabled: true, parameterName: 'login_hint' },
      logout: {
        behavior: 'AllParticipants',
        requireSignedRequests: false,
        singleLogout: { enabled: false, xmlSignatureC14nMethod: 'exclusive_with_comments' },
        xmlSignatureC14nMethod: 'exclusive_with_comments',
      },
      requireSignedRequests: false,
      xmlSignatureC14nMethod: 'exclusive_with_comments',
      xmlSignatureLocation: 'Assertion',
    },
    scopes: [],
    // [REAL] `universalConfiguration: {universal: false}` (1.58 universal applications; immutable after create, §5.3).
    universalConfiguration: { universal: false },
    // [JAVA] Application: `unverified = new RegistrationUnverifiedOptions()` (behavior Allow, reference §5.5).
    unverified: { behavior: 'Allow' },
    verifyRegistration: false,
    webAuthnConfiguration: { bootstrapWorkflow: { enabled: false }, enabled: false, reauthenticationWorkflow: { enabled: false } },
  };
}

/** A role's defaults ([JAVA] ApplicationRole: isDefault/isSuperRole false); the server assigns ids and instants. */
function fillRole(role: Json): Json {
  if (!isObject(role)) return role;
  return mergeOver({ isDefault: false, isSuperRole: false }, role);
}

/**
 * The application request body merged over FusionAuth's defaults, with §5.3's derived values:
 * `clientAuthenticationPolicy` ↔ `requireClientAuthentication` synchronised, `registrationConfiguration.type` basic,
 * `formConfiguration.adminRegistrationFormId` copied from the FusionAuth app when absent, `multiFactorConfiguration.trustPolicy`
 * `Any` when a login policy is on (and removed when there is none), JWT key ids generated when JWT is enabled
 * without them, role defaults. Never sets `clientId`/`clientSecret`/`tenantId`/ids. Returns a new object; nulls omitted.
 */
export function fillApplication(body: JsonObject, ctx: DefaultsContext): JsonObject {
  const out = mergeOver(applicationDefaults(), body);

  // [JAVA] Application: `@JsonIgnoreProperties("refreshTokenRevocationPolicy")` and normalize() nulls it.
  const jwt = ensureObject(out, 'jwtConfiguration');
  delete jwt.refreshTokenRevocationPolicy;
  // Reference §5.3 [DEC-APP]: JWT enabled without key ids ⇒ the server generates RS256 keys and stores their ids.
  if (jwt.enabled === true) {
    if (isBlank(jwt.accessTokenKeyId)) jwt.accessTokenKeyId = ctx.newId();
    if (isBlank(jwt.idTokenKeyId)) jwt.idTokenKeyId = ctx.newId();
  }

  // Reference §5.3: policy null → Required/NotRequired from requireClientAuthentication (default true);
  // policy set → requireClientAuthentication = policy ≠ NotRequired.
  const oauth = ensureObject(out, 'oauthConfiguration');
  const policyGiven = getAt(body, 'oauthConfiguration.clientAuthenticationPolicy');
  if (isBlank(policyGiven)) {
    oauth.clientAuthenticationPolicy = oauth.requireClientAuthentication === false ? 'NotRequired' : 'Required';
  } else {
    oauth.requireClientAuthentication = policyGiven !== 'NotRequired';
  }

  // Reference §5.3: registrationConfiguration.type defaults basic (also when sent blank).
  const reg = ensureObject(out, 'registrationConfiguration');
  if (isBlank(reg.type)) reg.type = 'basic';

  // Reference §5.5: formConfiguration.adminRegistrationFormId defaults to the FusionAuth app's.
  const form = ensureObject(out, 'formConfiguration');
  const adminForm = getAt(ctx.fusionAuthApp, 'formConfiguration.adminRegistrationFormId');
  if (isBlank(form.adminRegistrationFormId) && !isBlank(adminForm)) form.adminRegistrationFormId = clone(adminForm!);

  // Reference §5.3: trustPolicy ← Any when a login policy is enabled and trustPolicy is null; [JAVA]
  // Application.normalize(): no loginPolicy ⇒ trustPolicy null.
  const mfa = ensureObject(out, 'multiFactorConfiguration');
  if (isBlank(mfa.loginPolicy)) {
    delete mfa.trustPolicy;
  } else if (isBlank(mfa.trustPolicy) && mfa.loginPolicy !== 'Disabled') {
    mfa.trustPolicy = 'Any';
  }

  // [DEC-DOMAIN] CleanSpeakConfiguration (no initialiser on Application, so absent unless sent): Enableable with
  // `applicationIds = new ArrayList<>()` and `usernameModeration = new UsernameModeration()` (Enableable).
  if (isObject(out.cleanSpeakConfiguration)) {
    out.cleanSpeakConfiguration = mergeOver({ applicationIds: [], enabled: false, usernameModeration: { enabled: false } }, out.cleanSpeakConfiguration);
  }

  // [JAVA] SAMLv2Configuration: the deprecated `callbackURL` property is a getter/setter pair over
  // authorizedRedirectURLs — a sent callbackURL is added to the list. It is not a field: the stored object does not
  // hold it (a PATCH would otherwise add the old first URL back), and replies derive it (kinds/application.ts `present`).
  const saml = ensureObject(out, 'samlv2Configuration');
  const redirects = Array.isArray(saml.authorizedRedirectURLs) ? [...saml.authorizedRedirectURLs] : [];
  if (typeof saml.callbackURL === 'string' && saml.callbackURL !== '' && !redirects.includes(saml.callbackURL)) redirects.push(saml.callbackURL);
  saml.authorizedRedirectURLs = redirects;
  delete saml.callbackURL;

  if (Array.isArray(out.roles)) out.roles = out.roles.map(fillRole);
  return stripNulls(out);
}
