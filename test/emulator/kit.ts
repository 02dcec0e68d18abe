/**
 * A test kit for the emulator's generic parts (crud.ts, refs.ts): an emulator state serving only the kind specs a
 * test registers, and a caller that routes requests to their handlers the way the server does (router, path
 * parameters, tenant header, content type), without a socket. The specs are tiny fakes with no rules of their own, so
 * that what a test sees is the pipeline's behaviour, common to every kind.
 */
import type { JsonObject } from '../../src/core/types.js';
import { kindRoutes, type KindSpec } from '../../src/emulator/crud.js';
import type { EmulatorRequest, Method } from '../../src/emulator/http.js';
import { Router } from '../../src/emulator/router.js';
import { col, EmulatorState } from '../../src/emulator/state.js';

/** The default tenant of a kit's state. */
export const T0 = 'd0000000-0000-4000-8000-00000000000d';

/** A reply as a test sees it. */
export interface KitReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- why: tests dig into arbitrary reply JSON
  body?: any;
}

/** A state serving `specs`, a mutable clock, and a caller. */
export interface Kit {
  state: EmulatorState;
  clock: { now: number };
  call(method: Method, path: string, body?: unknown, o?: { contentType?: string; tenantId?: string }): Promise<KitReply>;
  /** Put an object straight into a kind's collection (a tenant the fake kinds can belong to, a referenced object). */
  seed(kind: Parameters<typeof col>[0], obj: JsonObject): void;
}

/** Start a kit serving the given specs. */
export function kit(specs: KindSpec[], licensed = false): Kit {
  const clock = { now: 1_700_000_000_000 };
  const state = new EmulatorState({ apiKey: 'k', licensed, version: '1.69.0', defaultTenantId: T0, now: () => clock.now, asyncDeleteMs: 100, kinds: specs.map((s) => s.kind) });
  const router = new Router(specs.map((s) => kindRoutes(s)));
  return {
    state,
    clock,
    call: async (method, path, body, o = {}) => {
      const url = new URL(path, 'http://emulator.invalid');
      const m = router.match(method, url.pathname);
      if (m.route === undefined) return { status: m.status };
      const req: EmulatorRequest = { method, path: url.pathname, query: url.searchParams, headers: {}, body: body as EmulatorRequest['body'], params: m.params };
      if (o.contentType) req.contentType = o.contentType;
      if (o.tenantId) req.tenantHeader = o.tenantId;
      const r = await m.route.handle(req, state, { authenticated: true });
      // Through JSON, as the server sends it: a test never holds the stored objects themselves.
      return r.body === undefined ? { status: r.status } : { status: r.status, body: JSON.parse(JSON.stringify(r.body)) };
    },
    seed: (kind, obj) => state.store.put(col(kind), obj),
  };
}

/** Every code of a reply, `field: code` for field errors and `code` for general ones, in the reply's order. */
export function codesOf(r: KitReply): string[] {
  const out: string[] = [];
  for (const [f, list] of Object.entries((r.body?.fieldErrors ?? {}) as Record<string, Array<{ code: string }>>)) for (const x of list) out.push(`${f}: ${x.code}`);
  for (const x of (r.body?.generalErrors ?? []) as Array<{ code: string }>) out.push(x.code);
  return out;
}
