/**
 * The system configuration: one object per server at `/api/system-configuration` (reference §7) — CORS, audit log,
 * event log, login record and webhook event log retention, report time zone, admin UI colours, usage data, trusted
 * proxies and `data`. It always exists: a file's `systemConfiguration:` section is a mapping (not a list), planned as a
 * merge patch of the fields it declares; a declared list is the whole list (the plain PATCH kickstart files send
 * appends to lists instead, and never converges).
 *
 * Rules, from FusionAuth's decompiled `DefaultSystemConfigurationService.validate` ([DEC-SYSCONF]) and the domain
 * classes' `normalize()` (fusionauth-java-client `SystemConfiguration`, `CORSConfiguration`,
 * `SystemTrustedProxyConfiguration`), which the API action runs before validating.
 */
import { getPath, type RuleViolation } from '../core/kind.js';
import type { Json, JsonObject } from '../core/types.js';
import { WIRE } from '../fusionauth/wire.js';
import { singletonResource } from './api.js';
import { defineKind } from './define.js';

/** The retention settings that, when enabled, need a positive number of days ([DEC-SYSCONF]). */
const RETENTIONS = ['auditLogConfiguration', 'loginRecordConfiguration', 'webhookEventLogConfiguration'] as const;

/** An IPv4 address, optionally with a CIDR prefix length (0–32). */
function isIpv4(s: string): boolean {
  const [addr, prefix, ...rest] = s.split('/');
  if (rest.length > 0 || addr === undefined) return false;
  if (prefix !== undefined && !(/^\d{1,2}$/.test(prefix) && Number(prefix) <= 32)) return false;
  const parts = addr.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** An IPv6 address (full, `::`-compressed, or ending in an IPv4 address), optionally with a prefix length (0–128). */
function isIpv6(s: string): boolean {
  const [addr, prefix, ...rest] = s.split('/');
  if (rest.length > 0 || addr === undefined || !addr.includes(':')) return false;
  if (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= 128)) return false;
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const all = halves.flatMap(groups);
  const last = all[all.length - 1];
  const v4 = last !== undefined && last.includes('.');
  if (v4 && !isIpv4(last)) return false;
  const hex = v4 ? all.slice(0, -1) : all;
  if (!hex.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  const count = hex.length + (v4 ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

/**
 * An IANA time zone name (`America/Denver`, `US/Mountain`, `UTC`) as the platform's time zone database knows it, or a
 * fixed offset (`+02:00`, `UTC+2`): what Java's `ZoneId.of` parses. A region the platform does not know is reported:
 * FusionAuth cannot bind it either.
 */
function isZoneId(v: string): boolean {
  if (/^(?:(?:UTC|GMT|UT)?[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?|Z)$/.test(v)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
    return true;
  } catch {
    return false;
  }
}

const isNum = (v: Json | undefined): v is number => typeof v === 'number';

function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  // notMissing(reportTimezone): a merge patch with null would remove it.
  if (body.reportTimezone === null) out.push({ path: 'reportTimezone', message: 'FusionAuth requires a report time zone; it cannot be removed' });
  else if (typeof body.reportTimezone === 'string' && !isZoneId(body.reportTimezone)) {
    out.push({ path: 'reportTimezone', message: `"${body.reportTimezone}" is not a time zone (for example America/Denver or UTC)` });
  }
  for (const r of RETENTIONS) {
    const days = getPath(body, `${r}.delete.numberOfDaysToRetain`) as Json | undefined;
    if (getPath(body, `${r}.delete.enabled`) === true && isNum(days) && days <= 0) {
      out.push({ path: `${r}.delete.numberOfDaysToRetain`, message: 'must be at least 1 day while delete.enabled is true' });
    }
  }
  const events = getPath(body, 'eventLogConfiguration.numberToRetain') as Json | undefined;
  if (isNum(events) && events <= 0) out.push({ path: 'eventLogConfiguration.numberToRetain', message: 'must be at least 1' });
  const maxAge = getPath(body, 'corsConfiguration.preflightMaxAgeInSeconds') as Json | undefined;
  if (isNum(maxAge) && maxAge < -1) out.push({ path: 'corsConfiguration.preflightMaxAgeInSeconds', message: 'must be -1 or more' });
  const origins = getPath(body, 'corsConfiguration.allowedOrigins');
  if (Array.isArray(origins) && origins.includes('*') && origins.length > 1) {
    out.push({ path: 'corsConfiguration.allowedOrigins', message: 'the wildcard "*" must be the only allowed origin' });
  }
  // The origins are a `List<URI>` (`CORSConfiguration`): what `java.net.URI` cannot parse fails the whole request.
  if (Array.isArray(origins)) {
    origins.forEach((o, i) => {
      if (typeof o === 'string' && /[\s<>"{}|\\^`]/.test(o)) out.push({ path: `corsConfiguration.allowedOrigins[${i}]`, message: `"${o}" is not a URI (spaces and <>"{}|\\^\` are not allowed)` });
    });
  }
  const trusted = getPath(body, 'trustedProxyConfiguration.trusted');
  if (Array.isArray(trusted)) {
    trusted.forEach((t, i) => {
      if (t !== null && !(typeof t === 'string' && (isIpv4(t) || isIpv6(t)))) {
        out.push({ path: `trustedProxyConfiguration.trusted[${i}]`, message: 'must be an IPv4 or IPv6 address, or a range in CIDR notation (10.0.0.0/8)' });
      }
    });
  }
  return out;
}

/**
 * The server's `normalize()` of what it is sent: `CORSConfiguration.normalize` keeps each allowed method once (a
 * `HashSet`, so its order is the server's), `SystemTrustedProxyConfiguration.normalize` drops null proxies.
 */
function normalize(body: JsonObject): JsonObject {
  const out = structuredClone(body);
  const cors = out.corsConfiguration;
  if (cors && typeof cors === 'object' && !Array.isArray(cors) && Array.isArray(cors.allowedMethods)) {
    cors.allowedMethods = [...new Set(cors.allowedMethods.map((m) => JSON.stringify(m)))].map((m) => JSON.parse(m) as Json);
  }
  const proxies = out.trustedProxyConfiguration;
  if (proxies && typeof proxies === 'object' && !Array.isArray(proxies) && Array.isArray(proxies.trusted)) {
    proxies.trusted = proxies.trusted.filter((t) => t !== null);
  }
  return out;
}

export const systemConfiguration = defineKind({
  name: 'systemConfiguration',
  section: 'systemConfiguration',
  title: 'system configuration',
  wire: WIRE.systemConfiguration,
  api: singletonResource(WIRE.systemConfiguration),
  // The allowed methods are a Java Set on the server (`CORSConfiguration.normalize`): the order it returns them in is
  // its own.
  setFields: ['corsConfiguration.allowedMethods'],
  // Since-versions from the docs (`_system-configuration-request-body.mdx`).
  features: [
    { path: 'trustedProxyConfiguration', since: '1.49.0' },
    { path: 'webhookEventLogConfiguration', since: '1.53.0' },
    { path: 'usageDataConfiguration', since: '1.55.0' },
    { path: 'webhookEventLogConfiguration.enabled', since: '1.57.0' },
  ],
  normalize,
  validate,
  examples: 'system-configuration',
  openapi: {
    schema: 'SystemConfiguration',
    entry: 'SystemConfiguration',
    description: 'The system configuration (one per server: a mapping, not a list). Only the fields written are managed.',
  },
});
