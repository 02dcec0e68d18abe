/**
 * Shared helpers of the hardening tests: a generator of kickstand files with every kind (and a secret in every secret
 * field), the emulator's state normalised for comparison (instants and server-generated values dropped), a duplicate
 * finder, the CLI run in-process with captured output, and the CLI spawned as a real process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Json, JsonObject } from '../../src/core/types.js';
import type { Emulator } from '../../src/emulator/index.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A fixed Default tenant id, so that two emulators boot the same state and their snapshots compare equal. */
export const DEFAULT_TENANT_ID = '0f3b7a52-6c1e-4d8a-9b2f-5e4d3c2b1a00';

/** Secret values placed in the generated files; `null` leaves the field out. Each is distinct and searchable. */
export interface Secrets {
  twilioAuthToken: string;
  genericPassword: string;
  genericHeader: string;
  clientSecret: string;
  smtpPassword: string;
}

/** How many of each kind to generate, and a `variant` that changes some fields (for update runs). */
export interface GenOptions {
  messengers: number;
  templates: number;
  tenants: number;
  applications: number;
  /** Changes names of nothing, but data fields and role descriptions, so that a second apply updates. */
  variant?: number;
  /** Extra roles added to every application when `variant` is set (role sub-changes on update). */
  extraRoles?: number;
  secrets?: Partial<Secrets>;
}

const DEFAULT_SECRETS: Secrets = {
  twilioAuthToken: 'gen-twilio-token-0001',
  genericPassword: 'gen-generic-password-0002',
  genericHeader: 'gen-generic-header-0003',
  clientSecret: 'gen-client-secret-0004',
  smtpPassword: 'gen-smtp-password-0005',
};

/**
 * A kickstand document with `n` resources of each kind: messengers alternate Twilio/Generic, each tenant points at a
 * messenger and a template by key, applications are spread over the tenants (by key) with roles and OAuth settings.
 */
export function generateConfig(o: GenOptions): JsonObject {
  const s = { ...DEFAULT_SECRETS, ...(o.secrets ?? {}) };
  const v = o.variant ?? 0;
  const messengers: JsonObject[] = [];
  for (let i = 0; i < o.messengers; i++) {
    messengers.push(i % 2 === 0
      ? { key: `m${i}`, name: `Messenger ${i}`, type: 'Twilio', url: 'https://api.twilio.com', accountSID: `AC${i}`, authToken: `${s.twilioAuthToken}-${i}`, fromPhoneNumber: '+15555550100', data: { v } }
      : {
          key: `m${i}`, name: `Messenger ${i}`, type: 'Generic', url: `https://sms${i}.example/send`, connectTimeout: 1000 + i, readTimeout: 2000 + v,
          httpAuthenticationUsername: 'kick', httpAuthenticationPassword: `${s.genericPassword}-${i}`, headers: { 'X-Api-Key': `${s.genericHeader}-${i}` },
        });
  }
  const messageTemplates: JsonObject[] = [];
  for (let i = 0; i < o.templates; i++) {
    messageTemplates.push({ key: `t${i}`, name: `Template ${i}`, type: 'SMS', defaultTemplate: `Code \${code} (${i}/${v})` });
  }
  const tenants: JsonObject[] = [];
  for (let i = 0; i < o.tenants; i++) {
    const t: JsonObject = { key: `ten${i}`, name: `Tenant ${i}`, data: { v } };
    if (o.messengers > 0 && o.templates > 0) {
      t.phoneConfiguration = { messengerId: `m${i % o.messengers}`, verificationTemplateId: `t${i % o.templates}`, verifyPhoneNumber: true, verificationStrategy: 'ClickableLink' };
    }
    if (i === 0) t.emailConfiguration = { host: 'smtp.example', port: 587, username: 'mailer', password: s.smtpPassword };
    tenants.push(t);
  }
  const applications: JsonObject[] = [];
  for (let i = 0; i < o.applications; i++) {
    const roles: JsonObject[] = [{ name: 'admin', isSuperRole: true }, { name: 'viewer', description: `viewer ${v}` }];
    if (v > 0) for (let r = 0; r < (o.extraRoles ?? 0); r++) roles.push({ name: `extra${r}` });
    const a: JsonObject = {
      key: `app${i}`, name: `App ${i}`, roles, data: { v },
      oauthConfiguration: { enabledGrants: ['authorization_code', 'refresh_token'], authorizedRedirectURLs: [`https://app${i}.example/cb`] },
    };
    if (o.tenants > 0) a.tenantId = `ten${i % o.tenants}`;
    if (i % 3 === 0) (a.oauthConfiguration as JsonObject).clientSecret = `${s.clientSecret}-${i}`;
    applications.push(a);
  }
  const doc: JsonObject = {};
  if (messengers.length) doc.messengers = messengers;
  if (messageTemplates.length) doc.messageTemplates = messageTemplates;
  if (tenants.length) doc.tenants = tenants;
  if (applications.length) doc.applications = applications;
  return doc;
}

/** Write a document as a JSON kickstand file in a new temporary folder; returns the file's path. */
export function writeConfig(doc: JsonObject, name = 'kickstand.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'kickstand-hardening-'));
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  return file;
}

/** A new temporary folder. */
export function tmpDir(): string {
  return mkdtempSync(join(tmpdir(), 'kickstand-hardening-'));
}

type Snapshot = ReturnType<Emulator['snapshot']>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The FusionAuth admin application's fixed id (reference §1.3). */
const FUSIONAUTH_APP_ID = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';

/** True for the ids kickstand derives (UUIDv5) and the fixed ones; false for ids the server picks at random. */
function stableId(v: string): boolean {
  const id = v.toLowerCase();
  return id[14] === '5' || id === DEFAULT_TENANT_ID || id === FUSIONAUTH_APP_ID;
}

