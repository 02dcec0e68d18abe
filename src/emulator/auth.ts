/**
 * API key authentication, as FusionAuth does it for every API request ([SITE:docs/apis/authentication.mdx]): the
 * `Authorization` header names a stored API key object (raw, or HTTP Basic `apikey:<key>` where an endpoint allows
 * it); a key that does not exist or has expired, or lacks the permission for the endpoint and method, gets 401 with an
 * empty body (reference §1.1, §1.5). The emulator's own bootstrap key is one such object (kinds/apiKey.ts), a super key
 * and key manager, so nothing here knows it.
 */
import type { JsonObject } from '../core/types.js';
import { WIRE } from '../fusionauth/wire.js';
import { col, type EmulatorState } from './state.js';
import { isObject, sameId } from './values.js';

/**
 * The endpoints only a global API key may call: a key locked to a tenant (or a request with `X-FusionAuth-TenantId`,
 * which the handlers refuse themselves where FusionAuth does) gets 401. The rows of FusionAuth's endpoint list with
 * `apiKeyType: "global"` ([SITE:json/generated/api-endpoints.json], "Global API Key Authentication";
 * FusionAuth/fusionauth-issues#3452).
 */
const GLOBAL_ONLY: ReadonlySet<string> = new Set([
  '/api/connector', '/api/consent/search', '/api/email/template', '/api/email/template/preview', '/api/email/template/search',
  '/api/entity/type', '/api/entity/type/search', '/api/form', '/api/form/field', '/api/integration', '/api/ip-acl',
  '/api/ip-acl/search', '/api/key', '/api/key/generate', '/api/key/import', '/api/key/search', '/api/lambda', '/api/lambda/search',
  '/api/logger', '/api/message/template', '/api/message/template/preview', '/api/messenger', '/api/prometheus/metrics',
  '/api/reactor', '/api/reactor/metrics', '/api/report/daily-active-user', '/api/report/monthly-active-user',
  '/api/report/registration', '/api/report/totals', '/api/status', '/api/system-configuration', '/api/system/event-log',
  '/api/system/event-log/search', '/api/system/log/export', '/api/system/login-record/export', '/api/system/login-record/search',
  '/api/system/reindex', '/api/tenant-manager', '/api/tenant-manager/identity-provider', '/api/tenant/search', '/api/theme',
  '/api/theme/search', '/api/user-action', '/api/user-action-reason', '/api/user/recent-login',
]);

/**
 * The permission endpoint of a route: its path without the parameter segments. FusionAuth names endpoints without ids
 * (`/api/application/role` for `/api/application/{id}/role/{roleId}`: [SITE:json/generated/api-endpoints.json]).
 */
export function endpointOf(routePath: string): string {
  return `/${routePath.split('/').filter((s) => s !== '' && !s.startsWith(':')).join('/')}`;
}

/** The key value an `Authorization` header carries: raw, or (where allowed) HTTP Basic with the user `apikey`. */
function keyValue(header: string | undefined, basic: boolean): string | undefined {
  if (header === undefined || header === '') return undefined;
  if (basic && header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    return decoded.startsWith('apikey:') ? decoded.slice('apikey:'.length) : undefined;
  }
  return header;
}

/**
 * The stored API key the header names, when it exists and has not expired ("Using an expired API key for API
 * Authentication will result in a 401 response code", [SITE:docs/apis/api-keys/_apikey-get-response-body.mdx]).
 */
export function authenticate(state: EmulatorState, header: string | undefined, basic: boolean): JsonObject | undefined {
  const value = keyValue(header, basic);
  if (value === undefined || !state.kinds.includes('apiKey')) return undefined;
  for (const key of state.store.collection(col('apiKey')).values()) {
    if (key.key !== value) continue;
    const expires = key.expirationInstant;
    if (typeof expires === 'number' && expires <= state.now()) return undefined;
    return key;
  }
  return undefined;
}

/**
 * Whether a key's endpoint permissions allow a method on an endpoint: none at all make a super key ("If you do not
 * grant any endpoint permissions to an API key, the key has access to all endpoints", [SITE:docs/apis/authentication.mdx]).
 */
export function permits(key: JsonObject, endpoint: string, method: string): boolean {
  const permissions = key.permissions;
  const endpoints = isObject(permissions) ? permissions.endpoints : undefined;
  if (!isObject(endpoints) || Object.keys(endpoints).length === 0) return true;
  const methods = endpoints[endpoint];
  return Array.isArray(methods) && methods.includes(method);
}

/** What authorising a request decided: refused, or allowed with the tenant a tenant-locked key scopes it to. */
export type Authorization = { ok: false } | { ok: true; tenantId?: string };

/**
 * Authorise an authenticated key for a request. The API key API answers only key managers, whatever their endpoint
 * permissions ([SITE:docs/apis/api-keys/index.mdx]; FusionAuth drops `/api/api-key` from a key's permissions:
 * APIKey.normalize in fusionauth-java-client). A key locked to a tenant may not call global-only endpoints, nor name
 * another tenant in `X-FusionAuth-TenantId`; it scopes every other request to its tenant, as the header would
 * ([SITE:docs/apis/_tenant-authentication.mdx] "Using an API key").
 */
export function authorize(key: JsonObject, routePath: string, method: string, tenantHeader: string | undefined): Authorization {
  const endpoint = endpointOf(routePath);
  if (endpoint === WIRE.apiKey.path) {
    if (key.keyManager !== true) return { ok: false };
  } else if (!permits(key, endpoint, method)) {
    return { ok: false };
  }
  const tenantId = key.tenantId;
  if (typeof tenantId !== 'string') return { ok: true };
  if (GLOBAL_ONLY.has(endpoint)) return { ok: false };
  if (tenantHeader !== undefined && tenantHeader !== '' && !sameId(tenantHeader, tenantId)) return { ok: false };
  return { ok: true, tenantId: tenantId.toLowerCase() };
}
