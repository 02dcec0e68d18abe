/**
 * Applications: `/api/application[/{id}]` and the role endpoints (reference §5). Validation and server-owned values
 * follow FusionAuth's decompiled `DefaultApplicationService` ([DEC-APP]: `_create`, `_update`, `validateCreate`,
 * `validateUpdate`, `commonValidation`, `validateRole*`, `setDefaults`).
 */
import type { Json, JsonObject } from '../../core/types.js';
import { GRANTS } from '../../kinds/application.js';
import { fillApplication, FUSIONAUTH_APP_ID } from '../defaults.js';
import { Errors } from '../errors.js';
import { applyJsonPatch, applyMergePatch, applyOriginalPatch, patchFlavour, PatchError } from '../patch.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import { col, KNOWN, type EmulatorState } from '../state.js';
import { tenantForCreate, tenantScope } from '../tenancy.js';
import { copy, isObject, isUuid } from '../values.js';
import { at, blank, checkOptionalHttpUrl, one, patched, pathId, unwrap, without } from './common.js';
import { APPLICATION_PHONE_TEMPLATE_FIELDS } from '../../fusionauth/wire.js';

const SERVER_OWNED = ['id', 'insertInstant', 'lastUpdateInstant', 'state', 'active', 'tenantId'] as const;
/** Set-valued arrays (Java Sets) for the original PATCH's append. */
const SET_PATHS = ['oauthConfiguration.enabledGrants'];
const SUPPORTED_GRANTS: readonly string[] = GRANTS;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function sameId(a: unknown, b: string | undefined): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** A universal application (1.58+): it belongs to no tenant and is visible from every tenant. */
function isUniversal(app: unknown): boolean {
  return at(app, 'universalConfiguration.universal') === true;
}

/** Roles are listed by name (as in the documented response example `admin`, `user`). */
function sortRoles(app: JsonObject): void {
  if (Array.isArray(app.roles)) app.roles = [...app.roles].sort((a, b) => String(isObject(a) ? a.name : '').localeCompare(String(isObject(b) ? b.name : '')));
}

