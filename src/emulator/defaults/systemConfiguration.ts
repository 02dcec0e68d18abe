/**
 * Defaults of the system configuration (reference §7): what FusionAuth fills in for every field a PUT does not send,
 * and the object a fresh instance holds.
 *
 * Sources: the field initialisers of fusionauth-java-client `SystemConfiguration` (and its nested
 * `AuditLogConfiguration`, `DeleteConfiguration`, `EventLogConfiguration`, `LoginRecordConfiguration`,
 * `UIConfiguration`), `CORSConfiguration`, `SystemTrustedProxyConfiguration`, `UsageDataConfiguration`; the docs'
 * request body (`_system-configuration-request-body.mdx`) for the webhook event log, whose defaults changed in 1.57.0
 * (`enabled` true, `delete.enabled` true, 30 days); FusionAuth's database bootstrap script for a fresh instance
 * (`INSERT INTO system_configuration(data, …, report_timezone) VALUES ('{}', …, 'America/Denver')`: an empty object,
 * so every default, and the report time zone America/Denver).
 */
import type { JsonObject } from '../../core/types.js';
import type { DefaultsContext } from './context.js';
import { mergeOver, stripNulls } from './merge.js';

/** The report time zone of a fresh instance (the bootstrap script's `report_timezone`). */
export const BOOT_REPORT_TIMEZONE = 'America/Denver';

/**
 * Every default. `reportTimezone` has none (a `ZoneId` field without initialiser): a PUT without it is refused with
 * `[missing]systemConfiguration.reportTimezone`. The CORS filter is off with empty lists (the CORS reference: "The
 * default setting disables the CORS filter"); `preflightMaxAgeInSeconds` is a Java `int`, so 0.
 */
export function systemConfigurationDefaults(): JsonObject {
  return {
    auditLogConfiguration: { delete: { enabled: false, numberOfDaysToRetain: 365 } },
    corsConfiguration: {
      allowCredentials: false, allowedHeaders: [], allowedMethods: [], allowedOrigins: [], debug: false, enabled: false,
      exposedHeaders: [], preflightMaxAgeInSeconds: 0,
    },
    data: {},
    eventLogConfiguration: { numberToRetain: 10000 },
    loginRecordConfiguration: { delete: { enabled: false, numberOfDaysToRetain: 365 } },
    trustedProxyConfiguration: { trustPolicy: 'All', trusted: [] },
    uiConfiguration: {},
    usageDataConfiguration: { enabled: false, numberOfDaysToRetain: 366 },
    webhookEventLogConfiguration: { delete: { enabled: true, numberOfDaysToRetain: 30 }, enabled: true },
  };
}

/** A system configuration body merged over the defaults. Returns a new object; nulls omitted. */
export function fillSystemConfiguration(body: JsonObject, _ctx: DefaultsContext): JsonObject {
  return stripNulls(mergeOver(systemConfigurationDefaults(), body));
}

/**
 * The system configuration of a fresh instance: every default and the bootstrap's report time zone, with the two
 * settings a real 1.60.2 instance's bootstrap wrote otherwise — usage data collection on and the webhook event log off
 * (its `system_configuration` row, never updated since the schema was created: /work/notes/builtins.md DUMP-1.60).
 * Its random `cookieEncryptionKey` is not kept: FusionAuth never shows it (`secure()`), and the emulator uses none.
 */
export function bootSystemConfiguration(): JsonObject {
  const out = systemConfigurationDefaults();
  out.usageDataConfiguration = { enabled: true, numberOfDaysToRetain: 366 };
  out.webhookEventLogConfiguration = { delete: { enabled: true, numberOfDaysToRetain: 30 }, enabled: false };
  return { ...out, reportTimezone: BOOT_REPORT_TIMEZONE };
}
