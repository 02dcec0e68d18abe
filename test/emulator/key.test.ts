/**
 * Keys (reference §7, [SITE:docs/apis/keys.mdx], the decompiled DefaultKeyService and KeyHelper): generation really
 * produces keys of the asked algorithm and size, imported certificates give the fields FusionAuth derives from them
 * (checked against the documented responses), only the name changes, and the delete refusals.
 */
import { createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCodes, codes, start, type Client, type Res } from './helpers.js';

const EXAMPLES = new URL('../data/api-examples/keys/', import.meta.url);
const example = (file: string) => JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as { key: Record<string, unknown> };
const SHADOW_256 = '092dbedc-30af-4149-9c61-b578f2c72f59';

let c: Client;
beforeAll(async () => {
  c = await start();
});
afterAll(() => c.e.stop());

let n = 0;
const uniq = (what: string) => `${what} ${++n}`;
const generate = (key: Record<string, unknown>, id = '') => c.post(`/api/key/generate${id ? `/${id}` : ''}`, { key });
const importKey = (key: Record<string, unknown>, id = '') => c.post(`/api/key/import${id ? `/${id}` : ''}`, { key });
/** Replies never carry a private key or a secret. */
const noMaterial = (r: Res) => {
  expect(r.text).not.toMatch(/PRIVATE KEY|"privateKey"|"secret"/);
};

describe('a fresh instance', () => {
  it('has the Default signing key the Default tenant signs with and the three shadow keys, without their secrets', async () => {
    const r = await c.get('/api/key');
    noMaterial(r);
    const keys = r.body.keys as Array<Record<string, unknown>>;
    const tenant = (await c.get(`/api/tenant/${c.e.defaultTenantId}`)).body.tenant;
    expect(keys.map((k) => [k.name, k.algorithm, k.type])).toEqual(expect.arrayContaining([
      ['Default signing key', 'HS256', 'HMAC'],
      ['OpenID Connect compliant HMAC using SHA-256', 'HS256', 'HMAC'],
      ['OpenID Connect compliant HMAC using SHA-384', 'HS384', 'HMAC'],
      ['OpenID Connect compliant HMAC using SHA-512', 'HS512', 'HMAC'],
    ]));
    expect(keys.find((k) => k.name === 'Default signing key')!.id).toBe(tenant.jwtConfiguration.accessTokenKeyId);
    expect(keys.find((k) => k.id === SHADOW_256)!.name).toBe('OpenID Connect compliant HMAC using SHA-256');
  });
});

