/**
 * The HTTP front of the emulator: reads a request, applies latency and fault injection, routes it, checks the API
 * key, parses the JSON body, runs the handler, persists the state if it changed, writes the reply and logs it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from '../core/types.js';
import { generalError } from './errors.js';
import type { FaultInjector, Latency } from './faults.js';
import type { EmulatorRequest, Method, Reply, Router } from './router.js';
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
  log?: (line: string) => void;
  /** Told about each logged request after its reply was sent (see `EmulatorOptions.onRequest`). */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Waits out an injected latency (see `EmulatorOptions.sleep`); default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;
const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Whether the Authorization header carries the key: raw (reference §1.1) or, where allowed, HTTP Basic `apikey:<key>`. */
function authenticated(header: string | undefined, apiKey: string, basic: boolean): boolean {
  if (header === undefined) return false;
  if (header === apiKey) return true;
  if (basic && header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    return decoded === `apikey:${apiKey}`;
  }
  return false;
}

/** Handle one HTTP request end to end. Never throws: internal errors become an empty 500. */
export async function handle(p: Pipeline, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    }
    headers['Content-Length'] = String(Buffer.byteLength(payload));
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
    const raw = await readBody(req);
    p.state.completeDueDeletes();
    if (!own) {
      const delay = p.latency.draw();
      if (delay > 0) await (p.sleep ?? sleep)(delay);
      fault = p.faults.draw();
      if (fault === 'reset') return reset();
      if (fault === '500') return send({ status: 500 });
      if (fault === '503' || fault === '429') return send({ status: Number(fault), headers: { 'Retry-After': String(p.faults.retryAfterSeconds) } });
      if (fault === '409') return send({ ...generalError('[retryableConflict]', 'The request conflicted with a concurrent request; retry it.'), status: 409 });
    }
    if (raw === undefined) return send({ status: 413 });
    if (!METHODS.includes(method)) return send({ status: 405 });
    const match = p.router.match(method, url.pathname);
    if ('status' in match) return send({ status: match.status });
    const mode = match.route.auth ?? 'apiKey';
    const authOk = authenticated(req.headers.authorization, p.state.apiKey, mode === 'apiKeyOrBasic');
    if ((mode === 'apiKey' || mode === 'apiKeyOrBasic') && !authOk) return send({ status: 401 });

    let body: EmulatorRequest['body'];
    const text = raw.toString('utf8');
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text) as JsonObject;
      } catch (e) {
        return send(generalError('[invalidJSON]', `Unable to parse JSON: ${(e as Error).message}`));
      }
    }
    const request: EmulatorRequest = { method: method as Method, path: url.pathname, query: url.searchParams, headers: req.headers, body, params: match.params };
    if (contentType) request.contentType = contentType;
    if (tenantHeader) request.tenantHeader = tenantHeader;
    const reply = await match.route.handle(request, p.state, { authenticated: authOk });
    if (p.state.store.dirty) {
      p.persist();
      p.state.store.dirty = false;
    }
    if (fault === 'reset-after') return reset();
    return send(reply);
  } catch (e) {
    p.log?.(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    if (!res.headersSent) return send({ status: 500 });
    res.destroy();
  }
}
