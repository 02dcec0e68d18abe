/**
 * The emulator's mutable state and the helpers every resource module shares: the store, licensing, the clock, id and
 * secret generation, the defaults context, tenant-header resolution and async tenant deletion.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../core/types.js';
import { bootDefaults, DEFAULT_THEME_ID, FUSIONAUTH_APP_ID, type DefaultsContext } from './defaults.js';
import { Errors, tenantIdRequired } from './errors.js';
import type { EmulatorRequest, Reply } from './router.js';
import { Store } from './store.js';

/** Collection names of the four kinds. */
export const COL = { tenants: 'tenants', applications: 'applications', messengers: 'messengers', messageTemplates: 'messageTemplates' } as const;

/** Kinds of objects the emulator does not serve but whose ids it must recognise in referential checks. */
export const KNOWN = { themes: 'themes', forms: 'forms', keys: 'keys' } as const;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a UUID in canonical form. */
export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID_RE.test(v);
}

/** A JSON object check usable as a type guard. */
export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A deep copy for handing stored objects out. */
export function copy<T extends Json>(v: T): T {
  return structuredClone(v);
}

/** Settings the state needs from the emulator options. */
export interface StateOptions {
  apiKey: string;
  licensed: boolean;
  version: string;
  defaultTenantId: string;
  now: () => number;
  /** Delay before an async tenant delete completes, in ms of the injected clock. */
  asyncDeleteMs: number;
}

/** Everything a request handler may read or change. */
export class EmulatorState {
  readonly store = new Store();
  licensed: boolean;
  readonly version: string;
  readonly apiKey: string;
  defaultTenantId: string;
  readonly now: () => number;
  readonly asyncDeleteMs: number;
  /** Tenants deleted with `async=true`: id → clock time at which the deletion completes. */
  readonly pendingDeletes = new Map<string, number>();
  /** The emulator's log (`EmulatorOptions.log`), for lines other than the request log, e.g. the users module's outbox. */
  log?: (line: string) => void;

  constructor(o: StateOptions) {
    this.apiKey = o.apiKey;
    this.licensed = o.licensed;
    this.version = o.version;
    this.defaultTenantId = o.defaultTenantId.toLowerCase();
    this.now = o.now;
    this.asyncDeleteMs = o.asyncDeleteMs;
  }

  /** A fresh lowercase UUID. */
  newId(): string {
    return randomUUID();
  }

  /** A generated client secret: 32 secure random bytes, base64 (the shape of the documented example `+fcXet9I…KOQ=`). */
  randomSecret(): string {
    return randomBytes(32).toString('base64');
  }

  /** The context the `fill*` defaults need: the stored Default tenant and FusionAuth app. */
  defaultsContext(): DefaultsContext {
    return {
      defaultTenant: this.store.get(COL.tenants, this.defaultTenantId),
      fusionAuthApp: this.store.get(COL.applications, FUSIONAUTH_APP_ID),
      newId: () => this.newId(),
      randomSecret: () => this.randomSecret(),
    };
  }

  /**
   * Fill the store with a fresh instance's objects (reference §10.1): the Default tenant, the FusionAuth admin
   * application in it, the `[FusionAuth Default] …` message templates, and the ids of the default theme, the admin
   * forms and the signing keys those objects reference.
   */
  boot(): void {
    this.store.clear();
    this.pendingDeletes.clear();
    const b = bootDefaults(this.defaultsContext());
    const t = this.now();
    const tenant: JsonObject = { ...b.tenant, id: this.defaultTenantId, insertInstant: t, lastUpdateInstant: t, configured: true, state: 'Active' };
    this.store.put(COL.tenants, tenant);
    const app: JsonObject = { ...b.fusionAuthApp, id: FUSIONAUTH_APP_ID, tenantId: this.defaultTenantId, active: true, state: 'Active', insertInstant: t, lastUpdateInstant: t };
    const oauth = (isObject(app.oauthConfiguration) ? app.oauthConfiguration : {}) as JsonObject;
    oauth.clientId = FUSIONAUTH_APP_ID;
    if (typeof oauth.clientSecret !== 'string' || oauth.clientSecret === '') oauth.clientSecret = this.randomSecret();
    app.oauthConfiguration = oauth;
    app.roles = (Array.isArray(app.roles) ? app.roles : []).filter(isObject).map((r) => ({ ...r, id: isUuid(r.id) ? r.id : this.newId(), insertInstant: t, lastUpdateInstant: t }));
    this.store.put(COL.applications, app);
    for (const body of b.messageTemplates) {
      this.store.put(COL.messageTemplates, { ...body, id: this.newId(), insertInstant: t, lastUpdateInstant: t });
    }
    this.store.addKnownId(KNOWN.themes, DEFAULT_THEME_ID);
    this.rememberReferencedIds(tenant);
    this.rememberReferencedIds(app);
  }

