/**
 * Keys: `GET /api/key[/{id}]`, `POST /api/key/generate[/{id}]`, `POST /api/key/import[/{id}]`, `PUT /api/key/{id}`
 * (rename only), `DELETE /api/key/{id}`, `GET|POST /api/key/search` (reference §7, [SITE:docs/apis/keys.mdx]; no PATCH
 * and no `POST /api/key/{id}` in the OpenAPI file, so those answer 405).
 *
 * Behaviour follows FusionAuth's decompiled `DefaultKeyService` (create, update, validate, validateImport,
 * validateDelete) and `KeyHelper` ("[DEC-KEY]"); keyMaterial.ts does the cryptography. Codes the decompiler elided
 * (the lambdas of `validate`/`validateImport`) follow the validator's naming and are marked "inferred".
 *
 * The store keeps a key's private key and secret, as FusionAuth's database does; replies never show them
 * (`Key.secure()`; [SITE:docs/apis/_key-response-body-base.mdx]: "the private key will never be returned").
 */
import { randomBytes } from 'node:crypto';
import type { Json, JsonObject } from '../../core/types.js';
import { KEY_ALGORITHMS, KEY_TYPES, keyTypeOfAlgorithm, OIDC_SHADOW_KEY_IDS } from '../../fusionauth/wire.js';
import { page as searchReply, shownOf, type Call, type KindSpec, type Write } from '../crud.js';
import { Errors } from '../errors.js';
import type { EmulatorRequest, Reply } from '../http.js';
import { col, type EmulatorState } from '../state.js';
import { at, blank, copy, isObject, isUuid, without } from '../values.js';
import {
  algorithmFor, certificateInformation, describeKey, generateHmacSecret, generateKeyPair, jwkThumbprint, publicKeyPem, readCertificate, readPrivateKey,
  readPublicKey, RSA_GENERATE_LENGTHS, selfSignedCertificate, SIGNING_ALGORITHMS, x5t,
} from './keyMaterial.js';

const SHADOW_IDS: ReadonlySet<string> = new Set(Object.values(OIDC_SHADOW_KEY_IDS));

/** Fields FusionAuth computes: dropped from request bodies (a client may echo a GET). */
const SERVER_OWNED = ['id', 'insertInstant', 'lastUpdateInstant', 'certificateInformation', 'expirationInstant', 'hasPrivateKey'] as const;

/** The `KeyAlgorithm` and `KeyType` enums (wire facts): any other value cannot be bound by Jackson (`[invalidJSON]`). */
const ALGORITHMS: readonly string[] = KEY_ALGORITHMS;
const TYPES: readonly string[] = KEY_TYPES;
const MATERIAL = ['certificate', 'publicKey', 'privateKey'] as const;

/** The key material an accepted create carries from `validate` to `stamp` (parsed once). */
interface Parsed {
  generate: boolean;
  type: string;
  certificate?: NonNullable<ReturnType<typeof readCertificate>>;
  publicKey?: NonNullable<ReturnType<typeof readPublicKey>>;
  privateKey?: NonNullable<ReturnType<typeof readPrivateKey>>;
  length?: number;
}
const parsedOf = new WeakMap<Write, Parsed>();

/** Whether a create came in at `/api/key/generate` (else `/api/key/import`). */
const generating = (req: EmulatorRequest): boolean => /\/api\/key\/generate(\/|$)/.test(req.path);

const has = (k: JsonObject, f: string): boolean => k[f] !== undefined && k[f] !== null;

/**
 * The uses of a stored key (`Key.use()`, [DEC-KEY]): an algorithm with a key pair or an HMAC key signs and verifies; a
 * private key alone signs; anything else only verifies.
 */
export function keyUse(key: JsonObject): 'SignAndVerify' | 'SignOnly' | 'VerifyOnly' {
  const pair = (has(key, 'publicKey') || has(key, 'certificate')) && key.hasPrivateKey === true;
  if (has(key, 'algorithm') && (pair || key.type === 'HMAC')) return 'SignAndVerify';
  if (key.hasPrivateKey === true) return 'SignOnly';
  return 'VerifyOnly';
}

/** Whether a key id is one of the OpenID Connect shadow keys (`KeyService.ClientSecretShadowKeys`). */
export const isShadowKey = (id: unknown): boolean => typeof id === 'string' && SHADOW_IDS.has(id.toLowerCase());

