/**
 * The FusionAuth HTTP client: the only module of kickstand that imports `got`. It adds the API key and tenant
 * headers, enforces timeouts and the http/TLS policy, parses JSON, turns FusionAuth's error envelope into `ApiError`,
 * and decides retries in one place (`isRetryable`). Facts about FusionAuth are from
 * /work/shared/reference/fusionauth-api.md (cited as "reference §n").
 */
import { createRequire } from 'node:module';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import tls from 'node:tls';
import got, { RequestError } from 'got';
import pRetry from 'p-retry';
import type { Json } from '../core/types.js';
import { UserError } from '../core/errors.js';
import { FileReadError, readFileBoundedSync } from '../io/files.js';
import { ApiError, ConnectionError, parseErrorEnvelope } from './errors.js';
import type { ApiClient, ApiRequest, ApiResponse, FusionAuthErrors } from './types.js';

/** The deepest response body accepted (FusionAuth's own objects nest fewer than 10 levels). */
export const MAX_RESPONSE_DEPTH = 64;

/**
 * How deeply a JSON value nests (objects and arrays). Exact up to `MAX_RESPONSE_DEPTH`; past it the walk stops and
 * answers `MAX_RESPONSE_DEPTH + 1`, so its recursion never goes deeper than that however deep the value is.
 */
export function nestingDepth(value: Json): number {
  return value !== null && typeof value === 'object' ? depthBelow(value, 1) : 0;
}

/**
 * The depth of the deepest container under `v` (itself at depth `d`), or the first depth past the limit. A recursive
 * walk bounded by the limit: ~11 ms on the 16 MB list of 4,800 applications, where an explicit stack of
 * [value, depth] pairs took ~40 ms plus the garbage it left.
 */
function depthBelow(v: Json[] | { [key: string]: Json }, d: number): number {
  let max = d;
  const children = Array.isArray(v) ? v : Object.values(v);
  for (let i = 0; i < children.length; i++) {
    const c = children[i]!;
    if (c === null || typeof c !== 'object') continue;
    if (d + 1 > MAX_RESPONSE_DEPTH) return d + 1;
    const m = depthBelow(c, d + 1);
    if (m > max) {
      max = m;
      if (max > MAX_RESPONSE_DEPTH) return max;
    }
  }
  return max;
}

/** Options of `createClient`. */
export interface ClientOptions {
  /** Server URL, e.g. `http://localhost:9011`. A trailing slash is tolerated; a path prefix is kept. */
  url: string;
  /** Sent verbatim as `Authorization` (reference §1.1: raw key, no `Bearer`). */
  apiKey: string;
  /** Allow plain `http://` to a host other than loopback (127.0.0.0/8, ::1, localhost). */
  allowHttp?: boolean;
  /** A PEM file of extra CA certificates, trusted in addition to Node's defaults (and NODE_EXTRA_CA_CERTS). */
  caFile?: string;
  /** Connect timeout (DNS lookup, TCP connect, TLS handshake each). Default 5000. */
  connectTimeoutMs?: number;
  /** Time allowed from sending the request to receiving the response headers. Default 30000. */
  readTimeoutMs?: number;
  retry?: {
    /** Total tries, including the first. Default 5. */
    attempts?: number;
    /** Give up when the next retry would start after this many ms from the first try. Default 60000. */
    maxTimeMs?: number;
    /** Cap applied to a server's `Retry-After`. Default 30000. */
    maxRetryAfterMs?: number;
    /** Base of the exponential backoff (first retry waits between 1× and 2× this). Default 200. */
    minDelayMs?: number;
  };
  /** Called before each retry's wait, e.g. to log it. */
  onRetry?: (info: RetryInfo) => void;
  /** Default `kickstand/<version>`. */
  userAgent?: string;
  /**
   * The largest reply accepted, in bytes after decompression; a longer one fails the request (not retried) and is
   * never held in memory beyond about this size. Default `DEFAULT_MAX_RESPONSE_BYTES`.
   */
  maxResponseBytes?: number;
}

/**
 * Default cap of one reply's decompressed size: 256 MiB. The largest reply kickstand reads is a retrieve-all list;
 * 4,800 applications make 16 MB, so this leaves room for ~75,000 objects while keeping a hostile or broken server
 * (a 2 MB gzip reply inflating to 2 GB, an endless stream) from exhausting memory.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

/** What `onRetry` is told. `reason` is a status (`503`, `429`, `409 [retryableConflict]`) or a network code. */
export interface RetryInfo {
  method: string;
  path: string;
  /** The attempt that just failed (1 for the first try). */
  attempt: number;
  reason: string;
  delayMs: number;
}

/** Defaults of the retry and timeout options. */
export const CLIENT_DEFAULTS = {
  connectTimeoutMs: 5_000,
  readTimeoutMs: 30_000,
  attempts: 5,
  maxTimeMs: 60_000,
  maxRetryAfterMs: 30_000,
  minDelayMs: 200,
  /** Upper bound of one backoff wait (Retry-After has its own cap). */
  maxDelayMs: 10_000,
  maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
} as const;

