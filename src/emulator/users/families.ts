/**
 * The Family API ([SITE:docs/apis/families.mdx], OpenAPI `FamilyRequest`/`FamilyResponse`/`Family`/`FamilyMember`,
 * [JAVA] `io.fusionauth.domain.Family`, `FamilyMember`, `FamilyConfiguration`):
 * - `POST /api/user/family[/{familyId}]`: add a user to a family; "a family is implicitly created when the first User
 *   is added" (docs), so a POST naming no existing family creates it with the member, and a POST to an existing family
 *   adds the member (FusionAuth/fusionauth-example-family-api `kickstart/json/addParentToFamily.json` creates its family
 *   by `POST /api/user/family/{familyId}`);
 * - `PUT /api/user/family/{familyId}`: "Updates a family with a given Id. OR Adds a user to an existing family"
 *   (OpenAPI `updateUserFamilyWithId`; the same kickstart's `addChildToFamily.json` adds its child with a PUT); of a
 *   member already in it, "You may only update the User's role or owner status" (docs);
 * - `GET /api/user/family/{familyId}` → `{family}`, `GET /api/user/family?userId=` → `{families}`;
 * - `DELETE /api/user/family/{familyId}/{userId}`: 200, no body;
 * - `GET /api/user/family/pending?parentEmail=` → `{users}`: "the users pending parent approval".
 * `POST /api/user/family/request` (an email to a parent) is not served: the emulator sends no email.
 *
 * Families are stored exactly as the API returns them (collection `families`); a family's tenant is its members'
 * (every member is a user of one tenant). Codes: the docs give no error examples for this API, so field codes follow
 * the validator's usual composition (reference §1.6: `[missing]`, `[invalid]`, `[duplicate]` + field path), as the
 * User API's do in ./users.ts; each rule below names its source and says where the code is inferred.
 */
import type { Json, JsonObject } from '../../core/types.js';
import { Errors } from '../errors.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import type { EmulatorState } from '../state.js';
import { tenantScope } from '../tenancy.js';
import { pathId } from '../crud.js';
import { isObject, isUuid, pathUuid } from '../values.js';
import { bodyOf, get, tenantById, UCOL } from './model.js';

/** The collection of families. */
export const FAMILIES = 'families';

/** `FamilyMember.FamilyRole` ([JAVA] `FamilyMember.FamilyRole`: `Child`, `Teen`, `Adult`). */
const ROLES = ['Child', 'Teen', 'Adult'] as const;
type FamilyRole = (typeof ROLES)[number];

/** `familyConfiguration.minimumOwnerAge` when the tenant holds none ([JAVA] `FamilyConfiguration.minimumOwnerAge = 21`). */
const DEFAULT_MINIMUM_OWNER_AGE = 21;

function membersOf(family: JsonObject): JsonObject[] {
  return Array.isArray(family.members) ? family.members.filter(isObject) : [];
}

/** Every family `userId` is a member of. */
export function familiesOfUser(state: EmulatorState, userId: string): JsonObject[] {
  return state.store.list(FAMILIES).filter((f) => membersOf(f).some((m) => m.userId === userId));
}

/**
 * Remove a user from every family (for a user delete: a deleted user is no family's member). A family left without
 * members is removed with it, as `DELETE /api/user/family/{familyId}/{userId}` does here.
 */
function forgetFamilyMember(state: EmulatorState, userId: string): void {
  for (const f of familiesOfUser(state, userId)) removeMember(state, f, userId);
}

function removeMember(state: EmulatorState, family: JsonObject, userId: string): void {
  const rest = membersOf(family).filter((m) => m.userId !== userId);
  if (rest.length === 0) {
    state.store.delete(FAMILIES, String(family.id));
    return;
  }
  family.members = rest;
  family.lastUpdateInstant = state.now();
  state.store.put(FAMILIES, family);
}

/** The user's tenant of a family (its first member's), for scoping by `X-FusionAuth-TenantId`. */
function tenantOfFamily(state: EmulatorState, family: JsonObject): string | undefined {
  const first = membersOf(family)[0];
  const user = first && typeof first.userId === 'string' ? state.store.get(UCOL.users, first.userId) : undefined;
  return user ? String(user.tenantId) : undefined;
}

/**
 * A user's age in whole years at `now`, or -1 without a birth date: FusionAuth's message for a family created by a
 * user with no birth date reads "… this user is [-1]" (FusionAuth/fusionauth-issues#236).
 */
export function ageOf(user: JsonObject, now: number): number {
  const b = user.birthDate;
  const m = typeof b === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(b) : null;
  if (!m) return -1;
  const today = new Date(now);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < mo || (today.getUTCMonth() + 1 === mo && today.getUTCDate() < d)) age -= 1;
  return age;
}