/** The rules of `POST /api/key/generate` ([DEC-KEY] validate(key, true)); the codes after `[missing]key.algorithm` are inferred. */
function validateGenerate(k: JsonObject, e: Errors): Parsed | undefined {
  const alg = k.algorithm;
  if (!has(k, 'algorithm')) {
    e.field('key.algorithm', '[missing]', 'The algorithm is required to generate a key.');
    return undefined;
  }
  if (!(SIGNING_ALGORITHMS as readonly string[]).includes(String(alg))) {
    e.field('key.algorithm', '[invalid]', `FusionAuth cannot generate a key for the algorithm [${String(alg)}].`);
    return undefined;
  }
  const type = keyTypeOfAlgorithm(String(alg))!;
  if (type === 'RSA') {
    // [SITE:docs/apis/_key-generate-post-request-body.mdx]: "required when generating RSA key types … 2048, 3072 or 4096".
    if (!has(k, 'length')) e.field('key.length', '[missing]', 'The length is required to generate an RSA key (2048, 3072 or 4096).');
    else if (!(RSA_GENERATE_LENGTHS as readonly number[]).includes(Number(k.length))) e.field('key.length', '[invalid]', `An RSA key is 2048, 3072 or 4096 bits, not [${String(k.length)}].`);
  }
  return e.empty ? { generate: true, type } : undefined;
}

