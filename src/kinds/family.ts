/**
 * Families: users grouped with a role each (`Adult`, `Teen`, `Child`) and owners among the adults
 * ([SITE:docs/apis/families.mdx], OpenAPI `Family`/`FamilyMember`/`FamilyRequest`, [JAVA] `Family`, `FamilyMember`).
 *
 * How FusionAuth serves them, and so how kickstand reads and writes them:
 * - there is no retrieve-all, and a family has no name: a family is read by id (`GET /api/user/family/{familyId}`, 404
 *   when absent), or as one of a user's families (`GET /api/user/family?userId=`). So an entry is matched by its pinned
 *   `id`, else its derived id, else by user: the family its first Adult member belongs to as an Adult (an Adult belongs
 *   to one family at most, docs overview), which it adopts. Each entry is read through its first Adult (one request),
 *   and by id when that Adult's families do not hold it (a second request): a plan costs at most two reads per family
 *   entry, one once the family exists with that Adult;
 * - a family is created with its first member ("You cannot directly create a family, instead a family is implicitly
 *   created when the first User is added": `POST /api/user/family/{familyId}`), who must be an `Adult` (docs), and who
 *   becomes its owner; each further member is added or updated with `PUT /api/user/family/{familyId}` (OpenAPI
 *   `updateUserFamilyWithId`: "Updates a family … OR Adds a user to an existing family"; FusionAuth's family example
 *   adds its child so), one request per member, and removed with `DELETE /api/user/family/{familyId}/{userId}`;
 * - a member's `role` and `owner` are what can change ("You may only update the User's role or owner status", docs);
 *   `owner` "will be ignored if the user role is Teen or Child" (docs), so a file may not ask for it there.
 *
 * Members are matched by user: the file's `members` are additive — each listed user must be a member with the role
 * and owner status written, members the file does not list are kept — unless the entry says `membersComplete: true`,
 * when they are removed (core/diff.ts `KeyedList`). Several owners are allowed (FusionAuth/fusionauth-issues#736 speaks
 * of "subsequent family owners"); an Adult belongs to one family at most (docs overview), which FusionAuth checks when
 * the member is added.
 */
import { isJsonObject } from '../core/normalize.js';
import { resourceWhere } from '../core/diagnostics.js';
import type { PlanContext, RuleViolation } from '../core/kind.js';
import type { Change, Diagnostic, Json, JsonObject } from '../core/types.js';
import { WIRE } from '../fusionauth/wire.js';
import { isUuid } from '../core/uuid.js';
import { ApiError } from '../fusionauth/errors.js';
import type { ApiClient, ApiRequest } from '../fusionauth/types.js';
import { addressedCollection, listItems, type KindApi, type ListContext, type Listed } from './api.js';
import { defineKind } from './define.js';

/** The entry field that says the file lists every member. */
export const MEMBERS_COMPLETE = 'membersComplete';

const path = WIRE.family.path!;

function membersOf(body: JsonObject | undefined): JsonObject[] {
  const m = body?.members;
  return Array.isArray(m) ? m.filter(isJsonObject) : [];
}

const userIdOf = (m: JsonObject): string => String(m.userId).toLowerCase();

/** A member as a request carries it: the fields of `FamilyMember` a client writes. */
function memberBody(m: JsonObject): JsonObject {
  const out: JsonObject = { userId: m.userId as Json, role: m.role as Json };
  if (m.owner !== undefined) out.owner = m.owner as Json;
  if (m.data !== undefined) out.data = m.data as Json;
  return out;
}

const put = (c: Change, m: JsonObject): ApiRequest => ({ method: 'PUT', path: `${path}/${c.id}`, body: { familyMember: memberBody(m) } });
const remove = (c: Change, userId: string): ApiRequest => ({ method: 'DELETE', path: `${path}/${c.id}/${userId}` });

/**
 * A create: the family is created with its first Adult (FusionAuth refuses any other first member), the others are
 * added one by one. The create is retried safely: a second POST of the same member answers `[duplicate]…userId`, and
 * the family is read back.
 */
