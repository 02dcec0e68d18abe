/**
 * The user side's storage and shared lookups. Collections live in the emulator's store, so they are persisted to
 * the state file and cleared by a reset with everything else:
 * - `users`: user objects exactly as the User API returns them (no secrets in them);
 * - `userCredentials`: password hashes by user id (never returned);
 * - `identityVerifications`: pending identity verifications (verification id, one-time code, expiry);
 * - `outbox`: the messages the emulator "sent" instead of calling Twilio.
 */
import type { Json, JsonObject } from '../../core/types.js';
import { Errors, tenantIdRequired } from '../errors.js';
import type { EmulatorRequest, Reply } from '../http.js';
import { col, type EmulatorState } from '../state.js';
import { tenantForCreate as createTenant, tenantScope } from '../tenancy.js';
import { isObject, isUuid } from '../values.js';
import { canonicalPhone } from './phone.js';

/** Collection names of the user side. */
export const UCOL = {
  users: 'users',
  credentials: 'userCredentials',
  verifications: 'identityVerifications',
  outbox: 'outbox',
} as const;

/** Identity types of FusionAuth 1.59+ ([SITE:docs/apis/_shared/_identity_type_response.mdx]). */
export type IdentityType = 'email' | 'phoneNumber' | 'username';

/** `verifiedReason` values ([SITE:docs/apis/_shared/_user-response-body-base.mdx], OpenAPI `IdentityVerifiedReason`). */
export type VerifiedReason = 'Skipped' | 'Trusted' | 'Unverifiable' | 'Implicit' | 'Pending' | 'Completed' | 'Disabled' | 'Administrative' | 'Import';

/**
 * Whether an identity still needs verification. Docs ([SITE:docs/apis/_shared/_user-response-body-base.mdx]
 * `identities[x].verifiedReason`): "If this field is `Disabled`, `Import`, `Skipped`, `Trusted`, or `Unverifiable`,
 * then verification will not be required, regardless of the `verified` value. For `Implicit`, `Pending`, or
 * `Completed`, the identity will require verification if `verified` is false."
 */
export function needsVerification(identity: JsonObject): boolean {
  const reason = identity.verifiedReason;
  return identity.verified !== true && (reason === 'Implicit' || reason === 'Pending' || reason === 'Completed');
}

/** The value FusionAuth compares for an identity type: E.164 phone numbers, lower-case emails, case-insensitive usernames. */
export function normalizeIdentity(type: IdentityType, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (type === 'phoneNumber') return canonicalPhone(value);
  if (type === 'email') return value.trim().toLowerCase();
  return value.trim().toLowerCase();
}

/** A user's identities (the stored array). */
export function identitiesOf(user: JsonObject): JsonObject[] {
  return Array.isArray(user.identities) ? user.identities.filter(isObject) : [];
}

/** The user's identity of a type (primary first). */
export function identityOf(user: JsonObject, type: IdentityType): JsonObject | undefined {
  const all = identitiesOf(user).filter((i) => i.type === type);
  return all.find((i) => i.primary === true) ?? all[0];
}

/** Every user of a tenant. */
export function usersOf(state: EmulatorState, tenantId: string): JsonObject[] {
  return state.store.list(UCOL.users).filter((u) => u.tenantId === tenantId);
}

/** The user of a tenant whose identity of `type` matches `value` (compared as FusionAuth does). */
export function findByIdentity(state: EmulatorState, tenantId: string, type: IdentityType, value: unknown): JsonObject | undefined {
  const wanted = normalizeIdentity(type, value);
  if (wanted === undefined) return undefined;
  return usersOf(state, tenantId).find((u) => identitiesOf(u).some((i) => i.type === type && normalizeIdentity(type, i.value) === wanted));
}

/** The key of a login id in an `identityIndex`. */
export function identityKey(tenantId: string, type: IdentityType, normalized: string): string {
  return `${tenantId}|${type}|${normalized}`;
}

/**
 * Every login id of every user, `identityKey` → user id, built in one pass: a request that checks many login ids (the
 * Import API) looks each up in constant time instead of scanning every user per id.
 */
export function identityIndex(state: EmulatorState): Map<string, string> {
  const index = new Map<string, string>();
  for (const u of state.store.list(UCOL.users)) {
    for (const i of identitiesOf(u)) {
      const type = i.type as IdentityType;
      const n = normalizeIdentity(type, i.value);
      if (n !== undefined) index.set(identityKey(String(u.tenantId), type, n), String(u.id));
    }
  }
  return index;
}

