/**
 * Application roles, a child kind: `POST /api/application/{id}/role[/{roleId}]`, `PUT|PATCH|DELETE
 * /api/application/{id}/role/{roleId}` (reference §5.1); the roles live in their application's `roles` (wire
 * `parent`). Rules from FusionAuth's decompiled `DefaultApplicationService` ([DEC-APP] `validateRole*`).
 */
import type { JsonObject } from '../../core/types.js';
import { FUSIONAUTH_APP_ID, WIRE } from '../../fusionauth/wire.js';
import { find, one, pathId, unwrap, type KindSpec } from '../crud.js';
import { Errors } from '../errors.js';
import type { EmulatorRequest, Reply, Route } from '../http.js';
import { bindEnvelope } from '../shape.js';
import { applyJsonPatch, applyMergePatch, applyOriginalPatch, patchFlavour, PatchError } from '../patch.js';
import { col, type EmulatorState } from '../state.js';
import { blank, copy, isObject, isUuid, sameId, without } from '../values.js';

const ROLE_KIND = 'applicationRole';
const ROLE = WIRE[ROLE_KIND];
/** The application field holding the roles, and the role endpoints' path below an application (wire.ts `parent`, `path`). */
const FIELD = ROLE.parent?.field ?? '';
const BASE = `${WIRE.application.path ?? ''}/:id${ROLE.path ?? ''}`;
if (FIELD === '' || !ROLE.path || !WIRE.application.path) throw new Error('src/fusionauth/wire.ts: applicationRole needs its parent field and paths');

/** The roles of an application, ordered by name (as in the documented response example `admin`, `user`). */
export function sortRoles(app: JsonObject): void {
  if (Array.isArray(app[FIELD])) app[FIELD] = [...app[FIELD]].sort((a, b) => String(isObject(a) ? a.name : '').localeCompare(String(isObject(b) ? b.name : '')));
}

/** [DEC-APP] `_validateRoleCreate` for a role at `field` (`role`, or `application.roles[i]` inside an application). */
export function validateRole(state: EmulatorState, role: JsonObject, field: string, e: Errors): void {
  const single = field === ROLE.singular;
  if (blank(role.name)) e.fieldWithCode(single ? 'role.name' : field, '[blank]role.name', 'The role name is required.');
  if (typeof role.description === 'string' && role.description.length > 255) {
    e.fieldWithCode(single ? 'role.description' : field, '[tooLong]role.description', 'The role description must be at most 255 characters.');
  }
  // Role ids are unique across all applications.
  if (isUuid(role.id) && state.store.list(col('application')).some((a) => rolesOf(a).some((r) => sameId(r.id, role.id as string)))) {
    e.fieldWithCode(single ? 'roleId' : `${field}.id`, single ? '[duplicate]roleId' : '[duplicate]role.id', `A role with the Id [${role.id}] already exists.`);
  }
}

function rolesOf(app: JsonObject | undefined): JsonObject[] {
  const v = app?.[FIELD];
  return (Array.isArray(v) ? v : []).filter(isObject);
}

/** Role fields a role endpoint owns; a null removes a value. */
function cleaned(role: JsonObject): JsonObject {
  const out: JsonObject = { isDefault: false, isSuperRole: false, ...role };
  for (const k of Object.keys(out)) if (out[k] === null) delete out[k];
  return out;
}

