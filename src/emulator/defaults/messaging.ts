/**
 * Defaults of messengers (reference §2) and message templates (reference §3).
 */
import type { JsonObject } from '../../core/types.js';
import type { DefaultsContext } from './context.js';
import { mergeOver, stripNulls } from './merge.js';

/**
 * The default messenger for a type. Common fields ([JAVA] BaseMessengerConfiguration, reference §2): `data` {},
 * `debug` false, `messageTypes` ["SMS"] (1.65), `transport` "sms" (deprecated, read-only). Generic:
 * `headers` {} ([JAVA] GenericMessengerConfiguration `headers = new HTTPHeaders()`); Kafka: `producer` {}.
 */
export function messengerDefaults(type: string | undefined): JsonObject {
  const base: JsonObject = { data: {}, debug: false, messageTypes: ['SMS'], transport: 'sms' };
  if (type === 'Generic') base.headers = {};
  if (type === 'Kafka') base.producer = {};
  return base;
}

/**
 * The messenger request body merged over its type's defaults. `transport` is read-only (reference §2: "deprecated
 * since 1.65.0; read-only, default sms"), so a sent value is replaced by "sms". Returns a new object; nulls omitted.
 */
export function fillMessenger(body: JsonObject, _ctx: DefaultsContext): JsonObject {
  const type = typeof body.type === 'string' ? body.type : undefined;
  const out = mergeOver(messengerDefaults(type), body);
  out.transport = 'sms';
  return stripNulls(out);
}

/** A message template's defaults (reference §3): `localizedTemplates` {} ([JAVA]) and `data` {}. */
export function messageTemplateDefaults(): JsonObject {
  return { data: {}, localizedTemplates: {} };
}

/** The message template request body merged over its defaults. Returns a new object; nulls omitted. */
export function fillMessageTemplate(body: JsonObject, _ctx: DefaultsContext): JsonObject {
  return stripNulls(mergeOver(messageTemplateDefaults(), body));
}
