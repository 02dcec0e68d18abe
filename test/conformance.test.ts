/**
 * One conformance suite for every kind of the registry, fed by FusionAuth's documented request examples
 * (test/data/api-examples/<KindDef.examples>): what every kind must do, written once. A new kind gets these tests by
 * being registered with its examples.
 *
 * - Emulator: create with a client-chosen id, the same id again (`[duplicate]<idField>`), retrieve equals the create
 *   reply, the list holds it, PUT of the retrieved object, each PATCH flavour, delete then 404 — every reply valid
 *   against FusionAuth's OpenAPI response schema (test/contract).
 * - Reconciler: the example as an entry of a kickstand file → plan (create) → apply → plan (nothing to do).
 *
 * An example's references to kinds the emulator serves are satisfied first, each by the referenced kind's own first
 * documented example created under the referenced id.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import type { Json, JsonObject } from '../src/core/types.js';
import { apply, plan } from '../src/engine.js';
import { startEmulator, type Emulator } from '../src/emulator/index.js';
import { createClient } from '../src/fusionauth/client.js';
import { getPath, pluralOf } from '../src/core/kind.js';
import type { Kind } from '../src/kinds/api.js';
import { KINDS, SECTION_KINDS } from '../src/kinds/index.js';
import { FUSIONAUTH_APP_ID, WIRE, type WireKind } from '../src/fusionauth/wire.js';
import { validateAgainst } from './contract/openapi.js';

const EXAMPLES = fileURLToPath(new URL('./data/api-examples/', import.meta.url));

/** A create example: a request body holding the kind's envelope, not a copy (`source…Id`), search or message body. */
interface Example {
  kind: Kind;
  file: string;
  body: JsonObject;
}

/**
 * Errors of the documentation examples, each fixed before use with the evidence for the fix. (The emulator accepting
 * such a body is a fidelity gap of its own: wrong JSON types, the "real-server evidence" issue.)
 */
const ERRATA: Record<string, Array<{ why: string; fix: (body: JsonObject) => void }>> = {
  'tenants/request.json': [{
    why: 'emailConfiguration.properties is a string of Java properties (EmailConfiguration.properties is a String in fusionauth-java-client and in the OpenAPI file); the example shows an object',
    fix: (b) => { (b.emailConfiguration as JsonObject).properties = 'mail.smtp.timeout=2000'; },
  }, {
    why: 'webhookIds belongs to the TenantRequest beside `tenant`, not to the tenant (TenantRequest in the OpenAPI file; tenant responses never show it, reference §11.4); the example writes it inside the tenant',
    fix: (b) => { delete b.webhookIds; },
  }, {
    why: 'the server ignores a tenant\'s jwtConfiguration.enabled (@JsonIgnoreProperties({"enabled"}) on Tenant.jwtConfiguration; test/emulator/fidelity.test.ts), so it never comes back and could not converge',
    fix: (b) => { delete (b.jwtConfiguration as JsonObject).enabled; },
  }],
  'themes/request.json': [{
    why: 'templates.oauth2PasswordlessFormField is no template: it is in neither the OpenAPI Templates schema, the domain class Theme.Templates nor the docs\' templates.json, so FusionAuth ignores it and it could never converge',
    fix: (b) => { delete (b.templates as JsonObject).oauth2PasswordlessFormField; },
  }, {
    why: 'an advanced theme with templates needs every template of Theme.Templates.Names (decompiled DefaultThemeService: [blank]theme.templates.<name>); the example predates accountTwoFactorEdit, confirmationRequired and oauth2Consent',
    fix: (b) => { Object.assign(b.templates as JsonObject, { accountTwoFactorEdit: '[#ftl/]', confirmationRequired: '[#ftl/]', oauth2Consent: '[#ftl/]' }); },
  }],
  'themes/simple-request.json': [{
    why: 'the example spells backgroundImageUrl and logoImageUrl (a pre-release SimpleThemeVariables); the OpenAPI file, the docs\' field table and the domain class spell backgroundImageURL and logoImageURL',
    fix: (b) => {
      const v = b.variables as JsonObject;
      v.backgroundImageURL = v.backgroundImageUrl!;
      v.logoImageURL = v.logoImageUrl!;
      delete v.backgroundImageUrl;
      delete v.logoImageUrl;
    },
  }, {
    why: 'backgroundRepeat and logoImageDisplay are not variables (neither in the OpenAPI SimpleThemeVariables nor in the docs\' table); footerDisplay is a Boolean, not "flex"',
    fix: (b) => {
      const v = b.variables as JsonObject;
      delete v.backgroundRepeat;
      delete v.logoImageDisplay;
      v.footerDisplay = true;
    },
  }, {
    why: 'errorIconColor and infoIconColor are required (the docs\' table; decompiled simpleThemeValidation checks both) and the example lacks them',
    fix: (b) => { Object.assign(b.variables as JsonObject, { errorIconColor: '#ffffff', infoIconColor: '#ffffff' }); },
  }],
  'users/create-request.json': [{
    why: 'phoneNumber is written 303-555-1212; FusionAuth stores and returns it in E.164 (+13035551212, [SITE:docs/apis/users/_user-request-body.mdx] user.phoneNumber), so a file writing the other spelling could never converge: kickstand asks for E.164',
    fix: (b) => { b.phoneNumber = '+13035551212'; },
  }, {
    why: 'memberships name group 2cb5c83f-…, a placeholder no fresh server has; group memberships are not managed yet (groups do not exist in kickstand)',
    fix: (b) => { delete b.memberships; },
  }],
  'keys/import/post-request.json': [{
    why: 'the certificate is bare base64 DER; FusionAuth stores and returns it PEM-armoured in 64-character lines (the same certificate in keys/rsa-response.json; decompiled DefaultKeyService.retryAsCertificatePEM), so a file writing it bare could never converge: kickstand asks for the PEM form (test/emulator/key.test.ts imports the bare form)',
    fix: (b) => { b.certificate = `-----BEGIN CERTIFICATE-----\n${String(b.certificate).match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`; },
  }],
};

