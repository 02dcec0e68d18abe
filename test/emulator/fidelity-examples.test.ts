/**
 * Field-by-field fidelity against FusionAuth's documented request/response pairs (issue 11, "look for more"): for
 * every example in test/data/api-examples (the committed snapshot of ../shared/corpus/api-examples) whose request
 * pairs with a documented response, of the kinds messengers, message templates, email templates, lambdas, webhooks,
 * themes, keys, API keys and the system configuration, send the request to an in-process emulator and compare the
 * **reply of that write** with the documented response, leaf by leaf: every value, not only the key set
 * (test/emulator/fidelity.test.ts compares key sets of GETs for tenants and applications).
 *
 * Every difference is either fixed in the kind's emulator spec or listed in ALLOW with its reason; a stale entry fails
 * the test too, so the list stays honest. Values the server generates (ids, instants, generated secrets) are compared
 * for presence only. A GET after the write must show what the write replied (save what a kind's `present` hides).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '../../src/core/types.js';
import { start, type Client } from './helpers.js';

const CORPUS = fileURLToPath(new URL('../data/api-examples/', import.meta.url));
const read = (rel: string): JsonObject => JSON.parse(readFileSync(CORPUS + rel, 'utf8')) as JsonObject;

/** A path to a leaf: objects are walked, arrays and primitives are leaves (list order is part of the value). */
function leaves(v: Json, prefix = '', out = new Map<string, Json>()): Map<string, Json> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
    for (const [k, x] of Object.entries(v)) leaves(x, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, v);
  }
  return out;
}

type Diff = 'missing' | 'extra' | 'value';

/** One documented pair: the write to replay, the documented response, and what to create first. */
interface Case {
  name: string;
  /** The envelope key of the object. */
  singular: string;
  /** Requests that create the objects the example names (its referenced tenants, keys), before the replay. */
  before?: Array<[string, string, JsonObject]>;
  /** The write that precedes the compared one (a create before a PUT example), or undefined. */
  setup?: { method: 'POST'; path: string; request: string };
  method: 'POST' | 'PUT';
  /** The path of the compared write; `{id}` is the id the setup created. */
  path: string;
  request: string;
  response: string;
  /** Top-level fields removed from the request before sending, each with its reason (an object the emulator does not serve). */
  adapt?: Record<string, string>;
  /** Values added to the request before sending (dotted path → value), each with its reason; they come back as `extra`. */
  add?: Record<string, [Json, string]>;
}

/** Leaves whose value the server generates: compared for presence only. */
const GENERATED = new Set(['id', 'insertInstant', 'lastUpdateInstant']);

const TENANT_A = '32306536-3036-6431-3865-646430303332';
const TENANT_B = '30663132-6464-6665-3032-326466613934';
const API_KEY_TENANT = '94f751c5-4883-4684-a817-6b106778edec';
const CERTIFICATE = (read('keys/rsa-response.json').key as JsonObject).certificate as string;

/**
 * The theme examples predate templates and variables that FusionAuth's theme validation requires of every advanced theme
 * that has templates, and of every simple theme (decompiled `DefaultThemeService`, kinds/theme.ts); fusionauth-issues
 * #3289 (1.62.0) shows a server keeping an older theme that lacks a newer template, and the upgrade guide asks for the new
 * templates to be added before the theme is saved again.
 */
const NEWER_TEMPLATE = 'a template added to FusionAuth after the documentation example was written; the validation requires every template once a theme has any';
const FOOTER = 'the example sends footerDisplay "flex", which a server cannot bind to the primitive boolean SimpleThemeVariables.footerDisplay ([invalidJSON], the wrong-type rule); the replay sends true instead';
const NEWER_VARIABLE = 'a simple-theme variable added after the documentation example was written; the validation requires every colour variable';

