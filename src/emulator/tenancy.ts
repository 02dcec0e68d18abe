/**
 * The `X-FusionAuth-TenantId` header (reference §1.2): which tenant a request is scoped to, and which tenant a create
 * of a tenant-scoped object goes to.
 */
import { Errors, tenantIdRequired } from './errors.js';
import type { EmulatorRequest, Reply } from './http.js';
import { col, type EmulatorState } from './state.js';
import { isUuid } from './values.js';

/**
 * Resolve `X-FusionAuth-TenantId` for a tenant-scoped request. Absent → no scope. A value that is not the id of an
 * existing tenant is a validation error on `tenantId`: reference §1.2 ([SITE:docs/apis/_tenant-authentication.mdx])
 * says a wrong tenant id yields "a 404 status code, or some sort of validation error"; by-id requests for objects of
 * another (existing) tenant get 404 (crud.ts does that) and an unknown tenant `[invalid]tenantId`, the code
 * FusionAuth's validator gives any id that does not resolve to an object.
 */
export function tenantScope(state: EmulatorState, req: EmulatorRequest): { tenantId?: string } | { reply: Reply } {
  const h = req.tenantHeader;
  if (h === undefined || h === '') return {};
  if (!isUuid(h) || !state.store.get(col('tenant'), h)) {
    return { reply: new Errors().field('tenantId', '[invalid]', `The X-FusionAuth-TenantId header [${h}] does not identify an existing tenant.`).reply() };
  }
  return { tenantId: h.toLowerCase() };
}

/**
 * The tenant a create of a tenant-scoped object goes to: the header's, else the only tenant, else
 * `[TenantIdRequired]` once more than one tenant exists (reference §1.2).
 */
export function tenantForCreate(state: EmulatorState, req: EmulatorRequest): { tenantId: string } | { reply: Reply } {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope;
  if (scope.tenantId) return { tenantId: scope.tenantId };
  const tenants = state.store.list(col('tenant'));
  if (tenants.length === 1) return { tenantId: String(tenants[0]?.id) };
  return { reply: tenantIdRequired() };
}
