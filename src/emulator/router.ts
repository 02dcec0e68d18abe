/**
 * A small router over route modules. Each resource kind (and any later user-side module such as `/api/user`)
 * is a `RouteModule`: a list of routes with path patterns. The router knows nothing about FusionAuth; adding
 * endpoints means adding a module to the list given to the server, never editing this file.
 */
import type { Route, RouteModule } from './http.js';

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
