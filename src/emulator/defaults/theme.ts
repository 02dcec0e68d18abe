/**
 * Defaults of themes and the two built-in themes of a fresh instance.
 *
 * Sources: the domain classes `Theme`, `Theme.Templates` and `SimpleThemeVariables` (decompiled server classes found in
 * public code through the search index, and [JAVA]); the decompiled `ThemeService` interface (the default simple
 * theme's variables, `populateFusionAuthTheme`); FusionAuth's MySQL bootstrap script (the built-in themes' names and
 * ids, "[SCHEMA]").
 */
import type { Json, JsonObject } from '../../core/types.js';
import { mergeOver, stripNulls } from './merge.js';

/**
 * Every page template of an advanced theme (`Theme.Templates.Names`; the properties of the OpenAPI `Templates` schema
 * less the deprecated aliases `emailSend` and `registrationSend`). An advanced theme that has any template must have
 * all of them.
 */
export const TEMPLATE_NAMES: readonly string[] = [
  'accountEdit', 'accountIndex', 'accountTwoFactorDisable', 'accountTwoFactorEdit', 'accountTwoFactorEnable', 'accountTwoFactorIndex',
  'accountWebAuthnAdd', 'accountWebAuthnDelete', 'accountWebAuthnIndex', 'confirmationRequired', 'emailComplete', 'emailSent',
  'emailVerificationRequired', 'emailVerify', 'helpers', 'index', 'oauth2Authorize', 'oauth2AuthorizedNotRegistered',
  'oauth2ChildRegistrationNotAllowed', 'oauth2ChildRegistrationNotAllowedComplete', 'oauth2CompleteRegistration', 'oauth2Consent',
  'oauth2Device', 'oauth2DeviceComplete', 'oauth2Error', 'oauth2Logout', 'oauth2Passwordless', 'oauth2Register', 'oauth2StartIdPLink',
  'oauth2TwoFactor', 'oauth2TwoFactorEnable', 'oauth2TwoFactorEnableComplete', 'oauth2TwoFactorMethods', 'oauth2Wait', 'oauth2WebAuthn',
  'oauth2WebAuthnReauth', 'oauth2WebAuthnReauthEnable', 'passwordChange', 'passwordComplete', 'passwordForgot', 'passwordSent',
  'phoneComplete', 'phoneSent', 'phoneVerificationRequired', 'phoneVerify', 'registrationComplete', 'registrationSent',
  'registrationVerificationRequired', 'registrationVerify', 'samlv2Logout', 'unauthorized',
];

/** `Theme.Templates`' deprecated setters: a request may still send these names (`setEmailSend` sets `emailSent`). */
const TEMPLATE_ALIASES: Readonly<Record<string, string>> = { emailSend: 'emailSent', registrationSend: 'registrationSent' };

/** The fields of `SimpleThemeVariables`; Jackson binds nothing else into `variables`. */
export const VARIABLE_NAMES: readonly string[] = [
  'alertBackgroundColor', 'alertFontColor', 'backgroundImageURL', 'backgroundSize', 'borderRadius', 'deleteButtonColor',
  'deleteButtonFocusColor', 'deleteButtonTextColor', 'deleteButtonTextFocusColor', 'errorFontColor', 'errorIconColor', 'favicons',
  'fontColor', 'fontFamily', 'footerDisplay', 'iconBackgroundColor', 'iconColor', 'infoIconColor', 'inputBackgroundColor',
  'inputIconColor', 'inputTextColor', 'linkTextColor', 'linkTextFocusColor', 'logoImageSize', 'logoImageURL', 'monoFontColor',
  'monoFontFamily', 'pageBackgroundColor', 'panelBackgroundColor', 'primaryButtonColor', 'primaryButtonFocusColor',
  'primaryButtonTextColor', 'primaryButtonTextFocusColor',
];