/**
 * How a kind's endpoints differ from a plain collection (POST `<path>/<id>`, list, PUT, three PATCH flavours, delete),
 * per kind, as data the checks read (a kind without a row is a plain collection; never a branch on a kind's name):
 * - `singleton`: one object at the path itself, without an id, that always exists: the example is a PUT body, there is
 *   no create, list or delete, and the file section is a mapping;
 * - `refused`: methods FusionAuth answers 405 at the object's path (no handler in its action class, fusionauth-issues#1146);
 * - `examples`: the create examples when they are not the folder's own `*request.json` files (keys keep theirs in
 *   generate/ and import/; API keys name theirs `post-request-body.json`);
 * - `createPath`: where an example is created with a client id (keys are generated or imported, never
 *   `POST /api/key/{id}`);
 * - `patch: false`: FusionAuth has no PATCH for the kind (keys: PUT only), so the three flavours must answer 405;
 * - `list: false`: FusionAuth offers no retrieve-all (API keys, reference §6): `GET <path>` must answer 404, not a list;
 * - `patchField`: the field the three PATCH flavours write, and its three values (default `data.conformance`, 1 2 3);
 * - `dropUnservedRefs`: a reference to a kind the emulator does not serve, which no built-in object can lend a value
 *   for, is left out (an API key's `ipAccessControlListId`: no IP access control list exists on the emulator);
 * - `members`: the object is written one member at a time (families, [SITE:docs/apis/families.mdx]): a request
 *   carries one member under `request` instead of the object, the object lists its members in `list`, each known by
 *   `key` (a user id); the create example holds the first member, `add` and `update` are the documented examples that
 *   add a member and change it (PUT of the object), a member is removed at `<object>/<key>`, and the object goes with
 *   its last member. There is no PATCH and no DELETE of the object. The users the examples name are created first.
 */