/** The rules of `POST /api/key/import` ([DEC-KEY] validateImport); codes of elided checks are inferred. */
function validateImport(w: Write, k: JsonObject, e: Errors): Parsed | undefined {
  const keys = w.state.store.list(col('key'));
  const kidTaken = (kid: unknown): boolean => keys.some((o) => o.kid === kid);
  if (k.type === 'Secret') {
    // 1.64 secrets ([DEC-KEY] validateImport, the Secret branch; [SITE] "Secrets must be 256 characters or less").
    if (blank(k.secret)) e.field('key.secret', '[blank]', 'A secret is required.');
    else if (String(k.secret).length > 256) e.field('key.secret', '[tooLong]', 'A secret is at most 256 characters.');
    if (has(k, 'kid') && k.kid !== k.name) e.field('key.kid', '[invalid]', 'The kid of a secret is its name.');
    else if (has(k, 'name') && kidTaken(k.name)) e.field('key.kid', '[duplicate]', `A key with the kid [${String(k.name)}] already exists.`);
    for (const f of MATERIAL) if (has(k, f)) e.field(`key.${f}`, '[invalid]', `A secret has no ${f}.`);
    return e.empty ? { generate: false, type: 'Secret' } : undefined;
  }
  if (has(k, 'kid') && kidTaken(k.kid)) e.field('key.kid', '[duplicate]', `A key with the kid [${String(k.kid)}] already exists.`);
  // [DEC-KEY] create: no type and a secret → HMAC.
  if (k.type === 'HMAC' || (!has(k, 'type') && has(k, 'secret'))) {
    if (blank(k.secret)) e.field('key.secret', '[blank]', 'An HMAC key needs its secret.');
    if (!has(k, 'algorithm')) e.field('key.algorithm', '[missing]', 'An HMAC key needs its algorithm (HS256, HS384 or HS512).');
    else if (keyTypeOfAlgorithm(String(k.algorithm)) !== 'HMAC') e.field('key.algorithm', '[invalid]', `[${String(k.algorithm)}] is not an HMAC algorithm.`);
    // [SITE:docs/apis/_key-import-post-request-body.mdx]: public and private keys "should be omitted when importing an HMAC key type".
    for (const f of MATERIAL) if (has(k, f)) e.field(`key.${f}`, '[invalid]', `An HMAC key has no ${f}.`);
    return e.empty ? { generate: false, type: 'HMAC' } : undefined;
  }
  if (has(k, 'secret')) e.field('key.secret', '[invalid]', `A ${String(k.type)} key has no secret.`);
  if (!MATERIAL.some((f) => has(k, f))) {
    e.field('key.publicKey', '[missing]', 'Import a certificate, a public key, a private key or an HMAC secret.');
    return undefined;
  }
  const p: Parsed = { generate: false, type: '' };
  if (has(k, 'certificate')) {
    p.certificate = readCertificate(String(k.certificate));
    if (!p.certificate) e.field('key.certificate', '[invalid]', 'The certificate is not a PEM or base64 X.509 certificate.');
  }
  if (has(k, 'publicKey')) {
    p.publicKey = readPublicKey(String(k.publicKey));
    if (!p.publicKey) e.field('key.publicKey', '[invalid]', 'The public key is not a PEM or base64 public key.');
  }
  if (has(k, 'privateKey')) {
    p.privateKey = readPrivateKey(String(k.privateKey));
    if (!p.privateKey) e.field('key.privateKey', '[invalid]', 'The private key is not a PEM or base64 private key.');
  }
  if (!e.empty) return undefined;
  // [DEC-KEY] create: the type comes from the public key, else the certificate, else the private key.
  const source = p.publicKey?.key ?? p.certificate?.x509.publicKey ?? p.privateKey!.key;
  const d = describeKey(source);
  const field = p.publicKey ? 'key.publicKey' : p.certificate ? 'key.certificate' : 'key.privateKey';
  if (!d) {
    e.field(field, '[invalid]', 'FusionAuth imports RSA, EC (P-256, P-384, P-521) and Ed25519 keys only.');
    return undefined;
  }
  const others = [p.publicKey?.key, p.certificate?.x509.publicKey, p.privateKey?.key].filter((x) => x !== undefined).map((x) => describeKey(x)?.type);
  if (others.some((t) => t !== d.type)) e.field(field, '[invalid]', 'The certificate, public key and private key are not of the same type.');
  if (has(k, 'type') && k.type !== d.type) e.field('key.type', '[invalid]', `The key material is ${d.type}, not ${String(k.type)}.`);
  if (has(k, 'algorithm') && keyTypeOfAlgorithm(String(k.algorithm)) !== d.type) e.field('key.algorithm', '[invalid]', `[${String(k.algorithm)}] is not an algorithm of a ${d.type} key.`);
  // "For RSA pairs, possible key lengths are: 1024 (only valid when importing a public key for signature verification),
  // 2048, 3072 or 4096" ([SITE:docs/apis/keys.mdx] Import a Key; fusionauth-issues #1091).
  if (d.type === 'RSA' && !([2048, 3072, 4096].includes(d.length) || (d.length === 1024 && !p.privateKey))) {
    e.field('key.length', '[invalid]', `FusionAuth does not import ${d.length}-bit RSA keys${d.length === 1024 ? ' with a private key' : ''}.`);
  }
  // [DEC-KEY] x5tKidIsUnique: a certificate import without a kid takes the certificate's x5t, which must be free.
  if (!has(k, 'kid') && p.certificate && kidTaken(x5t(p.certificate.x509))) e.field('key.kid', '[duplicateX5t]', 'A key with this certificate\'s x5t as kid already exists.');
  if (!e.empty) return undefined;
  // A certificate with an algorithm and no public or private key: FusionAuth generates a NEW key pair and stores it with
  // the certificate, whose public key it then no longer holds. [DEC-KEY] create: `if (algorithm != null && privateKey ==
  // null && publicKey == null && secret == null) generateKeys(key)` — the certificate is not looked at; the length of a
  // generated RSA pair is the certificate's (validateImport's x5tKidIsUnique runs KeyHelper.setupSyntheticFields on a
  // key without a kid first). Seen live: fusionauth-issues #3085 (1.57.1, open: "If only a certificate and algorithm
  // are provided, a new key is generated by FusionAuth, but stored along with the provided certificate"; workaround:
  // leave the algorithm out). Not emulated: a length FusionAuth cannot generate (an RSA 1024 certificate), for which
  // generateKeys throws — the emulator imports such a certificate as if no algorithm were sent.
  const generatesAnyway = has(k, 'algorithm') && p.certificate !== undefined && !p.publicKey && !p.privateKey
    && (d.type !== 'RSA' || (RSA_GENERATE_LENGTHS as readonly number[]).includes(d.length));
  return { ...p, type: d.type, length: d.length, generate: generatesAnyway };
}

