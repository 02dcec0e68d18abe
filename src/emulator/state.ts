/**
 * The emulator's mutable state: the store, the kinds it serves, licensing, the clock, id and secret generation, the
 * defaults context and pending async deletes. It knows nothing of HTTP (requests and replies are the route modules'
 * business) nor of the kinds' rules (kinds/).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { olderThan } from '../core/preflight.js';
import { FUSIONAUTH_APP_ID, TENANT_MANAGER_SINCE, type DefaultsContext } from './defaults.js';
import { Store } from './store.js';
import type { JsonObject } from '../core/types.js';
import { WIRE, type WireKind } from '../fusionauth/wire.js';

/**
 * The store collection holding a kind's objects: its plural envelope key (a singleton's singular), also its key in the
 * state file and the snapshot.
 */
export function col(kind: WireKind): string {
  return WIRE[kind].plural ?? WIRE[kind].singular;
}

/**
 * The id of the emulator's bootstrap API key unless `EmulatorOptions.apiKeyId` says otherwise. Kickstart gives its first
 * key a random id unless the file sets one; a fixed one lets a test (or a kickstand file) address the key by id.
 */
export const BOOTSTRAP_API_KEY_ID = '6b1e4a52-0d3c-4f7e-9a2b-5c8d1e0f3a77';

/**
 * What else changes when an object is removed for good or updated: objects of other collections that belong to it or
 * copy a value of it, kept by another module (the users module's users go with their tenant, its registrations with
 * their application, and registrations show a role's current name). A module declares its cascades on its route
 * module (`RouteModule.cascades`); the kinds' own tenant cascade comes from the wire table (refs.ts). `collection` is
 * the store collection of the object (`col(kind)`, or another module's collection such as `users`); the objects are
 * as stored (before and after an update), and `parent` is the object that holds the object when it is a child (an
 * application's role).
 */
export interface Cascade {
  collection: string;
  remove?(state: EmulatorState, removed: JsonObject, parent?: JsonObject): void;
  update?(state: EmulatorState, before: JsonObject, after: JsonObject, parent?: JsonObject): void;
}

/** Settings the state needs from the emulator options. */
export interface StateOptions {
  /** The value of the emulator's bootstrap API key (kinds/apiKey.ts boots it as a super key and key manager). */
  apiKey: string;
  /** The id of the bootstrap API key; default `BOOTSTRAP_API_KEY_ID`. */
  apiKeyId?: string;
  licensed: boolean;
  version: string;
  defaultTenantId: string;
  /**
   * The id of the Tenant manager application (1.58+): random per instance unless configured (Kickstart's
   * `tenantManagerApplicationId`, 1.60+, reference §9). Ignored on an older version, which has no such application.
   */
  tenantManagerApplicationId?: string;
  now: () => number;
  /** Delay before an async tenant delete completes, in ms of the injected clock. */
  asyncDeleteMs: number;
  /** The kinds the emulator serves. */
  kinds: readonly WireKind[];
  /** The cascades the route modules declare (`Cascade`); default none. */
  cascades?: readonly Cascade[];
}

/** Everything a request handler may read or change. */
export class EmulatorState {
  readonly store = new Store();
  licensed: boolean;
  readonly version: string;
  readonly apiKey: string;
  readonly apiKeyId: string;
  defaultTenantId: string;
  /** The Tenant manager application's id; undefined on a version before it (defaults/boot.ts `TENANT_MANAGER_SINCE`). */
  readonly tenantManagerApplicationId?: string;
  readonly now: () => number;
  readonly asyncDeleteMs: number;
  /** The kinds the emulator serves (kinds/index.ts), in registry order: their objects live in the store. */
  readonly kinds: readonly WireKind[];
  /** What goes with a removed object, by collection (see `Cascade`). */
  readonly cascades: readonly Cascade[];
  /** Objects deleted asynchronously (a tenant with `async=true`): id → its kind and the clock time the delete completes. */
  readonly pendingDeletes = new Map<string, { kind: WireKind; due: number }>();
  /** The emulator's log (`EmulatorOptions.log`), for lines other than the request log, e.g. the users module's outbox. */
  log?: (line: string) => void;

  constructor(o: StateOptions) {
    this.apiKey = o.apiKey;
    this.apiKeyId = (o.apiKeyId ?? BOOTSTRAP_API_KEY_ID).toLowerCase();
    this.licensed = o.licensed;
    this.version = o.version;
    this.defaultTenantId = o.defaultTenantId.toLowerCase();
    if (o.tenantManagerApplicationId !== undefined && !olderThan(o.version, TENANT_MANAGER_SINCE)) this.tenantManagerApplicationId = o.tenantManagerApplicationId.toLowerCase();
    this.now = o.now;
    this.asyncDeleteMs = o.asyncDeleteMs;
    this.kinds = o.kinds;
    this.cascades = o.cascades ?? [];
  }

  /**
   * Run the cascades of an object about to be removed for good (before it leaves the store, so that a cascade still
   * sees it).
   */
  cascade(collection: string, removed: JsonObject, parent?: JsonObject): void {
    for (const c of this.cascades) if (c.collection === collection) c.remove?.(this, removed, parent);
  }

  /** Run the update cascades of an object just updated (`Cascade.update`). */
  cascadeUpdate(collection: string, before: JsonObject, after: JsonObject, parent?: JsonObject): void {
    for (const c of this.cascades) if (c.collection === collection) c.update?.(this, before, after, parent);
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
}
