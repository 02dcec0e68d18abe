/**
 * The secret-field audit, as a test over every kind: each `secretFields` pattern names a field the schema has, the
 * list is the audited one (reference §11.2 and FusionAuth's OpenAPI), and a secret written in each secret field —
 * through the real loader, planned as a create, an update from an old secret and a no-op — never appears in the human,
 * JSON or markdown plan. Patterns are placed by walking the schema, so a `*` over a list (`additionalHeaders.*.value`)
 * and over a map (`headers.*`) are both exercised.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadSchema, type SchemaNode } from '../../src/config/schema.js';
import { derivedId } from '../../src/core/match.js';
import { computePlan } from '../../src/core/plan.js';
import type { DesiredState, Json, JsonObject, KindName } from '../../src/core/types.js';
import { KINDS } from '../../src/kinds/index.js';
import { renderPlanHuman } from '../../src/render/human.js';
import { renderPlanJson } from '../../src/render/json.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { tmpFiles } from '../config/helpers.js';
import { liveOf, PLAN } from '../core/helpers.js';

const DEFAULT_TENANT = '0f3b7a52-6c1e-4d8a-9b2f-5e4d3c2b1a00';

/** The audited secret fields of each kind (change them only with a source saying what FusionAuth returns). */
const AUDITED: Record<KindName, string[]> = {
  // The system configuration's one secret, its cookie encryption key, is never returned (`secure()`) and is not in the
  // OpenAPI schema; email templates and lambdas hold none.
  systemConfiguration: [],
  lambda: [],
  emailTemplate: [],
  messenger: ['authToken', 'httpAuthenticationPassword', 'headers.*', 'producer.*'],
  messageTemplate: [],
  // Theme templates can read secrets when rendered (docs: advanced-themes.mdx), but hold none themselves.
  theme: [],
  tenant: ['emailConfiguration.password', 'emailConfiguration.additionalHeaders.*.value', 'captchaConfiguration.secretKey'],
  application: ['oauthConfiguration.clientSecret', 'cleanSpeakConfiguration.apiKey'],
  applicationRole: [],
  // Reference §11.2: an API key's value comes back in cleartext (while retrievable).
  apiKey: ['key'],
  // Keys never return a private key or a secret ([SITE:docs/apis/_key-response-body-base.mdx]; write-only as well).
  key: ['privateKey', 'secret'],
  // Webhook passwords and header values come back in clear (reference §11.2, §11.4).
  webhook: ['httpAuthenticationPassword', 'headers.*'],
  // A user's password is never returned ([SITE:docs/apis/users/_user-request-body.mdx]); registrations hold none that
  // kickstand writes (their authentication token is the server's).
  user: ['password'],
  userRegistration: [],
  // A family holds user ids, roles and owner flags ([SITE:docs/apis/_family-response-body.mdx]): nothing secret.
  family: [],
};

/** Bodies each kind's entries can be loaded with; the first that loads with a secret field in it is used. */
const BASES: Record<KindName, JsonObject[]> = {
  messenger: [
    { name: 'M', type: 'Twilio', url: 'https://api.twilio.com', accountSID: 'AC1', authToken: 'twilio-token-base', fromPhoneNumber: '+15555550100' },
    { name: 'M', type: 'Generic', url: 'https://sms.example/send', connectTimeout: 1000, readTimeout: 2000 },
    { name: 'M', type: 'Kafka', defaultTopic: 'sms' },
  ],
  messageTemplate: [{ name: 'T', type: 'SMS', defaultTemplate: 'x' }],
  theme: [{ name: 'T', defaultMessages: 'x=y' }],
  tenant: [{ name: 'T' }],
  application: [{ name: 'A' }],
  apiKey: [{ name: 'K' }],
  // An HMAC import for the secret; an import of a private key for privateKey.
  key: [{ name: 'K', type: 'HMAC', algorithm: 'HS256' }, { name: 'K' }],
  webhook: [{ url: 'https://hooks.example/fusionauth', connectTimeout: 1000, readTimeout: 2000 }],
  user: [{ email: 'secret-audit@example.com' }],
};

/** The file's spelling of a FusionAuth field name at the top of an entry (`key` → `keyValue` for API keys). */
const fileName = (kind: KindName, wireName: string): string =>
  Object.entries(KINDS.find((k) => k.name === kind)!.renamed ?? {}).find(([, w]) => w === wireName)?.[0] ?? wireName;

/** An entry body with FusionAuth's names at its top (what the server holds). */
function wireNames(kind: KindName, body: JsonObject): JsonObject {
  const renamed = KINDS.find((k) => k.name === kind)!.renamed ?? {};
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [renamed[k] ?? k, v]));
}

const schema = loadSchema();
const defs = schema.definitions as Record<string, SchemaNode>;

/** Follow $ref and pick the branch of an anyOf that is not the {{…}} expression. */
function resolveNode(node: SchemaNode | undefined): SchemaNode | undefined {
  let n = node;
  for (let i = 0; i < 16 && n; i++) {
    if (typeof n.$ref === 'string') n = defs[n.$ref.split('/').pop()!];
    else if (Array.isArray(n.anyOf)) n = (n.anyOf as SchemaNode[]).find((b) => b.$ref !== '#/definitions/HandlebarsExpression');
    else return n;
  }
  return n;
}

