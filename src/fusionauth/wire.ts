/**
 * FusionAuth's wire facts, one row per kind: where a kind lives in the REST API, its envelope keys, the name its id
 * takes in error codes, the fields that hold the ids of other objects, and the fixed ids of built-in objects. The
 * reconciler (src/kinds/) and the emulator (src/emulator/) both read this table and nothing else of each other: the
 * emulator's defaults, validation and error codes stay its own, so that it remains an oracle of the server rather
 * than a copy of the code it tests. test/fusionauth/wire.test.ts checks every row against FusionAuth's OpenAPI file.
 *
 * Sources: reference §1.3 (ids), §1.4 (envelopes), §2–§5 (endpoints), and the OpenAPI component schemas (every
 * reference field below is a `format: uuid` property there).
 */
import type { WireFacts, WireRef } from '../core/kind.js';

/** The kinds FusionAuth has whose ids other objects hold; those kickstand does not manage yet are listed for refs. */
export type WireKind =
  | 'messenger' | 'messageTemplate' | 'tenant' | 'application' | 'applicationRole'
  | 'theme' | 'form' | 'key' | 'emailTemplate' | 'lambda' | 'connector' | 'userAction' | 'ipAccessControlList'
  | 'entityType'
  | 'apiKey' | 'systemConfiguration' | 'webhook'
  | 'user' | 'userRegistration' | 'family';

/** The FusionAuth admin application: a fixed id on every instance (reference §1.3); its tenant is the Default tenant. */
export const FUSIONAUTH_APP_ID = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';

/**
 * The names of the FusionAuth admin application's roles, built into every instance (FusionAuth's database bootstrap
 * script inserts them with fixed ids; `webhook_event_log_viewer` since 1.53.0, [SITE:docs/extend/events-and-webhooks/
 * webhook-event-log.mdx]). FusionAuth refuses to add roles to that application, so these are all a registration to it
 * can hold.
 */
export const FUSIONAUTH_APP_ROLE_NAMES: readonly string[] = [
  'admin', 'api_key_manager', 'application_deleter', 'application_manager', 'audit_log_viewer', 'email_template_manager',
  'report_viewer', 'system_manager', 'user_action_deleter', 'user_action_manager', 'user_deleter', 'user_manager',
  'webhook_manager', 'group_manager', 'group_deleter', 'tenant_manager', 'tenant_deleter', 'lambda_manager',
  'event_log_viewer', 'key_manager', 'consent_deleter', 'consent_manager', 'theme_manager', 'reactor_manager',
  'connector_deleter', 'connector_manager', 'form_deleter', 'form_manager', 'user_support_manager', 'user_support_viewer',
  'entity_manager', 'messenger_deleter', 'messenger_manager', 'message_template_deleter', 'message_template_manager',
  'acl_deleter', 'acl_manager', 'webhook_event_log_viewer',
];

/** The FusionAuth connector: a fixed id on every instance (reference §1.3); a tenant's connector policies hold it. */
export const FUSIONAUTH_CONNECTOR_ID = 'e3306678-a53a-4964-9040-1c96f36dda72';

/** The default theme: a fixed id on every instance (reference §1.3). */
export const DEFAULT_THEME_ID = '75a068fd-e94b-451a-9aeb-3ddb9a3b5987';

/**
 * The default simple theme (FusionAuth 1.51+): a fixed id on every instance (`Theme.FUSIONAUTH_SIMPLE_THEME_ID` of the
 * decompiled domain class; FusionAuth's MySQL bootstrap script inserts it as "FusionAuth - Simple").
 */
export const DEFAULT_SIMPLE_THEME_ID = '3c717291-5d83-4014-bd51-97c76475dc86';

/**
 * The OpenID Connect "shadow" keys: fixed ids on every instance, HMAC keys without a secret whose use signs id tokens
 * with the application's client secret; FusionAuth refuses to delete or rename them (reference §1.3;
 * [SITE:docs/_shared/_default-entities.mdx] lists the first three; the decompiled `KeyService.ClientSecretShadowKeys`
 * adds the Tenant manager's (1.58+); `DefaultKeyService` `[shadow]keyId`, `[shadow]key.name`).
 */