/** URL checks of [DEC-APP] `isAbsoluteWithSchema`: absolute, http(s) with a host, custom schemes with `//host` or `/path`. */
function isAbsoluteWithSchema(u: string): boolean {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(u.replace(/:\*+/, ':42').replace(/\*/g, 'x'));
  if (!m) return false;
  const scheme = (m[1] as string).toLowerCase();
  const rest = m[2] as string;
  if (scheme === 'http' || scheme === 'https') return /^\/\/[^/?#\s]+/.test(rest);
  if (rest.startsWith('//')) return /^\/\/[^/?#\s]+/.test(rest);
  if (rest.startsWith('/')) return rest.length > 1;
  return false;
}

/**
 * The application rules of [DEC-APP] `commonValidation` (reference §5.4). `tenantId` is undefined for a universal
 * application; `onCreate` selects the create-time name lookup (below).
 */
function validate(state: EmulatorState, a: JsonObject, tenantId: string | undefined, selfId: string | undefined, onCreate = false): Errors {
  const e = new Errors();
  if (blank(a.name)) e.field('application.name', '[blank]', 'The application name is required.');
  else if ((a.name as string).startsWith('_')) e.field('application.name', '[startsWithUnderscore]', 'An application name must not start with an underscore.');
  checkOptionalHttpUrl(e, a.baseURL, 'application.baseURL');

  // OAuth URLs and grants; the FusionAuth app's are managed by FusionAuth and not checked.
  if (selfId !== FUSIONAUTH_APP_ID) {
    const wildcards = at(a, 'oauthConfiguration.authorizedURLValidationPolicy') === 'AllowWildcards';
    const list = (p: string): Json[] => {
      const v = at(a, p);
      return Array.isArray(v) ? v : [];
    };
    list('oauthConfiguration.authorizedOriginURLs').forEach((u, i) => {
      const field = `application.oauthConfiguration.authorizedOriginURLs[${i}]`;
      const s = String(u);
      if (!isAbsoluteWithSchema(s)) e.fieldWithCode(field, '[invalidURL]application.oauthConfiguration.authorizedOriginURLs', `[${s}] is not an absolute URL.`);
      else if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]+[/?]./.test(s) || /\?/.test(s)) {
        e.fieldWithCode(field, '[invalidOriginURL]application.oauthConfiguration.authorizedOriginURLs', `[${s}] must not contain a path or query string.`);
      } else if (s.includes('*') && !wildcards) {
        e.fieldWithCode(field, '[invalidURL]application.oauthConfiguration.authorizedOriginURLs', `[${s}] contains a wildcard but authorizedURLValidationPolicy is not AllowWildcards.`);
      }
    });
    list('oauthConfiguration.authorizedRedirectURLs').forEach((u, i) => {
      const field = `application.oauthConfiguration.authorizedRedirectURLs[${i}]`;
      const s = String(u);
      const valid = s === 'urn:ietf:wg:oauth:2.0:oob' || s === 'urn:ietf:wg:oauth:2.0:oob:auto' || isAbsoluteWithSchema(s);
      // Wildcards pass the URL check ([DEC-APP] replaces `*` before parsing); without AllowWildcards the follow-up
      // check (elided by the decompiler) rejects them — reported with the same code here.
      if (!valid || (s.includes('*') && !wildcards)) {
        e.fieldWithCode(field, '[invalidURL]application.oauthConfiguration.authorizedRedirectURLs', `[${s}] is not a valid redirect URL.`);
      }
    });
    list('oauthConfiguration.authorizedResourceUris').forEach((u, i) => {
      const s = String(u);
      if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s) || s.includes('#')) {
        e.fieldWithCode(`application.oauthConfiguration.authorizedResourceUris[${i}]`, '[invalidURI]application.oauthConfiguration.authorizedResourceUris', `[${s}] is not an absolute URI without a fragment.`);
      }
    });
    checkOptionalHttpUrl(e, at(a, 'oauthConfiguration.logoutURL'), 'application.oauthConfiguration.logoutURL');
    checkOptionalHttpUrl(e, at(a, 'oauthConfiguration.deviceVerificationURL'), 'application.oauthConfiguration.deviceVerificationURL');
    const grants = list('oauthConfiguration.enabledGrants');
    if (grants.includes(DEVICE_GRANT) && at(a, 'oauthConfiguration.deviceVerificationURL') === undefined) {
      e.field('application.oauthConfiguration.deviceVerificationURL', '[missing]', 'The device grant needs a device verification URL.');
    }
    if (!grants.every((g) => typeof g === 'string' && SUPPORTED_GRANTS.includes(g))) {
      e.field('application.oauthConfiguration.enabledGrants', '[invalid]', `Supported grants: ${SUPPORTED_GRANTS.join(', ')}.`);
    }
  }
  if (at(a, 'jwtConfiguration.enabled') === true) {
    for (const f of ['refreshTokenTimeToLiveInMinutes', 'timeToLiveInSeconds']) {
      const v = at(a, `jwtConfiguration.${f}`);
      if (typeof v !== 'number' || v <= 0) e.field(`application.jwtConfiguration.${f}`, '[tooSmall]', `${f} must be greater than 0.`);
    }
  }
  if (a.verifyRegistration === true && a.verificationEmailTemplateId === undefined) {
    e.field('application.verificationEmailTemplateId', '[missing]', 'Registration verification needs a verification email template.');
  }
  for (const f of APPLICATION_PHONE_TEMPLATE_FIELDS) {
    const v = at(a, `phoneConfiguration.${f}`);
    if (v !== undefined && !(isUuid(v) && state.store.get(col('messageTemplate'), v))) {
      e.field(`application.phoneConfiguration.${f}`, '[invalid]', `The message template [${String(v)}] does not exist.`);
    }
  }
  const reg = at(a, 'registrationConfiguration');
  if (isObject(reg) && reg.type === 'advanced' && (reg.enabled === true || reg.completeRegistration === true)) {
    if (!state.licensed) e.field('application.registrationConfiguration.type', '[notLicensed]', 'Advanced registration forms require a paid FusionAuth license.');
    if (reg.formId === undefined) e.field('application.registrationConfiguration.formId', '[missing]', 'Advanced registration needs a form.');
  }
  const adminForm = at(a, 'formConfiguration.adminRegistrationFormId');
  if (adminForm !== undefined && !(isUuid(adminForm) && state.store.isKnownId(KNOWN.forms, adminForm))) {
    e.field('application.formConfiguration.adminRegistrationFormId', '[invalid]', `The form [${String(adminForm)}] does not exist.`);
  }
  if (a.verifyRegistration === true && at(a, 'unverified.behavior') === 'Gated' && !state.licensed) {
    e.field('application.unverified.behavior', '[notLicensed]', 'Gated registration verification requires a paid FusionAuth license.');
  }
  if (at(a, 'registrationDeletePolicy.unverified.enabled') === true) {
    const days = at(a, 'registrationDeletePolicy.unverified.numberOfDaysToRetain');
    if (typeof days !== 'number' || days <= 0) e.field('application.registrationDeletePolicy.unverified.numberOfDaysToRetain', '[tooSmall]', 'numberOfDaysToRetain must be greater than 0.');
  }
  for (const m of ['sms', 'voice']) {
    const v = at(a, `multiFactorConfiguration.${m}.templateId`);
    if (v !== undefined && !(isUuid(v) && state.store.get(col('messageTemplate'), v))) {
      e.field(`application.multiFactorConfiguration.${m}.templateId`, '[invalid]', `The message template [${String(v)}] does not exist.`);
    }
  }
  if (a.themeId !== undefined) {
    if (!state.licensed) e.field('application.themeId', '[notLicensed]', 'Application themes require a paid FusionAuth license.');
    if (!(isUuid(a.themeId) && state.store.isKnownId(KNOWN.themes, a.themeId))) e.field('application.themeId', '[invalid]', `The theme [${String(a.themeId)}] does not exist.`);
  }
  // Names are unique per tenant. A name held by a soft-deleted app → [inactive]application.name; the duplicate check
  // runs only when nothing else failed (`notInactive(...).ifNoErrors(notDuplicate(...))`). [DEC-APP] findExistingByName
  // / validateUpdate: a universal app's name is looked up in every tenant; on create, a tenant app's name also collides
  // with a universal app's (`retrieveExistingUniversal`).
  if (!blank(a.name)) {
    const universal = isUniversal(a);
    const holder = state.store
      .list(col('application'))
      .find((o) => o.name === a.name && !sameId(o.id, selfId) && (universal || sameId(o.tenantId, tenantId) || (onCreate && isUniversal(o))));
    if (holder && holder.active === false) e.field('application.name', '[inactive]', `The name [${String(a.name)}] is held by an inactive application; reactivate or hard delete it.`);
    else if (holder && e.empty) e.field('application.name', '[duplicate]', `An application with the name [${String(a.name)}] already exists in this tenant.`);
  }
  return e;
}

