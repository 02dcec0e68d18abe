/**
 * Keys (Key Master): generated (`POST /api/key/generate/{id}`: RSA, EC, HMAC, Ed25519) or imported
 * (`POST /api/key/import/{id}`: certificate, public key, private key, HMAC secret, 1.64 secret), renamed with PUT
 * (reference §7, [SITE:docs/apis/keys.mdx]). An entry with key material is imported, one without is generated.
 *
 * Rules and their sources:
 * - only the name of a key can change ([SITE:docs/_shared/_update-key-note.mdx]; decompiled `DefaultKeyService.update`
 *   copies every other field from the stored key): a new algorithm, length, type, issuer, kid or imported material would
 *   invalidate every token signed with the key, so a change of one is a plan error, a replace with `--allow-replace`;
 * - FusionAuth never returns a private key or a secret (`Key.secure()`; `_key-response-body-base.mdx`): they are sent on
 *   create, masked, and compared only while the server holds them in a reply (never);
 * - names are unique among keys (`[duplicate]key.name`);
 * - the OpenID Connect shadow keys (fixed ids) cannot be renamed or deleted (`[shadow]key.name`, `[shadow]keyId`),
 *   and the instance's "Default signing key" is the one FusionAuth recreates by that name (`resetDefaultKey`): kickstand
 *   never deletes or replaces them, nor the Tenant manager's signing key.
 */
import type { PlanContext, RuleViolation } from '../core/kind.js';
import type { Change, Diagnostic, JsonObject } from '../core/types.js';
import { olderThan } from '../core/preflight.js';
import { KEY_ALGORITHMS, KEY_TYPES, keyTypeOfAlgorithm, OIDC_SHADOW_KEY_IDS, WIRE } from '../fusionauth/wire.js';
import { restCollection } from './api.js';
import { defineKind } from './define.js';


/**
 * The instance's own signing keys, by the names FusionAuth gives them: the "Default signing key" (found by that name,
 * `DefaultKeyService.resetDefaultKey`) and, 1.58+, the Tenant manager application's (a real 1.60.2 instance,
 * /work/notes/builtins.md). Their ids are random, so their names are what identifies them.
 */
export const BUILT_IN_SIGNING_KEY_NAMES: readonly string[] = ['Default signing key', 'Tenant manager signing key'];

const SHADOW_IDS: ReadonlySet<string> = new Set(Object.values(OIDC_SHADOW_KEY_IDS));
const MATERIAL = ['certificate', 'publicKey', 'privateKey', 'secret'] as const;

const present = (v: unknown): boolean => v !== undefined && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** True when an entry is imported (it carries key material), false when FusionAuth generates it. */
export function isImport(body: JsonObject): boolean {
  return MATERIAL.some((f) => present(body[f]));
}

/** The length FusionAuth reports for a generated EC or Ed25519 key ([DEC-KEY] setAlgorithm / KeyUtils.getKeyLength). */
const DERIVED_LENGTH: Record<string, number> = { ES256: 256, ES384: 384, ES512: 521, Ed25519: 32 };

function validateGenerate(body: JsonObject, out: RuleViolation[]): void {
  const algorithm = str(body.algorithm);
  if (algorithm === undefined) {
    out.push({ path: 'algorithm', message: 'a key to generate needs algorithm (RS256…RS512, ES256…ES512, HS256…HS512, Ed25519); to import a key, write its certificate, publicKey, privateKey or secret' });
    return;
  }
  const family = keyTypeOfAlgorithm(algorithm);
  if (family === 'Secret') {
    out.push({ path: 'algorithm', message: 'FusionAuth does not generate secrets (algorithm None): import one with type Secret and its secret' });
    return;
  }
  if (present(body.type) && body.type !== family) out.push({ path: 'type', message: `a ${algorithm} key is of type ${String(family)}, not ${String(body.type)}` });
  const length = body.length;
  if (family === 'RSA') {
    // [SITE:docs/apis/_key-generate-post-request-body.mdx]: length "is required when generating RSA key types": 2048, 3072 or 4096.
    if (!present(length)) out.push({ path: 'length', message: 'an RSA key to generate needs length: 2048, 3072 or 4096' });
    else if (![2048, 3072, 4096].includes(Number(length))) out.push({ path: 'length', message: `an RSA key is 2048, 3072 or 4096 bits, not ${String(length)}` });
  } else if (family === 'HMAC') {
    // FusionAuth reports no length and no issuer for an HMAC key ([SITE] "omitted for HMAC key types"): written, they
    // would show as a change on every plan.
    if (present(length)) out.push({ path: 'length', message: 'an HMAC key has no length (FusionAuth picks the secret size from the algorithm); remove it' });
    if (present(body.issuer)) out.push({ path: 'issuer', message: 'an HMAC key has no issuer (FusionAuth ignores it); remove it' });
  } else if (present(length) && Number(length) !== DERIVED_LENGTH[algorithm]) {
    out.push({ path: 'length', message: `a generated ${algorithm} key is ${DERIVED_LENGTH[algorithm]} long (FusionAuth derives it from the algorithm); write ${DERIVED_LENGTH[algorithm]} or leave length out` });
  }
}

