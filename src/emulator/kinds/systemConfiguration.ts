/**
 * The system configuration: `GET|PUT|PATCH /api/system-configuration` (reference §7; the OpenAPI file lacks the GET,
 * §11.1), one object without an id that every instance has. Behaviour follows FusionAuth's decompiled
 * `SystemConfigurationAction` and `DefaultSystemConfigurationService` ([DEC-SYSCONF]):
 * - POST is taken as a PUT (`post() { put(); }`); DELETE has no handler (405, crud.ts `singletonRoutes`);
 * - a missing envelope is `[missing]systemConfiguration`; the body is normalised (`SystemConfiguration.normalize()`)
 *   and then validated as a whole, for PUT and for every PATCH flavour alike;
 * - the original PATCH (`application/json`) appends to every list: no list of the configuration is marked
 *   `@JsonMerge(OptBoolean.FALSE)` in the domain classes (fusionauth-java-client `CORSConfiguration`,
 *   `SystemTrustedProxyConfiguration`), so a kickstart file that PATCHes `allowedOrigins` on every start grows the list
 *   (reference §1.7, §11.4).
 */
import { isIP } from 'node:net';
import type { Json } from '../../core/types.js';
import { singletonWrite, type KindSpec, type Write } from '../crud.js';
import { bootSystemConfiguration, fillSystemConfiguration } from '../defaults/systemConfiguration.js';
import type { Errors } from '../errors.js';
import { col } from '../state.js';
import { at, isObject } from '../values.js';

/** OpenAPI `HTTPMethod`: the values of `corsConfiguration.allowedMethods`. */
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'];
/** OpenAPI `SystemTrustedProxyConfigurationPolicy`. */
const TRUST_POLICIES = ['All', 'OnlyConfigured'];

/**
 * What Java's `ZoneId.of` parses: a region id the time zone database knows (`America/Denver`, `US/Mountain`, `UTC`),
 * `Z`, or an offset, bare or after `UTC`/`GMT`/`UT` (`+02:00`, `UTC+2`). The platform's IANA database stands in for
 * Java's; both are the tz database.
 */
function isZoneId(v: Json): boolean {
  if (typeof v !== 'string') return false;
  if (/^(?:Z|(?:UTC|GMT|UT)?[+-](?:\d{1,2}|\d{2}:?\d{2}|\d{2}:\d{2}:\d{2}))$/.test(v)) return true;
  if (/^(?:UTC|GMT|UT)$/.test(v)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
    return true;
  } catch {
    return false;
  }
}

