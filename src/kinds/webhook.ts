/**
 * Webhooks: `/api/webhook[/{id}]` (reference §7, [SITE:docs/apis/webhooks.mdx]; a plain REST collection with PATCH).
 *
 * Rules and their sources (the decompiled `DefaultWebhookService.validate`, the request body docs
 * `_webhook-request-body.mdx`, the OpenAPI `Webhook` schema):
 * - `url` (absolute http or https), `connectTimeout` and `readTimeout` (milliseconds, > 0) are required;
 * - a webhook is sent for every tenant (`global: true`, then `tenantIds` must be empty) or for the tenants in
 *   `tenantIds` (1.37.0). This is how kickstand attaches a webhook to a tenant: the tenant API's `webhookIds` (a sibling
 *   of `tenant` in its requests, never returned by its GETs) is never written by kickstand, and every tenant update it
 *   sends repeats the webhooks attached to the tenant so that FusionAuth does not detach them (src/kinds/tenant.ts);
 * - `httpAuthenticationPassword` and the header values (bearer tokens, API keys) come back in clear (reference §11.2,
 *   §11.4): secrets, masked everywhere;
 * - signing (`signatureConfiguration`, 1.48.0) needs a `signingKeyId`; `sslCertificateKeyId` (1.48.0) replaces the
 *   deprecated `sslCertificate` and both may not be sent;
 * - `eventsEnabled` keys are FusionAuth's event names (`EventType`); an unknown one cannot be bound by the server.
 */
import type { RuleViolation } from '../core/kind.js';
import type { JsonObject } from '../core/types.js';
import { getPath } from '../core/kind.js';
import { WEBHOOK_EVENT_TYPES, WIRE } from '../fusionauth/wire.js';
import { restCollection } from './api.js';
import { defineKind } from './define.js';


const present = (v: unknown): boolean => v !== undefined && v !== null;
const isHttpUrl = (v: unknown): boolean => {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
};

function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (present(body.url) && !isHttpUrl(body.url)) out.push({ path: 'url', message: 'must be an absolute http or https URL' });
  for (const f of ['connectTimeout', 'readTimeout']) {
    const v = body[f];
    if (typeof v === 'number' && v <= 0) out.push({ path: f, message: 'must be greater than 0 (milliseconds)' });
  }
  if (body.global === true && Array.isArray(body.tenantIds) && body.tenantIds.length > 0) {
    out.push({ path: 'tenantIds', message: 'a global webhook is sent for every tenant: remove tenantIds, or set global: false to send it for these tenants only' });
  }
  for (const f of ['description', 'httpAuthenticationUsername', 'httpAuthenticationPassword']) {
    if (typeof body[f] === 'string' && (body[f] as string).length > 255) out.push({ path: f, message: 'must be at most 255 characters' });
  }
  if (getPath(body, 'signatureConfiguration.enabled') === true && !present(getPath(body, 'signatureConfiguration.signingKeyId'))) {
    out.push({ path: 'signatureConfiguration.signingKeyId', message: 'signed webhooks (signatureConfiguration.enabled) need signingKeyId: a key that can sign' });
  }
  if (present(body.sslCertificate) && present(body.sslCertificateKeyId)) {
    out.push({ path: 'sslCertificate', message: 'write sslCertificateKeyId (a key holding the certificate) or the deprecated sslCertificate, not both' });
  }
  const events = body.eventsEnabled;
  if (events && typeof events === 'object' && !Array.isArray(events)) {
    for (const name of Object.keys(events)) {
      // The event names hold dots, so the path names the map and the message the event.
      if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(name)) out.push({ path: 'eventsEnabled', message: `unknown event "${name}": FusionAuth's event names are like user.create, user.login.success, jwt.refresh (${WEBHOOK_EVENT_TYPES.length} in all, listed in its webhook events documentation)` });
    }
  }
  return out;
}

/** The webhook kind. */
export const webhook = defineKind({
  name: 'webhook',
  section: 'webhooks',
  title: 'webhook',
  wire: WIRE.webhook,
  api: restCollection(WIRE.webhook),
  // `tenantIds` are association rows: their order carries no meaning.
  setFields: ['tenantIds'],
  secretFields: ['httpAuthenticationPassword', 'headers.*'],
  features: [
    { path: 'tenantIds', since: '1.37.0' },
    { path: 'signatureConfiguration', since: '1.48.0' },
    { path: 'sslCertificateKeyId', since: '1.48.0' },
  ],
  // A webhook has no name; its description is what the admin UI lists, and what an entry is adopted by.
  nameField: 'description',
  validate,
  examples: 'webhooks',
  openapi: {
    schema: 'Webhook',
    entry: 'Webhook',
    required: ['url', 'connectTimeout', 'readTimeout'],
    description: 'Webhooks: where FusionAuth sends events, for every tenant (global) or for the tenants in tenantIds.',
  },
});