export const OIDC_SHADOW_KEY_IDS = {
  oidcSha256: '092dbedc-30af-4149-9c61-b578f2c72f59',
  oidcSha384: '4b8f1c06-518e-45bd-9ac5-d549686ae02a',
  oidcSha512: 'c753a44d-7f2e-48d3-bc4e-c2c16488a23b',
  tenantManagerOidcSha256: '80ccfe1e-209e-1725-bb37-6c4214dea375',
} as const;

/**
 * The `admin` role of the Tenant manager application (1.58+): a fixed id on every instance, while the application's own
 * id is random per instance (reference §1.3; FusionAuth's decompiled `DefaultResetService.resetTenantManager`). The
 * one fixed fact that tells the Tenant manager application from any other.
 */
export const TENANT_MANAGER_ADMIN_ROLE_ID = '631ecd9d-8d40-4c13-8277-80cedb823714';

/**
 * What an update of the Tenant manager application changes (FusionAuth's decompiled application service,
 * `_updateTenantManager`): these fields are copied from the request (a value the request lacks is removed); every other
 * field keeps its stored value, and the PUT still answers 200. Read by the application kind (its locked fields) and the
 * emulator (its update rule). Its roles are written through the role endpoints, which do not refuse them.
 */
export const TENANT_MANAGER_UPDATABLE: readonly string[] = [
  'name', 'themeId', 'emailConfiguration',
  ...['timeToLiveInSeconds', 'accessTokenKeyId', 'idTokenKeyId', 'refreshTokenTimeToLiveInMinutes', 'refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds'].map((f) => `jwtConfiguration.${f}`),
  ...['loginPolicy', 'email', 'sms'].map((f) => `multiFactorConfiguration.${f}`),
  ...['adminRegistrationFormId', 'selfServiceFormId', 'selfServiceFormConfiguration.requireCurrentPasswordOnPasswordChange'].map((f) => `formConfiguration.${f}`),
  ...['enabled', 'bootstrapWorkflow.enabled', 'reauthenticationWorkflow.enabled'].map((f) => `webAuthnConfiguration.${f}`),
  'accessControlConfiguration.uiIPAccessControlListId', 'passwordlessConfiguration.enabled', 'externalIdentifierConfiguration.twoFactorTrustIdTimeToLiveInSeconds',
];

/**
 * The event names of a webhook's `eventsEnabled`, the wire vocabulary of the field (`EventType`'s JSON values: fusionauth-java-client
 * io/fusionauth/domain/event/EventType.java and the .NET client's EventType.cs, which add `user.identity.verified`; the
 * 1.69 OpenAPI enum adds the three two-factor events, spelled as the decompiled server's webhook-count queries spell
 * them). A key that is none of them cannot be bound to the `Map<EventType, Boolean>`.
 */
export const WEBHOOK_EVENT_TYPES = [
  'audit-log.create', 'event-log.create', 'jwt.public-key.update', 'jwt.refresh', 'jwt.refresh-token.revoke', 'kickstart.success',
  'group.create', 'group.create.complete', 'group.delete', 'group.delete.complete', 'group.member.add', 'group.member.add.complete',
  'group.member.remove', 'group.member.remove.complete', 'group.member.update', 'group.member.update.complete', 'group.update',
  'group.update.complete', 'test', 'user.action', 'user.bulk.create', 'user.create', 'user.create.complete', 'user.deactivate', 'user.delete',
  'user.delete.complete', 'user.email.update', 'user.email.verified', 'user.identity-provider.link', 'user.identity-provider.unlink',
  'user.identity.update', 'user.identity.verified', 'user.loginId.duplicate.create', 'user.loginId.duplicate.update', 'user.login.failed',
  'user.login.new-device', 'user.login.success', 'user.login.suspicious', 'user.password.breach', 'user.password.reset.send',
  'user.password.reset.start', 'user.password.reset.success', 'user.password.update', 'user.reactivate', 'user.registration.create',
  'user.registration.create.complete', 'user.registration.delete', 'user.registration.delete.complete', 'user.registration.update',
  'user.registration.update.complete', 'user.registration.verified', 'user.two-factor.challenge', 'user.two-factor.failed-attempt',
  'user.two-factor.method.add', 'user.two-factor.method.remove', 'user.two-factor.success', 'user.update', 'user.update.complete',
] as const;

