/**
 * Email templates: `/api/email/template[/{id}]` (reference §7). Behaviour follows FusionAuth's decompiled email
 * template API action and `DefaultEmailTemplateService` ([DEC-EMAIL]):
 * - the action's scheme is `api-no-tenant`: templates belong to no tenant, the tenant header plays no part;
 * - before validating, `EmailTemplate.normalize()` trims the name, sender and texts (Java `String.trim()`) and the
 *   localized maps' values, whose line endings become `\n` (fusionauth-java-client `LocalizedStrings`, `Normalizer`):
 *   what is stored, and returned, is the normalised text;
 * - `notBlank` name, text, HTML and subject; `email(fromEmail)` when given; each default text must parse as FreeMarker
 *   (`[invalidTemplate]<field>`); the name is unique (`[duplicate]emailTemplate.name`);
 * - a template that a tenant or an application names cannot be deleted (`[inUse]emailTemplateId`, refs.ts).
 */
import type { Json } from '../../core/types.js';
import type { KindSpec, Write } from '../crud.js';
import { fillEmailTemplate } from '../defaults/emailTemplate.js';
import type { Errors } from '../errors.js';
import { blank, isEmailAddress, isObject } from '../values.js';

/** Java's `String.trim()`: characters up to U+0020 go from both ends (other Unicode spaces stay). */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

const TRIMMED = ['defaultFromName', 'defaultHtmlTemplate', 'defaultSubject', 'defaultTextTemplate', 'fromEmail', 'name'];
const LOCALIZED = ['localizedFromNames', 'localizedHtmlTemplates', 'localizedSubjects', 'localizedTextTemplates'];

/** `EmailTemplate.normalize()`: `Normalizer.trim` on the texts, `trimMap` and `lineReturnsMap` on the localized maps. */
function normalize(w: Write): void {
  const t = w.obj;
  for (const f of TRIMMED) if (typeof t[f] === 'string') t[f] = javaTrim(t[f]);
  for (const f of LOCALIZED) {
    const map = t[f];
    if (!isObject(map)) continue;
    for (const [locale, text] of Object.entries(map)) if (typeof text === 'string') map[locale] = javaTrim(text).replace(/\r\n|\r/g, '\n');
  }
}

/**
 * Whether FreeMarker would at least parse the interpolations of a text: every `${` closed by its `}` (string literals
 * inside may hold braces). FreeMarker's full grammar (directives, built-ins) is not checked: a template the server
 * would refuse for another reason passes here.
 */
function interpolationsClose(text: string): boolean {
  let i = text.indexOf('${');
  while (i >= 0) {
    let depth = 0;
    let quote: string | undefined;
    let j = i + 2;
    for (; j < text.length; j++) {
      const ch = text[j]!;
      if (quote) {
        if (ch === '\\') j++;
        else if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '{') depth++;
      else if (ch === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (j >= text.length) return false;
    i = text.indexOf('${', j + 1);
  }
  return true;
}

function validate(w: Write, e: Errors): void {
  const t = w.obj;
  for (const [f, what] of [['defaultTextTemplate', 'text template'], ['defaultHtmlTemplate', 'HTML template'], ['defaultSubject', 'subject']] as const) {
    if (blank(t[f])) e.field(`emailTemplate.${f}`, '[blank]', `The default ${what} is required.`);
  }
  // [DEC-EMAIL] `ifTrue(fromEmail != null, email(fromEmail, "emailTemplate.fromEmail"))`; `Validator.email`'s code is
  // `[notEmail]` (see the tenant's defaultFromEmail in kinds/tenant.ts).
  if (t.fromEmail !== undefined && !isEmailAddress(t.fromEmail)) e.field('emailTemplate.fromEmail', '[notEmail]', `The from address [${String(t.fromEmail)}] is not an email address.`);
  for (const f of ['defaultSubject', 'defaultFromName', 'defaultHtmlTemplate', 'defaultTextTemplate']) {
    const v: Json | undefined = t[f];
    if (typeof v === 'string' && !interpolationsClose(v)) {
      e.fieldWithCode(`emailTemplate.${f}`, `[invalidTemplate]emailTemplate.${f}`, 'The template could not be parsed: an interpolation ${…} is not closed.');
    }
  }
  // Not emulated: the localized maps' template checks (elided in the decompiled text: their field names and codes
  // are unknown).
}

/** The email template kind (reference §7). */
export const emailTemplate: KindSpec = {
  kind: 'emailTemplate',
  scope: 'global',
  serverOwned: ['id', 'insertInstant', 'lastUpdateInstant'],
  // `notBlank(name)`, `notDuplicate(…, "emailTemplate.name")`. No length limit is in the decompiled text.
  name: { unique: 'global' },
  fill: fillEmailTemplate,
  prepare: normalize,
  validate,
  // No boot objects: a fresh instance has no email templates. The `[FusionAuth Default] …` templates of
  // `SystemDefaultsSingleton` ([DEC-DEFAULTS]) are created by `SystemDefaultsSingleton.set(version)`, which only the setup
  // wizard (`DefaultSetupService._setup`: every version's batch, then the tenant is wired to them) and the upgrade
  // migrations (`Migration_1_30_0`, `_1_42_0`, `_1_68_0`: their own version's batch, on a database that already had
  // the older ones) call — never the database bootstrap nor Kickstart (`KickstartRunner`). A real 1.60.2 instance
  // agrees: its template rows carry the wizard's instants, none the schema's (/work/notes/builtins.md DUMP-1.60), and
  // FusionAuth's own reset-to-fresh routine deletes them all (`DefaultResetService.reset`: `deleteEmailTemplates`).
  // Kickstand talks to Kickstarted or fresh servers, so the emulator boots none (defaults/emailTemplate.ts).
};
