/**
 * Applications: `/api/application[/{id}]` and, through applicationRole.ts, their roles (reference §5). Validation and
 * server-owned values follow FusionAuth's decompiled `DefaultApplicationService` ([DEC-APP]: `_create`, `_update`,
 * `validateCreate`, `validateUpdate`, `commonValidation`, `setDefaults`).
 */
import { olderThan } from '../../core/preflight.js';
import type { Json, JsonObject } from '../../core/types.js';
import { TENANT_MANAGER_UPDATABLE, WIRE } from '../../fusionauth/wire.js';
import { find, one, pathId, type KindSpec, type Write } from '../crud.js';
import { fillApplication, FUSIONAUTH_APP_ID } from '../defaults.js';
import { checkOptionalHttpUrl, Errors } from '../errors.js';
import type { Route } from '../http.js';
import { rememberRefs } from '../refs.js';
import { col, type EmulatorState } from '../state.js';
import { at, blank, compareStrings, copy, isObject, isUuid, sameId, without } from '../values.js';
import { roleRoutes, sortRoles, validateRole } from './applicationRole.js';

const SERVER_OWNED = ['id', 'insertInstant', 'lastUpdateInstant', 'state', 'active', 'tenantId'] as const;
/**
 * The grants FusionAuth accepts in `oauthConfiguration.enabledGrants`: the `GrantType` wire values (reference §5.5,
 * §11.1: `device_code` travels as its URN). The emulator's own list, not the reconciler's (src/kinds/application.ts).
 */
