/**
 * Applications. Reference §5: tenant-scoped (the tenant travels in X-FusionAuth-TenantId on create and is
 * immutable); `clientId` always equals the id; `clientSecret` is generated when omitted; a PUT ignores `roles`
 * (they are managed through /api/application/{id}/role); deleted applications stay inactive unless hard-deleted.
 */
import { resourceWhere } from '../core/diagnostics.js';
import { getPath, type LockedField, type PlanContext, type RuleViolation } from '../core/kind.js';
import type { Change, Diagnostic, JsonObject } from '../core/types.js';
import { FUSIONAUTH_APP_ID, TENANT_MANAGER_ADMIN_ROLE_ID, TENANT_MANAGER_UPDATABLE, WIRE } from '../fusionauth/wire.js';
import { restCollection } from './api.js';
import { defineKind } from './define.js';

/** Grant names FusionAuth accepts in `oauthConfiguration.enabledGrants` (the wire values, reference §11.1). */
export const GRANTS = ['authorization_code', 'implicit', 'password', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'] as const;


/** A redirect URL FusionAuth accepts: absolute with a scheme, custom schemes allowed, the OOB URNs allowed. */
function validRedirect(u: string, wildcards: boolean): boolean {
  if (u === 'urn:ietf:wg:oauth:2.0:oob' || u === 'urn:ietf:wg:oauth:2.0:oob:auto') return true;
  if (u.includes('*') && !wildcards) return false;
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(u);
}

function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (typeof body.name === 'string' && body.name.startsWith('_')) out.push({ path: 'name', message: 'an application name must not start with an underscore' });
  const grants = getPath(body, 'oauthConfiguration.enabledGrants');
  if (Array.isArray(grants)) {
    grants.forEach((g, i) => {
      if (typeof g === 'string' && !(GRANTS as readonly string[]).includes(g)) {
        const hint = g === 'device_code' ? ' (the wire value is urn:ietf:params:oauth:grant-type:device_code)' : '';
        out.push({ path: `oauthConfiguration.enabledGrants[${i}]`, message: `unknown grant "${g}"; valid grants: ${GRANTS.join(', ')}${hint}` });
      }
    });
    if (grants.includes('urn:ietf:params:oauth:grant-type:device_code') && !getPath(body, 'oauthConfiguration.deviceVerificationURL')) {
      out.push({ path: 'oauthConfiguration.deviceVerificationURL', message: 'the device_code grant needs deviceVerificationURL' });
    }
  }
  const wildcards = getPath(body, 'oauthConfiguration.authorizedURLValidationPolicy') === 'AllowWildcards';
  const redirects = getPath(body, 'oauthConfiguration.authorizedRedirectURLs');
  if (Array.isArray(redirects)) {
    redirects.forEach((u, i) => {
      if (typeof u === 'string' && !validRedirect(u, wildcards)) {
        out.push({ path: `oauthConfiguration.authorizedRedirectURLs[${i}]`, message: `"${u}" is not a valid redirect URL (absolute, with a scheme${wildcards ? '' : '; * only with authorizedURLValidationPolicy AllowWildcards'})` });
      }
    });
  }
  if (getPath(body, 'verifyRegistration') === true && !getPath(body, 'verificationEmailTemplateId')) {
    out.push({ path: 'verificationEmailTemplateId', message: 'verifyRegistration needs verificationEmailTemplateId' });
  }
  if (getPath(body, 'jwtConfiguration.enabled') === true) {
    for (const f of ['timeToLiveInSeconds', 'refreshTokenTimeToLiveInMinutes']) {
      const v = getPath(body, `jwtConfiguration.${f}`);
      if (typeof v === 'number' && v <= 0) out.push({ path: `jwtConfiguration.${f}`, message: 'must be greater than 0' });
    }
  }
  return out;
}

function licenseRules(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  const type = getPath(body, 'registrationConfiguration.type');
  if (type === 'advanced' && (getPath(body, 'registrationConfiguration.enabled') === true || getPath(body, 'registrationConfiguration.completeRegistration') === true)) {
    out.push({ path: 'registrationConfiguration.type', message: 'advanced registration forms need a FusionAuth license; this server is unlicensed' });
  }
  if (getPath(body, 'verifyRegistration') === true && getPath(body, 'unverified.behavior') === 'Gated') {
    out.push({ path: 'unverified.behavior', message: 'Gated registration verification needs a FusionAuth license; this server is unlicensed' });
  }
  if (body.themeId !== undefined && body.themeId !== null) {
    out.push({ path: 'themeId', message: 'application themes need a FusionAuth license; this server is unlicensed' });
  }
  return out;
}