/** [DEC-APP] `_validateRoleCreate` for a role at `field` (`role` or `application.roles[i]`). */
function validateRole(state: EmulatorState, role: JsonObject, field: string, e: Errors): void {
  const single = field === 'role';
  if (blank(role.name)) e.fieldWithCode(single ? 'role.name' : field, '[blank]role.name', 'The role name is required.');
  if (typeof role.description === 'string' && role.description.length > 255) {
    e.fieldWithCode(single ? 'role.description' : field, '[tooLong]role.description', 'The role description must be at most 255 characters.');
  }
  if (isUuid(role.id) && state.store.list(col('application')).some((a) => Array.isArray(a.roles) && a.roles.some((r) => isObject(r) && sameId(r.id, role.id as string)))) {
    e.fieldWithCode(single ? 'roleId' : `${field}.id`, single ? '[duplicate]roleId' : '[duplicate]role.id', `A role with the Id [${role.id}] already exists.`);
  }
}

/** The app a by-id request may see: in the header's tenant when one is sent (reference §1.2: otherwise 404). */
function find(req: EmulatorRequest, state: EmulatorState, id: string): { app?: JsonObject } | { reply: Reply } {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope;
  const app = state.store.get(col('application'), id);
  // A universal application is visible whatever the tenant ([DEC-APP] ApplicationCache.get: `universal || tenantId.equals(…)`).
  if (!app || (scope.tenantId && !isUniversal(app) && !sameId(app.tenantId, scope.tenantId))) return {};
  return { app };
}

