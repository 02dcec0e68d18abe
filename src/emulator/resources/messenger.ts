/**
 * Messengers: `/api/messenger[/{id}]` (reference §2). Validation follows FusionAuth's decompiled
 * `DefaultMessengerConfigurationService` (common rules, `[duplicate]messengerId`, `[inUseByTenant]…`) and the per-type
 * validators `TwilioMessengerValidator`, the Generic validator and `KafkaMessengerValidator` ([DEC-TWILIO],
 * [DEC-GENERIC], reference §2.1–2.3).
 */
import type { JsonObject } from '../../core/types.js';
import { fillMessenger } from '../defaults.js';
import { Errors } from '../errors.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import { col, type EmulatorState } from '../state.js';
import { at, blank, checkOptionalHttpUrl, globalKindRoutes, isAbsoluteHttpUrl, one, patched, pathId, sameName, unwrap, without } from './common.js';

const SERVER_OWNED = ['id', 'insertInstant', 'lastUpdateInstant'] as const;
/** `MessengerType` ([OAS]/[TS]); Kafka is legacy but still in the enum (reference §2.3). */
const TYPES = ['Twilio', 'Generic', 'Kafka'] as const;
/** Set-valued arrays (Java Sets): the original PATCH's append collapses duplicates. */
const SET_PATHS = ['messageTypes'];

/** Which tenants use a messenger, and for which message type (the decompiled TenantMapper queries). */
function tenantsUsing(state: EmulatorState, id: string, type?: 'SMS' | 'Voice'): string[] {
  const smsFields = ['phoneConfiguration.messengerId', 'multiFactorConfiguration.sms.messengerId'];
  const voiceFields = ['multiFactorConfiguration.voice.messengerId'];
  const fields = type === 'SMS' ? smsFields : type === 'Voice' ? voiceFields : [...smsFields, ...voiceFields];
  return state.store
    .list(col('tenant'))
    .filter((t) => fields.some((f) => typeof at(t, f) === 'string' && (at(t, f) as string).toLowerCase() === id))
    .map((t) => String(t.id));
}

function validate(state: EmulatorState, m: JsonObject, selfId: string | undefined): Errors {
  const e = new Errors();
  // Common rules: name not blank, unique among messengers; messageTypes not empty.
  if (blank(m.name)) e.field('messenger.name', '[blank]', 'The messenger name is required.');
  else if (state.store.list(col('messenger')).some((o) => sameName(o.name, m.name) && String(o.id) !== selfId)) {
    e.field('messenger.name', '[duplicate]', `A messenger with the name [${String(m.name)}] already exists.`);
  }
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
  return e;
}

/**
 * The request's messenger type. Jackson picks the concrete class from `type`; a missing or unknown value cannot be
 * bound, which FusionAuth's framework reports as `[invalidJSON]` on the property.
 */
function typeError(m: JsonObject): Reply | undefined {
  if (typeof m.type === 'string' && (TYPES as readonly string[]).includes(m.type)) return undefined;
  return new Errors()
    .fieldWithCode('messenger.type', '[invalidJSON]', `Unable to parse JSON. The property [messenger.type] is invalid: expected one of ${TYPES.join(', ')}.`)
    .reply();
}

function create(req: EmulatorRequest, state: EmulatorState): Reply {
  let id: string | undefined;
  if (req.params.id !== undefined) {
    const p = pathId(req, 'id', 'messengerId');
    if ('reply' in p) return p.reply;
    id = p.id;
  }
  const u = unwrap(req, 'messenger');
  if ('reply' in u) return u.reply;
  const bad = typeError(u.obj);
  if (bad) return bad;
  const m = fillMessenger(without(u.obj, SERVER_OWNED), state.defaultsContext());
  const e = new Errors();
  if (id && state.store.get(col('messenger'), id)) e.field('messengerId', '[duplicate]', `A messenger with the Id [${id}] already exists.`);
  e.merge(validate(state, m, id));
  if (!e.empty) return e.reply();
  const t = state.now();
  const stored: JsonObject = { ...m, id: id ?? state.newId(), insertInstant: t, lastUpdateInstant: t };
  state.store.put(col('messenger'), stored);
  return one('messenger', stored);
}

function update(req: EmulatorRequest, state: EmulatorState, mode: 'put' | 'patch'): Reply {
  const p = pathId(req, 'id', 'messengerId');
  if ('reply' in p) return p.reply;
  const existing = state.store.get(col('messenger'), p.id);
  if (!existing) return { status: 404 };
  const body = mode === 'put' ? unwrap(req, 'messenger') : patched(req, 'messenger', existing, SET_PATHS);
  if ('reply' in body) return body.reply;
  // `type` is immutable: "defined by the concrete class and is not mutable" ([OAS] BaseMessengerConfiguration.type,
  // reference §2). FusionAuth's behaviour for a different type in the body is not documented; the stored type is kept.
  const m = fillMessenger({ ...without(body.obj, SERVER_OWNED), type: existing.type as string }, state.defaultsContext());
  const e = validate(state, m, p.id);
  // Removing a message type a tenant uses it for → [inUseByTenant]messenger.messageTypes (decompiled validateUpdate).
  const before = Array.isArray(existing.messageTypes) ? existing.messageTypes : [];
  const after = Array.isArray(m.messageTypes) ? m.messageTypes : [];
  for (const type of ['SMS', 'Voice'] as const) {
    if (before.includes(type) && !after.includes(type)) {
      const users = tenantsUsing(state, p.id, type);
      if (users.length > 0) e.fieldWithCode('messenger.messageTypes', '[inUseByTenant]messenger.messageTypes', `The ${type} message type is used by the tenants [${users.join(', ')}].`);
    }
  }
  if (!e.empty) return e.reply();
  const stored: JsonObject = { ...m, id: existing.id as string, insertInstant: existing.insertInstant as number, lastUpdateInstant: state.now() };
  state.store.put(col('messenger'), stored);
  return one('messenger', stored);
}

function remove(req: EmulatorRequest, state: EmulatorState): Reply {
  const p = pathId(req, 'id', 'messengerId');
  if ('reply' in p) return p.reply;
  if (!state.store.get(col('messenger'), p.id)) return { status: 404 };
  // Decompiled validateDelete: a messenger used by a tenant (phone, SMS or voice MFA) cannot be deleted.
  const users = tenantsUsing(state, p.id);
  if (users.length > 0) {
    return new Errors().fieldWithCode('messengerId', '[inUseByTenant]messengerId', `The messenger is used by the tenants [${users.join(', ')}].`).reply();
  }
  state.store.delete(col('messenger'), p.id);
  return { status: 200 };
}

/** The messenger endpoints (global API key; reference §2). */
export const messengerRoutes: RouteModule = globalKindRoutes('messenger', '/api/messenger', {
  singular: 'messenger', plural: 'messengers', collection: col('messenger'), idField: 'messengerId',
}, { create, update, remove });
