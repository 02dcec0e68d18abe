/**
 * Defaults of email templates (reference §7) and the templates of a fresh instance.
 *
 * Sources: fusionauth-java-client `EmailTemplate` (the four localized maps are initialised empty; every other field is
 * null, so omitted), and FusionAuth's decompiled `SystemDefaultsSingleton.EmailTemplates`, which creates the
 * `[FusionAuth Default] …` templates at first start, by the version that introduced them (1.0.0, 1.30.0, 1.42.0,
 * 1.68.0) — names and subjects as there; the bodies are FusionAuth resource files the emulator does not have, so its
 * own short texts stand in. A Kickstarted instance has none of them (reference §9); the emulator is a plain one.
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

/** Name, subject and what the message is about, of each `[FusionAuth Default]` template, in creation order. */
const BUILT_IN: ReadonlyArray<readonly [name: string, subject: string, text: string]> = [
  ['Breached Password Notification', 'Your password is not secure', 'The password of your account was found in a list of breached passwords. Change it at your next login.'],
  ['Forgot Password', 'Reset your password', 'Reset your password here: ${url!""}'],
  ['Confirm Child Account', "Confirm your child's account", 'Confirm the account of your child here: ${url!""}'],
  ['COPPA Notice Reminder', 'Reminder: Notice of your consent', 'This is a reminder of the consent you gave.'],
  ['COPPA Notice', 'Notice of your consent', 'You gave your consent.'],
  ['Email Verification', 'Verify your FusionAuth email address', 'Verify your email address here: ${url!""}'],
  ['Parent Registration', 'Create your parental account', 'Create your parental account here: ${url!""}'],
  ['Passwordless Login', 'Log into FusionAuth', 'Log in here: ${url!""}'],
  ['Registration Verification', 'Verify your registration', 'Verify your registration here: ${url!""}'],
  ['Set up Password', 'Set up your password', 'Set up your password here: ${url!""}'],
  ['Two Factor Authentication', 'Your second factor code', 'Your code is ${code!""}.'],
  ['Threat Detected', 'Threat Detected', 'We detected a suspicious login to your account.'],
  ['Two Factor Authentication Method Added', 'A second factor was added', 'A second factor was added to your account.'],
  ['Two Factor Authentication Method Removed', 'A second factor was removed', 'A second factor was removed from your account.'],
  ['Admin Two Factor Method Removed', 'Your two-factor authentication method was removed', 'An administrator removed a two-factor method from your account.'],
];

/** The email templates of a fresh instance (no ids: the server generates random ones), defaults filled. */
export function builtInEmailTemplates(): JsonObject[] {
  return BUILT_IN.map(([name, subject, text]) => ({
    ...emailTemplateDefaults(),
    name: `[FusionAuth Default] ${name}`,
    defaultSubject: subject,
    defaultHtmlTemplate: `<p>${text}</p>`,
    defaultTextTemplate: text,
  }));
}
