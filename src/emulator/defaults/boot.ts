/**
 * The objects a fresh FusionAuth instance holds at first start — its database bootstrap has run, nobody has used the
 * setup wizard, Kickstart has not run — for the kinds the emulator serves: the Default tenant, the FusionAuth admin
 * application, the Tenant manager application (1.58+) and (before 1.68) the default SMS message template. Keys, themes and the system
 * configuration are booted by their kinds (kinds/key.ts, theme.ts, systemConfiguration.ts) from the ids handed out here.
 *
 * Sources (/work/notes/builtins.md has the full table):
 * - "[SCHEMA]": FusionAuth's MySQL bootstrap script of 1.51.2 (its `INSERT INTO tenants/applications/application_roles/
 *   keys/message_templates` statements), found in public code through the search index;
 * - "[DUMP-1.60]": a `pg_dump` of a real 1.60.2 instance whose schema-time rows (insert instant 1760016864741) and
 *   setup-wizard rows (seven minutes later) tell the fresh objects from the wizard's;
 * - "[DEC-RESET]": the decompiled `DefaultResetService`, the server's own "back to fresh" routine;
 * - reference §1.3 (fixed ids), §4.6, §10.1.
 */
import type { JsonObject } from '../../core/types.js';
import { olderThan } from '../../core/preflight.js';
import { OIDC_SHADOW_KEY_IDS, TENANT_MANAGER_ADMIN_ROLE_ID } from '../../fusionauth/wire.js';
import { fillApplication } from './application.js';
import type { DefaultsContext } from './context.js';
import { DEFAULT_THEME_ID, FUSIONAUTH_CONNECTOR_ID } from './context.js';
import { fillMessageTemplate } from './messaging.js';
import { fillTenant } from './tenant.js';

/** The OIDC shadow key (SHA-256) id, fixed on every instance (reference §1.3); [SCHEMA] signs the admin app's id tokens with it. */
export const OIDC_SHADOW_KEY_SHA256_ID = OIDC_SHADOW_KEY_IDS.oidcSha256;

/**
 * The first version with the Tenant manager application (a universal application, its signing key and shadow key):
 * reference §9 (`TENANT_MANAGER_ID`, 1.58), [DUMP-1.60].
 */
export const TENANT_MANAGER_SINCE = '1.58.0';

/**
 * The FusionAuth admin application's roles with their fixed ids: [SCHEMA] inserts `631ecd9d-8d40-4c13-8277-80cedb8236e2`
 * … `…823712` (`admin` is the only super role); [DUMP-1.60] adds `…823713` `webhook_event_log_viewer`, the role of the
 * Webhook Event Log pages, "Available since 1.53.0" ([SITE:docs/extend/events-and-webhooks/webhook-event-log.mdx]: "The
 * webhook_event_log_viewer role grants users access to these pages"), so a server older than `since` lacks it.
 * `…823714` is the Tenant manager application's `admin` role (`TENANT_MANAGER_ADMIN_ROLE_ID`).
 */
export const FUSIONAUTH_APP_ROLES: ReadonlyArray<{ id: string; name: string; description: string; isSuperRole: boolean; since?: string }> = [
  ['e2', 'admin', 'Global admin'],
  ['e3', 'api_key_manager', 'API key manager'],
  ['e4', 'application_deleter', 'Application deleter'],
  ['e5', 'application_manager', 'Application manager'],
  ['e6', 'audit_log_viewer', 'Audit log viewer'],
  ['e7', 'email_template_manager', 'Email template manager'],
  ['e8', 'report_viewer', 'Report viewer'],
  ['e9', 'system_manager', 'System configuration manager'],
  ['f0', 'user_action_deleter', 'User action deleter'],
  ['f1', 'user_action_manager', 'User action manager'],
  ['f2', 'user_deleter', 'User deleter'],
  ['f3', 'user_manager', 'User manager'],
  ['f4', 'webhook_manager', 'Webhook manager'],
  ['f5', 'group_manager', 'Group manager'],
  ['f6', 'group_deleter', 'Group deleter'],
  ['f7', 'tenant_manager', 'Tenant manager'],
  ['f8', 'tenant_deleter', 'Tenant deleter'],
  ['f9', 'lambda_manager', 'Lambda manager'],
  ['fa', 'event_log_viewer', 'Event log viewer'],
  ['fb', 'key_manager', 'Key manager'],
  ['fc', 'consent_deleter', 'Consent deleter'],
  ['fd', 'consent_manager', 'Consent manager'],
  ['fe', 'theme_manager', 'Theme manager'],
  ['ff', 'reactor_manager', 'Reactor manager'],
  ['700', 'connector_deleter', 'Connector deleter'],
  ['701', 'connector_manager', 'Connector manager'],
  ['702', 'form_deleter', 'Form deleter'],
  ['703', 'form_manager', 'Form manager'],
  ['704', 'user_support_manager', 'User support manager'],
  ['705', 'user_support_viewer', 'User support viewer'],
  ['706', 'entity_manager', 'Entity manager'],
  ['707', 'messenger_deleter', 'Messenger deleter'],
  ['708', 'messenger_manager', 'Messenger manager'],
  ['709', 'message_template_deleter', 'Message template deleter'],
  ['710', 'message_template_manager', 'Message template manager'],
  ['711', 'acl_deleter', 'ACL deleter'],
  ['712', 'acl_manager', 'ACL manager'],
  ['713', 'webhook_event_log_viewer', 'Webhook event log viewer', '1.53.0'],
].map(([suffix, name, description, since]) => ({
  // Ids end in …8236e2…8236ff, then …823700…823712 (the hex counter carries into the previous digit).
  id: suffix!.length === 2 ? `631ecd9d-8d40-4c13-8277-80cedb8236${suffix}` : `631ecd9d-8d40-4c13-8277-80cedb823${suffix}`,
  name: name!,
  description: description!,
  isSuperRole: name === 'admin',
  ...(since !== undefined ? { since } : {}),
}));

