/**
 * The emulator's mutable state: the store, licensing, the clock, id and secret generation, the defaults context and
 * async tenant deletion. It knows nothing of HTTP: requests and replies are the route modules' business.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { JsonObject } from '../core/types.js';
import { bootDefaults, DEFAULT_THEME_ID, FUSIONAUTH_APP_ID, type DefaultsContext } from './defaults.js';
import { Store } from './store.js';
import { isObject, isUuid } from './values.js';
import { WIRE, type WireKind } from '../fusionauth/wire.js';

/** The store collection holding a kind's objects: its plural envelope key, also its key in the state file and the snapshot. */
export function col(kind: WireKind): string {
  return WIRE[kind].plural;
}

/** Kinds of objects the emulator does not serve but whose ids it must recognise in referential checks. */
export const KNOWN = { themes: 'themes', forms: 'forms', keys: 'keys' } as const;

/** Settings the state needs from the emulator options. */
export interface StateOptions {
  apiKey: string;
  licensed: boolean;
  version: string;
  defaultTenantId: string;
  now: () => number;
  /** Delay before an async tenant delete completes, in ms of the injected clock. */
  asyncDeleteMs: number;
  /** The kinds the emulator serves. */
  kinds: readonly WireKind[];
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
  /** The kinds the emulator serves (kinds/index.ts), in registry order: their objects live in the store. */
  readonly kinds: readonly WireKind[];
  /** Objects deleted asynchronously (a tenant with `async=true`): id → its kind and the clock time the delete completes. */
  readonly pendingDeletes = new Map<string, { kind: WireKind; due: number }>();
  /** The emulator's log (`EmulatorOptions.log`), for lines other than the request log, e.g. the users module's outbox. */
  log?: (line: string) => void;

  constructor(o: StateOptions) {
    this.apiKey = o.apiKey;
    this.licensed = o.licensed;
    this.version = o.version;
    this.defaultTenantId = o.defaultTenantId.toLowerCase();
    this.now = o.now;
    this.asyncDeleteMs = o.asyncDeleteMs;
    this.kinds = o.kinds;
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
      defaultTenant: this.store.get(col('tenant'), this.defaultTenantId),
      fusionAuthApp: this.store.get(col('application'), FUSIONAUTH_APP_ID),
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
    this.store.put(col('tenant'), tenant);
    const app: JsonObject = { ...b.fusionAuthApp, id: FUSIONAUTH_APP_ID, tenantId: this.defaultTenantId, active: true, state: 'Active', insertInstant: t, lastUpdateInstant: t };
    const oauth = (isObject(app.oauthConfiguration) ? app.oauthConfiguration : {}) as JsonObject;
    oauth.clientId = FUSIONAUTH_APP_ID;
    if (typeof oauth.clientSecret !== 'string' || oauth.clientSecret === '') oauth.clientSecret = this.randomSecret();
    app.oauthConfiguration = oauth;
    app.roles = (Array.isArray(app.roles) ? app.roles : []).filter(isObject).map((r) => ({ ...r, id: isUuid(r.id) ? r.id : this.newId(), insertInstant: t, lastUpdateInstant: t }));
    this.store.put(col('application'), app);
    for (const body of b.messageTemplates) {
      this.store.put(col('messageTemplate'), { ...body, id: this.newId(), insertInstant: t, lastUpdateInstant: t });
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
    return this.store.get(col('tenant'), this.defaultTenantId);
  }
}
