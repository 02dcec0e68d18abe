/**
 * A small router over route modules. Each resource kind (and any later user-side module such as `/api/user`)
 * is a `RouteModule`: a list of routes with path patterns. The router knows nothing about FusionAuth; adding
 * endpoints means adding a module to the list given to the server, never editing this file.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Json } from '../core/types.js';
import type { EmulatorState } from './state.js';

/** HTTP methods the emulator routes. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A parsed request as a handler sees it. */
export interface EmulatorRequest {
  method: Method;
  /** Path without the query string, e.g. `/api/tenant/0b8e…`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when the body was empty. */
  body: Json | undefined;
  /** The media type of the body without parameters, lowercased (e.g. `application/merge-patch+json`). */
  contentType?: string;
  /** Path parameters from the route pattern (`:id` → `params.id`). */
  params: Record<string, string>;
  /** The `X-FusionAuth-TenantId` header, when sent. */
  tenantHeader?: string;
}

/**
 * What a handler returns. A reply without `body` is sent with an empty body. The body is only serialised (by the
 * server's `send`), so a list reply may hold the stored objects themselves.
 */
export interface Reply {
  status: number;
  body?: Json;
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
  handle(req: EmulatorRequest, state: EmulatorState, auth: { authenticated: boolean }): Reply | Promise<Reply>;
}

/** A group of routes, typically one resource kind. */
export interface RouteModule {
  name: string;
  routes: Route[];
}

/**
 * The outcome of matching a request. A miss carries `route: undefined` as an own property, so that telling the two
 * apart never reads through to `Object.prototype`.
 */
export type Match = { route: Route; params: Record<string, string> } | { route: undefined; status: 404 | 405 };

interface Compiled {
  route: Route;
  segments: string[];
  paramCount: number;
}

/** Matches requests to routes; a path known for another method gives 405, an unknown path 404 (reference §1.5). */
export class Router {
  private readonly compiled: Compiled[];

  constructor(modules: RouteModule[]) {
    this.compiled = modules.flatMap((m) =>
      m.routes.map((route) => {
        const segments = split(route.path);
        return { route, segments, paramCount: segments.filter((s) => s.startsWith(':')).length };
      }),
    );
  }

  /** Find the route for a method and path. Static segments win over parameters (`/api/tenant/search` before `/api/tenant/:id`). */
  match(method: string, path: string): Match {
    const parts = split(path);
    let best: { c: Compiled; params: Record<string, string> } | undefined;
    let pathKnown = false;
    for (const c of this.compiled) {
      const params = matchSegments(c.segments, parts);
      if (!params) continue;
      pathKnown = true;
      if (c.route.method !== method) continue;
      if (!best || c.paramCount < best.c.paramCount) best = { c, params };
    }
    if (best) return { route: best.c.route, params: best.params };
    return { route: undefined, status: pathKnown ? 405 : 404 };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const v = parts[i] as string;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(v);
      } catch {
        return undefined;
      }
    } else if (p !== v) {
      return undefined;
    }
  }
  return params;
}
