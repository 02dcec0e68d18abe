/**
 * Email templates (reference §7): a name, a subject, HTML and text bodies (FreeMarker, which kickstand never evaluates;
 * usually read from files with `{{file}}`), localized variants keyed by locale, and an optional sender. Tenants and
 * applications refer to them (`emailConfiguration.*EmailTemplateId`, `verificationEmailTemplateId`, …).
 *
 * Rules, from FusionAuth's decompiled `DefaultEmailTemplateService.validate` and its API action ([DEC-EMAIL]): name,
 * subject and both default bodies must not be blank; `fromEmail` must be an email address; names are unique; the action
 * runs `EmailTemplate.normalize()` first, which trims the texts (fusionauth-java-client `EmailTemplate`,
 * `LocalizedStrings`, `Normalizer`).
 */
import type { RuleViolation } from '../core/kind.js';
import type { Json, JsonObject } from '../core/types.js';
import { WIRE } from '../fusionauth/wire.js';
import { restCollection } from './api.js';
import { defineKind } from './define.js';

/** The texts `EmailTemplate.normalize()` trims (`Normalizer.trim`). */
const TRIMMED = ['defaultFromName', 'defaultHtmlTemplate', 'defaultSubject', 'defaultTextTemplate', 'fromEmail', 'name'] as const;
/** The localized maps (`LocalizedStrings.normalize()`: values trimmed, line endings made `\n`). */
const LOCALIZED = ['localizedFromNames', 'localizedHtmlTemplates', 'localizedSubjects', 'localizedTextTemplates'] as const;
/** The texts FusionAuth requires (`notBlank`). */
const REQUIRED = ['name', 'defaultSubject', 'defaultHtmlTemplate', 'defaultTextTemplate'] as const;

/** Java's `String.trim()`: every character up to U+0020 goes from both ends (not the other Unicode spaces). */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

function normalize(body: JsonObject): JsonObject {
  const out: JsonObject = { ...body };
  for (const f of TRIMMED) if (typeof out[f] === 'string') out[f] = javaTrim(out[f]);
  for (const f of LOCALIZED) {
    const map = out[f];
    if (!map || typeof map !== 'object' || Array.isArray(map)) continue;
    const next: Record<string, Json> = {};
    for (const [locale, text] of Object.entries(map)) next[locale] = typeof text === 'string' ? javaTrim(text).replace(/\r\n|\r/g, '\n') : text;
    out[f] = next;
  }
  return out;
}

const blank = (v: Json | undefined): boolean => v === null || (typeof v === 'string' && javaTrim(v) === '');

function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const f of REQUIRED) if (blank(body[f])) out.push({ path: f, message: 'FusionAuth requires it (it cannot be blank)' });
  const from = body.fromEmail;
  // `Validator.email` (`[notEmail]emailTemplate.fromEmail`): its exact pattern is not in the decompiled text, so only
  // what is surely not an address is reported — one @ with something on both sides, no spaces.
  if (typeof from === 'string' && !/^[^@\s]+@[^@\s]+$/.test(javaTrim(from))) {
    out.push({ path: 'fromEmail', message: `"${from}" is not an email address` });
  }
  return out;
}

export const emailTemplate = defineKind({
  name: 'emailTemplate',
  section: 'emailTemplates',
  title: 'email template',
  wire: WIRE.emailTemplate,
  api: restCollection(WIRE.emailTemplate),
  // Unique among all email templates: `notDuplicate(…, "emailTemplate.name")` in the decompiled service.
  uniqueName: 'global',
  normalize,
  validate,
  examples: 'email-templates',
  openapi: {
    schema: 'EmailTemplate',
    entry: 'EmailTemplate',
    required: ['name', 'defaultSubject', 'defaultHtmlTemplate', 'defaultTextTemplate'],
    description: 'Email templates (FreeMarker subject and bodies, default and per locale).',
  },
});
