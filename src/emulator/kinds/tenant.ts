/**
 * Tenants: `/api/tenant[/{id}]`, `/api/tenant/search` (reference §4). Validation follows FusionAuth's decompiled
 * `DefaultTenantService.validate`/`validateCopy`/`validateDelete`/`validateGet` ([DEC-TENANT], reference §4.4–§4.5).
 */
import type { JsonObject } from '../../core/types.js';
import { TENANT_PHONE_TEMPLATE_FIELDS } from '../../fusionauth/wire.js';
import { page as searchReply, type KindSpec, type Write } from '../crud.js';
import { fillTenant, FUSIONAUTH_CONNECTOR_ID } from '../defaults.js';
import { checkOptionalHttpUrl, Errors } from '../errors.js';
import type { EmulatorRequest, Reply } from '../http.js';
import type { ListRules } from '../lists.js';
import { col, type EmulatorState } from '../state.js';
import { tenantScope } from '../tenancy.js';
import { at, blank, copy, isEmailAddress, isObject, sameId, without } from '../values.js';
import { tenantAssociations, webhookExists } from './webhook.js';

const SERVER_OWNED = ['id', 'insertInstant', 'lastUpdateInstant', 'state', 'configured'] as const;
/**
 * The tenant's list rules (lists.ts), from FusionAuth/fusionauth-java-client `Tenant`, `TenantRegistrationConfiguration`
 * and `connector/ConnectorPolicy` (and the decompiled server classes): `blockedDomains` is a `LinkedHashSet<String>`
 * (first-insertion order, no duplicates); a connector policy's `domains` is `@JsonMerge(OptBoolean.FALSE)
 * Set<String> domains = new HashSet<>(…"*")`, lowercased by `Tenant.normalize()` (`Normalizer.toLowerCase(policy.domains,
 * HashSet::new)`), so it comes back in a HashSet's order. `connectorPolicies` itself is a plain List: a JSON PATCH
 * appends policies (a policy's own `domains` is never merged into, so its replacement rule only matters for the
 * server's own binding).
 */
const LISTS: ListRules = {
  replaced: ['connectorPolicies.*.domains'],
  sets: [
    { path: 'registrationConfiguration.blockedDomains', order: 'insertion' },
    { path: 'connectorPolicies.*.domains', order: 'hash', lowercase: true },
  ],
};
/** Generators the server requires ([DEC-TENANT] validateExternalIdGenerator, reference §4.4). */
const REQUIRED_GENERATORS = [
  'changePasswordIdGenerator', 'deviceUserCodeIdGenerator', 'emailVerificationIdGenerator', 'passwordlessLoginGenerator',
  'passwordlessLoginOneTimeCodeGenerator', 'registrationVerificationIdGenerator', 'setupPasswordIdGenerator',
] as const;
const OPTIONAL_GENERATORS = [
  'emailVerificationOneTimeCodeGenerator', 'phoneVerificationIdGenerator', 'phoneVerificationOneTimeCodeGenerator',
  'registrationVerificationOneTimeCodeGenerator', 'twoFactorOneTimeCodeIdGenerator',
] as const;
const GENERATOR_TYPES = ['randomBytes', 'randomDigits', 'randomAlpha', 'randomAlphaNumeric'];
/** Login policies that need a method enabled, and the risk-based ones that need a license feature. */
const RISK_POLICIES = ['ChallengeOnMediumRisk', 'ChallengeOnHighRisk'];

/**
 * The tenant's own rules for a tenant about to be stored (create, PUT and the result of a PATCH), after the name
 * rules and the reference checks (the messengers, message templates, theme, admin user form and connectors it names).
 */
