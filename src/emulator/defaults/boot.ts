/**
 * The objects a fresh (non-Kickstarted) FusionAuth instance holds at first start: the Default tenant, the FusionAuth
 * admin application and the default SMS message templates.
 *
 * Sources: FusionAuth's database bootstrap script (the `INSERT INTO tenants/applications/application_roles` statements of
 * its MySQL schema file, found in public code through the search index, "[SCHEMA]"), the JSON a real 1.60 instance
 * holds for them ("[REAL]", see tenant.ts), reference §1.3 (fixed ids), §3 (template names), §4.6 and §10.1.
 */
import type { JsonObject } from '../../core/types.js';
import { fillApplication } from './application.js';
import type { DefaultsContext } from './context.js';
import { DEFAULT_THEME_ID, FUSIONAUTH_CONNECTOR_ID } from './context.js';
import { fillMessageTemplate } from './messaging.js';
import { fillTenant } from './tenant.js';

/** The OIDC shadow key (SHA-256) id, fixed on every instance (reference §1.3); [SCHEMA] signs the admin app's id tokens with it. */
export const OIDC_SHADOW_KEY_SHA256_ID = '092dbedc-30af-4149-9c61-b578f2c72f59';

/**
 * The FusionAuth admin application's roles with their fixed ids, as [SCHEMA] inserts them (`application_roles`, ids
 * `631ecd9d-8d40-4c13-8277-80cedb8236e2` … `…823712`; `admin` is the only super role). Newer versions add roles after
 * `…823712` (reference §1.3 names `…823714` as the Tenant Manager app's `admin` role); those are not known here.
 */
export const FUSIONAUTH_APP_ROLES: ReadonlyArray<{ id: string; name: string; description: string; isSuperRole: boolean }> = [
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
].map(([suffix, name, description]) => ({
  // Ids end in …8236e2…8236ff, then …823700…823712 (the hex counter carries into the previous digit).
  id: suffix!.length === 2 ? `631ecd9d-8d40-4c13-8277-80cedb8236${suffix}` : `631ecd9d-8d40-4c13-8277-80cedb823${suffix}`,
  name: name!,
  description: description!,
  isSuperRole: name === 'admin',
}));

/** Name and FreeMarker text of each default message template (reference §3 names; the texts are our own). */
const DEFAULT_TEMPLATES: ReadonlyArray<readonly [string, string]> = [
  ['[FusionAuth Default] Phone Forgot Password', 'Your password reset code is ${code}. If you did not ask to reset your password, ignore this message.'],
  ['[FusionAuth Default] Phone Passwordless Login', 'Your sign-in code is ${code}. It expires soon; do not share it.'],
  ['[FusionAuth Default] Phone Set up Password', 'Welcome! Use the code ${code} to set up your password.'],
  ['[FusionAuth Default] Phone Threat Detected', 'We blocked a suspicious sign-in to your account. If it was you, use the code ${code} to continue; otherwise change your password.'],
  ['[FusionAuth Default] Phone Two-Factor Add', 'A two-factor method was added to your account. Confirmation code: ${code}. Contact support if this was not you.'],
  ['[FusionAuth Default] Phone Two-Factor Remove', 'A two-factor method was removed from your account. Confirmation code: ${code}. Contact support if this was not you.'],
  ['[FusionAuth Default] Phone Verification', 'Your verification code is ${code}.'],
  ['Default Two-Factor Request', 'Your two-factor code is ${code}.'],
];

/**
 * The boot-time objects, filled with every default (so a GET of them looks like a fresh instance's):
 * - `tenant`: the Default tenant (no id; the server assigns the configured or a random one, reference §1.3);
 * - `fusionAuthApp`: the admin application (no id/tenantId/clientId/clientSecret: server-owned; id is the fixed
 *   `3c219e58-…`), with its roles and their fixed ids;
 * - `messageTemplates`: the seven `[FusionAuth Default] Phone …` SMS templates and `Default Two-Factor Request` (no ids).
 */
export function bootDefaults(ctx: DefaultsContext): { tenant: JsonObject; fusionAuthApp: JsonObject; messageTemplates: JsonObject[] } {
  // [REAL] 1.60: the Default tenant's access and id token keys are both the instance's "Default signing key" (random id).
  const signingKeyId = ctx.newId();
  const tenantBody: JsonObject = {
    name: 'Default',
    // [SCHEMA] `"issuer": "acme.com"`, emailConfiguration defaultFromName "FusionAuth"; reference §10.1.
    issuer: 'acme.com',
    emailConfiguration: { defaultFromName: 'FusionAuth' },
    jwtConfiguration: { accessTokenKeyId: signingKeyId, idTokenKeyId: signingKeyId },
    themeId: DEFAULT_THEME_ID,
    // [SCHEMA] the form "Default Admin User provided by FusionAuth" (random id per instance).
    formConfiguration: { adminUserFormId: ctx.newId() },
    connectorPolicies: [{ connectorId: FUSIONAUTH_CONNECTOR_ID, domains: ['*'], migrate: false }],
  };
  const bootCtx: DefaultsContext = { newId: () => ctx.newId(), randomSecret: () => ctx.randomSecret() };
  const tenant = fillTenant(tenantBody, bootCtx);

  // [SCHEMA] the admin application's stored JSON: short-lived sliding-window one-time-use refresh tokens, the admin
  // UI's redirect/logout URLs, PKCE and client authentication required.
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
    formConfiguration: { adminRegistrationFormId: ctx.newId() },
    roles: FUSIONAUTH_APP_ROLES.map((r) => ({ id: r.id, name: r.name, description: r.description, isDefault: false, isSuperRole: r.isSuperRole })),
  };
  const fusionAuthApp = fillApplication(appBody, { ...bootCtx, defaultTenant: tenant });

  const messageTemplates = DEFAULT_TEMPLATES.map(([name, text]) =>
    fillMessageTemplate({ type: 'SMS', name, defaultTemplate: text }, bootCtx),
  );
  return { tenant, fusionAuthApp, messageTemplates };
}