/**
 * What FusionAuth never changes on its own admin application (id `3c219e58-…`). [DEC-APP] `_update` copies these from
 * the stored application on every PUT/PATCH of `FUSIONAUTH_APP_ID` (or forces them: `unverified.behavior` Allow,
 * `authenticationTokenConfiguration.enabled` false, `registrationConfiguration` back to its defaults) and answers 200;
 * its role endpoints refuse the application with `[fusionAuth]applicationId` (`validateRoleCreate`/`Update`/`Delete`).
 * Seen in the decompiled 1.6x application service (reference §0 [DEC-APP], §5.4) and mirrored by the emulator's
 * `protectFusionAuthApp`.
 */
const FUSIONAUTH_APP_KEEPS = 'FusionAuth never changes this setting of its own admin application: every update keeps the stored value and still answers 200';
const FUSIONAUTH_APP_LOCKED: readonly LockedField[] = [
  ...['enabled', 'refreshTokenExpirationPolicy', 'refreshTokenUsagePolicy'].map((f) => `jwtConfiguration.${f}`),
  ...['samlv2PopulateId', 'selfServiceRegistrationValidationId', 'userinfoPopulateId'].map((f) => `lambdaConfiguration.${f}`),
  ...[
    'authorizedOriginURLs', 'authorizedRedirectURLs', 'authorizedResourceUris', 'authorizedURLValidationPolicy', 'clientAuthenticationPolicy',
    'consentMode', 'enabledGrants', 'generateRefreshTokens', 'logoutURL', 'providedScopePolicy', 'proofKeyForCodeExchangePolicy',
    'relationship', 'requireClientAuthentication', 'scopeHandlingPolicy', 'unknownScopePolicy',
  ].map((f) => `oauthConfiguration.${f}`),
  ...['allowTokenRefresh', 'generateRefreshTokens', 'requireAuthentication'].map((f) => `loginConfiguration.${f}`),
  'authenticationTokenConfiguration.enabled', 'registrationConfiguration', 'samlv2Configuration', 'unverified.behavior',
].map((path): LockedField => ({ path, reason: FUSIONAUTH_APP_KEEPS }))
  .concat([{ path: 'roles', reason: 'FusionAuth refuses to add, change or delete roles of its own admin application ([fusionAuth]applicationId)' }]);

/** True for FusionAuth's own admin application (a fixed id on every instance, reference §1.3). */
const isFusionAuthApp = (live: JsonObject): boolean => typeof live.id === 'string' && live.id.toLowerCase() === FUSIONAUTH_APP_ID;

/**
 * True for the Tenant manager application (1.58+): its id is random per instance, but its `admin` role has a fixed id
 * (`TENANT_MANAGER_ADMIN_ROLE_ID`).
 */
const isTenantManager = (live: JsonObject): boolean =>
  Array.isArray(live.roles) && live.roles.some((r) => typeof r === 'object' && r !== null && !Array.isArray(r) && typeof r.id === 'string' && r.id.toLowerCase() === TENANT_MANAGER_ADMIN_ROLE_ID);

/**
 * An update of the Tenant manager application changes only `TENANT_MANAGER_UPDATABLE` (a wire fact, shared with the
 * emulator); every other field keeps its stored value, and the PUT still answers 200 (with the stored application:
 * [DEC-APPACTION] `put`). Its roles are not refused by the role endpoints (`validateRole*` refuse only the FusionAuth
 * application's), so they stay writable.
 */
const TENANT_MANAGER_LOCKED: readonly LockedField[] = [{
  path: '',
  reason: 'FusionAuth changes only a few settings of its Tenant manager application (name, theme, email templates, JWT lifetimes and keys, ' +
    'MFA, admin and self-service forms, WebAuthn, UI IP access control, passwordless, two-factor trust); every update keeps the stored value ' +
    'of any other field and still answers 200',
  except: [...TENANT_MANAGER_UPDATABLE, 'roles'],
}];

/**
 * [DEC-APP] `_create` and `_update` set an application's `cleanSpeakConfiguration.enabled` from the CleanSpeak
 * integration (Settings > Integrations), whatever the request says: a file can only write the value the server has.
 */
const CLEANSPEAK_ENABLED: LockedField = {
  path: 'cleanSpeakConfiguration.enabled',
  reason: 'FusionAuth sets it from its CleanSpeak integration (Settings > Integrations) on every create and update',
};

/**
 * The CleanSpeak settings that belong to the CleanSpeak integration, not to an application: [DEC-APP] `_update` nulls
 * them on every update of an application (its `_create` keeps what it is sent). Write-only for the plan (compared only
 * while the server still holds them, so they never plan as a change on every run) and a warning where a file writes them.
 */
const CLEANSPEAK_INTEGRATION_FIELDS = ['cleanSpeakConfiguration.apiKey', 'cleanSpeakConfiguration.url'];