function validate(w: Write, e: Errors): void {
  const t = w.obj;
  // License-gated settings (reference §4.5).
  const unlicensed = !w.state.licensed;
  if (unlicensed && at(t, 'emailConfiguration.verifyEmail') === true && at(t, 'emailConfiguration.unverified.behavior') === 'Gated') {
    e.field('tenant.emailConfiguration.unverified.behavior', '[notLicensed]', 'Gated email verification requires a paid FusionAuth license.');
  }
  if (unlicensed && at(t, 'phoneConfiguration.verifyPhoneNumber') === true && at(t, 'phoneConfiguration.unverified.behavior') === 'Gated') {
    e.field('tenant.phoneConfiguration.unverified.behavior', '[notLicensed]', 'Gated phone verification requires a paid FusionAuth license.');
  }
  checkOptionalHttpUrl(e, t.baseURL, 'tenant.baseURL');
  checkOptionalHttpUrl(e, t.logoutURL, 'tenant.logoutURL');

  // CAPTCHA ([DEC-TENANT] validate, when enabled): `notBlank(secretKey, "tenant.captchaConfiguration.secretKey")`,
  // `notBlank(siteKey, "tenant.captchaConfiguration.siteKey")` → `[blank]`. Not emulated: the license check before them
  // and the threshold range (0..1 exclusive) — the check and `withinRangeExclusive`'s code are elided in the decompiled text.
  if (at(t, 'captchaConfiguration.enabled') === true) {
    for (const f of ['secretKey', 'siteKey']) {
      if (blank(at(t, `captchaConfiguration.${f}`))) e.field(`tenant.captchaConfiguration.${f}`, '[blank]', `CAPTCHA needs a ${f} when enabled.`);
    }
  }
  // Rate limits ([DEC-TENANT] validateRateLimit, when a request type is enabled): `valid(limit > 0, "<path>.limit")`,
  // `valid(timePeriodInSeconds > 0, "<path>.timePeriodInSeconds")` → `[invalid]`. Not emulated: the license check that
  // follows (elided in the decompiled text).
  const rl = isObject(t.rateLimitConfiguration) ? t.rateLimitConfiguration : {};
  for (const [k, v] of Object.entries(rl)) {
    if (!isObject(v) || v.enabled !== true) continue;
    for (const f of ['limit', 'timePeriodInSeconds']) {
      const n = v[f];
      if (typeof n === 'number' && n <= 0) e.field(`tenant.rateLimitConfiguration.${k}.${f}`, '[invalid]', `${f} must be greater than 0.`);
    }
  }

  // Connector policies ([DEC-TENANT] validate): each connector must exist (refs.ts, `notMissingWithCode`; the
  // emulator serves no connectors, so only the FusionAuth connector resolves), and the list must hold the FusionAuth
  // connector: `valid(anyMatch(connectorId == FUSIONAUTH_CONNECTOR_ID), "tenant.connectorPolicies")` → `[invalid]`
  // (the code the same `valid(...)` gives `sourceTenantId` in validateCopy). `fillTenant` already gave an empty list
  // the FusionAuth connector (Tenant.normalize), as the server does before validating.
  const policies = (Array.isArray(t.connectorPolicies) ? t.connectorPolicies : []).filter(isObject);
  // UUIDs compare by value on the server, so letter case does not matter.
  if (!policies.some((p) => sameId(p.connectorId, FUSIONAUTH_CONNECTOR_ID))) {
    e.field('tenant.connectorPolicies', '[invalid]', `The connector policies must include the FusionAuth connector [${FUSIONAUTH_CONNECTOR_ID}].`);
  }

  // Email configuration (reference §4.4 emailConfiguration table).
  if (blank(at(t, 'emailConfiguration.host'))) e.field('tenant.emailConfiguration.host', '[blank]', 'The SMTP host is required.');
  const port = at(t, 'emailConfiguration.port');
  if (port === undefined) e.field('tenant.emailConfiguration.port', '[missing]', 'The SMTP port is required.');
  else if (typeof port !== 'number' || port <= 0 || port >= 65535) e.field('tenant.emailConfiguration.port', '[invalid]', 'The SMTP port must be between 1 and 65534.');
  // [DEC-TENANT] validate: `ifTrue(defaultFromEmail != null, email(defaultFromEmail,
  // "tenant.emailConfiguration.defaultFromEmail"))`. Validator.email's code is `[notEmail]`: FusionAuth's own theme
  // messages (FusionAuth/fusionauth-localization theme/messages.properties) list `[notEmail]` among the default
  // validation errors and key `[notEmail]user.email`, the field the setup wizard checks with the same `email(...)` call.
  const fromEmail = at(t, 'emailConfiguration.defaultFromEmail');
  if (fromEmail !== undefined && !isEmailAddress(fromEmail)) {
    e.field('tenant.emailConfiguration.defaultFromEmail', '[notEmail]', `The default from address [${String(fromEmail)}] is not an email address.`);
  }
  if (at(t, 'emailConfiguration.verifyEmail') === true && blank(at(t, 'emailConfiguration.verificationEmailTemplateId'))) {
    e.field('tenant.emailConfiguration.verificationEmailTemplateId', '[missing]', 'Email verification needs a verification email template.');
  }

  // Phone configuration (1.59+, reference §4.4, [DEC-TENANT]).
  const messengerId = at(t, 'phoneConfiguration.messengerId');
  const anyTemplate = TENANT_PHONE_TEMPLATE_FIELDS.some((f) => at(t, `phoneConfiguration.${f}`) !== undefined);
  const verifyPhone = at(t, 'phoneConfiguration.verifyPhoneNumber') === true;
  if ((verifyPhone || anyTemplate) && messengerId === undefined) {
    e.field('tenant.phoneConfiguration.messengerId', '[missing]', 'A messenger is required when phone verification is on or a phone message template is set.');
  }
  if (verifyPhone && at(t, 'phoneConfiguration.verificationTemplateId') === undefined) {
    e.field('tenant.phoneConfiguration.verificationTemplateId', '[missing]', 'Phone verification needs a verification message template.');
  }
  if (verifyPhone && at(t, 'phoneConfiguration.verificationStrategy') === 'FormField' && at(t, 'phoneConfiguration.unverified.behavior') !== 'Gated') {
    e.field('tenant.phoneConfiguration.unverified.behavior', '[invalid]', 'The FormField verification strategy requires the Gated unverified behavior.');
  }

  // External identifiers: every TTL > 0, authorization grant id TTL ≤ 600; generators (reference §4.4).
  const eic = isObject(t.externalIdentifierConfiguration) ? t.externalIdentifierConfiguration : {};
  for (const [k, v] of Object.entries(eic)) {
    if (!k.endsWith('TimeToLiveInSeconds')) continue;
    const field = `tenant.externalIdentifierConfiguration.${k}`;
    if (typeof v !== 'number' || v <= 0) e.field(field, '[invalid]', `${k} must be greater than 0.`);
    else if (k === 'authorizationGrantIdTimeToLiveInSeconds' && v > 600) e.field(field, '[invalid]', `${k} must be at most 600 seconds.`);
  }
  for (const g of [...REQUIRED_GENERATORS, ...OPTIONAL_GENERATORS]) {
    const v = eic[g];
    const required = (REQUIRED_GENERATORS as readonly string[]).includes(g);
    if (v === undefined && !required) continue;
    const base = `tenant.externalIdentifierConfiguration.${g}`;
    const len = isObject(v) ? v.length : undefined;
    const type = isObject(v) ? v.type : undefined;
    if (typeof len !== 'number' || len <= 0) e.field(`${base}.length`, '[missing]', `${g}.length is required.`);
    if (type === undefined) e.field(`${base}.type`, '[missing]', `${g}.type is required.`);
    else if (!GENERATOR_TYPES.includes(String(type))) e.field(`${base}.type`, '[invalid]', `${g}.type must be one of ${GENERATOR_TYPES.join(', ')}.`);
  }

  // Password ages, password length, unverified-user deletion ([DEC-TENANT] validate, each `ensure(…, "[tooSmall]")`):
  // `ifTrue(maximumPasswordAge.enabled, days > 0)`, `ifTrue(minimumPasswordAge.enabled, seconds > 0)`,
  // `passwordValidationRules.maxLength > 0`, `ifTrue(userDeletePolicy.unverified.enabled, numberOfDaysToRetain > 0)`.
  // Not emulated: the minLength floor and the maxLength ceilings (256, bcrypt 50) — their bounds and codes are elided
  // in the decompiled text.
  const positive = (path: string, when: boolean): void => {
    const v = at(t, path);
    if (when && typeof v === 'number' && v <= 0) e.field(`tenant.${path}`, '[tooSmall]', `${path} must be greater than 0.`);
  };
  positive('maximumPasswordAge.days', at(t, 'maximumPasswordAge.enabled') === true);
  positive('minimumPasswordAge.seconds', at(t, 'minimumPasswordAge.enabled') === true);
  positive('passwordValidationRules.maxLength', true);
  positive('userDeletePolicy.unverified.numberOfDaysToRetain', at(t, 'userDeletePolicy.unverified.enabled') === true);

  // Failed authentication ([DEC-TENANT] validate): actionDuration, tooManyAttempts, resetCountInSeconds `> 0`
  // ("[tooSmall]", unconditional). Not emulated: the server also requires a userActionId to name an existing user action
  // (`[missing]…userActionId`), but the emulator serves no user actions and could never accept one.
  for (const f of ['actionDuration', 'tooManyAttempts', 'resetCountInSeconds']) positive(`failedAuthenticationConfiguration.${f}`, true);

  // Family ([DEC-TENANT] validate, when enabled): maximumChildAge, minimumOwnerAge, deleteOrphanedAccountsDays `> 0`
  // ("[invalid]"), and `ensure(maximumChildAge < minimumOwnerAge, "tenant.familyConfiguration.minimumOwnerAge", "[tooSmall]")`.
  if (at(t, 'familyConfiguration.enabled') === true) {
    for (const f of ['maximumChildAge', 'minimumOwnerAge', 'deleteOrphanedAccountsDays']) {
      const v = at(t, `familyConfiguration.${f}`);
      if (typeof v === 'number' && v <= 0) e.field(`tenant.familyConfiguration.${f}`, '[invalid]', `${f} must be greater than 0.`);
    }
    const child = at(t, 'familyConfiguration.maximumChildAge');
    const owner = at(t, 'familyConfiguration.minimumOwnerAge');
    if (typeof child === 'number' && typeof owner === 'number' && child >= owner) {
      e.field('tenant.familyConfiguration.minimumOwnerAge', '[tooSmall]', 'minimumOwnerAge must be greater than maximumChildAge.');
    }
  }

  // JWT TTLs (reference §4.4 jwtConfiguration).
  for (const f of ['timeToLiveInSeconds', 'refreshTokenTimeToLiveInMinutes']) {
    const v = at(t, `jwtConfiguration.${f}`);
    if (typeof v === 'number' && v <= 0) e.field(`tenant.jwtConfiguration.${f}`, '[tooSmall]', `${f} must be greater than 0.`);
  }

  // [DEC-TENANT] validate: with the SlidingWindowWithMaximumLifetime expiration policy,
  // `ensure(refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes >= refreshTokenTimeToLiveInMinutes,
  // "tenant.jwtConfiguration.refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes", "[tooSmall]")`; with the
  // OneTimeUse usage policy, `refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds` `>= 0` ("[tooSmall]") and
  // `<= 86400` ("[tooLarge]") (reference §4.4 jwtConfiguration: 0..86400).
  if (at(t, 'jwtConfiguration.refreshTokenExpirationPolicy') === 'SlidingWindowWithMaximumLifetime') {
    const max = at(t, 'jwtConfiguration.refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes');
    const ttl = at(t, 'jwtConfiguration.refreshTokenTimeToLiveInMinutes');
    if (typeof max === 'number' && typeof ttl === 'number' && max < ttl) {
      e.field('tenant.jwtConfiguration.refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes', '[tooSmall]', 'maximumTimeToLiveInMinutes must be at least refreshTokenTimeToLiveInMinutes.');
    }
  }
  if (at(t, 'jwtConfiguration.refreshTokenUsagePolicy') === 'OneTimeUse') {
    const grace = at(t, 'jwtConfiguration.refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds');
    const field = 'tenant.jwtConfiguration.refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds';
    if (typeof grace === 'number' && grace < 0) e.field(field, '[tooSmall]', 'gracePeriodInSeconds must be at least 0.');
    else if (typeof grace === 'number' && grace > 86400) e.field(field, '[tooLarge]', 'gracePeriodInSeconds must be at most 86400.');
  }

  // Multi-factor (reference §4.4 multiFactorConfiguration, §4.5).
  for (const m of ['email', 'sms', 'voice']) {
    if (at(t, `multiFactorConfiguration.${m}.enabled`) !== true) continue;
    if (unlicensed) e.field(`tenant.multiFactorConfiguration.${m}.enabled`, '[notLicensed]', `${m} multi-factor authentication requires a paid FusionAuth license.`);
    if (m !== 'email' && at(t, `multiFactorConfiguration.${m}.messengerId`) === undefined) {
      e.field(`tenant.multiFactorConfiguration.${m}.messengerId`, '[missing]', `${m} multi-factor authentication needs a messenger.`);
    }
    if (at(t, `multiFactorConfiguration.${m}.templateId`) === undefined) {
      e.field(`tenant.multiFactorConfiguration.${m}.templateId`, '[missing]', `${m} multi-factor authentication needs a template.`);
    }
  }
  const loginPolicy = at(t, 'multiFactorConfiguration.loginPolicy');
  // [DEC-TENANT] validate: `ifTrue(MFATools.loginPolicyEnabled(loginPolicy), ensure(authenticator || email || sms ||
  // voice enabled, "tenant.multiFactorConfiguration.loginPolicy", "[invalid]"))`, where loginPolicyEnabled is
  // "not null and not Disabled" (reference §4.4 multiFactorConfiguration rules).
  const anyMethod = ['authenticator', 'email', 'sms', 'voice'].some((m) => at(t, `multiFactorConfiguration.${m}.enabled`) === true);
  if (typeof loginPolicy === 'string' && loginPolicy !== 'Disabled' && !anyMethod) {
    e.field('tenant.multiFactorConfiguration.loginPolicy', '[invalid]', `The ${loginPolicy} login policy needs at least one enabled multi-factor method.`);
  }
  if (typeof loginPolicy === 'string' && RISK_POLICIES.includes(loginPolicy) && unlicensed) {
    e.field('tenant.multiFactorConfiguration.loginPolicy', '[notLicensedFor]', `The ${loginPolicy} login policy requires a license with threat detection.`);
  }
  if (at(t, 'clientRiskConfiguration.enabled') === true && unlicensed) {
    e.field('tenant.clientRiskConfiguration.enabled', '[notLicensedFor]', 'Client risk configuration requires a license with threat detection.');
  }
  if (at(t, 'passwordValidationRules.breachDetection.enabled') === true && unlicensed) {
    e.field('tenant.passwordValidationRules.breachDetection.enabled', '[notLicensed]', 'Breached password detection requires a paid FusionAuth license.');
  }
  if (at(t, 'usernameConfiguration.unique.enabled') === true && unlicensed) {
    e.field('tenant.usernameConfiguration.unique.enabled', '[notLicensed]', 'Unique usernames require a paid FusionAuth license.');
  }
  const digits = at(t, 'usernameConfiguration.unique.numberOfDigits');
  if (typeof digits === 'number' && digits !== 0 && (digits < 3 || digits > 10)) {
    e.field('tenant.usernameConfiguration.unique.numberOfDigits', '[invalid]', 'numberOfDigits must be between 3 and 10.');
  }
  const trust = at(t, 'ssoConfiguration.deviceTrustTimeToLiveInSeconds');
  if (typeof trust === 'number' && trust <= 0) e.field('tenant.ssoConfiguration.deviceTrustTimeToLiveInSeconds', '[invalid]', 'deviceTrustTimeToLiveInSeconds must be greater than 0.');

  // webhookIds (request sibling of `tenant`): each must be an existing webhook.
  const webhookIds = w.body.webhookIds;
  if (Array.isArray(webhookIds)) {
    webhookIds.forEach((id, i) => {
      if (!webhookExists(w.state, id)) e.fieldWithCode(`webhookIds[${i}]`, '[invalid]webhookIds', `The webhook [${String(id)}] does not exist.`);
    });
  }
}