function validateImport(body: JsonObject, out: RuleViolation[]): void {
  const type = str(body.type);
  const hmac = type === 'HMAC' || (type === undefined && present(body.secret));
  if (type === 'Secret') {
    // 1.64 secrets ([SITE:docs/apis/_key-import-post-request-body.mdx]; decompiled validateImport).
    if (!present(body.secret)) out.push({ path: 'secret', message: 'a secret (type Secret) needs its secret' });
    else if (String(body.secret).length > 256) out.push({ path: 'secret', message: 'a secret is at most 256 characters' });
    if (present(body.kid) && body.kid !== body.name) out.push({ path: 'kid', message: "a secret's kid is its name: remove kid" });
    if (present(body.algorithm) && body.algorithm !== 'None') out.push({ path: 'algorithm', message: "a secret's algorithm is None" });
    for (const f of ['certificate', 'publicKey', 'privateKey']) if (present(body[f])) out.push({ path: f, message: `a secret (type Secret) has no ${f}` });
    return;
  }
  if (hmac) {
    if (!present(body.secret)) out.push({ path: 'secret', message: 'an HMAC key to import needs its secret' });
    if (keyTypeOfAlgorithm(str(body.algorithm)) !== 'HMAC') out.push({ path: 'algorithm', message: 'an imported HMAC key needs algorithm HS256, HS384 or HS512' });
    for (const f of ['certificate', 'publicKey', 'privateKey', 'length', 'issuer']) {
      if (present(body[f])) out.push({ path: f, message: `an HMAC key has no ${f}; remove it` });
    }
    return;
  }
  if (present(body.secret)) out.push({ path: 'secret', message: `only HMAC keys and secrets have a secret${type ? `, not ${type} keys` : ''}` });
  if (type !== undefined && !['RSA', 'EC', 'OKP'].includes(type)) return;
  const family = keyTypeOfAlgorithm(str(body.algorithm));
  if (present(body.algorithm) && type !== undefined && family !== type) out.push({ path: 'algorithm', message: `${String(body.algorithm)} is not an algorithm of a ${type} key` });
  // An algorithm with a certificate and no public or private key makes FusionAuth generate a new key pair and store it
  // with the certificate (decompiled DefaultKeyService.create; fusionauth-issues #3085, live 1.57.1, open).
  if (present(body.algorithm) && present(body.certificate) && !present(body.publicKey) && !present(body.privateKey)) {
    out.push({ path: 'algorithm', message: "with only a certificate, FusionAuth would generate a new key pair instead of importing the certificate's key (fusionauth-issues #3085): remove algorithm, FusionAuth takes it from the certificate" });
  }
  // FusionAuth reads the length off the key material (KeyUtils.getKeyLength); a written one is never sent on import.
  if (present(body.length)) out.push({ path: 'length', message: 'FusionAuth derives the length of an imported key from its material; remove length' });
  // FusionAuth returns the certificate and public key PEM-armoured (a bare base64 certificate is wrapped, decompiled
  // retryAsCertificatePEM) and with LF line breaks (Key.normalize): any other spelling would never compare equal.
  for (const f of ['certificate', 'publicKey'] as const) {
    const v = str(body[f]);
    if (v === undefined) continue;
    if (!/^-----BEGIN [A-Z0-9 ]+-----\n/.test(v)) out.push({ path: f, message: `write ${f} in PEM form (-----BEGIN …----- lines around the base64 text): FusionAuth returns it armoured, so any other form would show as a change on every plan` });
    else if (v.includes('\r')) out.push({ path: f, message: `${f} must use LF line breaks: FusionAuth turns CR LF into LF, so the text would show as a change on every plan` });
  }
}

