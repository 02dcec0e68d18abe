/**
 * Message templates (SMS; Voice since 1.65). Reference §3: `type`, `name` and `defaultTemplate` are required; the
 * text is FreeMarker and kickstand never evaluates it.
 */
import type { RuleViolation } from '../core/kind.js';
import type { JsonObject } from '../core/types.js';
import { WIRE } from '../fusionauth/wire.js';
import { restCollection } from './api.js';
import { defineKind } from './define.js';

function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  const t = body.defaultTemplate;
  if (t === undefined || t === null || (typeof t === 'string' && t.trim() === '')) {
    out.push({ path: 'defaultTemplate', message: 'a message template needs defaultTemplate (the FreeMarker text sent when no localized text matches)' });
  }
  return out;
}

export const messageTemplate = defineKind({
  name: 'messageTemplate',
  section: 'messageTemplates',
  title: 'message template',
  wire: WIRE.messageTemplate,
  api: restCollection(WIRE.messageTemplate),
  // Unique among all message templates: [duplicate]messageTemplate.name in the decompiled DefaultMessageTemplateService
  // (emulator messageTemplate.ts); reference §11.5 lists the code as unverified on a real server.
  uniqueName: 'global',
  validate,
  examples: 'message-templates',
  openapi: {
    schema: 'MessageTemplate',
    entry: 'MessageTemplate',
    required: ['name', 'type', 'defaultTemplate'],
    description: 'SMS and voice message templates.',
    discriminator: { field: 'type', map: { SMS: 'SMSMessageTemplate', Voice: 'VoiceMessageTemplate' } },
  },
});
