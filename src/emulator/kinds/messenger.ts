/**
 * Messengers: `/api/messenger[/{id}]` (reference §2). Validation follows FusionAuth's decompiled
 * `DefaultMessengerConfigurationService` (`[inUseByTenant]…`) and the per-type validators `TwilioMessengerValidator`,
 * the Generic validator and `KafkaMessengerValidator` ([DEC-TWILIO], [DEC-GENERIC], reference §2.1–2.3).
 */
import type { JsonObject } from '../../core/types.js';
import type { KindSpec, Write } from '../crud.js';
import { fillMessenger } from '../defaults.js';
import { checkOptionalHttpUrl, type Errors } from '../errors.js';
import { usages, type Usage } from '../refs.js';
import { blank, isAbsoluteHttpUrl } from '../values.js';

/** The tenants among the usages, once each (the decompiled TenantMapper queries). */
const tenantIds = (users: Usage[]): string[] => [...new Set(users.map((u) => String(u.holder.id)))];
/** Which message type a tenant uses a messenger for: its voice MFA field for Voice, the phone and SMS MFA fields for SMS. */
const typeOf = (u: Usage): 'SMS' | 'Voice' => (u.path.includes('.voice.') ? 'Voice' : 'SMS');

function validate(w: Write, e: Errors): void {
  const m: JsonObject = w.obj;
  const types = Array.isArray(m.messageTypes) ? m.messageTypes : [];
  // The empty-collection code is not documented (reference §11.5); `[empty]` follows the validator's naming
  // (notBlank → [blank], notMissing → [missing], notEmpty → [empty]).
  if (types.length === 0) e.field('messenger.messageTypes', '[empty]', 'At least one message type (SMS, Voice) is required.');
  for (const t of types) {
    if (t !== 'SMS' && t !== 'Voice') e.field('messenger.messageTypes', '[invalid]', `[${String(t)}] is not a message type (SMS, Voice).`);
  }
  if (m.type === 'Twilio') {
    // [DEC-TWILIO]
    if (m.url === undefined || m.url === null) e.field('messenger.url', '[missing]', 'The Twilio API URL is required (e.g. https://api.twilio.com).');
    else checkOptionalHttpUrl(e, m.url, 'messenger.url');
    if (blank(m.accountSID)) e.field('messenger.accountSID', '[blank]', 'The Twilio account SID is required.');
    if (blank(m.authToken)) e.field('messenger.authToken', '[blank]', 'The Twilio auth token is required.');
    if (types.includes('Voice')) {
      if (blank(m.fromPhoneNumber)) e.field('messenger.fromPhoneNumber', '[blank]', 'A Voice messenger needs a from phone number.');
    } else if ((m.fromPhoneNumber === undefined || m.fromPhoneNumber === null) && (m.messagingServiceSid === undefined || m.messagingServiceSid === null)) {
      e.field('messenger.fromPhoneNumber', '[blank]', 'Either a from phone number or a messaging service SID is required.');
      e.field('messenger.messagingServiceSid', '[blank]', 'Either a from phone number or a messaging service SID is required.');
    }
  } else if (m.type === 'Generic') {
    // [DEC-GENERIC]
    if (m.url === undefined || m.url === null) e.field('messenger.url', '[missing]', 'The URL is required.');
    else if (!isAbsoluteHttpUrl(m.url)) e.field('messenger.url', '[invalid]', `The URL [${String(m.url)}] must be an absolute http or https URL.`);
    for (const f of ['httpAuthenticationPassword', 'httpAuthenticationUsername']) {
      if (typeof m[f] === 'string' && (m[f] as string).length > 255) e.field(`messenger.${f}`, '[tooLong]', `${f} must be at most 255 characters.`);
    }
    for (const f of ['readTimeout', 'connectTimeout']) {
      const v = m[f];
      if (v === undefined || v === null) e.field(`messenger.${f}`, '[missing]', `${f} (milliseconds) is required.`);
      else if (typeof v !== 'number' || v <= 0) e.field(`messenger.${f}`, '[invalid]', `${f} must be greater than 0.`);
    }
  } else if (m.type === 'Kafka') {
    // KafkaMessengerValidator: defaultTopic, producer properties, SMS only.
    if (blank(m.defaultTopic)) e.field('messenger.defaultTopic', '[blank]', 'The default topic is required.');
    if (!(m.producer && typeof m.producer === 'object' && Object.keys(m.producer).length > 0)) e.field('messenger.producer', '[empty]', 'Kafka producer properties are required.');
    if (!(types.length === 1 && types[0] === 'SMS')) e.field('messenger.messageTypes', '[invalid]', 'A Kafka messenger supports only SMS.');
  }
  // Decompiled validateUpdate: removing a message type a tenant uses the messenger for → [inUseByTenant]messenger.messageTypes.
  if (!w.existing) return;
  const before = Array.isArray(w.existing.messageTypes) ? w.existing.messageTypes : [];
  const users = usages(w.state, 'messenger', String(w.existing.id));
  for (const type of ['SMS', 'Voice'] as const) {
    const tenants = tenantIds(users.filter((u) => typeOf(u) === type));
    if (before.includes(type) && !types.includes(type) && tenants.length > 0) {
      e.fieldWithCode('messenger.messageTypes', '[inUseByTenant]messenger.messageTypes', `The ${type} message type is used by the tenants [${tenants.join(', ')}].`);
    }
  }
}

/** The messenger kind (global API key; reference §2). */
export const messenger: KindSpec = {
  kind: 'messenger',
  scope: 'global',
  serverOwned: ['id', 'insertInstant', 'lastUpdateInstant'],
  // `MessengerType` ([OAS]/[TS]); Kafka is legacy but still in the enum (reference §2.3).
  discriminator: { field: 'type', values: ['Twilio', 'Generic', 'Kafka'] },
  name: { unique: 'global' },
  // BaseMessengerConfiguration: `@JsonMerge(OptBoolean.FALSE) Set<MessageType> messageTypes = new LinkedHashSet<>(…SMS)`
  // (FusionAuth/fusionauth-java-client and the decompiled server class): a plain JSON PATCH replaces the list; the
  // set keeps first-insertion order and collapses duplicates.
  lists: { replaced: ['messageTypes'], sets: [{ path: 'messageTypes', order: 'insertion' }] },
  fill: fillMessenger,
  validate,
  // Decompiled validateDelete: a messenger a tenant uses (phone, SMS or voice MFA) cannot be deleted.
  inUse: (users, e) => void e.fieldWithCode('messengerId', '[inUseByTenant]messengerId', `The messenger is used by the tenants [${tenantIds(users).join(', ')}].`),
};
