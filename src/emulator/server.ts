/**
 * The HTTP front of the emulator: routes a request and checks its API key from the headers alone, only then reads its
 * body (bounded), applies latency and fault injection, parses the JSON body and refuses prototype keys in it, runs the
 * handler, persists the state if it changed, writes the reply and logs it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json, JsonObject } from '../core/types.js';
import { authenticate, authorize } from './auth.js';
import { generalError } from './errors.js';
import type { FaultInjector, Latency } from './faults.js';
import { MAX_BODY_BYTES } from './limits.js';
import { FORBIDDEN_KEYS } from './patch.js';
import type { AuthMode, EmulatorRequest, Method, Reply, Route } from './http.js';
import type { Router } from './router.js';
import type { EmulatorState } from './state.js';

/** One logged request (the emulator's own `/_emulator/…` endpoints are not logged). */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** The query string without `?` (empty when none). */
  query: string;
  /** Status sent; 0 when the connection was reset instead. */
  status: number;
  /** The request's Content-Type media type (tells the PATCH flavours apart). */
  contentType?: string;
  /** The X-FusionAuth-TenantId header, when sent. */
  tenantId?: string;
  durationMs: number;
  /** The injected fault, when one was. */
  fault?: string;
}

/** What the request pipeline needs besides the state. */
export interface Pipeline {
  state: EmulatorState;
  router: Router;
  faults: FaultInjector;
  latency: Latency;
  requests: RequestLogEntry[];
  persist(): void;
  /** Complete the state's work that has come due (async deletes) before a request is answered. */
  settle(): void;
  log?: (line: string) => void;
  /** Told about each logged request after its reply was sent (see `EmulatorOptions.onRequest`). */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Waits out an injected latency (see `EmulatorOptions.sleep`); default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The error code of the 400 for a body that holds a key in `FORBIDDEN_KEYS` (`__proto__`, `constructor`, `prototype`).
 * This refusal is the emulator's choice, not FusionAuth's: a real server binds JSON with Jackson, ignores unknown
 * properties (reference §13) and would keep such a key in a free-form `data` map. In JavaScript these keys reach the
 * prototype chain (a PATCH with `{"tenant":{"__proto__":{"auth":"none"}}}` once turned authentication off), so the
 * emulator refuses them before any handler runs. `[invalidJSON]` is the code FusionAuth gives a body it cannot bind,
 * the nearest code a client already handles.
 */
const FORBIDDEN_KEY_CODE = '[invalidJSON]';

/**
 * Read a request body, at most `MAX_BODY_BYTES` bytes: undefined when it is larger (reading stops there and nothing
 * more is kept). Rejects when the connection closes before the body ended, so that an aborted upload frees its chunks.
 */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('the connection closed before the request body ended'));
    });
  });
}

/**
 * The dotted path (`tenant.data.__proto__`) of the first key in `FORBIDDEN_KEYS` anywhere in a parsed body, or
 * undefined. Iterative, with the path built only for a hit, so that it is linear in the body whatever its depth.
 */
export function forbiddenKeyPath(body: Json): string | undefined {
  interface Node {
    value: Json;
    /** `name` for an object member, `[3]` for an array element. */
    step: string;
    parent: Node | undefined;
  }
  const pathOf = (n: Node): string => {
    const steps: string[] = [];
    for (let c: Node | undefined = n; c?.parent !== undefined; c = c.parent) steps.push(c.step);
    return steps.reverse().join('');
  };
  const stack: Node[] = [{ value: body, step: '', parent: undefined }];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    const v = n.value;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i] as Json, step: `[${i}]`, parent: n });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i] as string;
      const child: Node = { value: v[k] as Json, step: n.parent === undefined ? k : `.${k}`, parent: n };
      if (FORBIDDEN_KEYS.has(k)) return pathOf(child);
      stack.push(child);
    }
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * How a route authenticates, read from the route's own `auth` property only: a value inherited from a polluted
 * `Object.prototype`, or anything but the four known modes, counts as `apiKey`, so nothing can switch the check off.
 */
function authMode(route: Route): AuthMode {
  const v: unknown = Object.hasOwn(route, 'auth') ? route.auth : undefined;
  return v === 'apiKeyOrBasic' || v === 'none' || v === 'optional' ? v : 'apiKey';
}


/**
 * Handle one HTTP request end to end. Never throws: internal errors become an empty 500. `expectContinue` is set for
 * a request that sent `Expect: 100-continue`: it is told to send its body only once the headers passed every check.
 */