/** A validated `familyMember` of a request. */
interface MemberInput {
  user: JsonObject;
  role: FamilyRole;
  owner: boolean;
  data?: JsonObject;
}

/**
 * Validate `familyMember`: `userId` and `role` are required (docs request body: both "required"); a role that is not
 * one of the enum's values cannot be bound (`[invalidJSON]` on the property, as the binding of every enum in
 * crud.ts); the user must exist, in the header's tenant when one is sent (inferred `[invalid]`, the code FusionAuth's
 * validator gives an id that resolves to nothing, reference §1.6).
 */
function memberInput(state: EmulatorState, req: EmulatorRequest, tenantId: string | undefined): MemberInput | { reply: Reply } {
  const body = bodyOf(req);
  const fm = body.familyMember;
  if (!isObject(fm)) return { reply: new Errors().field('familyMember', '[missing]', 'Your request is missing the familyMember object.').reply() };
  const role = fm.role;
  if (role !== undefined && role !== null && !(typeof role === 'string' && (ROLES as readonly string[]).includes(role))) {
    return { reply: new Errors().fieldWithCode('familyMember.role', '[invalidJSON]', `Unable to parse JSON. The property [familyMember.role] is invalid: expected one of ${ROLES.join(', ')}.`).reply() };
  }
  const e = new Errors();
  const userId = fm.userId;
  let user: JsonObject | undefined;
  if (userId === undefined || userId === null || userId === '') e.field('familyMember.userId', '[missing]', 'You must specify the [familyMember.userId] property.');
  else {
    user = typeof userId === 'string' && isUuid(userId) ? state.store.get(UCOL.users, userId.toLowerCase()) : undefined;
    if (!user || (tenantId !== undefined && user.tenantId !== tenantId)) {
      e.field('familyMember.userId', '[invalid]', `The [familyMember.userId] property [${String(userId)}] does not identify an existing user.`);
      user = undefined;
    }
  }
  if (role === undefined || role === null) e.field('familyMember.role', '[missing]', 'You must specify the [familyMember.role] property. The possible values are Adult, Child and Teen.');
  if (!e.empty || !user) return { reply: e.reply() };
  const out: MemberInput = {
    user,
    role: role as FamilyRole,
    // "This value will be ignored if the user role is Teen or Child" (docs request body, `familyMember.owner`).
    owner: fm.owner === true && role === 'Adult',
  };
  if (isObject(fm.data) && Object.keys(fm.data).length > 0) out.data = structuredClone(fm.data);
  return out;
}

/** The stored member. `data` only when it holds something ([JAVA] `FamilyMember.data` is `@JsonInclude(NON_EMPTY)`). */
function memberOf(input: MemberInput, now: number, owner: boolean): JsonObject {
  const m: JsonObject = { insertInstant: now, lastUpdateInstant: now, owner, role: input.role, userId: String(input.user.id) };
  if (input.data) m.data = input.data;
  return m;
}

/**
 * "A adult User may belong to a single Family, a teen or child may belong to one or more families" (docs overview);
 * an Adult of one family may still be added to another as a Child (FusionAuth/fusionauth-issues#737, open, the
 * maintainers keeping it "flexible"), so the rule is enforced for a user joining as an Adult while an Adult elsewhere.
 * Code inferred (`[duplicate]`).
 */
function checkSingleAdultFamily(state: EmulatorState, input: MemberInput, familyId: string, e: Errors): void {
  if (input.role !== 'Adult') return;
  const elsewhere = familiesOfUser(state, String(input.user.id)).some((f) => f.id !== familyId && membersOf(f).some((m) => m.userId === input.user.id && m.role === 'Adult'));
  if (elsewhere) e.field('familyMember.userId', '[duplicate]', `The user [${String(input.user.id)}] is already an Adult member of another family. An Adult may belong to a single family.`);
}

/**
 * The tenant scope of a request (the header: an unknown tenant is its error reply) and the family its path addresses
 * in that scope: its id converted as every path id is (crud.ts `pathId`: a number is
 * the UUID holding it, anything else that is not a UUID is 400 `[couldNotConvert]familyId`); an unknown family, or one
 * of another tenant, is `family: undefined` (the callers answer 404 with an empty body).
 */
function familyAt(state: EmulatorState, req: EmulatorRequest): { tenantId?: string; family?: JsonObject } | { reply: Reply } {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope;
  const p = pathId(req, 'familyId', 'familyId');
  if ('reply' in p) return p;
  const f = state.store.get(FAMILIES, p.id);
  if (!f || (scope.tenantId !== undefined && tenantOfFamily(state, f) !== scope.tenantId)) return scope;
  return { ...scope, family: f };
}