/** A key's `KeyAlgorithm` enum ([OAS] 1.69; Ed25519 since 1.62); `None` is a 1.64 secret's. */
export const KEY_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'Ed25519', 'None'] as const;
/** A key's `KeyType` enum ([OAS] 1.69; OKP since 1.62; the import docs spell the 1.64 type `SecretKeyValue`, the server's enum constant is `Secret`). */
export const KEY_TYPES = ['EC', 'RSA', 'HMAC', 'OKP', 'Secret'] as const;
/** One of `KEY_TYPES`. */
export type KeyType = (typeof KEY_TYPES)[number];

/** The key type an algorithm belongs to (`RS256` → RSA, `Ed25519` → OKP, `None` → Secret), undefined for no algorithm of FusionAuth's. */
export function keyTypeOfAlgorithm(algorithm: string | undefined): KeyType | undefined {
  if (algorithm === undefined) return undefined;
  if (/^RS(256|384|512)$/.test(algorithm)) return 'RSA';
  if (/^ES(256|384|512)$/.test(algorithm)) return 'EC';
  if (/^HS(256|384|512)$/.test(algorithm)) return 'HMAC';
  if (algorithm === 'Ed25519') return 'OKP';
  if (algorithm === 'None') return 'Secret';
  return undefined;
}

/** `a.b` → `{ path: 'a.b', kind }` for a list of fields under one prefix. */
const refs = (kind: WireKind, prefix: string, fields: readonly string[]): WireRef[] => fields.map((f) => ({ path: `${prefix}${f}`, kind }));

/** The phone message templates of a tenant (`phoneConfiguration.*TemplateId`, reference §4.4). */
export const TENANT_PHONE_TEMPLATE_FIELDS = [
  'verificationTemplateId', 'verificationCompleteTemplateId', 'passwordlessTemplateId', 'forgotPasswordTemplateId',
  'setPasswordTemplateId', 'identityUpdateTemplateId', 'passwordUpdateTemplateId', 'passwordResetSuccessTemplateId',
  'loginIdInUseOnCreateTemplateId', 'loginIdInUseOnUpdateTemplateId', 'loginNewDeviceTemplateId', 'loginSuspiciousTemplateId',
  'twoFactorMethodAddTemplateId', 'twoFactorMethodRemoveTemplateId', 'adminTwoFactorMethodRemoveTemplateId',
] as const;

/** The phone message templates an application may override (`phoneConfiguration.*TemplateId`, reference §5.5). */
export const APPLICATION_PHONE_TEMPLATE_FIELDS = TENANT_PHONE_TEMPLATE_FIELDS.filter((f) => f !== 'adminTwoFactorMethodRemoveTemplateId');

/** The email templates of a tenant's `emailConfiguration`. */
const TENANT_EMAIL_TEMPLATE_FIELDS = [
  'adminTwoFactorMethodRemoveEmailTemplateId', 'emailUpdateEmailTemplateId', 'emailVerifiedEmailTemplateId',
  'forgotPasswordEmailTemplateId', 'loginIdInUseOnCreateEmailTemplateId', 'loginIdInUseOnUpdateEmailTemplateId',
  'loginNewDeviceEmailTemplateId', 'loginSuspiciousEmailTemplateId', 'passwordResetSuccessEmailTemplateId',
  'passwordUpdateEmailTemplateId', 'passwordlessEmailTemplateId', 'setPasswordEmailTemplateId',
  'twoFactorMethodAddEmailTemplateId', 'twoFactorMethodRemoveEmailTemplateId', 'verificationEmailTemplateId',
] as const;