/** A stored tenant by id. */
export function tenantById(state: EmulatorState, id: unknown): JsonObject | undefined {
  return typeof id === 'string' && isUuid(id) ? state.store.get(col('tenant'), id) : undefined;
}

/** A stored application by id. */
export function applicationById(state: EmulatorState, id: unknown): JsonObject | undefined {
  return typeof id === 'string' && isUuid(id) ? state.store.get(col('application'), id) : undefined;
}

/** Read a dotted path of a JSON object. */
export function get(obj: Json | undefined, path: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const key of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/**
 * The tenant of a request that is not a create: the `X-FusionAuth-TenantId` header, else the tenant of the
 * application named in the body (FusionAuth: "If [applicationId] is not provided and there are multiple tenants, the
 * X-FusionAuth-TenantId header is required" — [SITE:docs/apis/identity-verify.mdx]), else the only tenant, else
 * `[TenantIdRequired]` (reference §1.2).
 */
export function resolveTenant(state: EmulatorState, req: EmulatorRequest, applicationId?: Json): { tenant: JsonObject } | { reply: Reply } {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope;
  if (scope.tenantId) return { tenant: state.store.get(col('tenant'), scope.tenantId) as JsonObject };
  const app = applicationById(state, applicationId);
  if (app) {
    const t = tenantById(state, app.tenantId);
    if (t) return { tenant: t };
  }
  const tenants = state.store.list(col('tenant'));
  if (tenants.length === 1) return { tenant: tenants[0] as JsonObject };
  return { reply: tenantIdRequired() };
}

/** The tenant for a create (header, else the only tenant, else `[TenantIdRequired]`), as a stored object. */
export function tenantForCreate(state: EmulatorState, req: EmulatorRequest): { tenant: JsonObject } | { reply: Reply } {
  const r = createTenant(state, req);
  if ('reply' in r) return r;
  return { tenant: state.store.get(col('tenant'), r.tenantId) as JsonObject };
}

/** The request body as an object (an absent or non-object body counts as `{}`). */
export function bodyOf(req: EmulatorRequest): JsonObject {
  return isObject(req.body) ? req.body : {};
}

/** A 400 with one field error. */
export function invalid(field: string, prefix: string, message: string): Reply {
  return new Errors().field(field, prefix, message).reply();
}

/**
 * A user or application id from a URL segment, as FusionAuth's UUID converter reads it: a UUID (lowercased), or a
 * decimal number, which becomes the UUID whose low 64 bits are that number — live 1.46 (leo-technologies-llc/
 * fusion_auth test/fusion_auth/registrations_test.exs): `POST /api/user/registration/123456` answers "The user with Id
 * [00000000-0000-0000-0000-00000001e240] does not exist." Anything else converts to nothing (the callers answer 404
 * with an empty body, as the same tests show for `GET /api/user/registration/12345/{applicationId}`).
 */
export function pathUuid(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (isUuid(v)) return v.toLowerCase();
  if (!/^\d{1,19}$/.test(v)) return undefined;
  const n = BigInt(v);
  if (n > 0x7fffffffffffffffn) return undefined;
  const hex = n.toString(16).padStart(16, '0');
  return `00000000-0000-0000-${hex.slice(0, 4)}-${hex.slice(4)}`;
}

/**
 * The user a by-id request addresses: the header's tenant scope first (an unknown tenant is 400, reference §1.2; the
 * netcore client test `groups()` shows a bad tenant header 400 and another tenant's header 404 on a by-id retrieve),
 * then the user, 404 with an empty body when the id does not convert, is unknown, or belongs to another tenant
 * (python and go client tests: "unknown user 404 with no body").
 */
export function scopedUser(state: EmulatorState, req: EmulatorRequest, param = 'userId'): { user: JsonObject } | { reply: Reply } {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope;
  const id = pathUuid(req.params[param]);
  const user = id === undefined ? undefined : state.store.get(UCOL.users, id);
  if (!user || (scope.tenantId !== undefined && user.tenantId !== scope.tenantId)) return { reply: { status: 404 } };
  return { user };
}

/**
 * Whether an application can hold registrations of a tenant's users: its own tenant's, or a universal application
 * (1.58+, `universalConfiguration.universal`, visible from every tenant — src/emulator/kinds/application.ts).
 */
export function appServesTenant(app: JsonObject, tenantId: unknown): boolean {
  return app.tenantId === tenantId || get(app, 'universalConfiguration.universal') === true;
}