/** A random kid for a key with nothing to derive one from ([DEC-KEY] `SecurityTools.secureRandom(24)`; the alphabet is inferred). */
const randomKid = (): string => randomBytes(24).toString('base64url');

/** The stored key of an accepted create ([DEC-KEY] create, generateKeys, setupSyntheticFields). */
function build(w: Write, p: Parsed, stored: JsonObject): void {
  const k = stored;
  const now = k.insertInstant as number;
  const defaultIssuer = at(w.state.store.get(col('tenant'), w.state.defaultTenantId), 'issuer');
  const secret = k.secret;
  for (const f of [...MATERIAL, 'secret', 'length'] as const) delete k[f];
  const asymmetric = p.type === 'RSA' || p.type === 'EC' || p.type === 'OKP';
  // [SITE:docs/apis/_key-generate-post-request-body.mdx]: "For HMAC keys, this field [issuer] does not apply and will be ignored".
  if (!asymmetric) delete k.issuer;
  if (p.type === 'Secret') {
    // [DEC-KEY] create: a secret's algorithm is None and its kid its name.
    Object.assign(k, { type: 'Secret', algorithm: 'None', kid: k.name as Json, secret: secret as Json });
    return;
  }
  if (p.type === 'HMAC') {
    // The imported secret, or one generated for the algorithm's hash (generateSHA*_HMACSecret).
    Object.assign(k, { type: 'HMAC', kid: has(k, 'kid') ? k.kid! : randomKid(), secret: typeof secret === 'string' ? secret : generateHmacSecret(String(k.algorithm)) });
    return;
  }
  const issuer = has(w.obj, 'issuer') ? String(w.obj.issuer) : typeof defaultIssuer === 'string' ? defaultIssuer : 'acme.com';
  let publicKey: string | undefined, privateKey: string | undefined, certificate = p.certificate;
  let algorithm = has(w.obj, 'algorithm') ? String(w.obj.algorithm) : undefined;
  let length = p.length;
  if (p.generate) {
    // A generated pair's length: the request's (POST /api/key/generate), or the certificate's (see validateImport).
    const pair = generateKeyPair(algorithm!, p.certificate && p.length !== undefined ? p.length : Number(w.obj.length));
    publicKey = pair.publicKey;
    privateKey = pair.privateKey;
    length = describeKey(readPublicKey(publicKey)!.key)!.length;
  } else {
    publicKey = p.publicKey?.pem ?? (p.certificate ? publicKeyPem(p.certificate.x509.publicKey) : undefined);
    privateKey = p.privateKey?.pem;
    algorithm ??= algorithmFor(p.type as 'RSA' | 'EC' | 'OKP', length!);
  }
  // [DEC-KEY] setupSyntheticFields: a private key with a public key but no certificate gets a self-signed one.
  if (privateKey && publicKey && !certificate) {
    const pem = selfSignedCertificate({ id: String(k.id), issuer, algorithm: algorithm!, publicKey, privateKey, now });
    certificate = readCertificate(pem);
  }
  Object.assign(k, {
    type: p.type,
    algorithm: algorithm!,
    issuer,
    length: length!,
    hasPrivateKey: privateKey !== undefined,
    ...(privateKey ? { privateKey } : {}),
    ...(publicKey ? { publicKey } : {}),
    ...(certificate ? {
      certificate: certificate.pem,
      certificateInformation: certificateInformation(certificate.x509),
      // [DEC-KEY] create: expirationInstant = the certificate's notAfter.
      expirationInstant: Date.parse(certificate.x509.validTo),
    } : {}),
  });
  // [DEC-KEY] create: a given kid stays; else the certificate's x5t, else the public key's RFC 7638 thumbprint, else random.
  if (!has(k, 'kid')) {
    k.kid = certificate ? x5t(certificate.x509) : publicKey ? jwkThumbprint(readPublicKey(publicKey)!.key) : randomKid();
  }
}

function validate(w: Write, e: Errors): void {
  if (w.mode !== 'create') {
    // [DEC-KEY] validate(key, false): the shadow keys cannot be renamed.
    if (w.existing && isShadowKey(w.existing.id)) e.field('key.name', '[shadow]', 'The OpenID Connect shadow keys cannot be changed.');
    return;
  }
  const k = w.obj;
  // [DEC-KEY] create generates only when no material was sent; otherwise the request is an import whatever its path.
  const material = [...MATERIAL, 'secret'].some((f) => has(k, f));
  const parsed = generating(w.req) && !material ? validateGenerate(k, e) : validateImport(w, k, e);
  if (parsed) parsedOf.set(w, parsed);
}

