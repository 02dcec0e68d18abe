/**
 * Reading live state: one retrieve-all request per kind present (plus each kind's extra list queries, e.g. inactive
 * applications), `GET /api/system/version` and `GET /api/reactor`, all in parallel — never a per-resource GET, so a
 * plan costs the same number of requests for 10 or 1,000 objects.
 */
import type { ApiClient } from '../fusionauth/types.js';
import type { Json, JsonObject, KindName } from '../core/types.js';
import { kindByName } from '../kinds/index.js';
import { FUSIONAUTH_APP_ID } from '../kinds/tenant.js';
import { isJsonObject } from '../core/normalize.js';

/** What the server holds, as far as a plan needs it. */
export interface LiveState {
  /** `GET /api/system/version` → `version` (reference §1.10). */
  serverVersion: string;
  /** `GET /api/reactor` → `status.licensed`. */
  licensed: boolean;
  /** The tenant holding the FusionAuth admin application (the Default tenant, reference §4.6), when known. */
  defaultTenantId?: string;
  /** Live objects by kind (only the kinds asked for), deduplicated by id across list queries. */
  objects: Partial<Record<KindName, JsonObject[]>>;
}

/**
 * Fetch the live state for these kinds. The Default tenant's id comes from the FusionAuth admin application
 * (3c219e58-…, a fixed id on every instance, reference §1.3): taken from the application list when applications are
 * fetched anyway, otherwise — only when tenants are planned — from one GET of that one well-known application
 * (a constant cost, not per resource). Throws the client's errors (ApiError, ConnectionError).
 */
export async function fetchLiveState(client: ApiClient, kinds: KindName[]): Promise<LiveState> {
  const unique = [...new Set(kinds)];
  const version = client.request<JsonObject>({ method: 'GET', path: '/api/system/version' });
  const reactor = client.request<JsonObject>({ method: 'GET', path: '/api/reactor' });
  const lists = unique.map(async (name) => {
    const kind = kindByName(name);
    const pages = await Promise.all(kind.listQueries.map((query) =>
      client.request<JsonObject>({ method: 'GET', path: kind.apiPath, ...(Object.keys(query).length > 0 ? { query } : {}) })));
    const seen = new Set<string>();
    const objects: JsonObject[] = [];
    for (const page of pages) {
      const items = page.body?.[kind.plural];
      if (!Array.isArray(items)) continue;
      for (const item of items) {
        if (!isJsonObject(item)) continue;
        const id = typeof item.id === 'string' ? item.id.toLowerCase() : undefined;
        if (id !== undefined) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        objects.push(item);
      }
    }
    return [name, objects] as const;
  });
  const adminApp = unique.includes('tenant') && !unique.includes('application')
    ? client.request<JsonObject>({ method: 'GET', path: `/api/application/${FUSIONAUTH_APP_ID}` })
      // Without that application (an API key not allowed to read it) the Default tenant is unknown: planning still
      // works, only the protection of the Default tenant and the default tenant of applications are not available.
      .then((r) => (isJsonObject(r.body?.application) ? r.body.application : undefined), () => undefined)
    : Promise.resolve(undefined);

  const [v, re, fetched, app] = await Promise.all([version, reactor, Promise.all(lists), adminApp]);
  const objects: Partial<Record<KindName, JsonObject[]>> = {};
  for (const [name, list] of fetched) objects[name] = list;
  const admin = app ?? objects.application?.find((o) => typeof o.id === 'string' && o.id.toLowerCase() === FUSIONAUTH_APP_ID);
  const status: Json | undefined = re.body?.status;
  const state: LiveState = {
    serverVersion: typeof v.body?.version === 'string' ? v.body.version : '',
    licensed: isJsonObject(status) && status.licensed === true,
    objects,
  };
  if (admin && typeof admin.tenantId === 'string') state.defaultTenantId = admin.tenantId.toLowerCase();
  return state;
}