/** A warning at every application entry's CleanSpeak API key or URL (see `CLEANSPEAK_INTEGRATION_FIELDS`). */
function checkPlan(_changes: readonly Change[], ctx: PlanContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of ctx.resources) {
    if (r.kind !== 'application') continue;
    for (const path of CLEANSPEAK_INTEGRATION_FIELDS) {
      if (getPath(r.body, path) === undefined) continue;
      out.push({
        severity: 'warning',
        message: `${path} has no effect here: FusionAuth uses the API key and URL of its CleanSpeak integration (Settings > Integrations), ` +
          'keeps an application\'s only from its create and removes it on every update; kickstand compares it only while the server holds it',
        where: resourceWhere(r, path),
      });
    }
  }
  return out;
}

export const application = defineKind({
  name: 'application',
  section: 'applications',
  title: 'application',
  wire: WIRE.application,
  // A soft-deleted application keeps its id and name reserved; a replace must free both (reference §11.4).
  api: restCollection(WIRE.application, { deleteQuery: { hardDelete: 'true' } }),
  // `roles` are the application roles, a child kind (applicationRole.ts).
  serverFields: [
    'id', 'insertInstant', 'lastUpdateInstant', 'active', 'state', 'oauthConfiguration.clientId',
    'registrationDeletePolicy.unverified.enabledInstant',
  ],
  setFields: ['oauthConfiguration.enabledGrants'],
  // Reference §11.2: the OAuth client secret comes back in cleartext; so does the CleanSpeak API key
  // (CleanSpeakConfiguration.apiKey in the OpenAPI spec). SAML v2 signing keys are referenced by id (keyId), never
  // sent: the spec has no samlv2Configuration.key.
  secretFields: ['oauthConfiguration.clientSecret', 'cleanSpeakConfiguration.apiKey'],
  immutableFields: [
    { path: 'tenantId', reason: "FusionAuth copies an application's tenant from the stored object on every update; an application cannot move between tenants" },
    // Responses of non-universal applications omit universalConfiguration (FusionAuth omits null fields, reference
    // §1.4), so an absent value means false.
    { path: 'universalConfiguration.universal', reason: 'FusionAuth fixes whether an application is universal when it is created', default: false },
  ],
  tenantField: WIRE.application.tenantField!,
  features: [
    { path: 'phoneConfiguration', since: '1.59.0' },
    { path: 'registrationConfiguration.completeRegistration', since: '1.65.0' },
    { path: 'passwordlessConfiguration.phoneLoginStrategy', since: '1.64.0' },
    { path: 'oauthConfiguration.authorizedResourceUris', since: '1.67.0' },
    { path: 'baseURL', since: '1.68.0' },
    { path: 'universalConfiguration', since: '1.58.0' },
  ],
  // Reference §11.4: application names are unique per tenant. A universal application (1.58+) belongs to no tenant and
  // its name is looked up in every tenant, and a new tenant application's name collides with a universal one's
  // ([DEC-APP] findExistingByName, retrieveExistingUniversal; the emulator's application.ts does the same).
  uniqueName: 'perTenant',
  // The built-in applications: kickstand never deletes or replaces them (FusionAuth refuses to delete the first, and to
  // hard-delete the second: [DEC-APPACTION] validateDelete `[fusionAuth]applicationId`, `[tenantManager]applicationId`).
  isProtected: (live) => isFusionAuthApp(live) || isTenantManager(live),
  lockedFields: (live) => (isFusionAuthApp(live) ? [...FUSIONAUTH_APP_LOCKED, CLEANSPEAK_ENABLED] : isTenantManager(live) ? TENANT_MANAGER_LOCKED : [CLEANSPEAK_ENABLED]),
  writeOnlyFields: CLEANSPEAK_INTEGRATION_FIELDS,
  validate,
  licenseRules,
  checkPlan,
  // kickstand deletes applications with hardDelete=true (api above). FusionAuth's client libraries say of it: "This will
  // delete the application, any registrations for that application, metrics and reports for the application, all the
  // roles for the application, and any other data associated with the application" (deleteApplication). A replace
  // re-creates it under the same id from the files alone: the roles come back from the create body with new ids
  // (reference §5.3: a create creates the body's roles), and a client secret the files do not write is generated anew
  // (reference §5.3: clientSecret generated when null).
  consequences: {
    delete: 'FusionAuth deletes the application permanently: every user\'s registration for it (and the roles it granted them), its roles, ' +
      'and its metrics and reports. Users keep their accounts but must be registered again.',
    replace: 'FusionAuth deletes the application permanently before creating it again under the same id: every user loses their registration ' +
      'for it (and the roles it granted them); only the roles written in the files come back, with new ids; and the OAuth client secret is ' +
      'generated anew unless the files set it.',
  },
  // Soft-deleted applications come back from ?inactive=true with active:false / state Inactive (reference §5.1, §5.2).
  isInactive: (live) => live.active === false || live.state === 'Inactive',
  // Universal applications (1.58+) must not carry a tenant: [notMissing]application.tenantId (reference §1.2).
  tenantless: (body) => getPath(body, 'universalConfiguration.universal') === true,
  examples: 'applications',
  openapi: { schema: 'Application', entry: 'Application', required: ['name'], description: 'Applications.' },
});
