/**
 * Messengers (Twilio, Generic; Kafka is legacy). Reference §2: `type` is immutable; Twilio needs url, accountSID,
 * authToken and a sender; Generic needs url and both timeouts; secrets (authToken, httpAuthenticationPassword,
 * headers) come back in cleartext from GET.
 */
import type { RuleViolation } from '../core/kind.js';
import type { JsonObject } from '../core/types.js';
import { WIRE } from '../fusionauth/wire.js';
import { restCollection } from './api.js';
import { defineKind } from './define.js';

const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const isHttpUrl = (v: unknown): boolean => typeof v === 'string' && /^https?:\/\/[^\s/]+/i.test(v);

function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  const type = body.type;
  const messageTypes = Array.isArray(body.messageTypes) ? body.messageTypes : undefined;
  if (messageTypes && messageTypes.length === 0) out.push({ path: 'messageTypes', message: 'must name at least one message type (SMS or Voice)' });
  if (type === 'Twilio') {
    if (isBlank(body.url)) out.push({ path: 'url', message: 'a Twilio messenger needs url (for example https://api.twilio.com)' });
    else if (!isHttpUrl(body.url)) out.push({ path: 'url', message: 'must be an absolute http(s) URL' });
    if (isBlank(body.accountSID)) out.push({ path: 'accountSID', message: 'a Twilio messenger needs accountSID' });
    if (isBlank(body.authToken)) out.push({ path: 'authToken', message: 'a Twilio messenger needs authToken (FusionAuth rejects a blank one although its docs call it optional)' });
    const voice = messageTypes?.includes('Voice') ?? false;
    if (voice && isBlank(body.fromPhoneNumber)) out.push({ path: 'fromPhoneNumber', message: 'a Twilio messenger that sends Voice messages needs fromPhoneNumber' });
    if (!voice && isBlank(body.fromPhoneNumber) && isBlank(body.messagingServiceSid)) {
      out.push({ path: 'fromPhoneNumber', message: 'a Twilio messenger needs fromPhoneNumber or messagingServiceSid' });
    }
  } else if (type === 'Generic') {
    if (isBlank(body.url)) out.push({ path: 'url', message: 'a Generic messenger needs url' });
    else if (!isHttpUrl(body.url)) out.push({ path: 'url', message: 'must be an absolute http(s) URL' });
    for (const f of ['connectTimeout', 'readTimeout'] as const) {
      const v = body[f];
      if (v === undefined || v === null) out.push({ path: f, message: `a Generic messenger needs ${f} (milliseconds)` });
      else if (typeof v === 'number' && v <= 0) out.push({ path: f, message: 'must be greater than 0' });
    }
  }
  return out;
}

export const messenger = defineKind({
  name: 'messenger',
  section: 'messengers',
  title: 'messenger',
  wire: WIRE.messenger,
  api: restCollection(WIRE.messenger),
  serverFields: ['id', 'insertInstant', 'lastUpdateInstant', 'transport'],
  setFields: ['messageTypes'],
  // Reference §2.1–2.3, §11.2: Twilio's authToken, Generic's HTTP password and header values (bearer tokens, API
  // keys) come back in cleartext; a Kafka producer's properties hold credentials (sasl.jaas.config, ssl passwords),
  // so every value is masked. accountSID and the HTTP user name identify, they do not authenticate.
  secretFields: ['authToken', 'httpAuthenticationPassword', 'headers.*', 'producer.*'],
  immutableFields: [{ path: 'type', reason: "FusionAuth fixes a messenger's type when it is created" }],
  features: [{ path: 'messageTypes', since: '1.65.0' }],
  // Reference §2 ("The unique Messenger name") and §11.4: unique among all messengers ([duplicate]messenger.name).
  uniqueName: 'global',
  validate,
  // A replace deletes the messenger and creates it again under the same id (the references to it stay valid). The
  // decompiled DefaultMessengerConfigurationService.validateDelete refuses to delete a messenger a tenant uses
  // ([inUseByTenant]messengerId; the emulator's messenger.ts does the same; reference §8 and §11.5 note it is not yet
  // confirmed on a live server).
  consequences: {
    delete: 'FusionAuth refuses to delete a messenger a tenant uses (phone messages, SMS or voice multi-factor): the delete fails until no tenant refers to it.',
    replace: 'FusionAuth deletes the messenger and creates it again under the same id; no message can be sent through it in between. ' +
      'It refuses the delete while a tenant uses the messenger (phone messages, SMS or voice multi-factor), and the replace then fails.',
  },
  examples: 'messengers',
  openapi: {
    schema: 'BaseMessengerConfiguration',
    entry: 'Messenger',
    required: ['name', 'type'],
    description: 'Messengers (Twilio, Generic, Kafka).',
    discriminator: {
      field: 'type',
      map: { Twilio: 'TwilioMessengerConfiguration', Generic: 'GenericMessengerConfiguration', Kafka: 'KafkaMessengerConfiguration' },
    },
  },
});