describe('generate', () => {
  it.each([
    ['RS256', 2048, 'RSA', 2048],
    ['RS512', 3072, 'RSA', 3072],
    ['ES256', undefined, 'EC', 256],
    ['ES384', undefined, 'EC', 384],
    ['ES512', undefined, 'EC', 521],
    ['Ed25519', undefined, 'OKP', 32],
  ] as const)('%s: a real key of that algorithm and size, with the self-signed certificate FusionAuth makes', async (algorithm, length, type, bits) => {
    const id = crypto.randomUUID();
    const r = await generate({ algorithm, name: uniq(algorithm), ...(length ? { length } : {}) }, id);
    expect(r.status, r.text).toBe(200);
    noMaterial(r);
    const k = r.body.key;
    expect(k).toMatchObject({ id, algorithm, type, length: bits, hasPrivateKey: true, issuer: 'acme.com' });
    // The public key is what it says it is.
    const pub = createPublicKey(k.publicKey);
    if (type === 'RSA') expect(pub.asymmetricKeyDetails?.modulusLength).toBe(bits);
    if (type === 'EC') expect(pub.asymmetricKeyDetails?.namedCurve).toBe({ 256: 'prime256v1', 384: 'secp384r1', 521: 'secp521r1' }[bits]);
    if (type === 'OKP') expect(pub.asymmetricKeyType).toBe('ed25519');
    // The certificate holds that key, is self-signed by it, names the issuer, carries the key id as serial and the kid
    // is its SHA-1 thumbprint ([DOC-EX] ec-response.json).
    const x = new X509Certificate(k.certificate);
    expect(x.publicKey.export({ type: 'spki', format: 'pem' }).toString().trim()).toBe(k.publicKey);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.subject).toBe('CN=acme.com');
    expect(k.certificateInformation).toMatchObject({ issuer: 'CN=acme.com', subject: 'CN=acme.com', sha1Thumbprint: k.kid });
    expect(BigInt(`0x${k.certificateInformation.serialNumber.replace(/:/g, '')}`)).toBe(BigInt(`0x${id.replace(/-/g, '')}`));
    expect(k.expirationInstant).toBe(k.certificateInformation.validTo);
    expect(new Date(k.certificateInformation.validTo).getUTCFullYear() - new Date(k.certificateInformation.validFrom).getUTCFullYear()).toBe(10);
    expect((await c.get(`/api/key/${id}`)).body).toEqual(r.body);
  });

  it('the serial number is the key id as Java\'s BigInteger writes it: 00 before a high first byte, a low one kept', async () => {
    const serial = async (id: string) => (await generate({ algorithm: 'ES256', name: uniq('serial') }, id)).body.key.certificateInformation.serialNumber;
    // [DOC-EX] ec-response.json: key c14b50e5-868b-4dbe-9f3c-028cd0515b11 → serial 00:C1:4B:50:E5:86:8B:4D:BE:9F:3C:02:8C:D0:51:5B:11.
    expect(await serial('c14b50e5-868b-4dbe-9f3c-028cd0515b11')).toBe('00:C1:4B:50:E5:86:8B:4D:BE:9F:3C:02:8C:D0:51:5B:11');
    expect(await serial('03649ab9-97c7-48b3-b068-6f91e33c8a04')).toBe('03:64:9A:B9:97:C7:48:B3:B0:68:6F:91:E3:3C:8A:04');
    expect(await serial('00a49ab9-97c7-48b3-b068-6f91e33c8a04')).toBe('00:A4:9A:B9:97:C7:48:B3:B0:68:6F:91:E3:3C:8A:04');
  });

  it('an HMAC key: no certificate, public key, length, issuer or hasPrivateKey (the documented HMAC response)', async () => {
    const r = await generate({ algorithm: 'HS512', name: uniq('hmac'), issuer: 'ignored.example' });
    expect(r.status).toBe(200);
    noMaterial(r);
    expect(Object.keys(r.body.key).sort()).toEqual(Object.keys(example('hmac-response.json').key).sort());
    expect(r.body.key).toMatchObject({ algorithm: 'HS512', type: 'HMAC' });
  });

  it('the issuer defaults to the Default tenant\'s and may be given', async () => {
    const r = await generate({ algorithm: 'ES256', name: uniq('issuer'), issuer: 'https://auth.example.com' });
    expect(r.body.key.issuer).toBe('https://auth.example.com');
    expect(r.body.key.certificateInformation.issuer).toBe('CN=https://auth.example.com');
  });

  it.each([
    [{}, 'key.algorithm: [missing]key.algorithm'],
    [{ algorithm: 'None' }, 'key.algorithm: [invalid]key.algorithm'],
    [{ algorithm: 'PS256' }, 'key.algorithm: [invalidJSON]'],
    [{ algorithm: 'RS256' }, 'key.length: [missing]key.length'],
    [{ algorithm: 'RS256', length: 1024 }, 'key.length: [invalid]key.length'],
  ])('refuses %j: %s', async (body, code) => {
    const r = await generate({ name: uniq('bad'), ...body });
    expect(r.status).toBe(400);
    expect(allCodes(r)).toContain(code);
  });

  it('names are unique ([duplicate]key.name) and so are ids ([duplicate]keyId)', async () => {
    const id = crypto.randomUUID();
    const name = uniq('dup');
    expect((await generate({ algorithm: 'HS256', name }, id)).status).toBe(200);
    expect(codes(await generate({ algorithm: 'HS256', name }), 'key.name')).toEqual(['[duplicate]key.name']);
    expect(codes(await generate({ algorithm: 'HS256', name: uniq('other') }, id), 'keyId')).toEqual(['[duplicate]keyId']);
    expect(codes(await generate({ algorithm: 'HS256', name: ' ' }), 'key.name')).toEqual(['[blank]key.name']);
  });
});