function stampRoles(state: EmulatorState, roles: Json, now: number): JsonObject[] {
  return (Array.isArray(roles) ? roles : []).filter(isObject).map((r) => ({ ...r, id: isUuid(r.id) ? r.id.toLowerCase() : state.newId(), insertInstant: now, lastUpdateInstant: now }));
}

function setDeletePolicyInstant(app: JsonObject, existing: JsonObject | undefined, now: number): void {
  const u = at(app, 'registrationDeletePolicy.unverified');
  if (!isObject(u)) return;
  if (u.enabled === true) {
    const prev = at(existing, 'registrationDeletePolicy.unverified.enabledInstant');
    u.enabledInstant = existing && at(existing, 'registrationDeletePolicy.unverified.enabled') === true && typeof prev === 'number' ? prev : now;
  } else {
    delete u.enabledInstant;
  }
}

function create(req: EmulatorRequest, state: EmulatorState): Reply {
  let id: string | undefined;
  if (req.params.id !== undefined) {
    const p = pathId(req, 'id', 'applicationId');
    if ('reply' in p) return p.reply;
    id = p.id;
  }
  const body = isObject(req.body) ? req.body : {};
  const copying = body.sourceApplicationId !== undefined && body.sourceApplicationId !== null;
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope.reply;
  // [DEC-APP] ApplicationAction.post: `create(universal ? null : getTenant(), …)` — a universal application (1.58+)
  // needs no tenant and gets none. Otherwise the tenant comes from the header, or is the only tenant;
  // `[TenantIdRequired]` otherwise (reference §1.2). A copy is universal when its source is.
  const sourceApp = copying && isUuid(body.sourceApplicationId) ? state.store.get(col('application'), body.sourceApplicationId) : undefined;
  const universal = copying ? isUniversal(sourceApp) : isUniversal(body.application);
  let tenantId: string | undefined;
  if (!universal) {
    const tenant = tenantForCreate(state, req);
    if ('reply' in tenant) return tenant.reply;
    tenantId = tenant.tenantId;
  }
  const e = new Errors();
  if (id && state.store.get(col('application'), id)) e.field('applicationId', '[duplicate]', `An application with the Id [${id}] already exists.`);

  let a: JsonObject;
  if (body.sourceApplicationId !== undefined && body.sourceApplicationId !== null) {
    // Copy (1.43+): the source with the new id and name; client secret, role ids and SAML issuer dropped ([DEC-APP] validateCopy).
    const source = sourceApp;
    const name = isObject(body.application) ? body.application.name : undefined;
    if (!source || !(universal || sameId(source.tenantId, tenantId))) e.field('sourceApplicationId', '[invalid]', `The application [${String(body.sourceApplicationId)}] does not exist.`);
    if (blank(name)) e.field('application.name', '[blank]', 'The application name is required.');
    if (!source || !e.empty) return e.reply();
    a = without(copy(source), SERVER_OWNED);
    a.name = name as string;
    if (isObject(a.oauthConfiguration)) delete a.oauthConfiguration.clientSecret;
    if (isObject(a.samlv2Configuration)) delete a.samlv2Configuration.issuer;
    a.roles = (Array.isArray(a.roles) ? a.roles : []).filter(isObject).map((r) => without(r, ['id', 'insertInstant', 'lastUpdateInstant']));
  } else {
    const u = unwrap(req, 'application');
    if ('reply' in u) return u.reply;
    // [DEC-APP] validateCreate: a universal application must not carry a tenant — commonValidation's
    // `ifTrue(universal, missing(application.tenantId, "application.tenantId"))` (field error) and
    // `addGeneralError("[notMissing]application.tenantId", …)` (reference §1.2). The field error's `[notMissing]` prefix
    // is the one the general error spells out.
    if (universal && u.obj.tenantId !== undefined && u.obj.tenantId !== null) {
      e.field('application.tenantId', '[notMissing]', 'A universal application belongs to no tenant; remove tenantId.');
      e.general('[notMissing]application.tenantId', 'A universal application belongs to no tenant; remove tenantId.');
    }
    a = fillApplication(without(u.obj, SERVER_OWNED), state.defaultsContext());
  }
  const roles = (Array.isArray(a.roles) ? a.roles : []).filter(isObject);
  roles.forEach((r, i) => validateRole(state, r, `application.roles[${i}]`, e));
  const names = roles.map((r) => r.name);
  const dupNames = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (dupNames.length > 0) e.field('application.roles.name', '[duplicate]', `Duplicate role names: ${dupNames.join(', ')}.`);
  const ids = roles.map((r) => r.id).filter(isUuid).map((s) => s.toLowerCase());
  if (ids.length !== new Set(ids).size) e.field('application.roles.id', '[duplicate]', 'Duplicate role ids.');
  e.merge(validate(state, a, tenantId, id, true));
  if (!e.empty) return e.reply();

  // [DEC-APP] _create: active, Active, id, tenantId, clientId = id, secret generated when null, instants, roles.
  const now = state.now();
  const appId = id ?? state.newId();
  const oauth = isObject(a.oauthConfiguration) ? a.oauthConfiguration : {};
  oauth.clientId = appId;
  if (oauth.clientSecret === undefined || oauth.clientSecret === null) oauth.clientSecret = state.randomSecret();
  const stored: JsonObject = { ...a, oauthConfiguration: oauth, id: appId, ...(tenantId === undefined ? {} : { tenantId }), active: true, state: 'Active', insertInstant: now, lastUpdateInstant: now, roles: stampRoles(state, roles, now) };
  setDeletePolicyInstant(stored, undefined, now);
  sortRoles(stored);
  state.rememberReferencedIds(stored);
  state.store.put(col('application'), stored);
  return one('application', stored);
}