/** How one attempt ended, as far as the retry decision is concerned. */
export type AttemptOutcome =
  | { kind: 'network'; code: string }
  | { kind: 'http'; status: number; errors?: FusionAuthErrors }
  /** The reply was refused whatever its status (over the size limit): asking again would get the same reply. */
  | { kind: 'refused-reply'; status: number };

/**
 * Network error codes worth another try: the connection was reset or timed out, the network was briefly down. TLS
 * verification failures (`DEPTH_ZERO_SELF_SIGNED_CERT`, …), `ENOTFOUND` (usually a typo in --url) and `EPROTO`
 * (https to a plain-http port) are deterministic and are not retried. Nor is `ECONNREFUSED`: nothing listens at the
 * URL, and a few seconds of backoff do not start a server (it printed 28 retry lines over 5.6 s before the error);
 * waiting for a server that is starting is asked for explicitly (`waitForServer`, `--wait-for-server`).
 */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH', 'EHOSTDOWN', 'EAI_AGAIN',
]);

/** 500/502/503/504: server or proxy trouble that FusionAuth documents as transient or that a proxy produces (reference §1.5). */
const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);

/**
 * The code kickstand treats as "conflicting concurrent write, try again" on a 409. FusionAuth's documented
 * management API answers conflicts with 400 (reference §1.5, and fusionauth-issues#259), so this code is not a
 * documented FusionAuth code: it is what our emulator injects (notes/h3-emulator.md) and what a proxy in front of
 * FusionAuth may send. Any other 409 is not retried.
 */
export const RETRYABLE_CONFLICT_CODE = '[retryableConflict]';

/**
 * THE retry decision: true when the failure is transient and repeating the same request can succeed.
 * Network failures (connection refused/reset, timeouts), 429, 500/502/503/504 and a 409 carrying the
 * `[retryableConflict]` code are retryable; every other 4xx never is.
 */
export function isRetryable(outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'refused-reply') return false;
  if (outcome.kind === 'network') return RETRYABLE_NETWORK_CODES.has(outcome.code);
  const { status, errors } = outcome;
  if (status === 429 || RETRYABLE_STATUSES.has(status)) return true;
  if (status === 409) {
    const codes = [
      ...(errors?.generalErrors ?? []).map((e) => e.code),
      ...Object.values(errors?.fieldErrors ?? {}).flatMap((list) => list.map((e) => e.code)),
    ];
    return codes.some((c) => c.startsWith(RETRYABLE_CONFLICT_CODE));
  }
  return false;
}

/**
 * Outcomes that prove the server did not act on the request, so that even a POST without a client-chosen id
 * (which could otherwise create a duplicate) can be repeated: the server said 429. (A refused connection proves it
 * too, but is not retried at all: see RETRYABLE_NETWORK_CODES.)
 */
function provesNotProcessed(outcome: AttemptOutcome): boolean {
  return outcome.kind === 'http' && outcome.status === 429;
}

/**
 * Milliseconds to wait according to a `Retry-After` header: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unparseable (then the ordinary backoff applies).
 */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** True for hosts that are loopback by their literal name: `localhost`, `127.0.0.0/8`, `::1`. No DNS lookup. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!m && m.slice(1).every((o) => Number(o) <= 255);
}

/** `[duplicate]tenantId`, `[duplicate]applicationId`: the id of a client-chosen create is taken (reference §1.3). */
function isDuplicateIdCode(code: string): boolean {
  return code.startsWith('[duplicate]') && code.endsWith('Id');
}

/** TLS verification failures: the hint points at --ca-file. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED', 'CERT_REJECTED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * True when a TLS handshake got a plain-HTTP reply (an https:// URL for an http port). OpenSSL reports the HTTP
 * status line read as a TLS record as "wrong version number"; Node gives it as `EPROTO` with OpenSSL's text, newer
 * versions also as `ERR_SSL_WRONG_VERSION_NUMBER`.
 */
function isPlainHttpAnswer(code: string, detail: string): boolean {
  return code === 'ERR_SSL_WRONG_VERSION_NUMBER' || (code === 'EPROTO' && /wrong version number/i.test(detail));
}

/**
 * An error text without OpenSSL's internals: `write EPROTO 80CC…:error:0A00010B:SSL routines:ssl3_get_record:wrong
 * version number:../deps/openssl/…:350:` becomes `TLS error: wrong version number`; other texts are kept.
 */
function tlsReason(detail: string): string {
  const m = /error:[0-9A-Fa-f]+:SSL routines:[^:]*:([^:]+):/.exec(detail);
  return m ? `TLS error: ${m[1]!.trim()}` : detail;
}