const CASES: Case[] = [
  { name: 'generic messenger', singular: 'messenger', method: 'POST', path: '/api/messenger', request: 'messengers/generic-request.json', response: 'messengers/generic-response.json' },
  { name: 'twilio messenger', singular: 'messenger', method: 'POST', path: '/api/messenger', request: 'messengers/twilio-request.json', response: 'messengers/twilio-response.json' },
  { name: 'message template', singular: 'messageTemplate', method: 'POST', path: '/api/message/template', request: 'message-templates/request.json', response: 'message-templates/response.json' },
  { name: 'email template', singular: 'emailTemplate', method: 'POST', path: '/api/email/template', request: 'email-templates/request.json', response: 'email-templates/response.json' },
  { name: 'lambda', singular: 'lambda', method: 'POST', path: '/api/lambda', request: 'lambdas/request.json', response: 'lambdas/response.json' },
  {
    name: 'lambda PUT', singular: 'lambda', setup: { method: 'POST', path: '/api/lambda', request: 'lambdas/request.json' },
    method: 'PUT', path: '/api/lambda/{id}', request: 'lambdas/put-request.json', response: 'lambdas/response.json',
  },
  {
    name: 'webhook', singular: 'webhook', method: 'POST', path: '/api/webhook', request: 'webhooks/request.json', response: 'webhooks/response.json',
    before: [
      ['POST', `/api/tenant/${TENANT_A}`, { tenant: { name: 'fidelity A' } }],
      ['POST', `/api/tenant/${TENANT_B}`, { tenant: { name: 'fidelity B' } }],
      ['POST', '/api/key/generate/401c9046-b274-403f-963d-adc5024c6ef0', { key: { name: 'fidelity signing', algorithm: 'HS256' } }],
      ['POST', '/api/key/import/e31e242b-4eca-4309-921f-48cb72ec9bfb', { key: { name: 'fidelity certificate', certificate: CERTIFICATE } }],
    ],
  },
  { name: 'system configuration', singular: 'systemConfiguration', method: 'PUT', path: '/api/system-configuration', request: 'system-configuration/request.json', response: 'system-configuration/response.json' },
  {
    name: 'advanced theme', singular: 'theme', method: 'POST', path: '/api/theme', request: 'themes/request.json', response: 'themes/response.json',
    add: Object.fromEntries(['accountTwoFactorEdit', 'confirmationRequired', 'oauth2Consent'].map((t) => [`templates.${t}`, ['[#ftl/]', NEWER_TEMPLATE]])),
  },
  {
    name: 'simple theme', singular: 'theme', method: 'POST', path: '/api/theme', request: 'themes/simple-request.json', response: 'themes/simple-response.json',
    add: { 'variables.errorIconColor': ['#ff0000', NEWER_VARIABLE], 'variables.infoIconColor': ['#0000ff', NEWER_VARIABLE], 'variables.footerDisplay': [true, FOOTER] },
  },
  { name: 'key import', singular: 'key', method: 'POST', path: '/api/key/import', request: 'keys/import/post-request.json', response: 'keys/rsa-response.json' },
  {
    name: 'API key', singular: 'apiKey', method: 'POST', path: '/api/api-key', request: 'api-keys/post-request-body.json', response: 'api-keys/post-response-body.json',
    before: [['POST', `/api/tenant/${API_KEY_TENANT}`, { tenant: { name: 'fidelity API key tenant' } }]],
    adapt: { ipAccessControlListId: 'the emulator serves no IP access control lists, so the id would be [invalid]apiKey.ipAccessControlListId' },
  },
  {
    name: 'API key PUT', singular: 'apiKey', setup: { method: 'POST', path: '/api/api-key', request: 'api-keys/post-request-body.json' },
    method: 'PUT', path: '/api/api-key/{id}', request: 'api-keys/put-request-body.json', response: 'api-keys/put-response-body.json',
    before: [['POST', `/api/tenant/${API_KEY_TENANT}`, { tenant: { name: 'fidelity API key tenant' } }]],
    adapt: { ipAccessControlListId: 'the emulator serves no IP access control lists, so the id would be [invalid]apiKey.ipAccessControlListId' },
  },
];

/**
 * Request examples of these folders that no case replays, each with its reason; with the cases they must cover every
 * request example of the folders, so a new example in the corpus is either replayed or explained.
 */
const NOT_REPLAYED: Record<string, string> = {
  'messengers/generic-message-request.json': 'the payload FusionAuth POSTs to a Generic messenger URL, not a management API body',
  'email-templates/preview-request.json': 'the body of POST /api/email/template/preview, which the emulator does not serve',
  'api-keys/copy-request-body.json': 'no documented response pairs with it (the copy reply is a new key; kinds/apiKey.ts copies and test/emulator/apiKey.test.ts covers it)',
  'keys/generate/post-request.json': 'no documented response pairs with it (rsa-response.json is the import of a certificate: hasPrivateKey false); test/emulator/key.test.ts covers generation',
  'keys/put-request.json': "a rename of a shadow key (its name is the shadow key's), which the server refuses ([shadow]); test/emulator/key.test.ts covers renames",
};
const FOLDERS = ['messengers', 'message-templates', 'email-templates', 'lambdas', 'webhooks', 'system-configuration', 'themes', 'keys', 'keys/generate', 'keys/import', 'api-keys'];

/** The allowed differences per case, each with its reason. */
const ALLOW: Record<string, Record<string, [Diff, string]>> = {};
function allow(cases: string[], diff: Diff, reason: string, paths: string[]): void {
  for (const c of cases) for (const p of paths) (ALLOW[c] ??= {})[p] = [diff, reason];
}

const OLDER = 'the documented response is an older revision of the docs than the request example (see test/data/api-examples/SOURCES.tsv)';

