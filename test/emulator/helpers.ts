/**
 * Test helpers: an in-process emulator and a tiny fetch wrapper that returns status, parsed body and raw text.
 * Every response body seen through `call` is also collected (for the contract test).
 */
import { expect } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

/** One response as a test sees it. */
export interface Res {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- why: tests dig into arbitrary response JSON
  body: any;
  text: string;
  headers: Headers;
}

/** Options of one call. */
export interface CallOptions {
  contentType?: string;
  tenantId?: string;
  /** API key to send; `null` sends none. Defaults to the emulator's key. */
  key?: string | null;
  /** Send this raw text instead of JSON-encoding `body`. */
  raw?: string;
}

/** Every (method, path, status, body) seen by `call`, for the contract test. */
export const seen: Array<{ method: string; path: string; status: number; body: unknown }> = [];

/** A client bound to one emulator. */
export interface Client {
  e: Emulator;
  call(method: string, path: string, body?: unknown, o?: CallOptions): Promise<Res>;
  get(path: string, o?: CallOptions): Promise<Res>;
  post(path: string, body?: unknown, o?: CallOptions): Promise<Res>;
  put(path: string, body?: unknown, o?: CallOptions): Promise<Res>;
  patch(path: string, body?: unknown, o?: CallOptions): Promise<Res>;
  del(path: string, o?: CallOptions & { body?: unknown }): Promise<Res>;
}

/** Start an emulator with a fixed key and return a client for it. */
export async function start(options: EmulatorOptions = {}): Promise<Client> {
  const e = await startEmulator({ apiKey: 'test-key', ...options });
  const call = async (method: string, path: string, body?: unknown, o: CallOptions = {}): Promise<Res> => {
    const headers: Record<string, string> = {};
    const key = o.key === undefined ? e.apiKey : o.key;
    if (key !== null) headers.Authorization = key;
    if (o.tenantId) headers['X-FusionAuth-TenantId'] = o.tenantId;
    let payload: string | undefined;
    if (o.raw !== undefined) payload = o.raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['Content-Type'] = o.contentType ?? 'application/json';
    const r = await fetch(`${e.url}${path}`, { method, headers, body: payload });
    const text = await r.text();
    let parsed: unknown;
    if (text !== '') parsed = JSON.parse(text);
    seen.push({ method, path, status: r.status, body: parsed });
    return { status: r.status, body: parsed, text, headers: r.headers };
  };
  return clientOf(e, call);
}

/** A client whose shorthand methods all go through `call` (a test may wrap another client's `call`). */
export function clientOf(e: Emulator, call: Client['call']): Client {
  return {
    e,
    call,
    get: (p, o) => call('GET', p, undefined, o),
    post: (p, b, o) => call('POST', p, b, o),
    put: (p, b, o) => call('PUT', p, b, o),
    patch: (p, b, o) => call('PATCH', p, b, o),
    del: (p, o) => call('DELETE', p, o?.body, o),
  };
}

/** The codes of a field's errors. */
export function codes(res: Res, field: string): string[] {
  return ((res.body?.fieldErrors?.[field] ?? []) as Array<{ code: string }>).map((x) => x.code);
}

/** Every code in a response, `field: code` for field errors and `code` for general ones. */
export function allCodes(res: Res): string[] {
  const out: string[] = [];
  for (const [f, list] of Object.entries((res.body?.fieldErrors ?? {}) as Record<string, Array<{ code: string }>>)) for (const x of list) out.push(`${f}: ${x.code}`);
  for (const x of (res.body?.generalErrors ?? []) as Array<{ code: string }>) out.push(x.code);
  return out;
}

/** A valid Twilio messenger body. */
export function twilio(name = 'Twilio SMS', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { messenger: { type: 'Twilio', name, url: 'https://api.twilio.com', accountSID: 'AC123', authToken: 'token-123', fromPhoneNumber: '+15555550100', ...extra } };
}

/** A valid SMS template body. */
export function smsTemplate(name = 'Verify phone', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { messageTemplate: { type: 'SMS', name, defaultTemplate: 'Your code is ${code}', ...extra } };
}

/** The id of an email template that exists: a new one (a fresh instance has none; the setup wizard makes them). */
export async function anEmailTemplate(c: Client): Promise<string> {
  const name = `Template ${crypto.randomUUID()}`;
  const r = await c.post('/api/email/template', { emailTemplate: { name, defaultSubject: 'Hello', defaultHtmlTemplate: '<p>Hello</p>', defaultTextTemplate: 'Hello' } });
  expect(r.status, r.text).toBe(200);
  return r.body.emailTemplate.id as string;
}

/** Fixed ids for readable tests. */
export const ID = {
  m1: '6b1d0000-0000-4000-8000-000000000001',
  m2: '6b1d0000-0000-4000-8000-000000000002',
  t1: '9f0e0000-0000-4000-8000-000000000001',
  t2: '9f0e0000-0000-4000-8000-000000000002',
  tenant1: '0b8e0000-0000-4000-8000-000000000001',
  tenant2: '0b8e0000-0000-4000-8000-000000000002',
  app1: 'a0000000-0000-4000-8000-000000000001',
  app2: 'a0000000-0000-4000-8000-000000000002',
  role1: 'r0000000-0000-4000-8000-000000000001'.replace('r', 'c'),
  defaultTenant: 'd0000000-0000-4000-8000-00000000000d',
  missing: 'eeeeeeee-0000-4000-8000-000000000000',
} as const;

/** The FusionAuth admin application's id. */
export const FA_APP = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';

/**
 * Watches `Object.prototype` for pollution: `assertClean()` fails when it gained a key (or `({}).auth` is defined);
 * `restore()` deletes any gained key so that one failing test cannot break the others in the same worker.
 */
export function prototypeGuard(): { assertClean(): void; restore(): void } {
  const before = new Set(Object.getOwnPropertyNames(Object.prototype));
  const gained = (): string[] => Object.getOwnPropertyNames(Object.prototype).filter((k) => !before.has(k));
  return {
    assertClean: () => {
      expect(({} as Record<string, unknown>).auth).toBeUndefined();
      expect(gained()).toEqual([]);
    },
    restore: () => {
      for (const k of gained()) delete (Object.prototype as Record<string, unknown>)[k];
    },
  };
}