function createRequests(c: Change): ApiRequest[] {
  const members = membersOf(c.after);
  const first = ownerOf(c.after);
  if (!first) return [];
  const objectPath = `${path}/${c.id}`;
  return [
    { method: 'POST', path: objectPath, body: { familyMember: memberBody(first) }, idempotentCreate: { readBack: objectPath } },
    // FusionAuth makes the first Adult the owner ("the first Adult user in the family will automatically be set as the
    // owner", docs): an entry that says otherwise takes it back, or the next plan would.
    ...(first.owner === false ? [put(c, first)] : []),
    ...members.filter((m) => m !== first).map((m) => put(c, m)),
  ];
}

/**
 * An update: `after.members` is the list the family must end with (the diff laid the file's members over the live
 * ones). Members added or changed are PUT first, members to remove are deleted last, so that the family is never left
 * empty on the way (FusionAuth removes a family with its last member).
 */
function updateRequests(c: Change): ApiRequest[] {
  if (c.after?.members === undefined) return [];
  const live = new Map(membersOf(c.before).map((m) => [userIdOf(m), m]));
  const target = membersOf(c.after);
  const keep = new Set(target.map(userIdOf));
  const writes = target.filter((m) => {
    const l = live.get(userIdOf(m));
    return !l || l.role !== m.role || (m.owner !== undefined && Boolean(l.owner) !== Boolean(m.owner));
  }).map((m) => put(c, m));
  const removals = [...live.keys()].filter((id) => !keep.has(id)).map((id) => remove(c, id));
  return [...writes, ...removals];
}

function requestsOf(c: Change): ApiRequest[] {
  switch (c.action) {
    case 'create':
      return createRequests(c);
    case 'update':
      return updateRequests(c);
    case 'replace':
      return [...membersOf(c.before).map((m) => remove(c, userIdOf(m))), ...createRequests(c)];
    case 'delete':
      return membersOf(c.before).map((m) => remove(c, userIdOf(m)));
    case 'noop':
      return [];
  }
}

/** The member a family is created with, and looked up by: the first Adult (FusionAuth refuses any other first member). */
function ownerOf(body: JsonObject | undefined): JsonObject | undefined {
  const members = membersOf(body);
  return members.find((m) => m.role === 'Adult') ?? members[0];
}

/** How many family entries are read at once. */
const READS_AT_ONCE = 8;

/**
 * The families of the entries: for each addressed id, `GET /api/user/family?userId=` of the entry's first Adult (a
 * user id written in the file, or the addressed id of the declared user it names). The family at the addressed id is
 * the entry's; else the family in which that user is an Adult is adopted (an Adult belongs to one family at most,
 * docs overview) and reported in `found`; else `GET /api/user/family/{id}` reads the addressed id (a family kickstand
 * created whose first Adult the file has since changed), 404 meaning it does not exist. One request per entry whose
 * family exists with that Adult, two otherwise. A user unknown to FusionAuth has no families (200 `{}`; a 404 counts
 * the same).
 */
async function listFamilies(client: ApiClient, ctx: ListContext): Promise<Listed> {
  const ids = [...new Set(ctx.ids ?? [])];
  const byId = addressedCollection(WIRE.family);
  const objects = new Map<string, JsonObject>();
  const found = new Map<string, string>();
  const familiesOf = async (userId: string): Promise<JsonObject[]> => {
    const req: ApiRequest = { method: 'GET', path, query: { userId } };
    try {
      const res = await client.request<Json>(req);
      return listItems(WIRE.family, req, res);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return [];
      throw e;
    }
  };
  const one = async (id: string): Promise<void> => {
    const owner = ownerOf(ctx.addressedBody?.(id));
    const ownerId = typeof owner?.userId === 'string' && isUuid(owner.userId) ? owner.userId.toLowerCase() : undefined;
    if (ownerId !== undefined) {
      const families = await familiesOf(ownerId);
      for (const f of families) objects.set((f.id as string).toLowerCase(), f);
      if (families.some((f) => (f.id as string).toLowerCase() === id)) return;
      const adult = families.find((f) => membersOf(f).some((m) => userIdOf(m) === ownerId && m.role === 'Adult'));
      if (adult) {
        found.set(id, (adult.id as string).toLowerCase());
        return;
      }
    }
    for (const f of (await byId.list(client, { ids: [id] })).objects) objects.set((f.id as string).toLowerCase(), f);
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) await one(ids[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(READS_AT_ONCE, ids.length) }, worker));
  // Sorted by id, whatever order the reads finished in: plans stay deterministic.
  const list = [...objects.values()].sort((a, b) => String(a.id).localeCompare(String(b.id)));
  return { objects: list, addressedOnly: true, ...(found.size > 0 ? { found } : {}) };
}