/** Server-managed values on store ([DEC-TENANT] `_create`/`_update`/`setDefaults`, reference §4.2). */
function stamp(w: Write, out: JsonObject): void {
  const { existing } = w;
  out.configured = existing ? (existing.configured as boolean) : true;
  out.state = existing ? (existing.state as string) : 'Active';
  const policy = at(out, 'userDeletePolicy.unverified');
  if (isObject(policy)) {
    if (policy.enabled === true) {
      const prev = at(existing, 'userDeletePolicy.unverified.enabledInstant');
      policy.enabledInstant = existing && at(existing, 'userDeletePolicy.unverified.enabled') === true && typeof prev === 'number' ? prev : (out.lastUpdateInstant as number);
    } else {
      delete policy.enabledInstant;
    }
  }
}

/** Tenant search ([SITE:docs/apis/tenants/search-for-tenants.mdx], reference §1.8). */
function search(req: EmulatorRequest, state: EmulatorState): Reply {
  // Tenant search is a global-key endpoint that rejects a tenant header (reference §1.1).
  if (req.tenantHeader) return { status: 401 };
  const crit: Record<string, unknown> = req.method === 'POST' ? (isObject(req.body) && isObject(req.body.search) ? req.body.search : {}) : Object.fromEntries(req.query);
  const name = typeof crit.name === 'string' && crit.name !== '' ? crit.name : undefined;
  const rows = Number(crit.numberOfResults ?? 25);
  const start = Number(crit.startRow ?? 0);
  const [field = 'name', dir = 'ASC'] = String(crit.orderBy ?? 'name ASC').trim().split(/\s+/);
  let list = state.store.list(col('tenant'));
  if (name) {
    const pattern = name.includes('*') ? name : `*${name}*`;
    const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
    list = list.filter((t) => typeof t.name === 'string' && re.test(t.name));
  }
  const key = ['id', 'insertInstant', 'name'].includes(field) ? field : 'name';
  list = [...list].sort((a, b) => {
    const x = a[key] as string | number, y = b[key] as string | number;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return dir.toUpperCase() === 'DESC' ? -c : c;
  });
  const page = list.slice(start, start + rows).map((t) => {
    // Search results omit the SMTP password (reference §1.8, §11.2).
    const c = copy(t);
    if (isObject(c.emailConfiguration)) delete c.emailConfiguration.password;
    return c;
  });
  return searchReply('tenants', page, list.length);
}

