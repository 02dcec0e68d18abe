/**
 * Helpers for the user-side tests: a licensed in-process emulator on a fake clock, a fetch wrapper, applying an
 * example with kickstand's library, and contract checks against FusionAuth's OpenAPI schemas.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { apply } from '../../src/engine.js';
import { createClient } from '../../src/fusionauth/client.js';
import { validateAgainst } from '../contract/openapi.js';

/** The example this issue is about: the folder, with its seeded test user (users.yaml, phone number PHONE). */
export const EXAMPLE_FOLDER = fileURLToPath(new URL('../../examples/phone-gating', import.meta.url));
/**
 * The example's configuration without its test user (its kickstand.yaml alone, as its README applies it in
 * production), for the tests that register a phone user of their own: the test user holds PHONE.
 */
export const EXAMPLE = join(EXAMPLE_FOLDER, 'kickstand.yaml');

/** A clock tests move by hand (epoch ms). */
export interface FakeClock {
  now: () => number;
  advance(ms: number): void;
}

/** A fake clock starting at a fixed instant. */
export function fakeClock(start = Date.UTC(2025, 0, 1)): FakeClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** One response as a test sees it. */
export interface Res {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- why: tests dig into arbitrary response JSON
  body: any;
  text: string;
}

/** A running emulator with its clock, log lines and a JSON client. */
export interface Env {
  emu: Emulator;
  clock: FakeClock;
  logs: string[];
  call(method: string, path: string, body?: unknown, o?: { tenantId?: string; key?: string | null; headers?: Record<string, string> }): Promise<Res>;
}

/** Start a (by default licensed) emulator on a fake clock. */
export async function startEnv(options: EmulatorOptions = {}): Promise<Env> {
  const clock = fakeClock();
  const logs: string[] = [];
  const emu = await startEmulator({ licensed: true, now: clock.now, log: (l) => logs.push(l), ...options });
  const call: Env['call'] = async (method, path, body, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const key = o.key === undefined ? emu.apiKey : o.key;
    if (key !== null) headers.Authorization = key;
    if (o.tenantId) headers['X-FusionAuth-TenantId'] = o.tenantId;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    const r = await fetch(`${emu.url}${path}`, { method, headers, body: payload });
    const text = await r.text();
    return { status: r.status, body: text === '' ? undefined : JSON.parse(text), text };
  };
  return { emu, clock, logs, call };
}

/** What applying an example left behind: the ids of the phone-gated tenant and the application. */
export interface Applied {
  tenantId: string;
  appId: string;
}

/** Apply a file or folder with kickstand's library (plan, then apply: the CLI's flow) and return the ids it created. */
export async function applyFolder(env: Env, folder: string, vars: Record<string, string> = {}): Promise<Applied> {
  const client = createClient({ url: env.emu.url, apiKey: env.emu.apiKey, retry: { attempts: 1 } });
  const { plan, result } = await apply({ files: [folder], load: { vars }, client });
  expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.summary.failed).toBe(0);
  const apps = (await env.call('GET', '/api/application')).body.applications as Array<{ id: string; name: string; tenantId: string }>;
  const app = apps.find((a) => a.name === 'Phone app');
  if (!app) throw new Error('the example did not create "Phone app"');
  return { tenantId: app.tenantId, appId: app.id };
}

/**
 * A copy of the example folder with text replacements applied to kickstand.yaml (e.g. verification off), in a temp
 * folder; without its test user (users.yaml) unless `testUser` (see `EXAMPLE`). Each replacement must match, so a
 * changed example fails loudly instead of silently testing the original.
 */
export function exampleVariant(replacements: Array<[string, string]>, o: { testUser?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kickstand-phone-'));
  cpSync(EXAMPLE_FOLDER, dir, { recursive: true });
  if (o.testUser !== true) rmSync(join(dir, 'users.yaml'));
  const file = join(dir, 'kickstand.yaml');
  let text = readFileSync(file, 'utf8');
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`example variant: "${from}" not found in kickstand.yaml`);
    text = text.replace(from, to);
  }
  writeFileSync(file, text);
  return dir;
}

/**
 * Contract errors of a response body against FusionAuth's OpenAPI schemas. The spec models `IdentityType` as an
 * object `{name}` while the server sends the name as a string ([SITE:docs/apis/_shared/_identity_type_response.mdx]);
 * scripts/trim-openapi.ts repairs that in the trimmed schemas.
 */
export function contractErrors(schema: string, body: unknown): string[] {
  return validateAgainst(schema, body);
}

/** Decode a JWT without checking it (header, claims, signature part). */
export function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown>; signature: string } {
  const [h, p, s] = token.split('.');
  const dec = (x: string | undefined): Record<string, unknown> => JSON.parse(Buffer.from(x ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: dec(h), claims: dec(p), signature: s ?? '' };
}

/** The standard phone user of the tests. */
export const PHONE = '+15555550123';
/** Their password (a test value). */
export const PASSWORD = 'correct-horse-battery';
/** The example's variables that give its seeded test user (users.yaml, phone PHONE) this password. */
export const SEED_VARS: Record<string, string> = { testUserPassword: PASSWORD };

/** Register a phone user for the application (the combined user + registration call). */
export async function registerPhoneUser(env: Env, a: Applied, phone = PHONE, extra: Record<string, unknown> = {}): Promise<Res> {
  return env.call('POST', '/api/user/registration', { user: { phoneNumber: phone, password: PASSWORD, ...extra }, registration: { applicationId: a.appId } }, { tenantId: a.tenantId });
}

/** Log in with a phone number (note `loginIdTypes`: the default is email and username). */
export async function loginPhone(env: Env, a: Applied, phone = PHONE, password = PASSWORD): Promise<Res> {
  return env.call('POST', '/api/login', { loginId: phone, loginIdTypes: ['phoneNumber'], password, applicationId: a.appId });
}

/** One response of a browser-like request: status, `Location` (redirects are not followed) and the body text. */
export interface PageRes {
  status: number;
  location: string | null;
  contentType: string | null;
  headers: Headers;
  text: string;
}

/**
 * A request the way a browser or an OAuth client sends it to the hosted pages and `/oauth2/token`: no API key, a
 * form-encoded body when `form` is given, redirects not followed. `path` may be absolute (a `Location` to follow).
 */
export async function browse(env: Env, method: 'GET' | 'POST', path: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<PageRes> {
  const url = path.startsWith('http') ? path : `${env.emu.url}${path}`;
  const init: RequestInit = { method, redirect: 'manual', headers: { ...headers } };
  if (form) {
    init.body = new URLSearchParams(form).toString();
    (init.headers as Record<string, string>)['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const r = await fetch(url, init);
  return { status: r.status, location: r.headers.get('location'), contentType: r.headers.get('content-type'), headers: r.headers, text: await r.text() };
}

/** The query parameters of a redirect location (relative locations resolved against the emulator). */
export function locationParams(env: Env, location: string | null): URLSearchParams {
  return new URL(location ?? '', env.emu.url).searchParams;
}