/**
 * What to add to an error that suggests the URL does not point at FusionAuth's API (a 404, a redirect, a reply that is
 * not JSON) when the URL has a path: FusionAuth serves its API at the server root (`/api/…`), its admin UI at
 * `/admin`. A path stays allowed (a proxy may serve FusionAuth under a prefix); it is only named when requests fail.
 */
function pathHint(baseUrl: string): string {
  const u = new URL(baseUrl);
  if (u.pathname === '/' || u.pathname === '') return '';
  const root = `${u.protocol}//${u.host}`;
  const last = u.pathname.replace(/\/+$/, '').split('/').pop()?.toLowerCase();
  if (last === 'admin') return `; ${u.pathname} is FusionAuth's admin UI: the API is at the server root, use --url ${root}`;
  if (last === 'api') return `; FusionAuth's API is at the server root (kickstand adds /api/… itself): use --url ${root}`;
  return `; the URL has the path ${u.pathname}: FusionAuth's API is at the server root (--url ${root}) unless a proxy serves it under this path`;
}

/** An attempt's failure, carrying what the retry decision needs and how to build the final error. */
class AttemptFailure extends Error {
  constructor(
    readonly outcome: AttemptOutcome,
    readonly reason: string,
    readonly build: (exhausted: boolean, attempts: number) => ApiError | ConnectionError,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
  }
}

/** Returned by an attempt when a retried create found its own object: read it back instead. */
const READ_BACK = Symbol('read back');
/** Returned by an attempt when a retried delete found the object already gone. */
const ALREADY_GONE = Symbol('already gone');

const require = createRequire(import.meta.url);

function defaultUserAgent(): string {
  try {
    const pkg = require('../../package.json') as { version?: string };
    return `kickstand/${pkg.version ?? 'dev'}`;
  } catch {
    return 'kickstand';
  }
}

/**
 * The largest --ca-file (and NODE_EXTRA_CA_CERTS file) read: 4 MiB. A PEM certificate is 1–2 KB and the whole Mozilla
 * root bundle (/etc/ssl/certs/ca-certificates.crt) about 220 KB, so this holds any real bundle many times over while a
 * wrong path (a disk image, a log) fails at once instead of being read into memory.
 */
export const MAX_CA_FILE_BYTES = 4 * 1024 * 1024;

/**
 * The CA list when --ca-file is given. Passing `ca` replaces Node's trust store, including the certificates of
 * NODE_EXTRA_CA_CERTS (Node docs, cli.md "NODE_EXTRA_CA_CERTS"), so the defaults are added back explicitly.
 */
function certificateAuthorities(caFile: string, clean: (text: string) => string): string[] {
  let extra: string;
  try {
    extra = readFileBoundedSync(caFile, MAX_CA_FILE_BYTES).toString('utf8');
  } catch (err) {
    if (!(err instanceof FileReadError)) throw err;
    const hint = err.reason === 'too-large' ? ' (a CA bundle is a few hundred KB at most: is this the right file?)' : '';
    throw new UserError(clean(`--ca-file ${caFile} ${err.message}${hint}`), { cause: err });
  }
  if (!extra.includes('-----BEGIN CERTIFICATE-----')) throw new UserError(clean(`--ca-file ${caFile} holds no PEM certificate`));
  // why: tls.getCACertificates('default') (Node ≥ 22.15) returns exactly what Node would trust; on Node 20 we
  // rebuild it from the bundled roots plus the NODE_EXTRA_CA_CERTS file.
  const getCA = (tls as unknown as { getCACertificates?: (type?: string) => string[] }).getCACertificates;
  const defaults: string[] = getCA ? getCA('default') : [...tls.rootCertificates];
  if (!getCA && process.env.NODE_EXTRA_CA_CERTS) {
    try {
      defaults.push(readFileBoundedSync(process.env.NODE_EXTRA_CA_CERTS, MAX_CA_FILE_BYTES).toString('utf8'));
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; do the same (by ignoring it).
    }
  }
  return [...defaults, extra];
}

/** `scheme://` at the start of a URL as typed; only then is the scheme part of what the user meant as a URL. */
const SCHEME_PREFIX = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * A host, an optional port and an optional path, with no scheme and no `@` (so no credentials can be echoed):
 * `localhost:9011`, `auth.example.com`, `[::1]:9011/`.
 */