// ---- lambdas ----
allow(['lambda', 'lambda PUT'], 'value', "the documented response shows another function body than the request sends (the two files are different examples); the server stores the body sent", ['body']);
allow(['lambda', 'lambda PUT'], 'missing', 'Lambda.enabled is @JsonIgnore in the domain class (deprecated, "not currently used"): a server never returns it', ['enabled']);

// ---- webhooks ----
allow(['webhook'], 'missing', `${OLDER}: applicationIds was removed from Webhook (webhooks are global or per tenant since 1.37)`, ['applicationIds']);
allow(['webhook'], 'missing', `${OLDER}: sslCertificate is @Deprecated in the server's Webhook class; the request names a Key (sslCertificateKeyId) instead, which the server keeps as sent`, ['sslCertificate']);
allow(['webhook'], 'extra', `${OLDER}: it predates signatureConfiguration (1.48), sslCertificateKeyId and tenantIds, which the request sends and the server returns`, [
  'signatureConfiguration.enabled', 'signatureConfiguration.signingKeyId', 'sslCertificateKeyId', 'tenantIds',
]);

// ---- system configuration ----
allow(['system configuration'], 'value', 'CORSConfiguration.allowedMethods is a Set that normalize() rebuilds (a HashSet of an enum: its order is not the order sent); the emulator returns it sorted by name, the documented response repeats the request order', ['corsConfiguration.allowedMethods']);
allow(['system configuration'], 'extra', `${OLDER}: the request sends webhookEventLogConfiguration (1.57), the response example lacks it`, [
  'webhookEventLogConfiguration.delete.enabled', 'webhookEventLogConfiguration.delete.numberOfDaysToRetain', 'webhookEventLogConfiguration.enabled',
]);
allow(['system configuration'], 'extra', "initialised fields of the server's SystemConfiguration class (data = {}, usageDataConfiguration, insertInstant/lastUpdateInstant) that the documented response leaves out", [
  'data', 'insertInstant', 'lastUpdateInstant', 'usageDataConfiguration.enabled', 'usageDataConfiguration.numberOfDaysToRetain',
]);

// ---- themes ----
allow(['advanced theme'], 'extra', NEWER_TEMPLATE, ['templates.accountTwoFactorEdit', 'templates.confirmationRequired', 'templates.oauth2Consent']);
allow(['advanced theme'], 'missing', 'the documented response shows a stylesheet the request example never sends', ['stylesheet']);
allow(['advanced theme'], 'missing', 'oauth2PasswordlessFormField is not a template of the Templates class (nor of the OpenAPI file or the site\'s template list): Jackson ignores it; the response example repeats the request\'s erratum', ['templates.oauth2PasswordlessFormField']);
allow(['simple theme'], 'extra', NEWER_VARIABLE, ['variables.errorIconColor', 'variables.infoIconColor']);
allow(['simple theme'], 'missing', 'not properties of SimpleThemeVariables (it spells backgroundImageURL and logoImageURL, and has no backgroundRepeat or logoImageDisplay): Jackson ignores them; the response example repeats the request\'s errata', [
  'variables.backgroundImageUrl', 'variables.backgroundRepeat', 'variables.logoImageDisplay', 'variables.logoImageUrl',
]);
allow(['simple theme'], 'value', FOOTER, ['variables.footerDisplay']);

// ---- keys ----
allow(['key import'], 'value', 'an imported certificate\'s validity has whole seconds (X.509 times); the documented response is of a key FusionAuth generated, whose validity is its insertInstant to the millisecond (its serial number is its id)', [
  'certificateInformation.validFrom', 'certificateInformation.validTo', 'expirationInstant',
]);
allow(['key import'], 'extra', 'the documented response leaves lastUpdateInstant out (the other key examples show it; every stored key has one)', ['lastUpdateInstant']);

// ---- API keys ----
allow(['API key', 'API key PUT'], 'missing', 'removed from the request: the emulator serves no IP access control lists (the id would be [invalid])', ['ipAccessControlListId']);
allow(['API key PUT'], 'missing', 'the key PUT is the one post-request-body.json created, which is not retrievable: its value shows only in the create reply; the documented PUT response is of another, retrievable key (id b016fa93…, as in get-response.json)', ['key']);
allow(['API key PUT'], 'extra', 'the PUT request sends name and expirationInstant, and retrievable is a primitive boolean every response carries, yet the documented PUT response shows none of them: it is of another key than the request (see get-response.json), not the reply to this request', [
  'expirationInstant', 'name', 'retrievable',
]);

let api: Client;
beforeAll(async () => {
  // Licensed: the API key example sends an IP access control list (enterprise), the theme example paid templates.
  api = await start({ licensed: true });
});
afterAll(async () => {
  await api.e.stop();
});