interface Shape {
  singleton?: true;
  refused?: readonly string[];
  examples?: readonly string[];
  createPath?(file: string, id: string): string;
  patch?: false;
  list?: false;
  /** FusionAuth lists the kind only through its search API (users: `POST /api/user/search`): the list check searches. */
  search?: true;
  patchField?: { path: string; values: [Json, Json, Json] };
  dropUnservedRefs?: true;
  members?: { request: string; list: string; key: string; add: string; update: string };
}
const SHAPES: Record<string, Shape> = {
  // reference §7; the decompiled SystemConfigurationAction has get, put, patch and post (a PUT), no delete.
  systemConfiguration: { singleton: true, refused: ['DELETE'] },
  key: {
    examples: ['generate/post-request.json', 'import/post-request.json'],
    createPath: (file, id) => `/api/key/${file.includes('/import/') ? 'import' : 'generate'}/${id}`,
    patch: false,
  },
  // No `data` on a lambda or an email template (their domain classes, the OpenAPI Lambda and EmailTemplate schemas): a
  // real server drops `data.conformance` as an unknown property (src/emulator/shape.ts), so the PATCHes write a field
  // of theirs.
  lambda: { patchField: { path: 'debug', values: [true, false, true] } },
  emailTemplate: { patchField: { path: 'defaultSubject', values: ['Conformance 1', 'Conformance 2', 'Conformance 3'] } },
  family: {
    examples: ['request.json'],
    members: { request: 'familyMember', list: 'members', key: 'userId', add: 'request-child.json', update: 'request-update-child.json' },
  },
  apiKey: {
    examples: ['post-request-body.json'],
    list: false,
    patchField: { path: 'metaData.attributes.conformance', values: ['1', '2', '3'] },
    dropUnservedRefs: true,
  },
  // No retrieve-all: `GET /api/user` looks one user up by email or username; the search lists (src/kinds/user.ts).
  user: { search: true },
};
const shapeOf = (kind: Kind): Shape => SHAPES[kind.name] ?? {};

/** Where an example of a kind is created with a client id. */
const createPathOf = (kind: Kind, file: string, id: string): string => shapeOf(kind).createPath?.(file, id) ?? `${kind.wire.path!}/${id}`;

/**
 * References to kinds kickstand does not serve yet (themes, forms, keys, connectors, …) cannot be created first: where
 * the server's built-in object of the same kind (the Default tenant, the FusionAuth application) holds an id at the
 * same path, that id is used instead; a list of them (`connectorPolicies`) keeps the entries naming fixed ids; any
 * other such reference is kept as documented.
 */
function adaptUnservedRefs(kind: Kind, body: JsonObject, builtin: JsonObject | undefined): JsonObject {
  const out = structuredClone(body);
  for (const ref of kind.wire.refs) {
    if (byKind.has(ref.kind)) continue;
    const segs = ref.path.split('.');
    const star = segs.indexOf('*');
    if (star < 0) {
      const theirs = builtin ? getPath(builtin, ref.path) : undefined;
      const parent = getPath(out, segs.slice(0, -1).join('.'));
      if (getPath(out, ref.path) !== undefined && parent && typeof parent === 'object' && !Array.isArray(parent)) {
        if (typeof theirs === 'string') (parent as JsonObject)[segs[segs.length - 1]!] = theirs;
        else if (shapeOf(kind).dropUnservedRefs) delete (parent as JsonObject)[segs[segs.length - 1]!];
      }
      continue;
    }
    const fixed = new Set(Object.values(WIRE[ref.kind as WireKind]?.fixedIds ?? {}));
    const list = getPath(out, segs.slice(0, star).join('.'));
    if (!Array.isArray(list)) continue;
    const rest = segs.slice(star + 1).join('.');
    list.splice(0, list.length, ...list.filter((item) => {
      const v = getPath(item, rest);
      return typeof v !== 'string' || fixed.has(v.toLowerCase());
    }));
  }
  return out;
}

function examplesOf(kind: Kind): Example[] {
  if (!kind.examples) return [];
  const dir = join(EXAMPLES, kind.examples);
  return [...(shapeOf(kind).examples ?? readdirSync(dir).filter((f) => f.endsWith('request.json') && !/^(put|copy|search|preview)/.test(f)))]
    .sort()
    .flatMap((file) => {
      const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as JsonObject;
      // A kind written member by member documents requests of one member (`familyMember`).
      const body = doc[shapeOf(kind).members?.request ?? kind.wire.singular];
      if (body === null || typeof body !== 'object' || Array.isArray(body) || Object.keys(doc).some((k) => k.startsWith('source'))) return [];
      const rel = `${kind.examples}/${file}`;
      for (const e of ERRATA[rel] ?? []) e.fix(body);
      return [{ kind, file: rel, body }];
    });
}

const byKind = new Map<string, Kind>(KINDS.map((k) => [k.name, k]));
const CASES = SECTION_KINDS.flatMap(examplesOf);

