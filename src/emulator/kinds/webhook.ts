/**
 * Webhooks: `/api/webhook[/{id}]`, `GET|POST /api/webhook/search` (reference §7, [SITE:docs/apis/webhooks.mdx]).
 * Validation follows FusionAuth's decompiled `DefaultWebhookService.validate` and `KeyValidator` ("[DEC-WEBHOOK]");
 * defaults are the server domain class `io.fusionauth.domain.Webhook`'s initialisers.
 *
 * `tenantIds` is a view of the `webhooks_tenants` association table, which the tenant API writes too: a tenant create
 * or update replaces the tenant's rows with the request's `webhookIds` (`TenantRequest.webhookIds`, a sibling of
 * `tenant`, never returned by tenant GETs) — none when absent ([DEC-TENANT] `_update`: deleteAssociationsByTenantId,
 * then createAssociationsToWebhooks(webhookIds); fusionauth-issues #2411, #2413). `tenantAssociations` below is that
 * half, called by the tenant kind.
 */
import type { JsonObject } from '../../core/types.js';
import { WEBHOOK_EVENT_TYPES } from '../../fusionauth/wire.js';
import { page as searchReply, type KindSpec, type Write } from '../crud.js';
import type { Errors } from '../errors.js';
import type { EmulatorRequest, Reply } from '../http.js';
import { col, type EmulatorState } from '../state.js';
import { mergeOver, stripNulls } from '../defaults/merge.js';
import { at, isAbsoluteHttpUrl, isObject, sameId } from '../values.js';
import { isShadowKey, keyUse, searchPage } from './key.js';


/** The server's `Webhook` initialisers: empty maps and list, not global, signing off. */
function webhookDefaults(): JsonObject {
  return { data: {}, eventsEnabled: {}, global: false, headers: {}, signatureConfiguration: { enabled: false }, tenantIds: [] };
}

/** The keys of an `eventsEnabled` map that name no `EventType`. */
const unknownEvents = (m: JsonObject): string[] => Object.keys(m).filter((n) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(n));

const tooLong = (v: unknown, max: number): boolean => typeof v === 'string' && v.length > max;

function validate(w: Write, e: Errors): void {
  const h = w.obj;
  // [DEC-WEBHOOK] validate, in its order.
  if (h.url === undefined || h.url === null) e.field('webhook.url', '[missing]', 'The URL is required.');
  else if (!isAbsoluteHttpUrl(h.url)) e.field('webhook.url', '[invalid]', `The URL [${String(h.url)}] must be an absolute http or https URL.`);
  // `ifTrue(global, empty(tenantIds, "webhook.tenantIds"))`; the code of `empty` is inferred from the validator's naming.
  if (h.global === true && Array.isArray(h.tenantIds) && h.tenantIds.length > 0) e.field('webhook.tenantIds', '[notEmpty]', 'A global webhook is sent for every tenant: it takes no tenantIds.');
  for (const [f, max] of [['description', 255], ['httpAuthenticationPassword', 255], ['httpAuthenticationUsername', 255]] as const) {
    if (tooLong(h[f], max)) e.field(`webhook.${f}`, '[tooLong]', `${f} must be at most ${max} characters.`);
  }
  for (const f of ['readTimeout', 'connectTimeout']) {
    const v = h[f];
    if (v === undefined || v === null) e.field(`webhook.${f}`, '[missing]', `${f} (milliseconds) is required.`);
    else if (typeof v !== 'number' || v <= 0) e.field(`webhook.${f}`, '[invalid]', `${f} must be greater than 0.`);
  }
  if (JSON.stringify(h.headers ?? {}).length > 32768) e.field('webhook.headers', '[tooLong]', 'The headers must be at most 32768 characters of JSON.');
  if (h.sslCertificate !== undefined && h.sslCertificateKeyId !== undefined) e.field('webhook.sslCertificate', '[notMissing]', 'Send sslCertificate or sslCertificateKeyId, not both.');
  if (tooLong(h.sslCertificate, 32768)) e.field('webhook.sslCertificate', '[tooLong]', 'The certificate must be at most 32768 characters.');
  // KeyValidator.validateCertificate: the key (its existence is refs.ts's [invalid]) must hold a certificate.
  const sslKey = typeof h.sslCertificateKeyId === 'string' ? w.state.store.get(col('key'), h.sslCertificateKeyId) : undefined;
  if (sslKey && !(sslKey.certificate !== undefined && sslKey.certificateInformation !== undefined)) {
    e.field('webhook.sslCertificateKeyId', '[noCertificate]', `The key [${String(h.sslCertificateKeyId)}] has no certificate.`);
  }
  const signingKeyId = at(h, 'signatureConfiguration.signingKeyId');
  if (at(h, 'signatureConfiguration.enabled') === true && (signingKeyId === undefined || signingKeyId === null)) {
    e.field('webhook.signatureConfiguration.signingKeyId', '[missing]', 'Signing needs a signing key.');
  }
  // KeyValidator.validateSigningKeyForWebhook: the key must be able to sign, and not be a shadow key.
  const signingKey = typeof signingKeyId === 'string' ? w.state.store.get(col('key'), signingKeyId) : undefined;
  if (signingKey) {
    if (keyUse(signingKey) === 'VerifyOnly') e.field('webhook.signatureConfiguration.signingKeyId', '[cannotSign]', `The key [${signingKeyId as string}] cannot sign.`);
    else if (isShadowKey(signingKeyId)) e.field('webhook.signatureConfiguration.signingKeyId', '[onlyIdToken]', 'The OpenID Connect shadow keys only sign id tokens.');
  }
}