/**
 * The emulator's objects, comparable across runs and emulators: instants dropped, server-generated client secrets
 * replaced by a marker (they are random per create), role ids dropped and roles sorted by name, every UUID the server
 * picked at random (boot templates, forms, signing keys; kickstand's are derived UUIDv5s) replaced by a marker, and
 * lists sorted by tenant and name.
 */
export function normalize(snap: Snapshot): Snapshot {
  const strip = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v === 'string' && UUID.test(v) && !stableId(v)) return '<server-uuid>';
    if (v === null || typeof v !== 'object') return v;
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (!k.endsWith('Instant')) out[k] = strip(x);
    return out;
  };
  const byName = (a: JsonObject, b: JsonObject) => `${String(a.tenantId)}/${String(a.name)}/${String(a.id)}`.localeCompare(`${String(b.tenantId)}/${String(b.name)}/${String(b.id)}`);
  const apps = snap.applications.map((raw) => {
    const a = strip(raw) as JsonObject;
    const oauth = a.oauthConfiguration as JsonObject | undefined;
    if (oauth && typeof oauth.clientSecret === 'string' && !oauth.clientSecret.startsWith('gen-') && !oauth.clientSecret.startsWith('canary-')) oauth.clientSecret = '<generated>';
    if (Array.isArray(a.roles)) {
      a.roles = (a.roles as JsonObject[]).map((r) => {
        const { id: _id, ...rest } = r;
        return rest;
      }).sort((x, y) => String(x.name).localeCompare(String(y.name)));
    }
    return a;
  });
  return {
    tenants: snap.tenants.map((t) => strip(t) as JsonObject).sort(byName),
    applications: apps.sort(byName),
    messengers: snap.messengers.map((m) => strip(m) as JsonObject).sort(byName),
    messageTemplates: snap.messageTemplates.map((m) => strip(m) as JsonObject).sort(byName),
    // Key material, kids and certificates are random per boot and per generation: a key is its name, algorithm and type.
    keys: snap.keys.map((k) => ({ id: strip(k.id ?? null), name: k.name ?? null, algorithm: k.algorithm ?? null, type: k.type ?? null })).sort(byName),
    webhooks: snap.webhooks.map((w) => strip(w) as JsonObject).sort((a, b) => `${String(a.url)}/${String(a.id)}`.localeCompare(`${String(b.url)}/${String(b.id)}`)),
  };
}

/**
 * Every duplicate in a snapshot: ids repeated within a kind, names repeated within a kind (applications: within a
 * tenant), role names or ids repeated within an application. Empty when there are none.
 */
export function duplicates(snap: Snapshot): string[] {
  const out: string[] = [];
  const check = (what: string, values: unknown[]) => {
    const seen = new Set<string>();
    for (const v of values) {
      const k = String(v);
      if (seen.has(k)) out.push(`${what} ${k}`);
      seen.add(k);
    }
  };
  for (const kind of ['tenants', 'applications', 'messengers', 'messageTemplates'] as const) {
    check(`${kind} id`, snap[kind].map((o) => o.id));
  }
  check('tenant name', snap.tenants.map((o) => o.name));
  check('messenger name', snap.messengers.map((o) => o.name));
  check('template name', snap.messageTemplates.map((o) => o.name));
  check('application name', snap.applications.map((o) => `${String(o.tenantId)}/${String(o.name)}`));
  for (const a of snap.applications) {
    const roles = Array.isArray(a.roles) ? (a.roles as JsonObject[]) : [];
    check(`role name in ${String(a.name)}`, roles.map((r) => r.name));
    check(`role id in ${String(a.name)}`, roles.map((r) => r.id));
  }
  return out;
}

/** What a CLI run printed and how it ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the CLI in-process (`run` from src/cli/program.ts, imported once), capturing stdout and stderr. Environment
 * entries are set for the run and restored after it; `process.exitCode` is reset so the test runner is unaffected.
 */
export async function runInProcess(argv: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const { run } = await import('../../src/cli/program.js');
  let stdout = '';
  let stderr = '';
  const outWrite = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const code = await run(argv);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = outWrite;
    process.stderr.write = errWrite;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    process.exitCode = undefined;
  }
}

/** A spawned CLI process and the promise of its end. */
export interface Spawned {
  child: ChildProcess;
  done: Promise<CliRun & { signal: NodeJS.Signals | null }>;
}

/**
 * Spawn the real CLI (`node --import tsx src/cli/main.ts`: measured faster here than building dist/ first, since a
 * build takes ~13 s and a spawn through tsx only ~0.3 s more) in a working folder, with only the environment given
 * (plus PATH and HOME).
 */
export function spawnCli(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...(opts.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const done = new Promise<CliRun & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Write methods. */
export const WRITES: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What an intercepting proxy sees of a request. */
export interface ProxiedRequest {
  method: string;
  path: string;
  body: string;
}

/**
 * A proxy in front of an emulator that answers the requests `intercept` returns a reply for (a status and a JSON body,
 * or raw text) and forwards every other one untouched. For failure paths the emulator cannot produce (an error message echoing
 * the request body, a malformed list).
 */
export async function interceptingProxy(
  target: Emulator,
  intercept: (req: ProxiedRequest) => { status: number; body?: unknown; raw?: string } | undefined,
): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer, request } = await import('node:http');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const reply = intercept({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, body: body.toString('utf8') });
      if (reply) {
        const text = reply.raw ?? JSON.stringify(reply.body);
        res.writeHead(reply.status, { 'content-type': reply.raw === undefined ? 'application/json' : 'text/html', 'content-length': String(Buffer.byteLength(text)) });
        res.end(text);
        return;
      }
      const up = request(`${target.url}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}