/**
 * The references of an example body to kinds the emulator serves (and the files manage): `[path, kind, id]`, a list
 * reference once per item (`tenantIds.*`). Ids of built-in objects (the shadow keys) exist already.
 */
function servedRefs(kind: Kind, body: JsonObject): Array<{ path: string; kind: Kind; id: string }> {
  return kind.refs.flatMap((r) => {
    const target = byKind.get(r.kind);
    if (!target || target.name === kind.name) return [];
    const fixed = new Set(Object.values(target.wire.fixedIds ?? {}));
    const star = r.path.indexOf('.*');
    const values = star < 0 ? [getPath(body, r.path)] : ((getPath(body, r.path.slice(0, star)) ?? []) as Json[]);
    return (Array.isArray(values) ? values : []).flatMap((id) => (typeof id === 'string' && !fixed.has(id.toLowerCase()) ? [{ path: r.path, kind: target, id: id.toLowerCase() }] : []));
  });
}

/** The body of one object with the server's fields left out (what a kickstand entry may write). */
function writable(kind: Kind, body: JsonObject): JsonObject {
  const out = structuredClone(body);
  for (const f of ['id', ...kind.serverFields]) {
    const segs = f.split('.');
    let at: Json | undefined = out;
    for (const s of segs.slice(0, -1)) at = at && typeof at === 'object' && !Array.isArray(at) ? at[s] : undefined;
    if (at && typeof at === 'object' && !Array.isArray(at)) delete at[segs[segs.length - 1]!];
  }
  return out;
}

/** A body as a kickstand file writes it: the fields the kind spells differently renamed (an API key's `key` is `keyValue`). */
function fileNames(kind: Kind, body: JsonObject): JsonObject {
  const toFile = new Map(Object.entries(kind.renamed ?? {}).map(([file, wire]) => [wire, file]));
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [toFile.get(k) ?? k, v]));
}

/**
 * The objects to create first, in creation order: each referenced id once, from its kind's first example, with a name
 * of its own; the references of those examples (a tenant's signing key) before them.
 */
function prerequisites(ex: Example): Array<{ kind: Kind; id: string; file: string; body: JsonObject }> {
  const out: Array<{ kind: Kind; id: string; file: string; body: JsonObject }> = [];
  const planned = new Set<string>();
  const visit = (kind: Kind, body: JsonObject, from: string, depth: number): void => {
    for (const r of servedRefs(kind, body)) {
      if (planned.has(r.id)) continue;
      planned.add(r.id);
      const source = examplesOf(r.kind)[0];
      if (!source) throw new Error(`${from} refers to a ${r.kind.name} at ${r.path}, and that kind has no documented example`);
      const prereq = { ...adaptUnservedRefs(r.kind, writable(r.kind, source.body), builtins.get(r.kind.name)), name: `conformance prerequisite ${planned.size}` };
      if (depth < 3) visit(r.kind, prereq, source.file, depth + 1);
      out.push({ kind: r.kind, id: r.id, file: source.file, body: prereq });
    }
  };
  visit(ex.kind, ex.body, ex.file, 0);
  return out;
}

let emu: Emulator;
/** The server's built-in object of each kind that has one: the Default tenant, the FusionAuth application. */
let builtins: Map<string, JsonObject>;
beforeEach(async () => {
  emu = await startEmulator({ licensed: true });
  const snap = emu.snapshot();
  builtins = new Map([
    ['tenant', snap.tenants.find((t) => t.id === emu.defaultTenantId)!],
    ['application', snap.applications.find((a) => a.id === FUSIONAUTH_APP_ID)!],
  ]);
});
afterEach(async () => {
  await emu.stop();
});

async function call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: JsonObject | undefined }> {
  const r = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: emu.apiKey, ...(body !== undefined ? { 'content-type': contentType } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as JsonObject) : undefined };
}

/** The OpenAPI response schema of a kind (`TenantResponse`). */
const responseSchema = (kind: Kind): string => `${kind.openapi.entry ?? kind.openapi.schema}Response`;