/**
 * The message templates of a fresh instance before 1.68.0: only "Default Two Factor Request" ([SCHEMA] `INSERT INTO
 * message_templates`, an SMS template with the text `Two Factor Code: ${code}`; [DUMP-1.60] holds it as a schema-time
 * row). The `[FusionAuth Default] Phone …` templates come from the setup wizard (`SystemDefaultsSingleton`, which the
 * bootstrap never runs: see kinds/emailTemplate.ts).
 *
 * From 1.68.0 a fresh instance has none: the decompiled `Migration_1_68_0` creates the wizard's 1.68 batch (with its
 * replacement, `[FusionAuth Default] SMS Two Factor Request`) and then deletes "Default Two Factor Request" and
 * "Default Voice Two Factor Request" wherever nothing uses them — an upgrade is brought to what a new 1.68 install
 * holds, whose bootstrap marks that migration as already run ([SCHEMA]: "Initialize migrations so they don't run on new
 * installs"). Inferred, not seen: no 1.68+ bootstrap script was found. "Default Voice Two Factor Request" (Voice,
 * 1.65–1.67) is not booted: neither its text nor its place in a bootstrap script is known.
 */
const DEFAULT_TEMPLATES: ReadonlyArray<{ name: string; text: string; until: string }> = [
  { name: 'Default Two Factor Request', text: 'Two Factor Code: ${code}', until: '1.68.0' },
];

/**
 * The Tenant manager application as [DUMP-1.60] stores it at schema time (its `data` column, the `universal` column
 * true, no tenant) and [DEC-RESET] `resetTenantManager` recreates it: a universal application signed by its own
 * "Tenant manager signing key" (access tokens) and shadow key 80ccfe1e-… (id tokens), with the tenant manager UI's
 * redirect and logout URLs, consent always prompted, the same admin registration form as the FusionAuth app, and the
 * `admin` super role with its fixed id. No id, client id or secret: the server's.
 */
function tenantManagerBody(signingKeyId: string, adminRegistrationFormId: string): JsonObject {
  return {
    name: 'Tenant manager',
    universalConfiguration: { universal: true },
    jwtConfiguration: {
      enabled: true,
      accessTokenKeyId: signingKeyId,
      idTokenKeyId: OIDC_SHADOW_KEY_IDS.tenantManagerOidcSha256,
      timeToLiveInSeconds: 60,
      refreshTokenUsagePolicy: 'OneTimeUse',
      refreshTokenExpirationPolicy: 'SlidingWindow',
      refreshTokenTimeToLiveInMinutes: 60,
      refreshTokenOneTimeUseConfiguration: { gracePeriodInSeconds: 0 },
      refreshTokenSlidingWindowConfiguration: { maximumTimeToLiveInMinutes: 43200 },
    },
    oauthConfiguration: {
      debug: true,
      logoutURL: '/tenant-manager/single-logout',
      consentMode: 'AlwaysPrompt',
      relationship: 'FirstParty',
      enabledGrants: ['authorization_code', 'refresh_token'],
      logoutBehavior: 'AllApplications',
      unknownScopePolicy: 'Reject',
      providedScopePolicy: Object.fromEntries(['address', 'email', 'phone', 'profile'].map((s) => [s, { enabled: false, required: false }])),
      requireRegistration: true,
      scopeHandlingPolicy: 'Strict',
      generateRefreshTokens: true,
      authorizedRedirectURLs: ['/tenant-manager'],
      clientAuthenticationPolicy: 'Required',
      requireClientAuthentication: true,
      authorizedURLValidationPolicy: 'ExactMatch',
      proofKeyForCodeExchangePolicy: 'Required',
    },
    formConfiguration: { adminRegistrationFormId },
    roles: [{ id: TENANT_MANAGER_ADMIN_ROLE_ID, name: 'admin', description: 'Admin', isDefault: false, isSuperRole: true }],
  };
}