/** What `java.net.URI` parses (allowedOrigins is a `List<URI>`): no spaces and none of the characters RFC 3986 excludes. */
const isUri = (v: Json): boolean => typeof v === 'string' && !/[\s<>"{}|\\^`]/.test(v);

/**
 * `NetworkTools.isValidCDIR`: an IPv4 or IPv6 address, with or without a prefix length (the docs: "IPv4, or IPv6 format,
 * and ranges of addresses are also accepted in CIDR notation").
 */
function isAddressOrRange(v: Json): boolean {
  if (typeof v !== 'string') return false;
  const slash = v.indexOf('/');
  const addr = slash < 0 ? v : v.slice(0, slash);
  const version = isIP(addr);
  if (version === 0) return false;
  if (slash < 0) return true;
  const prefix = v.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * `SystemConfiguration.normalize()`: `CORSConfiguration.normalize` puts the allowed methods through a `HashSet` (each
 * once, in the set's order — here by name, which is not the order written, as on the server), and
 * `SystemTrustedProxyConfiguration.normalize` removes null proxies (the defaults' merge already drops nulls).
 */
function normalize(w: Write): void {
  const cors = w.obj.corsConfiguration;
  if (isObject(cors) && Array.isArray(cors.allowedMethods)) {
    cors.allowedMethods = [...new Set(cors.allowedMethods.filter((m): m is string => typeof m === 'string'))].sort();
  }
}

/** `DefaultSystemConfigurationService.validate` ([DEC-SYSCONF]), in its order. */
function validate(w: Write, e: Errors): void {
  const s = w.obj;
  const P = 'systemConfiguration';
  if (s.reportTimezone === undefined || s.reportTimezone === null) e.field(`${P}.reportTimezone`, '[missing]', 'The report time zone is required.');
  const positive = (path: string, what: string) => {
    const v = at(s, path);
    if (!(typeof v === 'number' && v > 0)) e.field(`${P}.${path}`, '[invalid]', `${what} must be greater than 0.`);
  };
  if (at(s, 'auditLogConfiguration.delete.enabled') === true) positive('auditLogConfiguration.delete.numberOfDaysToRetain', 'The number of days to retain audit logs');
  positive('eventLogConfiguration.numberToRetain', 'The number of event logs to retain');
  if (at(s, 'loginRecordConfiguration.delete.enabled') === true) positive('loginRecordConfiguration.delete.numberOfDaysToRetain', 'The number of days to retain login records');
  const maxAge = at(s, 'corsConfiguration.preflightMaxAgeInSeconds');
  if (typeof maxAge === 'number' && maxAge < -1) e.field(`${P}.corsConfiguration.preflightMaxAgeInSeconds`, '[tooSmall]', 'The preflight max age must be -1 or more.');
  const origins = at(s, 'corsConfiguration.allowedOrigins');
  if (Array.isArray(origins) && origins.includes('*') && origins.length !== 1) {
    e.field(`${P}.corsConfiguration.allowedOrigins`, '[invalid]', 'When the wildcard [*] is an allowed origin, it must be the only one.');
  }
  if (at(s, 'webhookEventLogConfiguration.delete.enabled') === true) positive('webhookEventLogConfiguration.delete.numberOfDaysToRetain', 'The number of days to retain webhook event logs');
  const trusted = at(s, 'trustedProxyConfiguration.trusted');
  if (Array.isArray(trusted)) {
    trusted.forEach((t, i) => {
      if (!isAddressOrRange(t)) e.fieldWithCode(`${P}.trustedProxyConfiguration.trusted[${i}]`, `[invalid]${P}.trustedProxyConfiguration.trusted`, `[${String(t)}] is not an IP address or a CIDR range.`);
    });
  }
  // Not emulated: `[invalid]systemConfiguration.usageDataConfiguration.enabled` (turning usage data off where the
  // hosting manages it; the emulator is never managed).
}

/** The system configuration kind (reference §7). */
export const systemConfiguration: KindSpec = {
  kind: 'systemConfiguration',
  scope: 'global',
  // `_update` keeps the stored cookie encryption key, and `secure()` removes it from every response: a client can
  // neither set nor see it. The instants are the server's.
  serverOwned: ['id', 'insertInstant', 'lastUpdateInstant', 'cookieEncryptionKey'],
  bind: [
    { path: 'reportTimezone', accepts: isZoneId, expected: 'a time zone id such as America/Denver' },
    { path: 'corsConfiguration.allowedMethods.*', accepts: (v) => typeof v === 'string' && HTTP_METHODS.includes(v), expected: `one of ${HTTP_METHODS.join(', ')}` },
    { path: 'corsConfiguration.allowedOrigins.*', accepts: isUri, expected: 'a URI' },
    { path: 'trustedProxyConfiguration.trustPolicy', accepts: (v) => typeof v === 'string' && TRUST_POLICIES.includes(v), expected: `one of ${TRUST_POLICIES.join(', ')}` },
  ],
  fill: fillSystemConfiguration,
  prepare: normalize,
  validate,
  boot: (state) => {
    const t = state.now();
    state.store.setOne(col('systemConfiguration'), { ...bootSystemConfiguration(), insertInstant: t, lastUpdateInstant: t });
  },
  // `SystemConfigurationAction.post()` calls `put()`: an undocumented POST replaces the configuration like a PUT.
  routes: [{ method: 'POST', path: '/api/system-configuration', handle: (r, s) => singletonWrite(systemConfiguration, r, s, 'put') }],
};