describe.each(CASES.filter((c) => !shapeOf(c.kind).singleton && !shapeOf(c.kind).members).map((c) => [c.file, c] as const))('%s', (_file, example) => {
  const { kind } = example;
  const wire = kind.wire;
  /** The example with its references to kinds not served yet pointed at the server's built-in objects. */
  const adapted = (): Example => ({ ...example, body: adaptUnservedRefs(kind, example.body, builtins.get(kind.name)) });

  it('emulator: create with an id, duplicate id, retrieve, list, PUT, three PATCH flavours, delete then 404', async () => {
    const ex = adapted();
    for (const p of prerequisites(ex)) {
      const r = await call('POST', createPathOf(p.kind, p.file, p.id), { [p.kind.wire.singular]: p.body });
      expect(r.status, `prerequisite ${p.kind.name} ${p.id}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    const id = '0c0f0a1e-5e5e-4c0f-8a11-c0f0a1e5e5e5';
    const path = `${wire.path!}/${id}`;
    const createPath = createPathOf(kind, ex.file, id);
    const valid = (body: JsonObject | undefined) => expect(validateAgainst(responseSchema(kind), body)).toEqual([]);

    const created = await call('POST', createPath, { [wire.singular]: ex.body });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    valid(created.body);
    expect((created.body![wire.singular] as JsonObject).id).toBe(id);

    const again = await call('POST', createPath, { [wire.singular]: ex.body });
    expect(again.status).toBe(400);
    expect(JSON.stringify(again.body)).toContain(`[duplicate]${wire.idField}`);

    const got = await call('GET', path);
    expect(got.status).toBe(200);
    valid(got.body);
    // A write-only field (a non-retrievable API key's value) may be shown by the create reply only.
    const shown = structuredClone(created.body![wire.singular] as JsonObject);
    for (const f of kind.writeOnlyFields) if (getPath(got.body![wire.singular], f) === undefined) delete shown[f];
    expect(got.body).toEqual({ [wire.singular]: shown });

    const list = shapeOf(kind).search
      ? await call('POST', wire.searchPath!, { search: { queryString: '*', numberOfResults: 100 } })
      : await call('GET', wire.path!);
    if (shapeOf(kind).list === false) {
      // No retrieve-all (reference §6): nothing lists the object.
      expect(list).toEqual({ status: 404, body: undefined });
    } else {
      valid(list.body);
      expect((list.body![pluralOf(wire)] as JsonObject[]).map((o) => o.id)).toContain(id);
    }

    const put = await call('PUT', path, { [wire.singular]: got.body![wire.singular] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    valid(put.body);

    const field = shapeOf(kind).patchField ?? { path: 'data.conformance', values: [1, 2, 3] };
    const nested = (v: Json): JsonObject => field.path.split('.').reduceRight<Json>((acc, seg) => ({ [seg]: acc }), v) as JsonObject;
    const flavours: Array<[string, unknown]> = [
      ['application/json', { [wire.singular]: nested(field.values[0]) }],
      ['application/merge-patch+json', { [wire.singular]: nested(field.values[1]) }],
      ['application/json-patch+json', [{ op: 'add', path: `/${wire.singular}/${field.path.replace(/\./g, '/')}`, value: field.values[2] }]],
    ];
    for (const [i, [contentType, patch]] of flavours.entries()) {
      const r = await call('PATCH', path, patch, contentType);
      if (shapeOf(kind).patch === false) {
        expect(r.status, `${contentType}: no PATCH`).toBe(405);
        continue;
      }
      expect(r.status, `${contentType}: ${JSON.stringify(r.body)}`).toBe(200);
      valid(r.body);
      expect(getPath((await call('GET', path)).body, `${wire.singular}.${field.path}`)).toBe(field.values[i]);
    }

    // hardDelete: applications are soft-deleted without it (FusionAuth ignores the parameter elsewhere).
    expect((await call('DELETE', `${path}?hardDelete=true`)).status).toBe(200);
    const gone = await call('GET', path);
    expect(gone.status).toBe(404);
  });

  it('reconciler: the example as a file entry plans as a create, applies, and then plans nothing', async () => {
    const ex = adapted();
    const entries: Record<string, JsonObject[]> = {};
    for (const p of prerequisites(ex)) (entries[p.kind.section!] ??= []).push({ key: `prerequisite-${p.id.slice(0, 8)}`, id: p.id, ...fileNames(p.kind, p.body) });
    (entries[kind.section!] ??= []).push({ key: 'conformance', ...fileNames(kind, writable(kind, ex.body)) });
    const dir = mkdtempSync(join(tmpdir(), 'kickstand-conformance-'));
    writeFileSync(join(dir, 'kickstand.json'), JSON.stringify(entries));
    // The documentation may show fields of other FusionAuth versions than the schema's: they are kept, not refused.
    const desired = await loadConfig([dir], { env: {}, allowUnknownFields: true });
    const client = createClient({ url: emu.url, apiKey: emu.apiKey });
    const first = await plan({ desired, client });
    expect(first.plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(first.plan.changes.filter((c) => c.parent === undefined).every((c) => c.action === 'create')).toBe(true);
    const { result } = await apply({ plan: first.plan, desired, client });
    expect(result.outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
    const second = await plan({ desired, client });
    expect(second.plan.changes.filter((c) => c.action !== 'noop').map((c) => ({ key: c.key, fields: c.fields.map((f) => f.path) }))).toEqual([]);
  });
});

describe.each(CASES.filter((c) => shapeOf(c.kind).members).map((c) => [c.file, c] as const))('%s (written member by member)', (_file, example) => {
  const { kind } = example;
  const wire = kind.wire;
  const shape = shapeOf(kind).members!;
  const read = (file: string): JsonObject => (JSON.parse(readFileSync(join(EXAMPLES, kind.examples!, file), 'utf8')) as JsonObject)[shape.request] as JsonObject;
  const first = example.body;
  const added = read(shape.add);
  const updated = read(shape.update);
  const valid = (body: JsonObject | undefined) => expect(validateAgainst(responseSchema(kind), body)).toEqual([]);
  const membersOf = (body: JsonObject | undefined): JsonObject[] => (body?.[wire.singular] as JsonObject)[shape.list] as JsonObject[];
  /** The users the examples name: adults old enough to create a family (FusionAuth's default minimum owner age is 21). */
  const users = async (): Promise<void> => {
    const ids = [...new Set([first, added, updated].map((m) => String(m[shape.key])))];
    for (const [i, id] of ids.entries()) {
      const r = await call('POST', `/api/user/${id}`, { user: { email: `conformance-${i}@example.com`, password: 'conformance-pw-1', birthDate: '1980-01-01' } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
  };

  it('emulator: create with the first member at an id, the same member again, retrieve, add and update a member (PUT), no PATCH or DELETE of the object, remove every member then 404', async () => {
    await users();
    const id = '0c0f0a1e-5e5e-4c0f-8a11-c0f0a1e5e5e5';
    const path = `${wire.path!}/${id}`;
    const created = await call('POST', path, { [shape.request]: first });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    valid(created.body);
    expect((created.body![wire.singular] as JsonObject).id).toBe(id);
    const again = await call('POST', path, { [shape.request]: first });
    expect(again.status).toBe(400);
    expect(JSON.stringify(again.body)).toContain(`[duplicate]${shape.request}.${shape.key}`);
    const got = await call('GET', path);
    expect(got).toEqual({ status: 200, body: created.body });

    const add = await call('PUT', path, { [shape.request]: added });
    expect(add.status, JSON.stringify(add.body)).toBe(200);
    valid(add.body);
    const update = await call('PUT', path, { [shape.request]: updated });
    expect(update.status, JSON.stringify(update.body)).toBe(200);
    valid(update.body);
    // As documented in response-after-child-updated.json: the first member owns the family, the changed one does not.
    const documented = JSON.parse(readFileSync(join(EXAMPLES, kind.examples!, 'response-after-child-updated.json'), 'utf8')) as JsonObject;
    const shown = (ms: JsonObject[]) => ms.map((m) => ({ owner: m.owner, role: m.role, [shape.key]: m[shape.key] }));
    expect(shown(membersOf(update.body))).toEqual(shown(membersOf(documented)));

    for (const [contentType, patch] of [['application/json', {}], ['application/merge-patch+json', {}], ['application/json-patch+json', []]] as const) {
      expect((await call('PATCH', path, patch, contentType)).status, `${contentType}: no PATCH`).toBe(405);
    }
    expect((await call('DELETE', path)).status, 'no DELETE of the object').toBe(405);
    for (const m of membersOf(update.body)) expect((await call('DELETE', `${path}/${String(m[shape.key])}`)).status).toBe(200);
    expect((await call('GET', path)).status).toBe(404);
  });

  it('reconciler: the examples\' members as a file entry plan as a create, apply, and then plan nothing', async () => {
    await users();
    const dir = mkdtempSync(join(tmpdir(), 'kickstand-conformance-'));
    writeFileSync(join(dir, 'kickstand.json'), JSON.stringify({ [kind.section!]: [{ key: 'conformance', [shape.list]: [first, added] }] }));
    const desired = await loadConfig([dir], { env: {} });
    const client = createClient({ url: emu.url, apiKey: emu.apiKey });
    const before = await plan({ desired, client });
    expect(before.plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(before.plan.changes.map((c) => c.action)).toEqual(['create']);
    const { result } = await apply({ plan: before.plan, desired, client });
    expect(result.outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
    const after = await plan({ desired, client });
    expect(after.plan.changes.filter((c) => c.action !== 'noop').map((c) => ({ key: c.key, fields: c.fields.map((f) => f.path) }))).toEqual([]);
  });
});

describe.each(CASES.filter((c) => shapeOf(c.kind).singleton).map((c) => [c.file, c] as const))('%s (a singleton)', (_file, example) => {
  const { kind } = example;
  const wire = kind.wire;
  const path = wire.path!;
  const valid = (body: JsonObject | undefined) => expect(validateAgainst(responseSchema(kind), body)).toEqual([]);

  it('emulator: retrieve, PUT of the example, retrieve again, three PATCH flavours, the refused methods', async () => {
    const before = await call('GET', path);
    expect(before.status).toBe(200);
    valid(before.body);
    expect(before.body![wire.singular]).not.toHaveProperty('id');

    const put = await call('PUT', path, { [wire.singular]: example.body });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    valid(put.body);
    const got = await call('GET', path);
    expect(got.body).toEqual(put.body);
    expect((got.body![wire.singular] as JsonObject).insertInstant).toBe((before.body![wire.singular] as JsonObject).insertInstant);

    const again = await call('PUT', path, { [wire.singular]: got.body![wire.singular] });
    expect(again.status, JSON.stringify(again.body)).toBe(200);

    const flavours: Array<[string, unknown]> = [
      ['application/json', { [wire.singular]: { data: { conformance: 1 } } }],
      ['application/merge-patch+json', { [wire.singular]: { data: { conformance: 2 } } }],
      ['application/json-patch+json', [{ op: 'add', path: `/${wire.singular}/data/conformance`, value: 3 }]],
    ];
    for (const [i, [contentType, patch]] of flavours.entries()) {
      const r = await call('PATCH', path, patch, contentType);
      expect(r.status, `${contentType}: ${JSON.stringify(r.body)}`).toBe(200);
      valid(r.body);
      expect(getPath((await call('GET', path)).body, `${wire.singular}.data.conformance`)).toBe(i + 1);
    }

    for (const method of shapeOf(kind).refused ?? []) expect((await call(method, path)).status, method).toBe(405);
    expect((await call('GET', `${path}/0c0f0a1e-5e5e-4c0f-8a11-c0f0a1e5e5e5`)).status, 'no object below the path').toBe(404);
  });

  it('reconciler: the example as the section mapping plans as an update, applies, and then plans nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kickstand-conformance-'));
    writeFileSync(join(dir, 'kickstand.json'), JSON.stringify({ [kind.section!]: writable(kind, example.body) }));
    const desired = await loadConfig([dir], { env: {}, allowUnknownFields: true });
    const client = createClient({ url: emu.url, apiKey: emu.apiKey });
    const first = await plan({ desired, client });
    expect(first.plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(first.plan.changes.map((c) => [c.action, c.match, c.id])).toEqual([['update', 'singleton', undefined]]);
    const { result } = await apply({ plan: first.plan, desired, client });
    expect(result.outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
    const second = await plan({ desired, client });
    expect(second.plan.changes.filter((c) => c.action !== 'noop').map((c) => ({ key: c.key, fields: c.fields.map((f) => f.path) }))).toEqual([]);
  });
});

describe('the suite covers the registry', () => {
  it('every kind with a file section has at least one documented create example', () => {
    expect(SECTION_KINDS.filter((k) => examplesOf(k).length === 0).map((k) => k.name)).toEqual([]);
  });
});