/** Fields of the FusionAuth app a PUT cannot change ([DEC-APP] `_update` for `FUSIONAUTH_APP_ID`). */
function protectFusionAuthApp(next: JsonObject, stored: JsonObject): void {
  const keep = (path: string): void => {
    const parts = path.split('.');
    const last = parts.pop() as string;
    let dst: JsonObject = next;
    for (const k of parts) {
      if (!isObject(dst[k])) dst[k] = {};
      dst = dst[k] as JsonObject;
    }
    const v = at(stored, path);
    if (v === undefined) delete dst[last];
    else dst[last] = copy(v);
  };
  for (const p of ['enabled', 'refreshTokenExpirationPolicy', 'refreshTokenUsagePolicy']) keep(`jwtConfiguration.${p}`);
  for (const p of ['samlv2PopulateId', 'selfServiceRegistrationValidationId', 'userinfoPopulateId']) keep(`lambdaConfiguration.${p}`);
  for (const p of [
    'authorizedRedirectURLs', 'authorizedOriginURLs', 'authorizedResourceUris', 'authorizedURLValidationPolicy', 'clientAuthenticationPolicy',
    'consentMode', 'enabledGrants', 'generateRefreshTokens', 'logoutURL', 'providedScopePolicy', 'proofKeyForCodeExchangePolicy',
    'relationship', 'requireClientAuthentication', 'scopeHandlingPolicy', 'unknownScopePolicy',
  ]) keep(`oauthConfiguration.${p}`);
  for (const p of ['allowTokenRefresh', 'generateRefreshTokens', 'requireAuthentication']) keep(`loginConfiguration.${p}`);
  keep('registrationConfiguration');
  keep('samlv2Configuration');
  if (isObject(next.authenticationTokenConfiguration)) next.authenticationTokenConfiguration.enabled = false;
  if (!isObject(next.unverified)) next.unverified = {};
  (next.unverified as JsonObject).behavior = 'Allow';
}

