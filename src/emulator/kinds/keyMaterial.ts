/**
 * The cryptography behind the emulated Key API, with node:crypto: generating key pairs of the asked algorithm and
 * size, reading imported PEM (or bare base64) material, the self-signed certificate FusionAuth makes for a key that
 * has a private key but no certificate, and the fields FusionAuth derives from a certificate.
 *
 * Sources: the decompiled server classes `KeyHelper` (setupSyntheticFields, buildCertificateInformation, setAlgorithm)
 * and `DefaultKeyService` (create, generateKeys, the PEM retries), "[DEC-KEY]"; the documented responses
 * `keys/ec-response.json`, `rsa-response.json`, `eddsa-response.json` ("[DOC-EX]"), whose certificates show what the
 * server's generated certificate holds: version field 1, the key id as serial number, `CN=<issuer>` as issuer and
 * subject, ten years of validity from the creation second, the key's own signature algorithm (ECDSA and RSA with a NULL
 * parameter), and `kid` = the certificate's SHA-1 thumbprint.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import type { JsonObject } from '../../core/types.js';
import { keyTypeOfAlgorithm } from '../../fusionauth/wire.js';


/** The algorithms FusionAuth generates keys for ([DEC-KEY] `SUPPORTED_ALGORITHMS`). */
export const SIGNING_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'Ed25519'] as const;

/** RSA modulus sizes FusionAuth generates ([DEC-KEY] generateKeys: 2048, 3072, 4096). */
export const RSA_GENERATE_LENGTHS = [2048, 3072, 4096] as const;

/** The curve of each EC algorithm and the key length FusionAuth reports for it ([DEC-KEY] setAlgorithm: 256, 384, else 521). */
const EC_CURVES: Record<string, { curve: string; length: number }> = {
  ES256: { curve: 'prime256v1', length: 256 },
  ES384: { curve: 'secp384r1', length: 384 },
  ES512: { curve: 'secp521r1', length: 521 },
};

/** A key pair as FusionAuth stores it: PEM texts (no trailing newline, as [DOC-EX] shows them). */
export interface KeyPairPem {
  type: 'RSA' | 'EC' | 'OKP';
  publicKey: string;
  privateKey: string;
}

/** Generate a key pair for an asymmetric algorithm ([DEC-KEY] generateKeys); `length` is the RSA modulus size. */
export function generateKeyPair(algorithm: string, length: number): KeyPairPem {
  const type = keyTypeOfAlgorithm(algorithm);
  const pem = (k: KeyObject, kind: 'spki' | 'pkcs8'): string => (k.export({ type: kind, format: 'pem' }) as string).trimEnd();
  let pair: { publicKey: KeyObject; privateKey: KeyObject };
  if (type === 'RSA') pair = generateKeyPairSync('rsa', { modulusLength: length, publicExponent: 0x10001 });
  else if (type === 'EC') pair = generateKeyPairSync('ec', { namedCurve: EC_CURVES[algorithm]!.curve });
  else if (type === 'OKP') pair = generateKeyPairSync('ed25519');
  else throw new Error(`not an asymmetric algorithm: ${algorithm}`);
  return { type, publicKey: pem(pair.publicKey, 'spki'), privateKey: pem(pair.privateKey, 'pkcs8') };
}

/** An HMAC secret of the hash's size, base64 ([DEC-KEY] generateSHA256/384/512_HMACSecret). Never returned by the API. */
export function generateHmacSecret(algorithm: string): string {
  const bytes = algorithm === 'HS512' ? 64 : algorithm === 'HS384' ? 48 : 32;
  return randomBytes(bytes).toString('base64');
}

/** Base64 without line breaks, cut into 64-character lines between PEM armour ([DEC-KEY] chopIt and the retries). */
function armour(label: string, text: string): string {
  const flat = text.replace(/\s+/g, '');
  return `-----BEGIN ${label}-----\n${flat.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${label}-----`;
}

const isPem = (text: string): boolean => /-----BEGIN [A-Z0-9 ]+-----/.test(text);

/** CRLF and CR → LF, as `Key.normalize()` does to every PEM field. */
export function normalizeLineBreaks(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/\r/g, '\n');
}

/**
 * A certificate as FusionAuth keeps it: PEM as sent, or bare base64 DER wrapped in `CERTIFICATE` armour
 * ([DEC-KEY] certificateIsPEMish → retryAsCertificatePEM); undefined when it is not an X.509 certificate.
 */