/** The tenant kind (reference §4). */
export const tenant: KindSpec = {
  kind: 'tenant',
  scope: 'global',
  serverOwned: SERVER_OWNED,
  lists: LISTS,
  name: { unique: 'global' },
  // Left unchecked: the user action, IP access control list and entity type ids — the emulator serves none of those
  // kinds and would refuse every id (a fresh FusionAuth has none either, but files written for a live server name them).
  refs: {
    unchecked: [
      'failedAuthenticationConfiguration.userActionId', 'accessControlConfiguration.uiIPAccessControlListId',
      'scimServerConfiguration.clientEntityTypeId', 'scimServerConfiguration.serverEntityTypeId',
    ],
  },
  fill: fillTenant,
  // [DEC-TENANT] validateGet: a tenant-scoped request (X-FusionAuth-TenantId) sees only its own tenant (→ 404).
  visible: (c, obj) => c.scope === undefined || c.scope === obj.id,
  guardList: (c) => {
    const scope = tenantScope(c.state, c.req);
    if ('reply' in scope) return scope.reply;
    // [DEC-TENANT] validateGet: retrieving all tenants within a tenant scope → general error [restricted].
    return scope.tenantId ? new Errors().general('[restricted]', 'A request scoped to a tenant cannot retrieve all tenants.').reply() : undefined;
  },
  // Copy (1.14+): the source tenant with a new name ([DEC-TENANT] validateCopy: name, id and source only).
  copy: {
    field: 'sourceTenantId',
    validate: 'name',
    build: (c, e) => {
      if (!c.source) e.field('sourceTenantId', '[invalid]', `The tenant [${String(c.body.sourceTenantId)}] does not exist.`);
      const out = c.source ? without(copy(c.source), SERVER_OWNED) : {};
      const name = isObject(c.body.tenant) ? c.body.tenant.name : undefined;
      if (name === undefined) delete out.name;
      else out.name = name;
      return out;
    },
  },
  validate,
  stamp,
  // [DEC-TENANT] _create/_update: the tenant's webhook associations become the request's webhookIds — none when the
  // request has none, on PUT and PATCH alike (fusionauth-issues #2411, #2413).
  afterStore: (w, stored) => {
    const ids = Array.isArray(w.body.webhookIds) ? w.body.webhookIds.filter((id): id is string => typeof id === 'string') : [];
    tenantAssociations(w.state, String(stored.id), ids);
  },
  // [DEC-TENANT] validateDelete: the tenant holding the FusionAuth app → [fusionAuth]tenantId; the tenant the request
  // is scoped to → [restricted]tenantId.
  guardDelete: (c, id) => {
    const scope = tenantScope(c.state, c.req);
    if ('reply' in scope) return scope.reply;
    const e = new Errors();
    if (id === c.state.defaultTenantId) e.field('tenantId', '[fusionAuth]', 'The Default tenant holds the FusionAuth application and cannot be deleted.');
    if (scope.tenantId === id) e.field('tenantId', '[restricted]', 'A request scoped to a tenant cannot delete that tenant.');
    return e.empty ? undefined : e.reply();
  },
  // Async: `?async=true` or body `{"async": true}` → 202 and state PendingDelete; the tenant (and its applications)
  // disappear `asyncDeleteMs` later, checked before each request and by a timer ([SITE:delete-a-tenant.mdx], [LATTE] #21).
  remove: (c, obj) => {
    if (c.req.query.get('async') !== 'true' && c.body.async !== true) return undefined;
    c.state.store.put(col('tenant'), { ...obj, state: 'PendingDelete' });
    c.state.pendingDeletes.set(String(obj.id), { kind: 'tenant', due: c.state.now() + c.state.asyncDeleteMs });
    return { status: 202 };
  },
  // The Default tenant of a fresh instance, with the configured id (reference §4.6).
  boot: (state, b) => {
    const t = state.now();
    state.store.put(col('tenant'), { ...b.tenant, id: state.defaultTenantId, insertInstant: t, lastUpdateInstant: t, configured: true, state: 'Active' });
  },
  routes: [
    { method: 'GET', path: '/api/tenant/search', handle: search },
    { method: 'POST', path: '/api/tenant/search', handle: search },
  ],
};