/**
 * Create a family with its first member. "When creating a family the first user must be an adult. This value must be
 * set to `Adult`" (docs, FamilyRoleDescription for a create); "the first Adult user in the family will automatically
 * be set as the owner" (docs response body, `members[x].owner`); the user must be at least the tenant's
 * `familyConfiguration.minimumOwnerAge` old, a user without a birth date counting as -1 (FusionAuth/fusionauth-issues
 * #236 quotes the server: "The user for the id [id] is not old enough to create a family. The minimum configured age is
 * [21] and this user is [-1]"; #736 confirms the check for the creating user only). The tenant's
 * `familyConfiguration.enabled` is not required: FusionAuth's family example (fusionauth-example-family-api kickstart)
 * creates its family on a tenant whose family configuration it never enables.
 */
function createFamily(state: EmulatorState, id: string, input: MemberInput): Reply {
  const e = new Errors();
  if (input.role !== 'Adult') e.field('familyMember.role', '[invalid]', 'When creating a family the first user must be an adult. The [familyMember.role] must be Adult.');
  const tenant = tenantById(state, input.user.tenantId);
  const configured = get(tenant, 'familyConfiguration.minimumOwnerAge');
  const minimum = typeof configured === 'number' ? configured : DEFAULT_MINIMUM_OWNER_AGE;
  const age = ageOf(input.user, state.now());
  if (input.role === 'Adult' && age < minimum) {
    e.field('familyMember.userId', '[invalid]', `The user for the id [${String(input.user.id)}] is not old enough to create a family. The minimum configured age is [${minimum}] and this user is [${age}].`);
  }
  checkSingleAdultFamily(state, input, id, e);
  if (!e.empty) return e.reply();
  const now = state.now();
  const family: JsonObject = { id, insertInstant: now, lastUpdateInstant: now, members: [memberOf(input, now, true)] };
  state.store.put(FAMILIES, family);
  return { status: 200, body: { family: structuredClone(family) } };
}

/** Add a member to an existing family; a user already in it is `[duplicate]` on POST (inferred code). */
function addMember(state: EmulatorState, family: JsonObject, input: MemberInput): Reply {
  const e = new Errors();
  if (membersOf(family).some((m) => m.userId === input.user.id)) e.field('familyMember.userId', '[duplicate]', `The user [${String(input.user.id)}] is already a member of this family.`);
  if (tenantOfFamily(state, family) !== input.user.tenantId) e.field('familyMember.userId', '[invalid]', 'The user belongs to another tenant than the family.');
  checkSingleAdultFamily(state, input, String(family.id), e);
  if (!e.empty) return e.reply();
  const now = state.now();
  (family.members as Json[]).push(memberOf(input, now, input.owner));
  return saved(state, family, now);
}

/** Store a changed family, stamped `now`, and answer it. */
function saved(state: EmulatorState, family: JsonObject, now: number): Reply {
  family.lastUpdateInstant = now;
  state.store.put(FAMILIES, family);
  return { status: 200, body: { family: structuredClone(family) } };
}

/** `POST /api/user/family[/{familyId}]`. */
function post(req: EmulatorRequest, state: EmulatorState): Reply {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope.reply;
  let id: string | undefined;
  if (req.params.familyId !== undefined) {
    const p = pathId(req, 'familyId', 'familyId');
    if ('reply' in p) return p.reply;
    id = p.id;
  }
  const input = memberInput(state, req, scope.tenantId);
  if ('reply' in input) return input.reply;
  const existing = id !== undefined ? state.store.get(FAMILIES, id) : undefined;
  if (existing) {
    if (scope.tenantId !== undefined && tenantOfFamily(state, existing) !== scope.tenantId) return { status: 404 };
    return addMember(state, existing, input);
  }
  return createFamily(state, id ?? state.newId(), input);
}

/**
 * `PUT /api/user/family/{familyId}`: 404 for a family that does not exist (docs: standard PUT response codes); a
 * member already in it gets the request's role and owner status (the only two things it may change, docs), anyone
 * else is added as by POST.
 */
function put(req: EmulatorRequest, state: EmulatorState): Reply {
  const at = familyAt(state, req);
  if ('reply' in at) return at.reply;
  const family = at.family;
  if (!family) return { status: 404 };
  const input = memberInput(state, req, at.tenantId);
  if ('reply' in input) return input.reply;
  const member = membersOf(family).find((m) => m.userId === input.user.id);
  if (!member) return addMember(state, family, input);
  const e = new Errors();
  checkSingleAdultFamily(state, input, String(family.id), e);
  if (!e.empty) return e.reply();
  const now = state.now();
  member.role = input.role;
  member.owner = input.owner;
  member.lastUpdateInstant = now;
  return saved(state, family, now);
}

