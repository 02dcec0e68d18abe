/**
 * Defaults of email templates (reference §7).
 *
 * Source: fusionauth-java-client `EmailTemplate` (the four localized maps are initialised empty; every other field is
 * null, so omitted). A fresh instance has no email templates: the `[FusionAuth Default] …` ones are the setup wizard's
 * (kinds/emailTemplate.ts has the evidence).
 */
import type { JsonObject } from '../../core/types.js';
import type { DefaultsContext } from './context.js';
import { mergeOver, stripNulls } from './merge.js';

/** An email template's defaults: the localized maps, empty. */
export function emailTemplateDefaults(): JsonObject {
  return { localizedFromNames: {}, localizedHtmlTemplates: {}, localizedSubjects: {}, localizedTextTemplates: {} };
}

/** An email template body merged over its defaults. Returns a new object; nulls omitted. */
export function fillEmailTemplate(body: JsonObject, _ctx: DefaultsContext): JsonObject {
  return stripNulls(mergeOver(emailTemplateDefaults(), body));
}
