/**
 * Tenants. Reference §4: a tenant GET holds hundreds of server defaults (only written paths are compared);
 * phone identity verification arrived in 1.59; `Gated` with verification on needs a license; `FormField` with
 * verification needs `Gated`; every TTL must be positive. The Default tenant (the one holding the FusionAuth
 * admin application) can never be deleted.
 */
import { getPath, type RuleViolation } from '../core/kind.js';
import type { Change, Json, JsonObject } from '../core/types.js';
import { ApiError } from '../fusionauth/errors.js';
import type { ApiClient, ApiRequest } from '../fusionauth/types.js';
import { FUSIONAUTH_APP_ID, FUSIONAUTH_CONNECTOR_ID, TENANT_PHONE_TEMPLATE_FIELDS, WIRE } from '../fusionauth/wire.js';
import { listItems, restCollection } from './api.js';
import { defineKind } from './define.js';


/** The phone verification settings that decide gating, with the server's defaults filled in. */
function phone(body: JsonObject) {
  const p = (body.phoneConfiguration ?? {}) as JsonObject;
  return {
    verify: p.verifyPhoneNumber === true,
    strategy: (p.verificationStrategy ?? 'ClickableLink') as string,
    behavior: (getPath(p, 'unverified.behavior') ?? 'Allow') as string,
    messengerId: p.messengerId,
    templateSet: TENANT_PHONE_TEMPLATE_FIELDS.some((f) => p[f] !== undefined && p[f] !== null),
    verificationTemplateId: p.verificationTemplateId,
  };
}

function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  // TenantRequest.webhookIds is a sibling of `tenant` that tenant GETs never return (reference §11.4): written in the
  // tenant it would be ignored and show as a change on every plan.
  if (body.webhookIds !== undefined) {
    out.push({ path: 'webhookIds', message: 'webhookIds is not a tenant field (FusionAuth takes it beside the tenant and never returns it); attach a webhook to this tenant with the webhook\'s tenantIds (webhooks[].tenantIds: [<this tenant\'s key>])' });
  }
  if (body.phoneConfiguration !== undefined && body.phoneConfiguration !== null) {
    const p = phone(body);
    if ((p.verify || p.templateSet) && (p.messengerId === undefined || p.messengerId === null)) {
      out.push({
        path: 'phoneConfiguration.messengerId',
        message: p.verify
          ? 'phone verification (verifyPhoneNumber: true) needs a messenger to send the message'
          : 'a phone message template is set, so a messenger is needed to send it',
      });
    }
    if (p.verify && (p.verificationTemplateId === undefined || p.verificationTemplateId === null)) {
      out.push({ path: 'phoneConfiguration.verificationTemplateId', message: 'phone verification (verifyPhoneNumber: true) needs verificationTemplateId' });
    }
    if (p.verify && p.strategy === 'FormField' && p.behavior !== 'Gated') {
      out.push({ path: 'phoneConfiguration.unverified.behavior', message: "verificationStrategy FormField needs unverified.behavior Gated (FusionAuth rejects FormField with Allow)" });
    }
  }
  // Rules of the server's tenant validator ([DEC-TENANT] validate) that the file alone decides, as in the emulator:
  // a non-empty connectorPolicies list must hold the FusionAuth connector (an empty one gets it from the server);
  // with OneTimeUse refresh tokens the grace period is 0..86400 seconds.
  const policies = body.connectorPolicies;
  const isFusionAuth = (p: unknown): boolean => String(getPath(p, 'connectorId') ?? '').toLowerCase() === FUSIONAUTH_CONNECTOR_ID;
  if (Array.isArray(policies) && policies.length > 0 && !policies.some(isFusionAuth)) {
    out.push({ path: 'connectorPolicies', message: `must include the FusionAuth connector (${FUSIONAUTH_CONNECTOR_ID}); FusionAuth rejects a list without it` });
  }
  const grace = getPath(body, 'jwtConfiguration.refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds');
  if (getPath(body, 'jwtConfiguration.refreshTokenUsagePolicy') === 'OneTimeUse' && typeof grace === 'number' && (grace < 0 || grace > 86400)) {
    out.push({ path: 'jwtConfiguration.refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds', message: 'must be between 0 and 86400 seconds with refreshTokenUsagePolicy OneTimeUse' });
  }
  const eic = body.externalIdentifierConfiguration;
  if (eic && typeof eic === 'object' && !Array.isArray(eic)) {
    for (const [k, v] of Object.entries(eic)) {
      if (!k.endsWith('TimeToLiveInSeconds') || typeof v !== 'number') continue;
      if (v <= 0) out.push({ path: `externalIdentifierConfiguration.${k}`, message: 'must be greater than 0 seconds' });
      else if (k === 'authorizationGrantIdTimeToLiveInSeconds' && v > 600) {
        out.push({ path: `externalIdentifierConfiguration.${k}`, message: 'must be at most 600 seconds' });
      }
    }
  }
  return out;
}