/** `GET|POST /api/webhook/search` (criteria `description`, `tenantId`, `url`: [OAS] WebhookSearchCriteria). */
function search(req: EmulatorRequest, state: EmulatorState): Reply {
  const { page, total } = searchPage(req, state.store.list(col('webhook')), {
    wildcards: ['description', 'url'],
    exact: [{ criterion: 'tenantId', field: 'tenantIds' }],
    orderBy: 'url',
    sortable: ['description', 'id', 'insertInstant', 'url'],
  });
  return searchReply('webhooks', page, total);
}

/**
 * The tenant API's half of the association ([DEC-TENANT] `_create`/`_update`): the tenant's rows become exactly the
 * webhooks listed (none when the request has no `webhookIds`). Global webhooks keep their flag; like the server, the
 * rows are written whatever the flag.
 */
export function tenantAssociations(state: EmulatorState, tenantId: string, webhookIds: readonly string[]): void {
  for (const hook of state.store.list(col('webhook'))) {
    const ids = Array.isArray(hook.tenantIds) ? hook.tenantIds.filter((t) => !sameId(t, tenantId)) : [];
    if (webhookIds.some((id) => sameId(hook.id, id))) ids.push(tenantId);
    if (ids.length !== (Array.isArray(hook.tenantIds) ? hook.tenantIds.length : 0) || webhookIds.some((id) => sameId(hook.id, id))) {
      state.store.put(col('webhook'), { ...hook, tenantIds: ids });
    }
  }
}

/** Whether a webhook with this id exists (a tenant request's `webhookIds` must name existing webhooks). */
export const webhookExists = (state: EmulatorState, id: unknown): boolean => typeof id === 'string' && state.store.get(col('webhook'), id) !== undefined;

/** The webhook kind. */
export const webhook: KindSpec = {
  kind: 'webhook',
  scope: 'global',
  serverOwned: ['id', 'insertInstant', 'lastUpdateInstant'],
  // Jackson binds eventsEnabled to `Map<EventType, Boolean>`: a key that names no event cannot be converted, and the
  // request fails before validation with `[invalidJSON]` at webhook.eventsEnabled — terraform-provider-fusionauth #105
  // (2021, a live server): "Invalid JSON in the request body. The property was [webhook.eventsEnabled]. The error was
  // [Possible conversion error]…", the wording of errors.ts `invalidJson`.
  bind: [{
    path: 'eventsEnabled',
    accepts: (v) => !isObject(v) || unknownEvents(v).length === 0,
    expected: 'event types as keys',
    detail: (v) => `Cannot deserialize Map key of type \`io.fusionauth.domain.event.EventType\` from String "${isObject(v) ? (unknownEvents(v)[0] ?? '') : ''}": not one of the values accepted for Enum class`,
  }],
  // Java Set semantics do not apply: tenantIds is a List (the original PATCH appends to it).
  fill: (body) => stripNulls(mergeOver(webhookDefaults(), body)),
  validate,
  routes: [
    { method: 'GET', path: '/api/webhook/search', handle: search },
    { method: 'POST', path: '/api/webhook/search', handle: search },
  ],
};