export function readCertificate(text: string): { pem: string; x509: X509Certificate } | undefined {
  const pem = isPem(text) ? normalizeLineBreaks(text) : armour('CERTIFICATE', text);
  try {
    return { pem, x509: new X509Certificate(pem) };
  } catch {
    return undefined;
  }
}

/**
 * A public key as FusionAuth keeps it: PEM as sent, else bare base64 retried as `PUBLIC KEY` then `RSA PUBLIC KEY`
 * ([DEC-KEY] publicKeyIsPEMish); undefined when it is none.
 */
export function readPublicKey(text: string): { pem: string; key: KeyObject } | undefined {
  const candidates = isPem(text) ? [normalizeLineBreaks(text)] : [armour('PUBLIC KEY', text), armour('RSA PUBLIC KEY', text)];
  for (const pem of candidates) {
    try {
      return { pem, key: createPublicKey(pem) };
    } catch {
      // the next form
    }
  }
  return undefined;
}

/** A private key: PEM as sent, else bare base64 retried as PKCS#1, PKCS#8 and SEC1 ([DEC-KEY] privateKeyPEMish). */
export function readPrivateKey(text: string): { pem: string; key: KeyObject } | undefined {
  const candidates = isPem(text) ? [normalizeLineBreaks(text)] : ['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY'].map((l) => armour(l, text));
  for (const pem of candidates) {
    try {
      return { pem, key: createPrivateKey(pem) };
    } catch {
      // the next form
    }
  }
  return undefined;
}

/** What FusionAuth reads off a key object: its type and length (`KeyUtils.getKeyLength`: RSA modulus bits, EC field bits, Ed25519 32). */
export function describeKey(key: KeyObject): { type: 'RSA' | 'EC' | 'OKP'; length: number } | undefined {
  const d = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return d?.modulusLength ? { type: 'RSA', length: d.modulusLength } : undefined;
    case 'ec': {
      const curve = Object.values(EC_CURVES).find((c) => c.curve === d?.namedCurve || (c.curve === 'prime256v1' && d?.namedCurve === 'P-256'));
      return curve ? { type: 'EC', length: curve.length } : undefined;
    }
    case 'ed25519':
      return { type: 'OKP', length: 32 };
    default:
      return undefined;
  }
}

/** The algorithm FusionAuth names for a key it read ([DEC-KEY] setAlgorithm: EC by length, OKP Ed25519). */
export function algorithmFor(type: 'RSA' | 'EC' | 'OKP', length: number): string {
  if (type === 'EC') return length === 256 ? 'ES256' : length === 384 ? 'ES384' : 'ES512';
  if (type === 'OKP') return 'Ed25519';
  // RSA carries no hash of its own: the documented certificate import without an algorithm answers RS256 ([DOC-EX]
  // import/post-request.json → rsa-response.json).
  return 'RS256';
}

const b64url = (buf: Buffer): string => buf.toString('base64url');
const colonHex = (buf: Buffer): string => buf.toString('hex').toUpperCase().match(/../g)!.join(':');

/**
 * A distinguished name as Java's `X500Name.getName()` writes it: the most specific part first, joined with `, `
 * ([DEC-KEY] buildCertificateInformation uses getIssuerDN().getName(); [DOC-EX] shows `CN=acme.com`). Node lists the
 * parts in encoding order, one per line, and spells the e-mail attribute `emailAddress` where Java writes EMAILADDRESS.
 */
function javaDn(dn: string): string {
  return dn.split('\n').filter((p) => p !== '').reverse().map((p) => p.replace(/^emailAddress=/, 'EMAILADDRESS=')).join(', ');
}

/** A serial number as Java's `BigInteger.toByteArray()` in colon hex: minimal two's complement, `00` first when the top bit is set. */
function javaSerial(hex: string): string {
  let h = hex.length % 2 === 1 ? `0${hex}` : hex;
  while (h.length > 2 && h.startsWith('00') && parseInt(h.slice(2, 4), 16) < 0x80) h = h.slice(2);
  if (parseInt(h.slice(0, 2), 16) >= 0x80) h = `00${h}`;
  return h.toUpperCase().match(/../g)!.join(':');
}