/** The default simple theme's variables, always these on a read (`ThemeService.defaultSimpleThemeVariables`). */
export const DEFAULT_SIMPLE_VARIABLES: Readonly<JsonObject> = {
  alertBackgroundColor: '#ffffff', alertFontColor: '#0f172a', backgroundSize: 'contain', borderRadius: '0.25rem',
  deleteButtonColor: '#be123c', deleteButtonFocusColor: '#9f1239', deleteButtonTextColor: '#ffffff', deleteButtonTextFocusColor: '#f1f5f9',
  errorFontColor: '#e11d48', errorIconColor: '#fb7185', fontColor: '#0f172a',
  fontFamily: 'Inter, -apple-system, system-ui, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  footerDisplay: true, iconBackgroundColor: '#f7f7f7', iconColor: '#227cbb', infoIconColor: '#818cf8', inputBackgroundColor: '#ffffff',
  inputIconColor: '#4c4c4c', inputTextColor: '#0f172a', linkTextColor: '#6366f1', linkTextFocusColor: '#4338ca', monoFontColor: '#334155',
  monoFontFamily: '"Courier", ui-monospace, "Courier New", monospace', pageBackgroundColor: '#f1f5f9', panelBackgroundColor: '#ffffff',
  primaryButtonColor: '#6366f1', primaryButtonFocusColor: '#4f46e5', primaryButtonTextColor: '#ffffff', primaryButtonTextFocusColor: '#f1f5f9',
};

/**
 * The default theme's templates: FusionAuth reads them from its own files on every read (`populateFusionAuthTheme`).
 * The real texts are FusionAuth's own, long (hundreds of kilobytes in all) and change with every version, so these are
 * short placeholder FreeMarker of the same shape: one per page, each a valid template.
 */
export function builtInTemplates(): JsonObject {
  return Object.fromEntries(TEMPLATE_NAMES.map((n) => [n, n === 'helpers'
    ? '[#ftl/]\n[#-- Placeholder for FusionAuth\'s shipped _helpers.ftl --]\n[#macro html][#nested/][/#macro]'
    : `[#ftl/]\n[#-- Placeholder for FusionAuth's shipped ${n} page --]\n[#import "_helpers.ftl" as helpers/]\n[@helpers.html]\${theme.message("${n}")}[/@helpers.html]`]));
}

/**
 * The default theme's messages (`messagesFromFilesystem`: FusionAuth's messages.properties, some thousand keys); a
 * short placeholder with the same form.
 */
export const BUILT_IN_MESSAGES = '# Placeholder for FusionAuth\'s shipped messages.properties\nlogin=Login\nsubmit=Submit\ncancel=Cancel\n';

/** Java's `String.trim`: characters up to U+0020 at either end. */
// eslint-disable-next-line no-control-regex -- Java's trim removes exactly the control characters and the space
const javaTrim = (s: string): string => s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
/** `Normalizer.lineReturns`. */
const lineReturns = (s: string): string => s.replace(/\r\n|\r/g, '\n');

/** `Templates.normalize`: each template trimmed to null (`confirmationRequired` only trimmed), line ends `\n`; names outside the class dropped. */
function normalizeTemplates(sent: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(sent)) {
    const name = TEMPLATE_ALIASES[k] ?? k;
    if (!TEMPLATE_NAMES.includes(name) || typeof v !== 'string') continue;
    const t = javaTrim(v);
    if (t === '' && name !== 'confirmationRequired') continue;
    out[name] = lineReturns(t);
  }
  return out;
}

/**
 * The theme request body as FusionAuth binds and stores it ([JAVA] `Theme`): `data` {}, `localizedMessages` {},
 * `type` advanced; `Theme.normalize` (line ends of messages and stylesheet, templates trimmed); unknown template and
 * variable names dropped (Jackson binds into the fixed classes); `variables.footerDisplay` a primitive boolean (false
 * when not sent). Returns a new object; nulls omitted.
 */
export function fillTheme(body: JsonObject): JsonObject {
  const out = mergeOver({ data: {}, localizedMessages: {}, type: 'advanced' }, body);
  if (typeof out.defaultMessages === 'string') out.defaultMessages = lineReturns(out.defaultMessages);
  if (typeof out.stylesheet === 'string') out.stylesheet = lineReturns(out.stylesheet);
  const lm = out.localizedMessages;
  if (lm && typeof lm === 'object' && !Array.isArray(lm)) {
    out.localizedMessages = Object.fromEntries(Object.entries(lm).map(([k, v]): [string, Json] => [k, typeof v === 'string' ? lineReturns(v) : v]));
  }
  const t = out.templates;
  if (t && typeof t === 'object' && !Array.isArray(t)) out.templates = normalizeTemplates(t);
  const v = out.variables;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const vars: JsonObject = Object.fromEntries(Object.entries(v).filter(([k]) => VARIABLE_NAMES.includes(k)));
    if (typeof vars.footerDisplay !== 'boolean') vars.footerDisplay = false;
    out.variables = vars;
  }
  return stripNulls(out);
}