/** Search criteria of `GET|POST /api/<kind>/search` and the page they select (reference §1.8). */
export function searchPage(req: EmulatorRequest, objects: JsonObject[], o: {
  /** Criteria fields matched as case-insensitive wildcards (`*` any run; without one `*value*`). */
  wildcards: readonly string[];
  /** Criteria fields matched exactly, or by membership when the object's value is a list. */
  exact: ReadonlyArray<{ criterion: string; field: string }>;
  orderBy: string;
  sortable: readonly string[];
}): { page: JsonObject[]; total: number } {
  const crit: Record<string, unknown> = req.method === 'POST' ? (isObject(req.body) && isObject(req.body.search) ? req.body.search : {}) : Object.fromEntries(req.query);
  let list = objects;
  for (const f of o.wildcards) {
    const v = crit[f];
    if (typeof v !== 'string' || v === '') continue;
    const pattern = v.includes('*') ? v : `*${v}*`;
    const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
    list = list.filter((x) => typeof x[f] === 'string' && re.test(x[f] as string));
  }
  for (const { criterion, field } of o.exact) {
    const v = crit[criterion];
    if (typeof v !== 'string' || v === '') continue;
    list = list.filter((x) => (Array.isArray(x[field]) ? (x[field] as Json[]).some((y) => String(y).toLowerCase() === v.toLowerCase()) : x[field] === v));
  }
  const rows = Number(crit.numberOfResults ?? 25);
  const start = Number(crit.startRow ?? 0);
  const [by = o.orderBy, dir = 'ASC'] = String(crit.orderBy ?? o.orderBy).trim().split(/\s+/);
  const key = o.sortable.includes(by) ? by : o.orderBy;
  // "null values are treated as smaller than all other values" ([SITE:docs/apis/_key-search-request-parameters.mdx]).
  const sorted = [...list].sort((a, b) => {
    const x = a[key], y = b[key];
    const c = x === undefined ? (y === undefined ? 0 : -1) : y === undefined ? 1 : typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return dir.toUpperCase() === 'DESC' ? -c : c;
  });
  return { page: sorted.slice(start, start + rows), total: list.length };
}

/** `GET|POST /api/key/search` ([SITE:docs/apis/keys.mdx] Search for Keys, since 1.45.0). */
function search(req: EmulatorRequest, state: EmulatorState): Reply {
  const { page, total } = searchPage(req, state.store.list(col('key')).map((k) => shownOf(key, k, 'list')), {
    wildcards: ['name'],
    exact: [{ criterion: 'algorithm', field: 'algorithm' }, { criterion: 'type', field: 'type' }],
    orderBy: 'name',
    sortable: ['algorithm', 'id', 'insertInstant', 'name', 'type'],
  });
  return searchReply('keys', page, total);
}