describe('import', () => {
  it('the documented bare base64 certificate: stored PEM-armoured, with the fields of the documented response', async () => {
    const r = await importKey(example('import/post-request.json').key);
    expect(r.status, r.text).toBe(200);
    const documented = example('rsa-response.json').key as Record<string, Record<string, unknown>>;
    const k = r.body.key;
    expect(k.certificate).toBe(documented.certificate);
    expect(k.publicKey).toBe(documented.publicKey);
    expect(k).toMatchObject({ algorithm: 'RS256', type: 'RSA', length: 2048, hasPrivateKey: false, kid: documented.kid, issuer: 'acme.com' });
    // The documented instants carry milliseconds a certificate cannot hold (DER times are whole seconds).
    const { validFrom, validTo, ...info } = documented.certificateInformation!;
    expect(k.certificateInformation).toMatchObject(info);
    expect(k.certificateInformation.validFrom).toBe(Math.floor(Number(validFrom) / 1000) * 1000);
    expect(k.certificateInformation.validTo).toBe(Math.floor(Number(validTo) / 1000) * 1000);
  });

  it('a kid is taken from the certificate (x5t) when not given, and must be free ([duplicate]key.kid, [duplicateX5t]key.kid)', async () => {
    const cert = example('ec-response.json').key.certificate as string;
    const first = await importKey({ name: uniq('x5t'), certificate: cert });
    expect(first.body.key.kid).toBe(first.body.key.certificateInformation.sha1Thumbprint);
    expect(codes(await importKey({ name: uniq('x5t again'), certificate: cert }), 'key.kid')).toEqual(['[duplicateX5t]key.kid']);
    expect(codes(await importKey({ name: uniq('kid again'), certificate: cert, kid: first.body.key.kid }), 'key.kid')).toEqual(['[duplicate]key.kid']);
  });

  it('a certificate sent WITH an algorithm gets a newly generated key pair, stored with the certificate (fusionauth-issues #3085, 1.57.1; [DEC-KEY] create)', async () => {
    // Without an algorithm the public key is the certificate's; with one, FusionAuth generates a pair of that algorithm
    // (an RSA pair of the certificate's length) and keeps the certificate, which no longer matches the key.
    const fresh = await start();
    try {
      const documented = example('rsa-response.json').key;
      const plain = await fresh.post('/api/key/import', { key: { name: 'certificate only', certificate: documented.certificate } });
      expect(plain.body.key).toMatchObject({ hasPrivateKey: false, publicKey: documented.publicKey, kid: documented.kid });
      expect((await fresh.del(`/api/key/${plain.body.key.id as string}`)).status).toBe(200);
      const r = await fresh.post('/api/key/import', { key: { name: 'certificate and algorithm', certificate: documented.certificate, algorithm: 'RS256' } });
      expect(r.status, r.text).toBe(200);
      expect(r.text).not.toMatch(/PRIVATE KEY/);
      const k = r.body.key;
      expect(k).toMatchObject({ type: 'RSA', algorithm: 'RS256', length: 2048, hasPrivateKey: true, certificate: documented.certificate, kid: documented.kid });
      expect(k.publicKey).not.toBe(documented.publicKey);
      expect(createPublicKey(k.publicKey as string).export({ format: 'der', type: 'spki' })).not.toEqual(new X509Certificate(documented.certificate as string).publicKey.export({ format: 'der', type: 'spki' }));
      // The same for an EC certificate: a P-256 pair is generated for ES256.
      const ec = example('ec-response.json').key;
      const e = await fresh.post('/api/key/import', { key: { name: 'ec certificate and algorithm', certificate: ec.certificate, algorithm: 'ES256' } });
      expect(e.body.key).toMatchObject({ type: 'EC', length: 256, hasPrivateKey: true, certificate: ec.certificate });
      expect(e.body.key.publicKey).not.toBe(ec.publicKey);
    } finally {
      await fresh.e.stop();
    }
  });

  it('a public key alone: verification only, the kid its RFC 7638 thumbprint, no certificate', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString().trim();
    const r = await importKey({ name: uniq('pub'), publicKey: pem });
    expect(r.body.key).toMatchObject({ type: 'EC', algorithm: 'ES384', length: 384, hasPrivateKey: false, publicKey: pem });
    expect(r.body.key.certificate).toBeUndefined();
    expect(r.body.key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a key pair: the private key is kept but never shown, and a certificate is made for it', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const r = await importKey({
      name: uniq('pair'),
      publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    expect(r.status, r.text).toBe(200);
    noMaterial(r);
    expect(r.body.key).toMatchObject({ type: 'RSA', algorithm: 'RS256', hasPrivateKey: true });
    expect(new X509Certificate(r.body.key.certificate).verify(createPublicKey(r.body.key.publicKey))).toBe(true);
    // The server keeps what it does not show.
    expect(JSON.stringify(c.e.snapshot().keys.find((k) => k.id === r.body.key.id))).toContain('PRIVATE KEY');
  });

  it.each([
    [{ type: 'HMAC', algorithm: 'HS256' }, 'key.secret: [blank]key.secret'],
    [{ secret: 's3cret' }, 'key.algorithm: [missing]key.algorithm'],
    [{ type: 'HMAC', secret: 's3cret', algorithm: 'RS256' }, 'key.algorithm: [invalid]key.algorithm'],
    [{ certificate: 'not a certificate' }, 'key.certificate: [invalid]key.certificate'],
    [{}, 'key.publicKey: [missing]key.publicKey'],
    [{ type: 'Secret', secret: 'x'.repeat(257) }, 'key.secret: [tooLong]key.secret'],
  ])('refuses %j: %s', async (body, code) => {
    const r = await importKey({ name: uniq('bad import'), ...body });
    expect(r.status).toBe(400);
    expect(allCodes(r)).toContain(code);
  });

  it('the material decides the type: a mismatch is [invalid]key.type; RSA 1024 only without a private key', async () => {
    const cert = example('ec-response.json').key.certificate as string;
    expect(allCodes(await importKey({ name: uniq('mismatch'), certificate: cert, type: 'RSA', kid: uniq('k') }))).toContain('key.type: [invalid]key.type');
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pub = small.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect((await importKey({ name: uniq('rsa1024'), publicKey: pub })).body.key.length).toBe(1024);
    const withPrivate = await importKey({ name: uniq('rsa1024 pair'), publicKey: pub, privateKey: small.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    expect(allCodes(withPrivate)).toContain('key.length: [invalid]key.length');
  });

  it('an HMAC secret and a 1.64 secret: stored, never shown; a secret\'s kid is its name', async () => {
    const hmac = await importKey({ name: uniq('hmac import'), type: 'HMAC', algorithm: 'HS256', secret: 'cnry-hmac-1' });
    expect(hmac.status).toBe(200);
    noMaterial(hmac);
    const name = uniq('secret');
    const secret = await importKey({ name, type: 'Secret', secret: 'cnry-secret-1' });
    expect(secret.body.key).toMatchObject({ type: 'Secret', algorithm: 'None', kid: name });
    noMaterial(secret);
  });
});

describe('update and delete', () => {
  it('PUT changes the name only; PATCH and POST /api/key/{id} are 405', async () => {
    const id = crypto.randomUUID();
    const before = (await generate({ algorithm: 'ES256', name: uniq('rename') }, id)).body.key;
    const r = await c.put(`/api/key/${id}`, { key: { name: 'Renamed key', algorithm: 'RS256', length: 4096, issuer: 'other.example', kid: 'mine' } });
    expect(r.status).toBe(200);
    const { name, lastUpdateInstant, ...rest } = r.body.key;
    expect(name).toBe('Renamed key');
    expect(lastUpdateInstant).toBeGreaterThanOrEqual(before.lastUpdateInstant);
    expect(rest).toEqual((({ name: _n, lastUpdateInstant: _l, ...o }) => o)(before));
    expect((await c.patch(`/api/key/${id}`, { key: { name: 'x' } })).status).toBe(405);
    expect((await c.post(`/api/key/${id}`, { key: { name: 'x', algorithm: 'HS256' } })).status).toBe(405);
  });

  it('the shadow keys cannot be renamed or deleted ([shadow]key.name, [shadow]keyId)', async () => {
    expect(codes(await c.put(`/api/key/${SHADOW_256}`, { key: { name: 'mine now' } }), 'key.name')).toEqual(['[shadow]key.name']);
    expect(codes(await c.del(`/api/key/${SHADOW_256}`), 'keyId')).toEqual(['[shadow]keyId']);
  });

  it('a key in use cannot be deleted ([inUse]keyId): the Default signing key, a tenant\'s, a webhook\'s', async () => {
    const defaultKey = (await c.get(`/api/tenant/${c.e.defaultTenantId}`)).body.tenant.jwtConfiguration.accessTokenKeyId;
    expect(codes(await c.del(`/api/key/${defaultKey}`), 'keyId')).toContain('[inUse]keyId');
    const id = crypto.randomUUID();
    await generate({ algorithm: 'ES256', name: uniq('webhook signer') }, id);
    const hook = await c.post('/api/webhook', { webhook: { url: 'https://hooks.example/a', connectTimeout: 1000, readTimeout: 1000, signatureConfiguration: { enabled: true, signingKeyId: id } } });
    expect(hook.status, hook.text).toBe(200);
    expect(codes(await c.del(`/api/key/${id}`), 'keyId')).toEqual(['[inUse]keyId']);
    await c.del(`/api/webhook/${hook.body.webhook.id}`);
    expect((await c.del(`/api/key/${id}`)).status).toBe(200);
    expect((await c.get(`/api/key/${id}`)).status).toBe(404);
  });
});

describe('search', () => {
  it('by name (wildcards, case-insensitive), algorithm and type, with a total', async () => {
    const r = await c.get('/api/key/search?name=openid*sha-384');
    expect(r.body.keys.map((k: { id: string }) => k.id)).toEqual(['4b8f1c06-518e-45bd-9ac5-d549686ae02a']);
    expect(r.body.total).toBe(1);
    const post = await c.post('/api/key/search', { search: { type: 'HMAC', algorithm: 'HS512', numberOfResults: 50 } });
    expect(post.body.keys.every((k: { algorithm: string; type: string }) => k.algorithm === 'HS512' && k.type === 'HMAC')).toBe(true);
    noMaterial(post);
  });
});