function update(req: EmulatorRequest, state: EmulatorState, mode: 'put' | 'patch'): Reply {
  const p = pathId(req, 'id', 'applicationId');
  if ('reply' in p) return p.reply;
  const f = find(req, state, p.id);
  if ('reply' in f) return f.reply;
  const existing = f.app;
  if (!existing) return { status: 404 };
  // PUT ?reactivate=true reactivates a soft-deleted application ([DEC-APP] _reactivate); the body is not used.
  if (mode === 'put' && req.query.get('reactivate') === 'true') {
    const stored: JsonObject = { ...existing, active: true, state: 'Active' };
    state.store.put(col('application'), stored);
    return one('application', stored);
  }
  // [DEC-APP] validateUpdate: notInactive(existing, "applicationId").
  if (existing.active === false) {
    return new Errors().field('applicationId', '[inactive]', 'The application is inactive; reactivate it with PUT ?reactivate=true first.').reply();
  }
  const body = mode === 'put' ? unwrap(req, 'application') : patched(req, 'application', existing, SET_PATHS);
  if ('reply' in body) return body.reply;
  const a = fillApplication(without(body.obj, [...SERVER_OWNED, 'roles', 'scopes']), state.defaultsContext());
  // [DEC-APP] _update: clientId kept; a blank secret keeps the stored one; tenantId, roles, scopes and `universal`
  // come from the stored application (a PUT cannot move an app or change its roles, reference §5.3).
  const oauth = isObject(a.oauthConfiguration) ? a.oauthConfiguration : {};
  oauth.clientId = at(existing, 'oauthConfiguration.clientId') as string;
  if (blank(oauth.clientSecret)) oauth.clientSecret = at(existing, 'oauthConfiguration.clientSecret') as string;
  a.oauthConfiguration = oauth;
  a.roles = copy((existing.roles ?? []) as Json);
  a.scopes = copy((existing.scopes ?? []) as Json);
  const universal = at(existing, 'universalConfiguration.universal');
  if (universal !== undefined) a.universalConfiguration = { ...(isObject(a.universalConfiguration) ? a.universalConfiguration : {}), universal };
  if (p.id === FUSIONAUTH_APP_ID) protectFusionAuthApp(a, existing);
  // A universal application has no tenant (reference §1.2); FusionAuth omits the null field.
  const tenantId = typeof existing.tenantId === 'string' ? existing.tenantId : undefined;
  const e = validate(state, a, tenantId, p.id);
  if (!e.empty) return e.reply();
  const now = state.now();
  const stored: JsonObject = { ...a, id: existing.id as string, ...(tenantId === undefined ? {} : { tenantId }), active: true, state: 'Active', insertInstant: existing.insertInstant as number, lastUpdateInstant: now };
  setDeletePolicyInstant(stored, existing, now);
  state.rememberReferencedIds(stored);
  state.store.put(col('application'), stored);
  return one('application', stored);
}

