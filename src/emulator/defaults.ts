/**
 * The emulator's server-filled defaults: what FusionAuth returns for every field a create or PUT did not send
 * (reference §4.3, §4.4, §5.3, §5.5, §11.3). A GET after a minimal create must look like FusionAuth's, defaults
 * included — that is what exposes perpetual-diff bugs in the reconciler.
 *
 * Contract (the server in src/emulator calls these on create and on PUT): each `fill*` returns a NEW object, the body
 * deep-merged over the kind's full default object (objects merge recursively, arrays and scalars from the body win,
 * a null in the body counts as not sent), nulls omitted. Server-owned fields are never set here: `id`,
 * `insertInstant`, `lastUpdateInstant`, `state`, `configured`, `active`, application `tenantId`,
 * `oauthConfiguration.clientId`/`clientSecret`, role ids.
 */
export type { DefaultsContext } from './defaults/context.js';
export { FUSIONAUTH_APP_ID, DEFAULT_THEME_ID, FUSIONAUTH_CONNECTOR_ID } from './defaults/context.js';
export { fillTenant, tenantDefaults, DEFAULT_ENCRYPTION_SCHEME, DEFAULT_ENCRYPTION_SCHEME_FACTOR } from './defaults/tenant.js';
export { fillApplication, applicationDefaults } from './defaults/application.js';
export { fillMessenger, fillMessageTemplate, messengerDefaults, messageTemplateDefaults } from './defaults/messaging.js';
export { bootDefaults, FUSIONAUTH_APP_ROLES, OIDC_SHADOW_KEY_SHA256_ID, TENANT_MANAGER_SINCE, type BootDefaults } from './defaults/boot.js';