/** The key kind. */
export const key: KindSpec = {
  kind: 'key',
  scope: 'global',
  serverOwned: SERVER_OWNED,
  createAt: ['/generate', '/import'],
  patch: false,
  // `Key.KeyAlgorithm` and `Key.KeyType` are enums: a value outside them fails Jackson's binding of the whole request,
  // `[invalidJSON]` at the property before any validation (the enum case of prime-mvc's JacksonContentHandler tests:
  // "Cannot deserialize value of type `…Fruit` from String "bar": not one of the values accepted for Enum class"),
  // with the live 1.46 wording (errors.ts `invalidJson`).
  bind: [
    { path: 'algorithm', accepts: (v: Json) => typeof v === 'string' && ALGORITHMS.includes(v), expected: `one of ${ALGORITHMS.join(', ')}` },
    { path: 'type', accepts: (v: Json) => typeof v === 'string' && TYPES.includes(v), expected: `one of ${TYPES.join(', ')}` },
  ],
  // [DEC-KEY] validate: notBlank / notDuplicate on key.name.
  name: { unique: 'global' },
  fill: (body) => copy(body),
  present: (stored) => without(stored, ['privateKey', 'secret']),
  prepare: (w) => {
    // [DEC-KEY] update: only the name changes (and a Secret's secret, which is never returned); everything else is the
    // stored key's. [SITE:docs/_shared/_update-key-note.mdx]: "Only the name of the Key may be changed".
    if (w.mode === 'create' || !w.existing) return;
    const name = w.obj.name;
    const sent = w.obj.secret;
    w.obj = without(w.existing, ['id', 'insertInstant', 'lastUpdateInstant']);
    if (name === undefined || name === null) delete w.obj.name;
    else w.obj.name = name;
    // A 1.64 secret's secret may change; a blank one keeps the stored secret ([DEC-KEY] update).
    if (w.existing.type === 'Secret') {
      w.obj.kid = w.obj.name ?? null;
      if (!blank(sent)) w.obj.secret = sent as Json;
    }
  },
  validate,
  stamp: (w, stored) => {
    if (w.mode !== 'create') return;
    const p = parsedOf.get(w);
    if (p) build(w, p, stored);
  },
  // [DEC-KEY] validateDelete: `ensure(!ClientSecretShadowKeys.contains(id), "keyId", "[shadow]")`; a key a tenant,
  // application or webhook names is refused by refs.ts ([inUse]keyId, the notInUse checks of validateDelete).
  guardDelete: (_c: Call, id: string) => (isShadowKey(id) ? new Errors().field('keyId', '[shadow]', 'The OpenID Connect shadow keys cannot be deleted.').reply() : undefined),
  // A fresh instance's keys ([SCHEMA] `INSERT INTO keys`, reference §1.3): the "Default signing key" (HS256, random id,
  // the one the Default tenant and the FusionAuth application sign access tokens with) and the three shadow keys (fixed
  // ids, no secret), each inserted one second after the previous "to ensure order can be predicted"; kids are 10 random
  // hex digits. From 1.58 the Tenant manager application's keys follow: its "Tenant manager signing key" (HS256, random
  // id) and its shadow key 80ccfe1e-… (a real 1.60.2 instance's schema-time keys, /work/notes/builtins.md DUMP-1.60;
  // `KeyService.TENANT_MANAGER_HS256_CLIENT_SECRET_SHADOW`). The ids come from the boot objects that use them.
  boot: (state, b) => {
    const t = state.now();
    const kid = (): string => randomBytes(5).toString('hex');
    const signingKeyId = at(b.tenant, 'jwtConfiguration.accessTokenKeyId');
    const managerKeyId = b.tenantManagerApp ? at(b.tenantManagerApp, 'jwtConfiguration.accessTokenKeyId') : undefined;
    const boot: Array<[string, string, string, boolean]> = [
      [isUuid(signingKeyId) ? signingKeyId : state.newId(), 'HS256', 'Default signing key', true],
      [OIDC_SHADOW_KEY_IDS.oidcSha256, 'HS256', 'OpenID Connect compliant HMAC using SHA-256', false],
      [OIDC_SHADOW_KEY_IDS.oidcSha384, 'HS384', 'OpenID Connect compliant HMAC using SHA-384', false],
      [OIDC_SHADOW_KEY_IDS.oidcSha512, 'HS512', 'OpenID Connect compliant HMAC using SHA-512', false],
      ...(isUuid(managerKeyId) ? [
        [managerKeyId, 'HS256', 'Tenant manager signing key', true],
        [OIDC_SHADOW_KEY_IDS.tenantManagerOidcSha256, 'HS256', 'Tenant manager OpenID Connect compliant HMAC using SHA-256', false],
      ] satisfies Array<[string, string, string, boolean]> : []),
    ];
    boot.forEach(([id, algorithm, name, signs], i) => {
      const instant = t - (boot.length - i) * 1000;
      // The signing keys have a secret; the shadow keys sign with each application's client secret.
      const secret: JsonObject = signs ? { secret: generateHmacSecret(algorithm) } : {};
      state.store.put(col('key'), { algorithm, id: id.toLowerCase(), insertInstant: instant, kid: kid(), lastUpdateInstant: instant, name, type: 'HMAC', ...secret });
    });
  },
  routes: [
    { method: 'GET', path: '/api/key/search', handle: search },
    { method: 'POST', path: '/api/key/search', handle: search },
  ],
};