function remove(req: EmulatorRequest, state: EmulatorState): Reply {
  const p = pathId(req, 'id', 'applicationId');
  if ('reply' in p) return p.reply;
  // The FusionAuth admin application cannot be deleted (reference §5.4, [DEC-APP] `[fusionAuth]applicationId`).
  if (p.id === FUSIONAUTH_APP_ID) return new Errors().field('applicationId', '[fusionAuth]', 'The FusionAuth application cannot be deleted.').reply();
  const f = find(req, state, p.id);
  if ('reply' in f) return f.reply;
  const app = f.app;
  if (req.query.get('hardDelete') === 'true') {
    if (!app) return { status: 404 };
    state.store.delete(col('application'), p.id);
    return { status: 200 };
  }
  // Soft delete: only an active application can be deactivated; it keeps its id and name (reference §5.1).
  if (!app || app.active === false) return { status: 404 };
  state.store.put(col('application'), { ...app, active: false, state: 'Inactive' });
  return { status: 200 };
}

function list(req: EmulatorRequest, state: EmulatorState): Reply {
  const scope = tenantScope(state, req);
  if ('reply' in scope) return scope.reply;
  // Without a tenant header (and with a global key) every tenant's applications are returned; with one, that
  // tenant's only. The server's reader takes a nullable tenant id and a null id means all tenants: [DEC-APP]
  // `applicationReader.retrieveAll(null, …)` in DefaultMessageTemplateService.validateDelete reads every app.
  const inactive = req.query.get('inactive') === 'true';
  const apps = state.store
    .list(col('application'))
    .filter((a) => (inactive ? a.active === false : a.active !== false))
    .filter((a) => !scope.tenantId || sameId(a.tenantId, scope.tenantId));
  // The stored objects, not copies: see `many` in common.ts (the body is only serialised).
  return { status: 200, body: { applications: apps } };
}

// ---- roles ---------------------------------------------------------------------------------------------------

/** The active application for a role request, or the decompiled validators' errors. */
function roleApp(req: EmulatorRequest, state: EmulatorState): { app: JsonObject; id: string } | { reply: Reply } {
  const p = pathId(req, 'id', 'applicationId');
  if ('reply' in p) return p;
  const f = find(req, state, p.id);
  if ('reply' in f) return f;
  // [DEC-APP] validateRole*: validObject(application, "applicationId") then [fusionAuth]applicationId for the admin app.
  if (!f.app || f.app.active === false) return { reply: new Errors().field('applicationId', '[invalid]', `The application [${p.id}] does not exist.`).reply() };
  if (p.id === FUSIONAUTH_APP_ID) return { reply: new Errors().field('applicationId', '[fusionAuth]', 'Roles of the FusionAuth application cannot be changed.').reply() };
  return { app: f.app, id: p.id };
}

function saveRoles(state: EmulatorState, app: JsonObject, roles: JsonObject[]): void {
  const next: JsonObject = { ...app, roles };
  sortRoles(next);
  state.store.put(col('application'), next);
}

function createRole(req: EmulatorRequest, state: EmulatorState): Reply {
  const ra = roleApp(req, state);
  if ('reply' in ra) return ra.reply;
  const u = unwrap(req, 'role');
  if ('reply' in u) return u.reply;
  const role: JsonObject = { isDefault: false, isSuperRole: false, ...without(u.obj, ['insertInstant', 'lastUpdateInstant']) };
  if (req.params.roleId !== undefined) {
    const r = pathId(req, 'roleId', 'roleId');
    if ('reply' in r) return r.reply;
    role.id = r.id;
  }
  const e = new Errors();
  validateRole(state, role, 'role', e);
  const roles = (Array.isArray(ra.app.roles) ? ra.app.roles : []).filter(isObject);
  if (e.empty && roles.some((r) => r.name === role.name)) e.field('role.name', '[duplicate]', `The application already has a role named [${String(role.name)}].`);
  if (!e.empty) return e.reply();
  const now = state.now();
  const stored: JsonObject = { ...role, id: isUuid(role.id) ? role.id.toLowerCase() : state.newId(), insertInstant: now, lastUpdateInstant: now };
  for (const k of Object.keys(stored)) if (stored[k] === null) delete stored[k];
  saveRoles(state, ra.app, [...roles, stored]);
  return one('role', stored);
}