/** The objects of a fresh instance (see `bootDefaults`). */
export interface BootDefaults {
  /** The Default tenant (no id; the server assigns the configured or a random one, reference §1.3). */
  tenant: JsonObject;
  /**
   * The admin application (no id/tenantId/clientId/clientSecret: server-owned; its id is the fixed `3c219e58-…`), with
   * its roles and their fixed ids.
   */
  fusionAuthApp: JsonObject;
  /** The Tenant manager application (1.58+): no id (random per instance, or configured), universal. */
  tenantManagerApp?: JsonObject;
  /** `Default Two Factor Request` before 1.68.0 (no id); none from 1.68.0. */
  messageTemplates: JsonObject[];
  /**
   * The random ids of the three forms the bootstrap creates ([SCHEMA], [DEC-RESET] `resetManagedFormFields`). The
   * emulator does not serve forms: the ids only make references to them valid.
   */
  forms: { adminUser: string; adminRegistration: string; selfServiceUser: string };
}

/**
 * The boot-time objects of a fresh instance of FusionAuth `version`, filled with every default (so a GET of them looks
 * like a fresh instance's).
 */
export function bootDefaults(ctx: DefaultsContext, version: string): BootDefaults {
  // [SCHEMA] `INSERT INTO keys`: the "Default signing key" (HS256, random id) signs the Default tenant's access tokens;
  // its id tokens are signed by the OIDC shadow key 092dbedc-… ([SCHEMA] tenant row, [DEC-RESET] `resetTenants`:
  // `accessTokenKeyId = resetDefaultKey()`, `idTokenKeyId = KeyService.HS256_CLIENT_SECRET_SHADOW`). A real instance
  // whose tenant has one RSA key for both is one the setup wizard has run on (`DefaultSetupService._setup`).
  const signingKeyId = ctx.newId();
  const forms = { adminUser: ctx.newId(), adminRegistration: ctx.newId(), selfServiceUser: ctx.newId() };
  const tenantBody: JsonObject = {
    name: 'Default',
    // [SCHEMA] `"issuer": "acme.com"`, emailConfiguration defaultFromName "FusionAuth"; reference §10.1.
    issuer: 'acme.com',
    emailConfiguration: { defaultFromName: 'FusionAuth' },
    jwtConfiguration: { accessTokenKeyId: signingKeyId, idTokenKeyId: OIDC_SHADOW_KEY_SHA256_ID },
    themeId: DEFAULT_THEME_ID,
    // [SCHEMA] the form "Default Admin User provided by FusionAuth" (random id per instance).
    formConfiguration: { adminUserFormId: forms.adminUser },
    connectorPolicies: [{ connectorId: FUSIONAUTH_CONNECTOR_ID, domains: ['*'], migrate: false }],
  };
  const bootCtx: DefaultsContext = { newId: () => ctx.newId(), randomSecret: () => ctx.randomSecret() };
  const tenant = fillTenant(tenantBody, bootCtx);

  // [SCHEMA] the admin application's stored JSON: short-lived sliding-window one-time-use refresh tokens, the admin
  // UI's redirect/logout URLs, PKCE and client authentication required.
  const roles = FUSIONAUTH_APP_ROLES.filter((r) => r.since === undefined || !olderThan(version, r.since));
  const appBody: JsonObject = {
    name: 'FusionAuth',
    jwtConfiguration: {
      enabled: true,
      accessTokenKeyId: signingKeyId,
      idTokenKeyId: OIDC_SHADOW_KEY_SHA256_ID,
      timeToLiveInSeconds: 60,
      refreshTokenExpirationPolicy: 'SlidingWindow',
      refreshTokenTimeToLiveInMinutes: 60,
      refreshTokenUsagePolicy: 'OneTimeUse',
    },
    registrationConfiguration: { type: 'basic' },
    oauthConfiguration: {
      authorizedRedirectURLs: ['/admin/login'],
      enabledGrants: ['authorization_code', 'refresh_token'],
      logoutURL: '/admin/single-logout',
      generateRefreshTokens: true,
      clientAuthenticationPolicy: 'Required',
      proofKeyForCodeExchangePolicy: 'Required',
    },
    loginConfiguration: { allowTokenRefresh: false, generateRefreshTokens: false, requireAuthentication: true },
    unverified: { behavior: 'Allow' },
    verificationStrategy: 'ClickableLink',
    // [SCHEMA] the form "Default Admin Registration provided by FusionAuth" (random id per instance).
    formConfiguration: { adminRegistrationFormId: forms.adminRegistration },
    roles: roles.map((r) => ({ id: r.id, name: r.name, description: r.description, isDefault: false, isSuperRole: r.isSuperRole })),
  };
  const appCtx: DefaultsContext = { ...bootCtx, defaultTenant: tenant };
  const fusionAuthApp = fillApplication(appBody, appCtx);
  // [DUMP-1.60] "Tenant manager signing key" (HS256, random id, a schema-time row).
  const tenantManagerApp = olderThan(version, TENANT_MANAGER_SINCE) ? undefined : fillApplication(tenantManagerBody(ctx.newId(), forms.adminRegistration), appCtx);

  const messageTemplates = DEFAULT_TEMPLATES.filter((t) => olderThan(version, t.until))
    .map((t) => fillMessageTemplate({ type: 'SMS', name: t.name, defaultTemplate: t.text }, bootCtx));
  return { tenant, fusionAuthApp, ...(tenantManagerApp ? { tenantManagerApp } : {}), messageTemplates, forms };
}
