/**
 * `POST /api/user/import` ([SITE:docs/apis/users/import.mdx], [SITE:docs/apis/users/_import-users-request-body.mdx]):
 * 200 with no body ("Only a status code is available on the Import API").
 *
 * Rules and their sources:
 * - every user needs a login id and a password ("Each User must have at least an email or a username, and a password
 *   (plaintext or hash)", import.mdx); the errors are keyed `user.<field>`, not by index, and each is reported once for
 *   the whole request — live 1.46 (leo-technologies-llc/fusion_auth users_test.exs "import_users … invalid"): two
 *   empty users answer exactly `[blank]user.email`, `[blank]user.password`, `[blank]user.username`, with "… for each
 *   user." messages. (`[blank]user.phoneNumber` beside them, since phone numbers are login ids in 1.59+, is inferred.)
 * - users keep the given ids and verification attributes: `verified`/`verifiedInstant` as given, `verifiedReason:
 *   Import` ("User was imported so verification was not performed by FusionAuth"); nothing is sent; `active` defaults
 *   to false as documented; plain passwords are hashed, hashes given with an `encryptionScheme` are kept (the emulator
 *   can verify only `salted-pbkdf2-hmac-sha256`) and are not checked against the password rules.
 * - duplicates (a login id or user id in use or repeated in the request): 400 `[duplicate]user.<field>` when
 *   `validateDbConstraints` is true, else 500 with no body (the docs: "If a duplicate is encountered a `500` will be
 *   returned without this additional validation"). The `user.` key follows the live 1.46 keys above (inferred for
 *   duplicates).
 * - the tenant: the header, else the user's `tenantId`, else the only tenant, else `[TenantIdRequired]`.
 */
import type { JsonObject } from '../../core/types.js';
import { Errors, tenantIdRequired } from '../errors.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import { col, type EmulatorState } from '../state.js';
import { tenantScope } from '../tenancy.js';
import { isObject, isUuid } from '../values.js';
import { applicationById, appServesTenant, bodyOf, identityIndex, invalid, normalizeIdentity, tenantById, UCOL } from './model.js';
import { hashPassword, type Credential } from './password.js';
import { buildRegistration, putRegistration } from './registrations.js';
import { bindUserStrings, buildUser, identity, storeUser, validateUser, type LoginIds } from './users.js';

async function importUsers(req: EmulatorRequest, state: EmulatorState): Promise<Reply> {
  const b = bodyOf(req);
  if (!Array.isArray(b.users) || b.users.length === 0) return invalid('users', '[missing]', 'Your request is missing the users array.');
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope.reply;
  const e = new Errors();
  const taken = new Set<string>();
  const index = identityIndex(state);
  const stagedIds = new Set<string>();
  const staged: { tenant: JsonObject; u: JsonObject; ids: LoginIds; id: string }[] = [];
  const tenants = state.store.list(col('tenant'));
  let duplicate = false;
  for (const sent of b.users) {
    if (!isObject(sent)) {
      e.field('user', '[invalid]', 'Each user must be an object.');
      continue;
    }
    const raw = bindUserStrings(sent, e);
    const tenantId = scope.tenantId ?? (isUuid(raw.tenantId) ? raw.tenantId.toLowerCase() : tenants.length === 1 ? String(tenants[0]?.id) : undefined);
    const tenant = tenantById(state, tenantId);
    if (!tenant) {
      if (raw.tenantId === undefined && tenants.length > 1) return tenantIdRequired();
      e.field('user.tenantId', '[invalid]', `The tenant [${String(raw.tenantId)}] does not exist.`);
      continue;
    }
    const before = Object.values(e.fieldErrors).flat().length;
    const ids = validateUser(state, tenant, raw, e, { passwordRequired: true, importing: true, taken, index });
    if (Object.values(e.fieldErrors).flat().slice(before).some((x) => x.code.startsWith('[duplicate]'))) duplicate = true;
    if (ids.email) taken.add(`email:${normalizeIdentity('email', ids.email) ?? ''}`);
    if (ids.username) taken.add(`username:${normalizeIdentity('username', ids.username) ?? ''}`);
    if (ids.phone) taken.add(`phoneNumber:${ids.phone}`);
    const id = isUuid(raw.id) ? raw.id.toLowerCase() : state.newId();
    if (state.store.get(UCOL.users, id) || stagedIds.has(id)) {
      e.field('user.id', '[duplicate]', `A user with id [${id}] already exists.`);
      duplicate = true;
    }
    for (const r of Array.isArray(raw.registrations) ? raw.registrations : []) {
      const app = isObject(r) ? applicationById(state, r.applicationId) : undefined;
      if (!app || !appServesTenant(app, tenant.id)) e.field('user.registrations.applicationId', '[invalid]', `The application [${isObject(r) ? String(r.applicationId) : ''}] does not exist in the user's tenant.`);
    }
    staged.push({ tenant, u: raw, ids, id });
    stagedIds.add(id);
  }
  if (duplicate && b.validateDbConstraints !== true) return { status: 500 };
  if (!e.empty) return e.reply();
  for (const s of staged) {
    const now = state.now();
    const verified = s.u.verified === true;
    const verifiedInstant = verified ? (typeof s.u.verifiedInstant === 'number' ? s.u.verifiedInstant : now) : undefined;
    const identities: JsonObject[] = [];
    if (s.ids.email) identities.push(identity('email', s.ids.email, 'Import', now, verified, verifiedInstant));
    if (s.ids.phone) identities.push(identity('phoneNumber', s.ids.phone, 'Import', now, verified, verifiedInstant));
    if (s.ids.username) identities.push(identity('username', s.ids.username, 'Unverifiable', now));
    const scheme = typeof s.u.encryptionScheme === 'string' && s.u.encryptionScheme.trim() !== '' ? s.u.encryptionScheme.trim() : typeof b.encryptionScheme === 'string' ? b.encryptionScheme : undefined;
    let credential: Credential | undefined;
    if (typeof s.u.password === 'string' && s.u.password !== '') {
      credential = scheme
        ? { encryptionScheme: scheme, factor: Number(s.u.factor ?? b.factor ?? 0), salt: typeof s.u.salt === 'string' ? s.u.salt : '', hash: s.u.password }
        : await hashPassword(s.u.password);
    }
    const user = buildUser(now, s.tenant, s.id, s.u, s.ids, identities, credential !== undefined);
    user.active = s.u.active === true;
    user.verified = verified && s.ids.email !== undefined;
    if (typeof s.u.insertInstant === 'number') user.insertInstant = s.u.insertInstant;
    for (const r of (Array.isArray(s.u.registrations) ? s.u.registrations : []).filter(isObject)) {
      const reg = buildRegistration(state, applicationById(state, r.applicationId) as JsonObject, r);
      if (isUuid(r.id)) reg.id = r.id.toLowerCase();
      reg.verified = r.verified === true;
      if (reg.verified) reg.verifiedInstant = typeof r.verifiedInstant === 'number' ? r.verifiedInstant : now;
      else delete reg.verifiedInstant;
      putRegistration(user, reg);
    }
    storeUser(state, { user, ...(credential ? { credential } : {}), verifyPhone: false, consumed: [] });
  }
  return { status: 200 };
}

/** The Import route. */
export const importRoutes: RouteModule = {
  name: 'userImport',
  routes: [{ method: 'POST', path: '/api/user/import', handle: (req, state) => importUsers(req, state) }],
};
