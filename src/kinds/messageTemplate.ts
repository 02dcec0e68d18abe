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
  // The decompiled DefaultMessageTemplateService.validateDelete refuses to delete a template a tenant or an application
  // uses ([inUse]messageTemplateId; the emulator's messageTemplate.ts does the same; reference §11.5: unconfirmed on a
  // live server). A template has no immutable field in kickstand, so it is never replaced.
  consequences: { delete: 'FusionAuth refuses to delete a message template a tenant or an application uses: the delete fails until nothing refers to it.' },
  examples: 'message-templates',
  openapi: {
    schema: 'MessageTemplate',
    entry: 'MessageTemplate',
    required: ['name', 'type', 'defaultTemplate'],
    description: 'SMS and voice message templates.',
    discriminator: { field: 'type', map: { SMS: 'SMSMessageTemplate', Voice: 'VoiceMessageTemplate' } },
  },
});