function adapted(c: Case, body: JsonObject): JsonObject {
  const out = structuredClone(body);
  const inner = out[c.singular] as JsonObject;
  for (const f of Object.keys(c.adapt ?? {})) delete inner[f];
  for (const [path, [value]] of Object.entries(c.add ?? {})) {
    const keys = path.split('.');
    let cur = inner;
    for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as JsonObject;
    cur[keys[keys.length - 1]!] = value;
  }
  return out;
}

/** Replay one case; the reply of the compared write and the GET after it. */
async function replay(c: Case): Promise<{ reply: JsonObject; got: JsonObject }> {
  api.e.reset();
  for (const [method, path, body] of c.before ?? []) {
    const r = await api.call(method, path, body);
    expect(r.status, `${method} ${path}: ${r.text}`).toBe(200);
  }
  let id: string | undefined;
  if (c.setup) {
    const r = await api.post(c.setup.path, adapted(c, read(c.setup.request)));
    expect(r.status, r.text).toBe(200);
    id = r.body[c.singular].id as string;
  }
  const r = await api.call(c.method, c.path.replace('{id}', id ?? ''), adapted(c, read(c.request)));
  expect(r.status, r.text).toBe(200);
  const reply = r.body[c.singular] as JsonObject;
  const path = c.singular === 'systemConfiguration' ? c.path : `${c.path.replace(/\/\{id\}$/, '').replace(/\/(generate|import)$/, '')}/${String(reply.id)}`;
  const g = await api.get(path);
  expect(g.status, g.text).toBe(200);
  return { reply, got: g.body[c.singular] as JsonObject };
}

function diffOf(ours: JsonObject, documented: JsonObject): Record<string, Diff> {
  const mine = leaves(ours);
  const theirs = leaves(documented);
  const out: Record<string, Diff> = {};
  for (const [p, v] of theirs) {
    if (!mine.has(p)) out[p] = 'missing';
    else if (!GENERATED.has(p) && JSON.stringify(mine.get(p)) !== JSON.stringify(v)) out[p] = 'value';
  }
  for (const p of mine.keys()) if (!theirs.has(p)) out[p] = 'extra';
  return out;
}

describe('fidelity of write replies against the documented request/response pairs', () => {
  it('every request example of the swept folders is replayed or listed with its reason', () => {
    const requests = FOLDERS.flatMap((d) => readdirSync(CORPUS + d).filter((f) => f.includes('request')).map((f) => `${d}/${f}`));
    const covered = new Set([...CASES.flatMap((c) => [c.request, ...(c.setup ? [c.setup.request] : [])]), ...Object.keys(NOT_REPLAYED)]);
    expect(requests.filter((r) => !covered.has(r))).toEqual([]);
  });

  /**
   * The documented retrieve-all responses of the swept folders, the path that lists the kind, and the case that makes
   * one object first (a real server leaves an empty list out of its JSON, fusionauth-issues #1275: the envelope is
   * compared on a list that has an object).
   */
  const LISTS: Array<[string, string, string]> = [
    ['messengers/multiple-responses.json', '/api/messenger', 'generic messenger'],
    ['message-templates/responses.json', '/api/message/template', 'message template'],
    ['email-templates/responses.json', '/api/email/template', 'email template'],
    ['lambdas/responses.json', '/api/lambda', 'lambda'],
    ['webhooks/responses.json', '/api/webhook', 'webhook'],
    ['themes/responses.json', '/api/theme', 'advanced theme'],
    ['keys/responses.json', '/api/key', 'key import'],
  ];
  it.each(LISTS)('%s: the retrieve-all reply has the documented envelope around the objects', async (file, path, caseName) => {
    const { reply } = await replay(CASES.find((c) => c.name === caseName)!);
    const [envelope, ...more] = Object.keys(read(file));
    expect(more).toEqual([]);
    const r = await api.get(path);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual([envelope]);
    expect((r.body[envelope!] as JsonObject[]).map((o) => o.id)).toContain(reply.id);
  });

  it.each(CASES)('$name: the reply matches $response value by value, up to the allow-list', async (c) => {
    const { reply, got } = await replay(c);
    const allowed = Object.fromEntries(Object.entries(ALLOW[c.name] ?? {}).map(([p, [d]]) => [p, d]));
    expect(diffOf(reply, read(c.response)[c.singular] as JsonObject)).toEqual(allowed);
    // The object read back is the object the write replied (a key that is not retrievable hides its value after the create).
    const hidden = c.singular === 'apiKey' && reply.retrievable === false ? ['key'] : [];
    const shown = Object.fromEntries(Object.entries(reply).filter(([k]) => !hidden.includes(k)));
    expect(got).toEqual(shown);
  });
});