/**
 * `GET /api/user/family?userId=`: `{families: [...]}`, and `{}` for a user in no family — FusionAuth omits null
 * fields (reference §1.4), and FusionAuth's family example (fusionauth-example-family `routes/index.js`) treats a
 * successful answer without `families` as "no families, create one". Without a `userId`, 400 `[missing]userId`
 * (inferred).
 */
function retrieveByUser(req: EmulatorRequest, state: EmulatorState): Reply {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope.reply;
  const userId = req.query.get('userId');
  if (userId === null || userId === '') return new Errors().field('userId', '[missing]', 'You must specify the [userId] parameter.').reply();
  // A parameter converts as a path id does (values.ts `pathUuid`; live 1.46: a query parameter `invalid-app-id` →
  // `[couldNotConvert]applicationId` "Invalid UUID", leo-technologies-llc/fusion_auth registrations_test.exs).
  const id = pathUuid(userId);
  if (id === undefined) return new Errors().field('userId', '[couldNotConvert]', 'Invalid UUID').reply();
  const families = familiesOfUser(state, id).filter((f) => scope.tenantId === undefined || tenantOfFamily(state, f) === scope.tenantId);
  return { status: 200, body: families.length > 0 ? { families: families.map((f) => structuredClone(f)) } : {} };
}

/**
 * `GET /api/user/family/pending?parentEmail=`: the users "pending parent approval" (docs) — users whose `parentEmail`
 * is the given address (compared as emails are, case-insensitively) and who are in no family yet (the emulator's
 * reading: a child confirmed by its parent is added to the parent's family, FusionAuth's family example
 * `routes/index.js` `/confirm-child`). `{users: [...]}`, `{}` when none.
 */
function pending(req: EmulatorRequest, state: EmulatorState): Reply {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope.reply;
  const email = req.query.get('parentEmail');
  if (email === null || email.trim() === '') return new Errors().field('parentEmail', '[missing]', 'You must specify the [parentEmail] parameter.').reply();
  const wanted = email.trim().toLowerCase();
  const users = state.store
    .list(UCOL.users)
    .filter((u) => (scope.tenantId === undefined || u.tenantId === scope.tenantId) && typeof u.parentEmail === 'string' && u.parentEmail.trim().toLowerCase() === wanted)
    .filter((u) => familiesOfUser(state, String(u.id)).length === 0);
  return { status: 200, body: users.length > 0 ? { users: users.map((u) => structuredClone(u)) } : {} };
}

/** The Family API's routes. */
export const familyRoutes: RouteModule = {
  name: 'family',
  // A user removed for good (a hard delete, or its tenant's delete) is no family's member any more.
  cascades: [{ collection: UCOL.users, remove: (state, user) => forgetFamilyMember(state, String(user.id)) }],
  routes: [
    { method: 'POST', path: '/api/user/family', handle: (req, state) => post(req, state) },
    { method: 'POST', path: '/api/user/family/:familyId', handle: (req, state) => post(req, state) },
    { method: 'PUT', path: '/api/user/family/:familyId', handle: (req, state) => put(req, state) },
    { method: 'GET', path: '/api/user/family', handle: (req, state) => retrieveByUser(req, state) },
    { method: 'GET', path: '/api/user/family/pending', handle: (req, state) => pending(req, state) },
    {
      method: 'GET',
      path: '/api/user/family/:familyId',
      handle: (req, state) => {
        const at = familyAt(state, req);
        if ('reply' in at) return at.reply;
        const family = at.family;
        return family ? { status: 200, body: { family: structuredClone(family) } } : { status: 404 };
      },
    },
    {
      method: 'DELETE',
      path: '/api/user/family/:familyId/:userId',
      handle: (req, state) => {
        const at = familyAt(state, req);
        if ('reply' in at) return at.reply;
        const family = at.family;
        const member = pathId(req, 'userId', 'userId');
        if ('reply' in member) return member.reply;
        const userId = member.id;
        // Removing a user who is not a member: 404 (docs: standard DELETE response codes, "The object you requested doesn't exist").
        if (!family || !membersOf(family).some((m) => m.userId === userId)) return { status: 404 };
        // A family may be left without an Adult or owner (FusionAuth/fusionauth-issues#727, open): no check here.
        removeMember(state, family, userId);
        return { status: 200 };
      },
    },
  ],
};