/** Read through the entries' first Adults (no retrieve-all); written member by member. */
const api: KindApi = {
  list: listFamilies,
  async write(client, c) {
    for (const req of requestsOf(c)) await client.request(req);
  },
  requests: requestsOf,
};

/** Offline rules (sources in the module comment). */
function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  const members = body.members;
  if (!Array.isArray(members) || members.length === 0) {
    out.push({ path: 'members', message: 'a family needs at least one member: FusionAuth creates a family with its first member' });
    return out;
  }
  const seen = new Map<string, number>();
  let adults = 0;
  members.forEach((m, i) => {
    if (!isJsonObject(m)) return;
    if (m.role === 'Adult') adults += 1;
    if (m.owner === true && (m.role === 'Teen' || m.role === 'Child')) {
      out.push({ path: `members[${i}].owner`, message: `a ${String(m.role)} cannot own a family: FusionAuth ignores owner for Teen and Child members, so this would show as a change on every plan` });
    }
    if (typeof m.userId === 'string') {
      const k = m.userId.toLowerCase();
      const before = seen.get(k);
      if (before !== undefined) out.push({ path: `members[${i}].userId`, message: `the user "${m.userId}" is listed twice (also members[${before}]): a user is a member of a family once` });
      else seen.set(k, i);
    }
  });
  if (adults === 0) out.push({ path: 'members', message: 'a family needs an Adult member: FusionAuth creates a family only with an Adult as its first member' });
  return out;
}

/**
 * An Adult belongs to one family at most ("A adult User may belong to a single Family", docs overview): the same user
 * written as an Adult in two family entries is an error at the second (FusionAuth would refuse that member, or adopt one
 * family for both entries). Users are compared as written (a key, or a UUID in any case).
 */
function checkPlan(_changes: readonly Change[], ctx: PlanContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const first = new Map<string, string>();
  for (const r of ctx.resources) {
    if (r.kind !== 'family') continue;
    membersOf(r.body).forEach((m, i) => {
      if (m.role !== 'Adult' || typeof m.userId !== 'string') return;
      const user = m.userId.toLowerCase();
      const other = first.get(user);
      if (other === undefined) first.set(user, r.key);
      else if (other !== r.key) {
        out.push({
          severity: 'error',
          message: `the user "${m.userId}" is an Adult of the family "${other}" too: an Adult belongs to one family at most (FusionAuth refuses the second)`,
          where: resourceWhere(r, `members[${i}].userId`),
        });
      }
    });
  }
  return out;
}

/** The family kind. */
export const family = defineKind({
  name: 'family',
  section: 'families',
  title: 'family',
  wire: WIRE.family,
  api,
  serverFields: ['id', 'insertInstant', 'lastUpdateInstant', 'members.insertInstant', 'members.lastUpdateInstant'],
  keyedLists: [{ path: 'members', key: 'userId', completeField: MEMBERS_COMPLETE }],
  // Not a FusionAuth field: never returned, so never compared; it only decides how `members` compares.
  writeOnlyFields: [MEMBERS_COMPLETE],
  validate,
  checkPlan,
  foundBy: 'the family of its first Adult member',
  examples: 'family',
  consequences: {
    delete: 'Every member is removed from the family, and FusionAuth removes the family with its last member; the users themselves are kept.',
  },
  openapi: {
    schema: 'Family',
    entry: 'Family',
    required: ['members'],
    description: 'Families: users with a role (Adult, Teen, Child), the first Adult the owner. Matched by pinned `id`, else derived id, else the family its first Adult belongs to. `members` are additive, matched by userId; `membersComplete: true` removes members the entry does not list.',
    extra: {
      [MEMBERS_COMPLETE]: { type: 'boolean', description: 'The entry lists every member: members of the live family it does not list are removed. Default false: members are only added or updated.' },
    },
  },
});
