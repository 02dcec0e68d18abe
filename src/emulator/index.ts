/**
 * An emulator of the FusionAuth REST API for the four kinds kickstand manages (messengers, message templates,
 * tenants, applications), faithful to FusionAuth 1.59+ on every point `fusionauth-api.md` establishes. It runs
 * in-process for tests (`startEmulator()`) and as `kickstand emulator`.
 *
 * Besides FusionAuth's API it serves its own `/_emulator/…` endpoints (see resources/emulatorAdmin.ts), which are not
 * part of FusionAuth.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Json, JsonObject } from '../core/types.js';
import { boot, completeDueDeletes } from './crud.js';
import { KIND_SPECS } from './kinds/index.js';
import { FaultInjector, Latency, type FaultOptions } from './faults.js';
import { emulatorAdminRoutes } from './resources/emulatorAdmin.js';
import { DEFAULT_MAX_CONNECTIONS } from './limits.js';
import { FUSIONAUTH_ROUTES } from './resources/index.js';
import type { RouteModule } from './http.js';
import { Router } from './router.js';
import { handle, type Pipeline, type RequestLogEntry } from './server.js';
import { col, EmulatorState } from './state.js';
import { isUuid } from './values.js';
import { readStateFile, writeStateFile } from './store.js';
import { DEFAULT_VERSION } from './version.js';
import { TENANT_MANAGER_SINCE } from './defaults.js';
import { olderThan } from '../core/preflight.js';
import { outboxMessages } from './users/outbox.js';

export type { FaultKind, FaultOptions } from './faults.js';
export type { RequestLogEntry } from './server.js';
export type { EmulatorRequest, Reply, Route, RouteModule, AuthMode, Method } from './http.js';
export type { Cascade, EmulatorState } from './state.js';

export { DEFAULT_VERSION } from './version.js';
export { DEFAULT_MAX_CONNECTIONS, MAX_BODY_BYTES } from './limits.js';

/** How to start an emulator. */
export interface EmulatorOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (a random free port). The command defaults to 9011. */
  port?: number;
  /**
   * The API key clients must send in `Authorization`; default a random one. It is the value of the emulator's
   * bootstrap API key: a super key and key manager, as Kickstart's first key (reference §9), stored like any API key.
   */
  apiKey?: string;
  /** The id of the bootstrap API key; default `BOOTSTRAP_API_KEY_ID`. */
  apiKeyId?: string;
  /** Whether the server has a license (`GET /api/reactor`); default false. */
  licensed?: boolean;
  /** Version reported by `/api/system/version` and `/api/status`; default 1.69.0. */
  version?: string;
  /** Id of the Default tenant; default a random UUID (as on a real install, reference §1.3). */
  defaultTenantId?: string;
  /**
   * Id of the Tenant manager application, which FusionAuth has since 1.58.0; default a random UUID, as on a real
   * install (Kickstart's `tenantManagerApplicationId` fixes it on 1.60+, reference §9). Refused with a `version` before
   * 1.58.0. A loaded state file's id wins, as for `defaultTenantId`.
   */
  tenantManagerApplicationId?: string;
  /** Fixed delay added to every FusionAuth request, in ms. */
  latencyMs?: number;
  /** Uniform random extra delay in [0, jitterMs). */
  jitterMs?: number;
  /** Fault injection; off by default. */
  faults?: FaultOptions;
  /**
   * Persist the state as JSON after every write; load it at start when the file exists (it then wins over
   * `defaultTenantId`). The file holds secrets: it is written with mode 0600, and a folder the emulator creates for it
   * gets mode 0700.
   */
  statePath?: string;
  /**
   * Most connections open at once (`server.maxConnections`); further ones are closed as they arrive. Default
   * `DEFAULT_MAX_CONNECTIONS`.
   */
  maxConnections?: number;
  /** Injectable clock (epoch ms) for instants and async deletes. */
  now?: () => number;
  /** One line per request (method, path, status, ms); never the API key or bodies. */
  log?: (line: string) => void;
  /** Time an async tenant delete stays `PendingDelete` before the tenant is removed, in ms of `now()`; default 100. */
  asyncDeleteMs?: number;
  /** Extra route modules (e.g. user-side endpoints); they may override nothing, only add paths. */
  routes?: RouteModule[];
  /**
   * Called with each logged FusionAuth request right after its reply was sent (or its connection reset), e.g. so that
   * a crash test can kill a client right after its k-th successful write. Exceptions thrown here are ignored.
   */
  onRequest?: (entry: RequestLogEntry) => void;
  /**
   * How an injected latency is waited out; default a `setTimeout`. Tests pass a recorder to check the drawn delays
   * without comparing wall-clock durations.
   */
  sleep?: (ms: number) => Promise<void>;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly apiKey: string;
  /** The id of the bootstrap API key (`GET /api/api-key/<id>` reads it). */
  readonly apiKeyId: string;
  readonly port: number;
  /** The Default tenant's id. */
  readonly defaultTenantId: string;
  /** The Tenant manager application's id; undefined when the reported version is older than 1.58.0. */
  readonly tenantManagerApplicationId?: string;
  /** Every FusionAuth request, in order (the `/_emulator` endpoints are not logged). */
  readonly requests: RequestLogEntry[];
  clearLog(): void;
  setLicensed(v: boolean): void;
  setFaults(f: FaultOptions | undefined): void;
  setLatency(ms: number, jitterMs?: number): void;
  /** Back to the boot state (same Default tenant id); clears the request log. */
  reset(): void;
  /** Deep copy of the stored objects by kind (keys with their private keys and secrets, as stored), for assertions. */
  snapshot(): { tenants: JsonObject[]; applications: JsonObject[]; messengers: JsonObject[]; messageTemplates: JsonObject[]; keys: JsonObject[]; webhooks: JsonObject[] };
  /** Deep copy of the messages the emulator "sent" instead of calling a messenger (users/outbox.ts), oldest first. */
  outbox(): JsonObject[];
  stop(): Promise<void>;
}