export async function handle(p: Pipeline, req: IncomingMessage, res: ServerResponse, expectContinue = false): Promise<void> {
  const started = performance.now();
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const contentType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase() || undefined;
  const tenantHeader = typeof req.headers['x-fusionauth-tenantid'] === 'string' ? req.headers['x-fusionauth-tenantid'].trim() : undefined;
  const own = url.pathname.startsWith('/_emulator/');
  let fault: string | undefined;

  const finish = (status: number): void => {
    if (own) return;
    const entry: RequestLogEntry = { method, path: url.pathname, query: url.search.replace(/^\?/, ''), status, durationMs: Math.round((performance.now() - started) * 100) / 100 };
    if (contentType) entry.contentType = contentType;
    if (tenantHeader) entry.tenantId = tenantHeader;
    if (fault) entry.fault = fault;
    p.requests.push(entry);
    // One line per request; never the API key or bodies.
    p.log?.(`${method} ${url.pathname}${url.search} ${status === 0 ? 'reset' : status} ${Math.round(entry.durationMs)}ms${fault ? ` fault=${fault}` : ''}`);
    try {
      p.onRequest?.(entry);
    } catch {
      // A test hook's failure must not turn into a reply to the client.
    }
  };
  const send = (reply: Reply): void => {
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload = '';
    if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body);
      headers['Content-Type'] = 'application/json;charset=UTF-8';
    } else if (reply.text !== undefined) {
      payload = reply.text;
      headers['Content-Type'] ??= 'text/html;charset=UTF-8';
    }
    headers['Content-Length'] = String(Buffer.byteLength(payload));
    // A reply sent before the body was read in full (401, 404, 405, 413, an injected fault) closes the connection: the
    // rest of the body is never read, let alone kept.
    if (!req.complete) headers.Connection = 'close';
    res.writeHead(reply.status, headers);
    res.end(payload);
    finish(reply.status);
  };
  const reset = (): void => {
    req.socket.destroy();
    res.destroy();
    finish(0);
  };

  try {
    // Everything that can refuse a request from its headers alone runs before its body is read, so that an
    // unauthenticated or unroutable request never makes the emulator buffer its body.
    let early: Reply | undefined;
    let routed: { route: Route; params: Record<string, string> } | undefined;
    let authOk = false;
    let caller: JsonObject | undefined;
    let keyTenant: string | undefined;
    if (!METHODS.includes(method)) {
      early = { status: 405 };
    } else {
      const match = p.router.match(method, url.pathname);
      if (match.route === undefined) {
        early = { status: match.status };
      } else {
        const mode = authMode(match.route);
        if (own) {
          // The emulator's own endpoints answer the bootstrap key's value, whatever became of its API key object.
          authOk = req.headers.authorization === p.state.apiKey;
        } else if (mode !== 'none') {
          const key = authenticate(p.state, req.headers.authorization, mode === 'apiKeyOrBasic');
          const decision = key ? authorize(key, match.route.path, method, tenantHeader) : { ok: false as const };
          if (decision.ok) {
            authOk = true;
            caller = key;
            keyTenant = decision.tenantId;
          }
        }
        if (!authOk && mode !== 'none' && mode !== 'optional') early = { status: 401 };
        else if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) early = { status: 413 };
        else routed = match;
      }
    }
    let accepted: { route: Route; params: Record<string, string>; raw: Buffer } | undefined;
    if (routed !== undefined) {
      if (expectContinue) res.writeContinue();
      const raw = await readBody(req);
      if (raw === undefined) early = { status: 413 };
      else accepted = { ...routed, raw };
    }
    p.settle();
    if (!own) {
      const delay = p.latency.draw();
      if (delay > 0) await (p.sleep ?? sleep)(delay);
      fault = p.faults.draw();
      if (fault === 'reset') return reset();
      if (fault === '500') return send({ status: 500 });
      if (fault === '503' || fault === '429') return send({ status: Number(fault), headers: { 'Retry-After': String(p.faults.retryAfterSeconds) } });
      if (fault === '409') return send({ ...generalError('[retryableConflict]', 'The request conflicted with a concurrent request; retry it.'), status: 409 });
    }
    if (accepted === undefined) return send(early ?? { status: 500 });
    const { route, params, raw } = accepted;

    let body: EmulatorRequest['body'];
    let form: URLSearchParams | undefined;
    const text = raw.toString('utf8');
    // FusionAuth's OAuth2 endpoints and hosted pages take form posts (RFC 6749 §4.1.3); everything else is JSON.
    if (route.form === true && contentType === 'application/x-www-form-urlencoded') form = new URLSearchParams(text);
    else if (text.trim() !== '') {
      try {
        body = JSON.parse(text) as JsonObject;
      } catch (e) {
        return send(generalError('[invalidJSON]', `Unable to parse JSON: ${(e as Error).message}`));
      }
      const bad = forbiddenKeyPath(body);
      if (bad !== undefined) return send(generalError(FORBIDDEN_KEY_CODE, `Unable to parse JSON: the key [${bad}] is not allowed in a request body.`));
    }
    const request: EmulatorRequest = { method: method as Method, path: url.pathname, query: url.searchParams, headers: req.headers, body, params };
    if (contentType) request.contentType = contentType;
    if (form) request.form = form;
    if (keyTenant ?? tenantHeader) request.tenantHeader = keyTenant ?? tenantHeader;
    if (caller) request.caller = caller;
    const reply = await route.handle(request, p.state, { authenticated: authOk });
    if (p.state.store.dirty) {
      p.persist();
      p.state.store.dirty = false;
    }
    if (fault === 'reset-after') return reset();
    return send(reply);
  } catch (e) {
    if (req.socket.destroyed) {
      // The client went away (e.g. in the middle of its body): nobody to answer, logged like a reset.
      finish(0);
      return;
    }
    p.log?.(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    if (!res.headersSent) return send({ status: 500 });
    res.destroy();
  }
}