/** The `certificateInformation` FusionAuth derives from a certificate ([DEC-KEY] buildCertificateInformation). */
export function certificateInformation(x: X509Certificate): JsonObject {
  const der = x.raw;
  const digest = (alg: string): Buffer => createHash(alg).update(der).digest();
  return {
    issuer: javaDn(x.issuer),
    md5Fingerprint: colonHex(digest('md5')),
    serialNumber: javaSerial(x.serialNumber),
    sha1Fingerprint: colonHex(digest('sha1')),
    sha1Thumbprint: b64url(digest('sha1')),
    sha256Fingerprint: colonHex(digest('sha256')),
    sha256Thumbprint: b64url(digest('sha256')),
    subject: javaDn(x.subject),
    validFrom: Date.parse(x.validFrom),
    validTo: Date.parse(x.validTo),
  };
}

/** The JWS `x5t` of a certificate: base64url SHA-1 of its DER, the kid FusionAuth gives a key with a certificate. */
export function x5t(x: X509Certificate): string {
  return b64url(createHash('sha1').update(x.raw).digest());
}

/** The RFC 7638 thumbprint (SHA-256, base64url) of a public key: the kid of a key with a public key and no certificate. */
export function jwkThumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  const members = jwk.kty === 'RSA' ? ['e', 'kty', 'n'] : jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : ['crv', 'kty', 'x'];
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return b64url(createHash('sha256').update(canonical).digest());
}

/** The PEM of a public key, as FusionAuth encodes the one it extracts from a certificate. */
export function publicKeyPem(key: KeyObject): string {
  return (key.export({ type: 'spki', format: 'pem' }) as string).trimEnd();
}

// ---- a minimal DER writer for the self-signed certificate ------------------------------------------------------

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : (() => {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
  })();
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
const NULL = Buffer.from([0x05, 0x00]);

/** A positive INTEGER from its big-endian bytes. */
function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && b[1]! < 0x80) b = b.subarray(1);
  return tlv(0x02, b[0]! >= 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const out = [a * 40 + b];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** `CN=<value>`, a PrintableString when the value allows it (as [DOC-EX] encodes `acme.com`), else UTF8String. */
function commonName(value: string): Buffer {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value);
  return seq(set(seq(oid('2.5.4.3'), tlv(printable ? 0x13 : 0x0c, Buffer.from(value, 'utf8')))));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const year = Number(iso.slice(0, 4));
  return year < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

/** The signature algorithm of a key's certificate, by the key's algorithm: [DOC-EX] shows NULL parameters for RSA and ECDSA. */
function signatureAlgorithm(algorithm: string): { id: Buffer; hash: string | null } {
  const bits = algorithm.slice(2);
  if (algorithm === 'Ed25519') return { id: seq(oid('1.3.101.112')), hash: null };
  if (algorithm.startsWith('ES')) return { id: seq(oid(`1.2.840.10045.4.3.${{ '256': 2, '384': 3, '512': 4 }[bits] ?? 2}`), NULL), hash: `sha${bits}` };
  return { id: seq(oid(`1.2.840.113549.1.1.${{ '256': 11, '384': 12, '512': 13 }[bits] ?? 11}`), NULL), hash: `sha${bits === '384' || bits === '512' ? bits : '256'}` };
}

/**
 * The self-signed certificate FusionAuth makes for a key with a private key and no certificate ([DEC-KEY]
 * setupSyntheticFields → SecurityTools.generateX509Certificate): serial = the key id, `CN=<issuer>`, valid from the
 * creation second for ten years, signed with the key's own algorithm ([DOC-EX] ec-response.json: validFrom
 * 1633182111000 for insertInstant 1633182111648, validTo ten years on).
 */
export function selfSignedCertificate(o: { id: string; issuer: string; algorithm: string; publicKey: string; privateKey: string; now: number }): string {
  const from = Math.floor(o.now / 1000) * 1000;
  const start = new Date(from);
  const to = Date.UTC(start.getUTCFullYear() + 10, start.getUTCMonth(), start.getUTCDate(), start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds());
  const alg = signatureAlgorithm(o.algorithm);
  const spki = createPublicKey(o.publicKey).export({ type: 'spki', format: 'der' });
  const name = commonName(o.issuer);
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([1]))),
    integer(Buffer.from(o.id.replace(/-/g, ''), 'hex')),
    alg.id,
    name,
    seq(time(from), time(to)),
    name,
    spki,
  );
  const signature = sign(alg.hash, tbs, createPrivateKey(o.privateKey));
  const der = seq(tbs, alg.id, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return armour('CERTIFICATE', der.toString('base64'));
}