function licenseRules(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (body.phoneConfiguration !== undefined) {
    const p = phone(body);
    if (p.verify && p.behavior === 'Gated') {
      out.push({ path: 'phoneConfiguration.unverified.behavior', message: 'Gated with phone verification on needs a FusionAuth license; this server is unlicensed' });
    }
  }
  if (getPath(body, 'emailConfiguration.verifyEmail') === true && getPath(body, 'emailConfiguration.unverified.behavior') === 'Gated') {
    out.push({ path: 'emailConfiguration.unverified.behavior', message: 'Gated with email verification on needs a FusionAuth license; this server is unlicensed' });
  }
  for (const m of ['email', 'sms', 'voice']) {
    if (getPath(body, `multiFactorConfiguration.${m}.enabled`) === true) {
      out.push({ path: `multiFactorConfiguration.${m}.enabled`, message: `${m} multi-factor authentication needs a FusionAuth license; this server is unlicensed` });
    }
  }
  if (getPath(body, 'passwordValidationRules.breachDetection.enabled') === true) {
    out.push({ path: 'passwordValidationRules.breachDetection.enabled', message: 'breached password detection needs a FusionAuth license; this server is unlicensed' });
  }
  if (getPath(body, 'usernameConfiguration.unique.enabled') === true) {
    out.push({ path: 'usernameConfiguration.unique.enabled', message: 'unique usernames need a FusionAuth license; this server is unlicensed' });
  }
  return out;
}

/**
 * The `webhookIds` a tenant update must repeat: the webhooks attached to the tenant now. FusionAuth's tenant update
 * replaces the tenant's webhook associations with the request's `webhookIds` — none when the request has none, PATCH
 * included — and tenant GETs never show them (decompiled `DefaultTenantService._update`: deleteAssociationsByTenantId,
 * then createAssociationsToWebhooks; fusionauth-issues #2411, #2413; terraform-provider-fusionauth PR #287). Without
 * them every tenant update would silently detach the tenant's non-global webhooks. kickstand attaches webhooks from the
 * webhook side (`webhooks[].tenantIds`), so a new tenant has none to repeat.
 */
async function attachedWebhooks(client: ApiClient, c: Change): Promise<JsonObject> {
  if (c.action === 'create' || c.id === undefined) return {};
  const req: ApiRequest = { method: 'GET', path: WIRE.webhook.path! };
  let hooks: JsonObject[];
  try {
    hooks = listItems(WIRE.webhook, req, await client.request<Json>(req));
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    throw new ApiError(`reading the webhooks attached to tenant ${c.id} failed (${e.message}); kickstand must list them in the tenant update, or FusionAuth would detach them`, e.status, { method: e.method, path: e.path, cause: e });
  }
  const id = c.id.toLowerCase();
  const attached = hooks.filter((h) => Array.isArray(h.tenantIds) && h.tenantIds.some((t) => typeof t === 'string' && t.toLowerCase() === id));
  return { webhookIds: attached.map((h) => h.id as string) };
}

/** The tenant kind. */
export const tenant = defineKind({
  name: 'tenant',
  section: 'tenants',
  title: 'tenant',
  wire: WIRE.tenant,
  api: restCollection(WIRE.tenant, {
    envelopeExtras: { read: attachedWebhooks, requests: (c) => (c.action === 'create' ? [] : [{ method: 'GET', path: WIRE.webhook.path! }]) },
  }),
  serverFields: ['id', 'insertInstant', 'lastUpdateInstant', 'configured', 'state', 'userDeletePolicy.unverified.enabledInstant'],
  setFields: ['registrationConfiguration.blockedDomains'],
  // Reference §11.2: the SMTP password and the captcha secret come back in cleartext. SMTP headers
  // (`additionalHeaders[].value`) carry credentials too (API keys of mail relays); their names are not secret.
  secretFields: ['emailConfiguration.password', 'emailConfiguration.additionalHeaders.*.value', 'captchaConfiguration.secretKey'],
  features: [
    { path: 'phoneConfiguration', since: '1.59.0' },
    { path: 'externalIdentifierConfiguration.phoneVerificationIdTimeToLiveInSeconds', since: '1.59.0' },
    { path: 'externalIdentifierConfiguration.phoneVerificationIdGenerator', since: '1.59.0' },
    { path: 'externalIdentifierConfiguration.phoneVerificationOneTimeCodeGenerator', since: '1.59.0' },
    { path: 'externalIdentifierConfiguration.passwordlessLoginOneTimeCodeGenerator', since: '1.59.0' },
    { path: 'multiFactorConfiguration.voice', since: '1.65.0' },
    { path: 'phoneConfiguration.adminTwoFactorMethodRemoveTemplateId', since: '1.68.0' },
    { path: 'baseURL', since: '1.68.0' },
  ],
  // Reference §11.4: tenant names are unique ([duplicate]tenant.name).
  uniqueName: 'global',
  // The Default tenant is the tenant holding the FusionAuth admin application (reference §4.6); the tenant object itself
  // does not say so.
  designated: { kind: 'application', id: FUSIONAUTH_APP_ID, field: 'tenantId' },
  // Deleting the Default tenant fails with [fusionAuth]tenantId.
  isProtected: (live, ctx) => typeof live.id === 'string' && live.id.toLowerCase() === ctx.defaults.tenant?.toLowerCase(),
  validate,
  licenseRules,
  // Reference §4.1 "Delete semantics" ([DEC-TENANT] delete): a tenant's delete cascades; FusionAuth's client libraries
  // say of deleteTenant "permanently deletes all information, metrics, reports and data associated with the tenant and
  // everything under the tenant (applications, users, etc)". A tenant has no immutable field, so it is never replaced.
  consequences: {
    delete: 'FusionAuth deletes everything in the tenant with it: its users (with their registrations), groups, applications and their roles, ' +
      'tenant-scoped API keys, identity providers it owns, connector policies and webhook links. None of it can be restored.',
  },
  examples: 'tenants',
  openapi: { schema: 'Tenant', entry: 'Tenant', required: ['name'], description: 'Tenants.' },
});