const SUPPORTED_GRANTS: readonly string[] = ['authorization_code', 'implicit', 'password', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'];
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** A universal application (1.58+): it belongs to no tenant and is visible from every tenant. */
function isUniversal(app: unknown): boolean {
  return at(app, 'universalConfiguration.universal') === true;
}

/** Whether `id` is the Tenant manager application's (1.58+; its id is random per instance, state.ts). */
function isTenantManager(state: EmulatorState, id: unknown): boolean {
  return state.tenantManagerApplicationId !== undefined && sameId(id, state.tenantManagerApplicationId);
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
 * The application rules of [DEC-APP] `commonValidation` (reference §5.4), after the blank-name rule and the reference
 * checks (message templates, theme, admin registration form). The tenant is absent for a universal application; a
 * create looks names up differently (below).
 */
function validate(w: Write, e: Errors): void {
  const { state, obj: a, tenantId } = w;
  const selfId = w.id;
  if (typeof a.name === 'string' && !blank(a.name) && a.name.startsWith('_')) e.field('application.name', '[startsWithUnderscore]', 'An application name must not start with an underscore.');
  checkOptionalHttpUrl(e, a.baseURL, 'application.baseURL');

  // OAuth URLs and grants; the built-in applications' are FusionAuth's own (relative URLs) and not checked ([DEC-APP]
  // commonValidation: `!FUSIONAUTH_APP_ID.equals(id) && !tenantManagerApplicationId.equals(id)`).
  if (selfId !== FUSIONAUTH_APP_ID && !isTenantManager(state, selfId)) {
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
  const reg = at(a, 'registrationConfiguration');
  if (isObject(reg) && reg.type === 'advanced' && (reg.enabled === true || reg.completeRegistration === true)) {
    if (!state.licensed) e.field('application.registrationConfiguration.type', '[notLicensed]', 'Advanced registration forms require a paid FusionAuth license.');
    if (reg.formId === undefined) e.field('application.registrationConfiguration.formId', '[missing]', 'Advanced registration needs a form.');
  }
  if (a.verifyRegistration === true && at(a, 'unverified.behavior') === 'Gated' && !state.licensed) {
    e.field('application.unverified.behavior', '[notLicensed]', 'Gated registration verification requires a paid FusionAuth license.');
  }
  if (at(a, 'registrationDeletePolicy.unverified.enabled') === true) {
    const days = at(a, 'registrationDeletePolicy.unverified.numberOfDaysToRetain');
    if (typeof days !== 'number' || days <= 0) e.field('application.registrationDeletePolicy.unverified.numberOfDaysToRetain', '[tooSmall]', 'numberOfDaysToRetain must be greater than 0.');
  }
  if (a.themeId !== undefined && !state.licensed) e.field('application.themeId', '[notLicensed]', 'Application themes require a paid FusionAuth license.');
  // Names are unique per tenant. A name held by a soft-deleted app → [inactive]application.name; the duplicate check
  // runs only when nothing else failed (`notInactive(...).ifNoErrors(notDuplicate(...))`). [DEC-APP] findExistingByName
  // / validateUpdate: a universal app's name is looked up in every tenant; on create, a tenant app's name also collides
  // with a universal app's (`retrieveExistingUniversal`).
  if (!blank(a.name)) {
    const universal = isUniversal(a);
    const holder = state.store
      .list(col('application'))
      .find((o) => o.name === a.name && !sameId(o.id, selfId) && (universal || sameId(o.tenantId, tenantId) || (w.mode === 'create' && isUniversal(o))));
    if (holder && holder.active === false) e.field('application.name', '[inactive]', `The name [${String(a.name)}] is held by an inactive application; reactivate or hard delete it.`);
    else if (holder && e.empty) e.field('application.name', '[duplicate]', `An application with the name [${String(a.name)}] already exists in this tenant.`);
  }
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

/**
 * The Tenant manager application after an update ([DEC-APP] `_updateTenantManager`): the stored one with the updatable
 * fields of `next` (the request after validation) and a new `lastUpdateInstant`. Written into `stored` itself, which
 * the pipeline stores and answers with — as FusionAuth does: [DEC-APPACTION] `put` answers the Tenant manager's update
 * with `result.existing`, the stored application the update wrote into, not with the request.
 */
function updateTenantManager(stored: JsonObject, existing: JsonObject): void {
  const next = copy(stored);
  for (const k of Object.keys(stored)) delete stored[k];
  Object.assign(stored, copy(existing), { lastUpdateInstant: next.lastUpdateInstant as Json });
  for (const path of TENANT_MANAGER_UPDATABLE) {
    const parts = path.split('.');
    const last = parts.pop() as string;
    let dst: JsonObject = stored;
    for (const k of parts) {
      if (!isObject(dst[k])) dst[k] = {};
      dst = dst[k] as JsonObject;
    }
    const v = at(next, path);
    if (v === undefined) delete dst[last];
    else dst[last] = copy(v);
  }
}

/**
 * [DEC-APP] `_create` and `_update`: a CleanSpeak configuration's `enabled` is the CleanSpeak integration's (the
 * emulator has none, as a fresh instance: disabled), and an update drops `apiKey` and `url` — they belong to the
 * integration (Settings > Integrations), so FusionAuth keeps an application's only from its create.
 */
function cleanSpeak(app: JsonObject, update: boolean): void {
  const cs = app.cleanSpeakConfiguration;
  if (!isObject(cs)) return;
  cs.enabled = false;
  if (update) {
    delete cs.apiKey;
    delete cs.url;
  }
}

/** `registrationDeletePolicy.unverified.enabledInstant`: set when the policy is enabled, kept while it stays enabled. */
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


/** The objects among an application's roles. */
function rolesOf(app: JsonObject): JsonObject[] {
  return (Array.isArray(app.roles) ? app.roles : []).filter(isObject);
}

/**
 * 1.69's SAML verification keys (FusionAuth/terraform-provider-fusionauth `fusionauth/resource_fusionauth_application_test.go`,
 * acceptance tests against a live 1.69): `samlv2Configuration.verificationKeyIds` and `…logout.verificationKeyIds`
 * keep the order sent and their first entry is the default — the deprecated `defaultVerificationKeyId` is derived
 * from it ("The deprecated scalar is derived from the first entry", also after a rotation); a list left empty is
 * seeded from the deprecated scalar ("FusionAuth seeds the list from the scalar"). Before 1.69 neither list exists.
 */
function samlVerificationKeys(a: JsonObject, version: string): void {
  if (olderThan(version, '1.69.0')) return;
  for (const path of ['samlv2Configuration', 'samlv2Configuration.logout']) {
    const o = at(a, path);
    if (!isObject(o)) continue;
    const keys = Array.isArray(o.verificationKeyIds) ? o.verificationKeyIds : [];
    if (keys.length > 0) o.defaultVerificationKeyId = copy(keys[0] as Json);
    else if (isUuid(o.defaultVerificationKeyId)) o.verificationKeyIds = [o.defaultVerificationKeyId];
  }
}

/**
 * An application as replies show it: [JAVA] SAMLv2Configuration.getCallbackURL() serialises the first authorized
 * redirect URL as `callbackURL` (a derived property, not stored: defaults/application.ts).
 */
function shown(obj: JsonObject): JsonObject {
  const saml = obj.samlv2Configuration;
  const first = isObject(saml) && Array.isArray(saml.authorizedRedirectURLs) ? saml.authorizedRedirectURLs[0] : undefined;
  return first === undefined || !isObject(saml) ? obj : { ...obj, samlv2Configuration: { ...saml, callbackURL: first } };
}

/** Checks of the create or update itself, and the values an update keeps from the stored application. */
function prepare(w: Write, e: Errors): void {
  const a = w.obj;
  samlVerificationKeys(a, w.state.version);
  if (w.existing) {
    // [DEC-APP] _update: a blank secret keeps the stored one (clientId, roles, scopes, universal: `keep`).
    const oauth = isObject(a.oauthConfiguration) ? a.oauthConfiguration : {};
    if (blank(oauth.clientSecret)) oauth.clientSecret = at(w.existing, 'oauthConfiguration.clientSecret') as string;
    a.oauthConfiguration = oauth;
    if (w.id === FUSIONAUTH_APP_ID) protectFusionAuthApp(a, w.existing);
    // The Tenant manager's update keeps its stored CleanSpeak configuration (`_updateTenantManager` has no such step).
    if (!isTenantManager(w.state, w.id)) cleanSpeak(a, true);
    return;
  }
  cleanSpeak(a, false);
  // [DEC-APP] validateCreate: a universal application must not carry a tenant — commonValidation's
  // `ifTrue(universal, missing(application.tenantId, "application.tenantId"))` (field error) and
  // `addGeneralError("[notMissing]application.tenantId", …)` (reference §1.2). The field error's `[notMissing]` prefix
  // is the one the general error spells out.
  if (w.sent && isUniversal(w.sent) && w.sent.tenantId !== undefined && w.sent.tenantId !== null) {
    e.field('application.tenantId', '[notMissing]', 'A universal application belongs to no tenant; remove tenantId.');
    e.general('[notMissing]application.tenantId', 'A universal application belongs to no tenant; remove tenantId.');
  }
  const roles = rolesOf(a);
  roles.forEach((r, i) => validateRole(w.state, r, `application.roles[${i}]`, e));
  const names = roles.map((r) => r.name);
  const dupNames = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (dupNames.length > 0) e.field('application.roles.name', '[duplicate]', `Duplicate role names: ${dupNames.join(', ')}.`);
  const ids = roles.map((r) => r.id).filter(isUuid).map((s) => s.toLowerCase());
  if (ids.length !== new Set(ids).size) e.field('application.roles.id', '[duplicate]', 'Duplicate role ids.');
}

/** [DEC-APP] `_create`/`_update`: active, Active; on create clientId = id, a secret generated when none was sent, role ids and instants. */
function stamp(w: Write, stored: JsonObject): void {
  const now = stored.lastUpdateInstant as number;
  stored.active = true;
  stored.state = 'Active';
  if (!w.existing) {
    const oauth = isObject(stored.oauthConfiguration) ? stored.oauthConfiguration : {};
    oauth.clientId = stored.id as string;
    if (oauth.clientSecret === undefined || oauth.clientSecret === null) oauth.clientSecret = w.state.randomSecret();
    stored.oauthConfiguration = oauth;
    stored.roles = rolesOf(stored).map((r) => ({ ...r, id: isUuid(r.id) ? r.id.toLowerCase() : w.state.newId(), insertInstant: now, lastUpdateInstant: now }));
    sortRoles(stored);
  }
  if (w.existing && isTenantManager(w.state, stored.id)) {
    updateTenantManager(stored, w.existing);
    return;
  }
  setDeletePolicyInstant(stored, w.existing, now);
}

const spec: KindSpec = {
  kind: 'application',
  scope: 'tenant',
  serverOwned: SERVER_OWNED,
  // FusionAuth/fusionauth-java-client domain classes (and the decompiled server's): `OAuth2Configuration` annotates
  // authorizedOriginURLs, authorizedRedirectURLs, authorizedResourceUris (1.67) and enabledGrants with
  // `@JsonMerge(OptBoolean.FALSE)`, as do `Application.SAMLv2Configuration.authorizedRedirectURLs` and
  // `CleanSpeakConfiguration.applicationIds`: a plain JSON PATCH replaces them; `roles` and every other list append.
  // enabledGrants is `new TreeSet<>(Comparator.comparing(GrantType::grantName))`: sorted by the grant's wire name
  // (String order, so `urn:ietf:params:oauth:grant-type:device_code` last), duplicates collapsed. (An old client
  // version sorted by reversed enum name; the current comparator wins.)
  lists: {
    replaced: [
      'oauthConfiguration.authorizedOriginURLs', 'oauthConfiguration.authorizedRedirectURLs', 'oauthConfiguration.authorizedResourceUris',
      'oauthConfiguration.enabledGrants', 'samlv2Configuration.authorizedRedirectURLs', 'cleanSpeakConfiguration.applicationIds',
    ],
    sets: [{ path: 'oauthConfiguration.enabledGrants', order: 'sorted' }],
  },
  // Retrieve-all order: by name. leo-technologies-llc/fusion_auth `test/fusion_auth/applications_test.exs` ("list
  // applications", live 1.46) creates "Test Application" then "Second Test Application" and asserts the list is
  // [second, first] — not insertion order. Name order is read from that (reverse insertion order would pass it too;
  // the suite cannot tell them apart). Java String order, ties by id so that the order is total.
  listOrder: (a, b) => compareStrings(String(a.name ?? ''), String(b.name ?? '')) || compareStrings(String(a.id), String(b.id)),
  // [DEC-APP] _update: clientId kept; roles, scopes and `universal` come from the stored application (a PUT cannot
  // change its roles, which have their own endpoints, and `universal` is immutable, reference §5.3).
  keep: ['roles', 'scopes', 'universalConfiguration.universal', 'oauthConfiguration.clientId'],
  // Names are unique per tenant, with the universal and inactive twists of `validate`.
  name: {},
  // Left unchecked: the tenant (resolved with the tenant header first, tenancy.ts, which answers for a missing one);
  // the self-service and registration forms (the emulator knows only the built-in forms, and FusionAuth's checks of
  // these are elided in the decompiled code); the signing keys (the emulator invents an application's key ids when JWT
  // is on without them, instead of generating RSA keys as FusionAuth does); the UI IP access control list (a kind the
  // emulator does not serve).
  refs: {
    unchecked: [
      'tenantId', 'formConfiguration.selfServiceFormId', 'registrationConfiguration.formId', 'accessControlConfiguration.uiIPAccessControlListId',
      'jwtConfiguration.accessTokenKeyId', 'jwtConfiguration.idTokenKeyId',
      ...WIRE.application.refs.filter((r) => r.path.startsWith('samlv2Configuration.')).map((r) => r.path),
    ],
  },
  fill: fillApplication,
  present: shown,
  universal: isUniversal,
  // Soft-deleted applications are listed only with ?inactive=true (reference §5.1).
  listFilter: (c, a) => (c.req.query.get('inactive') === 'true' ? a.active === false : a.active !== false),
  // Copy (1.43+): the source with the new id and name; client secret, role ids and SAML issuer dropped ([DEC-APP]
  // validateCopy). A copy is universal when its source is, and the source must be visible from the copy's tenant.
  copy: {
    field: 'sourceApplicationId',
    validate: 'all',
    build: (c, e) => {
      const source = c.source;
      const name = isObject(c.body.application) ? c.body.application.name : undefined;
      if (!source || !(isUniversal(source) || sameId(source.tenantId, c.tenantId))) e.field('sourceApplicationId', '[invalid]', `The application [${String(c.body.sourceApplicationId)}] does not exist.`);
      if (blank(name)) e.field('application.name', '[blank]', 'The application name is required.');
      if (!source || !e.empty) return undefined;
      const a = without(copy(source), SERVER_OWNED);
      a.name = name as Json;
      if (isObject(a.oauthConfiguration)) delete a.oauthConfiguration.clientSecret;
      if (isObject(a.samlv2Configuration)) delete a.samlv2Configuration.issuer;
      a.roles = rolesOf(a).map((r) => without(r, ['id', 'insertInstant', 'lastUpdateInstant']));
      return a;
    },
  },
  beforeUpdate: (c, existing) => {
    // PUT ?reactivate=true reactivates a soft-deleted application ([DEC-APP] _reactivate); the body is not used.
    if (c.req.method === 'PUT' && c.req.query.get('reactivate') === 'true') {
      const stored: JsonObject = { ...existing, active: true, state: 'Active' };
      c.state.store.put(col('application'), stored);
      return one('application', shown(stored));
    }
    // [DEC-APP] validateUpdate: notInactive(existing, "applicationId").
    if (existing.active === false) return new Errors().field('applicationId', '[inactive]', 'The application is inactive; reactivate it with PUT ?reactivate=true first.').reply();
    return undefined;
  },
  prepare,
  validate,
  stamp,
  afterStore: (w, stored) => rememberRefs(w.state, 'application', stored),
  // [DEC-APPACTION] validateDelete: the FusionAuth admin application cannot be deleted (`[fusionAuth]applicationId`,
  // reference §5.4); the Tenant manager application cannot be hard-deleted (`[tenantManager]applicationId`), while a
  // soft delete (deactivation) of it goes through.
  guardDelete: (c, id) => {
    if (id === FUSIONAUTH_APP_ID) return new Errors().field('applicationId', '[fusionAuth]', 'The FusionAuth application cannot be deleted.').reply();
    if (isTenantManager(c.state, id) && c.req.query.get('hardDelete') === 'true') {
      return new Errors().field('applicationId', '[tenantManager]', 'The Tenant manager application cannot be hard deleted.').reply();
    }
    return undefined;
  },
  remove: (c, app) => {
    if (c.req.query.get('hardDelete') === 'true') return undefined;
    // Soft delete: only an active application can be deactivated; it keeps its id and name (reference §5.1).
    if (app.active === false) return { status: 404 };
    c.state.store.put(col('application'), { ...app, active: false, state: 'Inactive' });
    return { status: 200 };
  },
  // The applications of a fresh instance (defaults/boot.ts): the FusionAuth admin application with its fixed id in the
  // Default tenant (reference §1.3, §4.6), and from 1.58 the universal Tenant manager application with its random (or
  // configured) id. The bootstrap's self-service form is referenced by nothing: its id is recorded so that a reference
  // to it is valid (the other two forms are recorded from the objects that hold them, crud.ts `boot`).
  boot: (state, b) => {
    const t = state.now();
    const put = (body: JsonObject, id: string, tenantId?: string): void => {
      const app: JsonObject = { ...body, id, ...(tenantId !== undefined ? { tenantId } : {}), active: true, state: 'Active', insertInstant: t, lastUpdateInstant: t };
      const oauth = isObject(app.oauthConfiguration) ? app.oauthConfiguration : {};
      oauth.clientId = id;
      if (typeof oauth.clientSecret !== 'string' || oauth.clientSecret === '') oauth.clientSecret = state.randomSecret();
      app.oauthConfiguration = oauth;
      app.roles = rolesOf(app).map((r) => ({ ...r, id: isUuid(r.id) ? r.id : state.newId(), insertInstant: t, lastUpdateInstant: t }));
      state.store.put(col('application'), app);
    };
    put(b.fusionAuthApp, FUSIONAUTH_APP_ID, state.defaultTenantId);
    if (b.tenantManagerApp && state.tenantManagerApplicationId !== undefined) put(b.tenantManagerApp, state.tenantManagerApplicationId);
    state.store.addKnownId(col('form'), b.forms.selfServiceUser);
  },
};

/**
 * `GET /api/application/{id}/oauth-configuration` (reference §5.1): the application's OAuth configuration with the
 * session settings of its tenant — `{httpSessionMaxInactiveInterval, logoutURL?, oauthConfiguration}`, the shape of
 * [SITE:json/applications/oauth-configuration/response.json] (the application's logout URL, else the tenant's). A
 * missing application → 404 with an empty body (leo-technologies-llc/fusion_auth `applications_test.exs`
 * "get_oauth_configuration/2", live 1.46).
 */
function oauthConfigurationRoute(parent: KindSpec): Route {
  return {
    method: 'GET',
    path: `${WIRE.application.path ?? ''}/:id/oauth-configuration`,
    handle: (req, state) => {
      const p = pathId(req, 'id', WIRE.application.idField);
      if ('reply' in p) return p.reply;
      const f = find({ state, req, spec: parent, body: {} }, p.id, true);
      if ('reply' in f) return f.reply;
      if (!f.obj) return { status: 404 };
      const tenant = state.store.get(col('tenant'), typeof f.obj.tenantId === 'string' ? f.obj.tenantId : (req.tenantHeader ?? state.defaultTenantId));
      const logoutURL = at(f.obj, 'oauthConfiguration.logoutURL') ?? tenant?.logoutURL;
      const interval = tenant?.httpSessionMaxInactiveInterval;
      return {
        status: 200,
        body: {
          httpSessionMaxInactiveInterval: typeof interval === 'number' ? interval : 3600,
          ...(logoutURL !== undefined ? { logoutURL } : {}),
          oauthConfiguration: copy(isObject(f.obj.oauthConfiguration) ? f.obj.oauthConfiguration : {}),
        },
      };
    },
  };
}

/** The application kind (reference §5), with its role endpoints and its OAuth configuration. */
export const application: KindSpec = { ...spec, routes: [...roleRoutes(spec), oauthConfigurationRoute(spec)] };