/** The role endpoints below an application kind's objects. */
export function roleRoutes(parent: KindSpec): Route[] {
  /**
   * The active application of a role request, or the reply to a missing one. A create or update answers 400
   * `[invalid]applicationId` ([DEC-APP] validateRole*: validObject(application, "applicationId"); the message is the
   * live one, leo-technologies-llc/fusion_auth `applications_test.exs` "create_role/3 … application is not found",
   * live 1.46); a delete answers 404 with an empty body (same suite, "delete_role_by_id/3" and "delete_role_by_name/3
   * … application is not found": the newer live evidence wins over the decompiled validator's shared check).
   */
  const parentOf = (req: EmulatorRequest, state: EmulatorState): { app: JsonObject } | { reply: Reply } => {
    const p = pathId(req, 'id', WIRE.application.idField);
    if ('reply' in p) return p;
    const f = find({ state, req, spec: parent, body: {} }, p.id, true);
    if ('reply' in f) return f;
    if (!f.obj || f.obj.active === false) {
      if (req.method === 'DELETE') return { reply: { status: 404 } };
      return { reply: new Errors().field('applicationId', '[invalid]', `Invalid [applicationId] on the URL. No Application exists for Id [${p.id}].`).reply() };
    }
    // [DEC-APP] validateRole*: [fusionAuth]applicationId for the admin app.
    if (p.id === FUSIONAUTH_APP_ID) return { reply: new Errors().field('applicationId', '[fusionAuth]', 'Roles of the FusionAuth application cannot be changed.').reply() };
    return { app: f.obj };
  };
  const save = (state: EmulatorState, app: JsonObject, roles: JsonObject[]): void => {
    const next: JsonObject = { ...app, [FIELD]: roles };
    sortRoles(next);
    state.store.put(col('application'), next);
  };

  const create = (req: EmulatorRequest, state: EmulatorState): Reply => {
    const pa = parentOf(req, state);
    if ('reply' in pa) return pa.reply;
    const u = unwrap(req, ROLE.singular);
    if ('reply' in u) return u.reply;
    const b = bindEnvelope('applicationRole', ROLE.singular, u.obj);
    if ('reply' in b) return b.reply;
    // The role's id is the URL's: an `id` in the body is ignored. leo-technologies-llc/fusion_auth `applications_test.exs`
    // "create_role/3 returns the newly created role" (live 1.46) posts a role whose body id the application already
    // uses and gets 200.
    const role: JsonObject = { isDefault: false, isSuperRole: false, ...without(b.obj, ['id', 'insertInstant', 'lastUpdateInstant']) };
    if (req.params.roleId !== undefined) {
      const r = pathId(req, 'roleId', ROLE.idField);
      if ('reply' in r) return r.reply;
      role.id = r.id;
    }
    const e = new Errors();
    validateRole(state, role, ROLE.singular, e);
    const roles = rolesOf(pa.app);
    if (e.empty && roles.some((r) => r.name === role.name)) e.field('role.name', '[duplicate]', `The application already has a role named [${String(role.name)}].`);
    if (!e.empty) return e.reply();
    const now = state.now();
    const stored = cleaned({ ...role, id: isUuid(role.id) ? role.id.toLowerCase() : state.newId(), insertInstant: now, lastUpdateInstant: now });
    save(state, pa.app, [...roles, stored]);
    return one(ROLE.singular, stored);
  };

  const update = (req: EmulatorRequest, state: EmulatorState, mode: 'put' | 'patch'): Reply => {
    const pa = parentOf(req, state);
    if ('reply' in pa) return pa.reply;
    const r = pathId(req, 'roleId', ROLE.idField);
    if ('reply' in r) return r.reply;
    const roles = rolesOf(pa.app);
    const existing = roles.find((x) => sameId(x.id, r.id));
    if (!existing) return { status: 404 };
    let body: JsonObject;
    if (mode === 'put') {
      const u = unwrap(req, ROLE.singular);
      if ('reply' in u) return u.reply;
      body = u.obj;
    } else {
      // The role PATCH has always been lenient: a missing body or an unknown media type applies as the original flavour.
      const flavour = patchFlavour(req.contentType);
      try {
        const doc = { role: copy(existing) };
        const res = flavour === 'merge' ? applyMergePatch(doc, req.body ?? {}) : flavour === 'jsonPatch' ? applyJsonPatch(doc, req.body ?? []) : applyOriginalPatch(doc, req.body ?? {});
        body = isObject(res) && isObject(res.role) ? res.role : {};
      } catch (err) {
        if (err instanceof PatchError) return new Errors().general('[invalidJSON]', err.message).reply();
        throw err;
      }
    }
    // The JSON binding (shape.ts): unknown properties dropped, `isSuperRole: "bogus"` refused with [invalidJSON]role.isSuperRole.
    const b = bindEnvelope('applicationRole', ROLE.singular, body);
    if ('reply' in b) return b.reply;
    const role = cleaned(without(b.obj, ['id', 'insertInstant', 'lastUpdateInstant']));
    if (typeof role.description === 'string' && role.description.length > 255) return new Errors().field('role.description', '[tooLong]', 'The role description must be at most 255 characters.').reply();
    if (blank(role.name)) role.name = existing.name as string;
    const stored: JsonObject = { ...role, id: existing.id as string, insertInstant: existing.insertInstant as number, lastUpdateInstant: state.now() };
    // What follows the role elsewhere (its name on registrations, users/registrations.ts).
    state.cascadeUpdate(col(ROLE_KIND), existing, stored, pa.app);
    save(state, pa.app, roles.map((x) => (x === existing ? stored : x)));
    return one(ROLE.singular, stored);
  };

  /**
   * `DELETE …/role/{roleId}`, or `DELETE …/role?name=<role name>` (the Elixir client's `delete_role_by_name`,
   * leo-technologies-llc/fusion_auth, live 1.46: 200 with an empty body; a name the application has no role for → 404).
   */
  const remove = (req: EmulatorRequest, state: EmulatorState): Reply => {
    const byName = req.params.roleId === undefined ? req.query.get('name') : null;
    if (req.params.roleId === undefined && byName === null) return { status: 404 };
    const pa = parentOf(req, state);
    if ('reply' in pa) return pa.reply;
    const roles = rolesOf(pa.app);
    let target: JsonObject | undefined;
    if (byName !== null) {
      target = roles.find((x) => x.name === byName);
    } else {
      const r = pathId(req, 'roleId', ROLE.idField);
      if ('reply' in r) return r.reply;
      target = roles.find((x) => sameId(x.id, r.id));
    }
    if (!target) return { status: 404 };
    // What goes with the role elsewhere (its grants on registrations, users/registrations.ts).
    state.cascade(col(ROLE_KIND), target, pa.app);
    save(state, pa.app, roles.filter((x) => x !== target));
    return { status: 200 };
  };

  return [
    { method: 'POST', path: BASE, handle: create },
    { method: 'POST', path: `${BASE}/:roleId`, handle: create },
    { method: 'PUT', path: `${BASE}/:roleId`, handle: (r, s) => update(r, s, 'put') },
    { method: 'PATCH', path: `${BASE}/:roleId`, handle: (r, s) => update(r, s, 'patch') },
    { method: 'DELETE', path: `${BASE}/:roleId`, handle: remove },
    { method: 'DELETE', path: BASE, handle: remove },
  ];
}