function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (present(body.algorithm) && !(KEY_ALGORITHMS as readonly unknown[]).includes(body.algorithm)) {
    out.push({ path: 'algorithm', message: `unknown algorithm "${String(body.algorithm)}"; valid algorithms: ${KEY_ALGORITHMS.join(', ')}` });
    return out;
  }
  if (present(body.type) && !(KEY_TYPES as readonly unknown[]).includes(body.type)) {
    out.push({ path: 'type', message: `unknown key type "${String(body.type)}"; valid types: ${KEY_TYPES.join(', ')}` });
    return out;
  }
  if (isImport(body)) validateImport(body, out);
  else validateGenerate(body, out);
  return out;
}

/** Values that need a newer server than the field paths show (FeatureGate is by path): Ed25519/OKP 1.62, secrets 1.64. */
const VALUE_GATES: ReadonlyArray<{ path: string; values: readonly string[]; since: string }> = [
  // [SITE:docs/apis/_key-import-post-request-body.mdx]: Ed25519 and OKP "Available since 1.62.0"; None and the secret type "since 1.64.0".
  { path: 'algorithm', values: ['Ed25519'], since: '1.62.0' },
  { path: 'type', values: ['OKP'], since: '1.62.0' },
  { path: 'algorithm', values: ['None'], since: '1.64.0' },
  { path: 'type', values: ['Secret'], since: '1.64.0' },
];

/** Where a plan diagnostic about a key change points: its entry. */
const whereOf = (c: Change, path: string): Diagnostic['where'] => ({ ...(c.source ? { file: c.source.file, line: c.source.line, column: c.source.column } : {}), path, kind: c.kind, key: c.key });

/**
 * Plan rules of keys: algorithms and types newer than the server (by value, which `features` cannot express), and a
 * rename of a shadow key, which FusionAuth refuses (`[shadow]key.name`, decompiled validate(key, false)).
 */
function checkPlan(changes: readonly Change[], ctx: PlanContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of changes) {
    if (c.kind !== 'key') continue;
    if ((c.action === 'create' || c.action === 'replace') && c.after) {
      for (const g of VALUE_GATES) {
        const v = c.after[g.path];
        if (typeof v === 'string' && g.values.includes(v) && olderThan(ctx.live.serverVersion, g.since)) {
          out.push({ severity: 'error', message: `${g.path} ${v} needs FusionAuth ${g.since} or later; the server runs ${ctx.live.serverVersion}`, where: whereOf(c, g.path) });
        }
      }
    }
    if (c.action === 'update' && c.id !== undefined && SHADOW_IDS.has(c.id) && c.fields.some((f) => f.path === 'name')) {
      out.push({ severity: 'error', message: 'FusionAuth refuses to rename the OpenID Connect shadow keys ([shadow]key.name); keep their names', where: whereOf(c, 'name') });
    }
  }
  return out;
}

const IMMUTABLE_REASON = 'FusionAuth only lets a key\'s name change, and a new key would invalidate every token signed with this one (import or generate a new key, point the tenants and applications at it, then remove this one)';

/** The key kind. */
export const key = defineKind({
  name: 'key',
  section: 'keys',
  title: 'key',
  wire: WIRE.key,
  api: restCollection(WIRE.key, {
    // An entry with key material is imported, one without is generated; both with the planned id.
    createRequests: (c) => [{ method: 'POST', path: `${WIRE.key.path!}/${isImport(c.after ?? {}) ? 'import' : 'generate'}/${c.id!}`, body: { key: c.after ?? {} } }],
    // PUT only (no PATCH in the OpenAPI file); the server copies everything but the name from the stored key.
    update: 'put',
    putOmits: ['certificateInformation', 'expirationInstant', 'hasPrivateKey'],
  }),
  serverFields: ['id', 'insertInstant', 'lastUpdateInstant', 'certificateInformation', 'expirationInstant', 'hasPrivateKey'],
  secretFields: ['privateKey', 'secret'],
  writeOnlyFields: ['privateKey', 'secret'],
  immutableFields: ['algorithm', 'type', 'length', 'issuer', 'kid', 'certificate', 'publicKey'].map((path) => ({ path, reason: IMMUTABLE_REASON })),
  // [SITE:docs/apis/_key-import-post-request-body.mdx] "It must be unique among all Keys"; [duplicate]key.name.
  uniqueName: 'global',
  isProtected: (live) => (typeof live.id === 'string' && SHADOW_IDS.has(live.id.toLowerCase())) || BUILT_IN_SIGNING_KEY_NAMES.includes(String(live.name)),
  validate,
  checkPlan,
  examples: 'keys',
  openapi: {
    schema: 'Key',
    entry: 'Key',
    required: ['name'],
    description: 'Keys (Key Master): generated when no key material is written (algorithm, length, issuer), imported otherwise (certificate, publicKey, privateKey, secret). Only the name can change.',
  },
});