/** Start an emulator and resolve once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const loaded = options.statePath ? readStateFile(options.statePath) : undefined;
  const requestedTenant = options.defaultTenantId;
  if (requestedTenant !== undefined && !isUuid(requestedTenant)) throw new Error(`defaultTenantId must be a UUID, got "${requestedTenant}"`);
  if (options.apiKeyId !== undefined && !isUuid(options.apiKeyId)) throw new Error(`apiKeyId must be a UUID, got "${options.apiKeyId}"`);
  const version = options.version ?? DEFAULT_VERSION;
  const requestedManager = options.tenantManagerApplicationId;
  if (requestedManager !== undefined && !isUuid(requestedManager)) throw new Error(`tenantManagerApplicationId must be a UUID, got "${requestedManager}"`);
  if (requestedManager !== undefined && olderThan(version, TENANT_MANAGER_SINCE)) {
    throw new Error(`tenantManagerApplicationId needs version ${TENANT_MANAGER_SINCE} or later: FusionAuth ${version} has no Tenant manager application`);
  }
  if (options.apiKey !== undefined && options.apiKey === '') throw new Error('apiKey must not be empty');
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new Error(`maxConnections must be a positive integer, got ${String(maxConnections)}`);
  const state = new EmulatorState({
    apiKey: options.apiKey ?? randomBytes(24).toString('base64url'),
    ...(options.apiKeyId !== undefined ? { apiKeyId: options.apiKeyId } : {}),
    licensed: options.licensed ?? false,
    version,
    defaultTenantId: loaded?.defaultTenantId ?? requestedTenant ?? randomUUID(),
    tenantManagerApplicationId: loaded?.tenantManagerApplicationId ?? requestedManager ?? randomUUID(),
    now: options.now ?? Date.now,
    asyncDeleteMs: options.asyncDeleteMs ?? 100,
    kinds: KIND_SPECS.map((k) => k.kind),
    cascades: [...FUSIONAUTH_ROUTES, ...(options.routes ?? [])].flatMap((m) => m.cascades ?? []),
  });
  if (loaded) {
    state.store.load(loaded);
    for (const spec of KIND_SPECS) spec.afterLoad?.(state);
  } else {
    boot(state, KIND_SPECS);
  }
  if (options.log) state.log = options.log;

  const persist = (): void => {
    if (options.statePath) writeStateFile(options.statePath, state.store.toFile(state.defaultTenantId, state.tenantManagerApplicationId));
  };
  if (!loaded || state.store.dirty) persist();
  state.store.dirty = false;

  const requests: RequestLogEntry[] = [];
  const faults = new FaultInjector(options.faults);
  const latency = new Latency(options.latencyMs ?? 0, options.jitterMs ?? 0, options.faults?.seed);
  const controls = {
    requests: (): Json => structuredClone(requests) as unknown as Json,
    clearLog: (): void => void requests.splice(0, requests.length),
    reset: (): void => {
      boot(state, KIND_SPECS);
      persist();
      state.store.dirty = false;
      requests.splice(0, requests.length);
    },
    setLicensed: (v: boolean): void => void (state.licensed = v),
    setFaults: (f: FaultOptions | undefined): void => faults.set(f),
    setLatency: (ms: number, jitterMs = 0): void => {
      latency.ms = ms;
      latency.jitterMs = jitterMs;
    },
  };
  const router = new Router([...FUSIONAUTH_ROUTES, ...(options.routes ?? []), emulatorAdminRoutes(controls)]);
  const pipeline: Pipeline = { state, router, faults, latency, requests, persist, settle: () => completeDueDeletes(state) };
  if (options.log) pipeline.log = options.log;
  if (options.onRequest) pipeline.onRequest = options.onRequest;
  if (options.sleep) pipeline.sleep = options.sleep;

  const server: Server = createServer((req, res) => void handle(pipeline, req, res));
  // A client that asks before sending its body (`Expect: 100-continue`, as curl does for large bodies) is answered
  // 401/404/… without being asked for the body.
  server.on('checkContinue', (req, res) => void handle(pipeline, req, res, true));
  server.maxConnections = maxConnections;
  // Async tenant deletes also complete without traffic (and the state file catches up).
  const timer = setInterval(() => {
    if (state.pendingDeletes.size === 0) return;
    completeDueDeletes(state);
    if (state.store.dirty) {
      persist();
      state.store.dirty = false;
    }
  }, 25);
  timer.unref();

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let stopped = false;

  return {
    url: `http://${urlHost}:${port}`,
    apiKey: state.apiKey,
    apiKeyId: state.apiKeyId,
    port,
    defaultTenantId: state.defaultTenantId,
    ...(state.tenantManagerApplicationId !== undefined ? { tenantManagerApplicationId: state.tenantManagerApplicationId } : {}),
    requests,
    clearLog: controls.clearLog,
    setLicensed: controls.setLicensed,
    setFaults: controls.setFaults,
    setLatency: controls.setLatency,
    reset: controls.reset,
    // One key per emulated kind (its plural); the declared type names today's four for the callers' convenience.
    snapshot: () => Object.fromEntries(KIND_SPECS.map((k) => [col(k.kind), structuredClone(state.store.list(col(k.kind)))])) as ReturnType<Emulator['snapshot']>,
    outbox: () => structuredClone(outboxMessages(state)),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