/** A value holding `secret` at the pattern's path, shaped as the schema says (a `*` over a list or a map), as a file writes it. */
function placeAt(kind: KindName, pattern: string, secret: string): JsonObject {
  const [first, ...rest] = pattern.split('.');
  const segs = [fileName(kind, first!), ...rest];
  const build = (node: SchemaNode | undefined, i: number): Json => {
    const n = resolveNode(node);
    if (i === segs.length) return secret;
    expect(n, `${kind} ${pattern}: the schema has nothing at ${segs.slice(0, i).join('.')}`).toBeDefined();
    const seg = segs[i]!;
    if (seg === '*' && n!.type === 'array') return [build(n!.items as SchemaNode, i + 1)];
    if (seg === '*') {
      expect(n!.additionalProperties, `${kind} ${pattern}: * over an object without free keys`).toBeTypeOf('object');
      return { 'X-Secret-Key': build(n!.additionalProperties as SchemaNode, i + 1) };
    }
    const props = (n!.properties ?? {}) as Record<string, SchemaNode>;
    expect(Object.keys(props), `${kind} ${pattern}: no field ${seg} at ${segs.slice(0, i).join('.') || 'the entry'}`).toContain(seg);
    const child = build(props[seg], i + 1);
    // A list item that is an object needs its other required-looking fields to be plain (a header's name).
    return { [seg]: child, ...(seg === 'value' ? { name: 'X-Relay-Key' } : {}) };
  };
  return build(defs[KINDS.find((k) => k.name === kind)!.openapi.entry!], 0) as JsonObject;
}

/** Deep-merge b into a (objects only). */
function merge(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = prev && typeof prev === 'object' && !Array.isArray(prev) && v && typeof v === 'object' && !Array.isArray(v) ? merge(prev, v) : v;
  }
  return out;
}

/** Load one entry of `kind` with the secret at `pattern` through the real loader (a JSON file). */
async function loadWith(kind: KindName, pattern: string, secret: string): Promise<{ desired: DesiredState; body: JsonObject }> {
  const section = KINDS.find((k) => k.name === kind)!.section!;
  const failures: string[] = [];
  for (const base of BASES[kind] ?? []) {
    const body = merge(base, placeAt(kind, pattern, secret));
    const dir = tmpFiles({ 'k.json': JSON.stringify({ [section]: [{ key: 'x', ...body }] }) });
    try {
      return { desired: await loadConfig([join(dir, 'k.json')], { env: {} }), body };
    } catch (e) {
      failures.push((e as Error).message);
    }
  }
  throw new Error(`${kind} ${pattern}: no base body loads: ${failures.join(' | ')}`);
}

const renderings = (plan: ReturnType<typeof computePlan>) => ({
  human: renderPlanHuman(plan, { color: false }),
  json: renderPlanJson(plan),
  markdown: renderPlanMarkdown(plan),
});

// From the audited list, not the kinds': a secret field dropped from a kind fails its rendering case too.
const cases = (Object.entries(AUDITED) as Array<[KindName, string[]]>).flatMap(([k, list]) => list.map((p) => [k, p] as const));

describe('secret fields', () => {
  it('are the audited list for every kind', () => {
    expect(Object.fromEntries(KINDS.map((k) => [k.name, k.secretFields]))).toEqual(AUDITED);
  });

  it.each(cases)('%s %s: the loader collects it, and no plan rendering prints it (create, update, no-op)', async (kind, pattern) => {
    const secret = `cnry-${kind}-${pattern.replace(/[^a-z]/gi, '')}-7f3a9c`;
    const old = `cnry-old-${kind}-${pattern.replace(/[^a-z]/gi, '')}-2b8e41`;
    const { desired, body } = await loadWith(kind, pattern, secret);
    expect(desired.secrets).toContain(secret);
    const id = derivedId(kind, 'x', desired.idNamespace);
    const liveBody = (value: string): JsonObject => ({
      ...wireNames(kind, merge(body, placeAt(kind, pattern, value))), id,
      ...(kind === 'application' ? { tenantId: DEFAULT_TENANT, active: true } : {}),
      ...(kind === 'user' ? { tenantId: DEFAULT_TENANT } : {}),
    });
    const app = { id: '3c219e58-ed0e-4b18-ad48-f4f92793ae32', name: 'FusionAuth', tenantId: DEFAULT_TENANT, active: true };
    const liveWith = (objs: JsonObject[]) => liveOf({ [kind]: kind === 'application' ? [app, ...objs] : objs }, { defaultTenantId: DEFAULT_TENANT });
    // A create-only secret (a user's password) is never compared: an old value live is no update.
    const createOnly = (KINDS.find((k) => k.name === kind)!.createOnlyFields ?? []).includes(pattern);
    for (const [what, objs] of [['create', []], ['update', [liveBody(old)]], ['noop', [liveBody(secret)]]] as const) {
      const plan = computePlan(desired, liveWith([...objs]), { ...PLAN, target: 'https://auth.example.com' });
      expect(plan.changes.map((c) => c.action), `${kind} ${pattern}`).toEqual([what === 'update' && createOnly ? 'noop' : what]);
      for (const [format, text] of Object.entries(renderings(plan))) {
        expect(text.includes(secret), `${what} ${format} prints the secret of ${pattern}`).toBe(false);
        expect(text.includes(old), `${what} ${format} prints the old secret of ${pattern}`).toBe(false);
      }
    }
  });
});