const BARE_HOST = /^(?<host>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?(?:\/[^\s@]*)?$/i;

/**
 * The URL meant by a server address typed without a scheme (`localhost:9011` → `http://localhost:9011`), or undefined
 * when `raw` has a scheme or is not such an address. A loopback host gets `http://` (FusionAuth's own default, port
 * 9011, is plain http and loopback needs no TLS here), any other host `https://`.
 */
function schemeSuggestion(raw: string): string | undefined {
  const text = raw.trim();
  if (text.length > 300 || SCHEME_PREFIX.test(text)) return undefined;
  const m = BARE_HOST.exec(text);
  if (!m) return undefined;
  return `${isLoopbackHost(m.groups!.host!) ? 'http' : 'https'}://${text}`;
}

/**
 * Parse and check the server URL: credentials dropped, trailing slashes removed, http refused unless allowed.
 * Messages never show the authority of a URL that failed to parse, nor one whose `@` ended up outside the
 * user:password part: a password holding an unencoded `/`, `?`, `#` or backslash makes the parser split the authority early
 * (`https://u:12/x@host` is host `u`, port 12, path `/x@host`), so what looks like the host may be credentials.
 */
function normaliseBaseUrl(raw: string, allowHttp: boolean, clean: (text: string) => string): string {
  const expected = '(expected e.g. https://auth.example.com)';
  const suggestion = schemeSuggestion(raw);
  if (suggestion !== undefined) {
    throw new UserError(clean(`the FusionAuth URL ${shown(raw.trim())} has no scheme: did you mean ${suggestion}?`));
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    const why = SCHEME_PREFIX.test(raw.trim()) ? '' : ': it does not start with https:// or http://';
    throw new UserError(`the FusionAuth URL is not a valid URL${why} ${expected}`);
  }
  const scheme = SCHEME_PREFIX.exec(raw.trim())?.[1]?.toLowerCase();
  if (scheme === undefined || `${scheme}:` !== url.protocol) {
    // `user:pass@host` parses as scheme `user:`; never echo it.
    throw new UserError(`the FusionAuth URL does not start with https:// or http:// ${expected}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(clean(`the FusionAuth URL must start with https:// or http://, not ${url.protocol}//`));
  }
  if (`${url.pathname}${url.search}${url.hash}`.includes('@')) {
    throw new UserError(
      `the FusionAuth URL has an "@" after its host part: if it carries user:password, a character of ` +
        `the password ends the host early; percent-encode the password, or better leave credentials out (kickstand sends only the API key) ${expected}`,
    );
  }
  // why: the API key travels in the Authorization header; user:password in the URL would only leak into output.
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  if (url.protocol === 'http:' && !allowHttp && !isLoopbackHost(url.hostname)) {
    throw new ConnectionError(
      clean(`refusing plain http:// to ${url.host}: the API key would cross the network unencrypted. Use https://, ` +
        'or pass --allow-http if this network is trusted (plain http is allowed to localhost, 127.0.0.0/8 and ::1 without it)'),
      'HTTP_REFUSED',
      { method: '', path: '' },
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/** What replaces the API key wherever it would appear in a message. */
export const REDACTED = '(sensitive)';

/**
 * A pattern matching the spellings of a secret that a message could carry, in any letter case (a URL parser lowercases
 * host names; percent-escapes come in both cases): as is, JSON-escaped, and percent-encoded the ways URLs and forms
 * encode it. Undefined for an empty secret.
 */
function secretPattern(secret: string): RegExp | undefined {
  if (secret === '') return undefined;
  const forms = new Set<string>([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), encodeURI(secret)]);
  forms.add(new URLSearchParams({ k: secret }).toString().slice(2));
  const u = new URL('http://h/');
  u.username = secret;
  forms.add(u.username);
  u.pathname = `/${secret}`;
  forms.add(u.pathname.slice(1));
  u.search = secret;
  forms.add(u.search.slice(1));
  // Longest first, so that a longer spelling is replaced whole rather than around a shorter one inside it.
  const sorted = [...forms].filter((f) => f !== '').sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
}

/** `text` with every match of `pattern` replaced by `REDACTED`. */
function redact(text: string, pattern: RegExp | undefined): string {
  return pattern === undefined ? text : text.replace(pattern, REDACTED);
}

/** The longest request path or redirect location shown in a message. */
const MAX_SHOWN = 200;

/** `text` cut to MAX_SHOWN characters. Cut only after redacting: a cut could leave part of a secret unrecognised. */
function cut(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/**
 * A server- or data-controlled string made safe to show, after redacting: cut, quoted, and every character outside
 * printable ASCII written as a `\\uXXXX` escape (no control, line-separator or bidi character reaches a terminal).
 */
function shown(text: string): string {
  return JSON.stringify(cut(text)).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Where a redirect points, as a message may say it (` to https://host/path`): resolved against the request URL,
 * without user:password, query and fragment (they may carry tokens). Nothing of the target is shown when it is not a
 * URL, or when an `@` is left in its path: a password holding `/` splits the authority early, so the host and path
 * shown would be pieces of credentials (as in normaliseBaseUrl). `clean` redacts before the text is cut.
 */
function redirectTarget(location: string, requestUrl: string, clean: (text: string) => string): string {
  let u: URL;
  try {
    u = new URL(location, requestUrl);
  } catch {
    return ' to a location that is not a URL';
  }
  if (u.pathname.includes('@')) return ' to a location not shown (it may hold credentials)';
  return ` to ${cut(clean(`${u.protocol}//${u.host}${u.pathname}`))}`;
}

/**
 * Characters never sent inside a path segment: `?` and `#` would start a query or fragment, `%` an escape, `\\` is a
 * slash to many servers, whitespace and control characters (C0, DEL, C1) split or corrupt the request line.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_SEGMENT_CHAR = /[?#%\\\s\u0000-\u001f\u007f-\u009f]/;

/**
 * Why a request path must not be sent, or undefined when it is fine. Paths are built from ids a server returned or a
 * file holds; an id `../../api/system/version?x=` would otherwise address another endpoint. Every segment must be
 * non-empty, not `.` or `..`, and free of `UNSAFE_SEGMENT_CHAR`; query parameters belong in `ApiRequest.query`.
 */
export function pathProblem(path: string): string | undefined {
  const segments = (path.startsWith('/') ? path.slice(1) : path).split('/');
  for (const seg of segments) {
    if (seg === '') return 'it has an empty segment';
    if (seg === '.' || seg === '..') return `it has a "${seg}" segment`;
    const c = UNSAFE_SEGMENT_CHAR.exec(seg)?.[0];
    if (c === undefined) continue;
    if (c === '?' || c === '#') return `a segment contains "${c}" (query parameters go in the request's query, not its path)`;
    if (c === '%' || c === '\\') return `a segment contains "${c}"`;
    return `a segment contains U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} (whitespace or a control character)`;
  }
  return undefined;
}

function describeCodes(errors: FusionAuthErrors | undefined): string {
  const codes = [
    ...Object.values(errors?.fieldErrors ?? {}).flatMap((l) => l.map((e) => e.code)),
    ...(errors?.generalErrors ?? []).map((e) => e.code),
  ];
  if (codes.length === 0) return '';
  const shown = codes.slice(0, 8).join(', ');
  return codes.length > 8 ? `${shown} and ${codes.length - 8} more` : shown;
}

/** Create a client for one FusionAuth server. Throws `UserError`/`ConnectionError` for a bad URL, refused http or an unreadable CA file. */
export function createClient(options: ClientOptions): ApiClient {
  const apiKey = options.apiKey;
  // why: every message this client builds passes through `clean`, so none can carry the key, whatever a server
  // echoes back (a redirect target, an error code) or a caller passes in (a path, a file name).
  const secret = secretPattern(apiKey);
  const clean = (text: string): string => redact(text, secret);
  const baseUrl = normaliseBaseUrl(options.url, options.allowHttp ?? false, clean);
  const rootHint = clean(pathHint(baseUrl));
  const ca = options.caFile ? certificateAuthorities(options.caFile, clean) : undefined;
  const connectTimeout = options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs;
  const readTimeout = options.readTimeoutMs ?? CLIENT_DEFAULTS.readTimeoutMs;
  const attempts = Math.max(1, options.retry?.attempts ?? CLIENT_DEFAULTS.attempts);
  const maxTimeMs = options.retry?.maxTimeMs ?? CLIENT_DEFAULTS.maxTimeMs;
  const maxRetryAfterMs = options.retry?.maxRetryAfterMs ?? CLIENT_DEFAULTS.maxRetryAfterMs;
  const minDelayMs = options.retry?.minDelayMs ?? CLIENT_DEFAULTS.minDelayMs;
  const userAgent = options.userAgent ?? defaultUserAgent();
  const limit = options.maxResponseBytes ?? CLIENT_DEFAULTS.maxResponseBytes;
  if (!Number.isFinite(limit) || limit < 1) throw new UserError(`the reply size limit must be at least 1 byte (got ${String(limit)})`);
  const maxResponseBytes = Math.floor(limit);

  function urlFor(req: ApiRequest): string {
    const path = req.path.startsWith('/') ? req.path : `/${req.path}`;
    const query = req.query && Object.keys(req.query).length > 0 ? `?${new URLSearchParams(req.query).toString()}` : '';
    return `${baseUrl}${path}${query}`;
  }

  /** What `send` returns: the status, headers and the body decoded as UTF-8. */
  interface RawReply {
    status: number;
    headers: IncomingHttpHeaders;
    text: string;
  }

  /**
   * Send one request and read its reply, at most `maxResponseBytes` of it after decompression. Throws AttemptFailure.
   * A function of its own so that got's request, its chunks and the raw buffer are unreachable once the text exists.
   * Measured: a refused 2 GiB gzip bomb raised the peak RSS by ~270 MB with the default limit (about the limit); an
   * accepted reply just under 256 MiB by ~790 MB (got's chunks, the joined buffer and the text, until GC frees them).
   */
  async function send(req: ApiRequest, path: string): Promise<RawReply> {
    const method = req.method;
    const headers: Record<string, string> = { authorization: apiKey, accept: 'application/json', 'user-agent': userAgent };
    if (req.tenantId) headers['x-fusionauth-tenantid'] = req.tenantId;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = req.contentType ?? 'application/json';
    }
    /** The status line's code, known as soon as the headers arrive (got reports it only after the whole body). */
    let headStatus = 0;
    let tooLarge = false;
    try {
      const pending = got(urlFor(req), {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        responseType: 'buffer',
        throwHttpErrors: false,
        // why: every retry decision is ours (isRetryable); got's own retry would double-count and ignore our bounds.
        retry: { limit: 0 },
        // why: a redirect (e.g. http→https, or a login page of a proxy) would resend the API key elsewhere.
        followRedirect: false,
        // why: no `lookup` timeout (it never fires its start event under nock, failing every mocked request); the overall
        // `request` bound covers a hung DNS lookup instead.
        timeout: { connect: connectTimeout, secureConnect: connectTimeout, response: readTimeout, request: connectTimeout + readTimeout },
        ...(ca ? { https: { certificateAuthority: ca } } : {}),
      });
      pending.on('request', (r) => r.once('response', (m: IncomingMessage) => {
        headStatus = m.statusCode ?? 0;
      }));
      // why: got counts `transferred` on the decompressed stream (core/index.js `_read`: `_downloadedSize` grows by
      // each chunk read from the decompress-response stream) and reports it before buffering the chunk; `total` is
      // the Content-Length of an uncompressed reply (decompress-response deletes it from a compressed one). got skips
      // the event once transferred reaches total (`percent < 1`), so a Content-Length over the limit is refused on the
      // first event, sent with the headers, before any body is read. Cancelling destroys the socket and the inflater,
      // so no more than the limit plus one chunk is ever held, however far a reply inflates.
      pending.on('downloadProgress', (p: { transferred: number; total?: number }) => {
        if (tooLarge || (p.transferred <= maxResponseBytes && (p.total === undefined || p.total <= maxResponseBytes))) return;
        tooLarge = true;
        pending.cancel();
      });
      const res = await pending;
      return { status: res.statusCode, headers: res.headers, text: res.body.toString('utf8') };
    } catch (err) {
      if (tooLarge) {
        const status = headStatus;
        throw new AttemptFailure({ kind: 'refused-reply', status }, 'reply too large', (_e, n) =>
          new ApiError(clean(`FusionAuth's reply to ${method} ${path}${status ? ` (${status})` : ''} is larger than the limit of ${describeBytes(maxResponseBytes)}; ` +
            'refusing it (raise the limit with --max-response-mb if the server really holds that much)'), status, { method, path, attempts: n }),
        );
      }
      const code = (err instanceof RequestError || err instanceof Error ? (err as { code?: string }).code : undefined) ?? 'ERR_NETWORK';
      // why: got's errors carry the request options, headers included (the API key); keep only code and message.
      const detail = clean(err instanceof Error ? err.message : String(err));
      const cause = Object.assign(new Error(detail), { code });
      const outcome: AttemptOutcome = { kind: 'network', code };
      throw new AttemptFailure(outcome, code, (exhausted, n) => {
        const ctx = { method, path, retriesExhausted: exhausted, attempts: n, cause };
        if (code === 'ECONNREFUSED') return new ConnectionError(clean(`nothing is listening at ${baseUrl} — is FusionAuth running?`), code, ctx);
        if (isPlainHttpAnswer(code, detail)) {
          return new ConnectionError(
            clean(`${baseUrl} answered in plain HTTP, not TLS: this port does not speak https; use ${baseUrl.replace(/^https:/, 'http:')}`), code, ctx,
          );
        }
        const hint = TLS_CODES.has(code)
          ? '; the server certificate is not trusted: pass --ca-file <pem> or set NODE_EXTRA_CA_CERTS'
          : code === 'EPROTO'
            ? '; is this an https:// URL for a plain-http port?'
            : '';
        const tail = exhausted ? ` (gave up after ${n} attempt${n === 1 ? '' : 's'})` : '';
        return new ConnectionError(clean(`could not reach FusionAuth at ${baseUrl} (${method} ${path}): ${tlsReason(detail)}${hint}${tail}`), code, ctx);
      });
    }
  }

  /** One HTTP exchange. Resolves with the response, or a marker; throws AttemptFailure. */
  async function attempt<T>(req: ApiRequest, attemptNumber: number): Promise<ApiResponse<T> | typeof READ_BACK | typeof ALREADY_GONE> {
    const method = req.method;
    const path = clean(req.path);
    const { status, headers: resHeaders, text } = await send(req, path);
    let parsed: Json | undefined;
    let parseFailed = false;
    if (text.trim() !== '') {
      try {
        parsed = JSON.parse(text) as Json;
      } catch {
        parseFailed = true;
      }
    }

    if (status >= 200 && status < 300) {
      if (!parseFailed && parsed !== undefined && nestingDepth(parsed) > MAX_RESPONSE_DEPTH) {
        // FusionAuth's objects nest a few levels; a reply nested thousands deep would overflow the stack of every
        // recursive step after this one (normalising, diffing, rendering), so it is refused here, in one place.
        throw new AttemptFailure({ kind: 'http', status }, 'nested too deeply', (_e, n) =>
          new ApiError(clean(`FusionAuth answered ${method} ${path} with a body nested deeper than ${MAX_RESPONSE_DEPTH} levels; refusing it`), status, { method, path, attempts: n }),
        );
      }
      if (parseFailed) {
        const type = resHeaders['content-type'] ?? 'none';
        // Not retried: a reply that is not JSON is not transient. The body is never printed (it may hold secrets).
        throw new AttemptFailure({ kind: 'http', status }, 'malformed JSON', (_e, n) =>
          new ApiError(clean(`FusionAuth answered ${method} ${path} with ${status} but the body is not valid JSON (content-type ${shown(clean(type))}); is the URL pointing at FusionAuth's API?${rootHint}`), status, { method, path, attempts: n }),
        );
      }
      return { status, body: parsed as T | undefined };
    }

    const errors = parseFailed ? undefined : parseErrorEnvelope(parsed);

    if (attemptNumber > 1) {
      // An earlier attempt of this same request failed in a retryable way and may have been applied nonetheless.
      if (status === 400 && method === 'POST' && req.idempotentCreate) {
        const dup = Object.values(errors?.fieldErrors ?? {}).some((l) => l.some((e) => isDuplicateIdCode(e.code)));
        if (dup) return READ_BACK;
      }
      if (status === 404 && method === 'DELETE') return ALREADY_GONE;
    }

    const outcome: AttemptOutcome = { kind: 'http', status, ...(errors ? { errors } : {}) };
    const codes = describeCodes(errors);
    const retryAfterMs = parseRetryAfter(headerValue(resHeaders['retry-after']));
    const reason = status === 409 && isRetryable(outcome) ? `409 ${RETRYABLE_CONFLICT_CODE}` : String(status);
    throw new AttemptFailure(outcome, reason, (exhausted, n) => {
      const tail = exhausted ? ` (gave up after ${n} attempt${n === 1 ? '' : 's'})` : '';
      let message: string;
      if (status === 401) {
        message = `FusionAuth rejected the API key (401 on ${method} ${path}): it is missing, invalid or expired, or it lacks permission for this endpoint${req.tenantId ? ' or tenant' : ''}`;
      } else if (status === 404) {
        message = `not found (404 on ${method} ${path})${rootHint}`;
      } else if (status >= 300 && status < 400) {
        const location = headerValue(resHeaders.location);
        const where = location === undefined ? '' : redirectTarget(location, urlFor(req), clean);
        message = `FusionAuth answered ${method} ${path} with a redirect (${status}${where}); kickstand does not follow redirects (they would resend the API key): use the final URL in --url${rootHint}`;
      } else {
        message = `FusionAuth answered ${status} to ${method} ${path}${codes ? `: ${codes}` : ''}`;
      }
      return new ApiError(clean(message + tail), status, { method, path, attempts: n, retriesExhausted: exhausted, ...(errors ? { errors } : {}) });
    }, retryAfterMs);
  }

  async function request<T>(req: ApiRequest): Promise<ApiResponse<T>> {
    // why: one check for every request, before anything is sent: a path built from a hostile id must not reach
    // another endpoint (see pathProblem).
    const problem = pathProblem(req.path);
    if (problem !== undefined) throw new UserError(clean(`refusing to send ${req.method} ${shown(clean(req.path))}: ${problem}`));
    const started = performance.now();
    // A POST is repeated only when it creates with a client-chosen id (the kind's API says so): a second attempt cannot
    // create a duplicate. Guessing that from the URL's shape misfires for `/api/user/registration/{userId}`.
    const replaySafe = req.method !== 'POST' || req.idempotentCreate !== undefined;
    let result: ApiResponse<T> | typeof READ_BACK | typeof ALREADY_GONE;
    try {
      result = await pRetry((n) => attempt<T>(req, n), {
        retries: attempts - 1,
        maxRetryTime: maxTimeMs,
        // why: the wait is computed and slept in onFailedAttempt (to honour Retry-After); p-retry adds none.
        minTimeout: 0,
        onFailedAttempt: async ({ error, attemptNumber, retriesConsumed }) => {
          if (!(error instanceof AttemptFailure)) throw error;
          const retryable = !req.noRetry && isRetryable(error.outcome) && (replaySafe || provesNotProcessed(error.outcome));
          if (!retryable) throw error.build(false, attemptNumber);
          if (attemptNumber >= attempts) throw error.build(true, attemptNumber);
          const delayMs = error.retryAfterMs !== undefined
            ? Math.min(error.retryAfterMs, maxRetryAfterMs)
            : backoff(retriesConsumed, minDelayMs);
          if (performance.now() - started + delayMs >= maxTimeMs) throw error.build(true, attemptNumber);
          options.onRetry?.({ method: req.method, path: clean(req.path), attempt: attemptNumber, reason: error.reason, delayMs });
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        },
        shouldRetry: () => true,
      });
    } catch (err) {
      // p-retry rethrows the raw failure when its own time budget check fires first.
      if (err instanceof AttemptFailure) throw err.build(true, attempts);
      throw err;
    }
    if (result === READ_BACK) {
      // why: FusionAuth answers a create whose id exists with 400 [duplicate]<kind>Id (reference §1.3); on a retry
      // that is our own earlier attempt having succeeded, so the object is read back (where it can be) instead of failing.
      const readBackPath = req.idempotentCreate?.readBack;
      if (readBackPath === undefined) return { status: 200, body: undefined };
      const readBack = await request<T>({ method: 'GET', path: readBackPath, ...(req.tenantId ? { tenantId: req.tenantId } : {}) });
      return { status: 200, body: readBack.body };
    }
    if (result === ALREADY_GONE) return { status: 200, body: undefined };
    return result;
  }

  // `baseUrl` is for display (plans print it as their target): redacted like every message.
  return { baseUrl: clean(baseUrl), request };
}

/** Exponential backoff with jitter: between 1× and 2× `min·2^n`, at most `CLIENT_DEFAULTS.maxDelayMs`. */
function backoff(retriesConsumed: number, minDelayMs: number): number {
  const base = minDelayMs * 2 ** retriesConsumed;
  return Math.round(Math.min(base * (1 + Math.random()), CLIENT_DEFAULTS.maxDelayMs));
}

/** `256 MiB` for whole mebibytes, else `1234 bytes`. */
function describeBytes(n: number): string {
  return n >= 1024 * 1024 && n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Options of `waitForServer`. */
export interface WaitOptions {
  /** Give up after this many milliseconds from the start. */
  timeoutMs: number;
  /** Pause between two probes, in ms. Default 1000. */
  intervalMs?: number;
  /** Called after each probe that failed in a way worth waiting out, before the pause (e.g. to print progress). */
  onWaiting?: (info: { elapsedMs: number; timeoutMs: number; reason: string }) => void;
  /** Stops the waiting (a signal): the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Failures that mean "not up yet" while a server starts: nothing listening yet, a connection reset (Docker's port
 * proxy accepts and drops connections until the container listens), a timeout or an unreachable network.
 */
const STARTING_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * Replies that mean "not up yet": 503 (FusionAuth and proxies while starting), 502 and 504 (a proxy in front of a
 * FusionAuth that does not answer yet).
 */
const STARTING_STATUSES = new Set([502, 503, 504]);

/** True when a probe's failure is one a starting server gives (see STARTING_CODES, STARTING_STATUSES). */
function isStarting(e: unknown): e is ConnectionError | ApiError {
  return (e instanceof ConnectionError && STARTING_CODES.has(e.code)) || (e instanceof ApiError && STARTING_STATUSES.has(e.status));
}

/**
 * Wait until FusionAuth answers (for a server started alongside, e.g. by docker compose): probe `GET
 * /api/system/version` once per `intervalMs`, waiting out refused and reset connections and 502/503/504, until it
 * answers anything else or `timeoutMs` has passed. Resolves when it answered successfully; rejects at once with the
 * probe's error when it answered with anything else (a rejected API key, a TLS failure: waiting would not change it),
 * and with the last error, saying how long it waited, at the deadline. A probe is bounded by the client's own
 * timeouts, so the deadline may be passed by at most one probe's connect and read timeouts.
 */
export async function waitForServer(client: ApiClient, options: WaitOptions): Promise<void> {
  const started = performance.now();
  const interval = options.intervalMs ?? 1000;
  const elapsed = (): number => performance.now() - started;
  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason;
    try {
      await client.request({ method: 'GET', path: '/api/system/version', noRetry: true });
      return;
    } catch (e) {
      if (!isStarting(e)) throw e;
      const reason = e instanceof ApiError ? String(e.status) : e.code;
      if (elapsed() >= options.timeoutMs) {
        const waited = `(still failing after waiting ${formatSeconds(elapsed())})`;
        const ctx = { method: e.method, path: e.path, cause: e };
        throw e instanceof ApiError ? new ApiError(`${e.message} ${waited}`, e.status, ctx) : new ConnectionError(`${e.message} ${waited}`, e.code, ctx);
      }
      options.onWaiting?.({ elapsedMs: elapsed(), timeoutMs: options.timeoutMs, reason });
      await sleep(Math.max(0, Math.min(interval, options.timeoutMs - elapsed())), options.signal);
    }
  }
}

/** `12 s`, `1.5 s`: a duration for messages. */
function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`;
}

/** Sleep `ms`, or reject with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const done = (): void => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