function updateRole(req: EmulatorRequest, state: EmulatorState, mode: 'put' | 'patch'): Reply {
  const ra = roleApp(req, state);
  if ('reply' in ra) return ra.reply;
  const r = pathId(req, 'roleId', 'roleId');
  if ('reply' in r) return r.reply;
  const roles = (Array.isArray(ra.app.roles) ? ra.app.roles : []).filter(isObject);
  const existing = roles.find((x) => sameId(x.id, r.id));
  if (!existing) return { status: 404 };
  let body: JsonObject;
  if (mode === 'put') {
    const u = unwrap(req, 'role');
    if ('reply' in u) return u.reply;
    body = u.obj;
  } else {
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
  const role: JsonObject = { isDefault: false, isSuperRole: false, ...without(body, ['id', 'insertInstant', 'lastUpdateInstant']) };
  for (const k of Object.keys(role)) if (role[k] === null) delete role[k];
  const e = new Errors();
  if (typeof role.description === 'string' && role.description.length > 255) e.field('role.description', '[tooLong]', 'The role description must be at most 255 characters.');
  if (blank(role.name)) role.name = existing.name as string;
  if (!e.empty) return e.reply();
  const stored: JsonObject = { ...role, id: existing.id as string, insertInstant: existing.insertInstant as number, lastUpdateInstant: state.now() };
  saveRoles(state, ra.app, roles.map((x) => (x === existing ? stored : x)));
  return one('role', stored);
}

function deleteRole(req: EmulatorRequest, state: EmulatorState): Reply {
  const ra = roleApp(req, state);
  if ('reply' in ra) return ra.reply;
  const r = pathId(req, 'roleId', 'roleId');
  if ('reply' in r) return r.reply;
  const roles = (Array.isArray(ra.app.roles) ? ra.app.roles : []).filter(isObject);
  if (!roles.some((x) => sameId(x.id, r.id))) return { status: 404 };
  saveRoles(state, ra.app, roles.filter((x) => !sameId(x.id, r.id)));
  return { status: 200 };
}

/** The application endpoints (reference §5.1). */
export const applicationRoutes: RouteModule = {
  name: 'application',
  routes: [
    { method: 'POST', path: '/api/application', handle: create },
    { method: 'POST', path: '/api/application/:id', handle: create },
    { method: 'GET', path: '/api/application', handle: list },
    {
      method: 'GET',
      path: '/api/application/:id',
      handle: (req, s) => {
        const p = pathId(req, 'id', 'applicationId');
        if ('reply' in p) return p.reply;
        const f = find(req, s, p.id);
        if ('reply' in f) return f.reply;
        // Retrieval by id includes inactive applications ([DEC-APP] validateApplicationId: retrieveByIdIgnoreActive).
        return f.app ? one('application', f.app) : { status: 404 };
      },
    },
    { method: 'PUT', path: '/api/application/:id', handle: (r, s) => update(r, s, 'put') },
    { method: 'PATCH', path: '/api/application/:id', handle: (r, s) => update(r, s, 'patch') },
    { method: 'DELETE', path: '/api/application/:id', handle: remove },
    { method: 'POST', path: '/api/application/:id/role', handle: createRole },
    { method: 'POST', path: '/api/application/:id/role/:roleId', handle: createRole },
    { method: 'PUT', path: '/api/application/:id/role/:roleId', handle: (r, s) => updateRole(r, s, 'put') },
    { method: 'PATCH', path: '/api/application/:id/role/:roleId', handle: (r, s) => updateRole(r, s, 'patch') },
    { method: 'DELETE', path: '/api/application/:id/role/:roleId', handle: deleteRole },
  ],
};