/** The email templates of an application's `emailConfiguration`. */
const APPLICATION_EMAIL_TEMPLATE_FIELDS = [
  'emailUpdateEmailTemplateId', 'emailVerificationEmailTemplateId', 'emailVerifiedEmailTemplateId',
  'forgotPasswordEmailTemplateId', 'loginIdInUseOnCreateEmailTemplateId', 'loginIdInUseOnUpdateEmailTemplateId',
  'loginNewDeviceEmailTemplateId', 'loginSuspiciousEmailTemplateId', 'passwordResetSuccessEmailTemplateId',
  'passwordUpdateEmailTemplateId', 'passwordlessEmailTemplateId', 'setPasswordEmailTemplateId',
  'twoFactorMethodAddEmailTemplateId', 'twoFactorMethodRemoveEmailTemplateId',
] as const;

/** One row per kind. A kind without `path` is known only by its ids (kickstand does not read or write it yet). */
export const WIRE: Readonly<Record<WireKind, WireFacts>> = {
  messenger: { path: '/api/messenger', singular: 'messenger', plural: 'messengers', idField: 'messengerId', refs: [] },
  messageTemplate: { path: '/api/message/template', singular: 'messageTemplate', plural: 'messageTemplates', idField: 'messageTemplateId', refs: [] },
  tenant: {
    path: '/api/tenant', singular: 'tenant', plural: 'tenants', idField: 'tenantId',
    refs: [
      { path: 'phoneConfiguration.messengerId', kind: 'messenger' },
      ...refs('messageTemplate', 'phoneConfiguration.', TENANT_PHONE_TEMPLATE_FIELDS),
      { path: 'multiFactorConfiguration.sms.messengerId', kind: 'messenger' },
      { path: 'multiFactorConfiguration.sms.templateId', kind: 'messageTemplate' },
      { path: 'multiFactorConfiguration.voice.messengerId', kind: 'messenger' },
      { path: 'multiFactorConfiguration.voice.templateId', kind: 'messageTemplate' },
      { path: 'multiFactorConfiguration.email.templateId', kind: 'emailTemplate' },
      ...refs('emailTemplate', 'emailConfiguration.', TENANT_EMAIL_TEMPLATE_FIELDS),
      ...refs('emailTemplate', 'familyConfiguration.', ['confirmChildEmailTemplateId', 'familyRequestEmailTemplateId', 'parentRegistrationEmailTemplateId']),
      { path: 'passwordValidationRules.breachDetection.notifyUserEmailTemplateId', kind: 'emailTemplate' },
      { path: 'themeId', kind: 'theme' },
      { path: 'formConfiguration.adminUserFormId', kind: 'form' },
      { path: 'jwtConfiguration.accessTokenKeyId', kind: 'key' },
      { path: 'jwtConfiguration.idTokenKeyId', kind: 'key' },
      ...refs('lambda', 'lambdaConfiguration.', [
        'loginValidationId', 'multiFactorRequirementId', 'scimEnterpriseUserRequestConverterId', 'scimEnterpriseUserResponseConverterId',
        'scimGroupRequestConverterId', 'scimGroupResponseConverterId', 'scimUserRequestConverterId', 'scimUserResponseConverterId',
      ]),
      { path: 'oauthConfiguration.clientCredentialsAccessTokenPopulateLambdaId', kind: 'lambda' },
      { path: 'connectorPolicies.*.connectorId', kind: 'connector' },
      { path: 'failedAuthenticationConfiguration.userActionId', kind: 'userAction' },
      { path: 'accessControlConfiguration.uiIPAccessControlListId', kind: 'ipAccessControlList' },
      { path: 'scimServerConfiguration.clientEntityTypeId', kind: 'entityType' },
      { path: 'scimServerConfiguration.serverEntityTypeId', kind: 'entityType' },
    ],
  },
  application: {
    path: '/api/application', singular: 'application', plural: 'applications', idField: 'applicationId',
    // Tenant-scoped (reference §1.2): the tenant travels in X-FusionAuth-TenantId and is kept in `tenantId`.
    tenantField: 'tenantId',
    // Soft-deleted applications are only listed with ?inactive=true; they still hold their name and id (reference §5.1).
    listQueries: [{}, { inactive: 'true' }],
    fixedIds: { fusionAuth: FUSIONAUTH_APP_ID },
    refs: [
      { path: 'tenantId', kind: 'tenant' },
      ...refs('messageTemplate', 'phoneConfiguration.', APPLICATION_PHONE_TEMPLATE_FIELDS),
      { path: 'multiFactorConfiguration.sms.templateId', kind: 'messageTemplate' },
      { path: 'multiFactorConfiguration.voice.templateId', kind: 'messageTemplate' },
      { path: 'multiFactorConfiguration.email.templateId', kind: 'emailTemplate' },
      ...refs('emailTemplate', 'emailConfiguration.', APPLICATION_EMAIL_TEMPLATE_FIELDS),
      { path: 'verificationEmailTemplateId', kind: 'emailTemplate' },
      { path: 'themeId', kind: 'theme' },
      { path: 'formConfiguration.adminRegistrationFormId', kind: 'form' },
      { path: 'formConfiguration.selfServiceFormId', kind: 'form' },
      { path: 'registrationConfiguration.formId', kind: 'form' },
      { path: 'jwtConfiguration.accessTokenKeyId', kind: 'key' },
      { path: 'jwtConfiguration.idTokenKeyId', kind: 'key' },
      ...refs('key', 'samlv2Configuration.', [
        'assertionEncryptionConfiguration.keyTransportEncryptionKeyId', 'defaultVerificationKeyId', 'keyId',
        'logout.defaultVerificationKeyId', 'logout.keyId', 'logout.singleLogout.keyId',
      ]),
      ...refs('lambda', 'lambdaConfiguration.', [
        'accessTokenPopulateId', 'idTokenPopulateId', 'multiFactorRequirementId', 'samlv2PopulateId',
        'selfServiceRegistrationValidationId', 'userinfoPopulateId',
      ]),
      { path: 'accessControlConfiguration.uiIPAccessControlListId', kind: 'ipAccessControlList' },
    ],
  },
  // A child of an application: `/api/application/{applicationId}/role[/{roleId}]`; on the wire also inside the
  // application's `roles` (reference §5.1, §5.3).
  applicationRole: {
    path: '/role', singular: 'role', plural: 'roles', idField: 'roleId', refs: [],
    parent: { kind: 'application', field: 'roles' },
  },
  theme: {
    path: '/api/theme', singular: 'theme', plural: 'themes', idField: 'themeId',
    // `sourceThemeId` is not a field of the theme: it sits beside `theme` in a create request (ThemeRequest in the
    // OpenAPI file) and names the theme the new one is copied from.
    refs: [{ path: 'sourceThemeId', kind: 'theme' }],
    fixedIds: { default: DEFAULT_THEME_ID, simple: DEFAULT_SIMPLE_THEME_ID },
  },
  form: { singular: 'form', plural: 'forms', idField: 'formId', refs: [] },
  // Keys (reference §7, [SITE:docs/apis/keys.mdx]): listed at `/api/key`, created at `/api/key/generate/{id}` or
  // `/api/key/import/{id}` (never `POST /api/key/{id}`), renamed with PUT (no PATCH).
  key: { path: '/api/key', singular: 'key', plural: 'keys', idField: 'keyId', refs: [], fixedIds: OIDC_SHADOW_KEY_IDS },
  // `/api/email/template[/{emailTemplateId}]` (reference §7). The endpoints accept X-FusionAuth-TenantId, but an email
  // template has no tenant field (OpenAPI `EmailTemplate`): templates are global, shared by every tenant.
  emailTemplate: { path: '/api/email/template', singular: 'emailTemplate', plural: 'emailTemplates', idField: 'emailTemplateId', refs: [] },
  // `/api/lambda[/{lambdaId}]` (reference §7).
  lambda: { path: '/api/lambda', singular: 'lambda', plural: 'lambdas', idField: 'lambdaId', refs: [] },
  connector: { singular: 'connector', plural: 'connectors', idField: 'connectorId', refs: [], fixedIds: { fusionAuth: FUSIONAUTH_CONNECTOR_ID } },
  userAction: { singular: 'userAction', plural: 'userActions', idField: 'userActionId', refs: [] },
  ipAccessControlList: { singular: 'ipAccessControlList', plural: 'ipAccessControlLists', idField: 'ipAccessControlListId', refs: [] },
  entityType: { singular: 'entityType', plural: 'entityTypes', idField: 'entityTypeId', refs: [] },
  // `POST /api/api-key[/{keyId}]`, `GET|PUT|PATCH|DELETE /api/api-key/{keyId}`: no retrieve-all and no search (reference
  // §6; FusionAuth/fusionauth-issues#1570: left out on purpose, "due to security concerns"), so no plural. The id is
  // `keyId` in the OpenAPI path. `tenantId` locks a key to a tenant: the emulator's tenant cascade removes such keys
  // with their tenant; kickstand sends no tenant header for them (its kind declares no tenant field).
  apiKey: {
    path: '/api/api-key', singular: 'apiKey', idField: 'keyId', tenantField: 'tenantId',
    refs: [{ path: 'tenantId', kind: 'tenant' }, { path: 'ipAccessControlListId', kind: 'ipAccessControlList' }],
  },
  // The one system configuration of a server: `GET|PUT|PATCH /api/system-configuration`, no id, no list (reference §7;
  // the OpenAPI file lacks the GET, §11.1). `idField` names no real parameter: a singleton is never addressed by id.
  systemConfiguration: { path: '/api/system-configuration', singular: 'systemConfiguration', idField: 'systemConfigurationId', refs: [], singleton: true },
  // Webhooks (reference §7, [SITE:docs/apis/webhooks.mdx]). `tenantIds` is a view of an association table: deleting a
  // tenant removes the rows, it never stops the delete (decompiled `DefaultWebhookService`, `webhooks_tenants`).
  webhook: {
    path: '/api/webhook', singular: 'webhook', plural: 'webhooks', idField: 'webhookId',
    refs: [
      { path: 'tenantIds.*', kind: 'tenant', detach: true },
      { path: 'signatureConfiguration.signingKeyId', kind: 'key' },
      { path: 'sslCertificateKeyId', kind: 'key' },
    ],
  },
  // Users (reference §12, [SITE:docs/apis/users/*.mdx]): `POST|GET|PUT|PATCH|DELETE /api/user/{userId}`, no
  // retrieve-all: listed through the search API (`POST /api/user/search`, `{"users": [...], "total": n}`). Tenant-scoped
  // (the tenant travels in X-FusionAuth-TenantId and is kept in `tenantId`).
  user: {
    path: '/api/user', singular: 'user', plural: 'users', idField: 'userId', tenantField: 'tenantId', searchPath: '/api/user/search',
    refs: [{ path: 'tenantId', kind: 'tenant' }],
  },
  // A user's registrations ([SITE:docs/apis/registrations/*.mdx]): created at `POST /api/user/registration/{userId}`,
  // read, updated and deleted at `/api/user/registration/{userId}/{applicationId}` — identified by the user and the
  // application, not by their own id; on the wire also inside the user's `registrations` (search and retrieve).
  userRegistration: {
    path: '/api/user/registration', singular: 'registration', plural: 'registrations', idField: 'registrationId',
    refs: [{ path: 'applicationId', kind: 'application' }],
    parent: { kind: 'user', field: 'registrations' },
  },
  // Families ([SITE:docs/apis/families.mdx]): `POST /api/user/family/{familyId}` creates one with its first member,
  // `PUT` of the same path adds or updates a member, `DELETE /api/user/family/{familyId}/{userId}` removes one,
  // `GET /api/user/family/{familyId}` reads one; no retrieve-all, only `GET /api/user/family?userId=` (a user's
  // families). Requests carry one member (`FamilyRequest.familyMember`), responses the family (`family`/`families`).
  family: {
    path: '/api/user/family', singular: 'family', plural: 'families', idField: 'familyId',
    refs: [{ path: 'members.*.userId', kind: 'user' }],
  },
};