  /**
   * Record the ids of themes, forms and keys an object references as existing. The boot objects' ids come from
   * FusionAuth's own bootstrap; keys generated for `jwtConfiguration.enabled` (reference §5.3) are created by the server.
   */
  rememberReferencedIds(obj: JsonObject): void {
    const at = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), obj);
    for (const p of ['themeId']) if (isUuid(at(p))) this.store.addKnownId(KNOWN.themes, at(p) as string);
    for (const p of ['formConfiguration.adminUserFormId', 'formConfiguration.adminRegistrationFormId']) {
      if (isUuid(at(p))) this.store.addKnownId(KNOWN.forms, at(p) as string);
    }
    for (const p of ['jwtConfiguration.accessTokenKeyId', 'jwtConfiguration.idTokenKeyId']) {
      if (isUuid(at(p))) this.store.addKnownId(KNOWN.keys, at(p) as string);
    }
  }

  /** The tenant that holds the FusionAuth admin application (reference §4.6). */
  get defaultTenant(): JsonObject | undefined {
    return this.store.get(COL.tenants, this.defaultTenantId);
  }

  /** Complete async tenant deletes whose time has come (checked before every request and by a timer). */
  completeDueDeletes(): void {
    const t = this.now();
    for (const [id, due] of this.pendingDeletes) {
      if (t >= due) {
        this.pendingDeletes.delete(id);
        this.deleteTenantNow(id);
      }
    }
  }

  /** Remove a tenant and everything in it (reference §4.1: its applications, among others). */
  deleteTenantNow(id: string): void {
    for (const app of this.store.list(COL.applications)) {
      if (typeof app.tenantId === 'string' && app.tenantId.toLowerCase() === id.toLowerCase()) this.store.delete(COL.applications, String(app.id));
    }
    this.store.delete(COL.tenants, id);
    this.pendingDeletes.delete(id.toLowerCase());
  }

  /**
   * Resolve `X-FusionAuth-TenantId` for a tenant-scoped request. Absent → no scope. A value that is not the id of an
   * existing tenant is a validation error on `tenantId`: reference §1.2 ([SITE:docs/apis/_tenant-authentication.mdx])
   * says a wrong tenant id yields "a 404 status code, or some sort of validation error"; we answer by-id requests
   * for objects of another (existing) tenant with 404 (the handlers do that) and an unknown tenant with
   * `[invalid]tenantId`, the code FusionAuth's validator gives any id that does not resolve to an object.
   */
  tenantScope(req: EmulatorRequest): { tenantId?: string } | { reply: Reply } {
    const h = req.tenantHeader;
    if (h === undefined || h === '') return {};
    if (!isUuid(h) || !this.store.get(COL.tenants, h)) {
      return { reply: new Errors().field('tenantId', '[invalid]', `The X-FusionAuth-TenantId header [${h}] does not identify an existing tenant.`).reply() };
    }
    return { tenantId: h.toLowerCase() };
  }

  /**
   * The tenant a create of a tenant-scoped object goes to: the header's, else the only tenant, else
   * `[TenantIdRequired]` once more than one tenant exists (reference §1.2).
   */
  tenantForCreate(req: EmulatorRequest): { tenantId: string } | { reply: Reply } {
    const scope = this.tenantScope(req);
    if ('reply' in scope) return scope;
    if (scope.tenantId) return { tenantId: scope.tenantId };
    const tenants = this.store.list(COL.tenants);
    if (tenants.length === 1) return { tenantId: String(tenants[0]?.id) };
    return { reply: tenantIdRequired() };
  }
}
