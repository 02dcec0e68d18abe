/**
 * The emulator's HTTP vocabulary: a parsed request, a reply, and the route types every resource module is written
 * in. Its own module so that the state, the error envelope and the router depend on it and not on each other.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Json, JsonObject } from '../core/types.js';
import type { Cascade, EmulatorState } from './state.js';

/** HTTP methods the emulator routes. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A parsed request as a handler sees it. */
export interface EmulatorRequest {
  method: Method;
  /** Path without the query string, e.g. `/api/tenant/0b8e…`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when the body was empty or form-encoded. */
  body: Json | undefined;
  /** The fields of an `application/x-www-form-urlencoded` body, for a route that takes them (`Route.form`). */
  form?: URLSearchParams;
  /** The media type of the body without parameters, lowercased (e.g. `application/merge-patch+json`). */
  contentType?: string;
  /** Path parameters from the route pattern (`:id` → `params.id`). */
  params: Record<string, string>;
  /**
   * The `X-FusionAuth-TenantId` header, when sent; for a request authenticated by a key locked to a tenant, that tenant
   * (the key scopes the request as the header would, auth.ts).
   */
  tenantHeader?: string;
  /** The stored API key object the request authenticated with (the API key API checks its authority over other keys). */
  caller?: JsonObject;
}

/**
 * What a handler returns. A reply without `body` is sent with an empty body. The body is only serialised (by the
 * server's `send`), so a list reply may hold the stored objects themselves.
 */
export interface Reply {
  status: number;
  body?: Json;
  /** A body that is not JSON (the hosted pages' HTML), sent as is; `headers` should name its `Content-Type`. */
  text?: string;
  headers?: Record<string, string>;
}

/**
 * Who may call a route: `apiKey` (FusionAuth's `Authorization: <key>`, reference §1.1), `apiKeyOrBasic` (also HTTP
 * Basic with user `apikey`, as /api/status and /api/system/version accept), `none` (no authentication), or
 * `optional` (the handler sees whether a valid key was sent, as /api/status answers differently).
 */
export type AuthMode = 'apiKey' | 'apiKeyOrBasic' | 'none' | 'optional';

/** One endpoint. */
export interface Route {
  method: Method;
  /** Path pattern with `:name` segments, e.g. `/api/application/:id/role/:roleId`. */
  path: string;
  auth?: AuthMode;
  /**
   * The route takes `application/x-www-form-urlencoded` bodies (FusionAuth's OAuth2 endpoints and hosted pages): such a
   * body is given as `req.form` instead of being parsed as JSON. Other routes answer a form body `[invalidJSON]`.
   */
  form?: boolean;
  handle(req: EmulatorRequest, state: EmulatorState, auth: { authenticated: boolean }): Reply | Promise<Reply>;
}

/** A group of routes, typically one resource kind. */
export interface RouteModule {
  name: string;
  routes: Route[];
  /** The objects of this module's collections that go when an object of another collection is removed (state.ts `Cascade`). */
  cascades?: readonly Cascade[];
}
